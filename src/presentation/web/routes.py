"""`GET /take/{exam_id}` and its assets: the candidate's page, no build step.

The page is static: the exam id comes from the URL and everything else from the API, so
one file serves every exam and a platform can copy the page and its assets as they are.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from uuid import UUID

from litestar import Response, Router, get
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath
from litestar.static_files import create_static_files_router

WEB_DIR = Path(__file__).parent
ASSETS_PATH = "/take/assets"

# Only our own script, style and API; no inline code. `frame-ancestors` stays open on
# purpose: platforms embed the page in an iframe.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    # The URL may carry ?token=…: never send it to another site as a referrer.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


@cache
def _page(name: str = "take") -> bytes:
    return (WEB_DIR / "page" / f"{name}.html").read_bytes()


@get("/take/{exam_id:uuid}", include_in_schema=False, sync_to_thread=False)
def take_page(exam_id: FromPath[UUID]) -> Response[bytes]:
    """The same page for every exam: the script reads the exam id from the path."""
    del exam_id  # validated by the route (a malformed id is a 404); used by the script
    return Response(_page(), media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)


@get("/proctor/{exam_id:uuid}", include_in_schema=False, sync_to_thread=False)
def proctor_page(exam_id: FromPath[UUID]) -> Response[bytes]:
    """The proctor's page, the same for every exam: it takes an admin token as /take
    takes a candidate's, and follows GET /exams/{exam_id}/stream."""
    del exam_id  # read by the script
    return Response(_page("proctor"), media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)


web_routes = Router(
    path="/",
    route_handlers=[
        take_page,
        proctor_page,
        create_static_files_router(
            path=ASSETS_PATH,
            directories=[WEB_DIR / "assets"],
            name="take-assets",
            # Short: a deploy must reach candidates who reload mid-exam.
            cache_control=CacheControlHeader(max_age=300, public=True),
            include_in_schema=False,
        ),
    ],
)
