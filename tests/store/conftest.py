"""A throw-away PostgreSQL database for tests: Debian's server started on loopback as the postgres user.

``ACCORD_TEST_POSTGRES_URL`` (a SQLAlchemy URL to a database the tests may fill) overrides everything.
Otherwise, as root on a machine with Debian's ``postgresql`` package, the first cluster is started with
``pg_ctlcluster`` (it runs as the ``postgres`` user), a login role and a database named for this test
run are created, and both are dropped at the end. When that is impossible the tests skip with a reason
saying how to enable them, except under CI (``CI=true``), where they fail instead.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROLE = "accord_test"
ENABLE = (
    "to run them: apt-get install -y postgresql and run the tests as root (the set-up starts the server on "
    "127.0.0.1 as the postgres user), or set ACCORD_TEST_POSTGRES_URL=postgresql+psycopg://user:pass@host/db"
)


def unavailable(reason: str) -> None:
    """Skip (locally) or fail (CI=true) for want of PostgreSQL."""
    msg = f"PostgreSQL tests: {reason}; {ENABLE}"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(msg + " (CI=true: these tests must run)", pytrace=False)
    pytest.skip(msg)


def _psql(port: str, sql: str, db: str = "postgres") -> str:
    cmd = [
        "runuser",
        "-u",
        "postgres",
        "--",
        "psql",
        "-p",
        port,
        "-d",
        db,
        "-v",
        "ON_ERROR_STOP=1",
        "-Atc",
        sql,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False, cwd="/")
    if done.returncode != 0:
        raise RuntimeError(f"psql failed: {done.stderr.strip()[:300]}")
    return done.stdout.strip()


@contextmanager
def throwaway_database() -> Iterator[str]:
    """Yield a SQLAlchemy URL to a fresh database; drop it (and stop a server we started) afterwards."""
    env = os.environ.get("ACCORD_TEST_POSTGRES_URL")
    if env:
        yield env
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("the psycopg driver is not installed (pip install 'accord[postgresql]')")
    if shutil.which("pg_lsclusters") is None or shutil.which("pg_ctlcluster") is None:
        unavailable("Debian's postgresql server is not installed")
    if os.geteuid() != 0:
        unavailable("starting the server needs root (to run it as the postgres user)")
    lines = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    if not lines:
        unavailable("no PostgreSQL cluster exists (pg_createcluster creates one)")
    ver, name, port, status = lines[0].split()[:4]
    started = False
    if status != "online":
        done = subprocess.run(
            ["pg_ctlcluster", ver, name, "start"], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            unavailable(f"pg_ctlcluster {ver} {name} start failed: {done.stderr.strip()[:200]}")
        started = True
    db = f"accord_test_{os.getpid()}_{secrets.token_hex(4)}"
    password = secrets.token_hex(12)
    try:
        exists = _psql(port, f"SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}'")
        verb = "ALTER" if exists == "1" else "CREATE"
        _psql(port, f"{verb} ROLE {ROLE} LOGIN PASSWORD '{password}'")
        _psql(port, f"CREATE DATABASE {db} OWNER {ROLE}")
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        unavailable(str(exc))
    try:
        yield f"postgresql+psycopg://{ROLE}:{password}@127.0.0.1:{port}/{db}"
    finally:
        try:
            _psql(port, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        finally:
            if started:
                subprocess.run(["pg_ctlcluster", ver, name, "stop"], capture_output=True, check=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with throwaway_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'runs.db'}"
        return
    url: str = request.getfixturevalue("postgres_url")
    yield url
    # each test starts from empty tables
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    with eng.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS accord_runs, accord_scenarios"))
    eng.dispose()
