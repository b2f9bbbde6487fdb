"""Options shuffled per attempt: a permutation, the same on every read of the attempt,
different between attempts, and never the score's concern (scoring is by key)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

from hypothesis import given
from hypothesis import strategies as st

from domain.exam import Exam, ExamMode, Option, Question
from domain.shuffle import as_attempt_sees, attempt_form, attempt_seed, shuffled

KEYS = "ABCDEFGH"


def _question(question_id: str = "q1", keys: str = KEYS) -> Question:
    options = tuple(Option(key=key, text=f"answer {key}") for key in keys)
    return Question(id=question_id, stem="?", options=options, correct_key=keys[2])


def _exam(*, shuffle_options: bool) -> Exam:
    return Exam(
        id=uuid4(),
        title="Shuffled",
        mode=ExamMode.FIXED,
        duration=timedelta(minutes=10),
        questions=(_question("q1"), _question("q2")),
        shuffle_options=shuffle_options,
    )


def _keys(question: Question) -> str:
    return "".join(option.key for option in question.options)


@given(st.uuids(), st.text(min_size=1, max_size=20))
def test_a_shuffle_is_a_permutation_stable_for_the_attempt(attempt: UUID, question_id: str) -> None:
    question = _question(question_id)
    once = shuffled(question, attempt)
    assert sorted(_keys(once)) == list(KEYS)
    assert shuffled(question, attempt) == once
    # Only the order changes: the key, stem and points are the author's.
    assert (once.id, once.correct_key, once.points) == (question.id, "C", question.points)
    assert {(o.key, o.text) for o in once.options} == {(o.key, o.text) for o in question.options}


def test_the_seed_does_not_depend_on_the_process() -> None:
    # A fixed value: Python's hash() of a str changes between processes, this must not.
    attempt = UUID("12345678-1234-5678-1234-567812345678")
    assert attempt_seed(attempt, "q1") == attempt_seed(attempt, "q1")
    assert _keys(shuffled(_question(), attempt)) == _keys(shuffled(_question(), UUID(str(attempt))))


def test_attempts_and_questions_get_different_orders() -> None:
    orders = {_keys(shuffled(_question(), uuid4())) for _ in range(50)}
    assert len(orders) > 40  # 8! = 40,320 orders
    attempt = uuid4()
    per_question = {_keys(shuffled(_question(f"q{n}"), attempt)) for n in range(20)}
    assert len(per_question) > 15


def test_only_an_exam_that_shuffles_reorders() -> None:
    attempt = uuid4()
    plain = _exam(shuffle_options=False)
    assert attempt_form(plain, attempt) == plain.questions
    mixed = _exam(shuffle_options=True)
    form = attempt_form(mixed, attempt)
    assert [_keys(q) for q in form] == [_keys(shuffled(q, attempt)) for q in mixed.questions]
    assert as_attempt_sees(mixed, attempt, mixed.questions[1]) == form[1]


def test_a_shuffled_form_scores_by_key() -> None:
    exam = _exam(shuffle_options=True)
    attempt = uuid4()
    form = attempt_form(exam, attempt)
    # The first option shown is answered everywhere: right only where it is the key.
    answers = {q.id: q.options[0].key for q in form}
    expected = sum(1 for q in form if q.options[0].key == "C")
    assert exam.score(answers).correct == expected
    assert exam.score({"q1": "C", "q2": "C"}).score == 2
