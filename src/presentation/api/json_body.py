"""Request bodies decoded strictly: JSON in UTF-8 only, no string taken for a number,
within the operator's limits; whatever a client sends gets a 4xx, never a 500."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any, ClassVar, cast

import msgspec
from litestar import Request
from litestar.exceptions import ClientException, HTTPException, ValidationException

from presentation.api.large_json import LARGE_BODY_BYTES, decode_in_turns
from presentation.api.limits import InputLimits, LimitedInput

# A body over every limit at once would list thousands; the first few say enough.
REPORTED_VIOLATIONS = 20
# Body types (a handful: the request schemas) -> whether they have limits to check.
_LIMITED: dict[type, bool] = {}


def decode_json_body(body: bytes, content_type: tuple[str, dict[str, str]], into: Any) -> Any:
    """`body` as `into`: 415 for another media type or charset, 400 for bytes that are
    not JSON (invalid UTF-8, nested past the recursion limit), 422 for JSON outside the
    schema. Duplicate keys in an object: the last one wins, as in msgspec and most
    parsers (docs/api-choices.md)."""
    text = _json_text(body, content_type)
    with _as_client_errors():
        return msgspec.json.decode(_utf8(text) or b"null", type=into, strict=True)


async def decode_json_body_in_turns(
    body: bytes, content_type: tuple[str, dict[str, str]], into: Any
) -> Any:
    """`decode_json_body`, giving the event loop turns while a large body is decoded."""
    text = _json_text(body, content_type)
    with _as_client_errors():
        return await decode_in_turns(_utf8(text) or b"null", into)


def _json_text(body: bytes, content_type: tuple[str, dict[str, str]]) -> bytes:
    text = body.strip()
    if text and not _is_utf8_json(*content_type):
        raise HTTPException(status_code=415, detail="send the body as application/json (UTF-8)")
    return text


def _utf8(text: bytes) -> bytes:
    # msgspec checks the UTF-8 of the strings it keeps, not of those it skips.
    if not text.isascii():
        text.decode()
    return text


@contextmanager
def _as_client_errors() -> Iterator[None]:
    try:
        yield
    except msgspec.ValidationError as error:
        raise ValidationException(str(error), extra=[_schema_error(str(error))]) from error
    except (msgspec.DecodeError, UnicodeDecodeError) as error:
        raise ClientException(f"the body is not valid JSON: {error}") from error
    except RecursionError as error:
        raise ClientException("the body is not valid JSON: nested too deeply") from error


def check_limits(value: object, limits: InputLimits) -> None:
    """422 listing the parts of `value` over the operator's limits, if any."""
    # By type, remembered: `isinstance` against a runtime-checkable Protocol walks the
    # protocol's attributes on every call, 2 % of an adaptive response's CPU.
    limited = _LIMITED.get(type(value))
    if limited is None:
        limited = _LIMITED[type(value)] = isinstance(value, LimitedInput)
    if not limited:
        return
    over = list(islice(cast(LimitedInput, value).over_limits(limits), REPORTED_VIOLATIONS))
    if over:
        detail = "; ".join(f"{v.key}: {v.message}" for v in over[:3])
        raise ValidationException(
            f"over the configured limits: {detail}", extra=[v.as_error() for v in over]
        )


class StrictJsonRequest(Request[Any, Any, Any]):
    """Litestar's request whose `json()` decodes the body strictly into the handler's
    `data` type (Litestar's own decoding converts leniently: "1" for 1) and checks it
    against `limits`. Litestar then finds a value of the right type and keeps it."""

    limits: ClassVar[InputLimits | None] = None

    async def json(self) -> Any:
        field = self.route_handler.parsed_data_field
        into = Any if field is None else field.annotation
        body = await self.body()
        value = await decode_json_body_in_turns(body, self.content_type, into)
        if self.limits is None:
            return value
        if len(body) > LARGE_BODY_BYTES:
            # Plain Python that gives up the GIL every few milliseconds, so in a thread
            # it leaves the loop its turns (the checks of a large exam take 10-50 ms).
            await asyncio.to_thread(check_limits, value, self.limits)
        else:
            check_limits(value, self.limits)
        return value


def strict_json_requests(limits: InputLimits) -> type[StrictJsonRequest]:
    """The request class for the app, bound to the operator's limits."""
    return type("StrictJsonRequest", (StrictJsonRequest,), {"limits": limits})


def _is_utf8_json(media_type: str, options: dict[str, str]) -> bool:
    charset = options.get("charset", "utf-8").strip('"').lower()
    return media_type.lower() == "application/json" and charset in {"utf-8", "utf8"}


def _schema_error(message: str) -> dict[str, str]:
    # msgspec says "Expected `int`, got `str` - at `$.questions[0].points`".
    text, _, where = message.partition(" - at `$")
    return {"key": where.rstrip("`").lstrip("."), "message": text, "source": "body"}
