"""An adaptive exam's engine options: checked against its items, and wired into its engine."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta

import pytest

from domain.adaptive.exam_engine import engine_for
from domain.adaptive_options import Estimator, ExposureMethod, ExposureRule, IrtModel
from domain.errors import InvalidExamDefinition
from domain.exam import AdaptiveRules, Exam, ExamMode, IrtParameters, Option, Question


def _question(n: int, *, d: float = 1.0) -> Question:
    return Question(
        id=f"q{n}",
        stem=f"Item {n}",
        options=(Option(key="A", text="a"), Option(key="B", text="b")),
        correct_key="A",
        content_area="algebra" if n % 4 else "geometry",
        irt=IrtParameters(a=1.0 + n % 3 / 4, b=-2 + n / 10, c=0.1, d=d),
    )


def _exam(rules: AdaptiveRules, *, d: float = 1.0, size: int = 40) -> Exam:
    return Exam(
        id=uuid.UUID(int=7),
        title="Adaptive",
        mode=ExamMode.ADAPTIVE,
        duration=timedelta(hours=1),
        questions=tuple(_question(n, d=d) for n in range(size)),
        adaptive=rules,
    )


def test_every_option_reaches_the_engine() -> None:
    rules = AdaptiveRules(
        max_items=10,
        estimator=Estimator.MLE,
        model=IrtModel.FOUR_PL,
        content_targets={"algebra": 0.5, "geometry": 0.5},
        exposure=ExposureRule(
            method=ExposureMethod.SYMPSON_HETTER, k=2, r_max=0.2, parameters={"q3": 0.25}
        ),
    )
    engine = engine_for(_exam(rules, d=0.95))
    settings = engine.settings
    assert settings.estimator == "mle"
    assert settings.exposure_k == 2
    assert dict(settings.content_targets or {}) == {"algebra": 0.5, "geometry": 0.5}
    assert settings.sympson_hetter is not None
    assert settings.sympson_hetter[3] == 0.25
    assert settings.sympson_hetter.count(1.0) == 39  # items without a parameter: never held back
    assert engine.bank.d.tolist() == [0.95] * 40


def test_content_targets_hold_the_shares_of_a_test() -> None:
    rules = AdaptiveRules(
        max_items=8, se_target=0.01, content_targets={"geometry": 0.5, "algebra": 0.5}
    )
    engine = engine_for(_exam(rules))
    state = engine.start(attempt_seed=5)
    while (item := engine.next_item(state)) is not None:
        state = engine.record(state, item, correct=item % 2 == 0)
    areas = Counter(engine.bank.content_areas[i] for i in state.administered)  # type: ignore[index]
    assert areas == {"algebra": 4, "geometry": 4}


def test_the_default_options_keep_the_engine_as_it_was() -> None:
    settings = engine_for(_exam(AdaptiveRules(max_items=5, exposure_k=3))).settings
    assert (settings.estimator, settings.exposure_k) == ("eap", 3)
    assert settings.content_targets is None
    assert settings.sympson_hetter is None


@pytest.mark.parametrize(
    ("rules", "d"),
    [
        (AdaptiveRules(max_items=5), 0.9),  # a 4PL item in a 3PL exam
        (AdaptiveRules(max_items=5, content_targets={"history": 1.0}), 1.0),
        (
            AdaptiveRules(
                max_items=5,
                exposure=ExposureRule(
                    method=ExposureMethod.SYMPSON_HETTER, r_max=0.2, parameters={"nope": 0.5}
                ),
            ),
            1.0,
        ),
    ],
)
def test_options_that_do_not_fit_the_items_are_refused(rules: AdaptiveRules, d: float) -> None:
    with pytest.raises(InvalidExamDefinition):
        _exam(rules, d=d)


@pytest.mark.parametrize(
    "make",
    [
        lambda: AdaptiveRules(max_items=5, content_targets={"a": 0.5, "b": 0.4}),
        lambda: AdaptiveRules(max_items=5, content_targets={"a": 1.0, "b": 0.0}),
        lambda: ExposureRule(method=ExposureMethod.SYMPSON_HETTER, r_max=0.2),
        lambda: ExposureRule(method=ExposureMethod.SYMPSON_HETTER, parameters={"q1": 0.5}),
        lambda: ExposureRule(
            method=ExposureMethod.SYMPSON_HETTER, r_max=0.2, parameters={"q1": 1.5}
        ),
        lambda: ExposureRule(method=ExposureMethod.RANDOMESQUE, parameters={"q1": 0.5}),
        lambda: ExposureRule(method=ExposureMethod.RANDOMESQUE, k=0),
        lambda: IrtParameters(a=1, b=0, c=0.3, d=0.3),
        lambda: IrtParameters(a=1, b=0, d=1.2),
    ],
)
def test_malformed_options_are_refused(make: object) -> None:
    with pytest.raises(InvalidExamDefinition):
        make()  # type: ignore[operator]


def test_a_test_never_gives_two_enemies() -> None:
    # Items 18-21 sit at b = -0.2..0.1, the most informative for most examinees.
    groups = (("q18", "q19", "q20"), ("q21", "q17"))
    engine = engine_for(_exam(AdaptiveRules(max_items=12, se_target=0.01, enemies=groups)))
    indices = [{engine.bank.index_of(i) for i in group} for group in groups]
    given_any = Counter[int]()
    for seed in range(60):
        state = engine.start(attempt_seed=seed)
        while (item := engine.next_item(state)) is not None:
            state = engine.record(state, item, correct=(item + seed) % 3 != 0)
        for group in indices:
            assert len(group & set(state.administered)) <= 1
            given_any.update(group & set(state.administered))
    assert sum(given_any.values()) >= 60  # the groups were wanted, not merely avoided


def test_enemies_shrink_the_bank_a_test_can_exhaust() -> None:
    groups = (("q0", "q1", "q2"),)
    rules = AdaptiveRules(max_items=3, se_target=0.01, enemies=groups)
    engine = engine_for(_exam(rules, size=3))
    state = engine.start()
    state = engine.record(state, engine.next_item(state) or 0, correct=True)
    assert engine.next_item(state) is None
    assert state.stop_reason is not None
    assert state.stop_reason.value == "bank_exhausted"


@pytest.mark.parametrize("groups", [(("q1",),), (("q1", "q1"),), (("q1", "nope"),)])
def test_malformed_enemy_groups_are_refused(groups: tuple[tuple[str, ...], ...]) -> None:
    with pytest.raises(InvalidExamDefinition):
        _exam(AdaptiveRules(max_items=5, enemies=groups))
