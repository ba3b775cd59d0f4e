"""The briefing as one self-contained HTML file: text, tables and interactive plotly charts.

The plotly.js library is embedded, so the file opens without a network: gzip-compressed and
base64-encoded (about 1.9 MB instead of 4.8 MB), unpacked by the browser's built-in
``DecompressionStream`` when the page opens (every current browser has it; an older one shows the
text and tables and says why the charts are missing). ``packed=False`` embeds it as plain script.
The text comes from :func:`accord.report.data.report_context`; the charts from
:mod:`accord.report.charts`.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import ConfigurationError
from accord.report.data import ReportInput, report_context

if TYPE_CHECKING:
    import jinja2

    from accord.jobs import Briefing


@cache
def _ref_pattern(ids: tuple[str, ...]) -> re.Pattern[str]:
    alts = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alts})(?![\w-])")


def linkify(text: str | None, ids: list[str] | tuple[str, ...]) -> Any:
    """HTML-escape ``text`` and turn every source id in it into a link to its entry in the sources list."""
    from markupsafe import Markup, escape

    esc = str(escape(text or ""))
    if not ids:
        return Markup(esc)
    return Markup(
        _ref_pattern(tuple(ids)).sub(lambda m: f'<a class="ref" href="#src-{m[1]}">{m[1]}</a>', esc)
    )


def mdlinkify(text: str | None, ids: list[str] | tuple[str, ...]) -> str:
    """Markdown form of :func:`linkify`: source ids become ``[id](#src-id)``."""
    if not text or not ids:
        return text or ""
    return _ref_pattern(tuple(ids)).sub(lambda m: f"[{m[1]}](#src-{m[1]})", text)


@cache
def environment() -> jinja2.Environment:
    """The jinja2 environment over ``accord/report/templates`` (HTML autoescaped)."""
    try:
        import jinja2
    except ImportError:  # pragma: no cover - jinja2 ships with the report extra
        raise ConfigurationError("the report needs jinja2: pip install 'accord[report]'") from None
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("accord.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "html.j2"], default_for_string=False),
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        undefined=jinja2.ChainableUndefined,
    )
    env.filters["linkify"] = linkify
    env.filters["mdlinkify"] = mdlinkify
    return env


@cache
def plotly_js() -> str:
    """The plotly.js library (minified) from the installed plotly package."""
    try:
        from plotly.offline import get_plotlyjs
    except ImportError:
        raise ConfigurationError(
            "the HTML report needs plotly: pip install 'accord[report]' (or render Markdown)"
        ) from None
    return str(get_plotlyjs())


@cache
def plotly_js_packed() -> str:
    """plotly.js gzip-compressed (level 9, no timestamp) and base64-encoded, for the report."""
    raw = gzip.compress(plotly_js().encode("utf-8"), compresslevel=9, mtime=0)
    return base64.b64encode(raw).decode("ascii")


def charts_json(ctx: dict[str, Any]) -> str:
    """The context's figures as JSON safe to put inside a ``<script>`` element."""
    text = json.dumps(ctx.get("charts", {}), separators=(",", ":"), allow_nan=False, default=float)
    return text.replace("</", "<\\/")


def render_html(
    b: Briefing | ReportInput,
    *,
    conflict: dict[str, Any] | None = None,
    forecast: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
    inline_plotly: bool = True,
    packed: bool = True,
) -> str:
    """The report as one HTML document.

    Parameters
    ----------
    b : Briefing or ReportInput
        Results of :func:`accord.jobs.brief` (and optional hooks, see :mod:`accord.report.data`).
    conflict, forecast : dict or None
        Optional conflict-model and forecast results (plain dicts).
    params : dict or None
        Run parameters for the footer.
    inline_plotly : bool
        Embed plotly.js (default). With False, the page expects ``Plotly`` to be loaded some other way.
    packed : bool
        Embed it compressed (default; the browser unpacks it) rather than as plain script.
    """
    ctx = report_context(b, conflict=conflict, forecast=forecast, params=params)
    js = plotly_js() if inline_plotly and not packed else ""
    js_packed = plotly_js_packed() if inline_plotly and packed else ""
    return (
        environment()
        .get_template("report.html.j2")
        .render(**ctx, charts_json=charts_json(ctx), plotly_js=js, plotly_packed=js_packed)
    )


def write_html(
    b: Briefing | ReportInput,
    path: str | Path,
    *,
    conflict: dict[str, Any] | None = None,
    forecast: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
) -> Path:
    """Render :func:`render_html` into ``path`` (written whole, then renamed) and return the path."""
    p = Path(path)
    text = render_html(b, conflict=conflict, forecast=forecast, params=params)
    tmp = p.with_name(p.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(p)
    except OSError as exc:
        raise ConfigurationError(f"{p}: cannot write the report: {exc.strerror}") from None
    return p


__all__ = [
    "charts_json",
    "environment",
    "linkify",
    "mdlinkify",
    "plotly_js",
    "plotly_js_packed",
    "render_html",
    "write_html",
]
