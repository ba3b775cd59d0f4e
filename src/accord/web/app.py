"""Routes of the workbench (FastAPI, server-rendered pages)."""

from __future__ import annotations

import html
from functools import cache
from typing import Any

import jinja2
from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from accord.errors import AccordError, ScenarioError
from accord.web import JOB_KINDS, MAX_SCENARIO_BYTES, Workbench, problems


@cache
def _env() -> jinja2.Environment:
    from accord.report.html import linkify, mdlinkify

    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("accord.web", "templates"),
                jinja2.PackageLoader("accord.report", "templates"),
            ]
        ),
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        undefined=jinja2.ChainableUndefined,
    )
    env.filters["linkify"] = linkify
    env.filters["mdlinkify"] = mdlinkify
    return env


def _page(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    return HTMLResponse(_env().get_template(name).render(**ctx), status_code=status)


def _builtins() -> list[dict[str, str]]:
    from accord.scenario import builtin_names, load

    out = []
    for n in builtin_names():
        s = load(n)
        out.append({"name": n, "title": s.title})
    return out


def _builtin_text(name: str) -> str | None:
    from accord.scenario.loader import builtin_names, builtin_text

    if name not in builtin_names():
        return None
    return builtin_text(name).decode("utf-8")


def build(wb: Workbench) -> FastAPI:
    """Wire the routes onto a workbench."""
    from accord import __version__

    app = FastAPI(title="accord workbench", version=__version__, docs_url=None, redoc_url=None)
    app.state.workbench = wb
    builtins = _builtins()
    default = builtins[0]["name"] if builtins else ""
    for b in builtins:
        if b["name"] == "gaza-2025-07":
            default = b["name"]

    def index_page(
        text: str, chosen: str, errors: list[dict[str, Any]] | None = None, status: int = 200
    ) -> HTMLResponse:
        return _page(
            "index.html.j2",
            status=status,
            builtins=builtins,
            chosen=chosen,
            text=text,
            errors=errors or [],
            kinds=JOB_KINDS,
            runs=wb.store.list_runs(limit=15),
            max_kib=MAX_SCENARIO_BYTES // 1024,
            version=__version__,
        )

    @app.get("/", response_class=HTMLResponse)
    def index(scenario: str | None = None) -> HTMLResponse:
        chosen = scenario or default
        text = _builtin_text(chosen)
        if text is None:
            return index_page(
                "", "", [{"line": None, "text": f"no built-in scenario '{chosen}'"}], status=404
            )
        return index_page(text, chosen)

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "version": __version__, "runs": wb.store.count()}

    @app.get("/scenarios/{name}", response_class=PlainTextResponse)
    def scenario_text(name: str) -> PlainTextResponse:
        text = _builtin_text(name)
        if text is None:
            return PlainTextResponse(f"no built-in scenario '{name}'", status_code=404)
        return PlainTextResponse(text)

    @app.post("/validate")
    def validate(text: str = Form("")) -> JSONResponse:
        try:
            s = wb.parse(text)
        except AccordError as exc:
            return JSONResponse({"ok": False, "errors": problems(exc)}, status_code=422)
        return JSONResponse(
            {"ok": True, "id": s.id, "title": s.title, "issues": len(s.issues), "actors": len(s.actors)}
        )

    @app.post("/upload", response_class=HTMLResponse)
    async def upload(request: Request, file: UploadFile = File(...)) -> HTMLResponse:  # noqa: B008
        size = int(request.headers.get("content-length") or 0)
        data = await file.read(MAX_SCENARIO_BYTES + 1) if size <= MAX_SCENARIO_BYTES + 4096 else b""
        if size > MAX_SCENARIO_BYTES + 4096 or len(data) > MAX_SCENARIO_BYTES:
            msg = f"{file.filename}: larger than {MAX_SCENARIO_BYTES // 1024} KiB; upload a smaller scenario"
            return index_page("", "", [{"line": None, "text": msg}], status=413)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return index_page(
                "", "", [{"line": None, "text": f"{file.filename}: not UTF-8 text"}], status=422
            )
        try:
            wb.parse(text, file.filename or "upload")
        except AccordError as exc:
            return index_page(text, "", problems(exc), status=422)
        return index_page(text, "")

    @app.post("/jobs")
    def submit(
        text: str = Form(""),
        kind: str = Form("analysis"),
        runs: int = Form(1000),
        sim_runs: int = Form(0),
        seed: int = Form(0),
    ) -> JSONResponse:
        try:
            job = wb.submit(kind, text, runs=runs, sim_runs=sim_runs, seed=seed)
        except ScenarioError as exc:
            return JSONResponse({"ok": False, "errors": problems(exc)}, status_code=422)
        except AccordError as exc:
            return JSONResponse({"ok": False, "errors": [{"line": None, "text": str(exc)}]}, status_code=422)
        return JSONResponse({"ok": True, **job.to_dict()}, status_code=202)

    @app.get("/jobs/{job_id}")
    def job_status(job_id: str) -> JSONResponse:
        job = wb.job(job_id)
        if job is None:
            return JSONResponse({"ok": False, "error": f"no job {job_id}"}, status_code=404)
        return JSONResponse({"ok": True, **job.to_dict()})

    @app.post("/api/runs")
    def api_run(body: dict[str, Any]) -> JSONResponse:
        """Run a job and wait for it: ``{"scenario": name or text, "kind", "runs", "sim_runs", "seed"}``."""
        src = str(body.get("scenario") or default)
        text = _builtin_text(src) or src
        try:
            job = wb.run_now(
                str(body.get("kind", "analysis")),
                text,
                runs=int(body.get("runs", 0)),
                sim_runs=int(body.get("sim_runs", 0)),
                seed=int(body.get("seed", 0)),
            )
        except ScenarioError as exc:
            return JSONResponse({"ok": False, "errors": problems(exc)}, status_code=422)
        except (AccordError, ValueError, TypeError) as exc:
            return JSONResponse({"ok": False, "errors": [{"line": None, "text": str(exc)}]}, status_code=422)
        status = 200 if job.status == "done" else 500
        out: dict[str, Any] = {"ok": job.status == "done", **job.to_dict()}
        if job.run_id is not None:
            res = wb.store.get(job.run_id).results
            out["deal_possible_now"] = res.get("deal_possible_now")
        return JSONResponse(out, status_code=status)

    @app.get("/runs", response_class=HTMLResponse)
    def runs_page(limit: int = 100) -> HTMLResponse:
        return _page(
            "runs.html.j2", runs=wb.store.list_runs(limit=min(max(limit, 1), 1000)), version=__version__
        )

    @app.get("/runs/diff", response_class=HTMLResponse)
    def runs_diff(a: int, b: int) -> HTMLResponse:
        from accord.store import diff

        try:
            d = diff(wb.store.get(a), wb.store.get(b), limit=300)
        except AccordError as exc:
            return _page("error.html.j2", status=404, message=str(exc), version=__version__)
        return _page("diff.html.j2", d=d, version=__version__)

    @app.get("/runs/{run_id}", response_class=HTMLResponse)
    def run_page(run_id: int) -> HTMLResponse:
        from accord.report.html import charts_json

        try:
            run = wb.store.get(run_id)
            rep = wb.report(run_id)
        except AccordError as exc:
            return _page("error.html.j2", status=404, message=str(exc), version=__version__)
        ctx = rep["ctx"]
        return _page("run.html.j2", run=run, charts_json=charts_json(ctx), **ctx)

    @app.get("/runs/{run_id}/report.html")
    def run_download(run_id: int) -> Response:
        from accord.report.html import render_html

        try:
            rep = wb.report(run_id)
        except AccordError as exc:
            return PlainTextResponse(str(exc), status_code=404)
        text = render_html(rep["briefing"], params={"run": run_id}, **rep["hooks"])
        return HTMLResponse(
            text, headers={"Content-Disposition": f'attachment; filename="accord-run-{run_id}.html"'}
        )

    @app.get("/runs/{run_id}/report.md")
    def run_markdown(run_id: int) -> Response:
        from accord.report.markdown import render_markdown

        try:
            rep = wb.report(run_id)
        except AccordError as exc:
            return PlainTextResponse(str(exc), status_code=404)
        return Response(
            render_markdown(rep["briefing"], params={"run": run_id}, **rep["hooks"]),
            media_type="text/markdown; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="accord-run-{run_id}.md"'},
        )

    @app.get("/static/plotly.min.js")
    def plotly() -> Response:
        from accord.report.html import plotly_js

        return Response(
            plotly_js(), media_type="application/javascript", headers={"Cache-Control": "max-age=86400"}
        )

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception) -> HTMLResponse:
        return _page(
            "error.html.j2",
            status=404,
            message=f"nothing at {html.escape(request.url.path)}",
            version=__version__,
        )

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)

    return app


__all__ = ["build"]
