"""Running a sweep: in this process, on local processes, or on Ray (local or a cluster by address).

Samples go out in batches (a batch is sized to take about half a second, so a task's scheduling
overhead stays far below its compute); the plan (scenario, swept paths) is put into Ray's object
store once and each worker process builds the compiled job from it once. Results come back as they
finish, are streamed to Parquet part files next to the output, and are assembled into the output
file at the end. Work lost with a dead worker is re-run (``max_retries``: Ray retries the task; a
new local process pool takes over the unfinished batches); a task's rows
are recorded once, when its result arrives, so nothing is lost or counted twice. ``resume`` reads
what an interrupted sweep recorded and runs only the missing samples.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import ConfigurationError, Location
from accord.scale.jobs import get_job
from accord.scale.plan import Plan, make_plan, run_batch
from accord.scenario.schema import Scenario

Progress = Callable[[int, int], None]
Batch = dict[str, Any]
META_KEY = b"accord.sweep"
#: With ``backend="auto"``, sweeps with less compute than this (seconds) run in this process.
SMALL_S = 2.0


# --------------------------------------------------------------------------------------- backends
def _chunks(pending: NDArray[np.int64], size: int) -> Iterator[NDArray[np.int64]]:
    for a in range(0, pending.size, size):
        yield pending[a : a + size]


def _run_inline(plan: Plan, pending: NDArray[np.int64], size: int, emit: Callable[[Batch], None]) -> None:
    for chunk in _chunks(pending, size):
        emit(run_batch(plan, chunk))


_WORKER_PLAN: Plan | None = None


def _init_worker(plan: Plan) -> None:
    global _WORKER_PLAN
    _WORKER_PLAN = plan


def _pool_batch(indices: NDArray[np.int64]) -> Batch:
    assert _WORKER_PLAN is not None
    return run_batch(_WORKER_PLAN, indices)


def _run_processes(
    plan: Plan,
    pending: NDArray[np.int64],
    size: int,
    workers: int,
    emit: Callable[[Batch], None],
    max_retries: int = 5,
) -> None:
    """Run the batches on local worker processes; when a worker dies (the pool breaks), start a new
    pool for the batches not yet emitted, up to ``max_retries`` times. Every batch is a pure
    function of its sample indices and is emitted once, when its result arrives, so a re-run loses
    and repeats nothing."""
    from concurrent.futures.process import BrokenProcessPool

    todo = list(_chunks(pending, size))
    broken = 0
    while todo:
        done_ids: set[int] = set()
        try:
            _process_pass(plan, todo, workers, emit, done_ids)
            return
        except BrokenProcessPool:
            broken += 1
            if broken > max_retries:
                raise
            todo = [c for k, c in enumerate(todo) if k not in done_ids]


def _process_pass(
    plan: Plan,
    chunks: list[NDArray[np.int64]],
    workers: int,
    emit: Callable[[Batch], None],
    done_ids: set[int],
) -> None:
    """One pool's run over ``chunks``; records in ``done_ids`` the chunks whose rows were emitted."""
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(plan,)) as pool:
        running: dict[Any, int] = {}

        def collect(block: bool) -> None:
            done, _ = wait(set(running), return_when=FIRST_COMPLETED) if block else (set(), None)
            for f in done:
                k = running.pop(f)
                emit(f.result())
                done_ids.add(k)

        for k, chunk in enumerate(chunks):  # keep a window of 2 batches per worker in flight
            running[pool.submit(_pool_batch, chunk)] = k
            if len(running) >= 2 * workers:
                collect(True)
        while running:
            collect(True)


_PLAN_REFS: dict[str, Any] = {}


def _ray_batch(key: str, plan_box: list[Any], indices: NDArray[np.int64]) -> Batch:
    """Ray task: one batch. The plan comes by reference (in a list, so Ray does not resolve it per
    task) and is fetched from the object store once per worker process."""
    from accord.scale import plan as plan_mod

    cached = plan_mod._CACHE.get("plan:" + key)
    if cached is None:
        import ray

        cached = ray.get(plan_box[0])
        plan_mod._CACHE["plan:" + key] = cached
    return run_batch(cached, indices)


def check_address(address: str, timeout: float = 3.0) -> None:
    """Fail fast, with one line, when a Ray cluster address cannot be reached."""
    if address in ("auto", "local"):
        return
    hostport = address.split("://", 1)[-1].rstrip("/")
    host, sep, port_s = hostport.rpartition(":")
    if not sep or not host or not port_s.isdigit():
        raise ConfigurationError(
            f"Ray address '{address}' is not HOST:PORT (e.g. 127.0.0.1:6379 or ray://head:10001)",
            Location(path="--address"),
        )
    try:
        with socket.create_connection((host, int(port_s)), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__.replace("Error", "").lower() or "no answer"
        raise ConfigurationError(
            f"cannot reach a Ray cluster at '{address}' ({reason} within {timeout:g} s); start one there "
            "with `ray start --head --port PORT` or check the address",
            Location(path="--address"),
        ) from None


def _ray_init(address: str | None, workers: int) -> bool:
    """Start or join Ray quietly; return whether this call started it (and must shut it down)."""
    import ray

    if ray.is_initialized():
        return False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    kw: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,
        "logging_level": logging.ERROR,
        "configure_logging": True,
    }
    try:
        if address:
            check_address(address)
            kw.pop("include_dashboard")
            ray.init(address=address, **kw)
        else:
            # Ray runs its workers at nice 15 by default; a local sweep should get the CPU share a
            # single-process run gets on a shared machine (a cluster keeps its own setting)
            unset = "RAY_worker_niceness" not in os.environ
            if unset:
                os.environ["RAY_worker_niceness"] = "0"
            try:
                ray.init(num_cpus=workers, **kw)
            finally:
                if unset:
                    os.environ.pop("RAY_worker_niceness", None)
    except ConfigurationError:
        raise
    except Exception as exc:  # ray raises ConnectionError, RuntimeError, ValueError ...
        where = f"the Ray cluster at '{address}'" if address else "a local Ray instance"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigurationError(
            f"could not start or join {where}: {first}", Location(path="--address")
        ) from None
    return True


def _ray_cpus() -> int:
    import ray

    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _run_ray(
    plan: Plan,
    pending: NDArray[np.int64],
    size: int,
    emit: Callable[[Batch], None],
    max_retries: int = 5,
) -> None:
    import ray

    task = ray.remote(num_cpus=1, max_retries=max_retries, retry_exceptions=False)(_ray_batch)
    ref = ray.put(plan)  # once: every task gets the reference, not the plan
    box = [ref]
    window = 2 * _ray_cpus() + 2
    running: list[Any] = []
    for chunk in _chunks(pending, size):
        running.append(task.remote(plan.key, box, chunk))
        if len(running) >= window:
            done, running = ray.wait(running, num_returns=1)
            for d in done:
                emit(ray.get(d))
    while running:
        done, running = ray.wait(running, num_returns=1)
        for d in done:
            emit(ray.get(d))


def ray_available() -> bool:
    """Whether Ray can be imported here."""
    import importlib.util

    return importlib.util.find_spec("ray") is not None


# ------------------------------------------------------------------------------------------- sink
def _pa() -> Any:
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - depends on the install
        raise ConfigurationError(
            "writing Parquet needs pyarrow: pip install 'accord[scale]'", Location(path="--output")
        ) from None
    return pa


def _to_table(batch: Batch, meta: bytes) -> Any:
    pa = _pa()
    arrays = {k: pa.array(v) for k, v in batch.items()}
    return pa.table(arrays).replace_schema_metadata({META_KEY: meta})


def _concat(tables: list[Any]) -> Any:
    pa = _pa()
    return pa.concat_tables(tables, promote_options="permissive")


class Sink:
    """Collects batches; with an output path, streams them to Parquet part files as they arrive."""

    def __init__(self, plan: Plan, output: Path | None, flush_s: float = 2.0) -> None:
        self.plan = plan
        self.output = output
        self.meta = json.dumps(plan.fingerprint(), sort_keys=True).encode()
        self.parts = Path(str(output) + ".parts") if output is not None else None
        self.buffer: list[Batch] = []
        self.kept: list[Batch] = []
        self.flush_s = flush_s
        self.last = time.monotonic()
        self.seq = 0
        self.count = 0
        if self.parts is not None:
            self.parts.mkdir(parents=True, exist_ok=True)
            existing = sorted(self.parts.glob("part-*.parquet"))
            self.seq = int(existing[-1].stem.split("-")[1]) + 1 if existing else 0

    def add(self, batch: Batch) -> None:
        self.count += len(batch["sample"])
        if self.parts is None:
            self.kept.append(batch)
        else:
            self.buffer.append(batch)
            if time.monotonic() - self.last >= self.flush_s:
                self.flush()

    def flush(self) -> None:
        if self.parts is None or not self.buffer:
            return
        pq = _pq()
        tables = [_to_table(b, self.meta) for b in self.buffer]
        table = _concat(tables)
        tmp = self.parts / f".part-{self.seq:06d}.tmp"
        # one row group per batch: a batch is a sorted run of sample indices, so the final file can
        # be assembled in sample order one row group at a time
        with pq.ParquetWriter(tmp, table.schema) as w:
            offset = 0
            for t in tables:
                w.write_table(table.slice(offset, t.num_rows), row_group_size=max(t.num_rows, 1))
                offset += t.num_rows
        os.replace(tmp, self.parts / f"part-{self.seq:06d}.parquet")
        self.seq += 1
        self.buffer = []
        self.last = time.monotonic()


def _pq() -> Any:
    _pa()
    import pyarrow.parquet as pq

    return pq


def _recorded(plan: Plan, output: Path) -> list[Path]:
    """Files holding rows of an earlier run of this sweep (checked to be the same sweep)."""
    files = []
    if output.exists():
        files.append(output)
    parts = Path(str(output) + ".parts")
    if parts.is_dir():
        files.extend(sorted(parts.glob("part-*.parquet")))
    pq = _pq()
    want = plan.fingerprint()
    for f in files:
        md = pq.read_schema(f).metadata or {}
        got = json.loads(md.get(META_KEY, b"{}"))
        if got != want:
            diff = [k for k in want if got.get(k) != want[k]] or ["format"]
            raise ConfigurationError(
                f"{f} holds a different sweep (its {', '.join(diff)} differ); use another output or --force",
                Location(path="--resume"),
            )
    return files


def _done_samples(files: list[Path]) -> NDArray[np.int64]:
    pq = _pq()
    got = [np.asarray(pq.read_table(f, columns=["sample"]).column("sample").to_numpy()) for f in files]
    return np.unique(np.concatenate(got)) if got else np.zeros(0, dtype=np.int64)


def _conform(table: Any, schema: Any) -> Any:
    """``table`` with exactly the columns and types of ``schema`` (missing columns as nulls)."""
    pa = _pa()
    cols = []
    for f in schema:
        if f.name in table.column_names:
            cols.append(table.column(f.name).cast(f.type))
        else:
            cols.append(pa.nulls(table.num_rows, f.type))
    return pa.Table.from_arrays(cols, schema=schema)


def _row_groups(files: list[Path]) -> list[tuple[int, int, Path, int]] | None:
    """(first sample, last sample, file, row group) of every row group, in sample order; None when
    row groups overlap (then the rows are assembled in memory)."""
    pq = _pq()
    out = []
    for f in files:
        md = pq.ParquetFile(f).metadata
        col = md.schema.names.index("sample")
        for g in range(md.num_row_groups):
            rg = md.row_group(g)
            if rg.num_rows == 0:
                continue
            st = rg.column(col).statistics
            if st is None or not st.has_min_max:
                return None
            out.append((int(st.min), int(st.max), f, g))
    out.sort(key=lambda r: (r[0], r[1]))
    for a, b in itertools.pairwise(out):
        if b[0] <= a[1]:
            return None
    return out


def _assemble(plan: Plan, output: Path, files: list[Path]) -> None:
    """Write every recorded row once, sorted by sample index, into ``output``; remove the parts.

    Row groups are copied in sample order one at a time (memory: one group of about 100,000 rows),
    since every batch is a sorted run of indices; if runs overlap, the rows are sorted in memory.
    """
    pq = _pq()
    pa = _pa()
    if not files:  # pragma: no cover - a sweep has at least one sample
        return
    schema = pa.unify_schemas([pq.read_schema(f) for f in files], promote_options="permissive")
    schema = schema.with_metadata({META_KEY: json.dumps(plan.fingerprint(), sort_keys=True).encode()})
    tmp = output.with_name(output.name + ".tmp")
    groups = _row_groups(files)
    with pq.ParquetWriter(tmp, schema) as w:
        if groups is not None:
            pending: list[Any] = []
            rows = 0
            for first, _last, f, g in groups:
                if first >= plan.n:
                    continue
                t = _conform(pq.ParquetFile(f).read_row_group(g), schema)
                t = t.filter(pa.array(np.asarray(t.column("sample").to_numpy()) < plan.n))
                pending.append(t)
                rows += t.num_rows
                if rows >= 100_000:
                    w.write_table(pa.concat_tables(pending))
                    pending, rows = [], 0
            if pending:
                w.write_table(pa.concat_tables(pending))
        else:
            table = pa.concat_tables([_conform(pq.read_table(f), schema) for f in files])
            samples = np.asarray(table.column("sample").to_numpy())
            # each sample once (the first recorded copy), below the sweep's size, sorted by index
            uniq, first_idx = np.unique(samples, return_index=True)
            w.write_table(table.take(pa.array(first_idx[uniq < plan.n])))
    os.replace(tmp, output)
    parts = Path(str(output) + ".parts")
    if parts.is_dir():
        shutil.rmtree(parts)


# ------------------------------------------------------------------------------------------ result
@dataclass
class SweepResult:
    """Result of :func:`sweep`: one row per sample, sorted by sample index, and a summary.

    ``columns`` holds ``sample``, ``seed``, the swept parameters and the job's result columns. When
    the sweep wrote a Parquet file, the Monte Carlo draws of the sampled parameters are in the file
    only (``table()`` reads it all).
    """

    job: str
    n: int
    seed: int
    varied: list[str]
    sampled: list[str]
    backend: str
    workers: int
    seconds: float
    reused: int
    output: str | None
    columns: dict[str, list[Any]]
    summary: dict[str, Any]
    batch_size: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Samples computed per second in this run (reused samples excluded)."""
        done = self.n - self.reused
        return done / self.seconds if self.seconds > 0 else 0.0

    def rows(self) -> list[dict[str, Any]]:
        """The rows as dicts (sorted by sample)."""
        names = list(self.columns)
        return [dict(zip(names, vals, strict=True)) for vals in zip(*self.columns.values(), strict=True)]

    def table(self) -> Any:
        """All columns as a ``pyarrow.Table`` sorted by sample (read from the output file if any)."""
        if self.output is not None:
            t = _pq().read_table(self.output)
            return t.take(_pa().array(np.argsort(t.column("sample").to_numpy(), kind="stable")))
        return _pa().table(self.columns)

    def to_pandas(self) -> Any:
        """All columns as a pandas DataFrame (needs pandas)."""
        return self.table().to_pandas()

    def to_dict(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "n": self.n,
            "seed": self.seed,
            "varied": list(self.varied),
            "n_sampled_params": len(self.sampled),
            "backend": self.backend,
            "workers": self.workers,
            "batch_size": self.batch_size,
            "seconds": self.seconds,
            "samples_per_s": self.rate,
            "reused": self.reused,
            "output": self.output,
            "summary": self.summary,
            "notes": list(self.notes),
        }


def summarize(columns: dict[str, list[Any]], skip: set[str]) -> dict[str, Any]:
    """Per result column: share true (flags), mean and quantiles (numbers), shares (labels)."""
    out: dict[str, Any] = {}
    for name, vals in columns.items():
        if name in skip:
            continue
        present = [v for v in vals if v is not None and not (isinstance(v, float) and v != v)]
        entry: dict[str, Any] = {"n": len(present)}
        if present and all(isinstance(v, bool | np.bool_) for v in present):
            entry["share_true"] = float(np.mean(np.asarray(present, dtype=float)))
        elif present and all(isinstance(v, int | float | np.number) for v in present):
            x = np.asarray(present, dtype=float)
            q5, q50, q95 = np.quantile(x, [0.05, 0.5, 0.95])
            entry.update(mean=float(x.mean()), p5=float(q5), median=float(q50), p95=float(q95))
        elif present:
            values, counts = np.unique(np.asarray([str(v) for v in present]), return_counts=True)
            order = np.argsort(-counts, kind="stable")[:8]
            entry["shares"] = {str(values[i]): float(counts[i] / len(present)) for i in order}
        out[name] = entry
    return out


def _merge(batches: list[Batch]) -> dict[str, list[Any]]:
    names: list[str] = []
    for b in batches:
        for k in b:
            if k not in names:
                names.append(k)
    cols: dict[str, list[Any]] = {k: [] for k in names}
    for b in batches:
        n = len(b["sample"])
        for k in names:
            v = b.get(k)
            if v is None:
                cols[k].extend([None] * n)
            elif isinstance(v, np.ndarray):
                cols[k].extend(v.tolist())
            else:
                cols[k].extend(v)
    if not names:
        return cols
    order = np.argsort(np.asarray(cols["sample"], dtype=np.int64), kind="stable")
    return {k: [v[i] for i in order] for k, v in cols.items()}


def _record_run(result: SweepResult, plan: Plan) -> None:
    """Hook: record the sweep in the run store when this version has one (``accord.store``)."""
    import importlib
    import importlib.util

    if importlib.util.find_spec("accord.store") is None:
        return
    store = importlib.import_module("accord.store")
    record = getattr(store, "record_run", None)
    if record is None:
        return
    try:
        record(kind="sweep", scenario=plan.scenario, result=result.to_dict())
    except TypeError:  # a store with another signature: leave the sweep unrecorded rather than fail
        return


# ------------------------------------------------------------------------------------------- sweep
def sweep(
    scenario: Scenario | str,
    job: str = "analyze",
    vary: list[str] | list[tuple[str, Any]] | dict[str, Any] | None = None,
    *,
    runs: int | None = None,
    seed: int = 0,
    workers: int = 0,
    address: str | None = None,
    output: str | Path | None = None,
    resume: bool = False,
    force: bool = False,
    sample_rest: bool = False,
    backend: str = "auto",
    batch_size: int | None = None,
    progress: Progress | None = None,
    max_retries: int = 5,
) -> SweepResult:
    """Run ``job`` on every sample of a parameter sweep or Monte Carlo over a scenario.

    Parameters
    ----------
    scenario : Scenario or str
        A scenario, a file path or a built-in name.
    job : str
        ``analyze``, ``simulate`` (and ``forecast``, ``conflict`` when their modules provide a
        ``sweep_row``); see :data:`accord.scale.JOBS`.
    vary : list of str, list of (path, values), or dict path -> values, optional
        Swept numbers, as ``"PATH=LO:HI:N"`` or ``"PATH=v1,v2,..."`` (grammar in ``docs/scale.md``).
        The samples are every combination, ``runs`` times each. Without ``vary``, every parameter
        with a ``range`` is drawn uniformly on it, ``runs`` times (Monte Carlo).
    runs : int, optional
        Replicates per grid point (default 1), or Monte Carlo draws (default 1000).
    seed : int
        Sweep seed; sample ``i`` uses ``SeedSequence([seed, i])``, so results do not depend on the
        number of workers, the backend or the completion order.
    workers : int
        Parallel workers (``0``: one per core; ``1``: in this process unless ``address`` is given).
    address : str, optional
        Ray cluster address (``HOST:PORT``, ``ray://HOST:10001`` or ``auto``); default ``RAY_ADDRESS``.
    output : path, optional
        Parquet file of the rows (needs pyarrow), written while the sweep runs.
    resume : bool
        Continue an interrupted sweep from ``output`` without redoing recorded samples.
    force : bool
        Replace an existing ``output``.
    sample_rest : bool
        With ``vary``: also draw every other parameter that has a range.
    backend : {"auto", "ray", "processes", "inline"}
        ``auto`` uses Ray when it is installed and more than one worker (or an address) is asked
        for, local processes when Ray is missing, and this process for one worker.
    batch_size : int, optional
        Samples per task (default: about half a second of work, measured on the first samples).
    progress : callable, optional
        Called as ``progress(done, total)`` as results arrive.
    max_retries : int
        Times a batch is re-run when its worker (or, on Ray, its node) died: Ray retries the task;
        with local processes a new pool takes over the batches not yet finished.

    Returns
    -------
    SweepResult
    """
    t0 = time.perf_counter()
    if isinstance(scenario, str):
        from accord.scenario import load

        scenario = load(scenario)
    plan = make_plan(scenario, get_job(job), vary, runs=runs, seed=seed, sample_rest=sample_rest)
    address = address or os.environ.get("RAY_ADDRESS") or None
    if workers < 0:
        raise ConfigurationError(f"workers must be at least 1 (or 0 for one per core), got {workers}")
    n_workers = workers or (os.cpu_count() or 1)
    if backend not in ("auto", "ray", "processes", "inline"):
        raise ConfigurationError(
            f"unknown backend '{backend}'; valid: 'auto', 'ray', 'processes' or 'inline'",
            Location(path="backend"),
        )
    auto = backend == "auto" and not address
    if backend == "auto":
        if address:
            backend = "ray"
        elif n_workers == 1:
            backend = "inline"
        else:
            backend = "ray" if ray_available() else "processes"
    if backend == "ray" and not ray_available():
        raise ConfigurationError(
            "running on Ray needs the 'scale' extra: pip install 'accord[scale]'", Location(path="--address")
        )
    if address and backend != "ray":
        raise ConfigurationError(
            f"--address needs the Ray backend, not '{backend}'", Location(path="--address")
        )

    out_path = Path(output) if output is not None else None
    pending = np.arange(plan.n, dtype=np.int64)
    files: list[Path] = []
    reused = 0
    if out_path is not None:
        _pa()
        parts = Path(str(out_path) + ".parts")
        if resume:
            files = _recorded(plan, out_path)
            done = _done_samples(files)
            pending = np.setdiff1d(pending, done, assume_unique=True)
            reused = plan.n - pending.size
        elif out_path.exists() or parts.exists():
            if not force:
                raise ConfigurationError(
                    f"{out_path} exists; pass --resume to continue that sweep or --force to start over",
                    Location(path="--output"),
                )
            if out_path.exists():
                out_path.unlink()
            if parts.exists():
                shutil.rmtree(parts)
    elif resume:
        raise ConfigurationError(
            "--resume needs the output file of the sweep (-o FILE)", Location(path="--resume")
        )

    keep = {v.path for v in plan.grid}
    sink = Sink(plan, out_path)
    total = plan.n
    done_count = reused

    def emit(batch: Batch) -> None:
        nonlocal done_count
        sink.add(batch)
        done_count += len(batch["sample"])
        if progress is not None:
            progress(done_count, total)

    if progress is not None:
        progress(done_count, total)
    size = batch_size or 0
    started_ray = False
    notes: list[str] = []
    try:
        if pending.size:
            # the first samples run here: they check the job works before anything is shipped, and
            # time it to size the batches
            head = pending[: min(1, pending.size)]
            if plan.fast:
                from accord.scale.plan import evaluator

                evaluator(plan)  # built once per process; not part of a sample's time
            emit(run_batch(plan, head))  # warms caches; a failing job fails here, before any shipping
            probe = pending[head.size : head.size + 8]
            t_probe = time.perf_counter()
            if probe.size:
                emit(run_batch(plan, probe))
            per_sample = (time.perf_counter() - t_probe) / max(probe.size, 1)
            pending = pending[head.size + probe.size :]
            if not size:
                size = int(np.clip(0.5 / max(per_sample, 1e-6), 1, 5000))
            if auto and backend != "inline" and per_sample * pending.size < SMALL_S:
                backend = "inline"  # less work than starting workers costs
                notes.append(f"ran in this process: the sweep takes under {SMALL_S:g} s of compute")
            if backend == "ray":
                started_ray = _ray_init(address, n_workers)
                n_workers = _ray_cpus()
            if backend != "inline" and pending.size:  # give every worker several batches
                size = max(1, min(size, -(-pending.size // (4 * n_workers))))
            if backend == "inline":
                n_workers = 1
                _run_inline(plan, pending, size, emit)
            elif backend == "processes":
                from concurrent.futures.process import BrokenProcessPool

                try:
                    _run_processes(plan, pending, size, n_workers, emit, max_retries)
                except BrokenProcessPool:
                    raise ConfigurationError(
                        f"local worker processes died {max_retries + 1} times (out of memory, or killed); the "
                        "rows finished so far are kept with -o: rerun with --resume, fewer --workers, or on Ray "
                        "(pip install 'accord[scale]')",
                        Location(path="--workers"),
                    ) from None
            else:
                _run_ray(plan, pending, size, emit, max_retries)
    finally:
        sink.flush()
        if started_ray:
            import ray

            ray.shutdown()
    seconds = time.perf_counter() - t0
    if out_path is not None:
        files = _recorded(plan, out_path)
        _assemble(plan, out_path, files)
        pq = _pq()
        names = [c for c in pq.read_schema(out_path).names if c not in plan.columns or c in keep]
        t = pq.read_table(out_path, columns=names)
        columns = {c: t.column(c).to_pylist() for c in names}
    else:
        columns = _merge(sink.kept)
    if not plan.fast:
        notes.append(
            "each sample builds its scenario variant (a plain field is swept, or the job has no fast path)"
        )
    result = SweepResult(
        job=plan.job.name,
        n=plan.n,
        seed=seed,
        varied=[v.path for v in plan.grid],
        sampled=[t.path for t in plan.sampled],
        backend=backend,
        workers=n_workers,
        seconds=seconds,
        reused=reused,
        output=str(out_path) if out_path is not None else None,
        columns=columns,
        summary=summarize(columns, {"sample", "seed", *plan.columns}),
        batch_size=size,
        notes=notes,
    )
    _record_run(result, plan)
    return result


__all__ = ["SweepResult", "check_address", "ray_available", "summarize", "sweep"]
