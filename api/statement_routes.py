"""HTTP route for statements: the authorised CSV export, for accounting's spreadsheets."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from api.errors import actor_or_401, error_response
from domain.clock import Clock
from domain.ids import parse_id
from workflows import visibility
from workflows.statement_csv import statement_csv


class StatementRoutes:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    async def download_csv(self, request: Request) -> Response:
        """`GET /statements/{id}/csv`: a statement the caller may see, as CSV (else 404, as if it did not exist): the
        same scoping as the GraphQL `statement` field (a supplier, its own issued ones only)."""
        actor = await actor_or_401(request, self.clock)
        if isinstance(actor, Response):
            return actor
        statement = await visibility.get_visible(visibility.statements(actor),
                                                 parse_id(request.path_params["statement_id"]))
        if statement is None:
            return error_response(404, "no such statement")
        export = await statement_csv(statement)
        return Response(export.content, media_type=export.media_type, headers={
            "Content-Disposition": f"attachment; filename=\"{export.file_name}\"; "
                                   f"filename*=UTF-8''{quote(export.file_name)}",
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        })
