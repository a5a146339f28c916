"""What a notification says: one Jinja2 template per kind in `templates/notifications/`, both languages in one file.

Each template defines the blocks `title_zh`, `title_en`, `body_zh` and `body_en`. The inbox shows the reader's
language; e-mail carries both (Chinese first), so a forwarded message reads for everyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from jinja2.runtime import Context

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "notifications"


@dataclass(frozen=True)
class Text:
    """A notification's title and body in one language."""

    title: str
    body: str


class BilingualText:
    """A notification's text in both languages, each rendered when first asked for: an inbox row needs only its
    reader's language, an e-mail both."""

    def __init__(self, template: Template, context: dict[str, Any]) -> None:
        self._template = template
        self._context = context
        self._shared: Context | None = None
        self._texts: dict[str, Text] = {}

    @property
    def zh(self) -> Text:
        return self._text("zh")

    @property
    def en(self) -> Text:
        return self._text("en")

    def for_locale(self, locale: str) -> Text:
        return self._text("en" if locale.lower().startswith("en") else "zh")

    @property
    def subject(self) -> str:
        """An e-mail subject in both languages."""
        zh, en = self.zh.title, self.en.title
        return zh if zh == en else f"{zh} / {en}"

    @property
    def text(self) -> str:
        """An e-mail body in both languages, Chinese first."""
        return f"{self.zh.body}\n\n———\n\n{self.en.body}\n"

    def _text(self, language: str) -> Text:
        text = self._texts.get(language)
        if text is None:
            if self._shared is None:
                self._shared = self._template.new_context(self._context)  # the blocks only read it: one serves all
            blocks = self._template.blocks
            text = self._texts[language] = Text("".join(blocks[f"title_{language}"](self._shared)).strip(),
                                                "".join(blocks[f"body_{language}"](self._shared)).strip())
        return text


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Plain text, never HTML: no autoescaping here; the HTML e-mail wrapper escapes what it embeds.
    return Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, autoescape=False,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)


@lru_cache(maxsize=64)
def _template(kind: str) -> Template:
    template = _environment().get_template(f"{kind}.txt")
    # The same globals in a plain dict instead of a ChainMap over the environment's: every render copies them, and
    # copying a ChainMap took a third of a render's time.
    template.globals = dict(template.globals)
    return template


def compile_templates() -> None:
    """Compile every notification template now (a process that will send many does it once, up front)."""
    for kind in known_kinds():
        _template(kind)


def known_kinds() -> list[str]:
    return sorted(path.stem for path in TEMPLATES.glob("*.txt"))


def render(kind: str, context: dict[str, Any]) -> BilingualText:
    """The text of a notification of `kind` (e.g. `acknowledgement.reminder`) about `context` (only read)."""
    return BilingualText(_template(kind), context)
