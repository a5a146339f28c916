"""Documents to PDF: Jinja2 templates (autoescaped, bilingual) laid out by WeasyPrint.

`render_pdf(kind, context)` is synchronous and pure: the same context gives the same PDF. It fetches nothing but the
files in `templates/static/` (see `StaticOnlyFetcher`) and never embeds attachments. It returns a `RenderedPdf` with the
rectangles of the empty signature boxes, so that the signing step can stamp visible signatures onto them.

Text is set in the CJK font that `workflows.documents.fonts` cuts down once per machine (the full system font when it
cannot), which is most of what keeps a document's CPU low; the stylesheet and font configuration are built once per
process, and `weasyprint_speedups` shortens WeasyPrint's busiest functions (the same PDFs, byte for byte).

`workflows.documents.renderer.DocumentRenderer` runs `render_pdf` in a pool of worker processes; the templates' Jinja2
environment is in `templating`, what WeasyPrint may fetch in `fetcher`.

Signature boxes: every template ends with a "签章 / Signatures" section, which is kept whole and is the last thing on
the last page. Each box there is an empty 60 mm x 25 mm `<div data-signature-slot="buyer">` (or "supplier"). The
renderer reads where WeasyPrint laid each one out and reports it as a `SignatureBox` in PDF user space: points, origin
at the bottom-left of the page, which is what pyHanko's `SigFieldSpec(box=(x1, y1, x2, y2), on_page=page_index)` takes.
`SIGNATURE_SLOTS` says which slots each kind has.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import cssselect2
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.formatting_structure.boxes import BlockBox
from weasyprint.text.ffi import ffi, fontconfig, pangoft2
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from domain.enums import DocumentKind
from workflows.documents import fonts, weasyprint_speedups
from workflows.documents.contexts import CONTEXT_TYPES, DOCUMENT_TITLES, DocumentContext, EvidenceContext
from workflows.documents.fetcher import STATIC_BASE_URL, StaticOnlyFetcher, static_url
from workflows.documents.render_errors import FontMissing, RenderError, ResourceRefused
from workflows.documents.templating import template_environment

CSS_PX_IN_POINTS = 0.75  # WeasyPrint lays out in CSS pixels (1/96 in); PDF points are 1/72 in
CJK_FONT_PACKAGE = "fonts-noto-cjk"
LOGGER = logging.getLogger(__name__)
_FETCHER = StaticOnlyFetcher()

SIGNATURE_SLOTS: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.CONTRACT: ("buyer", "supplier"),
    DocumentKind.PURCHASE_ORDER: ("buyer", "supplier"),
    DocumentKind.STATEMENT: ("buyer", "supplier"),
    DocumentKind.AWARD_NOTICE: ("buyer", "supplier"),
    DocumentKind.TENDER_OPENING_RECORD: ("buyer",),  # the buyer's own record: nobody else signs it
    DocumentKind.PRODUCTION_PLAN: ("buyer", "supplier"),
}


@dataclass(frozen=True)
class SignatureBox:
    """Where a signature appearance goes: on page `page_index` (0-based), in PDF points, origin bottom-left."""

    page_index: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The rectangle as pyHanko's `SigFieldSpec(box=...)` takes it."""
        return (self.x1, self.y1, self.x2, self.y2)


@dataclass(frozen=True)
class RenderedPdf:
    """The PDF, its number of pages, and the empty signature boxes on its last page by slot ("buyer", "supplier")."""

    pdf: bytes
    pages: int
    signature_boxes: dict[str, SignatureBox]


# --- fonts ----------------------------------------------------------------------------------------------------------


def ensure_cjk_font() -> tuple[str, ...]:
    """The font families fontconfig offers for Chinese; raises `FontMissing`, naming the package to install, if none.

    A successful answer is remembered for the life of the process.
    """
    return _cjk_font_families()


@functools.cache
def _cjk_font_families() -> tuple[str, ...]:
    # Pango finds fonts through fontconfig, so fontconfig's answer is the one that matters (fc-list comes with
    # the `fontconfig` package, which Pango depends on). functools.cache does not remember exceptions.
    try:
        listing = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30, check=False
        )
    except FileNotFoundError:
        raise FontMissing(
            "cannot look for a Chinese font: fc-list is missing; install the Debian packages fontconfig and "
            f"{CJK_FONT_PACKAGE} (apt-get install fontconfig {CJK_FONT_PACKAGE})"
        ) from None
    names = (name.strip() for line in listing.stdout.splitlines() for name in line.split(","))
    families = sorted({name for name in names if name})
    if not families:
        raise FontMissing(
            "no font with Chinese glyphs is installed (fontconfig has none for :lang=zh), so documents would print "
            f"empty boxes instead of Chinese; install the Debian package {CJK_FONT_PACKAGE} "
            f"(apt-get install {CJK_FONT_PACKAGE})"
        )
    return tuple(families)


@functools.cache
def _font_configuration() -> FontConfiguration:
    # One per process: building it loads fontconfig's configuration, which is the slow part of a first render.
    font_config = FontConfiguration()
    if (path := fonts.subset_font()) is not None:
        _add_subset_font(font_config, path)
    return font_config


def _add_subset_font(font_config: FontConfiguration, path: Path) -> None:
    """Make the pre-subset CJK font, named `fonts.SUBSET_FAMILY` inside, available to `font_config` in place.

    The stylesheet names that family first. Not through an @font-face rule: WeasyPrint would copy the 3 MB file into a
    temporary folder that only its finaliser removes, which a worker process never runs (it ends with os._exit, or is
    killed after a time-out). These two calls are what its `add_font_face` does with the copy. Should a WeasyPrint
    upgrade move them, documents fall back to the system font (slower) and the tests that check the embedded font fail.
    """
    config = getattr(font_config, "_config", None)
    if config is None or not fontconfig.FcConfigAppFontAddFile(config, os.fsencode(path)):
        LOGGER.warning("documents use the full system CJK font (slower): WeasyPrint did not take %s", path)
        return
    pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", font_config.font_map))


# --- rendering ------------------------------------------------------------------------------------------------------


def render_pdf(kind: DocumentKind, context: DocumentContext) -> RenderedPdf:
    """Render a document of `kind` from its context (`CONTEXT_TYPES[kind]`), with the signature slots of that kind.

    Raises `TypeError` for a context of the wrong type, `FontMissing` without a Chinese font and `ResourceRefused`
    if a template asks for anything outside `templates/static/`.
    """
    kind = DocumentKind(kind)
    expected = CONTEXT_TYPES[kind]
    if type(context) is not expected:
        raise TypeError(f"a {kind} document needs a {expected.__name__}, not {type(context).__name__}")
    html = _render_html(f"documents/{kind.value.lower()}.html", context, kind, DOCUMENT_TITLES[kind])
    return _html_to_pdf(html, SIGNATURE_SLOTS[kind])


def render_evidence(context: EvidenceContext) -> RenderedPdf:
    """Render the certificate of completion (audit trail and versions) of one document, as a separate PDF.

    It has no signature boxes: it is attached to the signed document, not signed in its place.
    """
    if not isinstance(context, EvidenceContext):
        raise TypeError(f"the evidence page needs an EvidenceContext, not {type(context).__name__}")
    title = DOCUMENT_TITLES[context.document_kind]
    html = _render_html("documents/evidence.html", context, context.document_kind, title)
    return _html_to_pdf(html, ())


def _render_html(template: str, context: DocumentContext, kind: DocumentKind, title: tuple[str, str]) -> str:
    return template_environment().get_template(template).render(
        doc=context,
        title_zh=title[0],
        title_en=title[1],
        file_prefix=kind.file_prefix,
        time_zone=ZoneInfo(context.letterhead.time_zone),
    )


def _html_to_pdf(html: str, slots: tuple[str, ...]) -> RenderedPdf:
    ensure_cjk_font()
    with _collector_paused():
        return _lay_out_and_write(html, slots)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration of one document.

    WeasyPrint allocates so many objects per page that the collector would run dozens of times per document, its
    older generations walking the whole heap (~10 % of a document's CPU). Paused, it runs once afterwards, over the
    young objects the document left behind; memory meanwhile grows by the document's cyclic garbage only (~5 MB for a
    16-page statement).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


weasyprint_speedups.install()


def _lay_out_and_write(html: str, slots: tuple[str, ...]) -> RenderedPdf:
    try:
        document = _DocumentHTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=_FETCHER).render(
            font_config=_font_configuration(), stylesheets=[_stylesheet()]
        )
        # Attachments would carry content nobody reviewed into a signed file: drop those a template might declare
        # (<link rel="attachment">, <a rel="attachment">) before anything is fetched for them, and pass none.
        document.metadata.attachments = []
        for page in document.pages:
            page.links[:] = [link for link in page.links if link[0] != "attachment"]
        boxes = _signature_boxes(document)
        pdf = document.write_pdf(attachments=[])
    except FatalURLFetchingError as error:
        raise ResourceRefused(str(error.__cause__ or error)) from None
    _check_signature_boxes(boxes, slots, len(document.pages))
    return RenderedPdf(pdf=pdf, pages=len(document.pages), signature_boxes=boxes)


class _DocumentHTML(HTML):
    """WeasyPrint's HTML document, parsed as XML when it is well-formed, laid out with `_USER_AGENT_CSS` as its
    user-agent stylesheet.

    Parsing: WeasyPrint parses with tinyhtml5, an HTML 5 parser in pure Python that costs a twentieth of a document's
    CPU. The templates write well-formed XHTML (autoescaping keeps supplier text so), which Python's expat parser reads
    in a twentieth of that time into the same tree of plain, un-namespaced elements. Anything else (a character XML
    forbids, a fragment a test renders) still goes through tinyhtml5. The tree has no `<base>` element (templates
    write none, and escaped text cannot add one), so the base URL is the one given.

    Stylesheet: WeasyPrint matches every element against its HTML 5 user-agent stylesheet (some 190 rules, for forms,
    lists, bookmarks and the like) before the document's own: another twentieth of the CPU. The templates use a dozen
    elements, and documents.css styles them fully.

    Tests compare the pages both ways, pixel for pixel. This relies on what `HTML.__init__` sets and on the private
    `_ua_stylesheets`: should a WeasyPrint upgrade change them, those tests fail.
    """

    def __init__(self, *, string: str, base_url: str, url_fetcher: URLFetcher) -> None:
        try:
            root = ElementTree.fromstring(string)
        except ElementTree.ParseError:
            super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher)
            return
        self.base_url = base_url
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_user_agent_stylesheet()]


_USER_AGENT_CSS = """
head, title, meta, link, style, script { display: none }
html, body, header, section, div, p, h1, h2 { display: block }
table { display: table; box-sizing: border-box; border-spacing: 2px; text-indent: initial }
thead { display: table-header-group }
tbody { display: table-row-group }
tr { display: table-row }
td, th { display: table-cell; padding: 1px }
br::before { content: "\\A"; white-space: pre-line }
h1, h2 { break-after: avoid; break-inside: avoid }
"""


@functools.cache
def _user_agent_stylesheet() -> CSS:
    return CSS(string=_USER_AGENT_CSS)


@functools.cache
def _stylesheet() -> CSS:
    # Parsed once per process and shared by every document: parsing it costs more than laying out a page of text.
    return CSS(url=static_url("documents.css"), url_fetcher=_FETCHER, font_config=_font_configuration())


def _signature_boxes(document: Document) -> dict[str, SignatureBox]:
    """The laid-out rectangle of every `data-signature-slot` element, converted to PDF user space."""
    boxes: dict[str, SignatureBox] = {}
    for page_index, page in enumerate(document.pages):
        # WeasyPrint has no public API for box geometry; the page's box tree is the layout itself.
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            slot = element.get("data-signature-slot") if element is not None else None
            if slot is None or not isinstance(box, BlockBox) or slot in boxes:
                continue
            left, top = box.border_box_x(), box.border_box_y()
            right, bottom = left + box.border_width(), top + box.border_height()
            boxes[slot] = SignatureBox(
                page_index=page_index,
                x1=round(left * CSS_PX_IN_POINTS, 2),
                y1=round((page.height - bottom) * CSS_PX_IN_POINTS, 2),
                x2=round(right * CSS_PX_IN_POINTS, 2),
                y2=round((page.height - top) * CSS_PX_IN_POINTS, 2),
            )
    return boxes


def _check_signature_boxes(boxes: dict[str, SignatureBox], slots: tuple[str, ...], pages: int) -> None:
    # The signing step relies on this promise: a template that breaks it is a bug, not a document to sign.
    if set(boxes) != set(slots):
        raise RenderError(f"the template laid out signature slots {sorted(boxes)}, expected {sorted(slots)}")
    for slot, box in boxes.items():
        if box.page_index != pages - 1:
            raise RenderError(f"signature slot {slot!r} is on page {box.page_index + 1} of {pages}, not the last")
