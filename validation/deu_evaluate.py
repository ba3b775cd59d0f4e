"""Score accord's forecasting models on the DEU III data and try to beat the compromise model.

Data: Arregui, J. & Perarnaud, C. (2022). "A new dataset on legislative decision-making in
the European Union: the DEU III dataset". Journal of European Public Policy 29(1): 12-22;
data: doi:10.34810/data53 (CORA Repositori de Dades de Recerca). It extends Thomson,
Stokman, Achen & Koenig (eds.), The European Union Decides (Cambridge UP, 2006) and DEU II
(Thomson et al., JEPP 19(4), 2012). The data are not shipped with accord: pass the path of
``Dataset_DEU_III.csv`` (semicolon-separated) or of a tab-separated copy with the same
columns (see validation/README.md).

    .venv/bin/python validation/deu_evaluate.py PATH/Dataset_DEU_III.csv \
        --out validation/results/deu3

Part 1 scores every model with its defaults (capabilities: Council votes after Nice for
member states, the largest state's 29 for the Commission and the Parliament). Part 2 is a
held-out calibration: candidate forecasters (capability schemes, salience weighting, SMP
options, blends of SMP and the compromise model) are computed once per issue; on each of
``--splits`` random splits by proposal (half the proposals for training, half for testing)
the candidate with the lowest training MAE is chosen and scored on the test proposals,
beside the default compromise model on the same test issues. Other candidates: the
Parliament's capability set by the legislative procedure (none under consultation), and the
compromise pulled part way towards the reference point where one is known.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.forecast import run
from accord.forecast.baselines import compromise
from accord.forecast.validation import ValidationIssue, evaluate, read_deu_csv, split_by_group

F = NDArray[np.float64]


def one(issue: ValidationIssue, model: str, **options: Any) -> float:
    return float(next(iter(run(issue.problem, model, **options).forecast.values())))


def candidates(path: str) -> tuple[list[ValidationIssue], dict[str, F]]:
    """Every candidate forecaster's forecast on every issue (same issue order)."""
    schemes: dict[str, dict[str, Any]] = {
        "council+inst29": {"capability": "council", "institution_capability": 29.0},
        "council+inst0": {"capability": "council", "institution_capability": 0.0},
        "council+inst10": {"capability": "council", "institution_capability": 10.0},
        "council+inst60": {"capability": "council", "institution_capability": 60.0},
        "council+inst120": {"capability": "council", "institution_capability": 120.0},
        "equal": {"capability": "equal"},
    }
    loaded = {k: read_deu_csv(path, **v) for k, v in schemes.items()}
    base = loaded["council+inst29"]
    ids = [i.issue for i in base]
    for k, v in loaded.items():  # same issues in the same order under every scheme
        assert [i.issue for i in v] == ids, k
    out: dict[str, F] = {}
    for k, issues in loaded.items():
        for a in (0.0, 0.5, 1.0, 2.0):  # weights capability x salience^a
            out[f"compromise[{k},s^{a:g}]"] = np.array(
                [
                    compromise(i.problem.capability, i.problem.position, i.problem.salience**a)[0]
                    for i in issues
                ]
            )
        out[f"median[{k}]"] = np.array([one(i, "median") for i in issues])
    smp_configs: dict[str, dict[str, Any]] = {
        "default": {},
        "quartic": {"victory_prob": "quartic"},
        "markov": {"pce": "markov_incentive"},
    }
    for k in ("council+inst29", "equal", "council+inst60"):
        for name, opts in smp_configs.items():
            if k != "council+inst29" and name != "default":
                continue
            t0 = time.perf_counter()
            out[f"smp-{name}[{k}]"] = np.array([one(i, "smp", **opts) for i in loaded[k]])
            print(f"  smp-{name}[{k}]: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    out["eu[council+inst29]"] = np.array([one(i, "eu") for i in base])
    # Procedure-aware power: under consultation (CNS) the Parliament is only consulted, so
    # it gets no capability; under codecision (COD) it is a co-legislator.
    for inst in (29.0, 60.0):
        vals = []
        for i in base:
            cap = np.where(np.asarray(i.problem.actors) == "com", inst, i.problem.capability).astype(float)
            ep = np.asarray(i.problem.actors) == "ep"
            cap[ep] = 0.0 if i.attributes.get("proc", "").upper() == "CNS" else inst
            vals.append(compromise(cap, i.problem.position, i.problem.salience)[0])
        out[f"compromise[procedure-aware EP, inst{inst:g}]"] = np.array(vals)
    # Pull of the reference point (status quo) on the compromise, where one is known.
    comp0 = out["compromise[council+inst29,s^1]"]
    rp = np.array([np.nan if i.reference_point is None else i.reference_point for i in base])
    for lam in (0.1, 0.2, 0.3):
        out[f"compromise pulled {lam:g} towards reference point"] = np.where(
            np.isnan(rp), comp0, (1 - lam) * comp0 + lam * np.nan_to_num(rp)
        )
    comp = out["compromise[council+inst29,s^1]"]
    for name in smp_configs:
        smp = out[f"smp-{name}[council+inst29]"]
        for w in (0.25, 0.5, 0.75):
            out[f"blend {w:g}*smp-{name}+{1 - w:g}*compromise"] = w * smp + (1 - w) * comp
    return base, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", help="DEU III CSV (Dataset_DEU_III.csv or a tab-separated copy)")
    ap.add_argument("--out", default="validation/results/deu3", help="output prefix (.json/.md)")
    ap.add_argument("--splits", type=int, default=50, help="random splits by proposal")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args(argv)

    digest = hashlib.sha256(Path(args.path).read_bytes()).hexdigest()
    issues = read_deu_csv(args.path)
    n_groups = len({i.group for i in issues})
    print(f"{len(issues)} issues from {n_groups} proposals; sha256 {digest[:16]}", file=sys.stderr)

    # Part 1: every model with its defaults.
    report = evaluate(issues, ["compromise", "median", "nash", "smp", "eu"])
    table = report.table()

    # Part 2: held-out calibration.
    base, cand = candidates(args.path)
    y = np.array([i.outcome for i in base])
    groups = np.array([i.group for i in base])
    full_mae = {k: float(np.mean(np.abs(v - y))) for k, v in cand.items()}
    default = "compromise[council+inst29,s^1]"
    picks: list[dict[str, Any]] = []
    for s in range(args.splits):
        _train, test = split_by_group(base, 0.5, seed=args.seed + s)
        test_groups = {i.group for i in test}
        te = np.isin(groups, list(test_groups))
        tr = ~te
        best = min(cand, key=lambda k: float(np.mean(np.abs(cand[k][tr] - y[tr]))))
        picks.append(
            {
                "seed": args.seed + s,
                "chosen": best,
                "train_mae": float(np.mean(np.abs(cand[best][tr] - y[tr]))),
                "test_mae": float(np.mean(np.abs(cand[best][te] - y[te]))),
                "test_mae_compromise": float(np.mean(np.abs(cand[default][te] - y[te]))),
                "n_test": int(te.sum()),
            }
        )
    diffs = np.array([p["test_mae"] - p["test_mae_compromise"] for p in picks])
    chosen: dict[str, int] = {}
    for p in picks:
        chosen[p["chosen"]] = chosen.get(p["chosen"], 0) + 1
    summary = {
        "data": {
            "path_name": Path(args.path).name,
            "sha256": digest,
            "issues": len(issues),
            "proposals": n_groups,
            "issues_with_reference_point": int(sum(i.reference_point is not None for i in issues)),
        },
        "defaults": table,
        "candidates_full_sample_mae": dict(sorted(full_mae.items(), key=lambda kv: kv[1])),
        "heldout": {
            "splits": args.splits,
            "mean_test_mae_chosen": float(np.mean([p["test_mae"] for p in picks])),
            "mean_test_mae_compromise": float(np.mean([p["test_mae_compromise"] for p in picks])),
            "mean_difference": float(diffs.mean()),
            "splits_where_chosen_beats_compromise": int((diffs < 0).sum()),
            "chosen_counts": dict(sorted(chosen.items(), key=lambda kv: -kv[1])),
            "per_split": picks,
        },
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(summary, indent=1) + "\n")
    out.with_suffix(".md").write_text(markdown(summary) + "\n")
    print(markdown(summary))
    return 0


def markdown(s: dict[str, Any]) -> str:
    d = s["data"]
    lines = [
        f"DEU III: {d['issues']} issues with an outcome from {d['proposals']} proposals "
        f"(input sha256 `{d['sha256'][:16]}...`).",
        "",
        "| model | issues | MAE | compromise MAE, same issues | RMSE | seconds |",
        "|---|---|---|---|---|---|",
    ]
    for r in s["defaults"]:
        lines.append(
            f"| {r['model']} | {r['n']} | {r['mae']:.2f} | {r['baseline_mae_same_issues']:.2f} "
            f"| {r['rmse']:.2f} | {r['seconds']:.2f} |"
        )
    lines += ["", "Candidates, whole sample (in-sample; for orientation only):", ""]
    lines += ["| candidate | MAE |", "|---|---|"]
    for k, v in list(s["candidates_full_sample_mae"].items())[:12]:
        lines.append(f"| {k} | {v:.2f} |")
    h = s["heldout"]
    lines += [
        "",
        f"Held-out ({h['splits']} random splits by proposal, half for choosing, half for "
        f"scoring): chosen candidate {h['mean_test_mae_chosen']:.2f} vs compromise "
        f"{h['mean_test_mae_compromise']:.2f} (mean difference {h['mean_difference']:+.2f}); "
        f"the chosen candidate beats the compromise model on {h['splits_where_chosen_beats_compromise']}"
        f" of {h['splits']} splits.",
        "",
        "Chosen on training halves: " + ", ".join(f"{k} ({v})" for k, v in h["chosen_counts"].items()),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
