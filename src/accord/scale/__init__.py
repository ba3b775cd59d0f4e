"""Parameter sweeps and Monte Carlo at scale: local processes or Ray, one row per sample in Parquet.

::

    import accord
    res = accord.sweep("gaza-2025-07", "analyze", ["actors.hamas.no_deal.value=0.2:0.5:7"], runs=1)
    res.summary["deal_now"]            # share of samples with a zone of possible agreement

See ``docs/scale.md`` for the path grammar, the backends and running on a cluster.
"""

from __future__ import annotations

from accord.scale.jobs import JOBS, Job, available_jobs, get_job, register_job
from accord.scale.paths import Target, numeric_paths, resolve, substitute
from accord.scale.plan import Plan, Vary, make_plan, parse_vary
from accord.scale.runner import SweepResult, check_address, ray_available, sweep

__all__ = [
    "JOBS",
    "Job",
    "Plan",
    "SweepResult",
    "Target",
    "Vary",
    "available_jobs",
    "check_address",
    "get_job",
    "make_plan",
    "numeric_paths",
    "parse_vary",
    "ray_available",
    "register_job",
    "resolve",
    "substitute",
    "sweep",
]
