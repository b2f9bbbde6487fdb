"""`hourglass calibrate`: item parameters from a CSV response matrix, written as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from domain.calibration import CalibrationError, CalibrationSettings, ItemModel, calibrate
from presentation.cli.response_csv import ResponseCsvError, read_response_matrix


@click.command(name="calibrate")
@click.option(
    "--responses",
    "responses_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV: a header of item ids, a 0/1 row per examinee, blank = not administered",
)
@click.option(
    "--model", type=click.Choice([m.value for m in ItemModel]), default="2pl", show_default=True
)
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where the JSON {items, log_likelihood, iterations} goes",
)
@click.option("--max-iterations", default=500, show_default=True, type=click.IntRange(min=1))
@click.option("--tolerance", default=1e-4, show_default=True, type=float)
def calibrate_command(
    responses_path: Path, model: str, output: Path, max_iterations: int, tolerance: float
) -> None:
    """Fit item parameters by marginal maximum likelihood (EM; Beta prior on c for 3PL)."""
    try:
        responses = read_response_matrix(responses_path)
        settings = CalibrationSettings(
            model=ItemModel(model), max_iterations=max_iterations, tolerance=tolerance
        )
    except ResponseCsvError as error:
        raise click.ClickException(str(error)) from error
    except CalibrationError as error:
        raise click.ClickException(f"{responses_path}: {error.message}") from error
    with click.progressbar(length=max_iterations, label="EM iterations", file=None) as bar:
        fit = calibrate(responses, settings, progress=lambda _iteration, _ll: bar.update(1))
        # Converging early leaves the bar short of its length; it is done all the same.
        bar.update(max_iterations - fit.iterations)
    document = {
        "items": fit.items(),
        "log_likelihood": fit.log_likelihood,
        "iterations": fit.iterations,
    }
    output.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    state = "converged" if fit.converged else f"stopped at --max-iterations {max_iterations}"
    click.echo(
        f"{responses.items} items, {responses.examinees} examinees: {state} after "
        f"{fit.iterations} iterations, log-likelihood {fit.log_likelihood:.2f}; "
        f"written to {output}"
    )
