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

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "notifications"
LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Text:
    """A notification's title and body in one language."""

    title: str
    body: str


@dataclass(frozen=True)
class BilingualText:
    zh: Text
    en: Text

    def for_locale(self, locale: str) -> Text:
        return self.en if locale.lower().startswith("en") else self.zh

    @property
    def subject(self) -> str:
        """An e-mail subject in both languages."""
        return self.zh.title if self.zh.title == self.en.title else f"{self.zh.title} / {self.en.title}"

    @property
    def text(self) -> str:
        """An e-mail body in both languages, Chinese first."""
        return f"{self.zh.body}\n\n———\n\n{self.en.body}\n"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Plain text, never HTML: no autoescaping here; the HTML e-mail wrapper escapes what it embeds.
    return Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, autoescape=False,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)


@lru_cache(maxsize=64)
def _template(kind: str) -> Template:
    return _environment().get_template(f"{kind}.txt")


def compile_templates() -> None:
    """Compile every notification template now (a process that will send many does it once, up front)."""
    for kind in known_kinds():
        _template(kind)


def known_kinds() -> list[str]:
    return sorted(path.stem for path in TEMPLATES.glob("*.txt"))


def render(kind: str, context: dict[str, Any]) -> BilingualText:
    """The text of a notification of `kind` (e.g. `acknowledgement.reminder`) about `context`."""
    template = _template(kind)
    shared = template.new_context(context)  # the blocks only read it: one context serves all four
    blocks = {name: "".join(template.blocks[name](shared)).strip()
              for name in (f"{part}_{language}" for language in LANGUAGES for part in ("title", "body"))}
    return BilingualText(zh=Text(blocks["title_zh"], blocks["body_zh"]), en=Text(blocks["title_en"], blocks["body_en"]))
