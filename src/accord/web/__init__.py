"""The local web workbench: pick or edit a scenario, run analyses, read the report, browse past runs.

FastAPI with server-rendered pages (jinja2) and a few lines of plain JavaScript; no front-end build.
``accord serve`` listens on 127.0.0.1 only unless told otherwise. Scenario text goes through accord's
own loader (safe YAML, validated against the schema; nothing in a scenario is ever executed), uploads
and editor text are capped at :data:`MAX_SCENARIO_BYTES`, and every input error shows in the page
with its line and column.

Jobs run on a small thread pool and are recorded in the run history (:mod:`accord.store`). Job kinds
live in :data:`JOB_KINDS`: analysis, analysis with simulation, conflict stability (the graph model the
scenario links) and forecasts; conflict and forecast results reach the report through the
``conflict=`` / ``forecast=`` hooks of :func:`accord.report.data.report_context`.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from accord.errors import AccordError

MAX_SCENARIO_BYTES = 512 * 1024
"""Largest scenario text accepted from the editor or an upload (bytes)."""
HOOKS = ("conflict", "forecast")
"""Result keys a job kind's extra step may add; the report renders them through its hooks."""
MAX_RUNS = 20_000
"""Largest number of Monte Carlo draws or simulated negotiations one web job may ask for."""


@dataclass
class JobKind:
    """A kind of job the workbench can run: label, defaults, whether it is available yet, and an
    optional extra step.

    ``extra(scenario, seed, progress)`` runs after the briefing and returns a dict with any of the keys
    ``"conflict"`` and ``"forecast"`` in the plain-dict shapes of :mod:`accord.report.data`; they are
    stored with the run's results and shown in its report. This is how ``accord.conflict`` and
    ``accord.forecast`` plug in (see :func:`register_kind`).
    """

    label: str
    runs: int
    sim_runs: int
    available: bool = True
    note: str = ""
    extra: Callable[..., dict[str, Any]] | None = None


JOB_KINDS: dict[str, JobKind] = {
    "analysis": JobKind("Run analysis", runs=1000, sim_runs=0),
    "simulation": JobKind("Run analysis + simulation", runs=1000, sim_runs=200),
    # The briefing itself runs the scenario's graph model and the forecasting models; these kinds
    # skip the Monte Carlo parts so the stable states and forecasts come back quickly.
    "conflict": JobKind("Conflict stability", 0, 0, note="graph model linked from the scenario"),
    "forecast": JobKind("Forecast", 0, 0, note="compromise, weighted median and SMP"),
}


@dataclass
class Job:
    """A job in the workbench's memory (the run itself goes to the store when done)."""

    id: str
    kind: str
    status: str = "queued"  # queued | running | done | error
    step: str = "queued"
    progress: float = 0.0
    run_id: int | None = None
    error: str | None = None
    created: float = field(default_factory=time.time)
    future: Future[None] | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "step": self.step,
            "progress": round(self.progress, 3),
            "run_id": self.run_id,
            "error": self.error,
        }


def problems(exc: AccordError) -> list[dict[str, Any]]:
    """Every problem of a scenario error as ``{line, column, path, message, text}`` for the editor."""
    return [
        {
            "line": p.location.line,
            "column": p.location.column,
            "path": p.location.path,
            "message": p.message,
            "text": str(p),
        }
        for p in exc.problems
    ]


class Workbench:
    """State of one workbench: the store, the job pool, jobs and rendered reports."""

    def __init__(self, store: str | None = None, jobs: int = 2) -> None:
        from accord.store import Store

        self.store = Store(store)
        self.pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="accord-job")
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.lock = threading.Lock()
        self.reports: OrderedDict[int, dict[str, Any]] = OrderedDict()

    # ---------------------------------------------------------------- scenarios
    @staticmethod
    def parse(text: str, name: str = "editor") -> Any:
        """Validate scenario text with accord's loader (raises ScenarioError with line and column)."""
        from accord.errors import ScenarioError
        from accord.scenario import loads

        if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
            raise ScenarioError(f"the scenario is larger than {MAX_SCENARIO_BYTES // 1024} KiB; trim it")
        return loads(text, name)

    # ---------------------------------------------------------------- jobs
    def submit(self, kind: str, text: str, *, runs: int, sim_runs: int, seed: int) -> Job:
        """Validate, then queue a job; raises AccordError for bad input."""
        from accord.errors import ConfigurationError

        k = JOB_KINDS.get(kind)
        if k is None or not k.available:
            raise ConfigurationError(
                f"job kind '{kind}' is not available; valid: {', '.join(available_kinds())}"
            )
        for name, v in (("runs", runs), ("sim_runs", sim_runs)):
            if not 0 <= v <= MAX_RUNS:
                raise ConfigurationError(f"{name} must be between 0 and {MAX_RUNS:,}, got {v}")
        scenario = self.parse(text)
        job = Job(id=uuid.uuid4().hex[:12], kind=kind)
        with self.lock:
            self.jobs[job.id] = job
            while len(self.jobs) > 1000:
                self.jobs.popitem(last=False)
        job.future = self.pool.submit(self._run, job, scenario, runs, sim_runs, seed)
        return job

    def run_now(self, kind: str, text: str, *, runs: int, sim_runs: int, seed: int) -> Job:
        """Submit and wait (the API's synchronous form)."""
        job = self.submit(kind, text, runs=runs, sim_runs=sim_runs, seed=seed)
        if job.future is not None:
            job.future.result()
        return job

    def _run(self, job: Job, scenario: Any, runs: int, sim_runs: int, seed: int) -> None:
        from accord.jobs import brief

        job.status = "running"

        def progress(step: str, done: float) -> None:
            job.step, job.progress = step, done

        try:
            t0 = time.perf_counter()
            b = brief(scenario, runs=runs, seed=seed, sim_runs=sim_runs, progress=progress)
            results = b.to_dict()
            hooks: dict[str, Any] = {}
            kind = JOB_KINDS[job.kind]
            if kind.extra is not None:
                job.step = job.kind
                more = kind.extra(scenario, seed=seed, progress=progress)
                hooks = {k: more[k] for k in HOOKS if more.get(k) is not None}
                results.update(hooks)
            job.step = "saving"
            timings = {**b.timings, "total": time.perf_counter() - t0}
            job.run_id = self.store.save(
                job.kind,
                scenario,
                params={"runs": runs, "sim_runs": sim_runs, "via": "web"},
                seed=seed,
                timings=timings,
                results=results,
            )
            self._cache(job.run_id, b, hooks)
            job.status, job.step, job.progress = "done", "done", 1.0
        except AccordError as exc:
            job.status, job.error = "error", str(exc)
        except Exception as exc:  # a bug: keep the server up and say so in the page
            job.status, job.error = "error", f"internal error: {type(exc).__name__}: {exc}"

    def job(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    # ---------------------------------------------------------------- reports
    def _cache(self, run_id: int, b: Any, hooks: dict[str, Any] | None = None) -> dict[str, Any]:
        """Keep a run's results in memory; the report context is built on first view."""
        entry: dict[str, Any] = {"briefing": b, "ctx": None, "hooks": dict(hooks or {})}
        with self.lock:
            self.reports[run_id] = entry
            while len(self.reports) > 16:
                self.reports.popitem(last=False)
        return entry

    def report(self, run_id: int) -> dict[str, Any]:
        """The report of a stored run: from memory, else recomputed from the stored scenario text,
        parameters and seed (same seed, same result)."""
        with self.lock:
            hit = self.reports.get(run_id)
        if hit is not None:
            if hit["ctx"] is None:
                from accord.report.data import report_context

                hit["ctx"] = report_context(hit["briefing"], params={"run": run_id}, **hit["hooks"])
            return hit
        from accord.jobs import brief
        from accord.scenario import loads

        run = self.store.get(run_id)
        scenario = loads(run.scenario_text, f"run {run_id}")
        p = run.params
        b = brief(
            scenario,
            runs=int(p.get("runs", 0) or 0),
            seed=int(run.seed or 0),
            sim_runs=int(p.get("sim_runs", 0) or 0),
        )
        self._cache(run_id, b, {k: run.results[k] for k in HOOKS if isinstance(run.results.get(k), dict)})
        return self.report(run_id)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.store.close()


def available_kinds() -> list[str]:
    return [k for k, v in JOB_KINDS.items() if v.available]


def create_app(store: str | None = None, jobs: int = 2) -> Any:
    """The workbench as a FastAPI application (see :mod:`accord.web.app`)."""
    from accord.web.app import build

    return build(Workbench(store, jobs))


def register_kind(name: str, kind: JobKind) -> None:
    """Make a job kind available in the workbench (hook for accord.conflict and accord.forecast).

    Example: ``register_kind("conflict", JobKind("Conflict stability", runs=0, sim_runs=0,
    extra=lambda scenario, seed, progress: {"conflict": analyse_conflict(scenario)}))``.
    """
    JOB_KINDS[name] = kind


__all__ = [
    "HOOKS",
    "JOB_KINDS",
    "MAX_RUNS",
    "MAX_SCENARIO_BYTES",
    "Job",
    "JobKind",
    "Workbench",
    "create_app",
    "problems",
    "register_kind",
]
