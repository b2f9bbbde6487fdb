"""`create_app(settings, *providers)`: the Litestar application with its DI container."""

from __future__ import annotations

from functools import partial

from dishka import Provider, make_async_container
from litestar import Litestar, Router
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin

from infrastructure.faults import PROCESS_FAULTS
from infrastructure.settings import Settings, load_settings
from presentation.api.adaptive import adaptive_routes
from presentation.api.admin import admin_routes
from presentation.api.attempt_listing import attempt_listing_routes
from presentation.api.attempts import attempt_routes
from presentation.api.auth import bearer_authentication
from presentation.api.calibrations import calibration_routes
from presentation.api.exam_import import exam_import_routes
from presentation.api.exam_stream import exam_stream_routes
from presentation.api.exam_time_control import exam_time_routes
from presentation.api.exams import exam_routes
from presentation.api.exposure import exposure_routes
from presentation.api.flags_review import flag_and_review_routes
from presentation.api.health import health_routes
from presentation.api.json_body import strict_json_requests
from presentation.api.lifecycle import lifecycle_routes
from presentation.api.limits import InputLimits
from presentation.api.live import live_routes
from presentation.api.metrics import HttpMetrics, metrics
from presentation.api.openapi_links import document_links
from presentation.api.openapi_refusals import document_refusals
from presentation.api.problems import EXCEPTION_HANDLERS
from presentation.api.proficiency import proficiency_routes
from presentation.api.regrade import regrade_routes
from presentation.api.request_id import request_ids
from presentation.api.results_export import results_routes
from presentation.api.time_control import time_control_routes
from presentation.api.webhooks import webhook_routes
from presentation.api.write_rate_limit import candidate_write_limit
from presentation.bootstrap.authentication import token_verifier
from presentation.bootstrap.calibration_loop import CalibrationLoop
from presentation.bootstrap.connections_ahead import ConnectionsAhead
from presentation.bootstrap.dispatch_loop import DispatchLoop, dispatch_families
from presentation.bootstrap.fault_metrics import fault_families
from presentation.bootstrap.heap import CollectorPauses, settle_heap
from presentation.bootstrap.logs import configure_logging
from presentation.bootstrap.providers import default_providers
from presentation.bootstrap.redis_startup import redis_topology_check
from presentation.bootstrap.sweeper import SweeperLoop, sweeper_families
from presentation.bootstrap.units import units_of_work
from presentation.web.routes import web_routes


def create_app(settings: Settings, *providers: Provider) -> Litestar:
    """The service wired to real adapters; `providers` given here override the defaults."""
    container = make_async_container(*default_providers(), *providers, context={Settings: settings})
    verifier = token_verifier(settings)
    sweeper = SweeperLoop(container, settings) if settings.sweeper_enabled else None
    http_metrics = HttpMetrics()
    collector_pauses = CollectorPauses()
    http_metrics.add_collector(collector_pauses.families)
    http_metrics.add_collector(lambda: fault_families(PROCESS_FAULTS))
    if sweeper is not None:
        http_metrics.add_collector(lambda: sweeper_families(sweeper.counts))
    dispatcher = DispatchLoop(container) if settings.webhook_dispatcher_enabled else None
    calibrations = CalibrationLoop(container)
    connections_ahead = ConnectionsAhead(container) if settings.answer_pool_open_at_start else None
    if dispatcher is not None:
        http_metrics.add_collector(lambda: dispatch_families(dispatcher.counts))
    app = Litestar(
        route_handlers=[
            Router(
                path="/api/v1",
                route_handlers=[
                    exam_routes,
                    attempt_routes,
                    time_control_routes,
                    live_routes,
                    admin_routes,
                    adaptive_routes,
                    flag_and_review_routes,
                    exam_import_routes,
                    attempt_listing_routes,
                    lifecycle_routes,
                    results_routes,
                    exam_time_routes,
                    webhook_routes,
                    regrade_routes,
                    exam_stream_routes,
                    proficiency_routes,
                    calibration_routes,
                    exposure_routes,
                ],
            ),
            health_routes,
            metrics,
            web_routes,
        ],
        middleware=[
            request_ids,
            http_metrics.middleware,
            bearer_authentication(verifier),
            *([candidate_write_limit(container)] if settings.rate_limit_writes_per_second else []),
            units_of_work(container),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=strict_json_requests(input_limits(settings)),
        request_max_body_size=settings.max_request_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Hourglass",
            version="1.0.0",
            description="Timed and adaptive exam attempts with a server-authoritative timer.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
        ),
        # Timed from after start-up's own full collection: pauses while serving.
        on_startup=[
            redis_topology_check(container, settings),
            settle_heap,
            collector_pauses.install,
            *([connections_ahead.start] if connections_ahead else []),
            *([sweeper.start] if sweeper else []),
            *([dispatcher.start] if dispatcher else []),
            calibrations.start,
        ],
        on_shutdown=[
            *([connections_ahead.stop] if connections_ahead else []),
            *([sweeper.stop] if sweeper else []),
            *([dispatcher.stop] if dispatcher else []),
            calibrations.stop,
            container.close,
            collector_pauses.uninstall,
        ],
        logging_config=None,
    )
    app.state.dishka_container = container
    app.on_startup.append(partial(_document_refusals, app, settings))
    app.state.http_metrics = http_metrics
    return app


def _document_refusals(app: Litestar, settings: Settings) -> None:
    """Once per process, before the first request: the OpenAPI document is built then."""
    document_links(app.openapi_schema)
    document_refusals(app.openapi_schema, rate_limited=settings.rate_limit_writes_per_second > 0)


def input_limits(settings: Settings) -> InputLimits:
    """The operator's bounds on what one request may define."""
    return InputLimits(
        questions_per_exam=settings.max_questions_per_exam,
        options_per_question=settings.max_options_per_question,
        title_length=settings.max_title_length,
        stem_length=settings.max_stem_length,
        option_text_length=settings.max_option_text_length,
        reason_length=settings.max_reason_length,
        response_bytes=settings.max_response_bytes,
    )


def app_from_environment() -> Litestar:
    """Factory for the ASGI server: every setting from HOURGLASS_* variables."""
    settings = load_settings()
    configure_logging(settings.log_level)
    return create_app(settings)
