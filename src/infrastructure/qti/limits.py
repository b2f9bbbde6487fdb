"""How much of an upload the QTI reader will unpack: the bounds against zip bombs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageLimits:
    """Bounds checked before anything is decompressed, and again while reading."""

    max_package_bytes: int = 20 * 1024 * 1024
    max_entries: int = 2_000
    max_total_bytes: int = 100 * 1024 * 1024
    max_entry_bytes: int = 10 * 1024 * 1024
    # XML compresses 5-20x; far beyond that is a bomb. Tiny entries are exempt because
    # a few hundred bytes of whitespace may legitimately shrink to almost nothing.
    max_ratio: int = 100
    ratio_exempt_bytes: int = 64 * 1024

    def __post_init__(self) -> None:
        bounds = (
            self.max_package_bytes,
            self.max_entries,
            self.max_total_bytes,
            self.max_entry_bytes,
            self.max_ratio,
        )
        if min(bounds) <= 0 or self.ratio_exempt_bytes < 0:
            raise ValueError("package limits must be positive")
