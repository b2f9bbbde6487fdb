"""The bridge from an adaptive `Exam` to the IRT engine, and the seeds that make it replayable.

The rest of the adaptive package knows nothing of exams; this module maps an exam's
questions to an item bank and its settings to engine settings. Seeds come from ids, so
every process builds the same engine for an exam and draws the same numbers for an
attempt: a state rebuilt by replaying the responses picks the same next item.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from uuid import UUID

from domain.adaptive.classification import SprtRule
from domain.adaptive.engine import AdaptiveEngine
from domain.adaptive.item_bank import ItemBank
from domain.adaptive.pretest import PretestPlan
from domain.adaptive.settings import EngineSettings
from domain.adaptive.state import AdaptiveState
from domain.adaptive_options import Estimator
from domain.errors import WrongExamMode
from domain.exam import Exam, ExamMode, IrtParameters, Question
from domain.responses import Response
from domain.result import AbilityEstimate


def _seed(identity: UUID, *, bits: int) -> int:
    """A well-mixed seed from an id (uuid4 ids have fixed version bits)."""
    digest = hashlib.blake2b(identity.bytes, digest_size=8).digest()
    return int.from_bytes(digest, "little") >> (64 - bits)


def exam_seed(exam_id: UUID) -> int:
    """The exam's seed for exposure control: a non-negative 63-bit integer."""
    return _seed(exam_id, bits=63)


def attempt_seed(attempt_id: UUID) -> int:
    """The attempt's seed: an unsigned 64-bit integer."""
    return _seed(attempt_id, bits=64)


def engine_for(exam: Exam) -> AdaptiveEngine:
    """The engine of an adaptive exam: its questions as the bank, its rules as settings."""
    if exam.mode is not ExamMode.ADAPTIVE or exam.adaptive is None:
        raise WrongExamMode("only an adaptive exam has an adaptive engine")
    irt = [_irt(question) for question in exam.questions]
    areas = [question.content_area for question in exam.questions]
    item_ids = [question.id for question in exam.questions]
    bank = ItemBank.from_parameters(
        item_ids=item_ids,
        a=[p.a for p in irt],
        b=[p.b for p in irt],
        c=[p.c for p in irt],
        d=[p.d for p in irt],
        content_areas=None if all(a is None for a in areas) else [a or "" for a in areas],
    )
    rules = exam.adaptive
    exposure = rules.exposure
    settings = EngineSettings(
        max_items=rules.max_items,
        min_items=rules.min_items,
        se_target=rules.se_target,
        exposure_k=rules.exposure_k if exposure is None else exposure.k,
        estimator="mle" if rules.estimator is Estimator.MLE else "eap",
        content_targets=rules.content_targets,
        sympson_hetter=None if exposure is None else exposure.parameters_for(item_ids),
        seed=exam_seed(exam.id),
        enemies=tuple(tuple(map(bank.index_of, group)) for group in rules.enemies),
        pretest=_pretest_plan(exam, bank),
        classification=_sprt_rule(exam),
    )
    return AdaptiveEngine(bank, settings)


def _pretest_plan(exam: Exam, bank: ItemBank) -> PretestPlan:
    pretest = None if exam.adaptive is None else exam.adaptive.pretest
    if pretest is None:
        return PretestPlan()
    return PretestPlan(items=tuple(map(bank.index_of, pretest.item_ids)), count=pretest.count)


def _sprt_rule(exam: Exam) -> SprtRule | None:
    rule = None if exam.adaptive is None else exam.adaptive.classification
    if rule is None:
        return None
    return rule.sprt()


def replay_responses(
    engine: AdaptiveEngine, attempt_id: UUID, responses: Iterable[Response]
) -> AdaptiveState:
    """The engine state after an attempt's responses, in the order they were given."""
    history = ((response.item_id, response.correct) for response in responses)
    return engine.replay(history, attempt_seed(attempt_id))


def ability_of(state: AdaptiveState, engine: AdaptiveEngine | None = None) -> AbilityEstimate:
    """Theta, se, stop reason and, given the engine of a classification test, its decision."""
    reason = state.stop_reason
    decision = None if engine is None else engine.classification(state)
    return AbilityEstimate(
        theta=state.theta,
        se=state.se,
        stop_reason=None if reason is None else reason.value,
        classification=None if decision is None else decision.value,
    )


def _irt(question: Question) -> IrtParameters:
    if question.irt is None:  # Exam checks this for adaptive exams
        raise WrongExamMode(f"question {question.id!r} has no IRT parameters")
    return question.irt
