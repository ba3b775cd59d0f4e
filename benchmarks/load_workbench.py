"""Bounded local load test of the workbench: N concurrent analysis requests on loopback.

Starts ``accord serve`` on a free loopback port with a throw-away SQLite run history, fires ``--requests``
POST /api/runs at once (httpx + asyncio), waits at most ``--timeout`` seconds, stops the server, then
checks the run history: every successful response's run must be stored, whole, exactly once.

    .venv/bin/python benchmarks/load_workbench.py --requests 200 --scenario textbook-two-party
    .venv/bin/python benchmarks/load_workbench.py --requests 200 --scenario gaza-2025-07

Prints one JSON object (throughput, latency percentiles, errors, stored and lost runs) and exits 1 on
any error or lost run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def fire(url: str, n: int, body: dict[str, Any], timeout: float) -> list[dict[str, Any]]:
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout) as client:

        async def one(i: int) -> dict[str, Any]:
            t0 = time.perf_counter()
            try:
                r = await client.post("/api/runs", json={**body, "seed": i})
                data = r.json()
                return {"status": r.status_code, "run_id": data.get("run_id"), "s": time.perf_counter() - t0}
            except (httpx.HTTPError, ValueError) as exc:
                return {
                    "status": None,
                    "error": f"{type(exc).__name__}: {exc}",
                    "s": time.perf_counter() - t0,
                }

        return list(await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(n))), timeout))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--scenario", default="textbook-two-party")
    ap.add_argument("--runs", type=int, default=0, help="Monte Carlo draws per request")
    ap.add_argument("--jobs", type=int, default=2, help="analyses the server runs at the same time")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds before the test gives up")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="accord-load-"))
    store = f"sqlite:///{tmp / 'runs.db'}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "accord.cli",
            "serve",
            "--port",
            str(port),
            "--store",
            store,
            "--jobs",
            str(args.jobs),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.time() + 30
        while True:
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit("the workbench did not start")
            time.sleep(0.1)
        body = {"scenario": args.scenario, "kind": "analysis", "runs": args.runs, "sim_runs": 0}
        t0 = time.perf_counter()
        results = asyncio.run(fire(url, args.requests, body, args.timeout))
        wall = time.perf_counter() - t0
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    from accord.store import Store

    ok = [r for r in results if r["status"] == 200]
    errors = [r for r in results if r["status"] != 200]
    with Store(store) as st:
        stored = st.list_runs(limit=10 * args.requests)
        ids = {r.id for r in stored}
        whole = all(st.get(i).results.get("analysis") for i in ids)
    returned = [r["run_id"] for r in ok]
    lost = sorted(set(returned) - ids)
    lat = sorted(r["s"] for r in ok)
    out = {
        "scenario": args.scenario,
        "requests": args.requests,
        "concurrent": args.requests,
        "monte_carlo_runs_per_request": args.runs,
        "server_jobs": args.jobs,
        "cpus": os.cpu_count(),
        "ok": len(ok),
        "errors": len(errors),
        "error_samples": [r.get("error") or r["status"] for r in errors[:3]],
        "wall_s": round(wall, 2),
        "throughput_per_s": round(len(ok) / wall, 2) if wall else None,
        "latency_p50_s": round(statistics.median(lat), 2) if lat else None,
        "latency_p95_s": round(lat[int(0.95 * (len(lat) - 1))], 2) if lat else None,
        "stored_runs": len(ids),
        "duplicate_run_ids": len(returned) - len(set(returned)),
        "lost_runs": len(lost),
        "all_stored_runs_whole": whole,
    }
    print(json.dumps(out, indent=2))
    bad = out["errors"] or out["lost_runs"] or out["duplicate_run_ids"] or len(ids) != len(ok) or not whole
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
