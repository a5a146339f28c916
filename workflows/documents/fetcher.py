"""What WeasyPrint may fetch while it lays out a document: the files in `templates/static/` and small `data:` URLs, nothing
else. Templates name static files as `portal-static:/NAME` (`static_url`); supplier text is escaped, so it cannot name
anything at all."""

from __future__ import annotations

import base64
import binascii
import mimetypes
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from workflows.documents.render_errors import ResourceRefused

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
STATIC_DIR = TEMPLATES_DIR / "static"
STATIC_SCHEME = "portal-static"
STATIC_BASE_URL = f"{STATIC_SCHEME}:/"
DATA_URL_LIMIT = 64 * 1024  # bytes, decoded


class StaticOnlyFetcher(URLFetcher):
    """Serves `portal-static:/NAME` from `templates/static/` and small `data:` URLs; refuses everything else.

    Refusals raise `ResourceRefused` before anything is opened, and are fatal to the render (`fail_on_errors`), so a
    document never silently renders without a resource or with one from elsewhere: no `file:`, `http:`, `https:`,
    `ftp:` or unknown scheme, no path that resolves outside the static folder (`..`, symbolic links), no `data:` URL
    over `DATA_URL_LIMIT` bytes.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(STATIC_SCHEME, "data"), allow_redirects=False, fail_on_errors=True)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme, colon, _rest = url.partition(":")
        scheme = scheme.lower() if colon else ""
        if scheme == STATIC_SCHEME:
            return self._static_file(url)
        if scheme == "data":
            return self._data(url)
        raise ResourceRefused(f"refused to fetch {_shorten(url)}: documents may only use files in templates/static/")

    def _static_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        name = unquote(parts.path).lstrip("/")
        if parts.netloc or parts.query or not name:
            raise ResourceRefused(f"refused to fetch {_shorten(url)}: not a file name under {STATIC_BASE_URL}")
        root = STATIC_DIR.resolve()
        try:
            path = (root / name).resolve()
        except (OSError, ValueError):  # a NUL byte, a symbolic-link loop
            raise ResourceRefused(f"refused to fetch {_shorten(url)}: not a usable path") from None
        if not path.is_relative_to(root) or not path.is_file():
            raise ResourceRefused(f"refused to fetch {_shorten(url)}: no such file in templates/static/")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def _data(self, url: str) -> URLFetcherResponse:
        # Base64 makes 3 bytes into 4 characters: anything longer than this cannot decode within the limit.
        if len(url) > DATA_URL_LIMIT * 4 // 3 + 512:
            raise ResourceRefused(f"refused a data: URL of {len(url)} characters (limit {DATA_URL_LIMIT} bytes)")
        header, comma, payload = url[len("data:"):].partition(",")
        if not comma:
            raise ResourceRefused(f"refused a malformed data: URL {_shorten(url)}")
        is_base64 = header.lower().endswith(";base64")
        media_type = header[: -len(";base64")] if is_base64 else header
        try:
            body = base64.b64decode(payload, validate=True) if is_base64 else unquote_to_bytes(payload)
        except (binascii.Error, ValueError):
            raise ResourceRefused(f"refused a malformed data: URL {_shorten(url)}") from None
        if len(body) > DATA_URL_LIMIT:
            raise ResourceRefused(f"refused a data: URL of {len(body)} bytes (limit {DATA_URL_LIMIT})")
        return URLFetcherResponse(url, body, {"Content-Type": media_type or "text/plain;charset=US-ASCII"})


def _shorten(url: str) -> str:
    return repr(url if len(url) <= 120 else url[:117] + "...")


def static_url(name: str) -> str:
    """The URL of a file in `templates/static/`, for templates: `{{ static("documents.css") }}`."""
    return f"{STATIC_BASE_URL}{name}"
