"""HTTP routes for documents: the authorised download of a signed PDF, and the public verification page."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from api.documents import file_store
from api.errors import actor_or_401, error_response
from api.pages import PAGES
from api.settings import Settings
from domain.clock import Clock
from domain.enums import DocumentFileRole
from domain.ids import parse_id
from workflows import visibility
from workflows.documents.issuing import document_file
from workflows.documents.registry import verify_file
from workflows.documents.storage import StorageError

class DocumentRoutes:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    async def download(self, request: Request) -> Response:
        """`GET /documents/{id}/pdf`: the current file of a document the caller may see (else 404, as if absent)."""
        return await self._download(request, None)

    async def download_evidence(self, request: Request) -> Response:
        """`GET /documents/{id}/evidence.pdf`: the certificate of completion of a countersigned document."""
        return await self._download(request, DocumentFileRole.EVIDENCE)

    async def _download(self, request: Request, role: DocumentFileRole | None) -> Response:
        actor = await actor_or_401(request, self.clock)
        if isinstance(actor, Response):
            return actor
        document_id: uuid.UUID | None = parse_id(request.path_params["document_id"])
        document = await visibility.get_visible(visibility.documents(actor), document_id)
        stored = await document_file(document, role) if document is not None else None
        if stored is None:
            return error_response(404, "no such document, or it has no file of that kind")
        try:
            data = file_store(self.settings).get(stored.storage_key)
        except StorageError:
            return error_response(503, "the document's file is not available right now", "FILE_UNAVAILABLE")
        suffix = "-evidence" if role is DocumentFileRole.EVIDENCE else ""
        name = f"{document.kind.file_prefix}-{document.number}{suffix}.pdf"
        return Response(data, media_type="application/pdf", headers={
            "Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
            "ETag": f'"{stored.sha256}"',
        })

    async def verify_page(self, request: Request) -> Response:
        """`/verify`: a form to upload a PDF, and the report (HTML, or JSON when asked with Accept). No login."""
        page = PAGES.get_template("verify.html")
        limit = self.settings.max_upload_bytes
        context: dict = {"max_mb": limit // (1024 * 1024), "report": None, "error": None}
        wants_json = "application/json" in request.headers.get("accept", "")
        if request.method == "GET":
            return HTMLResponse(page.render(context))
        try:
            form = await request.form(max_files=1, max_fields=1, max_part_size=limit)
        except Exception as error:  # noqa: BLE001 - python-multipart raises several kinds for a malformed body
            return self._refusal(page, context, wants_json, f"the upload could not be read: {error}")
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            return self._refusal(page, context, wants_json, "choose a PDF file to verify (form field `file`)")
        data = await upload.read(limit + 1)
        if not data or len(data) > limit:
            return self._refusal(page, context, wants_json,
                                 "the file is empty" if not data else f"the file is larger than {limit:,} bytes")
        report, issued = await verify_file(data, self.clock.now(), max_bytes=limit)
        if wants_json:
            return JSONResponse({**report.to_json(), "document": issued.to_json() if issued else None})
        context.update(report=report, document=issued, file_name=upload.filename or "upload.pdf")
        return HTMLResponse(page.render(context))

    @staticmethod
    def _refusal(page, context: dict, wants_json: bool, message: str) -> Response:  # noqa: ANN001
        if wants_json:
            return error_response(400, message, "BAD_UPLOAD")
        return HTMLResponse(page.render({**context, "error": message}), status_code=400)
