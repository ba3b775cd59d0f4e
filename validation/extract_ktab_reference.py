"""Extract the numbers accord's SMP must reproduce from a KTAB ``smpc`` reference log.

KTAB (KAPSARC Toolkit for Behavioral Analysis, MIT licence, (c) 2015 KAPSARC) ships reference
runs of its Spatial Model of Politics in ``examples/smp/doc/20170530_ref-*.txt``. This script
keeps, as printed by KTAB (same formatting), the lines our tests compare against:

- ``risk <state> <values>``: inferred risk attitudes of every actor in each state (%+.3f);
- ``challenge <turn> <text>``: each actor's best target and the four "Est by" estimates of
  victory probability and expected gain (%.4f / %+.4f);
- ``bargain <turn> <i>:<j> <text>``: the initiator's interpolated bargain (%.3f, 0-100);
- ``fractional <text>``: the stopping rule's ratio after each turn (%.4f);
- ``position <text>`` and ``prob <text>``: the position history (%5.1f) and the history of
  each actor's winning probability (%.4f), which KTAB's own regression script compares.

Bargain ids are left out: KTAB numbers bargains in thread-scheduling order.

Usage: python validation/extract_ktab_reference.py LOG > tests/forecast/data/ktab_ref_NAME.txt
"""

from __future__ import annotations

import re
import sys


def extract(lines: list[str], n_actors: int) -> list[str]:
    out: list[str] = []
    turn = -1
    state = 0
    k = 0
    in_history = False
    while k < len(lines):
        line = lines[k].rstrip()
        if m := re.match(r"Starting Model::run iteration (\d+)", line):
            turn = int(m.group(1)) - 1
        elif line.startswith("Inferred risk attitudes:"):
            vals = [lines[k + 1 + a].strip() for a in range(n_actors)]
            out.append(f"risk {state} " + " ".join(vals))
            state += 1
            k += n_actors
        elif "most advantageous target" in line or line.startswith("Est by"):
            out.append(f"challenge {turn} {line.strip()}")
        elif m := re.match(r"Bargain \[\d+, (\d+):(\d+)\] from (\d+)'s perspective", line):
            i, j = m.group(1), m.group(2)
            if i == m.group(3):
                # threads interleave log lines: find this bargain's two lines
                for who in (i, j):
                    want = f"{i} proposes {who} adopt:"
                    text = next(x.strip() for x in lines[k + 1 :] if x.strip().startswith(want))
                    out.append(f"bargain {turn} {i}:{j} {text}")
        elif line.startswith("Fractional change"):
            out.append(f"fractional {line.strip()}")
        elif line.startswith("History of actor positions"):
            in_history = True
        elif line.startswith("History of actors' winning"):
            in_history = False
        elif ", prob :" in line:
            out.append(f"prob {line.strip()}")
        elif in_history and line.strip():
            out.append(f"position {line.strip()}")
        k += 1
    return out


def main() -> None:
    text = open(sys.argv[1], encoding="utf-8").read().splitlines()
    n = int(next(m.group(1) for ln in text if (m := re.match(r"Number of actors: (\d+)", ln))))
    print(f"# extracted from KTAB {sys.argv[1].rsplit('/', 1)[-1]} (MIT licence, (c) 2015 KAPSARC)")
    for line in extract(text, n):
        print(line)


if __name__ == "__main__":
    main()
