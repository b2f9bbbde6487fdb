"""Item calibration: item parameters fitted to a matrix of 0/1 responses by marginal
maximum likelihood (Bock–Aitkin EM over a quadrature grid). Pure numpy, no I/O."""

from domain.calibration.calibrator import calibrate
from domain.calibration.errors import CalibrationError, DegenerateItemError
from domain.calibration.response_matrix import ResponseMatrix
from domain.calibration.result import Calibration
from domain.calibration.settings import CalibrationSettings, ItemModel, ItemPriors

__all__ = [
    "Calibration",
    "CalibrationError",
    "CalibrationSettings",
    "DegenerateItemError",
    "ItemModel",
    "ItemPriors",
    "ResponseMatrix",
    "calibrate",
]
