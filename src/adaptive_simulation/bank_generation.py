"""Synthetic item banks for simulation studies and benchmarks."""

from collections.abc import Sequence

import numpy as np

from domain.adaptive.errors import InvalidItemBankError
from domain.adaptive.item_bank import ItemBank


def generate_bank(
    n: int,
    seed: int,
    *,
    content_areas: Sequence[str] | None = None,
) -> ItemBank:
    """A seeded 3PL bank: a ~ lognormal(0, 0.25), b ~ N(0, 1), c ~ U(0, 0.25), d = 1.

    With ``content_areas`` the items are dealt to the areas in turn, so every area holds
    about ``n / len(content_areas)`` items spread over the whole difficulty range.
    """
    if n < 1:
        raise InvalidItemBankError("a generated bank needs at least one item")
    rng = np.random.default_rng(seed)
    a = rng.lognormal(mean=0.0, sigma=0.25, size=n)
    b = rng.normal(loc=0.0, scale=1.0, size=n)
    c = rng.uniform(low=0.0, high=0.25, size=n)
    areas = None
    if content_areas:
        areas = [content_areas[i % len(content_areas)] for i in range(n)]
    return ItemBank.from_parameters(
        item_ids=[f"item-{i:05d}" for i in range(n)],
        a=a,
        b=b,
        c=c,
        content_areas=areas,
    )
