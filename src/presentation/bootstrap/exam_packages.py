"""The exam package reader (QTI) as the API and the command line both use it."""

from __future__ import annotations

from application.ports.exam_packages import ExamPackageReader
from infrastructure.qti import PackageLimits, QtiPackageReader

# POST /exams/import refuses a larger body before reading it (presentation.api.exam_import).
MAX_PACKAGE_BYTES = 20 * 1024 * 1024


def exam_package_reader() -> ExamPackageReader:
    return QtiPackageReader(PackageLimits(max_package_bytes=MAX_PACKAGE_BYTES))
