"""QTI 3.0 / 2.1 content packages read into exam bodies (the import adapter)."""

from infrastructure.qti.limits import PackageLimits
from infrastructure.qti.reader import QtiPackageReader

__all__ = ["PackageLimits", "QtiPackageReader"]
