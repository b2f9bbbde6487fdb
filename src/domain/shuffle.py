"""Options in a per-attempt order: the same order for the attempt on every read (resume,
reload, another server), a different one for the next attempt. Scoring is by key, so the
order never matters to the score."""

from __future__ import annotations

import random
from dataclasses import replace
from hashlib import sha256
from uuid import UUID

from domain.exam import Exam, Options, Question


def attempt_seed(attempt_id: UUID, question_id: str) -> int:
    # A hash, not Python's hash(): that one changes between processes.
    digest = sha256(f"{attempt_id}/{question_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def shuffled(question: Question, attempt_id: UUID) -> Question:
    """The question with its options in this attempt's order."""
    if len(question.options) < 2:
        return question
    # The same permutation as shuffling the options themselves, without an Option each.
    order = list(range(len(question.options)))
    random.Random(attempt_seed(attempt_id, question.id)).shuffle(order)
    keys, texts = question.options.keys, question.options.texts
    options = Options.of((keys[i] for i in order), (texts[i] for i in order))
    return replace(question, options=options)


def as_attempt_sees(exam: Exam, attempt_id: UUID, question: Question) -> Question:
    """`question` as the attempt's candidate sees it: shuffled when the exam says so."""
    return question if same_options_for_every_attempt(exam) else shuffled(question, attempt_id)


def same_options_for_every_attempt(exam: Exam) -> bool:
    """Whether every attempt sees each question's options in the exam's own order."""
    return not exam.shuffle_options


def attempt_form(exam: Exam, attempt_id: UUID) -> tuple[Question, ...]:
    """Every question of the exam as the attempt's candidate sees it."""
    return tuple(as_attempt_sees(exam, attempt_id, question) for question in exam.questions)
