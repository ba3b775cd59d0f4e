"""accord's graph-model engine against GMCR+ in the same run, on identical models.

For each size a random option-form model (the generator and seed of
``benchmarks/conflict_bench.py``: 6 DMs, three random 3-option exclusions, some one-way options,
8 random option-prioritization statements per DM) is written as a GMCR+ ``.gmcr`` file, and both
engines analyse that file, each in a fresh process with a time limit and an address-space limit:

* accord (this environment): ``conflict.load_model`` + ``stability_tables`` (Nash, GMR, SMR, SEQ);
* GMCR+ (``benchmarks/.venv-gmcr``, made by ``benchmarks/gmcr_peer_setup.sh``): our driver
  ``benchmarks/gmcr_peer_driver.py`` runs GMCR+'s reader, reachability matrices and per-state
  Nash/GMR/SMR/SEQ methods headless.

It prints a table (time = load + build + solve inside each process, peak RSS of each process) and
compares the per-DM stabilities and the equilibria of every concept. Where they differ it prints
a sanctioning sequence from :func:`accord.conflict.explain` that decides a differing state
(GMCR+ lets each opponent move at most once in a sanction; the definition allows an opponent to
move again after another one has moved). ``--examples`` runs both on the ``Examples/*.gmcr``
files of the GMCR+ checkout, read in place.

Usage::

    benchmarks/gmcr_peer_setup.sh                                   # once: the peer venv
    .venv/bin/python benchmarks/gmcr_compare.py                     # 6 DMs x 8 10 12 14 options
    .venv/bin/python benchmarks/gmcr_compare.py --more              # and 16 18 20
    .venv/bin/python benchmarks/gmcr_compare.py --options 10 --timeout 60
    .venv/bin/python benchmarks/gmcr_compare.py --examples          # GMCR+'s shipped examples

Raw results go to ``benchmarks/results/gmcr_compare.json`` (``--json`` to change).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
PEER_PY = HERE / ".venv-gmcr" / "bin" / "python"
DRIVER = HERE / "gmcr_peer_driver.py"
CONCEPTS = ("nash", "gmr", "smr", "seq")


# -- the model ----------------------------------------------------------------------------------


def random_gmcr(n_options: int, n_dms: int, seed: int = 0, statements: int = 8) -> dict[str, Any]:
    """The random model of ``conflict_bench.random_model`` as a GMCR+ save file (same draws).

    Options are numbered DM by DM; an exclusion is the condition "all three taken"; a one-way
    option is ``fwd`` (cannot be withdrawn) or ``back`` (cannot be taken); each DM gets
    ``statements`` prioritization conditions (an option or its negation, sometimes AND another),
    most important first.
    """
    rng = np.random.default_rng(seed)
    sizes = [n_options // n_dms + (1 if i < n_options % n_dms else 0) for i in range(n_dms)]
    n = n_options
    infeasibles = []
    for _ in range(3):
        infeasibles.append([[int(i), "Y"] for i in sorted(rng.choice(n, 3, replace=False))])
    directions = []
    for _ in range(n):
        directions.append(("fwd", "back")[int(rng.integers(1, 3)) - 1] if rng.random() < 0.2 else "both")
    options = []
    dms = []
    first = 0
    for i, k in enumerate(sizes):
        for j in range(k):
            options.append({"name": f"o{i}_{j}", "permittedDirection": directions[first + j]})
        dms.append({"name": f"DM{i}", "options": list(range(first, first + k)), "preferences": []})
        first += k
    for d in dms:
        for _ in range(statements):
            a, b = (int(x) for x in rng.choice(n, 2, replace=False))
            cond = [[a, "Y" if rng.random() < 0.5 else "N"]]
            if rng.random() < 0.4:
                cond.append([b, "Y" if rng.random() < 0.5 else "N"])
            d["preferences"].append(cond)
    return {
        "options": options,
        "decisionMakers": dms,
        "infeasibles": infeasibles,
        "useManualPreferenceRanking": False,
        "program": "accord benchmarks/gmcr_compare.py",
    }


# -- one side in one process --------------------------------------------------------------------


def accord_one(path: str, sim: bool = False) -> dict[str, Any]:
    """accord's side: load the file, analyse all four concepts (and SIM, timed apart) in a fresh process."""
    from accord import conflict

    t0 = time.perf_counter()
    model = conflict.load_model(path)
    t1 = time.perf_counter()
    tables = conflict.stability_tables(model, CONCEPTS)
    t2 = time.perf_counter()
    extra = {}
    if sim:
        tables["sim"] = conflict.sim_table(model)
        extra["sim_s"] = round(time.perf_counter() - t2, 3)
    return {
        **extra,
        "options": [[d.name, o] for d in model.dms for o in d.options],
        "states": [int(c) for c in model.codes],
        "load_s": round(t1 - t0, 3),
        "solve_s": round(t2 - t1, 3),
        "stable": {c: ["".join("1" if v else "0" for v in row) for row in t] for c, t in tables.items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_side(cmd: list[str], timeout: float, mem_gb: float) -> dict[str, Any]:
    """Run one side; ``status`` is ok, timeout, memory or error (with the phases reached)."""

    def limit() -> None:
        cap = int(mem_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, preexec_fn=limit)
    except subprocess.TimeoutExpired as exc:
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        return {"status": "timeout", "wall_s": round(time.perf_counter() - t0, 1), "phases": _phases(err)}
    wall = round(time.perf_counter() - t0, 3)
    if proc.returncode != 0 or not proc.stdout.strip():
        tail = proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        status = "memory" if "MemoryError" in proc.stderr else "error"
        return {"status": status, "wall_s": wall, "message": tail[0][:300], "phases": _phases(proc.stderr)}
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    if out.get("error") == "memory":
        return {"status": "memory", "wall_s": wall, "phases": _phases(proc.stderr), **out}
    out["status"] = "ok"
    out["wall_s"] = wall
    return out


def _phases(stderr: str) -> dict[str, float]:
    out = {}
    for line in stderr.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "phase":
            out[parts[1]] = float(parts[2])
    return out


def total_s(side: dict[str, Any]) -> float | None:
    """Load + build + solve time inside the process, or None if the side did not finish."""
    if side.get("status") != "ok":
        return None
    solve = side["solve_s"]
    solve = sum(solve.values()) if isinstance(solve, dict) else solve
    return float(side.get("load_s", 0) + side.get("build_s", 0) + solve)


# -- comparison ---------------------------------------------------------------------------------


def compare(path: str, acc: dict[str, Any], peer: dict[str, Any], explain: bool = True) -> dict[str, Any]:
    """Per concept: agreement of per-DM stabilities and equilibria, counts and a deciding sequence."""
    from accord import conflict

    pos = {tuple(o): j for j, o in enumerate(acc["options"])}
    if set(pos) != {tuple(o) for o in peer["options"]}:
        return {"error": "the two readers give different options"}
    perm = [pos[tuple(o)] for o in peer["options"]]
    acc_id = {c: k for k, c in enumerate(acc["states"])}
    peer_codes = [sum(((dec >> i) & 1) << perm[i] for i in range(len(perm))) for dec in peer["states"]]
    if sorted(peer_codes) != acc["states"]:
        return {"error": f"feasible states differ ({len(peer_codes)} vs {len(acc['states'])})"}
    order = np.array([acc_id[c] for c in peer_codes])  # peer state k is accord state order[k]
    acc_dm = {name: k for k, name in enumerate(dict.fromkeys(o[0] for o in acc["options"]))}
    model = None
    out: dict[str, Any] = {}
    for concept in (*CONCEPTS, "sim"):
        if concept not in peer["stable"] or concept not in acc["stable"]:
            continue
        a = np.array([[ch == "1" for ch in row] for row in acc["stable"][concept]])
        g_raw = np.array([[ch == "1" for ch in row] for row in peer["stable"][concept]])
        g = np.zeros_like(a)
        for k, name in enumerate(peer["dms"]):
            g[acc_dm[name], order] = g_raw[k]
        diff_dm = a != g
        eq_a, eq_g = a.all(axis=0), g.all(axis=0)
        res: dict[str, Any] = {
            "agree": bool(not diff_dm.any()),
            "equilibria_accord": int(eq_a.sum()),
            "equilibria_gmcr": int(eq_g.sum()),
            "equilibria_differ": int((eq_a != eq_g).sum()),
            "dm_states_differ": int(diff_dm.sum()),
            "accord_only_stable": int((a & ~g).sum()),
            "gmcr_only_stable": int((g & ~a).sum()),
        }
        if diff_dm.any() and explain:
            if model is None:
                model = conflict.load_model(path)
            res["example"] = deciding_sequence(model, concept, diff_dm, a)
        out[concept] = res
    return out


def deciding_sequence(model: Any, concept: str, diff_dm: np.ndarray, acc: np.ndarray) -> dict[str, Any]:
    """A differing (DM, state), preferring an equilibrium difference, with accord's sanction."""
    from accord import conflict

    eq_diff = np.flatnonzero(diff_dm.any(axis=0) & (acc.all(axis=0) | (diff_dm.sum(axis=0) == 1)))
    states = eq_diff if eq_diff.size else np.flatnonzero(diff_dm.any(axis=0))
    s = int(states[0])
    dm = int(np.flatnonzero(diff_dm[:, s])[0])
    ex = conflict.explain(model, dm, s, concept)
    n_opp = model.n_dms - 1
    chosen = None
    for d in ex.improvements:  # the sanction GMCR+ cannot see: a mover repeats
        if getattr(d, "sanction", None) is not None:
            movers = [j for j, _, _ in d.sanction]
            if len(set(movers)) < len(movers) or len(movers) > n_opp:
                chosen = d
                break
    item: dict[str, Any] = {
        "state": model.pattern(s),
        "state_number": s + 1,
        "dm": model.dms[dm].name,
        "accord_stable": bool(acc[dm, s]),
        "explanation": ex.text(model),
    }
    if chosen is not None and getattr(chosen, "sanction", None) is not None:
        item["improvement"] = model.pattern(chosen.target)
        item["sanction"] = [
            f"{model.dms[j].name}: {model.pattern(x)} -> {model.pattern(y)}" for j, x, y in chosen.sanction
        ]
    return item


# -- driver -------------------------------------------------------------------------------------


def fmt_t(side: dict[str, Any]) -> str:
    t = total_s(side)
    if t is not None:
        return f"{t:.3f}"
    reached = ",".join(side.get("phases", {})) or "-"
    return f"{side['status']}({reached})"


def random_sizes(args: argparse.Namespace, tmp: Path) -> list[dict[str, Any]]:
    sizes = args.options or [8, 10, 12, 14]
    if args.more:
        sizes = sizes + [s for s in (16, 18, 20) if s not in sizes]
    rows = []
    head = (
        f"{'options':>7} {'seed':>4} {'states':>7} {'accord s':>9} {'GMCR+ s':>18} {'ratio':>8} "
        f"{'accord MB':>9} {'GMCR+ MB':>9}  agree (nash gmr smr seq{' sim' if args.sim else ''})"
    )
    print(head, flush=True)
    for n, seed in [(n, args.seed + k) for n in sizes for k in range(args.seeds)]:
        path = tmp / f"random-{n}x{args.dms}-s{seed}.gmcr"
        path.write_text(json.dumps(random_gmcr(n, args.dms, seed, args.statements)))
        sim = ["--sim"] if args.sim else []
        acc = run_side([sys.executable, __file__, "--accord-one", str(path), *sim], args.timeout, args.mem_gb)
        concepts = ["--concepts", *CONCEPTS, "sim"] if args.sim else []
        peer = run_side([str(PEER_PY), str(DRIVER), str(path), *concepts], args.timeout, args.mem_gb)
        row: dict[str, Any] = {
            "options": n,
            "dms": args.dms,
            "seed": seed,
            "statements": args.statements,
        }
        row["states"] = len(acc["states"]) if acc["status"] == "ok" else None
        row["accord"] = {k: v for k, v in acc.items() if k not in ("stable", "options", "states")}
        row["gmcr"] = {k: v for k, v in peer.items() if k not in ("stable", "options", "states")}
        ta, tg = total_s(acc), total_s(peer)
        row["accord_s"], row["gmcr_s"] = ta, tg
        row["ratio"] = round(tg / ta, 1) if ta and tg else None
        if acc["status"] == "ok" and peer["status"] == "ok":
            row["comparison"] = compare(str(path), acc, peer)
            shown = (*CONCEPTS, "sim") if args.sim else CONCEPTS
            agree = " ".join("yes" if row["comparison"].get(c, {}).get("agree") else "NO" for c in shown)
        else:
            agree = "-"
        ratio = f"{row['ratio']}x" if row["ratio"] else "-"
        if row["ratio"] is None and ta and peer["status"] == "timeout":
            ratio = f">{args.timeout / ta:.0f}x"
        print(
            f"{n:>7} {seed:>4} {row['states'] or '-':>7} {fmt_t(acc):>9} {fmt_t(peer):>18} {ratio:>8} "
            f"{acc.get('peak_rss_mb', '-'):>9} {peer.get('peak_rss_mb', '-'):>9}  {agree}",
            flush=True,
        )
        rows.append(row)
    return rows


def examples(args: argparse.Namespace) -> list[dict[str, Any]]:
    directory = Path(args.gmcr_dir or (HERE / ".venv-gmcr" / "gmcr_path").read_text().strip())
    rows = []
    for path in sorted((directory / "Examples").glob("*.gmcr")):
        sim = ["--sim"] if args.sim else []
        acc = run_side([sys.executable, __file__, "--accord-one", str(path), *sim], args.timeout, args.mem_gb)
        concepts = ["--concepts", *CONCEPTS, "sim"] if args.sim else []
        peer = run_side(
            [str(PEER_PY), str(DRIVER), str(path), "--gmcr-dir", str(directory), *concepts],
            args.timeout,
            args.mem_gb,
        )
        row: dict[str, Any] = {"example": path.name, "accord": acc["status"], "gmcr": peer["status"]}
        if acc["status"] != "ok":
            row["accord_message"] = acc.get("message", "")
        if acc["status"] == "ok" and peer["status"] == "ok":
            row["states"] = len(acc["states"])
            row["comparison"] = compare(str(path), acc, peer)
        rows.append(row)
        print(f"{path.name}: {_example_line(row)}", flush=True)
    return rows


def _example_line(row: dict[str, Any]) -> str:
    if "comparison" not in row:
        return f"accord {row['accord']} {row.get('accord_message', '')} / GMCR+ {row['gmcr']}"
    cmp = row["comparison"]
    if "error" in cmp:
        return cmp["error"]
    parts = []
    for c, r in cmp.items():
        if r["agree"]:
            parts.append(f"{c} agree ({r['equilibria_accord']} eq)")
        else:
            parts.append(
                f"{c} DIFFER: equilibria accord {r['equilibria_accord']} / GMCR+ {r['equilibria_gmcr']}, "
                f"{r['dm_states_differ']} DM-states differ"
            )
    return f"{row['states']} states; " + "; ".join(parts)


def print_differences(rows: list[dict[str, Any]], key: str) -> None:
    for row in rows:
        for c, r in (row.get("comparison") or {}).items():
            if not isinstance(r, dict) or r.get("agree", True) or "example" not in r:
                continue
            ex = r["example"]
            print(
                f"\n{key}={row[key]}{' seed=' + str(row['seed']) if 'seed' in row else ''} {c.upper()}: {r['equilibria_differ']} equilibria and "
                f"{r['dm_states_differ']} DM-states differ (accord-only stable {r['accord_only_stable']}, "
                f"GMCR+-only {r['gmcr_only_stable']}); e.g. state {ex['state_number']} {ex['state']} for "
                f"{ex['dm']}: accord {'stable' if ex['accord_stable'] else 'unstable'}"
            )
            if "sanction" in ex:
                print(f"  {ex['dm']} -> {ex['improvement']} is sanctioned by: " + "; ".join(ex["sanction"]))
            else:
                print("  " + ex["explanation"][:600])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--options", type=int, nargs="*", default=None, help="sizes (default 8 10 12 14)")
    ap.add_argument("--more", action="store_true", help="also 16, 18 and 20 options")
    ap.add_argument("--dms", type=int, default=6)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds", type=int, default=1, help="models per size (seeds seed, seed+1, ...)")
    ap.add_argument("--statements", type=int, default=8)
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per side and size")
    ap.add_argument("--mem-gb", type=float, default=8.0, help="address-space limit per side (GiB)")
    ap.add_argument("--examples", action="store_true", help="run GMCR+'s Examples/*.gmcr instead")
    ap.add_argument("--gmcr-dir", default=None, help="GMCR+ checkout (default: as set up)")
    ap.add_argument("--keep-models", default=None, help="directory to keep the generated .gmcr files")
    ap.add_argument("--json", default=str(HERE / "results" / "gmcr_compare.json"))
    ap.add_argument("--sim", action="store_true", help="compare SIM stability too (timed apart)")
    ap.add_argument("--accord-one", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.accord_one:
        print(json.dumps(accord_one(args.accord_one, args.sim)))
        return
    if not PEER_PY.exists():
        sys.exit("no peer environment: run benchmarks/gmcr_peer_setup.sh first")
    load = os.getloadavg()
    if args.examples:
        rows = examples(args)
        print_differences(rows, "example")
        key = "examples"
    else:
        if args.keep_models:
            Path(args.keep_models).mkdir(parents=True, exist_ok=True)
            rows = random_sizes(args, Path(args.keep_models))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                rows = random_sizes(args, Path(tmp))
        print_differences(rows, "options")
        key = "random"
    record = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "loadavg_start": load, "loadavg_end": os.getloadavg()},
        "timeout_s": args.timeout,
        "mem_limit_gb": args.mem_gb,
        key: rows,
    }
    path = Path(args.json)
    old = json.loads(path.read_text()) if path.exists() else {}
    old[key] = record
    path.write_text(json.dumps(old, indent=1) + "\n")
    print(f"\nraw results: {path}")


if __name__ == "__main__":
    main()
