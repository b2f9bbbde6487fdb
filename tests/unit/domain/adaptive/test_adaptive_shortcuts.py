"""The engine's per-step shortcuts agree with the plain definitions they stand in for."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adaptive_simulation import generate_bank
from domain.adaptive import AdaptiveEngine, AdaptiveState, EngineSettings
from domain.adaptive.classification import SequentialClassifier, SprtRule
from domain.adaptive.content_balancing import ContentBalancer
from domain.adaptive.enemies import EnemyGroups
from domain.adaptive.irt import ItemTerms, response_log_probabilities, score_information_curvature
from domain.adaptive.item_bank import ItemBank
from domain.adaptive.pretest import PretestPlan
from domain.adaptive.randomness import SympsonHetterLottery, _mix64, _prime_at_least
from domain.adaptive.selection import choose_item

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


AREAS = ("algebra", "geometry", "number", "stats")


@settings(max_examples=200, deadline=None)
@given(
    areas=st.lists(st.sampled_from(AREAS), min_size=BANK, max_size=BANK),
    shares=st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.3, 0.4, 0.5]), min_size=4, max_size=4),
    administered=st.lists(_items, unique=True, max_size=BANK),
    uncounted=st.sets(_items, max_size=6),
)
def test_the_balancer_picks_the_targeted_area_furthest_below_its_share(
    areas: list[str], shares: list[float], administered: list[int], uncounted: set[int]
) -> None:
    bank = ItemBank.from_parameters(
        item_ids=[f"i{n}" for n in range(BANK)], a=[1.0] * BANK, b=[0.0] * BANK, content_areas=areas
    )
    targets = {area: share for area, share in zip(AREAS, shares, strict=True) if area in areas}
    # The definition, on arrays: shares among the counted items, areas with items left.
    counted = [item for item in administered if item not in uncounted]
    counts = np.bincount(bank.area_codes[counted], minlength=len(bank.area_names))
    wanted = np.array([targets.get(name, 0.0) for name in bank.area_names])
    sizes = np.bincount(bank.area_codes, minlength=len(bank.area_names))
    behind = np.where(
        (wanted > 0) & (counts < sizes), wanted - counts / max(len(counted), 1), -np.inf
    )
    best = int(behind.argmax())

    balancer = ContentBalancer(bank, targets, uncounted=uncounted)

    assert balancer.next_area(tuple(administered)) == (best if np.isfinite(behind[best]) else None)


PRETEST = (3, 11, 17, 29)


@settings(max_examples=100, deadline=None)
@given(administered=st.lists(_items, unique=True, max_size=BANK), data=st.data())
def test_scored_items_are_the_administered_ones_but_pretest_items(
    administered: list[int], data: st.DataObject
) -> None:
    responses = data.draw(
        st.lists(st.booleans(), min_size=len(administered), max_size=len(administered))
    )
    engine = AdaptiveEngine(
        generate_bank(BANK, seed=1),
        EngineSettings(max_items=BANK, pretest=PretestPlan(items=PRETEST, count=2)),
    )
    state = AdaptiveState(
        administered=tuple(administered), responses=tuple(responses), theta=0.0, se=1.0
    )
    kept = [(i, r) for i, r in zip(administered, responses, strict=True) if i not in PRETEST]

    assert engine._operational(state.administered, state.responses) == (
        tuple(i for i, _ in kept),
        tuple(r for _, r in kept),
    )
    assert engine.scored_items(state) == tuple(i for i, _ in kept)


@settings(max_examples=100, deadline=None)
@given(
    exam_seed=st.integers(0, 2**63 - 1),
    attempt_seed=st.integers(0, 2**64 - 1),
    parameters=st.lists(st.sampled_from([0.0, 0.2, 0.5, 0.9, 1.0]), min_size=BANK, max_size=BANK),
)
def test_an_item_passes_the_lottery_when_its_entry_of_the_exam_table_is_below_k(
    exam_seed: int, attempt_seed: int, parameters: list[float]
) -> None:
    # The definition, for the whole bank at once: entry (p i + q) mod m of the exam's
    # table of uniforms, (p, q) from the attempt's seed.
    size = _prime_at_least(max(8 * BANK, 4099))
    table = np.random.Generator(np.random.Philox(key=exam_seed)).random(size)
    mixed = _mix64(attempt_seed ^ 0x9E3779B97F4A7C15)
    stride, offset = 1 + mixed % (size - 1), (mixed >> 32) % size
    entries = (np.arange(BANK, dtype=np.int64) * stride + offset) % size

    passes = SympsonHetterLottery(np.array(parameters), exam_seed).for_attempt(attempt_seed)

    assert [passes(item) for item in range(BANK)] == (table[entries] < parameters).tolist()


@settings(max_examples=200, deadline=None)
@given(
    order=st.permutations(range(BANK)),
    administered=st.sets(_items),
    rejected=st.sets(_items),
    group_size=st.integers(1, 4),
    draw_seed=st.integers(0, 2**32),
)
def test_selection_takes_a_random_one_of_the_first_eligible_items_in_order(
    order: list[int], administered: set[int], rejected: set[int], group_size: int, draw_seed: int
) -> None:
    eligible = [i for i in order if i not in administered and i not in rejected][:group_size]
    remaining = [i for i in order if i not in administered]
    u = np.random.default_rng(draw_seed).random()
    if eligible:
        expected = eligible[min(int(u * len(eligible)), len(eligible) - 1)]
    else:
        expected = remaining[0] if remaining else None

    chosen = choose_item(
        np.array(order, dtype=np.int32),
        administered,
        group_size=group_size,
        lottery=lambda item: item not in rejected,
        rng=np.random.default_rng(draw_seed),
    )

    assert chosen == expected


@settings(max_examples=100, deadline=None)
@given(
    data=st.lists(st.tuples(_items, st.booleans()), max_size=BANK, unique_by=lambda x: x[0]),
    cut=st.floats(-2, 2),
)
def test_the_sprt_log_ratio_sums_each_response_s_contribution_in_test_order(
    data: list[tuple[int, bool]], cut: float
) -> None:
    bank = generate_bank(BANK, seed=4)
    rule = SprtRule(cut=cut, indifference=0.3)
    items, responses = [i for i, _ in data], [r for _, r in data]
    high = response_log_probabilities(cut + 0.3, bank.a, bank.b, bank.c, bank.d)
    low = response_log_probabilities(cut - 0.3, bank.a, bank.b, bank.c, bank.d)
    right, wrong = (high[0] - low[0])[items], (high[1] - low[1])[items]

    ratio = SequentialClassifier(bank, rule).log_ratio(items, responses)

    assert ratio == float(np.where(np.array(responses, dtype=bool), right, wrong).sum())


def _four_pl_bank(seed: int) -> ItemBank:
    rng = np.random.default_rng(seed)
    return ItemBank.from_parameters(
        item_ids=[f"i{n}" for n in range(BANK)],
        a=rng.lognormal(0.0, 0.4, BANK),
        b=rng.normal(0.0, 1.5, BANK),
        c=rng.uniform(0.0, 0.3, BANK),
        d=rng.uniform(0.9, 1.0, BANK),
    )


@settings(max_examples=200, deadline=None)
@given(
    data=st.lists(st.tuples(_items, st.booleans()), min_size=1, unique_by=lambda x: x[0]),
    theta=st.floats(-6, 6),
    bank_seed=st.integers(0, 3),
)
def test_the_bank_s_item_terms_give_the_mle_sums_to_the_last_bit(
    data: list[tuple[int, bool]], theta: float, bank_seed: int
) -> None:
    bank = _four_pl_bank(bank_seed)
    items, responses = tuple(i for i, _ in data), tuple(r for _, r in data)
    chosen = list(items)

    sums = ItemTerms(bank.a, bank.b, bank.c, bank.d).score_information_curvature(
        theta, items, responses
    )

    assert sums == score_information_curvature(
        theta, responses, a=bank.a[chosen], b=bank.b[chosen], c=bank.c[chosen], d=bank.d[chosen]
    )
    # And those are the log-likelihood's derivatives, item by item in closed form.
    score = fisher = observed = 0.0
    for item, right in data:
        a, b, c, d = (float(v[item]) for v in (bank.a, bank.b, bank.c, bank.d))
        logistic = 1.0 / (1.0 + math.exp(-a * (theta - b)))
        p, slope = c + (d - c) * logistic, a * (d - c) * logistic * (1.0 - logistic)
        q, bend = 1.0 - p, a * slope * (1.0 - 2.0 * logistic)
        score += slope / p if right else -slope / q
        fisher += slope * slope / (p * q)
        observed -= (bend / p - (slope / p) ** 2) if right else (-bend / q - (slope / q) ** 2)
    assert sums == pytest.approx((score, fisher, observed), rel=1e-6, abs=1e-9)
