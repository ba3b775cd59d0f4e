"""Command-line interface: one command per job, each a thin call into the library.

Every command takes a scenario file path or a built-in name (default: the embedded Gaza July-2025
scenario) and ``--json`` for machine output. A user mistake prints one line (``error: file:line:col:
field: message``) on stderr and exits with status 2. Heavy modules are imported inside commands so
that ``accord --help`` starts fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from accord.scenario.schema import Scenario

DEFAULT = "gaza-2025-07"

app = typer.Typer(
    name="accord",
    help=(
        "Model, analyse, simulate and forecast multi-party negotiations.\n\n"
        "Run with no command to brief on the embedded Gaza July-2025 scenario."
    ),
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

ScenarioArg = Annotated[
    str,
    typer.Argument(help="Scenario file (.yaml/.json) or built-in name (see `accord scenarios`)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]


class UsageFailure(Exception):
    """Raised inside commands to exit 2 with a one-line message."""


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _load(source: str) -> Scenario:
    from accord.scenario import load

    return load(source)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        from accord import __version__

        typer.echo(f"accord {__version__}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        brief(DEFAULT, as_json=False, sources=True, runs=1000, sim_runs=200, seed=0)


@app.command()
def brief(
    scenario: ScenarioArg = DEFAULT,
    as_json: JsonOpt = False,
    sources: Annotated[bool, typer.Option(help="List the scenario's sources at the end.")] = True,
    runs: RunsOpt = 1000,
    sim_runs: Annotated[
        int, typer.Option("--sim-runs", min=0, help="Simulated negotiations to summarise (0: skip).")
    ] = 200,
    seed: SeedOpt = 0,
) -> None:
    """The main job: load, validate, build the outcome space and brief on the negotiation."""
    from accord.jobs import brief as run_brief

    result = run_brief(_load(scenario), runs=runs, seed=seed, sim_runs=sim_runs)
    if as_json:
        _print_json(result.to_dict())
        return
    from accord.report.terminal import render_briefing

    render_briefing(result, _console(), show_sources=sources)


RunsOpt = Annotated[
    int,
    typer.Option(
        "--runs", min=0, max=10_000_000, help="Monte Carlo draws over uncertain parameters (0: skip)."
    ),
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed (same seed, same result).")]


@app.command()
def analyze(
    scenario: ScenarioArg = DEFAULT,
    runs: RunsOpt = 1000,
    seed: SeedOpt = 0,
    at: Annotated[
        float,
        typer.Option("--at", min=0, help="Clock time (scenario units) at which no-deal values are taken."),
    ] = 0.0,
    as_json: JsonOpt = False,
) -> None:
    """Bargaining analysis: ZOPA, what blocks a deal and what would open one, solution points,
    leverage, trades across issues and Monte Carlo over uncertain numbers."""
    from accord.analysis.report import analyze as run_analysis
    from accord.space import OutcomeSpace

    s = _load(scenario)
    result = run_analysis(OutcomeSpace(s), t=at, runs=runs, seed=seed)
    if as_json:
        _print_json(result.to_dict())
        return
    from accord.jobs import brief as run_brief
    from accord.report.terminal import render_analysis

    render_analysis(run_brief(s, runs=0, sim_runs=0), result, _console())


@app.command()
def simulate(
    scenario: ScenarioArg = DEFAULT,
    protocol: Annotated[
        str | None,
        typer.Option(
            "--protocol", help="alternating-offers, single-text or shuttle (default: the scenario's)."
        ),
    ] = None,
    strategy: Annotated[
        list[str] | None,
        typer.Option(
            "--strategy", help="Strategy per party in order, or one for all (see `accord strategies`)."
        ),
    ] = None,
    mediator: Annotated[
        str | None, typer.Option("--mediator", help="Mediator strategy for mediated protocols.")
    ] = None,
    deadline: Annotated[
        int | None, typer.Option("--deadline", help="Rounds before the talks end without a deal.")
    ] = None,
    walkouts: Annotated[
        bool | None, typer.Option("--walkouts/--no-walkouts", help="Let parties walk out.")
    ] = None,
    runs: Annotated[
        int,
        typer.Option(
            "--runs", min=0, help="Monte Carlo runs over uncertain numbers (0: one run with its trace)."
        ),
    ] = 0,
    seed: SeedOpt = 0,
    workers: Annotated[
        int, typer.Option("--workers", min=0, help="Local processes for Monte Carlo (0: one per core).")
    ] = 1,
    as_json: JsonOpt = False,
) -> None:
    """Simulate the talks: one run with its trace, or --runs N over the scenario's uncertain numbers."""
    from accord import simulation as sim
    from accord.space import OutcomeSpace

    s = _load(scenario)
    space = OutcomeSpace(s)
    cfg = sim.settings(
        s, protocol=protocol, strategies=strategy, mediator=mediator, deadline=deadline, walkouts=walkouts
    )
    if runs == 0:
        result = sim.run(space, cfg, seed=seed)
        if as_json:
            _print_json({"settings": cfg.to_dict(), **result.to_dict()})
            return
        from accord.report.terminal import render_run

        render_run(space, cfg, result, _console())
        return
    if as_json:
        mc = sim.monte_carlo(space, cfg, runs=runs, seed=seed, workers=workers)
        _print_json(mc.to_dict())
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("simulating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("runs", total=runs)
        mc = sim.monte_carlo(
            space,
            cfg,
            runs=runs,
            seed=seed,
            workers=workers,
            progress=lambda n: bar.update(task, completed=n),
        )
    from accord.report.terminal import render_simulation_mc

    render_simulation_mc(space, mc, _console())


@app.command()
def sweep(
    scenario: ScenarioArg = DEFAULT,
    job: Annotated[
        str, typer.Option("--job", help="What to run per sample: analyze, simulate, forecast or conflict.")
    ] = "analyze",
    vary: Annotated[
        list[str] | None,
        typer.Option(
            "--vary",
            help="PATH=LO:HI:N or PATH=v1,v2,... (repeatable; every combination is run). "
            "Without it, every number with a range is drawn (Monte Carlo). See --list-paths.",
        ),
    ] = None,
    runs: Annotated[
        int | None,
        typer.Option(
            "--runs", min=1, help="Replicates per grid point (default 1), or Monte Carlo draws (1000)."
        ),
    ] = None,
    seed: SeedOpt = 0,
    workers: Annotated[
        int, typer.Option("--workers", min=0, help="Parallel workers (0: one per core; 1: in this process).")
    ] = 0,
    address: Annotated[
        str | None,
        typer.Option("--address", help="Ray cluster address HOST:PORT (default: $RAY_ADDRESS, else local)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Parquet file with one row per sample.")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an interrupted sweep from its output file.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing output file.")] = False,
    sample_rest: Annotated[
        bool,
        typer.Option("--sample-rest", help="With --vary: also draw every other number that has a range."),
    ] = False,
    list_paths: Annotated[
        bool, typer.Option("--list-paths", help="List every number of the scenario that --vary can address.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Parameter sweep or Monte Carlo of a job over a scenario, on local cores or a Ray cluster."""
    try:
        _sweep(
            scenario,
            job,
            vary,
            runs,
            seed,
            workers,
            address,
            output,
            resume,
            force,
            sample_rest,
            list_paths,
            as_json,
        )
    except KeyboardInterrupt:
        if output is not None:
            sys.stderr.write(
                "interrupted; the rows finished so far are kept: run the same command with --resume to continue\n"
            )
        raise


def _sweep(
    scenario: str,
    job: str,
    vary: list[str] | None,
    runs: int | None,
    seed: int,
    workers: int,
    address: str | None,
    output: Path | None,
    resume: bool,
    force: bool,
    sample_rest: bool,
    list_paths: bool,
    as_json: bool,
) -> None:
    from accord.scale import numeric_paths
    from accord.scale import sweep as run_sweep

    s = _load(scenario)
    if list_paths:
        targets = numeric_paths(s)
        if as_json:
            _print_json(
                [
                    {
                        "path": t.path,
                        "value": t.value,
                        "range": list(t.range) if t.range else None,
                        "kind": t.kind,
                    }
                    for t in targets
                ]
            )
            return
        for t in targets:
            rng = f"  range {t.range[0]:g}..{t.range[1]:g}" if t.range else ""
            typer.echo(f"{t.path} = {t.value:g}{rng}")
        return
    if as_json:
        res = run_sweep(
            s,
            job,
            vary or None,
            runs=runs,
            seed=seed,
            workers=workers,
            address=address,
            output=output,
            resume=resume,
            force=force,
            sample_rest=sample_rest,
        )
        _print_json(res.to_dict())
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class _Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} samples/s" if speed else "- samples/s")

    from rich.console import Console

    con = _console()
    err = Console(stderr=True)
    with Progress(
        TextColumn(f"sweep {job}"),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("samples", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        res = run_sweep(
            s,
            job,
            vary or None,
            runs=runs,
            seed=seed,
            workers=workers,
            address=address,
            output=output,
            resume=resume,
            force=force,
            sample_rest=sample_rest,
            progress=tick,
        )
    from accord.report.sweep import render_sweep

    render_sweep(res, con)


@app.command()
def strategies(as_json: JsonOpt = False) -> None:
    """List the negotiation strategies and mediator strategies for simulations."""
    from accord.protocols import mediator_table, strategy_table

    rows = [r.to_dict() for r in strategy_table()]
    meds = [r.to_dict() for r in mediator_table()]
    if as_json:
        _print_json({"strategies": rows, "mediators": meds})
        return
    from rich.table import Table

    con = _console()
    for title, data in (("Strategies", rows), ("Mediator strategies", meds)):
        if not data:
            continue
        t = Table(title=title, title_justify="left")
        cols = list(data[0].keys())
        for c in cols:
            t.add_column(c)
        for r in data:
            t.add_row(*(str(r[c]) for c in cols))
        con.print(t)


bench_app = typer.Typer(
    help="Reproducible benchmarks (see benchmarks/ for the comparisons with peers).", no_args_is_help=True
)
app.add_typer(bench_app, name="bench")


@bench_app.command("sao")
def bench_sao(
    seconds: Annotated[
        float, typer.Option("--seconds", min=0.01, help="Run consecutive seeds for this long.")
    ] = 10.0,
    first_seed: Annotated[int, typer.Option("--first-seed", min=0, help="First seed.")] = 0,
    steps: Annotated[int, typer.Option("--steps", min=1, help="Rounds per negotiation.")] = 1000,
    as_json: JsonOpt = False,
) -> None:
    """The canonical bilateral alternating-offers benchmark (Boulware vs Conceder, 10,648 outcomes)."""
    from accord.protocols.bench import run_sao_benchmark

    result = run_sao_benchmark(seconds=seconds, first_seed=first_seed, steps=steps)
    if as_json:
        _print_json(result)
        return
    for k, v in result.items():
        typer.echo(f"{k:26s} {v}")


@app.command()
def validate(
    files: Annotated[list[str], typer.Argument(help="Scenario files or built-in names.")],
    as_json: JsonOpt = False,
) -> None:
    """Check scenario files; print one line per file. Exit 2 if any is invalid."""
    from accord.errors import AccordError
    from accord.space import OutcomeSpace

    results = []
    failed = False
    for f in files:
        try:
            s = _load(f)
            space = OutcomeSpace(s)
            results.append(
                {
                    "file": f,
                    "valid": True,
                    "issues": len(s.issues),
                    "actors": len(s.actors),
                    "outcomes": space.n_outcomes,
                }
            )
            if not as_json:
                typer.echo(
                    f"ok: {f}: {len(s.issues)} issues, {len(s.actors)} actors, {space.n_outcomes:,} outcomes"
                )
        except AccordError as exc:
            failed = True
            errors = [
                {
                    "message": e.message,
                    "file": e.location.file,
                    "line": e.location.line,
                    "column": e.location.column,
                    "path": e.location.path,
                    "text": str(e),
                }
                for e in exc.problems
            ]
            results.append({"file": f, "valid": False, "error": str(exc), "errors": errors})
            if not as_json:
                typer.echo(f"error: {exc}", err=True)
    if as_json:
        _print_json(results)
    if failed:
        raise typer.Exit(2)


@app.command()
def show(
    scenario: ScenarioArg = DEFAULT,
    as_json: JsonOpt = False,
    yaml_out: Annotated[bool, typer.Option("--yaml", help="Print the normalised scenario as YAML.")] = False,
) -> None:
    """Show a scenario: its issues, actors, events and sources (or the normalised file)."""
    from accord.scenario import dump, to_data

    s = _load(scenario)
    if as_json:
        _print_json(to_data(s))
        return
    if yaml_out:
        sys.stdout.write(dump(s))
        return
    from accord.jobs import brief as run_brief
    from accord.report.terminal import actors_table, issues_table, sources_table, timeline

    b = run_brief(s)
    con = _console()
    con.rule(f"[bold]{s.title}[/bold]")
    con.print(f"[dim]id {s.id} · as of {s.as_of.isoformat()} · {b.n_outcomes:,} outcomes[/dim]")
    if s.description:
        con.print(s.description.strip())
    for table in (issues_table(b), actors_table(b), timeline(s), sources_table(s)):
        if table is not None:
            con.print(table)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format."""
    from accord.scenario.schema import Scenario

    _print_json(Scenario.model_json_schema(by_alias=True))


@app.command()
def scenarios(as_json: JsonOpt = False) -> None:
    """List the built-in scenarios."""
    from accord.scenario import builtin_names, load

    rows = []
    for name in builtin_names():
        s = load(name)
        rows.append(
            {
                "name": name,
                "title": s.title,
                "as_of": s.as_of.isoformat(),
                "issues": len(s.issues),
                "actors": len(s.actors),
            }
        )
    if as_json:
        _print_json(rows)
        return
    from rich.table import Table

    t = Table(title="Built-in scenarios", title_justify="left")
    for col in ("name", "title", "as of", "issues", "actors"):
        t.add_column(col)
    for r in rows:
        t.add_row(*(str(r[k]) for k in ("name", "title", "as_of", "issues", "actors")))
    _console().print(t)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the template.")] = Path("scenario.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented scenario template to start from."""
    from importlib import resources

    if path.exists() and not force:
        raise UsageFailure(f"{path}: file exists; choose another name or pass --force to overwrite it")
    text = resources.files("accord.scenario").joinpath("template.yaml").read_text(encoding="utf-8")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageFailure(f"{path}: cannot write: {exc.strerror}") from None
    typer.echo(f"wrote {path}; edit it, then run: accord validate {path}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turning user mistakes into one line and exit status 2."""
    from accord.errors import AccordError

    try:
        app(args=argv, prog_name="accord")
    except SystemExit as exc:  # typer/click end every run this way; usage errors exit 2
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except (AccordError, UsageFailure) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
