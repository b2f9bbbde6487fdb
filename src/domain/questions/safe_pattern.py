"""Author regexes that cannot stall the event loop: vetted when the exam is created.

Python's `re` backtracks, and no timeout can interrupt it (it holds the GIL), so the
patterns it may run are restricted instead (no maintained linear-time engine is among
our dependencies): no backreferences, lookarounds or conditionals; no repetition inside
a repetition and no alternation under one, the shapes of exponential backtracking; and
few enough variable repetitions that matching the longest answer the question allows
stays within a fixed budget of steps (k of them in a row cost up to n^k on n characters).
"""

from __future__ import annotations

import re

# The parser `re` itself compiles with (Python 3.11 moved it here from sre_parse).
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from domain.errors import InvalidExamDefinition

MAX_PATTERN_LENGTH = 1_000
# n ** k backtracking steps at most; about a millisecond of matching per 10^6.
STEP_BUDGET = 10**7

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
    variable = _vet(parsed, inside_repeat=False)
    if variable and max_length**variable > STEP_BUDGET:
        raise InvalidExamDefinition(
            f"pattern: {variable} variable repetitions are too many to match answers of "
            f"up to {max_length} characters in bounded time; lower max_length or simplify"
        )
    return compiled


def _vet(parsed: Any, *, inside_repeat: bool) -> int:
    """How many variable repetitions the pattern has; refuses the unsafe shapes."""
    count = 0
    for op, argument in parsed:
        name = str(op)
        if name in _REFUSED:
            raise InvalidExamDefinition(
                "pattern: backreferences, lookarounds and conditionals are not allowed"
            )
        if name in _REPEATS:
            low, high, body = argument
            if inside_repeat:
                raise InvalidExamDefinition("pattern: a repetition inside a repetition")
            count += int(high != low) + _vet(body, inside_repeat=True)
        elif name == "BRANCH":
            if inside_repeat:
                raise InvalidExamDefinition("pattern: an alternation inside a repetition")
            count += max(_vet(branch, inside_repeat=False) for branch in argument[1])
        elif name == "SUBPATTERN":
            count += _vet(argument[-1], inside_repeat=inside_repeat)
        elif name == "ATOMIC_GROUP":
            count += _vet(argument, inside_repeat=inside_repeat)
    return count
