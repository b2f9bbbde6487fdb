"""Constrained field types shared by the request and response shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar.params import PathParameter
from msgspec import Meta

AwareDatetime = Annotated[datetime, Meta(tz=True)]
# Bounds that keep every duration a real timedelta and every deadline on the calendar.
WEEK_SECONDS = 7 * 24 * 3600
DAY_SECONDS = 24 * 3600
# Versions are stored as PostgreSQL integers; a larger one could never match anyway.
MAX_VERSION = 2_147_483_647
Version = Annotated[int, Meta(ge=0, le=MAX_VERSION)]

# Any text but U+0000, which PostgreSQL's text and jsonb types cannot store.
TEXT_PATTERN = r"^[^\x00]*$"
Text = Annotated[str, Meta(pattern=TEXT_PATTERN)]
NonEmptyText = Annotated[str, Meta(min_length=1, pattern=TEXT_PATTERN)]
# Ids a client puts in a URL path as they are: RFC 3986's unreserved characters, but not
# "." or "..", which URL normalisers resolve. `(?!\n)` because Python's `$` also matches
# before a final newline.
IDENTIFIER_PATTERN = r"^(?!\.\.?$)[A-Za-z0-9._~-]{1,64}(?!\n)$"
Identifier = Annotated[str, Meta(pattern=IDENTIFIER_PATTERN)]
# A candidate id is a token's `sub`: identity providers' subjects also hold e-mail
# addresses (@, +) and provider prefixes (auth0|..., user:...).
CANDIDATE_ID_PATTERN = r"^(?!\.\.?$)[A-Za-z0-9._~@|:+-]{1,255}(?!\n)$"
CandidateId = Annotated[str, Meta(pattern=CANDIDATE_ID_PATTERN)]

# The same ids where they are a segment of the path.
QuestionIdInPath = Annotated[str, PathParameter(pattern=IDENTIFIER_PATTERN)]
CandidateIdInPath = Annotated[str, PathParameter(pattern=CANDIDATE_ID_PATTERN)]
