"""Enemy items: groups of items of which one test gives at most one (they cue each other
or test the same thing)."""

from collections.abc import Iterator, Sequence

from domain.adaptive.errors import InvalidSettingsError


class EnemyGroups:
    """Which items the items given so far rule out."""

    __slots__ = ("_enemies_of", "_with_enemies")

    def __init__(self, groups: Sequence[Sequence[int]], bank_size: int) -> None:
        enemies_of: dict[int, set[int]] = {}
        for group in groups:
            if any(not 0 <= item < bank_size for item in group):
                raise InvalidSettingsError("an enemy group names an item outside the bank")
            for item in group:
                enemies_of.setdefault(item, set()).update(other for other in group if other != item)
        self._enemies_of = {item: frozenset(others) for item, others in enemies_of.items()}
        # Most given items have no enemy: one set intersection finds the few that do,
        # instead of a lookup per given item at every step.
        self._with_enemies = frozenset(item for item, others in enemies_of.items() if others)

    def blocked_by(self, administered: Sequence[int]) -> set[int]:
        """The items given and every enemy of one of them: none may be given next."""
        blocked = set(administered)
        if self._with_enemies:
            blocked.update(*self._enemy_sets(administered))
        return blocked

    def excluded_by(self, administered: Sequence[int]) -> int:
        """How many items not yet given the given ones rule out."""
        if not self._with_enemies:
            return 0
        return len(set().union(*self._enemy_sets(administered)).difference(administered))

    def _enemy_sets(self, administered: Sequence[int]) -> Iterator[frozenset[int]]:
        return map(self._enemies_of.__getitem__, self._with_enemies.intersection(administered))
