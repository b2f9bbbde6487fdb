"""Recovery of known item parameters from seeded simulated responses."""

from __future__ import annotations

import numpy as np

from domain.calibration import CalibrationSettings, ItemModel, ResponseMatrix, calibrate
from tests.unit.domain.calibration.simulated import rmse, simulated_bank


def test_2pl_parameters_are_recovered_with_standard_errors_of_the_right_size() -> None:
    bank = simulated_bank(items=20, examinees=3000, seed=3)
    fit = calibrate(ResponseMatrix(bank.responses))
    assert fit.converged
    assert rmse(fit.a, bank.a) < 0.10
    assert rmse(fit.b, bank.b) < 0.10
    assert np.all(fit.c == 0.0)
    # The standard errors should describe the actual estimation error, not just exist.
    assert 0.5 < float(np.mean(fit.se_a)) / rmse(fit.a, bank.a) < 2.0
    assert 0.5 < float(np.mean(fit.se_b)) / rmse(fit.b, bank.b) < 2.0


def test_3pl_parameters_are_recovered_and_c_stays_inside_the_unit_interval() -> None:
    bank = simulated_bank(items=20, examinees=5000, seed=4, guessing=True)
    fit = calibrate(ResponseMatrix(bank.responses), CalibrationSettings(model=ItemModel.THREE_PL))
    assert rmse(fit.a, bank.a) < 0.20
    assert rmse(fit.b, bank.b) < 0.25
    assert rmse(fit.c, bank.c) < 0.08
    assert np.all((fit.c > 0.0) & (fit.c < 1.0))
    assert np.all(np.isfinite(fit.se_a))
    assert np.all(np.isfinite(fit.se_b))


def test_recovery_holds_with_thirty_percent_of_responses_missing() -> None:
    full = simulated_bank(items=20, examinees=3000, seed=6)
    sparse = simulated_bank(items=20, examinees=3000, seed=6, missing=0.3)
    assert np.isnan(sparse.responses).mean() > 0.25
    fit_full = calibrate(ResponseMatrix(full.responses))
    fit_sparse = calibrate(ResponseMatrix(sparse.responses))
    assert rmse(fit_sparse.a, sparse.a) < 0.12
    assert rmse(fit_sparse.b, sparse.b) < 0.12
    # Less data, wider errors: the SEs must say so.
    assert float(np.mean(fit_sparse.se_b)) > float(np.mean(fit_full.se_b))


def test_item_ids_follow_the_columns_into_the_records() -> None:
    bank = simulated_bank(items=4, examinees=800, seed=9)
    ids = ["q1", "q2", "q3", "q4"]
    fit = calibrate(ResponseMatrix(bank.responses, ids))
    records = fit.items()
    assert [record["id"] for record in records] == ids
    assert set(records[0]) == {"id", "a", "b", "c", "se_a", "se_b"}
    assert records[2]["b"] == float(fit.b[2])
