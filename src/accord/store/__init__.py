"""Run history: every analysis and simulation run, with its scenario, parameters and results.

SQLAlchemy 2 over SQLite by default (``runs.db`` in the user's data directory, WAL journal) or any
SQLAlchemy URL, e.g. ``postgresql+psycopg://user:pass@host/db``. Choose the database with ``url=``, the
``ACCORD_STORE`` environment variable or ``--store`` on the command line (``off`` disables recording).

A run is written in one transaction (the scenario row, if new, and the run row together), so a process
killed mid-write leaves no half-written run. Scenarios are stored once, keyed by the SHA-256 of their
normalised YAML text (:func:`accord.scenario.dump`).

Example
-------
>>> from accord.store import Store
>>> store = Store("sqlite://")            # in memory
>>> run_id = store.save("analysis", scenario, params={"runs": 100}, seed=0, results={...})
>>> store.list_runs()[0].id == run_id
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from accord.errors import ConfigurationError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from accord.scenario.schema import Scenario

ENV = "ACCORD_STORE"
OFF = ("off", "none", "no", "0", "")


class _Base(DeclarativeBase):
    pass


class ScenarioRow(_Base):
    """A scenario, stored once per distinct normalised text."""

    __tablename__ = "accord_scenarios"
    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    scenario_id: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)


class RunRow(_Base):
    """One run: kind, parameters, seed, version, timings and results (JSON)."""

    __tablename__ = "accord_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    scenario_hash: Mapped[str] = mapped_column(ForeignKey("accord_scenarios.hash"), index=True)
    scenario_id: Mapped[str] = mapped_column(String(200), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    seed: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version: Mapped[str] = mapped_column(String(40))
    seconds: Mapped[float] = mapped_column(Float)
    timings: Mapped[dict[str, Any]] = mapped_column(JSON)
    results: Mapped[dict[str, Any]] = mapped_column(JSON)


@dataclass(frozen=True)
class RunSummary:
    """A run without its results (what ``accord runs list`` shows)."""

    id: int
    kind: str
    created_at: str
    scenario_id: str
    scenario_hash: str
    seed: int | None
    version: str
    seconds: float
    params: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Run(RunSummary):
    """A stored run in full."""

    scenario_title: str
    scenario_text: str
    timings: dict[str, Any]
    results: dict[str, Any]


def default_url() -> str:
    """``$ACCORD_STORE`` if set, else SQLite in the user's data directory (``.../accord/runs.db``)."""
    env = os.environ.get(ENV)
    if env is not None:
        return env
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('accord', appauthor=False)) / 'runs.db'}"


def is_off(url: str | None) -> bool:
    """True when ``url`` asks for no recording (``off``, ``none``, empty)."""
    return url is not None and url.strip().lower() in OFF


def normalised_text(scenario: Scenario) -> str:
    """The scenario as canonical YAML (what is stored and hashed)."""
    from accord.scenario import dump

    return dump(scenario, "yaml")


def content_hash(text: str) -> str:
    """SHA-256 hex digest of a scenario's normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def jsonable(x: Any) -> Any:
    """A copy of ``x`` that any JSON column accepts: non-finite floats become strings, tuples lists."""
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [jsonable(v) for v in x]
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if isinstance(x, bool | int | str) or x is None:
        return x
    if hasattr(x, "item"):  # numpy scalar
        return jsonable(x.item())
    if hasattr(x, "tolist"):
        return jsonable(x.tolist())
    if isinstance(x, _dt.date):
        return x.isoformat()
    return str(x)


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()


class Store:
    """Run history in one database.

    Parameters
    ----------
    url : str or None
        SQLAlchemy URL; default :func:`default_url`. SQLite files (and their directory) are created.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url if url is not None else default_url()
        if is_off(self.url):
            raise ConfigurationError(f"run history is switched off ({ENV}={self.url!r}); pass a database URL")
        try:
            kwargs: dict[str, Any] = {}
            if self.url.startswith("sqlite"):
                path = self.url.split("///", 1)[1] if "///" in self.url else ""
                if path and path != ":memory:":
                    Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
                kwargs["connect_args"] = {"timeout": 30}
            else:
                kwargs["pool_pre_ping"] = True
            self.engine = create_engine(self.url, **kwargs)
        except (SQLAlchemyError, ValueError, ImportError, OSError) as exc:
            raise ConfigurationError(
                f"--store {self.url}: cannot open the run history: {_why(exc)}"
            ) from None
        if self.engine.dialect.name == "sqlite":
            _sqlite_pragmas(self.engine)
        try:
            _Base.metadata.create_all(self.engine)
        except SQLAlchemyError as exc:
            raise ConfigurationError(
                f"--store {_safe(self.url)}: cannot open the run history: {_why(exc)}"
            ) from None

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save(
        self,
        kind: str,
        scenario: Scenario,
        *,
        params: dict[str, Any] | None = None,
        seed: int | None = None,
        timings: dict[str, float] | None = None,
        results: dict[str, Any] | None = None,
        scenario_text: str | None = None,
    ) -> int:
        """Record one run in one transaction and return its id.

        Parameters
        ----------
        kind : str
            ``brief``, ``analysis``, ``simulation``, ``report``...
        scenario : Scenario
        params, seed, timings, results
            What was asked, the seed, the seconds each step took and the results (``to_dict()``).
        scenario_text : str or None
            The normalised scenario text if already computed.
        """
        from accord import __version__

        text = scenario_text if scenario_text is not None else normalised_text(scenario)
        h = content_hash(text)
        t = jsonable(dict(timings or {}))
        total = sum(v for v in t.values() if isinstance(v, int | float))
        try:
            with Session(self.engine) as session, session.begin():
                self._ensure_scenario(session, h, scenario, text)
                row = RunRow(
                    kind=kind,
                    created_at=_dt.datetime.now(_dt.UTC),
                    scenario_hash=h,
                    scenario_id=scenario.id,
                    params=jsonable(dict(params or {})),
                    seed=seed,
                    version=__version__,
                    seconds=float(total),
                    timings=t,
                    results=jsonable(dict(results or {})),
                )
                session.add(row)
                session.flush()
                return int(row.id)
        except SQLAlchemyError as exc:
            raise ConfigurationError(f"--store {_safe(self.url)}: cannot save the run: {_why(exc)}") from None

    def _ensure_scenario(self, session: Session, h: str, scenario: Scenario, text: str) -> None:
        values = {"hash": h, "scenario_id": scenario.id, "title": scenario.title, "text": text}
        name = self.engine.dialect.name
        if name == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            session.execute(sqlite_insert(ScenarioRow).values(**values).on_conflict_do_nothing())
        elif name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            session.execute(pg_insert(ScenarioRow).values(**values).on_conflict_do_nothing())
        elif session.get(ScenarioRow, h) is None:
            session.add(ScenarioRow(**values))

    def count(self) -> int:
        """Number of stored runs."""
        with Session(self.engine) as session:
            return int(session.scalar(select(func.count()).select_from(RunRow)) or 0)

    def list_runs(
        self, *, limit: int = 50, kind: str | None = None, scenario_id: str | None = None
    ) -> list[RunSummary]:
        """The latest runs first (without results)."""
        q = select(RunRow).order_by(RunRow.id.desc()).limit(limit)
        if kind:
            q = q.where(RunRow.kind == kind)
        if scenario_id:
            q = q.where(RunRow.scenario_id == scenario_id)
        with Session(self.engine) as session:
            return [_summary(r) for r in session.scalars(q)]

    def get(self, run_id: int) -> Run:
        """One run in full; :class:`~accord.errors.ConfigurationError` if there is none with that id."""
        with Session(self.engine) as session:
            r = session.get(RunRow, int(run_id))
            if r is None:
                last = session.scalar(select(func.max(RunRow.id)))
                hint = f"ids run from 1 to {last}" if last else "the history is empty"
                raise ConfigurationError(
                    f"no run {run_id} in {_safe(self.url)} ({hint}; see accord runs list)"
                )
            sc = session.get(ScenarioRow, r.scenario_hash)
            return Run(
                **_summary(r).to_dict(),
                scenario_title=sc.title if sc else "",
                scenario_text=sc.text if sc else "",
                timings=dict(r.timings or {}),
                results=dict(r.results or {}),
            )

    def export(self, ids: list[int] | None = None) -> list[dict[str, Any]]:
        """Runs in full as plain dicts (all runs, oldest first, when ``ids`` is None)."""
        if ids is None:
            with Session(self.engine) as session:
                ids = [int(i) for i in session.scalars(select(RunRow.id).order_by(RunRow.id))]
        return [asdict(self.get(i)) for i in ids]


def _summary(r: RunRow) -> RunSummary:
    created = r.created_at
    if created.tzinfo is None:
        created = created.replace(tzinfo=_dt.UTC)
    return RunSummary(
        id=int(r.id),
        kind=r.kind,
        created_at=created.isoformat(timespec="seconds"),
        scenario_id=r.scenario_id,
        scenario_hash=r.scenario_hash,
        seed=r.seed,
        version=r.version,
        seconds=float(r.seconds),
        params=dict(r.params or {}),
    )


def _safe(url: str) -> str:
    """The URL with any password hidden."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def _why(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]


def flatten(x: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves of nested dicts/lists as ``{"a.b[2].c": value}``."""
    out: dict[str, Any] = {}
    if isinstance(x, dict):
        for k, v in x.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            out.update(flatten(v, f"{prefix}[{i}]"))
    else:
        out[prefix] = x
    return out


def diff(a: Run, b: Run, *, limit: int = 200) -> dict[str, Any]:
    """What differs between two runs: scenario, parameters, seed, version and result values.

    Returns
    -------
    dict
        ``{"a": id, "b": id, "same_scenario": bool, "params": {...}, "results": [{"path", "a", "b"}],
        "n_results_differing": int}``; result paths are dotted (``analysis.zopa.size``), at most ``limit``.
    """
    pa, pb = (
        flatten({"params": a.params, "seed": a.seed, "version": a.version, "kind": a.kind}),
        flatten({"params": b.params, "seed": b.seed, "version": b.version, "kind": b.kind}),
    )
    ra, rb = flatten(a.results), flatten(b.results)
    skip = ("timings_s", "seconds")
    keys = sorted(set(ra) | set(rb))
    rows = [
        {"path": k, "a": ra.get(k), "b": rb.get(k)}
        for k in keys
        if ra.get(k) != rb.get(k) and not any(s in k for s in skip)
    ]
    return {
        "a": a.id,
        "b": b.id,
        "same_scenario": a.scenario_hash == b.scenario_hash,
        "scenario": {"a": a.scenario_id, "b": b.scenario_id},
        "params": {
            k: {"a": pa.get(k), "b": pb.get(k)} for k in sorted(set(pa) | set(pb)) if pa.get(k) != pb.get(k)
        },
        "n_results_differing": len(rows),
        "results": rows[:limit],
    }


def record(
    kind: str,
    scenario: Scenario,
    *,
    url: str | None = None,
    params: dict[str, Any] | None = None,
    seed: int | None = None,
    timings: dict[str, float] | None = None,
    results: dict[str, Any] | None = None,
) -> int | None:
    """Save one run to the store at ``url`` (default :func:`default_url`); None when recording is off."""
    u = url if url is not None else default_url()
    if is_off(u):
        return None
    with Store(u) as store:
        return store.save(kind, scenario, params=params, seed=seed, timings=timings, results=results)


def dumps(data: Any) -> str:
    """JSON text of store data (indent 2, UTF-8)."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


__all__ = [
    "ENV",
    "Run",
    "RunSummary",
    "Store",
    "content_hash",
    "default_url",
    "diff",
    "dumps",
    "flatten",
    "is_off",
    "jsonable",
    "normalised_text",
    "record",
]
