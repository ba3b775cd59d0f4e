"""Peer side of benchmarks/gmcr_compare.py: run GMCR+'s engine headless on one ``.gmcr`` file.

Run with the peer environment's python (made by ``benchmarks/gmcr_peer_setup.sh``), never with
accord's: this script imports only the standard library, numpy and GMCR+'s own engine modules
(``data_01_conflictModel``, ``data_02_conflictSolvers``) from the GMCR+ checkout, which stays
outside this repository. It loads the file with GMCR+'s reader, builds GMCR+'s reachability
matrices (``LogicalSolver``), and evaluates Nash, GMR, SMR and SEQ for every decision maker and
feasible state with GMCR+'s per-state methods (the ones its ``findEquilibria`` calls; SIM only
when asked, ``--concepts ... sim``). It prints one JSON object::

    {"options": [[dm, option], ...],          # GMCR+'s option order (bit i = option i)
     "states": [decimal, ...],                # feasible states, GMCR+'s numbering (1-based order)
     "stable": {"gmr": ["0110...", ...]},     # per concept, one 0/1 string per DM over the states
     "load_s", "build_s", "solve_s": {concept: s}, "peak_rss_mb", "version"}

Progress lines go to stderr (``phase <name> <seconds>``) so that a caller that times the run out
still learns how far it got. GMCR+ prints from its reader; that output is sent to stderr too.

Usage::

    benchmarks/.venv-gmcr/bin/python benchmarks/gmcr_peer_driver.py model.gmcr [--gmcr-dir DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import sys
import time
from typing import Any

CONCEPTS = ("nash", "gmr", "smr", "seq")


def gmcr_dir(given: str | None) -> str:
    """The GMCR+ checkout: ``--gmcr-dir``, else ``$GMCR_PLUS_DIR``, else what the setup recorded."""
    if given:
        return given
    if os.environ.get("GMCR_PLUS_DIR"):
        return os.environ["GMCR_PLUS_DIR"]
    recorded = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".venv-gmcr", "gmcr_path")
    with open(recorded) as fh:
        return fh.read().strip()


def phase(name: str, seconds: float) -> None:
    """Report progress on stderr."""
    print(f"phase {name} {seconds:.3f}", file=sys.stderr, flush=True)


def run(path: str, directory: str, concepts: tuple[str, ...]) -> dict[str, Any]:
    """Load, build and solve one model with GMCR+; return timings, peak RSS and stabilities."""
    sys.path.insert(0, directory)
    import data_01_conflictModel as gmodel  # type: ignore[import-not-found]
    import data_02_conflictSolvers as gsolvers  # type: ignore[import-not-found]
    import version  # type: ignore[import-not-found]

    t0 = time.perf_counter()
    conf = gmodel.ConflictModel()
    with contextlib.redirect_stdout(sys.stderr):
        conf.load_from_file(path)
    t1 = time.perf_counter()
    phase("load", t1 - t0)
    solver = gsolvers.LogicalSolver(conf)
    t2 = time.perf_counter()
    phase("build", t2 - t1)
    owner = {id(o): dm.name for dm in conf.decisionMakers for o in dm.options}
    out: dict[str, Any] = {
        "version": version.__version__,
        "options": [[owner.get(id(o), ""), o.name] for o in conf.options],
        "states": [int(d) for d in conf.feasibles.decimal],
        "dms": [str(co.name) for co in solver.effectiveDMs],
        "load_s": round(t1 - t0, 3),
        "build_s": round(t2 - t1, 3),
        "solve_s": {},
        "stable": {},
    }
    m = len(conf.feasibles)
    for concept in concepts:
        method = getattr(solver, concept)
        ta = time.perf_counter()
        rows = []
        for co in solver.effectiveDMs:
            rows.append("".join("1" if method(co, s)[0] else "0" for s in range(m)))
        tb = time.perf_counter()
        phase(concept, tb - ta)
        out["solve_s"][concept] = round(tb - ta, 3)
        out["stable"][concept] = rows
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="a .gmcr file")
    ap.add_argument("--gmcr-dir", default=None, help="GMCR+ checkout (default: as set up)")
    ap.add_argument("--concepts", nargs="*", default=list(CONCEPTS), choices=(*CONCEPTS, "sim"))
    args = ap.parse_args()
    try:
        result = run(args.model, gmcr_dir(args.gmcr_dir), tuple(args.concepts))
    except MemoryError:
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result = {"error": "memory", "peak_rss_mb": round(rss, 1)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
