"""Terminal rendering of a sweep's summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from accord.scale.runner import SweepResult


def _fmt(entry: dict[str, object]) -> str:
    if "share_true" in entry:
        return f"{float(entry['share_true']):.1%} true"  # type: ignore[arg-type]
    if "mean" in entry:
        return (
            f"mean {float(entry['mean']):.4g}  p5 {float(entry['p5']):.4g}  "  # type: ignore[arg-type]
            f"median {float(entry['median']):.4g}  p95 {float(entry['p95']):.4g}"  # type: ignore[arg-type]
        )
    shares = entry.get("shares")
    if isinstance(shares, dict):
        return "  ".join(f"{k} {v:.0%}" for k, v in list(shares.items())[:4])
    return "-"


def render_sweep(res: SweepResult, console: Console) -> None:
    """Print what ran, how fast, where the rows are, and a summary per result column."""
    what = f"{res.n:,} samples of '{res.job}'"
    if res.varied:
        what += " over " + ", ".join(res.varied)
    if res.sampled:
        what += f", {len(res.sampled)} parameters drawn from their ranges"
    console.print(f"[bold]sweep[/bold]: {what}")
    speed = f"{res.seconds:.2f} s, {res.rate:,.0f} samples/s on {res.workers} worker(s) ({res.backend})"
    if res.reused:
        speed += f"; {res.reused:,} samples reused from the earlier run"
    console.print(speed)
    if res.output:
        console.print(f"rows: {res.output} (one per sample, sorted by 'sample')")
    t = Table(title="results", title_justify="left")
    t.add_column("column")
    t.add_column("n", justify="right")
    t.add_column("summary")
    for name, entry in res.summary.items():
        t.add_row(name, f"{entry.get('n', 0):,}", _fmt(entry))
    console.print(t)
    for note in res.notes:
        console.print(f"note: {note}")


__all__ = ["render_sweep"]
