"""Run every benchmark that needs only the project environment and print their results.

Benchmarks against peers (NegMAS, GMCR+) set up their own separate environments; see the README's
performance section for their commands.
"""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).parent

if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    results = {}
    for name in ["space_bench", "analysis_bench"]:
        mod = runpy.run_path(str(HERE / f"{name}.py"))
        results[name] = mod["main"]()
    print(json.dumps(results, indent=2))
