"""A question's type-specific fields, in the exam body and as admins read them back.

Fields of another type than the question's are refused, not ignored: an author who
writes `correct_keys` on a `single` question meant something the service would not do.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from msgspec import Meta, Struct

from domain.errors import InvalidExamDefinition
from domain.questions import (
    AnswerKey,
    Essay,
    External,
    MultipleChoice,
    MultipleScoring,
    NumericAnswer,
    SingleChoice,
    TextAnswer,
)
from domain.questions.open_ended import MAX_EXTERNAL_BYTES

QuestionTypeName = Literal["single", "multiple", "numeric", "text", "essay", "external"]
MaxLength = Annotated[int, Meta(ge=1, le=100_000)]

# Which optional fields each type may carry (beside stem, points, id, and so on).
_FIELDS: dict[str, frozenset[str]] = {
    "single": frozenset({"options", "correct_key"}),
    "multiple": frozenset({"options", "correct_keys", "scoring"}),
    "numeric": frozenset({"numeric"}),
    "text": frozenset({"accepted", "pattern", "case_sensitive", "max_length"}),
    "essay": frozenset({"max_length"}),
    "external": frozenset({"max_length"}),
}
_TYPED = frozenset().union(*_FIELDS.values())


class NumericIn(Struct, frozen=True, forbid_unknown_fields=True):
    value: float
    tolerance: Annotated[float, Meta(ge=0)] = 0.0
    relative: bool = False


class NumericOut(Struct, frozen=True):
    value: float
    tolerance: float
    relative: bool


def answer_key(where: str, type_name: str, given: dict[str, Any]) -> AnswerKey:
    """The type's rules from the fields the author gave (those not None or empty)."""
    stray = sorted(name for name in _TYPED - _FIELDS[type_name] if given.get(name) is not None)
    if stray:
        raise InvalidExamDefinition(f"{where}: a {type_name} question has no {', '.join(stray)}")
    if type_name == "single":
        return SingleChoice(correct_key=_required(where, given, "correct_key"))
    if type_name == "multiple":
        scoring = MultipleScoring(given.get("scoring") or MultipleScoring.ALL_OR_NOTHING)
        keys = _required(where, given, "correct_keys")
        if len(set(keys)) != len(keys):
            raise InvalidExamDefinition(f"{where}: correct_keys lists a key twice")
        return MultipleChoice(correct_keys=frozenset(keys), scoring=scoring)
    if type_name == "numeric":
        numeric: NumericIn = _required(where, given, "numeric")
        return NumericAnswer(
            value=numeric.value, tolerance=numeric.tolerance, relative=numeric.relative
        )
    length = given.get("max_length")
    if type_name == "text":
        return TextAnswer(
            accepted=tuple(given.get("accepted") or ()),
            pattern=given.get("pattern"),
            case_sensitive=bool(given.get("case_sensitive")),
            **({} if length is None else {"max_length": length}),
        )
    if type_name == "essay":
        return Essay(**({} if length is None else {"max_length": length}))
    return External(max_length=MAX_EXTERNAL_BYTES if length is None else length)


def _required(where: str, given: dict[str, Any], name: str) -> Any:
    value = given.get(name)
    if value is None:
        raise InvalidExamDefinition(f"{where}: {name} is required")
    return value


def key_fields(key: AnswerKey, option_order: list[str]) -> dict[str, Any]:
    """The fields that give the answer away, for an admin's copy of the exam."""
    if isinstance(key, SingleChoice):
        return {"correct_key": key.correct_key}
    if isinstance(key, MultipleChoice):
        keys = [k for k in option_order if k in key.correct_keys]
        return {"correct_keys": keys, "scoring": key.scoring.value}
    if isinstance(key, NumericAnswer):
        numeric = NumericOut(value=key.value, tolerance=key.tolerance, relative=key.relative)
        return {"numeric": numeric}
    if isinstance(key, TextAnswer):
        fields: dict[str, Any] = {"case_sensitive": key.case_sensitive}
        if key.accepted:
            fields["accepted"] = list(key.accepted)
        if key.pattern is not None:
            fields["pattern"] = key.pattern
        return fields
    return {}


def max_length_of(key: AnswerKey) -> int | None:
    """The longest response a candidate may give, for the page's counter (not secret)."""
    return getattr(key, "max_length", None) if not isinstance(key, External) else None
