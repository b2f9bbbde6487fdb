"""Maximum-information item selection with randomesque and Sympson-Hetter exposure control."""

from collections.abc import Callable, Set

import numpy as np

from domain.adaptive.ranking import IndexArray

Lottery = Callable[[int], bool]


def choose_item(
    order: IndexArray,
    administered: Set[int],
    *,
    group_size: int = 1,
    lottery: Lottery | None = None,
    rng: np.random.Generator | None = None,
) -> int | None:
    """The next item from ``order`` (most informative first), or None if all were given.

    Items already administered are skipped, and so are items that lost this attempt's
    Sympson-Hetter ``lottery`` (which tells whether an item passed): the next most
    informative is considered instead.
    Randomesque then picks uniformly among the first ``group_size`` remaining candidates
    (``rng`` is required when ``group_size > 1``). If the lottery rejected every remaining
    item the most informative one is given anyway, since a test must not stall.
    """
    accepted: list[int] = []
    start, chunk = 0, len(administered) + group_size + 8
    # Rows are walked in growing chunks: usually the first chunk decides, and converting
    # a handful of entries to Python ints is far cheaper than the whole row.
    while start < len(order) and len(accepted) < group_size:
        for item in order[start : start + chunk].tolist():
            if item not in administered and (lottery is None or lottery(item)):
                accepted.append(item)
                if len(accepted) == group_size:
                    break
        start, chunk = start + chunk, chunk * 4
    if not accepted:
        return _most_informative(order, administered)
    if len(accepted) == 1:
        return accepted[0]
    assert rng is not None, "randomesque selection needs a random generator"
    # floor(u * n) is uniform over the group and costs a third of Generator.integers.
    return accepted[min(int(rng.random() * len(accepted)), len(accepted) - 1)]


def _most_informative(order: IndexArray, administered: Set[int]) -> int | None:
    for item in order.tolist():
        if item not in administered:
            return int(item)
    return None
