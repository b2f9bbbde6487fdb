"""The benchmark proper: configurations, rows, targets and the markdown report."""

from dataclasses import dataclass, replace

from bench.adaptive.runs import TimedRun, run_ours
from domain.adaptive import (
    AdaptiveEngine,
    AdaptiveSettings,
    calibrate_sympson_hetter,
    draw_examinees,
    generate_bank,
    summarize,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchConfig:
    """Sizes of one benchmark run; the defaults are the published run."""

    bank_sizes: tuple[int, ...] = (500, 5000)
    catsim_examinees: int = 300
    exposure_examinees: int = 2000
    calibration_rounds: int = 10
    fixed_length: int = 20
    se_target: float = 0.3
    se_max_items: int = 40
    r_max: float = 0.2
    # Sympson-Hetter is calibrated a little below r_max: exposure measured on fresh
    # examinees scatters around the calibrated value.
    calibration_target: float = 0.17
    exposure_k: int = 1
    include_catsim: bool = True
    seed: int = 2024


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One engine on one bank and test design."""

    bank: int
    test: str
    engine: str
    examinees: int
    rmse: float
    bias: float
    mean_length: float
    max_exposure: float
    ms_per_step: float


def _row(bank: int, test: str, engine: str, run: TimedRun) -> Row:
    metrics = summarize(run.result)
    return Row(
        bank=bank,
        test=test,
        engine=engine,
        examinees=int(run.result.true_theta.size),
        rmse=metrics.rmse,
        bias=metrics.bias,
        mean_length=metrics.mean_length,
        max_exposure=metrics.max_exposure,
        ms_per_step=run.ms_per_step,
    )


def designs(config: BenchConfig) -> dict[str, AdaptiveSettings]:
    """The two test designs, keyed by the label used in the tables."""
    return {
        f"fixed {config.fixed_length}": AdaptiveSettings(max_items=config.fixed_length),
        f"SE<{config.se_target} (max {config.se_max_items})": AdaptiveSettings(
            max_items=config.se_max_items, se_target=config.se_target
        ),
    }


def side_by_side(config: BenchConfig) -> list[Row]:
    """catsim and our engine on every bank and design, same examinees, no exposure control."""
    rows = []
    for size in config.bank_sizes:
        bank = generate_bank(size, seed=config.seed + size)
        examinees = draw_examinees(config.catsim_examinees, size, seed=config.seed + 1)
        engine = AdaptiveEngine(bank, AdaptiveSettings())
        for label, settings in designs(config).items():
            if config.include_catsim:
                # Imported only when wanted: catsim lives in the optional bench group.
                from bench.adaptive.catsim_runs import run_catsim

                run = run_catsim(
                    bank, examinees, max_items=settings.max_items, se_target=settings.se_target
                )
                rows.append(_row(size, label, "catsim (MLE, max info)", run))
            ours = run_ours(engine.with_settings(settings), examinees)
            rows.append(_row(size, label, "hourglass (EAP, max info)", ours))
    return rows


def exposure_control(config: BenchConfig) -> list[Row]:
    """On the largest bank: catsim r_max, and our engine with exposure control off and on."""
    size = max(config.bank_sizes)
    bank = generate_bank(size, seed=config.seed + size)
    engine = AdaptiveEngine(bank, AdaptiveSettings())
    evaluation = draw_examinees(config.exposure_examinees, size, seed=config.seed + 2)
    calibration = draw_examinees(config.exposure_examinees, size, seed=config.seed + 3)
    rows = []
    for label, settings in designs(config).items():
        if config.include_catsim:
            from bench.adaptive.catsim_runs import run_catsim

            few = draw_examinees(config.catsim_examinees, size, seed=config.seed + 1)
            run = run_catsim(
                bank,
                few,
                max_items=settings.max_items,
                se_target=settings.se_target,
                r_max=config.r_max,
            )
            rows.append(_row(size, label, f"catsim r_max={config.r_max}", run))
        plain = engine.with_settings(settings)
        rows.append(_row(size, label, "hourglass, exposure off", run_ours(plain, evaluation)))
        randomesque = plain.with_settings(replace(settings, exposure_k=config.exposure_k))
        parameters = calibrate_sympson_hetter(
            randomesque,
            calibration,
            max_exposure=config.calibration_target,
            rounds=config.calibration_rounds,
        )
        controlled = randomesque.with_settings(
            replace(settings, exposure_k=config.exposure_k, sympson_hetter=parameters)
        )
        name = f"hourglass, Sympson-Hetter (k={config.exposure_k})"
        rows.append(_row(size, label, name, run_ours(controlled, evaluation)))
    return rows
