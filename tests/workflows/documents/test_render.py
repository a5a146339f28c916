"""Rendering documents to PDF: every kind, long tables across pages, the signature boxes, what the renderer refuses
(nothing fetched, nothing attached, supplier text stays text) and the CJK font check. The fetcher, the template filters
and the worker pool have their own tests (test_fetcher, test_templating, test_renderer).

The PDFs are read back with poppler (`pdftotext`, `pdfinfo`, `pdfdetach`), an implementation independent of WeasyPrint.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from domain.chinese_amounts import amount_in_capitals
from domain.enums import DocumentKind
from workflows.documents import render
from workflows.documents.contexts import DOCUMENT_TITLES, ContractContext, ItemLine, StatementContext
from workflows.documents.fetcher import StaticOnlyFetcher
from workflows.documents.render import SIGNATURE_SLOTS, RenderedPdf, ensure_cjk_font, render_evidence, render_pdf
from workflows.documents.render_errors import FontMissing, ResourceRefused
from workflows.documents.samples import (
    SAMPLE_BUYER,
    SAMPLE_LETTERHEAD,
    SAMPLE_SUPPLIERS,
    sample_context,
    sample_evidence_context,
)
from workflows.documents.templating import format_money

REPO_ROOT = Path(__file__).resolve().parents[3]
A4_WIDTH, A4_HEIGHT = 595.28, 841.89  # points
MM = 72 / 25.4
SUPPLIER_NAME = SAMPLE_SUPPLIERS[0].name_zh  # 苏州华东精密机械有限公司
KINDS_WITH_CAPITALS = (DocumentKind.CONTRACT, DocumentKind.STATEMENT)


# --- helpers ----------------------------------------------------------------------------------------------------------


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    command = [tool, *args, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout


def raster(pdf: bytes, tmp_path: Path) -> bytes:
    """Every page as a greyscale image (PGM, one after the other), as poppler draws it."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    command = ["pdftoppm", "-r", "60", "-gray", str(path)]
    return subprocess.run(command, capture_output=True, check=True, timeout=60).stdout


def page_texts(pdf: bytes, pages: int, tmp_path: Path) -> list[str]:
    return [poppler("pdftotext", pdf, tmp_path, "-f", str(page), "-l", str(page)) for page in range(1, pages + 1)]


def compact(text: str) -> str:
    """Text without any whitespace: pdftotext breaks lines where the layout wrapped them."""
    return re.sub(r"\s+", "", text)


@functools.cache
def sample_pdf(kind: DocumentKind) -> RenderedPdf:
    return render_pdf(kind, sample_context(kind, lines=5))


def total_of(context: object) -> Decimal:
    return context.amount_due if isinstance(context, StatementContext) else context.total  # type: ignore[attr-defined]


# --- every kind -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_each_kind_renders_a_bilingual_a4_pdf(kind: DocumentKind, tmp_path: Path) -> None:
    context = sample_context(kind, lines=5)
    rendered = sample_pdf(kind)

    assert rendered.pdf.startswith(b"%PDF-")
    info = poppler("pdfinfo", rendered.pdf, tmp_path)
    assert re.search(rf"^Pages:\s+{rendered.pages}$", info, re.M)
    assert "(A4)" in info
    text = poppler("pdftotext", rendered.pdf, tmp_path)
    title_zh, title_en = DOCUMENT_TITLES[kind]
    for expected in (context.number, title_zh, title_en, SAMPLE_LETTERHEAD.name_zh, SUPPLIER_NAME,
                     "第 1 页", f"共 {rendered.pages} 页", f"Page 1 of {rendered.pages}"):
        assert expected in text, expected
    # The verification block: number, content hash, where and how to verify.
    assert context.verification.content_sha256 in compact(text)
    assert compact(context.verification.verify_url) in compact(text)
    assert "portal verify" in text
    assert "签章" in text and "Signatures" in text


@pytest.mark.parametrize("kind", [kind for kind in DocumentKind if kind is not DocumentKind.TENDER_OPENING_RECORD
                                  and kind is not DocumentKind.PRODUCTION_PLAN])
def test_amounts_are_money_with_the_currency(kind: DocumentKind, tmp_path: Path) -> None:
    context = sample_context(kind, lines=5)
    text = poppler("pdftotext", sample_pdf(kind).pdf, tmp_path)
    total = total_of(context)
    assert f"CNY {total:,.2f}" in text
    if kind in KINDS_WITH_CAPITALS:
        assert "人民币大写" in text
        assert amount_in_capitals(total) in compact(text)


def test_every_page_has_the_number_and_page_count_in_its_margins(tmp_path: Path) -> None:
    rendered = sample_pdf(DocumentKind.CONTRACT)
    assert rendered.pages >= 2
    for index, text in enumerate(page_texts(rendered.pdf, rendered.pages, tmp_path), start=1):
        assert f"第 {index} 页 / 共 {rendered.pages} 页 · Page {index} of {rendered.pages}" in text
        assert text.count("HT-2026-0001") >= 2  # header and footer
        assert SAMPLE_LETTERHEAD.name_zh in text


def test_the_evidence_page_lists_versions_and_events(tmp_path: Path) -> None:
    context = sample_evidence_context()
    rendered = render_evidence(context)

    assert rendered.signature_boxes == {}
    text = poppler("pdftotext", rendered.pdf, tmp_path)
    assert "完成证明" in text and "Certificate of completion" in text
    assert context.number in text and "采购合同" in text
    for version in context.versions:
        assert version.sha256 in compact(text)
    for event in context.events:
        assert compact(event.actor) in compact(text)
    assert "第 1 页" in text and f"共 {rendered.pages} 页" in text


def test_the_same_context_gives_the_same_pdf() -> None:
    context = sample_context(DocumentKind.PURCHASE_ORDER, lines=2)
    assert render_pdf(DocumentKind.PURCHASE_ORDER, context).pdf == render_pdf(DocumentKind.PURCHASE_ORDER, context).pdf


def test_the_values_of_the_document_fields_line_up(tmp_path: Path) -> None:
    # The award number, the issue date and the countersigning deadline each appear once, as field values.
    context = sample_context(DocumentKind.CONTRACT, lines=2)
    assert isinstance(context, ContractContext) and context.countersign_by is not None
    rendered = render_pdf(DocumentKind.CONTRACT, context)
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                       poppler("pdftotext", rendered.pdf, tmp_path, "-bbox", "-f", "1", "-l", "1"))
    values = (context.award_number, context.issued_on.isoformat(), context.countersign_by.astimezone(
        ZoneInfo(SAMPLE_LETTERHEAD.time_zone)).date().isoformat())
    starts = {value: [float(x_min) for x_min, _, word in words if word == value] for value in values}
    assert all(len(found) == 1 for found in starts.values()), starts
    assert max(found[0] for found in starts.values()) - min(found[0] for found in starts.values()) < 0.01
    label_ends = [float(x_max) for _, x_max, word in words if word in ("Award", "Countersign", "Issued")]
    assert label_ends and max(label_ends) < min(found[0] for found in starts.values())


@pytest.mark.parametrize("kind", [DocumentKind.CONTRACT, DocumentKind.STATEMENT, DocumentKind.TENDER_OPENING_RECORD])
def test_the_lean_user_agent_stylesheet_changes_nothing_on_the_page(
    kind: DocumentKind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = sample_context(kind, lines=6)
    lean = render_pdf(kind, context)
    monkeypatch.setattr(render, "_DocumentHTML", HTML)  # WeasyPrint's own user-agent stylesheet
    full = render_pdf(kind, context)

    assert lean.signature_boxes == full.signature_boxes
    assert raster(lean.pdf, tmp_path) == raster(full.pdf, tmp_path)


class _ParsedByTinyhtml5(HTML):
    """WeasyPrint's own HTML 5 parsing, with the renderer's user-agent stylesheet."""

    def _ua_stylesheets(self, forms: bool = False) -> list:
        return [render._user_agent_stylesheet()]


@pytest.mark.parametrize("kind", [*DocumentKind, "evidence"])
def test_documents_parsed_as_xml_are_byte_for_byte_those_of_the_html5_parser(
    kind: DocumentKind | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def rendered() -> RenderedPdf:
        if kind == "evidence":
            return render_evidence(sample_evidence_context())
        return render_pdf(kind, sample_context(kind, lines=6, supplier_text='<b>x</b> & "q"\n  two  spaces'))

    as_xml = rendered()
    monkeypatch.setattr(render, "_DocumentHTML", _ParsedByTinyhtml5)
    assert rendered().pdf == as_xml.pdf


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_template_writes_well_formed_xml_so_it_takes_the_fast_parser(kind: DocumentKind) -> None:
    context = sample_context(kind, lines=3, supplier_text="<a href='x'>&amp;</a> ]]> <!-- -->")
    html = render._render_html(f"documents/{kind.value.lower()}.html", context, kind, DOCUMENT_TITLES[kind])
    root = ElementTree.fromstring(html)
    assert root.tag == "html" and root.find("body") is not None


def test_text_that_xml_forbids_is_still_rendered(tmp_path: Path) -> None:
    # A form feed is fine in HTML and not in XML: the document goes through WeasyPrint's HTML 5 parser instead.
    context = sample_context(DocumentKind.CONTRACT, lines=1, supplier_text="before\x0cafter")
    rendered = render_pdf(DocumentKind.CONTRACT, context)
    printed = compact(poppler("pdftotext", rendered.pdf, tmp_path))
    assert "before" in printed and "after" in printed


# --- long tables ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_statement() -> tuple[StatementContext, RenderedPdf]:
    context = sample_context(DocumentKind.STATEMENT, lines=500)
    assert isinstance(context, StatementContext)
    return context, render_pdf(DocumentKind.STATEMENT, context)


def test_a_500_line_statement_repeats_its_header_and_never_splits_a_row(
    long_statement: tuple[StatementContext, RenderedPdf], tmp_path: Path
) -> None:
    context, rendered = long_statement
    assert rendered.pages >= 5
    texts = page_texts(rendered.pdf, rendered.pages, tmp_path)

    pages_of_receipt: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        for receipt in re.findall(r"SH-2026-\d{5}", text):
            pages_of_receipt.setdefault(receipt, []).append(index)
    table_pages = sorted({page for pages in pages_of_receipt.values() for page in pages})
    assert len(table_pages) >= 5

    for index, text in enumerate(texts):
        assert f"第 {index + 1} 页" in text and f"共 {rendered.pages} 页" in text
        assert text.count(context.number) >= 2
        if index in table_pages:
            assert "收货日期" in text and "Receipt / order" in text  # the repeated table header
    for line in context.receipts:
        # Each row sits whole on one page: its receipt number and its amount appear there together.
        assert len(pages_of_receipt[line.receipt_number]) == 1, line.receipt_number
        page = pages_of_receipt[line.receipt_number][0]
        assert format_money(line.amount) in texts[page], line.line_no

    last = compact(texts[-1])
    assert compact(f"CNY {context.amount_due:,.2f}") in last
    assert amount_in_capitals(context.amount_due) in last
    assert {box.page_index for box in rendered.signature_boxes.values()} == {rendered.pages - 1}


# --- signature boxes --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_signature_boxes_are_on_the_last_page_inside_it(kind: DocumentKind) -> None:
    rendered = sample_pdf(kind)

    assert set(rendered.signature_boxes) == set(SIGNATURE_SLOTS[kind])
    boxes = list(rendered.signature_boxes.values())
    for box in boxes:
        assert box.page_index == rendered.pages - 1
        assert 0 <= box.x1 < box.x2 <= A4_WIDTH
        assert 15 * MM <= box.y1 < box.y2 <= A4_HEIGHT - 15 * MM  # clear of the header and footer
        assert box.x2 - box.x1 == pytest.approx(60 * MM, abs=1)
        assert box.y2 - box.y1 == pytest.approx(25 * MM, abs=1)
        assert box.box == (box.x1, box.y1, box.x2, box.y2)
    if len(boxes) == 2:
        buyer, supplier = rendered.signature_boxes["buyer"], rendered.signature_boxes["supplier"]
        assert buyer.x2 < supplier.x1  # side by side, not overlapping
        assert buyer.y1 == supplier.y1


def test_signature_boxes_follow_the_content_onto_a_later_page() -> None:
    short = sample_pdf(DocumentKind.PURCHASE_ORDER)
    long = render_pdf(DocumentKind.PURCHASE_ORDER, sample_context(DocumentKind.PURCHASE_ORDER, lines=60))
    assert long.pages > short.pages
    assert {box.page_index for box in long.signature_boxes.values()} == {long.pages - 1}


# --- refusals: supplier text stays text, nothing is fetched or attached -----------------------------------------------


class CountingHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { background: red }")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def counting_server() -> Iterator[http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    server.hits = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # The server does count requests: zero hits later means nothing was asked for.
    urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/control", timeout=5).read()
    assert server.hits == ["/control"]  # type: ignore[attr-defined]
    yield server
    server.shutdown()
    server.server_close()


def hostile_text(port: int) -> str:
    return (
        '<img src="file:///etc/passwd">'
        f'<link rel="attachment" href="http://127.0.0.1:{port}/link-attachment">'
        f'<a rel="attachment" href="http://127.0.0.1:{port}/a-attachment">x</a>'
        f"<style>body{{background:url(http://127.0.0.1:{port}/style)}}</style>"
        f" url(http://127.0.0.1:{port}/css-url)"
        f'<img src="http://127.0.0.1:{port}/img">'
    )


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_supplier_text_is_printed_literally_and_fetches_nothing(
    kind: DocumentKind, counting_server: http.server.ThreadingHTTPServer, tmp_path: Path
) -> None:
    counting_server.hits.clear()  # type: ignore[attr-defined]
    text = hostile_text(counting_server.server_port)

    rendered = render_pdf(kind, sample_context(kind, lines=2, supplier_text=text))

    assert counting_server.hits == []  # type: ignore[attr-defined]
    assert "0 embedded files" in poppler("pdfdetach", rendered.pdf, tmp_path, "-list")
    printed = compact(poppler("pdftotext", rendered.pdf, tmp_path))
    assert compact(text) in printed


def test_attachment_links_in_a_template_are_dropped(tmp_path: Path) -> None:
    # Autoescaping keeps these out of supplier text; this checks the second line of defence, for template authors.
    html = (
        '<link rel="attachment" href="portal-static:/documents.css">'
        '<p><a rel="attachment" href="portal-static:/logo.svg">attached?</a></p>'
    )
    rendered = render._html_to_pdf(html, ())
    assert "0 embedded files" in poppler("pdfdetach", rendered.pdf, tmp_path, "-list")


def test_a_template_asking_for_an_outside_file_fails_the_render() -> None:
    with pytest.raises(ResourceRefused, match="etc/passwd"):
        render._html_to_pdf('<img src="file:///etc/passwd">', ())


def test_weasyprint_stops_when_the_fetcher_refuses(
    counting_server: http.server.ThreadingHTTPServer,
) -> None:
    counting_server.hits.clear()  # type: ignore[attr-defined]
    html = f'<link rel="stylesheet" href="http://127.0.0.1:{counting_server.server_port}/sheet.css"><p>x</p>'
    with pytest.raises(FatalURLFetchingError):
        HTML(string=html, url_fetcher=StaticOnlyFetcher()).write_pdf()
    assert counting_server.hits == []  # type: ignore[attr-defined]


# --- contexts and arguments -------------------------------------------------------------------------------------------


def test_render_refuses_a_context_of_another_kind() -> None:
    with pytest.raises(TypeError, match="ContractContext"):
        render_pdf(DocumentKind.CONTRACT, sample_context(DocumentKind.STATEMENT, lines=1))


def test_every_sample_and_demo_credit_code_passes_the_portals_own_check() -> None:
    # Printed on every sample document and the demo's letterhead: a mistyped code there would teach the wrong thing.
    from domain.credit_codes import normalise_credit_code
    from workflows.demo.catalogue import BUYER, SUPPLIERS

    codes = [SAMPLE_LETTERHEAD.tax_id, SAMPLE_BUYER.tax_id, *(party.tax_id for party in SAMPLE_SUPPLIERS),
             BUYER["credit_code"], *(profile.credit_code for profile in SUPPLIERS)]
    for code in codes:
        assert normalise_credit_code(code) == code


def test_contexts_refuse_floats_naive_times_and_wrong_totals() -> None:
    context = sample_context(DocumentKind.CONTRACT, lines=2)
    assert isinstance(context, ContractContext)
    with pytest.raises(TypeError, match="Decimal"):
        ItemLine(1, "X", "螺栓", "Bolt", "PCS", 1.5, Decimal("1"), Decimal("1.5"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lines add up"):
        replace(context, total=context.total + Decimal("0.01"))
    with pytest.raises(ValueError, match="timezone-aware"):
        replace(context, countersign_by=datetime(2026, 3, 15, 10, 0))
    with pytest.raises(ValueError, match="64 lowercase hex"):
        replace(context.verification, content_sha256="ABC")


# --- fonts ------------------------------------------------------------------------------------------------------------


def test_a_chinese_font_is_installed() -> None:
    families = ensure_cjk_font()
    assert families
    assert issubclass(FontMissing, RuntimeError)


def test_without_a_chinese_font_rendering_stops_and_names_the_package(tmp_path: Path) -> None:
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n"
    )
    script = (
        "from domain.enums import DocumentKind\n"
        "from workflows.documents.samples import sample_context\n"
        "from workflows.documents.render import FontMissing, ensure_cjk_font, render_pdf\n"
        "for attempt in (ensure_cjk_font, lambda: render_pdf(DocumentKind.CONTRACT, "
        "sample_context(DocumentKind.CONTRACT, lines=1))):\n"
        "    try:\n"
        "        attempt()\n"
        "    except FontMissing as error:\n"
        "        print(error)\n"
        "    else:\n"
        "        raise SystemExit('no FontMissing')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env={**os.environ, "FONTCONFIG_FILE": str(config)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    messages = result.stdout.strip().splitlines()
    assert len(messages) == 2
    for message in messages:
        assert "fonts-noto-cjk" in message and "Chinese" in message
