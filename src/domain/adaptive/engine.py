"""The adaptive engine: selects items, updates ability, applies stopping rules."""

from collections.abc import Iterable
from functools import partial

from domain.adaptive.ability import current_ability
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


class AdaptiveEngine:
    """Computerized adaptive test over one item bank under one set of settings.

    The engine holds no per-examinee data: every method takes an ``AdaptiveState`` and
    returns a new one, so the caller may store states anywhere and resume on any process.
    """

    __slots__ = ("_balancer", "_enemies", "_log_prior", "_lottery", "_settings", "_tables")

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
        targets = settings.content_targets
        self._balancer = ContentBalancer(bank, targets) if targets is not None else None
        self._enemies = EnemyGroups(settings.enemies, bank.size)

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
        return self._tables.nbytes + self._log_prior.nbytes + lottery

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
        # Enemies of a given item are skipped exactly like the items already given.
        administered = self._enemies.blocked_by(state.administered)
        rng = lottery = None
        if settings.exposure_k > 1:
            rng = step_generator(settings.seed, state.attempt_seed, len(administered))
        if self._lottery is not None:
            lottery = partial(self._lottery.passes, state.attempt_seed)
        area = self._balancer.next_area(state.administered) if self._balancer else None
        return choose_item(
            self._tables.ranking.order_at(state.theta, area),
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
        rows = self._tables.log_correct if correct else self._tables.log_incorrect
        log_posterior = self._log_posterior(state) + rows[item_index]
        log_posterior.setflags(write=False)
        administered = (*state.administered, item_index)
        responses = (*state.responses, bool(correct))
        theta, se = current_ability(
            estimator=self._settings.estimator,
            log_posterior=log_posterior,
            grid=self._tables.grid,
            bank=self.bank,
            administered=administered,
            responses=responses,
            previous_theta=state.theta,
        )
        reason = stop_reason(
            items_administered=len(administered),
            se=se,
            settings=self._settings,
            bank_size=self.bank.size - self._enemies.excluded_by(administered),
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

    def replay(self, history: Iterable[tuple[str, bool]], attempt_seed: int = 0) -> AdaptiveState:
        """Rebuild a state from ``(item id, correct)`` pairs in the order they were given."""
        state = self.start(attempt_seed)
        for item_id, correct in history:
            state = self.record(state, self.bank.index_of(item_id), correct)
        return state

    def _log_posterior(self, state: AdaptiveState) -> FloatArray:
        if state.log_posterior is None:
            return self._tables.log_posterior(self._log_prior, state.administered, state.responses)
        if state.log_posterior.shape != self._log_prior.shape:
            raise InvalidStateError("state was built on another quadrature grid")
        return state.log_posterior
