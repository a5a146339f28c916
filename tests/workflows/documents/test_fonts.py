"""The documents' CJK font: the pre-subset font is what documents embed, Chinese still prints (also a character outside
the subset, and without a usable cache), the subset covers what the templates print, it is made once and named after
its source, and rendering neither leaves the garbage collector paused nor copies the font to a temporary folder.

PDFs are read back with poppler (`pdftotext`, `pdffonts`), independent of WeasyPrint.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from domain.chinese_amounts import amount_in_capitals
from domain.enums import DocumentKind
from workflows.documents import fonts, render
from workflows.documents.contexts import DOCUMENT_TITLES
from workflows.documents.render import render_pdf
from workflows.documents.samples import sample_context
from workflows.documents.templating import PLAN_CHANGE_LABELS

REPO_ROOT = Path(__file__).resolve().parents[3]
SUBSET_PDF_NAME = "Portal-Sans-CJK-SC"
SYSTEM_PDF_NAME = "Noto-Sans-CJK-SC"
OUTSIDE_GB2312 = "喆堃"  # common in given names, in GBK but not in GB 2312


def poppler(tool: str, pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    command = [tool, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout


def embedded_fonts(pdf: bytes, tmp_path: Path) -> list[str]:
    """The base names of the fonts a PDF embeds, without their subset tag (`ABCDEF+`)."""
    rows = poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    return sorted(re.sub(r"^[A-Z]{6}\+", "", row.split()[0]) for row in rows)


def run_script(script: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=300)


# --- what documents print with --------------------------------------------------------------------------------------


def test_documents_print_chinese_with_the_subset_font_alone(tmp_path: Path) -> None:
    assert fonts.subset_font() is not None
    rendered = render_pdf(DocumentKind.CONTRACT, sample_context(DocumentKind.CONTRACT, lines=3))

    text = poppler("pdftotext", rendered.pdf, tmp_path)
    assert "合同" in text and "人民币" in text and "Purchase contract" in text
    assert embedded_fonts(rendered.pdf, tmp_path) == [SUBSET_PDF_NAME]


def test_a_character_outside_the_subset_prints_with_the_system_font(tmp_path: Path) -> None:
    assert not set(map(ord, OUTSIDE_GB2312)) & fonts.subset_characters()
    name = f"王{OUTSIDE_GB2312} Wang Zhe"
    rendered = render_pdf(DocumentKind.PURCHASE_ORDER, sample_context(DocumentKind.PURCHASE_ORDER, supplier_text=name))

    assert name in poppler("pdftotext", rendered.pdf, tmp_path)
    assert embedded_fonts(rendered.pdf, tmp_path) == [SYSTEM_PDF_NAME, SUBSET_PDF_NAME]


def test_without_a_usable_cache_documents_use_the_system_font(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache cannot be a folder under a file")
    script = (
        "from domain.enums import DocumentKind\n"
        "from workflows.documents.samples import sample_context\n"
        "from workflows.documents.render import render_pdf\n"
        "import sys\n"
        "sys.stdout.buffer.write(render_pdf(DocumentKind.CONTRACT, sample_context(DocumentKind.CONTRACT)).pdf)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, timeout=300,
                            env={**os.environ, fonts.CACHE_DIR_ENV: str(blocker / "fonts")})
    assert result.returncode == 0, result.stderr.decode()
    assert b"documents use the full system CJK font" in result.stderr
    assert "合同" in poppler("pdftotext", result.stdout, tmp_path)
    assert embedded_fonts(result.stdout, tmp_path) == [SYSTEM_PDF_NAME]


def test_the_subset_covers_every_character_the_templates_print() -> None:
    printed = "".join(path.read_text() for path in (REPO_ROOT / "templates" / "documents").glob("*.html"))
    printed += "".join(zh + en for zh, en in [*DOCUMENT_TITLES.values(), *PLAN_CHANGE_LABELS.values()])
    printed += "".join(amount_in_capitals(Decimal(amount)) for amount in ("0.05", "10.50", "1234567890.12", "100001"))
    missing = {character for character in printed if character.isprintable()} - set(map(chr, fonts.subset_characters()))
    assert not missing
    assert len(fonts.subset_characters() - set(range(0x80))) > 7000  # GB 2312's 6,763 hanzi and its symbols


# --- making the subset ----------------------------------------------------------------------------------------------


def test_a_subset_is_named_for_documents_and_holds_only_what_was_asked(tmp_path: Path) -> None:
    source = fonts.find_source_font()
    assert source is not None and source.family in fonts.SOURCE_FAMILIES
    target = tmp_path / "subset.otf"

    fonts.make_subset(source, target, map(ord, "合同人民币 AZ"))

    font = TTFont(target)
    families = {record.toUnicode() for record in font["name"].names if record.nameID in (1, 4, 16)}
    assert families == {fonts.SUBSET_FAMILY}  # fontconfig cannot take it for the full system font
    assert any(record.nameID == 13 for record in font["name"].names)  # the licence travels with the font
    assert set(font.getBestCmap()) == set(map(ord, "合同人民币 AZ"))
    assert [path.name for path in tmp_path.iterdir()] == ["subset.otf"]  # no partial file left


def test_a_subset_leaves_out_vertical_and_localised_forms(tmp_path: Path) -> None:
    source = fonts.find_source_font()
    assert source is not None
    target = tmp_path / "subset.otf"

    fonts.make_subset(source, target, map(ord, "合同人民币 AZ'"))

    font = TTFont(target)
    features = {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}
    features |= {record.FeatureTag for record in font["GPOS"].table.FeatureList.FeatureRecord}
    assert "kern" in features  # Latin kerning is kept
    assert not features & {"locl", "vert", "vrt2", "vkrn"}
    assert not {"vhea", "vmtx", "VORG"} & set(font.keys())
    assert len(font.getGlyphOrder()) < 20  # the characters asked for, not their Japanese, Korean or vertical forms


def test_the_subset_is_made_once_per_source_and_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fonts.CACHE_DIR_ENV, str(tmp_path / "fonts"))
    monkeypatch.setattr(fonts, "subset_characters", lambda: frozenset(map(ord, "合同")))
    made: list[Path] = []
    make_subset = fonts.make_subset
    monkeypatch.setattr(fonts, "make_subset", lambda *args: made.append(args[1]) or make_subset(*args))

    first = fonts.subset_font()
    assert first is not None and first.parent == tmp_path / "fonts" and made == [first]
    fonts._subset_font.cache_clear()  # as a new process would: the file on disk is reused
    assert fonts.subset_font() == first and made == [first]
    unrelated = tmp_path / "fonts" / "someone-elses.otf"
    unrelated.write_bytes(b"not ours")

    monkeypatch.setattr(fonts, "SUBSET_VERSION", fonts.SUBSET_VERSION + 1)
    fonts._subset_font.cache_clear()
    second = fonts.subset_font()
    assert second is not None and second != first and made == [first, second]
    # The superseded subset is gone; the lock and files that are not subsets stay.
    assert sorted(path.name for path in (tmp_path / "fonts").iterdir()) == sorted(
        [".lock", second.name, unrelated.name])

    monkeypatch.setattr(fonts, "subset_characters", lambda: frozenset(map(ord, "合同人")))
    fonts._subset_font.cache_clear()
    third = fonts.subset_font()
    assert third is not None and third not in (first, second) and made == [first, second, third]
    fonts._subset_font.cache_clear()


def test_an_unwritable_cache_is_reported_and_gives_no_subset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(fonts.CACHE_DIR_ENV, str(blocker / "fonts"))
    with caplog.at_level(logging.WARNING, logger=fonts.__name__):
        assert fonts.subset_font() is None
    assert "cannot write the subset" in caplog.text


# --- what rendering leaves behind ---------------------------------------------------------------------------------


@pytest.mark.parametrize("enabled", [True, False])
def test_rendering_pauses_the_garbage_collector_and_restores_it(enabled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    during: list[bool] = []
    lay_out_and_write = render._lay_out_and_write
    monkeypatch.setattr(render, "_lay_out_and_write", lambda *args: during.append(gc.isenabled())
                        or lay_out_and_write(*args))
    was_enabled = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        render_pdf(DocumentKind.STATEMENT, sample_context(DocumentKind.STATEMENT, lines=1))
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was_enabled else gc.disable)()
    assert during == [False]


def test_no_process_copies_the_font_to_a_temporary_folder(tmp_path: Path) -> None:
    # A worker killed after a time-out could never remove such a copy.
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    script = (
        "import asyncio, pathlib, tempfile\n"
        "from domain.enums import DocumentKind\n"
        "from workflows.documents.samples import sample_context\n"
        "from workflows.documents.render import render_pdf\n"
        "from workflows.documents.renderer import DocumentRenderer\n"
        "context = sample_context(DocumentKind.CONTRACT, lines=1)\n"
        "render_pdf(DocumentKind.CONTRACT, context)\n"
        "async def main():\n"
        "    async with DocumentRenderer(workers=1) as renderer:\n"
        "        await renderer.render(DocumentKind.CONTRACT, context)\n"
        "        return sorted(path.name for path in pathlib.Path(tempfile.gettempdir()).iterdir())\n"
        "print(tempfile.gettempdir(), asyncio.run(main()))\n"
    )
    result = run_script(script, tmp_path, TMPDIR=str(temporary))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(str(temporary))
    assert "weasyprint" not in result.stdout
