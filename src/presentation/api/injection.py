"""dishka's `inject` for Litestar handlers, finding the container without Litestar's State."""

from __future__ import annotations

from collections.abc import Callable
from inspect import Parameter
from typing import Any, ParamSpec, TypeVar, get_type_hints

from dishka import DEFAULT_COMPONENT, AsyncContainer, Component
from dishka.integrations.base import wrap_injection
from litestar import Request

P = ParamSpec("P")
T = TypeVar("T")

# Where the unit-of-work middleware leaves the app's objects: `scope["state"]`.
DISHKA_CONTAINER = "dishka_container"


class AppObjects:
    """What handlers get from the app's container, each object resolved by dishka once.

    Every provider is app-scoped (presentation.bootstrap.providers): the object dishka
    gives for a type is the same for the life of its container, so asking it again on
    every request would only cost its lock and lookup, on every timer read. The first
    resolution still goes through dishka (and its lock), so concurrent first requests
    get the one object it builds.
    """

    __slots__ = ("_container", "_resolved")

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container
        self._resolved: dict[tuple[Any, Component | None], Any] = {}

    async def get(
        self, dependency_type: Any, component: Component | None = DEFAULT_COMPONENT
    ) -> Any:
        key = (dependency_type, component)
        try:
            return self._resolved[key]
        except KeyError:
            found = self._resolved[key] = await self._container.get(dependency_type, component)
            return found


def inject(func: Callable[P, T]) -> Callable[P, T]:
    """Resolve the handler's `FromDishka[...]` parameters from the app's objects.

    dishka's own decorator reads `request.state.dishka_container`, and Litestar builds a
    State object for every `request.state` access, on every request. The app's objects
    are taken from the ASGI scope directly.
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
        container_getter=_app_objects,
    )


def _app_objects(_: Any, kwargs: dict[str, Any]) -> Any:
    # dishka's generated code calls only `get` on what this returns.
    return kwargs["request"].scope["state"][DISHKA_CONTAINER]
