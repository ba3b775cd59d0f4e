"""accord's SMP against KTAB's ``smpc`` under non-default model options.

Each configuration is written into a KTAB XML input (``write_ktab_xml``, which carries
``<ModelParameters>``), run by KTAB's ``smpc --xml`` (built from KTAB's sources outside this repository)
and by accord with the same options; the lines KTAB's regression script compares
(stopping-rule ratios and winning-probability histories) are checked for identity.
Stochastic transitions are left out: they depend on KTAB's own random generator.

usage: .venv/bin/python benchmarks/ktab_configs.py [--smpc PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from accord.forecast.ktab_io import read_ktab_csv, write_ktab_xml
from accord.forecast.smp import SMPConfig, smp_run
from ktab_peer import ktab_lines, ours_lines

HERE = Path(__file__).parent
DATA = HERE.parent / "tests" / "forecast" / "data"
CONFIGS: list[dict[str, str]] = [
    {},
    {"voting_rule": "binary"},
    {"voting_rule": "prop_bin"},
    {"voting_rule": "prop_cubic"},
    {"voting_rule": "cubic"},
    {"voting_rule": "asym_prospect"},
    {"victory_prob": "square"},
    {"victory_prob": "quartic"},
    {"victory_prob": "octic"},
    {"victory_prob": "binary"},
    {"pce": "markov_incentive"},
    {"pce": "markov_uniform"},
    {"big_r_range": "min"},
    {"big_r_range": "max"},
    {"big_r_adjust": "none"},
    {"big_r_adjust": "half"},
    {"big_r_adjust": "two_thirds"},
    {"big_r_adjust": "full"},
    {"third_party_commit": "none"},
    {"third_party_commit": "full"},
    {"interpolation": "s1p1"},
    {"interpolation": "s2pmax"},
    {"bargain_model": "init_rcvr"},
    {"bargain_model": "power_weighted"},
    {"pce": "markov_incentive", "voting_rule": "prop_cubic"},
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--smpc", type=Path, default=HERE / ".venv-ktab" / "smpc")
    ap.add_argument("--inputs", nargs="*", default=["dummyData_3Dim.csv", "SOE-Pol-Comp.csv"])
    args = ap.parse_args()
    for name in args.inputs:
        pr = read_ktab_csv(DATA / name).problem
        for cfg in CONFIGS:
            with tempfile.TemporaryDirectory() as tmp:
                xml = Path(tmp) / "in.xml"
                write_ktab_xml(pr, xml, name="cfg", options=cfg)
                (Path(tmp) / "smpc-logger.conf").write_text(
                    (args.smpc.parent / "smpc-logger.conf").read_text()
                )
                subprocess.run(
                    [str(args.smpc), "--logmin", "--xml", str(xml), "--connstr",
                     f"Driver=QSQLITE;Database={tmp}/ktab"],
                    cwd=tmp, check=True, capture_output=True, timeout=600,
                )  # fmt: skip
                log = next(Path(tmp).glob("smpc-*_log.txt")).read_text()
            run = smp_run(pr.capability, pr.position, pr.salience, SMPConfig(**cfg))
            ref = ktab_lines(log)
            same = ref == ours_lines(run, pr.actors)
            print(json.dumps({"input": name, "options": cfg, "turns": run.turns,
                              "ktab_lines": len(ref), "identical": same}), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
