"""Targets the product owner set, checked against the rows, and the markdown report."""

from collections.abc import Sequence
from dataclasses import dataclass

from adaptive_simulation import RatioInterval, paired_rmse_ratio
from bench.adaptive.core import BenchConfig, Row, designs

COLUMNS = ("bank", "test", "engine", "examinees", "RMSE", "bias", "mean length",
           "max exposure", "ms/step (median)", "ms/step (mean)")  # fmt: skip
EXPOSURE_COLUMNS = (*COLUMNS, "RMSE vs off (95 % interval)")


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """One promise and whether the measurement kept it."""

    claim: str
    measured: str
    interval: str
    met: bool


def _cells(row: Row) -> list[str]:
    return [
        str(row.bank), row.test, row.engine, str(row.examinees), f"{row.rmse:.3f}",
        f"{row.bias:+.3f}", f"{row.mean_length:.1f}", f"{row.max_exposure:.3f}",
        f"{row.median_ms:.4f}", f"{row.mean_ms:.4f}",
    ]  # fmt: skip


def _table(header: Sequence[str], lines: Sequence[Sequence[str]]) -> str:
    rows = [header, ["---"] * len(header), *lines]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in rows)


def _find(rows: Sequence[Row], bank: int, test: str, prefix: str) -> Row | None:
    return next(
        (r for r in rows if r.bank == bank and r.test == test and r.engine.startswith(prefix)),
        None,
    )


def _off(side: Sequence[Row], exposure: Sequence[Row], row: Row) -> Row | None:
    """The same engine without exposure control: catsim from the side-by-side run."""
    if row.engine.startswith("catsim"):
        return _find(side, row.bank, row.test, "catsim (MLE")
    return _find(exposure, row.bank, row.test, "hourglass, exposure off")


def _versus(row: Row, reference: Row) -> RatioInterval:
    """Paired RMSE ratio; a run on fewer examinees met the first ones of the reference."""
    return paired_rmse_ratio(row.errors, reference.errors[: row.examinees])


def _span(interval: RatioInterval) -> str:
    return f"{interval.lower - 1:+.1%} to {interval.upper - 1:+.1%}"


def targets(config: BenchConfig, side: Sequence[Row], exposure: Sequence[Row]) -> list[Target]:
    """Each target of the brief, per bank and design."""
    found = []
    fixed, variable = designs(config)
    for bank in config.bank_sizes:
        for test, factor, wording in ((fixed, 0.9, "≥10 % lower"), (variable, 1.0, "no worse")):
            ours, theirs = _find(side, bank, test, "hourglass"), _find(side, bank, test, "catsim")
            if ours and theirs:
                ratio = _versus(ours, theirs)
                found.append(Target(
                    claim=f"RMSE {wording} than catsim, {test}, bank {bank}",
                    measured=f"{ours.rmse:.3f} vs {theirs.rmse:.3f} ({ratio.change:+.1%})",
                    interval=_span(ratio),
                    met=ours.rmse <= factor * theirs.rmse,
                ))  # fmt: skip
    largest = max(config.bank_sizes)
    step = max(
        r.median_ms for r in (*side, *exposure) if r.bank == largest and "hourglass" in r.engine
    )
    found.append(Target(
        claim=f"step < 0.05 ms on the {largest} bank (median step, slowest of our rows)",
        measured=f"{step:.4f} ms", interval="", met=step < 0.05,
    ))  # fmt: skip
    for row in exposure:
        off = _off(side, exposure, row)
        if "Sympson" in row.engine and off:
            ratio = _versus(row, off)
            found.append(Target(
                claim=f"exposure ≤ {config.r_max:.2f} with RMSE rise < 5 %, {row.test}",
                measured=f"max exposure {row.max_exposure:.3f}, RMSE {ratio.change:+.1%}",
                interval=_span(ratio),
                met=row.max_exposure <= config.r_max and ratio.change < 0.05,
            ))  # fmt: skip
    return found


def render(
    config: BenchConfig, side: Sequence[Row], exposure: Sequence[Row], preamble: Sequence[str]
) -> str:
    """The whole report as markdown."""
    exposure_lines = []
    for row in exposure:
        off = _off(side, exposure, row)
        change = ""
        if off is not None and off is not row:
            ratio = _versus(row, off)
            change = f"{ratio.change:+.1%} ({_span(ratio)})"
        exposure_lines.append([*_cells(row), change])
    checks = targets(config, side, exposure)
    return "\n".join([
        "# Adaptive engine benchmark", "", *preamble, "",
        "## Recovery and speed, same examinees and responses", "",
        _table(COLUMNS, [_cells(r) for r in side]), "",
        f"## Exposure control on the {max(config.bank_sizes)}-item bank", "",
        _table(EXPOSURE_COLUMNS, exposure_lines), "",
        "## Targets", "",
        _table(("target", "measured", "95 % interval of the change", "met"),
               [[t.claim, t.measured, t.interval, "yes" if t.met else "**no**"]
                for t in checks]),
        "",
    ])  # fmt: skip
