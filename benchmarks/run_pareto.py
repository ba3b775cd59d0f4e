"""Pareto-front benchmark: accord vs NegMAS on identical data, in one run on this machine.

Usage (from the repository root, after ``make test`` has created .venv)::

    .venv/bin/python benchmarks/run_pareto.py [--quick] [--json benchmarks/results/pareto.json]

1. Makes sure ``benchmarks/.venv-negmas`` exists with NegMAS installed (``pip install negmas``
   into that separate, git-ignored environment; NegMAS is AGPL and never a dependency).
2. Writes every case (fixed seeds, see ``pareto_bench.CASES``) to a temporary ``.npy`` file.
3. Runs ``pareto_bench.py`` (accord, this interpreter) and ``negmas_pareto.py`` (NegMAS's
   ``pareto_frontier_active``, the NegMAS interpreter) on those files, checks that both give
   the same front, and prints the ratios.

NegMAS's function is quadratic when most outcomes are on the front; it is *measured* on the
27,000 x 2, 9,000 x 3 and 9,000 x 4 opposed-interest cases and *extrapolated*
(time x (n / n0)^2) to the larger opposed cases of the same kind, which are marked as such in
the output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pareto_bench import CASES, make_case  # noqa: E402

NEGMAS_VENV = HERE / ".venv-negmas"
NEGMAS_PY = NEGMAS_VENV / "bin" / "python"
# NegMAS cases that are measured, with their repeats; the others are extrapolated from
# the measured case of the same kind (quadratic in n) or not run at all.
NEGMAS_MEASURED = {
    "uniform-1e6x2": 3,
    "uniform-1e6x3": 3,
    "uniform-1e5x4": 3,
    "anti-27000x2": 1,
    "simplex-9000x3": 1,
    "simplex-9000x4": 1,
}
NEGMAS_EXTRAPOLATED = {
    "anti-1e6x2": "anti-27000x2",
    "simplex-1e6x3": "simplex-9000x3",
    "simplex-1e5x4": "simplex-9000x4",
}
QUICK = {"uniform-1e6x2", "uniform-1e6x3", "anti-27000x2"}


def ensure_negmas() -> None:
    if not NEGMAS_PY.exists():
        print(f"creating {NEGMAS_VENV}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(NEGMAS_VENV)], check=True)
    probe = subprocess.run([str(NEGMAS_PY), "-c", "import negmas"], capture_output=True)
    if probe.returncode != 0:
        print("installing negmas into the benchmark environment", file=sys.stderr)
        subprocess.run(
            [str(NEGMAS_PY), "-m", "pip", "install", "-q", "--disable-pip-version-check", "negmas"],
            check=True,
        )


def json_lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the three headline cases")
    parser.add_argument("--seed", type=int, default=20250725)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    ensure_negmas()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    with tempfile.TemporaryDirectory(prefix="accord-pareto-") as tmp:
        data = Path(tmp)
        names = []
        for i, (name, n, k, kind, _) in enumerate(CASES):
            if args.quick and name not in QUICK:
                continue
            np.save(data / f"{name}.npy", make_case(n, k, kind, args.seed + i))
            names.append(name)
        ours = json_lines(
            subprocess.run(
                [sys.executable, str(HERE / "pareto_bench.py"), "--data", str(data)],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            ).stdout
        )
        measured = [c for c in names if c in NEGMAS_MEASURED]
        theirs = json_lines(
            subprocess.run(
                [str(NEGMAS_PY), str(HERE / "negmas_pareto.py"), "--data", str(data), "--cases"]
                + measured
                + ["--repeats"]
                + [str(NEGMAS_MEASURED[c]) for c in measured],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            ).stdout
        )
        by_case = {r["case"]: r for r in theirs}
        rows = []
        for r in ours:
            name = r["case"]
            row: dict[str, Any] = {
                "case": name,
                "n": r["n"],
                "k": r["k"],
                "front_size": r["front_size"],
                "accord_best_s": r["best_s"],
                "accord_median_s": r["median_s"],
                "accord_peak_over_U": r["peak_over_U"],
                "negmas_s": None,
                "negmas_is": "not run",
                "speedup": None,
                "same_front": None,
            }
            if name in by_case:
                negmas_front = np.load(data / f"{name}.negmas.npy")
                accord_front = np.load(data / f"{name}.accord.npy")
                row["negmas_s"] = by_case[name]["best_s"]
                row["negmas_is"] = "measured"
                row["same_front"] = bool(np.array_equal(negmas_front, accord_front))
            elif name in NEGMAS_EXTRAPOLATED and NEGMAS_EXTRAPOLATED[name] in by_case:
                base = by_case[NEGMAS_EXTRAPOLATED[name]]
                row["negmas_s"] = base["best_s"] * (r["n"] / base["n"]) ** 2
                row["negmas_is"] = f"extrapolated from {base['case']} (n^2)"
            if row["negmas_s"] is not None:
                row["speedup"] = row["negmas_s"] / r["best_s"]
            rows.append(row)
    header = (
        f"{'case':>22} {'front':>8} {'accord ms':>10} {'peak/U':>7} "
        f"{'NegMAS ms':>12} {'speed-up':>9} {'same':>5}  NegMAS time is"
    )
    print(header)
    for row in rows:
        negmas = "-" if row["negmas_s"] is None else f"{row['negmas_s'] * 1e3:12.1f}"
        speedup = "-" if row["speedup"] is None else f"{row['speedup']:8.0f}x"
        same = "-" if row["same_front"] is None else ("yes" if row["same_front"] else "NO")
        print(
            f"{row['case']:>22} {row['front_size']:>8} {row['accord_best_s'] * 1e3:10.2f} "
            f"{row['accord_peak_over_U']:7.2f} {negmas:>12} {speedup:>9} {same:>5}  "
            f"{row['negmas_is']}"
        )
    report = {
        "date_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "negmas": theirs[0]["negmas_version"] if theirs else None,
        },
        "seed": args.seed,
        "timing": "best of the repeats after one warm-up call; each side in its own process",
        "rows": rows,
    }
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    mismatches = [r["case"] for r in rows if r["same_front"] is False]
    if mismatches:
        print(f"fronts differ on {mismatches}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
