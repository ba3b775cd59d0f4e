"""A sweep on a real two-node Ray cluster on loopback, surviving killed workers.

The test starts a head and a second node with ``ray start`` (one CPU each, a private temporary
directory and free ports), runs sweeps through ``--address``, kills the second node's worker
processes mid-sweep, and checks the rows equal a single-process run sample for sample. It stops
exactly the processes it started (found by its private directory in their command lines, and
their children), by process id, and removes its directories. Ray may register the nodes under this
machine's own interface address; the test only ever points Ray at 127.0.0.1.

In CI (``CI=true``) a missing Ray is a failure, not a skip: ``make test`` installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import accord
from accord.scale import sweep
from accord.scale.runner import ray_available

BIN = Path(sys.executable).parent


def _require_ray() -> None:
    if not ray_available() or not (BIN / "ray").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("ray is missing in CI; `make test` installs it with the `test` extra")
        pytest.skip("ray not installed: pip install -e '.[test]' (or '.[scale]')")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _ppid(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


class LoopbackCluster:
    """A Ray head and a second node on this machine, owned by this object."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="acr", dir="/tmp"))  # short: Ray's socket paths
        self.port = _free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.head_pids: set[int] = set()
        self.node_pids: set[int] = set()
        self.env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
        self.env["RAY_USAGE_STATS_ENABLED"] = "0"
        # a private home: the cluster does not pick up settings or tokens from the user's ~/.ray
        (self.tmp / "home").mkdir()
        self.env["HOME"] = str(self.tmp / "home")

    def _owned(self) -> set[int]:
        marker = str(self.tmp)
        return {p for p in _pids() if marker in _cmdline(p)}

    def _ports(self) -> list[str]:
        return [
            "--node-manager-port",
            str(_free_port()),
            "--object-manager-port",
            str(_free_port()),
            "--dashboard-agent-listen-port",
            str(_free_port()),
            "--dashboard-agent-grpc-port",
            str(_free_port()),
            "--runtime-env-agent-port",
            str(_free_port()),
            "--metrics-export-port",
            str(_free_port()),
            "--object-store-memory",
            str(150 * 1024 * 1024),
        ]

    def start(self) -> None:
        common = ["--num-cpus", "1", "--temp-dir", str(self.tmp), "--disable-usage-stats"]
        head = [
            str(BIN / "ray"),
            "start",
            "--head",
            "--port",
            str(self.port),
            "--node-ip-address",
            "127.0.0.1",
            "--include-dashboard",
            "false",
            *common,
            *self._ports(),
        ]
        _run(head, self.env)
        self.head_pids = self._owned()
        node = [
            str(BIN / "ray"),
            "start",
            "--address",
            self.address,
            "--node-ip-address",
            "127.0.0.1",
            *common,
            *self._ports(),
        ]
        _run(node, self.env)
        self.node_pids = self._owned() - self.head_pids

    def node_workers(self) -> list[int]:
        """Worker processes of the second node (children of its raylet that run tasks)."""
        raylets = {p for p in self.node_pids if "raylet" in _cmdline(p).split(" ", 1)[0]}
        out = []
        for p in _pids():
            if _ppid(p) in raylets:
                cmd = _cmdline(p)
                if cmd.startswith("ray::") and "Agent" not in cmd:
                    out.append(p)
        return out

    def stop(self) -> None:
        owned = self._owned() | self.head_pids | self.node_pids
        children = {p for p in _pids() if _ppid(p) in owned}
        everything = owned | children
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for p in everything:
                try:
                    os.kill(p, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline and any(
                Path(f"/proc/{p}").exists() and _alive(p) for p in everything
            ):
                time.sleep(0.1)
        shutil.rmtree(self.tmp, ignore_errors=True)


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"{' '.join(cmd[:3])} failed: " + " | ".join(tail))


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def cluster() -> Iterator[LoopbackCluster]:
    _require_ray()
    c = LoopbackCluster()
    try:
        c.start()
        yield c
    finally:
        c.stop()


def test_sweep_survives_killed_workers_on_the_second_node(cluster: LoopbackCluster) -> None:
    gaza = accord.load("gaza-2025-07")
    n = 4000
    reference = sweep(gaza, "analyze", runs=n, seed=11, workers=1)
    killed: list[int] = []

    def kill_midway(done: int, total: int) -> None:
        # once a quarter is done, kill the second node's workers as soon as one is running a batch
        if killed or done < total // 4:
            return
        workers = cluster.node_workers()
        # prefer a moment when the second node is running a batch; past half-way, kill it regardless
        # (on a loaded machine the scheduler may keep the second node idle at every check)
        if workers and (any("_ray_batch" in _cmdline(p) for p in workers) or done >= total // 2):
            for p in workers:
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    continue
            killed.extend(workers)

    res = sweep(
        gaza, "analyze", runs=n, seed=11, address=cluster.address, batch_size=20, progress=kill_midway
    )
    assert res.backend == "ray" and res.workers == 2
    assert killed, "no batch was running on the second node mid-sweep"
    assert res.columns["sample"] == list(range(n))
    assert res.columns == reference.columns


def test_cli_sweep_through_address_writes_the_same_rows(cluster: LoopbackCluster, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "r.parquet"
    env = {**cluster.env, "RAY_USAGE_STATS_ENABLED": "0"}
    cmd = [
        str(BIN / "accord"),
        "sweep",
        "gaza-2025-07",
        "--vary",
        "actors.hamas.no_deal.value=0.0:0.4:5",
        "--vary",
        "actors.israel.positions.withdrawal_km.red_line.min=1.0:2.2:7",
        "--runs",
        "3",
        "--seed",
        "5",
        "--address",
        cluster.address,
        "-o",
        str(out),
        "--json",
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["n"] == 105 and summary["backend"] == "ray"
    local = sweep(
        "gaza-2025-07",
        "analyze",
        [
            "actors.hamas.no_deal.value=0.0:0.4:5",
            "actors.israel.positions.withdrawal_km.red_line.min=1.0:2.2:7",
        ],
        runs=3,
        seed=5,
        workers=1,
    )
    table = pq.read_table(out)
    for k, v in local.columns.items():
        assert table.column(k).to_pylist() == v
