"""Documents to PDF: Jinja2 templates (autoescaped, bilingual) laid out by WeasyPrint, away from the event loop.

`render_pdf(kind, context)` is synchronous and pure: the same context gives the same PDF. It fetches nothing but the
files in `templates/static/` (see `StaticOnlyFetcher`) and never embeds attachments. It returns a `RenderedPdf` with the
rectangles of the empty signature boxes, so that the signing step can stamp visible signatures onto them.

Text is set in the CJK font that `workflows.documents.fonts` cuts down once per machine (the full system font when it
cannot), which is most of what keeps a document's CPU low; the stylesheet and font configuration are built once per
process, and `weasyprint_speedups` shortens WeasyPrint's busiest functions (the same PDFs, byte for byte).

`DocumentRenderer` runs `render_pdf` in a pool of worker processes (rendering is CPU-bound and must never block the
server's event loop), each with a memory limit, with a time limit per document.

Signature boxes: every template ends with a "签章 / Signatures" section, which is kept whole and is the last thing on
the last page. Each box there is an empty 60 mm x 25 mm `<div data-signature-slot="buyer">` (or "supplier"). The
renderer reads where WeasyPrint laid each one out and reports it as a `SignatureBox` in PDF user space: points, origin
at the bottom-left of the page, which is what pyHanko's `SigFieldSpec(box=(x1, y1, x2, y2), on_page=page_index)` takes.
`SIGNATURE_SLOTS` says which slots each kind has.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import functools
import gc
import mimetypes
import logging
import multiprocessing
import os
import resource
import subprocess
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import cssselect2
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.formatting_structure.boxes import BlockBox
from weasyprint.text.ffi import ffi, fontconfig, pangoft2
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from domain.chinese_amounts import amount_in_capitals
from domain.enums import DocumentKind
from domain.money import round_amount
from workflows.documents import fonts, weasyprint_speedups
from workflows.documents.contexts import (
    CONTEXT_TYPES,
    DOCUMENT_TITLES,
    DocumentContext,
    EvidenceContext,
    PlanChangeKind,
    sample_context,
)

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
STATIC_DIR = TEMPLATES_DIR / "static"
STATIC_SCHEME = "portal-static"
STATIC_BASE_URL = f"{STATIC_SCHEME}:/"
DATA_URL_LIMIT = 64 * 1024  # bytes, decoded
CSS_PX_IN_POINTS = 0.75  # WeasyPrint lays out in CSS pixels (1/96 in); PDF points are 1/72 in
CJK_FONT_PACKAGE = "fonts-noto-cjk"
LOGGER = logging.getLogger(__name__)

SIGNATURE_SLOTS: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.CONTRACT: ("buyer", "supplier"),
    DocumentKind.PURCHASE_ORDER: ("buyer", "supplier"),
    DocumentKind.STATEMENT: ("buyer", "supplier"),
    DocumentKind.AWARD_NOTICE: ("buyer", "supplier"),
    DocumentKind.TENDER_OPENING_RECORD: ("buyer",),  # the buyer's own record: nobody else signs it
    DocumentKind.PRODUCTION_PLAN: ("buyer", "supplier"),
}
PLAN_CHANGE_LABELS = {
    PlanChangeKind.ADDED: ("新增", "Added"),
    PlanChangeKind.REMOVED: ("取消", "Removed"),
    PlanChangeKind.CHANGED: ("数量变更", "Quantity changed"),
}


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


# --- what WeasyPrint may fetch --------------------------------------------------------------------------------------


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


_FETCHER = StaticOnlyFetcher()


def _shorten(url: str) -> str:
    return repr(url if len(url) <= 120 else url[:117] + "...")


def static_url(name: str) -> str:
    """The URL of a file in `templates/static/`, for templates: `{{ static("documents.css") }}`."""
    return f"{STATIC_BASE_URL}{name}"


# --- template filters -----------------------------------------------------------------------------------------------


def format_money(amount: Decimal, currency: str | None = None) -> str:
    """`1,234.50`, or `CNY 1,234.50` with a currency: thousands separators, two decimals, rounded half up."""
    text = f"{round_amount(_decimal(amount)):,.2f}"
    return f"{currency} {text}" if currency else text


def format_price(price: Decimal) -> str:
    """A unit price: two to four decimals (`0.35`, `0.0825`, `1,250.00`)."""
    text = f"{_decimal(price).quantize(Decimal('0.0001')):,.4f}"
    while text.endswith("0") and len(text.rsplit(".", 1)[1]) > 2:
        text = text[:-1]
    return text


def format_quantity(quantity: Decimal | int) -> str:
    """A quantity without trailing zeros: `1,200`, `12.5`."""
    if isinstance(quantity, int) and not isinstance(quantity, bool):
        return f"{quantity:,}"
    value = _decimal(quantity)
    return "0" if value.is_zero() else f"{value.normalize():,f}"


def format_percent(rate: Decimal) -> str:
    """`Decimal("0.13")` -> `13%`."""
    return f"{format_quantity(_decimal(rate) * 100)}%"


@pass_context
def format_date(context: Context, value: date | datetime) -> str:
    """A date as `2026-03-15`; an aware datetime in the letterhead's time zone: `2026-03-15 18:00 (UTC+08:00)`."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"refusing to print the naive datetime {value.isoformat()}: its time zone is unknown")
        local = value.astimezone(context["time_zone"])
        offset = local.strftime("%z")
        return f"{local:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]})"
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not a date: {value!r}")


def _decimal(value: object) -> Decimal:
    if not isinstance(value, Decimal):
        raise TypeError(f"expected a Decimal, got {type(value).__name__} {value!r} (money is never a float)")
    return value


@functools.cache
def template_environment() -> Environment:
    """The Jinja2 environment for documents: every template autoescaped, undefined names are errors."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        money=format_money,
        price=format_price,
        qty=format_quantity,
        percent=format_percent,
        date=format_date,
        capitals=amount_in_capitals,
    )
    environment.globals.update(static=static_url, change_labels=PLAN_CHANGE_LABELS)
    return environment


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


# --- the worker pool ------------------------------------------------------------------------------------------------


def _prepare_worker(memory_mb: int | None) -> None:
    """Runs once in each worker process: cap its address space, then render a small document so fonts are loaded."""
    if memory_mb:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    render_pdf(DocumentKind.CONTRACT, sample_context(DocumentKind.CONTRACT, lines=1))
    # What is loaded by now (modules, fonts, the stylesheet) lives as long as the worker: the collector need not walk
    # it again after every document.
    gc.collect()
    gc.freeze()


class DocumentRenderer:
    """Renders documents in worker processes, at most `workers` at a time, each within `timeout_s` seconds.

    Safe to call concurrently from one event loop; `render_many` renders a batch on every worker. A render that times
    out stops its worker pool (a running task cannot be cancelled otherwise), and other renders caught up in that stop
    are retried once on the fresh pool. Workers are replaced after `max_tasks_per_child` documents, which bounds
    memory growth, and each is limited to `memory_mb` of address space.

        async with DocumentRenderer(workers=2) as renderer:
            rendered = await renderer.render(DocumentKind.CONTRACT, context)
    """

    def __init__(
        self,
        *,
        workers: int | None = None,
        timeout_s: float = 30.0,
        memory_mb: int | None = 1024,
        max_tasks_per_child: int = 500,
    ) -> None:
        ensure_cjk_font()  # here, in the caller's process, where the error is clear
        self.workers = workers or os.cpu_count() or 1
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.max_tasks_per_child = max_tasks_per_child
        # forkserver: workers are forked from a clean single-threaded server, never from the threaded server process
        # (forking a process with threads can deadlock the child); preloading this module there makes forks cheap.
        self._mp_context = multiprocessing.get_context("forkserver")
        self._mp_context.set_forkserver_preload([__name__])
        self._pool: ProcessPoolExecutor | None = None
        self._slots = asyncio.Semaphore(self.workers)
        self._closed = False

    async def start(self) -> frozenset[int]:
        """Start and warm up all workers now rather than on the first render; returns their process ids."""
        if self._closed:
            raise RuntimeError("the document renderer is closed")
        # The first start on a machine cuts the CJK font subset (seconds): here, off the event loop, and once rather
        # than in every worker.
        await asyncio.to_thread(fonts.subset_font)
        pool = self._current_pool()
        loop = asyncio.get_running_loop()
        try:
            await asyncio.gather(*(loop.run_in_executor(pool, os.getpid) for _ in range(self.workers)))
        except BrokenProcessPool as error:
            self._discard(pool)
            raise RenderFailed(f"the document workers could not start: {error}") from error
        return frozenset(pool._processes or ())

    async def render(
        self, kind: DocumentKind, context: DocumentContext, *, timeout_s: float | None = None
    ) -> RenderedPdf:
        """`render_pdf(kind, context)` in a worker; raises `RenderTimeout`, `RenderFailed` or what render_pdf raises."""
        label = f"{DocumentKind(kind).value} {context.number}"
        return await self._run(render_pdf, (kind, context), label, timeout_s)

    async def render_evidence(self, context: EvidenceContext, *, timeout_s: float | None = None) -> RenderedPdf:
        """`render_evidence(context)` in a worker."""
        return await self._run(render_evidence, (context,), f"evidence of {context.number}", timeout_s)

    async def render_many(self, items: Iterable[tuple[DocumentKind, DocumentContext]]) -> list[RenderedPdf]:
        """Render several documents on all workers at once; results in the order given."""
        return list(await asyncio.gather(*(self.render(kind, context) for kind, context in items)))

    async def _run(
        self, function: Callable[..., RenderedPdf], args: tuple[Any, ...], label: str, timeout_s: float | None
    ) -> RenderedPdf:
        if self._closed:
            raise RuntimeError("the document renderer is closed")
        limit = self.timeout_s if timeout_s is None else timeout_s
        loop = asyncio.get_running_loop()
        # The time limit starts once a worker is free: waiting for one is not the document's fault.
        async with self._slots:
            retried = False
            while True:
                pool = self._current_pool()
                try:
                    return await asyncio.wait_for(loop.run_in_executor(pool, function, *args), limit)
                except TimeoutError:
                    self._discard(pool)
                    raise RenderTimeout(f"rendering {label} took more than {limit} s; its worker was stopped") from None
                except BrokenProcessPool as error:
                    stopped_for_another_render = pool is not self._pool
                    self._discard(pool)
                    if stopped_for_another_render and not retried:
                        retried = True
                        continue
                    raise RenderFailed(f"the worker rendering {label} died: {error}") from error
                except MemoryError as error:
                    self._discard(pool)
                    raise RenderFailed(f"rendering {label} ran out of memory (limit {self.memory_mb} MB)") from error

    def _current_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=self._mp_context,
                initializer=_prepare_worker,
                initargs=(self.memory_mb,),
                max_tasks_per_child=self.max_tasks_per_child,
            )
        return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """Stop `pool` for good: kill its processes (a running render cannot be cancelled any other way)."""
        if pool is self._pool:
            self._pool = None
        for process in list((pool._processes or {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers, waiting for renders in progress. The renderer cannot be used afterwards."""
        self._closed = True
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    async def __aenter__(self) -> DocumentRenderer:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await asyncio.to_thread(self.close)
