"""The one error table: every refusal becomes an RFC 9457 problem details response.

Written by hand rather than with Litestar's ProblemDetailsPlugin: the plugin only turns a
ProblemDetailsException into a response, so each domain error would still need a function
from it to that exception, and the 401 header, the 503 Retry-After, the 422 error list and
the logged 500 would still be handlers of our own. The table below plus one function that
builds the body is less code than the plugin's wiring around the same table.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException

from application import errors as app_errors
from application.ports.exam_packages import PackageRejected
from application.use_cases.calibrations import CalibrationNotFound, CalibrationNotReady
from application.use_cases.reopen_attempt import AnotherAttemptInProgress
from application.webhooks import errors as webhook_errors
from domain import errors as domain_errors
from domain.review import ReviewForbidden, ReviewNotOpen
from presentation.api.schemas.results import result_out

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True, slots=True)
class Problem:
    status: int
    slug: str
    title: str


PROBLEMS: dict[type[Exception], Problem] = {
    domain_errors.InvalidExamDefinition: Problem(422, "invalid-exam", "Invalid exam definition"),
    domain_errors.InvalidAccommodation: Problem(
        422, "invalid-accommodation", "Invalid accommodation"
    ),
    domain_errors.InvalidExtension: Problem(422, "invalid-extension", "Invalid extension"),
    domain_errors.InvalidOption: Problem(422, "invalid-option", "Not an option of this question"),
    domain_errors.UnknownQuestion: Problem(404, "unknown-question", "Question not in this attempt"),
    domain_errors.ExamNotOpen: Problem(403, "exam-not-open", "Exam not open"),
    domain_errors.MaxAttemptsReached: Problem(409, "max-attempts", "No attempts left"),
    domain_errors.WrongExamMode: Problem(409, "wrong-exam-mode", "Not for this exam mode"),
    domain_errors.AttemptAlreadySubmitted: Problem(
        409, "already-submitted", "Attempt already submitted"
    ),
    domain_errors.AttemptAlreadyFinal: Problem(409, "attempt-final", "Attempt already final"),
    domain_errors.AttemptNotFinal: Problem(409, "attempt-not-final", "Attempt not final"),
    domain_errors.AttemptPaused: Problem(409, "attempt-paused", "Attempt paused"),
    domain_errors.AttemptNotPaused: Problem(409, "attempt-not-paused", "Attempt not paused"),
    domain_errors.VersionConflict: Problem(409, "version-conflict", "Version conflict"),
    domain_errors.SectionNotActive: Problem(409, "section-not-active", "Section not in progress"),
    domain_errors.QuestionLocked: Problem(409, "question-locked", "Question locked"),
    domain_errors.TimeIsUp: Problem(410, "time-is-up", "Time is up"),
    app_errors.ExamNotFound: Problem(404, "exam-not-found", "Exam not found"),
    app_errors.AttemptNotFound: Problem(404, "attempt-not-found", "Attempt not found"),
    app_errors.AccessDenied: Problem(403, "forbidden", "Forbidden"),
    AnotherAttemptInProgress: Problem(409, "attempt-in-progress", "Another attempt in progress"),
    domain_errors.ItemNotAdministered: Problem(
        409, "item-not-administered", "Not the item currently administered"
    ),
    ReviewNotOpen: Problem(409, "review-not-open", "Attempt still in progress"),
    ReviewForbidden: Problem(403, "review-forbidden", "Review not allowed"),
    PackageRejected: Problem(422, "package-rejected", "Package cannot be imported"),
    domain_errors.InvalidResponse: Problem(422, "invalid-response", "Response does not fit"),
    domain_errors.ScoreRefused: Problem(422, "invalid-score", "Score does not fit"),
    webhook_errors.UnsafeWebhookUrl: Problem(
        422, "unsafe-webhook-url", "URL may not receive webhooks"
    ),
    webhook_errors.InvalidWebhook: Problem(422, "invalid-webhook", "Invalid webhook"),
    webhook_errors.WebhookNotFound: Problem(404, "webhook-not-found", "Webhook not found"),
    webhook_errors.DeliveryNotFound: Problem(404, "delivery-not-found", "Delivery not found"),
    CalibrationNotFound: Problem(404, "calibration-not-found", "Calibration not found"),
    CalibrationNotReady: Problem(409, "calibration-not-ready", "Calibration not succeeded"),
}
_FALLBACK = Problem(422, "rejected", "Request rejected")


def problem_response(
    status: int, title: str, detail: str, slug: str = "about:blank", **extra: Any
) -> Response[bytes]:
    body = {
        "type": slug if slug == "about:blank" else f"/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    headers = {"Retry-After": "1"} if status == 503 else None
    return Response(
        msgspec.json.encode(body), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _extra_members(error: Exception) -> dict[str, Any]:
    if isinstance(error, domain_errors.VersionConflict):
        return {"current_version": error.current_version}
    if isinstance(error, domain_errors.MaxAttemptsReached):
        return {"max_attempts": error.max_attempts}
    if isinstance(error, domain_errors.TimeIsUp) and error.result is not None:
        return {"result": msgspec.to_builtins(result_out(error.result))}
    if isinstance(error, domain_errors.InvalidResponse):
        return {"question_id": error.question_id, "field": error.field}
    return {}


def on_refusal(_: Request[Any, Any, Any], error: domain_errors.Refusal) -> Response[bytes]:
    problem = next((PROBLEMS[kind] for kind in type(error).__mro__ if kind in PROBLEMS), _FALLBACK)
    return problem_response(
        problem.status, problem.title, error.message, problem.slug, **_extra_members(error)
    )


def on_storage_unavailable(_: Request[Any, Any, Any], error: Exception) -> Response[bytes]:
    logger.warning("storage unavailable: %s", error)
    return problem_response(
        503, "Service unavailable", "the database cannot be reached; retry shortly", "unavailable"
    )


def on_validation_error(_: Request[Any, Any, Any], error: ValidationException) -> Response[bytes]:
    return problem_response(
        422, "Invalid request", str(error.detail), "invalid-request", errors=error.extra or []
    )


def on_not_authorized(_: Request[Any, Any, Any], error: NotAuthorizedException) -> Response[bytes]:
    response = problem_response(401, "Unauthorized", str(error.detail), "unauthorized")
    response.headers["WWW-Authenticate"] = 'Bearer realm="hourglass"'
    return response


def on_http_error(_: Request[Any, Any, Any], error: HTTPException) -> Response[bytes]:
    status = error.status_code
    title = HTTPStatus(status).phrase if status in _KNOWN_STATUSES else str(error.detail)
    return problem_response(status, title, str(error.detail))


_KNOWN_STATUSES = frozenset(HTTPStatus)


def on_unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[bytes]:
    logger.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return problem_response(500, "Internal server error", "an unexpected error occurred")


EXCEPTION_HANDLERS: Any = {
    domain_errors.Refusal: on_refusal,
    app_errors.StorageUnavailable: on_storage_unavailable,
    ValidationException: on_validation_error,
    NotAuthorizedException: on_not_authorized,
    HTTPException: on_http_error,
    Exception: on_unexpected,
}
