"""Responses from which no item parameters follow are refused with a reason per item."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from domain.calibration import (
    CalibrationError,
    CalibrationSettings,
    DegenerateItemError,
    ItemModel,
    ResponseMatrix,
    calibrate,
)

_NAN = float("nan")


def test_items_everyone_got_right_or_wrong_or_nobody_saw_are_named() -> None:
    responses = np.array([[1, 0, _NAN, 1], [1, 0, _NAN, 0], [1, 0, _NAN, 1]], dtype=np.float64)
    with pytest.raises(DegenerateItemError) as raised:
        ResponseMatrix(responses, ["easy", "hard", "unused", "fine"])
    message = raised.value.message
    assert "easy: every response is correct" in message
    assert "hard: every response is wrong" in message
    assert "unused has no responses" in message
    assert "fine" not in message


@pytest.mark.parametrize(
    ("responses", "ids", "reason"),
    [
        ([[0.0, 2.0], [1.0, 0.0]], None, "every response must be 0, 1 or missing"),
        ([[0.0, 1.0], [1.0, 0.0]], ["only one"], "1 item ids for 2 item columns"),
        ([[]], None, "non-empty examinee-by-item matrix"),
        ([0.0, 1.0], None, "non-empty examinee-by-item matrix"),
    ],
)
def test_malformed_matrices_are_refused(
    responses: list[list[float]] | list[float], ids: list[str] | None, reason: str
) -> None:
    with pytest.raises(CalibrationError, match=reason):
        ResponseMatrix(responses, ids)


@pytest.mark.parametrize(
    "change",
    [{"max_iterations": 0}, {"tolerance": 0.0}, {"quadrature_points": 3}],
)
def test_settings_that_cannot_run_are_refused(change: dict[str, float]) -> None:
    with pytest.raises(CalibrationError):
        CalibrationSettings(**change)  # type: ignore[arg-type]


@settings(max_examples=25, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(6, 30), st.integers(2, 5)),
        elements=st.sampled_from([0.0, 1.0, _NAN]),
    )
)
def test_any_calibratable_small_matrix_gives_finite_parameters_and_c_in_the_unit_interval(
    responses: np.ndarray,
) -> None:
    # Every column gets one right and one wrong answer, so no item is degenerate.
    responses[0, :] = 1.0
    responses[1, :] = 0.0
    fit = calibrate(
        ResponseMatrix(responses),
        CalibrationSettings(model=ItemModel.THREE_PL, max_iterations=200),
    )
    assert np.all(np.isfinite(fit.a))
    assert np.all(fit.a > 0)
    assert np.all(np.isfinite(fit.b))
    assert np.all((fit.c > 0.0) & (fit.c < 1.0))
    assert np.isfinite(fit.log_likelihood)
