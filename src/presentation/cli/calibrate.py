"""`hourglass calibrate`: item parameters from a CSV response matrix, or from an exam's
stored responses, written as JSON; `--apply` makes the fit a new adaptive exam."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from pathlib import Path
from typing import Any

import click
import msgspec

from application.calibration_fit import StoredResponsesOf, fit_exam_responses
from application.identity import Actor, Role
from application.use_cases.calibrations import ApplyCalibration, ApplyCalibrationCommand
from domain.calibration import CalibrationError, CalibrationSettings, ItemModel, calibrate
from domain.calibration.calibrator import Progress
from domain.calibration.job import CalibrationOutcome
from domain.errors import Refusal
from domain.exam import AdaptiveRules
from presentation.api.exams import adaptive_rules
from presentation.api.schemas.exams import AdaptiveIn
from presentation.bootstrap import runtime
from presentation.cli.response_csv import ResponseCsvError, read_response_matrix

_CLI_ADMIN = Actor(user_id="cli", role=Role.ADMIN)


@click.command(name="calibrate")
@click.option(
    "--responses",
    "responses_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV: a header of item ids, a 0/1 row per examinee, blank = not administered",
)
@click.option("--exam-id", help="Fit the exam's stored responses (its final attempts)")
@click.option(
    "--model", type=click.Choice([m.value for m in ItemModel]), default="2pl", show_default=True
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where the JSON {items, log_likelihood, iterations} goes (default: standard output)",
)
@click.option("--max-iterations", default=500, show_default=True, type=click.IntRange(min=1))
@click.option("--tolerance", default=1e-4, show_default=True, type=float)
@click.option("--apply", is_flag=True, help="With --exam-id: write the fit as a new adaptive exam")
@click.option(
    "--adaptive",
    "adaptive_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --apply: the new exam's adaptive rules as JSON (as POST /exams takes them); "
    "by default the source exam's",
)
@click.option("--title", default=None, help="With --apply: the new exam's title")
@click.option("--data-dir", default=None)
def calibrate_command(
    responses_path: Path | None,
    exam_id: str | None,
    model: str,
    output: Path | None,
    max_iterations: int,
    tolerance: float,
    apply: bool,
    adaptive_path: Path | None,
    title: str | None,
    data_dir: str | None,
) -> None:
    """Fit item parameters by marginal maximum likelihood (EM; Beta prior on c for 3PL)."""
    if (responses_path is None) == (exam_id is None):
        raise click.UsageError("give one of --responses FILE.csv or --exam-id ID")
    if apply and exam_id is None:
        raise click.UsageError("--apply writes a new exam from --exam-id's fit")
    if responses_path is not None:
        document, summary = _from_csv(responses_path, model, max_iterations, tolerance)
        _write(document, output)
        click.echo(summary, err=True)
        return
    assert exam_id is not None
    _from_exam(
        _exam_id(exam_id),
        ItemModel(model),
        (max_iterations, tolerance),
        output,
        apply=apply,
        adaptive=None if adaptive_path is None else _adaptive(adaptive_path),
        title=title,
        data_dir=data_dir,
    )


def _from_csv(
    path: Path, model: str, max_iterations: int, tolerance: float
) -> tuple[dict[str, Any], str]:
    try:
        responses = read_response_matrix(path)
        settings = CalibrationSettings(
            model=ItemModel(model), max_iterations=max_iterations, tolerance=tolerance
        )
    except ResponseCsvError as error:
        raise click.ClickException(str(error)) from error
    except CalibrationError as error:
        raise click.ClickException(f"{path}: {error.message}") from error
    with _progress_bar(max_iterations) as progress:
        fit = calibrate(responses, settings, progress=progress)
    state = "converged" if fit.converged else f"stopped at --max-iterations {max_iterations}"
    document = {"items": fit.items(), "log_likelihood": fit.log_likelihood,
                "iterations": fit.iterations}  # fmt: skip
    summary = (
        f"{responses.items} items, {responses.examinees} examinees: {state} after "
        f"{fit.iterations} iterations, log-likelihood {fit.log_likelihood:.2f}"
    )
    return document, summary


def _from_exam(
    exam_id: uuid.UUID,
    model: ItemModel,
    limits: tuple[int, float],
    output: Path | None,
    *,
    apply: bool,
    adaptive: AdaptiveRules | None,
    title: str | None,
    data_dir: str | None,
) -> None:
    async def read(container: Any) -> Any:
        stored = await container.get(StoredResponsesOf)
        exam = await stored.exam(exam_id)
        return exam, await stored.sheets(exam.id)

    settings = runtime.load_settings(data_dir=data_dir)
    with runtime.backing_services(settings, with_redis=False) as ready:
        runtime.migrate(ready)
        try:
            exam, sheets = asyncio.run(runtime.run_in_request(ready, read))
            max_iterations, tolerance = limits
            with _progress_bar(max_iterations) as progress:
                outcome: CalibrationOutcome = fit_exam_responses(
                    exam, sheets, model, progress,
                    max_iterations=max_iterations, tolerance=tolerance,
                )  # fmt: skip
        except Refusal as error:
            raise click.ClickException(error.message) from error
        _write(_document(outcome), output)
        state = "converged" if outcome.converged else "stopped at --max-iterations"
        click.echo(
            f"{len(outcome.items)} items ({len(outcome.skipped)} skipped), "
            f"{outcome.examinees} examinees: {state} after {outcome.iterations} iterations, "
            f"log-likelihood {outcome.log_likelihood:.2f}",
            err=True,
        )
        if apply:
            command = ApplyCalibrationCommand(actor=_CLI_ADMIN, title=title, adaptive=adaptive)

            async def create(container: Any) -> Any:
                use_case = await container.get(ApplyCalibration)
                return await use_case.outcome(exam_id, outcome, command)

            try:
                created = asyncio.run(runtime.run_in_request(ready, create))
            except Refusal as error:
                raise click.ClickException(error.message) from error
            click.echo(json.dumps({"exam_id": str(created.id), "title": created.title}), err=True)


def _document(outcome: CalibrationOutcome) -> dict[str, Any]:
    return {
        "items": list(outcome.items),
        "log_likelihood": outcome.log_likelihood,
        "iterations": outcome.iterations,
    }


class _ProgressBar:
    """click's bar on standard error (standard output may carry the JSON), advanced once
    per EM iteration and filled when the EM converges early."""

    def __init__(self, max_iterations: int) -> None:
        self._bar = click.progressbar(length=max_iterations, label="EM iterations", file=sys.stderr)
        self._length = max_iterations
        self._done = 0

    def __enter__(self) -> Progress:
        self._bar.__enter__()
        return self._advance

    def __exit__(self, *exc: object) -> None:
        self._bar.update(self._length - self._done)
        self._bar.__exit__(*exc)  # type: ignore[arg-type]

    def _advance(self, _iteration: int, _log_likelihood: float) -> None:
        self._done += 1
        self._bar.update(1)


def _progress_bar(max_iterations: int) -> _ProgressBar:
    return _ProgressBar(max_iterations)


def _write(document: dict[str, Any], output: Path | None) -> None:
    text = json.dumps(document, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"written to {output}", err=True)


def _exam_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError as error:
        raise click.BadParameter(f"not an exam id: {text}", param_hint="--exam-id") from error


def _adaptive(path: Path) -> AdaptiveRules:
    try:
        return adaptive_rules(msgspec.json.decode(path.read_bytes(), type=AdaptiveIn))
    except (msgspec.ValidationError, msgspec.DecodeError) as error:
        raise click.ClickException(f"{path}: {error}") from error
    except Refusal as error:
        raise click.ClickException(f"{path}: {error.message}") from error
