"""`hourglass simulate`: how well an adaptive test measures, on simulated examinees."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import numpy as np

from adaptive_simulation import generate_bank
from adaptive_simulation.metrics import SimulationMetrics, item_exposure, summarize
from adaptive_simulation.simulation import SimulationResult, draw_examinees, simulate
from domain.adaptive import AdaptiveEngine, EngineSettings


def run_simulation(
    engine: AdaptiveEngine, *, examinees: int, seed: int
) -> tuple[SimulationResult, SimulationMetrics]:
    """Simulate `examinees` (theta ~ N(0, 1)) with a progress bar on stderr."""
    drawn = draw_examinees(examinees, engine.bank.size, seed)
    with click.progressbar(length=examinees, label="simulating", file=sys.stderr) as bar:
        result = simulate(engine, drawn, on_examinee=lambda _: bar.update(1))
    return result, summarize(result)


def generated_engine(
    *,
    items: int,
    seed: int,
    max_items: int,
    min_items: int,
    se_target: float | None,
    exposure_k: int,
) -> AdaptiveEngine:
    settings = EngineSettings(
        max_items=max_items,
        min_items=min_items,
        se_target=se_target,
        exposure_k=exposure_k,
        seed=seed,
    )
    return AdaptiveEngine(generate_bank(items, seed), settings)


def report(metrics: SimulationMetrics, result: SimulationResult) -> str:
    lines = [
        "| measure | value |",
        "|---|---|",
        f"| examinees | {len(result.true_theta)} |",
        f"| RMSE | {metrics.rmse:.3f} |",
        f"| bias | {metrics.bias:+.3f} |",
        f"| mean test length | {metrics.mean_length:.1f} |",
        f"| max item exposure | {metrics.max_exposure:.3f} |",
        f"| mean item exposure | {metrics.mean_exposure:.3f} |",
        "",
        "| theta band | examinees | conditional RMSE |",
        "|---|---|---|",
    ]
    lines += [
        f"| [{band.lower:+.0f}, {band.upper:+.0f}) | {band.count} | "
        + ("—" if band.count == 0 else f"{band.rmse:.3f}")
        + " |"
        for band in metrics.rmse_by_band
    ]
    return "\n".join(lines)


def plot(result: SimulationResult, metrics: SimulationMetrics, path: Path) -> None:
    """Estimate against true theta, RMSE by test length, and the item exposure histogram."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display on servers
    import matplotlib.pyplot as plt

    figure, (scatter, by_length, exposure) = plt.subplots(1, 3, figsize=(15, 4.5))
    scatter.scatter(result.true_theta, result.estimate, s=6, alpha=0.5)
    scatter.plot([-3, 3], [-3, 3], color="black", linewidth=0.8)
    scatter.set(xlabel="true theta", ylabel="estimate", title=f"RMSE {metrics.rmse:.3f}")
    lengths = np.arange(1, len(metrics.rmse_by_length) + 1)
    by_length.plot(lengths, metrics.rmse_by_length)
    by_length.set(xlabel="items administered", ylabel="RMSE", title="RMSE by test length")
    exposure.hist(item_exposure(result), bins=40)
    exposure.set(xlabel="exposure rate", ylabel="items", title="item exposure")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
