"""The briefing as Markdown: the HTML report's text and tables, without the charts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import ConfigurationError
from accord.report.data import ReportInput, report_context
from accord.report.html import environment

if TYPE_CHECKING:
    from accord.jobs import Briefing


def render_markdown(
    b: Briefing | ReportInput,
    *,
    conflict: dict[str, Any] | None = None,
    forecast: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
) -> str:
    """The report as Markdown (GitHub flavour: tables, anchors for the sources).

    Parameters are those of :func:`accord.report.html.render_html`.
    """
    ctx = report_context(b, conflict=conflict, forecast=forecast, params=params, charts=False)
    text = environment().get_template("report.md.j2").render(**ctx)
    return re.sub(r"\n{3,}", "\n\n", text)  # the template's optional parts leave blank runs


def write_markdown(
    b: Briefing | ReportInput,
    path: str | Path,
    *,
    conflict: dict[str, Any] | None = None,
    forecast: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
) -> Path:
    """Render :func:`render_markdown` into ``path`` and return the path."""
    p = Path(path)
    try:
        p.write_text(
            render_markdown(b, conflict=conflict, forecast=forecast, params=params), encoding="utf-8"
        )
    except OSError as exc:
        raise ConfigurationError(f"{p}: cannot write the report: {exc.strerror}") from None
    return p


__all__ = ["render_markdown", "write_markdown"]
