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


StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Run-history database (SQLAlchemy URL, e.g. sqlite:///runs.db or postgresql+psycopg://...; "
        "'off' to not record). Default: $ACCORD_STORE, else runs.db in the user data directory.",
    ),
]


def _record(
    kind: str,
    scenario: Scenario,
    store: str | None,
    *,
    params: dict[str, Any],
    seed: int | None,
    timings: dict[str, float],
    results: dict[str, Any],
) -> int | None:
    """Save a run in the run history (one transaction); None when recording is off."""
    from accord.store import record

    return record(kind, scenario, url=store, params=params, seed=seed, timings=timings, results=results)


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
        b = brief(DEFAULT, as_json=False, sources=True, runs=1000, sim_runs=200, seed=0, store=None)
        _main_job_report(b)


def _main_job_report(b: Any) -> None:
    """The main job's last line: where the HTML report went (or why it was not written)."""
    from accord.errors import ConfigurationError

    try:
        from accord.report.html import write_html

        path = write_html(b, Path("report.html"), params={"runs": 1000, "sim_runs": 200, "seed": 0})
    except ConfigurationError as exc:
        typer.echo(f"report.html not written: {exc}")
        return
    typer.echo(f"wrote the HTML report: {path.resolve()}")


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
    store: StoreOpt = None,
) -> Any:
    """The main job: load, validate, build the outcome space and brief on the negotiation."""
    from accord.jobs import brief as run_brief

    s = _load(scenario)
    result = run_brief(s, runs=runs, seed=seed, sim_runs=sim_runs)
    data = result.to_dict()
    _record(
        "brief",
        s,
        store,
        params={"runs": runs, "sim_runs": sim_runs},
        seed=seed,
        timings=result.timings,
        results=data,
    )
    if as_json:
        _print_json(data)
        return result
    from accord.report.terminal import render_briefing

    render_briefing(result, _console(), show_sources=sources)
    return result


@app.command()
def report(
    scenario: ScenarioArg = DEFAULT,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Where to write the self-contained HTML report.")
    ] = Path("report.html"),
    markdown: Annotated[
        Path | None, typer.Option("--markdown", help="Also write the report as Markdown here.")
    ] = None,
    runs: RunsOpt = 1000,
    sim_runs: Annotated[
        int, typer.Option("--sim-runs", min=0, help="Simulated negotiations to summarise (0: skip).")
    ] = 200,
    seed: SeedOpt = 0,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write the briefing as a self-contained HTML file (interactive charts, no network needed) and,
    with --markdown, as Markdown."""
    from accord.jobs import brief as run_brief
    from accord.report.html import write_html

    s = _load(scenario)
    result = run_brief(s, runs=runs, seed=seed, sim_runs=sim_runs)
    params = {"runs": runs, "sim_runs": sim_runs, "seed": seed}
    html = write_html(result, output, params=params)
    md = None
    if markdown is not None:
        from accord.report.markdown import write_markdown

        md = write_markdown(result, markdown, params=params)
    run_id = _record(
        "report",
        s,
        store,
        params={"runs": runs, "sim_runs": sim_runs},
        seed=seed,
        timings=result.timings,
        results=result.to_dict(),
    )
    out = {"html": str(html.resolve()), "markdown": str(md.resolve()) if md else None, "run": run_id}
    if as_json:
        _print_json(out)
        return
    typer.echo(f"wrote the HTML report: {out['html']}")
    if md is not None:
        typer.echo(f"wrote the Markdown report: {out['markdown']}")


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
    store: StoreOpt = None,
) -> None:
    """Bargaining analysis: ZOPA, what blocks a deal and what would open one, solution points,
    leverage, trades across issues and Monte Carlo over uncertain numbers."""
    from accord.analysis.report import analyze as run_analysis
    from accord.space import OutcomeSpace

    s = _load(scenario)
    result = run_analysis(OutcomeSpace(s), t=at, runs=runs, seed=seed)
    data = result.to_dict()
    _record(
        "analysis", s, store, params={"runs": runs, "at": at}, seed=seed, timings=result.timings, results=data
    )
    if as_json:
        _print_json(data)
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
    store: StoreOpt = None,
) -> None:
    """Simulate the talks: one run with its trace, or --runs N over the scenario's uncertain numbers."""
    from accord import simulation as sim
    from accord.space import OutcomeSpace

    s = _load(scenario)
    space = OutcomeSpace(s)
    cfg = sim.settings(
        s, protocol=protocol, strategies=strategy, mediator=mediator, deadline=deadline, walkouts=walkouts
    )
    params = {"runs": runs, "workers": workers, "settings": cfg.to_dict()}
    if runs == 0:
        import time

        t0 = time.perf_counter()
        result = sim.run(space, cfg, seed=seed)
        _record(
            "simulation",
            s,
            store,
            params=params,
            seed=seed,
            timings={"simulation": time.perf_counter() - t0},
            results=result.to_dict(),
        )
        if as_json:
            _print_json({"settings": cfg.to_dict(), **result.to_dict()})
            return
        from accord.report.terminal import render_run

        render_run(space, cfg, result, _console())
        return
    if as_json:
        mc = sim.monte_carlo(space, cfg, runs=runs, seed=seed, workers=workers)
    else:
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
    _record(
        "simulation",
        s,
        store,
        params=params,
        seed=seed,
        timings={"simulation": mc.seconds},
        results=mc.to_dict(),
    )
    if as_json:
        _print_json(mc.to_dict())
        return
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

    def go(progress: Any = None) -> Any:
        return run_sweep(
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
            progress=progress,
        )

    if as_json:
        _print_json(go().to_dict())
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

        res = go(tick)
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


def _ktab_status_quo(problem: Any, items: list[str]) -> list[float]:
    """``DIMENSION=VALUE`` strings for a KTAB input: every dimension once, on its 0-100 scale."""
    from accord.errors import did_you_mean

    dims = list(problem.dimensions)
    given: dict[str, float] = {}
    for item in items:
        name, sep, raw = (part.strip() for part in item.partition("="))
        if not sep or not name or not raw:
            raise UsageFailure(f"--status-quo '{item}': give DIMENSION=VALUE, e.g. {dims[0]}=50")
        if name not in dims:
            raise UsageFailure(
                f"--status-quo '{item}': no dimension '{name}'{did_you_mean(name, dims)} in {problem.source}; "
                f"dimensions: {', '.join(dims)}"
            )
        try:
            x = float(raw)
        except ValueError:
            x = float("nan")
        if not 0 <= x <= 100:
            raise UsageFailure(f"--status-quo '{item}': KTAB dimensions take a number from 0 to 100")
        given[name] = x
    missing = [d for d in dims if d not in given]
    if missing:
        raise UsageFailure(
            f"--status-quo: the Nash bargaining model needs every dimension; missing: {', '.join(missing)}"
        )
    return [given[d] for d in dims]


@app.command()
def forecast(
    inputs: Annotated[
        list[str] | None, typer.Argument(help="Scenarios (files or built-in names) or KTAB .csv/.xml files.")
    ] = None,
    model: Annotated[str, typer.Option("--model", help="compromise, median, nbs (Nash), smp or eu.")] = "smp",
    status_quo: Annotated[
        list[str] | None,
        typer.Option(
            "--status-quo",
            help="What holds with no agreement, per issue (ISSUE=VALUE in its units or a level id; for "
            "KTAB files DIMENSION=VALUE on 0-100); used by the Nash bargaining model (nbs), which needs "
            "it on every numeric and ordinal issue. Repeat.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Forecast the outcome with a spatial model of politics (one result per input, in input order)."""
    from pathlib import Path as _Path

    from accord.forecast import model_name
    from accord.forecast import run as run_model
    from accord.forecast.from_scenario import forecast_scenario, parse_status_quo
    from accord.forecast.ktab_io import read_ktab

    if status_quo and model_name(model) != "nash":
        raise UsageFailure(
            f"--status-quo is used by the Nash bargaining model only (--model nbs), not by --model {model}"
        )
    results = []
    for item in inputs or [DEFAULT]:
        if _Path(item).suffix.lower() in (".csv", ".xml"):
            ktab = read_ktab(item)
            if model_name(model) == "nash" and not status_quo:
                dims = ktab.problem.dimensions
                raise UsageFailure(
                    f"{item}: the Nash bargaining model needs a status quo on every dimension; give "
                    f"--status-quo DIMENSION=VALUE (0-100) for {', '.join(dims)}"
                )
            options = {"status_quo": _ktab_status_quo(ktab.problem, status_quo)} if status_quo else {}
            data = run_model(ktab.problem, model, **options).to_dict()
            data["scale"] = "0-100"
        else:
            scenario = _load(item)
            sq = parse_status_quo(scenario, status_quo) if status_quo else None
            data = forecast_scenario(scenario, model, status_quo=sq)
        results.append({"file": item, **data})
    if as_json:
        _print_json(results)
        return
    from rich.table import Table

    con = _console()
    for r in results:
        t = Table(
            title=f"{r['file']} — {r['model']}" + (f", {r['turns']} turns" if r.get("turns") else ""),
            title_justify="left",
        )
        t.add_column("dimension")
        t.add_column("forecast", justify="right")
        for d, v in r["forecast"].items():
            t.add_row(d, f"{v:,.4g}" if isinstance(v, float) else str(v))
        con.print(t)
        kept = r.get("details", {}).get("status_quo_kept")
        if kept:
            con.print(
                f"[dim]status quo kept on {', '.join(kept)}: actors sit on both sides of it, so no other value "
                "is at least as good for all of them (a veto)[/dim]"
            )
        if r.get("skipped_issues"):
            con.print(
                f"[dim]categorical issues have no scale and are not forecast: {', '.join(r['skipped_issues'])}[/dim]"
            )


conflict_app = typer.Typer(
    help="Graph Model for Conflict Resolution: which states of a conflict are stable.", no_args_is_help=True
)
app.add_typer(conflict_app, name="conflict")
ModelArg = Annotated[str, typer.Argument(help="Conflict model (.yaml or GMCR+ .gmcr file) or built-in name.")]


def _model(source: str) -> Any:
    from accord import conflict

    return conflict.load_model(source)


#: ``--coalition all`` expands to every group of decision makers: 2**n - 1 of them.
MAX_ALL_DMS = 6


def _coalition_members(m: Any, spec: str) -> list[str]:
    """The decision makers of ``A+B+C``; names that contain '+' themselves are matched whole."""
    parts = spec.split("+")
    names = set(m.dm_names)
    members: list[str] = []
    i = 0
    while i < len(parts):
        # The longest run of '+'-joined parts that names a decision maker (else the single part,
        # which dm_index reports as unknown with the valid names).
        j = next((j for j in range(len(parts), i, -1) if "+".join(parts[i:j]) in names), i + 1)
        name = "+".join(parts[i:j])
        if not name.strip():
            raise UsageFailure(f"--coalition '{spec}': an empty name; write decision makers joined by '+'")
        m.dm_index(name)  # unknown names: one line with the valid ones
        if name in members:
            raise UsageFailure(f"--coalition '{spec}' names {name} twice")
        members.append(name)
        i = j
    return members


def _coalition_groups(m: Any, specs: list[str]) -> list[list[str]] | None:
    """Groups for --coalition: every DM alone, then the named coalitions; None for 'all'."""
    if any(spec.strip().lower() == "all" for spec in specs):
        if len(specs) > 1:
            raise UsageFailure("--coalition all already takes every group; give it alone")
        if m.n_dms > MAX_ALL_DMS:
            raise UsageFailure(
                f"--coalition all means {2**m.n_dms - 1} coalitions for {m.n_dms} decision makers; "
                f"it is offered up to {MAX_ALL_DMS} decision makers, so name the coalitions instead (A+B)"
            )
        return None
    groups = [[d] for d in m.dm_names]
    for spec in specs:
        members = _coalition_members(m, spec)
        if sorted(members) not in (sorted(g) for g in groups):
            groups.append(members)
    return groups


@conflict_app.command("analyze")
def conflict_analyze(
    model: ModelArg = DEFAULT,
    concepts: Annotated[
        str | None,
        typer.Option(
            "--concepts",
            help="Comma-separated: nash, gmr, smr, seq, sim (two-DM models also l<h>, nm). "
            "Default nash,gmr,smr,seq (with --coalition on models over 5000 states: no coalitional SMR).",
        ),
    ] = None,
    explain_state: Annotated[
        str | None, typer.Option("--explain", help="Explain the stability of this state (option pattern).")
    ] = None,
    coalition: Annotated[
        list[str] | None,
        typer.Option(
            "--coalition",
            help="Also coalitional stability for these coalitions (e.g. Israel+Hamas; repeat) and every "
            "decision maker alone, or 'all' for every group of decision makers (up to 6 decision makers).",
        ),
    ] = None,
    all_states: Annotated[
        bool | None,
        typer.Option(
            "--all-states/--no-states",
            help="In --json output, list every state with the decision makers it is stable for "
            "(default: up to 4096 states).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Stability of every state for every decision maker; the equilibria under each concept."""
    from accord import conflict
    from accord.conflict.coalitions import MAX_STATES

    m = _model(model)
    if explain_state is not None:
        m.state_id(explain_state)  # a bad state is an error whatever the concepts
    concepts_given = concepts
    concepts = concepts or "nash,gmr,smr,seq"
    result = conflict.analyze(m, tuple(c.strip() for c in concepts.split(",") if c.strip()))
    data = result.to_dict(all_states)
    coalitional = None
    if coalition:
        # Named coalitions come with every decision maker alone, so that a coalitional equilibrium
        # is stable for each DM and for each coalition (Kilgour et al. 2001).
        groups = _coalition_groups(m, coalition)
        asked = list(data["concepts"])
        standard = [c for c in asked if c in conflict.CONCEPTS]
        if not standard:
            raise UsageFailure(
                f"coalitional stability is defined for {', '.join(conflict.CONCEPTS)}; --concepts "
                f"{','.join(asked)} has none of them"
            )
        left_out = []
        if concepts_given is None and m.n_states > MAX_STATES and "smr" in standard:
            # Left to its default on a large model, coalitional SMR (a direct search) is left out.
            standard.remove("smr")
            left_out = ["smr"]
        coalitional = conflict.coalition_analysis(m, groups, standard)
        data["coalitions"] = coalitional.to_dict(all_states)
        no_form = [c for c in asked if c not in conflict.CONCEPTS]
        if no_form:
            data["coalitions"]["no_coalitional_form"] = no_form
        if left_out:
            data["coalitions"]["left_out"] = left_out
    why = []
    if explain_state is not None:
        explained = [c for c in data["concepts"] if c in conflict.EXPLAINED]
        why = [conflict.explain(m, dm, explain_state, c) for dm in m.dm_names for c in explained]
        data["explanations"] = [e.to_dict(m) for e in why]
        skipped = [c for c in data["concepts"] if c not in conflict.EXPLAINED]
        if skipped:
            data["not_explained"] = skipped
    if as_json:
        _print_json(data)
        return
    typer.echo(result.summary())
    if coalitional is not None:
        typer.echo(f"coalitions: {', '.join(coalitional.name(h) for h in coalitional.coalitions)}")
        for c in coalitional.tables:
            eq = [m.pattern(s) for s in coalitional.equilibria(c)]
            shown = ", ".join(eq[:20]) + (f", ... ({len(eq)} in all)" if len(eq) > 20 else "")
            counts = ", ".join(
                f"{coalitional.name(h)} {int(tab.sum())}" for h, tab in coalitional.tables[c].items()
            )
            typer.echo(
                f"{'C' + c.upper():>6}: {len(eq)} coalitional equilibria: {shown or '-'}   [stable: {counts}]"
            )
        if data["coalitions"].get("no_coalitional_form"):
            names = ", ".join(c.upper() for c in data["coalitions"]["no_coalitional_form"])
            typer.echo(f"({names}: no coalitional form; shown for single decision makers only)")
        if data["coalitions"].get("left_out"):
            typer.echo(
                f"(coalitional SMR left out: it is searched state by state, up to {MAX_STATES} states, "
                f"and this model has {m.n_states})"
            )
    from accord.conflict.words import deterrence_in_words

    for e in why:
        typer.echo(e.text(m))
        for line in deterrence_in_words(m, e):
            typer.echo(f"    {line}.")
    if explain_state is not None and data.get("not_explained"):
        names = ", ".join(c.upper() for c in data["not_explained"])
        typer.echo(f"({names}: anticipation, not sanctions; no sanction sequence to show)")


@conflict_app.command("paths")
def conflict_paths(
    model: ModelArg = DEFAULT,
    start: Annotated[
        str | None, typer.Option("--from", help="Start state (default: the model's status quo).")
    ] = None,
    target: Annotated[
        list[str] | None, typer.Option("--to", help="Target state(s) (default: the equilibria).")
    ] = None,
    coalition: Annotated[
        list[str] | None,
        typer.Option("--coalition", help="Decision makers that may move jointly, e.g. Israel+Hamas."),
    ] = None,
    concept: Annotated[
        str, typer.Option("--concept", help="Equilibria of this concept are the default targets.")
    ] = "gmr",
    as_json: JsonOpt = False,
) -> None:
    """Status quo analysis: which equilibria the conflict can reach from a state, and by which moves."""
    from accord import conflict

    m = _model(model)
    coalitions = [_coalition_members(m, c) for c in (coalition or [])]
    result = conflict.status_quo_paths(m, start, targets=target, concept=concept, coalitions=coalitions)
    data = result.to_dict()
    if as_json:
        _print_json(data)
        return
    from accord.conflict.words import state_in_words, steps_in_words

    typer.echo(
        f"from {data['start']} ({state_in_words(m, data['start'])}): {len(data['reachable'])} states reachable"
    )
    for t in data["targets"]:
        steps = " -> ".join(f"{s['dm']}: {s['from']}->{s['to']}" for s in t["path"]) or "(start)"
        typer.echo(f"  reaches {t['state']}: {steps}")
        for k, line in enumerate(steps_in_words(m, t["path"]), 1):
            typer.echo(f"      {k}. {line}")
    if data.get("unreachable_targets"):
        typer.echo(f"  {len(data['unreachable_targets'])} target state(s) not reachable")


@conflict_app.command("inverse")
def conflict_inverse(
    model: Annotated[str, typer.Argument(help="Conflict model file or built-in name.")],
    dm: Annotated[str, typer.Argument(help="Decision maker whose preferences are unknown.")],
    state: Annotated[str, typer.Argument(help="Desired equilibrium (option pattern).")],
    concept: Annotated[str, typer.Option("--concept")] = "nash",
    limit: Annotated[int, typer.Option("--limit", min=0, help="Most rankings to list.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Inverse analysis: which preference rankings of a decision maker make a state an equilibrium."""
    from accord import conflict

    m = _model(model)
    result = conflict.inverse(m, dm, state, limit, concept=concept)
    data = result.to_dict()
    if as_json:
        _print_json(data)
        return
    for k, v in data.items():
        if k != "rankings":
            typer.echo(f"{k}: {v}")
    for r in data.get("rankings", [])[:limit]:
        typer.echo(f"  {r}")


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


runs_app = typer.Typer(
    help="Run history: every analysis, simulation and briefing run through the CLI is saved.",
    no_args_is_help=True,
)
app.add_typer(runs_app, name="runs")


def _store(url: str | None) -> Any:
    from accord.store import Store

    return Store(url)


@runs_app.command("list")
def runs_list(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many runs (latest first).")] = 20,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Only runs of this kind (brief, analysis, simulation, report)."),
    ] = None,
    scenario: Annotated[str | None, typer.Option("--scenario", help="Only runs of this scenario id.")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List stored runs, latest first."""
    with _store(store) as st:
        rows = [r.to_dict() for r in st.list_runs(limit=limit, kind=kind, scenario_id=scenario)]
        url = st.url
    if as_json:
        _print_json(rows)
        return
    from rich.table import Table

    t = Table(title=f"Runs in {url}", title_justify="left")
    for col in ("id", "when (UTC)", "kind", "scenario", "seed", "params", "seconds"):
        t.add_column(col)
    for r in rows:
        params = ", ".join(f"{k}={v}" for k, v in r["params"].items() if not isinstance(v, dict))
        t.add_row(
            str(r["id"]),
            r["created_at"].replace("+00:00", ""),
            r["kind"],
            f"{r['scenario_id']} [dim]{r['scenario_hash'][:8]}[/dim]",
            str(r["seed"]),
            params,
            f"{r['seconds']:.2f}",
        )
    _console().print(t)


@runs_app.command("show")
def runs_show(
    run_id: Annotated[int, typer.Argument(help="Run id (see accord runs list).")],
    store: StoreOpt = None,
    scenario_text: Annotated[
        bool, typer.Option("--scenario-text", help="Also print the stored scenario text.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Show one run: parameters, timings and results."""
    from dataclasses import asdict

    with _store(store) as st:
        run = st.get(run_id)
    data = asdict(run)
    if not scenario_text:
        data.pop("scenario_text")
    if as_json:
        _print_json(data)
        return
    con = _console()
    con.rule(f"[bold]run {run.id}[/bold] · {run.kind} · {run.scenario_title}")
    con.print(
        f"[dim]{run.created_at} · scenario {run.scenario_id} ({run.scenario_hash[:12]}) · seed {run.seed} · "
        f"accord {run.version} · {run.seconds:.2f} s[/dim]"
    )
    con.print("params: " + json.dumps(run.params, default=str))
    res = run.results
    if "deal_possible_now" in res:
        con.print(f"deal possible now: {res['deal_possible_now']}")
    zopa = res.get("zopa_now") or res.get("zopa") or (res.get("analysis") or {}).get("zopa")
    if isinstance(zopa, dict):
        con.print(f"ZOPA: {zopa.get('size')} of {zopa.get('n_outcomes')} packages")
    if "agreement_rate" in res:
        con.print(f"simulated agreement rate: {res['agreement_rate']:.1%}")
    con.print(
        f"[dim]results: {len(json.dumps(res, default=str)):,} characters of JSON (--json to see them)[/dim]"
    )
    if scenario_text:
        con.print(run.scenario_text, markup=False, highlight=False)


@runs_app.command("diff")
def runs_diff(
    a: Annotated[int, typer.Argument(help="First run id.")],
    b: Annotated[int, typer.Argument(help="Second run id.")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most result values to list.")] = 40,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What differs between two runs: scenario, parameters and result values."""
    from accord.store import diff

    with _store(store) as st:
        d = diff(st.get(a), st.get(b), limit=limit)
    if as_json:
        _print_json(d)
        return
    con = _console()
    con.print(
        f"runs {a} and {b}: "
        + (
            "same scenario"
            if d["same_scenario"]
            else f"different scenarios ({d['scenario']['a']} vs {d['scenario']['b']})"
        )
    )
    for k, v in d["params"].items():
        con.print(f"  {k}: {v['a']} → {v['b']}")
    con.print(f"{d['n_results_differing']} result values differ" + (":" if d["results"] else "."))
    for r in d["results"]:
        con.print(f"  {r['path']}: {r['a']} → {r['b']}", markup=False, highlight=False)


@runs_app.command("export")
def runs_export(
    ids: Annotated[list[int] | None, typer.Argument(help="Run ids (default: all).")] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")
    ] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = True,
) -> None:
    """Export runs in full (scenario text, parameters, results) as JSON."""
    from accord.store import dumps

    with _store(store) as st:
        data = st.export(list(ids) if ids else None)
    text = dumps(data) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageFailure(f"{output}: cannot write: {exc.strerror}") from None
    typer.echo(f"wrote {len(data)} runs to {output}")


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Interface to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port (0: any free port).")] = 8765,
    store: StoreOpt = None,
    workers: Annotated[int, typer.Option("--jobs", min=1, max=64, help="Analyses run at the same time.")] = 2,
) -> None:
    """Start the local web workbench (http://127.0.0.1:8765 by default)."""
    try:
        import uvicorn

        from accord.web import create_app
    except ImportError:
        raise UsageFailure("the workbench needs its extra: pip install 'accord[web]'") from None
    app_ = create_app(store=store, jobs=workers)
    if port == 0:
        import socket

        with socket.socket() as sock:
            sock.bind((host, 0))
            port = int(sock.getsockname()[1])
    typer.echo(f"accord workbench on http://{host}:{port} (Ctrl-C to stop)")
    uvicorn.run(app_, host=host, port=port, log_level="warning")


def _click_exceptions() -> Any:
    """Click's exception classes: typer 0.2x ships its own copy of click, older typer uses click."""
    import importlib

    try:
        return importlib.import_module("typer._click.exceptions")
    except ImportError:  # pragma: no cover - older typer
        return importlib.import_module("click.exceptions")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turning user mistakes into one line and exit status 2."""
    from accord.errors import AccordError

    cx = _click_exceptions()
    no_args = getattr(cx, "NoArgsIsHelpError", ())
    try:
        rv = app(args=argv, prog_name="accord", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except no_args as exc:  # a command group given no command: its help (rich may print it itself)
        text = exc.ctx.get_help() if exc.ctx else str(exc)
        if text:
            typer.echo(text)
        return 0
    except cx.UsageError as exc:  # one line instead of click's box: what, where, how to get help
        where = exc.ctx.command_path if exc.ctx else "accord"
        sys.stderr.write(f"error: {where}: {exc.format_message().rstrip('.')} (see '{where} --help')\n")
        return 2
    except cx.ClickException as exc:
        sys.stderr.write(f"error: {exc.format_message()}\n")
        return int(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("interrupted\n")
        return 130
    except (AccordError, UsageFailure) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    # Outside standalone mode click returns the code of a typer.Exit as the result, so commands
    # must not return integers (tests/test_cli.py checks every command's return annotation).
    return rv if isinstance(rv, int) and not isinstance(rv, bool) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
