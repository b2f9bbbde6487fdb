"""The engine's per-step shortcuts agree with the plain definitions they stand in for."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.adaptive.enemies import EnemyGroups

BANK = 30
_items = st.integers(0, BANK - 1)


@settings(max_examples=200, deadline=None)
@given(
    groups=st.lists(st.lists(_items, min_size=1, max_size=5), max_size=8),
    administered=st.lists(_items, unique=True, max_size=BANK),
)
def test_enemies_block_every_member_of_a_group_with_a_given_item(
    groups: list[list[int]], administered: list[int]
) -> None:
    given_items = set(administered)
    blocked = given_items | {
        other for group in groups if given_items.intersection(group) for other in group
    }

    enemies = EnemyGroups(groups, BANK)

    assert enemies.blocked_by(tuple(administered)) == blocked
    assert enemies.excluded_by(tuple(administered)) == len(blocked - given_items)
