"""The FastAPI application: a thin shell over the services."""

from __future__ import annotations

import hmac
import re
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from modelyard import __version__
from modelyard.api import _errors
from modelyard.api._audit import AuditTrail, identity
from modelyard.api._guard import HostPolicy, RequestGuard
from modelyard.api._scoring import PREFIXES as SCORING_PREFIXES, ScoringRouter
from modelyard.api._studio import mount_studio
from modelyard.api.routes import (audit, batch_endpoints, cohorts, compute, data, datastores, designer, endpoints,
                                  environments, events, jobs, lineage, model_analyses, models, monitors, notebooks,
                                  pipeline_endpoints, schedules, system, trial_explanations, webhooks)
from modelyard.api.routes import interactive_runs
from modelyard.errors import InvalidInput
from modelyard.services._audit_changes import watch as watch_changes
from modelyard.services._context import ServiceContext
from modelyard.services.workspace import WorkspaceLocation

# Paths that need the token on a server that has one; health, docs and the studio's files are public.
TOKEN_PATHS = ("/api/", "/metrics")
KEY_CHECKED = re.compile(pipeline_endpoints.RUNS_PATH)  # the route checks its endpoint's own key instead


class WorkspaceApp(FastAPI):
    """The app, with the scoring route in front of every middleware: its requests (checked by the
    endpoint's key or token) pay for no layer they do not need."""

    scoring = None  # the ScoringRouter, behind the request guard when there is one
    scoring_router = scoring_guard = None  # each on its own, for the server's protocol (_scoring_protocol)
    supervisor = None  # the running engines' scoring supervisor (read on every scored request)

    async def __call__(self, scope, receive, send) -> None:
        if self.scoring is not None and scope["type"] == "http" and scope["path"].startswith(SCORING_PREFIXES):
            await self.scoring(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def create_app(location: WorkspaceLocation, token: str | None = None, engines: bool = False,
               hosts: HostPolicy | None = None, audit_trail: bool = True) -> FastAPI:
    """The app for one workspace.

    With ``token`` every API call must send ``Authorization: Bearer`` (an empty token is refused,
    never taken for "no token"). With ``engines`` the app also runs the long-lived parts (the job
    scheduler and compute pools): the workspace server does, an embedded in-process client does
    not. With ``hosts`` (a server on the network) requests must come through one of the server's
    names, and from its own origin when a browser sends them (see ``_guard``). Without ``audit_trail``
    (the audit benchmark's baseline only) mutating calls leave no audit record.
    """
    if token is not None and not token.strip():
        raise InvalidInput("the server must require an access token but the token is empty")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.context = ServiceContext.open(location)
        watch_changes(app.state.context.sessions)
        app.state.engines = None
        if engines:
            _sweep_leftovers(app.state.context)
            from modelyard.runtime import start_engines

            app.state.engines = start_engines(app.state.context, background=True)  # listen first, warm after
            app.supervisor = app.state.engines.supervisor
        try:
            yield
        finally:
            app.supervisor = None
            if app.state.engines is not None:
                app.state.engines.stop()
            app.state.context.close()

    app = WorkspaceApp(title="modelyard", version=__version__, lifespan=lifespan)
    _errors.install(app)
    if audit_trail:
        app.add_middleware(AuditTrail, who=identity(token), context_of=lambda: app.state.context)
    if token is not None:
        _require_token(app, token)
    for module in (system, datastores, data, compute, jobs, trial_explanations, designer, models, model_analyses,
                   cohorts, endpoints, batch_endpoints, schedules, audit, lineage, monitors, events, webhooks, notebooks,
                   environments):
        app.include_router(module.router)
    app.include_router(endpoints.prometheus)
    app.include_router(pipeline_endpoints.router)
    app.include_router(interactive_runs.router)
    app.scoring = app.scoring_router = ScoringRouter(partial(FastAPI.__call__, app), context_of=lambda: app.state.context,
                                supervisor_of=lambda: app.supervisor)
    if hosts is not None:  # the guard is the outermost layer of both the scoring route and the rest
        app.scoring = app.scoring_guard = RequestGuard(app.scoring, policy=hosts)
        app.add_middleware(RequestGuard, policy=hosts)
    mount_studio(app)
    return app


def _sweep_leftovers(context: ServiceContext) -> None:
    """What a server killed mid-request left behind: staged uploads and downloads in scratch."""
    import logging
    import time

    from modelyard.store._artifacts import sweep_older

    started = time.time()
    removed = context.artifacts.sweep_staging(started)
    for pattern in ("fetch-*", "query-*"):
        removed += sweep_older(context.cache_dir, pattern, started)
    if removed:
        logging.getLogger("modelyard.api").info("removed %d leftover staging entries: %s", len(removed), removed)


def _require_token(app: FastAPI, token: str) -> None:
    expected = f"Bearer {token}".encode()

    @app.middleware("http")
    async def check_token(request: Request, call_next):
        if not request.url.path.startswith(TOKEN_PATHS) or KEY_CHECKED.match(request.url.path):
            return await call_next(request)
        sent = request.headers.get("authorization", "").encode()
        if not hmac.compare_digest(sent, expected):
            return JSONResponse({"error": "Unauthorized", "detail": "missing or wrong access token"}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        return await call_next(request)
