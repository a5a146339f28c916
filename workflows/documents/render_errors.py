"""What rendering a document can fail with: each error says what to fix (the package to install, the URL refused, the
document that took too long)."""

from __future__ import annotations


class RenderError(RuntimeError):
    """Base of the errors of this module."""


class FontMissing(RenderError):
    """No font with Chinese glyphs is installed: documents would show empty boxes ("tofu") instead of Chinese."""


class ResourceRefused(RenderError):
    """A template asked for a resource outside `templates/static/` (or a large `data:` URL): nothing was fetched."""


class RenderTimeout(RenderError):
    """A document took longer than the renderer's time limit; its worker was stopped."""


class RenderFailed(RenderError):
    """The worker process rendering a document died or ran out of memory."""

