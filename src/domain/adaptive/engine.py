"""The adaptive engine: selects items, updates ability, applies stopping rules."""

from collections.abc import Iterable
from functools import lru_cache, partial
from itertools import compress

from domain.adaptive.ability import current_ability
from domain.adaptive.classification import Classification, SequentialClassifier
from domain.adaptive.content_balancing import ContentBalancer
from domain.adaptive.eap import posterior_summary
from domain.adaptive.enemies import EnemyGroups
from domain.adaptive.errors import (
    InvalidSettingsError,
    InvalidStateError,
    ItemAlreadyAdministeredError,
    ItemOutOfRangeError,
)
from domain.adaptive.irt import FloatArray
from domain.adaptive.item_bank import ItemBank
from domain.adaptive.randomness import SympsonHetterLottery, step_generator
from domain.adaptive.selection import choose_item
from domain.adaptive.settings import EngineSettings
from domain.adaptive.state import AdaptiveState
from domain.adaptive.stopping import stop_reason
from domain.adaptive.tables import BankTables

# Attempts whose pretest slots an engine remembers; a few hundred bytes each.
_PRETEST_MEMO = 4096
_DECIDED = (Classification.PASS, Classification.FAIL)


class AdaptiveEngine:
    """Computerized adaptive test over one item bank under one set of settings.

    The engine holds no per-examinee data: every method takes an ``AdaptiveState`` and
    returns a new one, so the caller may store states anywhere and resume on any process.
    """

    __slots__ = (
        "_balancer",
        "_classifier",
        "_enemies",
        "_log_prior",
        "_lottery",
        "_pretest",
        "_pretest_places",
        "_pretest_slots_of",
        "_settings",
        "_tables",
    )

    def __init__(
        self, bank: ItemBank, settings: EngineSettings, *, tables: BankTables | None = None
    ) -> None:
        if tables is not None and tables.bank is not bank:
            raise InvalidSettingsError("precomputed tables belong to another item bank")
        self._tables = tables or BankTables(bank)
        self._settings = settings
        self._log_prior = self._tables.grid.log_prior(settings.prior)
        self._log_prior.setflags(write=False)
        self._lottery = SympsonHetterLottery.for_exam(settings, bank.size)
        self._enemies = EnemyGroups(settings.enemies, bank.size)
        if any(item >= bank.size for item in settings.pretest.items):
            raise InvalidSettingsError("a pretest item lies outside the bank")
        self._pretest = frozenset(settings.pretest.items)
        targets = settings.content_targets
        self._balancer = (
            None if targets is None else ContentBalancer(bank, targets, uncounted=self._pretest)
        )
        plan = settings.pretest
        self._pretest_places = settings.min_items + plan.count - 1
        # Drawing an attempt's slots costs ~0.1 ms (a seeded generator); every item request
        # of the attempt asks again. A memo of a pure function of the attempt's seed, so
        # the engine still holds nothing an attempt could not have recomputed.
        self._pretest_slots_of = lru_cache(maxsize=_PRETEST_MEMO)(
            partial(plan.slots, exam_seed=settings.seed, min_items=settings.min_items)
        )
        rule = settings.classification
        self._classifier = None if rule is None else SequentialClassifier(bank, rule)

    @property
    def bank(self) -> ItemBank:
        """The item bank this engine draws from."""
        return self._tables.bank

    @property
    def settings(self) -> EngineSettings:
        """The exam's adaptive rules."""
        return self._settings

    def with_settings(self, settings: EngineSettings) -> "AdaptiveEngine":
        """An engine with other settings over the same bank, reusing the precomputed tables."""
        return AdaptiveEngine(self.bank, settings, tables=self._tables)

    @property
    def nbytes(self) -> int:
        """Memory this engine holds, nearly all of it numpy arrays: about 2.6 kB per bank item.

        Tables shared with another engine (`with_settings`) are counted by both.
        """
        lottery = 0 if self._lottery is None else self._lottery.nbytes
        classifier = 0 if self._classifier is None else self._classifier.nbytes
        return self._tables.nbytes + self._log_prior.nbytes + lottery + classifier

    def start(self, attempt_seed: int = 0) -> AdaptiveState:
        """The state before the first item: the prior's mean and SD."""
        theta, se = posterior_summary(self._log_prior, self._tables.grid)
        return AdaptiveState(
            theta=theta, se=se, attempt_seed=attempt_seed, log_posterior=self._log_prior
        )

    def next_item(self, state: AdaptiveState) -> int | None:
        """Bank index of the item to administer next, or None once the test has stopped."""
        if state.stop_reason is not None:
            return None
        settings = self._settings
        position = len(state.administered)
        if self._pretest and position < self._pretest_places:
            pretest_item = self._pretest_slots_of(attempt_seed=state.attempt_seed).get(position)
            if pretest_item is not None:
                return pretest_item
        # Enemies of a given item are skipped exactly like the items already given.
        administered = self._enemies.blocked_by(state.administered)
        rng = lottery = None
        if settings.exposure_k > 1:
            rng = step_generator(settings.seed, state.attempt_seed, len(administered))
        if self._lottery is not None:
            lottery = self._lottery.for_attempt(state.attempt_seed)
        area = self._balancer.next_area(state.administered) if self._balancer else None
        # Pretest items are uncalibrated: information never selects them.
        administered |= self._pretest
        # SPRT decides fastest on items most informative at the cut (Eggen, 1999).
        rule = settings.classification
        at = state.theta if rule is None else rule.cut
        return choose_item(
            self._tables.ranking.order_at(at, area),
            administered,
            group_size=settings.exposure_k,
            lottery=lottery,
            rng=rng,
        )

    def record(self, state: AdaptiveState, item_index: int, correct: bool) -> AdaptiveState:
        """The state after the examinee answered bank item ``item_index``."""
        if not 0 <= item_index < self.bank.size:
            raise ItemOutOfRangeError(f"item index {item_index} is outside the bank")
        if item_index in state.administered:
            raise ItemAlreadyAdministeredError(f"item {item_index} was already administered")
        administered = (*state.administered, item_index)
        responses = (*state.responses, bool(correct))
        if item_index in self._pretest:
            # Kept for calibration, invisible to the estimate and the stopping rules.
            return AdaptiveState(
                administered=administered,
                responses=responses,
                theta=state.theta,
                se=state.se,
                stop_reason=state.stop_reason,
                attempt_seed=state.attempt_seed,
                log_posterior=state.log_posterior,
            )
        rows = self._tables.log_correct if correct else self._tables.log_incorrect
        log_posterior = self._log_posterior(state) + rows[item_index]
        log_posterior.setflags(write=False)
        scored_items, scored_responses = self._operational(administered, responses)
        theta, se = current_ability(
            estimator=self._settings.estimator,
            log_posterior=log_posterior,
            tables=self._tables,
            administered=scored_items,
            responses=scored_responses,
            previous_theta=state.theta,
            log_prior=self._log_prior,
        )
        reason = stop_reason(
            items_administered=len(scored_items),
            se=se,
            settings=self._settings,
            bank_size=self.bank.size - len(self._pretest) - self._enemies.excluded_by(administered),
            classified=partial(self._decided, scored_items, scored_responses),
        )
        return AdaptiveState(
            administered=administered,
            responses=responses,
            theta=theta,
            se=se,
            stop_reason=reason,
            attempt_seed=state.attempt_seed,
            log_posterior=log_posterior,
        )

    def classification(self, state: AdaptiveState) -> Classification | None:
        """Pass, fail or undecided for a classification test; None for any other."""
        return self._decision(*self._operational(state.administered, state.responses))

    def scored_items(self, state: AdaptiveState) -> tuple[int, ...]:
        """The administered items that count: all but the pretest items."""
        return self._operational(state.administered, state.responses)[0]

    def replay(self, history: Iterable[tuple[str, bool]], attempt_seed: int = 0) -> AdaptiveState:
        """Rebuild a state from ``(item id, correct)`` pairs in the order they were given."""
        state = self.start(attempt_seed)
        for item_id, correct in history:
            state = self.record(state, self.bank.index_of(item_id), correct)
        return state

    def _operational(
        self, administered: tuple[int, ...], responses: tuple[bool, ...]
    ) -> tuple[tuple[int, ...], tuple[bool, ...]]:
        """The items and responses that count, pretest ones left out."""
        if not self._pretest or self._pretest.isdisjoint(administered):
            return administered, responses
        scored = [item not in self._pretest for item in administered]
        return tuple(compress(administered, scored)), tuple(compress(responses, scored))

    def _decision(
        self, administered: tuple[int, ...], responses: tuple[bool, ...]
    ) -> Classification | None:
        if self._classifier is None:
            return None
        return self._classifier.decision(administered, responses)

    def _decided(self, administered: tuple[int, ...], responses: tuple[bool, ...]) -> bool:
        return self._decision(administered, responses) in _DECIDED

    def _log_posterior(self, state: AdaptiveState) -> FloatArray:
        if state.log_posterior is None:
            return self._tables.log_posterior(
                self._log_prior, *self._operational(state.administered, state.responses)
            )
        if state.log_posterior.shape != self._log_prior.shape:
            raise InvalidStateError("state was built on another quadrature grid")
        return state.log_posterior
