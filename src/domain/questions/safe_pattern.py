"""Author regexes that cannot stall the event loop: vetted when the exam is created.

Python's `re` backtracks, and no timeout can interrupt it (it holds the GIL), so the
patterns it may run are restricted instead (no maintained linear-time engine is among
our dependencies): no backreferences, lookarounds or conditionals; no repetition inside
a repetition and no alternation under one, the shapes of exponential backtracking; and
few enough variable repetitions that matching the longest answer the question allows
stays within a fixed budget of steps (k of them in a row cost up to n^k on n characters,
and k optional parts 2^k).
"""

from __future__ import annotations

import re

# The parser `re` itself compiles with (Python 3.11 moved it here from sre_parse).
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from domain.errors import InvalidExamDefinition

MAX_PATTERN_LENGTH = 1_000
# Backtracking steps per character of the answer, at most: 10^6 is a few milliseconds.
STEP_BUDGET = 10**6

_REFUSED = {"GROUPREF", "GROUPREF_EXISTS", "ASSERT", "ASSERT_NOT"}
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


def compile_pattern(pattern: str, *, case_sensitive: bool, max_length: int) -> re.Pattern[str]:
    """The compiled pattern, or InvalidExamDefinition saying why it is refused."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise InvalidExamDefinition(f"pattern: at most {MAX_PATTERN_LENGTH} characters")
    flags = 0 if case_sensitive else re.IGNORECASE
    try:
        parsed = sre_parse.parse(pattern, flags)
        compiled = re.compile(pattern, flags)
    except (re.error, RecursionError, OverflowError) as error:
        raise InvalidExamDefinition(f"pattern is not a valid regex: {error}") from None
    if _cost(parsed, max_length, inside_repeat=False) > STEP_BUDGET:
        raise InvalidExamDefinition(
            f"pattern: too many variable repetitions to match answers of up to {max_length} "
            "characters in bounded time; lower max_length or simplify the pattern"
        )
    return compiled


def _cost(parsed: Any, n: int, *, inside_repeat: bool) -> int:
    """A bound on backtracking steps per character over answers of `n` characters: each
    variable repetition multiplies it by how many counts it can try. Refuses the
    unsafe shapes (a repetition that can run many times with a choice inside it)."""
    cost = 1
    for op, argument in parsed:
        name = str(op)
        if name in _REFUSED:
            raise InvalidExamDefinition(
                "pattern: backreferences, lookarounds and conditionals are not allowed"
            )
        if name in _REPEATS:
            low, high, body = argument
            many = high > 1
            if inside_repeat and high != low:
                raise InvalidExamDefinition("pattern: a repetition inside a repetition")
            cost *= (min(high, n) - min(low, n) + 1) * _cost(body, n, inside_repeat=many)
        elif name == "BRANCH":
            if inside_repeat:
                raise InvalidExamDefinition("pattern: an alternation inside a repetition")
            branches = argument[1]
            cost *= len(branches) * max(_cost(b, n, inside_repeat=False) for b in branches)
        elif name == "SUBPATTERN":
            cost *= _cost(argument[-1], n, inside_repeat=inside_repeat)
        elif name == "ATOMIC_GROUP":
            cost *= _cost(argument, n, inside_repeat=inside_repeat)
        if cost > STEP_BUDGET:
            return cost
    return cost
