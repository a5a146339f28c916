"""The application factory: routes, middleware and lifespan in one explicit call."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from api.account_routes import AccountRoutes
from api.auth import InvalidToken, authenticate, client_address
from api.database import close_database, migrate, open_database
from api.document_routes import DocumentRoutes
from api.documents import DocumentServices, master_key_if_configured
from api.errors import error_response
from api.limits import BodySizeLimit
from api.runtime import settle_heap
from api.scheduler import ServerScheduler
from api.settings import Settings
from api.statement_routes import StatementRoutes
from domain.clock import Clock, SystemClock
from schema.context import Context
from schema.root import build_schema
from workflows import identity
from workflows.documents.pki import MasterKeyError
from workflows.identity import LoginPolicy

log = logging.getLogger("portal")

def _contains_nul(value: Any) -> bool:
    """Whether any string in a parsed JSON value holds a NUL character (PostgreSQL text cannot store one)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


@dataclass
class SocketContext(Context):
    """A WebSocket's context, for all its operations: strawberry stores the connection_init payload here."""

    connection_params: dict[str, Any] = field(default_factory=dict)


def init_bearer_token(params: dict[str, Any]) -> str | None:
    """The token of a connection_init payload `{"authorization": "Bearer <token>"}`, or None."""
    value = params.get("authorization", params.get("Authorization"))
    if not isinstance(value, str):
        return None
    scheme, _, secret = value.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


class PortalGraphQL(GraphQL):
    """strawberry's ASGI view with the portal's authentication, context and JSON errors."""

    def __init__(self, settings: Settings, clock: Clock, documents: DocumentServices) -> None:
        super().__init__(
            build_schema(production=settings.production),
            graphql_ide=None if settings.production else "graphiql",
            allow_queries_via_get=False,  # queries change nothing, but GET would make CSRF easy once cookies exist
            # For verifyDocument's upload. Only authenticated requests (a bearer header, which a cross-site form
            # cannot send) reach a resolver that reads a file; see __call__.
            multipart_uploads_enabled=True,
            # Subscriptions: graphql-transport-ws only; a socket authenticates in its connection_init (on_ws_connect).
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=10,  # each polls the database: a client needs one or two
        )
        self.settings = settings
        self.clock = clock
        self.documents = documents
        self.login_policy = LoginPolicy(
            session_hours=settings.session_hours,
            failures_per_account=settings.login_failures_per_account,
            failures_per_address=settings.login_failures_per_address,
            window_minutes=settings.login_window_minutes,
        )

    def encode_json(self, data: object) -> str:
        # Text, not bytes: strawberry would send bytes over a WebSocket as binary frames, which graphql-ws refuses.
        return orjson.dumps(data).decode()

    def parse_json(self, data: str | bytes) -> Any:
        """A JSON object (or, to be refused as a batch, an array) of text without NUL characters; else 400."""
        try:
            parsed = json.loads(data)
        except ValueError as error:  # malformed JSON, or bytes that are not UTF-8
            raise HTTPException(400, "Unable to parse request body as JSON") from error
        if not isinstance(parsed, (dict, list)):
            raise HTTPException(400, "The request body must be a JSON object with a `query`")
        if _contains_nul(parsed):
            raise HTTPException(400, "NUL characters are not allowed in a request")
        return parsed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive=receive)
        try:
            if request.method == "POST":
                actor, secret = await authenticate(request, self.clock)
                if actor is None and request.headers.get("content-type", "").startswith("multipart/"):
                    raise HTTPException(401, "uploads need a bearer token (the public page /verify needs none)")
                scope.setdefault("state", {}).update(actor=actor, token_secret=secret)
            response = await self.run(request)
        except InvalidToken as error:
            response = error_response(401, str(error))
            response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        except HTTPException as error:
            response = error_response(error.status_code, error.reason)
        await response(scope, receive, send)

    async def on_ws_connect(self, context: SocketContext) -> UnsetType | dict[str, object] | None:
        """Authenticate a WebSocket from its connection_init payload; refuse it (close 4403) without a valid token."""
        secret = init_bearer_token(context.connection_params)
        actor = await identity.authenticate(secret, clock=self.clock) if secret else None
        if actor is None:
            raise ConnectionRejectionError({"message": "connection_init needs {authorization: 'Bearer <token>'}"})
        context.actor, context.token_secret = actor, secret
        return UNSET

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        if isinstance(request, WebSocket):  # anonymous until its connection_init authenticates it
            return SocketContext(actor=None, clock=self.clock, login_policy=self.login_policy,
                                 client_address=client_address(request), request=request, response=response,
                                 max_upload_bytes=self.settings.max_upload_bytes, documents=self.documents,
                                 public_url=self.settings.public_url, production=self.settings.production,
                                 master_key=self.master_key)
        state: dict[str, Any] = request.scope.get("state", {})
        return Context(
            actor=state.get("actor"), token_secret=state.get("token_secret"), clock=self.clock,
            login_policy=self.login_policy, client_address=client_address(request), request=request,
            response=response, max_upload_bytes=self.settings.max_upload_bytes, documents=self.documents,
            public_url=self.settings.public_url, production=self.settings.production, master_key=self.master_key,
        )

    def master_key(self) -> Any:
        """The configured master key (read once), or None when the server has none."""
        if not hasattr(self, "_master_key"):
            try:
                self._master_key = master_key_if_configured(self.settings)
            except MasterKeyError:
                self._master_key = None
        return self._master_key


async def healthz(request: Request) -> JSONResponse:
    from tortoise import connections

    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure makes the process unhealthy
        log.exception("health check failed")
        return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "up"})


def create_app(settings: Settings | None = None, *, clock: Clock | None = None, manage_database: bool = True,
               prepare: Any = None, documents: DocumentServices | None = None) -> Starlette:
    """The ASGI app. With `manage_database`, the lifespan migrates and opens the database (and runs `prepare`).

    `documents` gives the DocumentService that mutations issue and countersign with (by default, one built on first
    use from the settings)."""
    settings = settings or Settings.from_env()
    clock = clock or SystemClock()
    documents = documents or DocumentServices(settings, clock)

    scheduler = ServerScheduler(settings, clock, documents)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await migrate(settings.database_url)
            await open_database(settings.database_url)
            if prepare is not None:
                await prepare()
            scheduler.start()  # with the database: an app whose database the caller manages runs no scheduler
            settle_heap()  # a served process: what start-up built stays for its life
        try:
            yield
        finally:
            await scheduler.stop()
            await documents.close()
            if manage_database:
                await close_database()

    graphql = PortalGraphQL(settings, clock, documents)
    document_routes = DocumentRoutes(settings, clock)
    account_routes = AccountRoutes(clock, graphql.login_policy)
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/documents/{document_id}/pdf", document_routes.download, methods=["GET"]),
            Route("/documents/{document_id}/evidence.pdf", document_routes.download_evidence, methods=["GET"]),
            Route("/verify", document_routes.verify_page, methods=["GET", "POST"]),
            Route("/activate", account_routes.activate_page, methods=["GET", "POST"]),
            Route("/statements/{statement_id}/csv", StatementRoutes(clock).download_csv, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, upload_bytes=settings.max_upload_bytes)
    return app
