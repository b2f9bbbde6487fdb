"""dishka's `inject` for Litestar handlers, finding the container without Litestar's State."""

from __future__ import annotations

from collections.abc import Callable
from inspect import Parameter
from typing import Any, ParamSpec, TypeVar, get_type_hints

from dishka import AsyncContainer
from dishka.integrations.base import wrap_injection
from litestar import Request

P = ParamSpec("P")
T = TypeVar("T")

# Where the unit-of-work middleware leaves the container: `scope["state"]`.
DISHKA_CONTAINER = "dishka_container"


def inject(func: Callable[P, T]) -> Callable[P, T]:
    """Resolve the handler's `FromDishka[...]` parameters from the app's container.

    dishka's own decorator reads `request.state.dishka_container`, and Litestar builds a
    State object for every `request.state` access, on every request. The container is
    taken from the ASGI scope directly.
    """
    takes_request = "request" in get_type_hints(func)
    extra = (
        []
        if takes_request
        else [Parameter(name="request", annotation=Request, kind=Parameter.KEYWORD_ONLY)]
    )
    return wrap_injection(
        func=func,
        is_async=True,
        additional_params=extra,
        container_getter=_container,
    )


def _container(_: Any, kwargs: dict[str, Any]) -> AsyncContainer:
    container: AsyncContainer = kwargs["request"].scope["state"][DISHKA_CONTAINER]
    return container
