"""Exam definitions: the POST /exams body, and the exam as admins and candidates read it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType, structs

from application.ports import ExamSummary
from domain.adaptive_options import AbilityPrior
from domain.exam import AdaptiveRules, Exam, Question
from domain.questions import AnswerKey
from presentation.api.limits import InputLimits, Violation, too_long, too_many
from presentation.api.schemas.adaptive_options import (
    ContentTargets,
    EstimatorName,
    ExposureIn,
    ExposureOut,
    ModelName,
    exposure_out,
)
from presentation.api.schemas.adaptive_pretest_classification import (
    ClassificationIn,
    ClassificationOut,
    PretestIn,
    PretestOut,
    classification_out,
    pretest_out,
)
from presentation.api.schemas.fields import (
    DAY_SECONDS,
    WEEK_SECONDS,
    AwareDatetime,
    Identifier,
    NonEmptyText,
    Text,
)
from presentation.api.schemas.question_types import (
    MaxLength,
    NumericIn,
    NumericOut,
    QuestionTypeName,
    answer_key,
    key_fields,
    max_length_of,
)
from presentation.api.schemas.questions import OptionOut, options_out
from presentation.api.schemas.sections import SectionIn, SectionOut, sections_out

# --- requests -----------------------------------------------------------------------------


class OptionIn(Struct, frozen=True):
    key: Identifier
    text: Text


class IrtIn(Struct, frozen=True):
    # Far wider than any calibrated item bank, and narrow enough for float arithmetic.
    a: Annotated[float, Meta(gt=0, le=20)]
    b: Annotated[float, Meta(ge=-20, le=20)]
    c: Annotated[float, Meta(ge=0, lt=1)] = 0.0
    d: Annotated[float, Meta(gt=0, le=1)] = 1.0


class QuestionIn(Struct, frozen=True):
    stem: Text
    options: list[OptionIn] = []
    correct_key: Identifier | None = None
    id: Identifier | None = None
    points: Annotated[float, Meta(gt=0, le=1_000_000)] = 1.0
    content_area: Text | None = None
    irt: IrtIn | None = None
    type: QuestionTypeName = "single"
    correct_keys: list[Identifier] | None = None
    scoring: Literal["all_or_nothing", "partial"] | None = None
    numeric: NumericIn | None = None
    accepted: list[Text] | None = None
    pattern: Text | None = None
    case_sensitive: bool | None = None
    max_length: MaxLength | None = None

    def answer_key(self, where: str) -> AnswerKey:
        given = structs.asdict(self)
        given["options"] = None  # options are checked by the question itself
        return answer_key(where, self.type, given)

    def over_limits(self, where: str, limits: InputLimits) -> Iterator[Violation]:
        yield from too_long(f"{where}.stem", self.stem, limits.stem_length)
        yield from too_long(f"{where}.content_area", self.content_area, limits.title_length)
        yield from too_many(f"{where}.options", self.options, limits.options_per_question)
        for index, option in enumerate(self.options):
            key = f"{where}.options[{index}].text"
            yield from too_long(key, option.text, limits.option_text_length)
        yield from too_many(f"{where}.accepted", self.accepted or [], limits.options_per_question)
        for index, accepted in enumerate(self.accepted or []):
            yield from too_long(f"{where}.accepted[{index}]", accepted, limits.option_text_length)


EnemyGroup = Annotated[list[Identifier], Meta(min_length=2, max_length=10_000)]


class AdaptiveIn(Struct, frozen=True):
    max_items: Annotated[int, Meta(ge=1, le=10_000)]
    min_items: Annotated[int, Meta(ge=1, le=10_000)] = 1
    se_target: Annotated[float, Meta(gt=0, le=10)] = 0.3
    exposure_k: Annotated[int, Meta(ge=1, le=1_000)] = 1
    estimator: EstimatorName = "eap"
    model: ModelName = "3pl"
    content_targets: ContentTargets | None = None
    exposure: ExposureIn | None = None
    # Bounded here: the questions' own limit does not bound the groups.
    enemies: Annotated[list[EnemyGroup], Meta(max_length=10_000)] = []
    prior: Literal["standard", "candidate"] = "standard"
    pretest: PretestIn | None = None
    classification: ClassificationIn | None = None


class ExamIn(Struct, frozen=True):
    title: NonEmptyText
    duration_seconds: Annotated[float, Meta(gt=0, le=WEEK_SECONDS)]
    questions: Annotated[list[QuestionIn], Meta(min_length=1)]
    mode: Literal["fixed", "adaptive"] = "fixed"
    grace_seconds: Annotated[float, Meta(ge=0, le=DAY_SECONDS)] = 0.0
    opens_at: AwareDatetime | None = None
    closes_at: AwareDatetime | None = None
    max_attempts: Annotated[int, Meta(ge=1, le=1_000)] = 1
    adaptive: AdaptiveIn | None = None
    review: Literal["none", "score", "responses", "full"] = "score"
    shuffle_options: bool = False
    sections: list[SectionIn] | None = None

    def over_limits(self, limits: InputLimits) -> Iterator[Violation]:
        yield from too_long("title", self.title, limits.title_length)
        yield from too_many("questions", self.questions, limits.questions_per_exam)
        for index, question in enumerate(self.questions):
            yield from question.over_limits(f"questions[{index}]", limits)
        yield from too_many("sections", self.sections or [], limits.questions_per_exam)
        for index, section in enumerate(self.sections or []):
            yield from section.over_limits(f"sections[{index}]", limits)


# --- responses ----------------------------------------------------------------------------


class IrtOut(Struct, frozen=True):
    a: float
    b: float
    c: float
    d: float = 1.0


class QuestionOut(Struct, frozen=True, omit_defaults=True):
    id: str
    stem: str
    options: list[OptionOut]
    points: float = 1.0
    content_area: str | None = None
    correct_key: str | UnsetType = UNSET
    irt: IrtOut | UnsetType = UNSET
    type: str = "single"
    max_length: int | None = None
    # The answer of the other types, for admins only (see question_types.key_fields).
    correct_keys: list[str] | UnsetType = UNSET
    scoring: str | UnsetType = UNSET
    numeric: NumericOut | UnsetType = UNSET
    accepted: list[str] | UnsetType = UNSET
    pattern: str | UnsetType = UNSET
    case_sensitive: bool | UnsetType = UNSET


class AdaptiveOut(Struct, frozen=True):
    max_items: int
    min_items: int
    se_target: float
    exposure_k: int
    estimator: str = "eap"
    model: str = "3pl"
    content_targets: dict[str, float] | None = None
    exposure: ExposureOut | None = None
    enemies: list[list[str]] = []
    # Shown only when not the default "standard", so bodies of exams without it stay as they were.
    prior: str | UnsetType = UNSET
    # Left out unless set, so exams without them read as before.
    pretest: PretestOut | UnsetType = UNSET
    classification: ClassificationOut | UnsetType = UNSET


class ExamSummaryOut(Struct, frozen=True, kw_only=True):
    """An exam as listed: everything but its questions."""

    id: UUID
    title: str
    mode: str
    duration_seconds: float
    grace_seconds: float
    opens_at: datetime | None
    closes_at: datetime | None
    max_attempts: int
    question_count: int
    adaptive: AdaptiveOut | None = None


class ExamOut(ExamSummaryOut, frozen=True, kw_only=True):
    review: str = "score"
    shuffle_options: bool = False
    sections: list[SectionOut] | UnsetType = UNSET
    # Last, so a large exam's questions can be encoded one at a time (api/large_json.py).
    questions: list[QuestionOut]


def question_out(question: Question, *, with_keys: bool) -> QuestionOut:
    irt = question.irt
    key = question.answer_key
    answer = key_fields(key, list(question.options.keys)) if with_keys else {}
    return QuestionOut(
        id=question.id,
        stem=question.stem,
        options=options_out(question.options),
        points=question.points,
        content_area=question.content_area,
        irt=IrtOut(a=irt.a, b=irt.b, c=irt.c, d=irt.d) if with_keys and irt is not None else UNSET,
        type=key.type.value,
        max_length=max_length_of(key),
        **answer,
    )


def adaptive_out(adaptive: AdaptiveRules | None) -> AdaptiveOut | None:
    if adaptive is None:
        return None
    return AdaptiveOut(
        max_items=adaptive.max_items,
        min_items=adaptive.min_items,
        se_target=adaptive.se_target,
        exposure_k=adaptive.exposure_k,
        estimator=adaptive.estimator.value,
        model=adaptive.model.value,
        content_targets=None
        if adaptive.content_targets is None
        else dict(adaptive.content_targets),
        exposure=exposure_out(adaptive.exposure_k, adaptive.exposure),
        enemies=[list(group) for group in adaptive.enemies],
        prior=UNSET if adaptive.prior is AbilityPrior.STANDARD else adaptive.prior.value,
        pretest=pretest_out(adaptive.pretest) or UNSET,
        classification=classification_out(adaptive.classification) or UNSET,
    )


def exam_out(exam: Exam, *, with_keys: bool) -> ExamOut:
    return exam_out_with(exam, [question_out(q, with_keys=with_keys) for q in exam.questions])


def exam_summary_out(summary: ExamSummary) -> ExamSummaryOut:
    return _summary_out(summary, summary.question_count)


def _summary_out(exam: Exam | ExamSummary, question_count: int) -> ExamSummaryOut:
    return ExamSummaryOut(
        id=exam.id,
        title=exam.title,
        mode=exam.mode.value,
        duration_seconds=exam.duration.total_seconds(),
        grace_seconds=exam.grace.total_seconds(),
        opens_at=exam.opens_at,
        closes_at=exam.closes_at,
        max_attempts=exam.max_attempts,
        question_count=question_count,
        adaptive=adaptive_out(exam.adaptive),
    )


def exam_out_with(exam: Exam, questions: list[QuestionOut]) -> ExamOut:
    """`exam_out` for questions mapped already (a large exam's, with loop turns)."""
    return ExamOut(
        **structs.asdict(_summary_out(exam, len(exam.questions))),
        review=exam.review.value,
        shuffle_options=exam.shuffle_options,
        sections=sections_out(exam.sections),
        questions=questions,
    )
