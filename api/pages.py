"""The few HTML pages the portal serves itself (public verification, account activation): one Jinja2 environment over
`templates/pages/`, autoescaped."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

PAGES = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates" / "pages"),
                    autoescape=select_autoescape(default=True))
