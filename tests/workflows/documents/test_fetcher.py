"""What WeasyPrint may fetch: files under `templates/static/` and small `data:` URLs; every other URL, path trick and
oversized payload is refused before anything is opened."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from workflows.documents import fetcher
from workflows.documents.fetcher import DATA_URL_LIMIT, StaticOnlyFetcher
from workflows.documents.render_errors import ResourceRefused


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "file:" + str(fetcher.STATIC_DIR / "documents.css"),
        "http://127.0.0.1:9/x.css",
        "https://example.com/x.css",
        "ftp://example.com/x.css",
        "gopher://example.com/",
        "javascript:alert(1)",
        "documents.css",  # relative: never resolved against the working directory
        "portal-static:/../documents/base.html",
        "portal-static:/%2e%2e/documents/base.html",
        "portal-static:/..%2f..%2fpyproject.toml",
        "portal-static:/../../../../../../etc/passwd",
        "portal-static:/%00documents.css",
        "portal-static://evil.example/documents.css",
        "portal-static:/documents.css?v=1",
        "portal-static:/",
        "portal-static:/missing.css",
        "data:text/plain;base64," + base64.b64encode(b"x" * (DATA_URL_LIMIT + 1)).decode(),
        "data:text/plain," + "x" * (DATA_URL_LIMIT + 1),
        "data:text/plain;base64,not base64!",
    ],
)
def test_the_fetcher_refuses(url: str) -> None:
    with pytest.raises(ResourceRefused):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_static_files_and_small_data_urls() -> None:
    static_only = StaticOnlyFetcher()

    stylesheet = static_only.fetch("portal-static:/documents.css")
    assert stylesheet.read() == (fetcher.STATIC_DIR / "documents.css").read_bytes()
    assert stylesheet.content_type == "text/css"
    assert static_only.fetch("portal-static:/logo.svg").content_type == "image/svg+xml"

    small = static_only.fetch("data:text/plain;base64," + base64.b64encode(b"x" * DATA_URL_LIMIT).decode())
    assert small.read() == b"x" * DATA_URL_LIMIT
    assert static_only.fetch("data:,hello%20world").read() == b"hello world"


def test_the_fetcher_does_not_follow_links_out_of_the_static_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (static / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (static / "inside.css").write_text("p { color: red }")
    monkeypatch.setattr(fetcher, "STATIC_DIR", static)

    with pytest.raises(ResourceRefused):
        StaticOnlyFetcher().fetch("portal-static:/leak.txt")
    assert StaticOnlyFetcher().fetch("portal-static:/inside.css").read() == b"p { color: red }"
