"""The `hourglass` command."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from application.identity import Actor, Role
from application.use_cases.create_exam import CreateExam
from application.use_cases.read_exams import GetExam
from domain.errors import DomainError, Refusal
from presentation.api.auth import issue_token
from presentation.api.exams import create_exam_command
from presentation.bootstrap import runtime
from presentation.bootstrap.app import input_limits
from presentation.bootstrap.logs import configure_logging
from presentation.cli.archive_events import archive_events
from presentation.cli.calibrate import calibrate_command
from presentation.cli.dispatch import dispatch
from presentation.cli.exam_file import exam_from_file


@click.group()
def main() -> None:
    """Hourglass: timed and adaptive exam attempts."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--data-dir", default=None, help="Where embedded servers keep data [./.hourglass]")
@click.option("--workers", default=1, show_default=True, type=int)
@click.option("--no-sweeper", is_flag=True, help="Do not finalise overdue attempts in-process")
@click.option(
    "--server",
    type=click.Choice(["uvicorn", "granian"]),
    default="uvicorn",
    show_default=True,
    help="ASGI server: uvicorn saved answers faster here, granian served reads faster "
    "(docs/benchmarks.md)",
)
def serve(
    host: str, port: int, data_dir: str | None, workers: int, no_sweeper: bool, server: str
) -> None:
    """Run the API (embedded PostgreSQL and Valkey when no URLs are set), after applying
    the migrations (once, however many replicas start together: see `db upgrade`)."""
    if no_sweeper:
        os.environ["HOURGLASS_SWEEPER_ENABLED"] = "false"  # read by every worker
    settings = runtime.load_settings(data_dir=data_dir)
    with runtime.backing_services(settings) as ready:
        runtime.migrate(ready)
        runtime.jwt_secret(ready)  # created once here, before workers race for it
        base = f"http://{host}:{port}"
        click.echo(
            f"Hourglass on {base}  (API docs: {base}/schema, Swagger: {base}/schema/swagger)"
        )
        click.echo(f"Data in {ready.data_path}.")
        click.echo("A token: uv run hourglass token --sub alice --role candidate")
        level = ready.log_level.lower()
        if server == "granian":
            _serve_with_granian(host, port, workers, level)
        else:
            _serve_with_uvicorn(host, port, workers, level)


_APP_FACTORY = "presentation.bootstrap.app:app_from_environment"
# On SIGTERM a server stops accepting and waits for the requests it is serving, and an
# attempt's stream lasts until the attempt ends: without a bound, one open stream kept
# `serve` from stopping at all (until `systemctl stop` or `docker stop` killed it, with no
# shutdown: held deadline entries unwritten, embedded servers left running). Requests get
# this long to finish; then the server cancels what is left, and each stream ends as a
# complete response, so the page's EventSource reconnects (to another replica).
SHUTDOWN_GRACE_SECONDS = 5
# Connections waiting to be accepted. At 9:00, and again at the deadline when every page
# submits on a new connection (its kept one closed after 5 s idle), thousands arrive
# within seconds; with uvicorn's default of 2,048 the queue overflowed in the morning
# bench at 8,000 candidates and hundreds of submits met a reset. The kernel caps it at
# net.core.somaxconn (4,096 on recent kernels): raise that too (docs/operations.md).
# granian also takes it as the requests one worker serves at once, each open stream one.
LISTEN_BACKLOG = 16_384


def _serve_with_granian(host: str, port: int, workers: int, log_level: str) -> None:
    from granian import Granian
    from granian.constants import Interfaces, Loops
    from granian.log import LogLevels

    Granian(
        _APP_FACTORY,
        factory=True,
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        loop=Loops.uvloop,
        log_level=LogLevels(log_level),
        log_access=False,
        backlog=LISTEN_BACKLOG,
        workers_kill_timeout=SHUTDOWN_GRACE_SECONDS,
    ).serve()


def _serve_with_uvicorn(host: str, port: int, workers: int, log_level: str) -> None:
    import uvicorn

    uvicorn.run(
        _APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        log_level=log_level,
        access_log=False,
        backlog=LISTEN_BACKLOG,
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
    )


@main.command()
@click.option("--sub", "subject", required=True, help="The user id (JWT sub claim)")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default="candidate", show_default=True
)
@click.option("--hours", default=12.0, show_default=True, help="How long the token is valid")
@click.option("--data-dir", default=None)
def token(subject: str, role: str, hours: float, data_dir: str | None) -> None:
    """Print a signed development token."""
    secret = runtime.jwt_secret(runtime.load_settings(data_dir=data_dir))
    click.echo(
        issue_token(secret, subject=subject, role=Role(role), lifetime=timedelta(hours=hours))
    )


@main.command()
@click.option("--once", is_flag=True, help="One pass (index and database), then exit")
@click.option("--interval", type=float, default=None, help="Seconds between index passes [0.25]")
@click.option("--dry-run", is_flag=True, help="List overdue attempts, change nothing")
@click.option("--data-dir", default=None)
def sweep(once: bool, interval: float | None, dry_run: bool, data_dir: str | None) -> None:
    """Finalise overdue attempts: every fraction of a second from the deadline index, and
    every few seconds from PostgreSQL for whatever Redis forgot."""
    settings = runtime.load_settings(data_dir=data_dir, sweep_interval_seconds=interval)
    configure_logging(settings.log_level)
    with runtime.backing_services(settings) as ready:
        runtime.migrate(ready)
        try:
            report = asyncio.run(runtime.sweep(ready, once=once, dry_run=dry_run))
        except KeyboardInterrupt:
            return
    if report is not None:
        ids = report.due if dry_run else report.expired
        json.dump(
            {
                "expired" if not dry_run else "overdue": len(ids),
                "attempt_ids": [str(i) for i in ids],
            },
            sys.stdout,
        )
        click.echo()


main.add_command(dispatch)
main.add_command(archive_events)


@main.command(name="simulate")
@click.option("--items", default=500, show_default=True, help="Size of a generated bank")
@click.option("--examinees", default=500, show_default=True)
@click.option("--seed", default=1, show_default=True)
@click.option("--max-items", default=30, show_default=True)
@click.option("--min-items", default=1, show_default=True)
@click.option("--se-target", type=float, default=None, help="Stop once SE is this low")
@click.option("--exposure-k", default=1, show_default=True, help="Randomesque group size")
@click.option("--exam-id", default=None, help="Use this adaptive exam's bank and rules instead")
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("simulation.png"),
    show_default=True,
)
@click.option(
    "--calibrate-exposure",
    "r_max",
    type=click.FloatRange(0, 1, min_open=True),
    default=None,
    help="Compute Sympson-Hetter parameters for this maximum exposure rate first",
)
@click.option("--rounds", default=8, show_default=True, help="Calibration rounds")
@click.option(
    "--exposure-output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("exposure.json"),
    show_default=True,
    help="Where the calibrated `adaptive.exposure` is written",
)
@click.option("--store", is_flag=True, help="With --exam-id: store the parameters as a new exam")
@click.option("--data-dir", default=None)
def simulate_command(
    items: int,
    examinees: int,
    seed: int,
    max_items: int,
    min_items: int,
    se_target: float | None,
    exposure_k: int,
    exam_id: str | None,
    plot_path: Path,
    r_max: float | None,
    rounds: int,
    exposure_output: Path,
    store: bool,
    data_dir: str | None,
) -> None:
    """Simulate examinees on an adaptive test: RMSE, bias, length, exposure, and a plot.

    With --calibrate-exposure the Sympson-Hetter parameters come first (on examinees of
    their own), the report then measures the test under them.
    """
    from presentation.cli import simulation

    if store and (exam_id is None or r_max is None):
        raise click.UsageError("--store needs --exam-id and --calibrate-exposure")
    if exam_id is None:
        engine = simulation.generated_engine(
            items=items,
            seed=seed,
            max_items=max_items,
            min_items=min_items,
            se_target=se_target,
            exposure_k=exposure_k,
        )
        engine, _ = _calibrate(engine, examinees, seed, r_max, rounds, exposure_output)
        _report(engine, examinees, seed, plot_path)
        return
    wanted = _exam_id(exam_id)
    settings = runtime.load_settings(data_dir=data_dir)
    with runtime.backing_services(settings, with_redis=False) as ready:
        exam = _load_exam(ready, wanted)
        from domain.adaptive.exam_engine import engine_for

        engine, exposure = _calibrate(
            engine_for(exam), examinees, seed, r_max, rounds, exposure_output
        )
        if store and exposure is not None:
            from presentation.cli.exposure_calibration import exam_with_exposure

            command = exam_with_exposure(exam, exposure)

            async def create(container: Any) -> Any:
                return await (await container.get(CreateExam))(command)

            created = asyncio.run(runtime.run_in_request(ready, create))
            json.dump({"id": str(created.id), "calibrated_from": str(exam.id)}, sys.stdout)
            click.echo()
    _report(engine, examinees, seed, plot_path)


def _calibrate(
    engine: Any,
    examinees: int,
    seed: int,
    r_max: float | None,
    rounds: int,
    exposure_output: Path,
) -> tuple[Any, dict[str, Any] | None]:
    """With `r_max`: the engine under calibrated Sympson-Hetter parameters and its
    `adaptive.exposure` (also written to `exposure_output`); else the engine as it is."""
    if r_max is None:
        return engine, None
    from presentation.cli import exposure_calibration

    engine, parameters = exposure_calibration.calibrated_engine(
        engine, r_max=r_max, examinees=examinees, seed=seed, rounds=rounds
    )
    exposure = exposure_calibration.exposure_document(engine, r_max, parameters)
    exposure_output.write_text(json.dumps(exposure, indent=1) + "\n")
    click.echo(f"exposure parameters written to {exposure_output}")
    return engine, exposure


def _report(engine: Any, examinees: int, seed: int, plot_path: Path) -> None:
    from presentation.cli import simulation

    result, metrics = simulation.run_simulation(engine, examinees=examinees, seed=seed)
    click.echo(simulation.report(metrics, result))
    try:
        simulation.plot(result, metrics, plot_path)
    except ImportError:
        raise click.ClickException(
            "the plot needs matplotlib, an optional extra: pip install 'hourglass[simulate]'"
            " or uv run --extra simulate hourglass simulate ..."
        ) from None
    click.echo(f"plot written to {plot_path}")


def _exam_id(exam_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(exam_id)
    except ValueError as error:
        raise click.ClickException(f"not an exam id: {exam_id}") from error


def _load_exam(ready: Any, wanted: uuid.UUID) -> Any:
    async def load(container: Any) -> Any:
        return await (await container.get(GetExam))(wanted)

    try:
        exam = asyncio.run(runtime.run_in_request(ready, load))
    except Refusal as error:
        raise click.ClickException(error.message) from error
    if exam.adaptive is None:
        raise click.ClickException("that exam is not adaptive")
    return exam


main.add_command(calibrate_command)


@main.group()
def db() -> None:
    """Database schema."""


@db.command()
@click.option("--data-dir", default=None)
def upgrade(data_dir: str | None) -> None:
    """Apply every migration (embedded PostgreSQL when no URL is set). Processes that
    upgrade at once take turns under an advisory lock: the first migrates, the rest find
    the schema at head, so every replica may run this (and `serve` does) as it starts."""
    settings = runtime.load_settings(data_dir=data_dir)
    with runtime.backing_services(settings, with_redis=False) as ready:
        runtime.migrate(ready)
    click.echo("database is at the latest schema")


@main.group()
def exam() -> None:
    """Exam definitions."""


@exam.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data-dir", default=None)
@click.option(
    "--duration-seconds",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="For a QTI package without a time limit",
)
def import_exam(file: Path, data_dir: str | None, duration_seconds: float | None) -> None:
    """Create an exam from a JSON file shaped like the POST /api/v1/exams body, or from a
    QTI 3.0 / 2.1 content package (zip) or assessment test (XML), as POST
    /api/v1/exams/import takes them. A package's import report goes to stderr."""
    settings = runtime.load_settings(data_dir=data_dir)
    # Checked before any database starts: the same bounds as POST /exams.
    definition, report = exam_from_file(
        file, input_limits(settings), duration_seconds=duration_seconds
    )
    try:
        command = create_exam_command(Actor(user_id="cli", role=Role.ADMIN), definition)
    except DomainError as error:
        raise click.ClickException(f"{file}: {error.message}") from error

    async def create(container: Any) -> Any:
        return await (await container.get(CreateExam))(command)

    with runtime.backing_services(settings, with_redis=False) as ready:
        runtime.migrate(ready)
        created = asyncio.run(runtime.run_in_request(ready, create))
    if report is not None:
        json.dump(report, sys.stderr)
        click.echo(err=True)
    json.dump({"id": str(created.id), "title": created.title}, sys.stdout)
    click.echo()


if __name__ == "__main__":
    main()
