"""Process logging: one line per record, with the request id of the request it serves."""

from __future__ import annotations

import logging

from presentation.api.request_id import current_request_id

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request, e.g. the sweeper loop)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or "-"
        return True


def configure_logging(level: str) -> None:
    """Root handler on stderr; the filter sits on the handler, so records of every logger
    (ours, the drivers', the server's) get the field before formatting."""
    logging.basicConfig(level=level.upper(), format=FORMAT)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(existing, RequestIdFilter) for existing in handler.filters):
            handler.addFilter(RequestIdFilter())
