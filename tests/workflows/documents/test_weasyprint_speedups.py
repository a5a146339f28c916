"""The speedups through WeasyPrint's busiest functions change nothing in what it makes: every kind of document, and a
page of the special cases our documents never use, come out the same with WeasyPrint's own functions."""

from __future__ import annotations

import types
import zlib

import pydyf
import pytest
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from domain.enums import DocumentKind
from workflows.documents import render  # noqa: F401 - importing the renderer installs the speedups
from workflows.documents import weasyprint_speedups as speedups
from workflows.documents.samples import sample_context, sample_evidence_context
from workflows.documents.render import render_evidence, render_pdf


@pytest.mark.parametrize("kind", [*DocumentKind, "evidence"])
def test_every_kind_of_document_is_byte_for_byte_what_weasyprint_alone_makes(kind: DocumentKind | str) -> None:
    def rendered(lines: int) -> bytes:
        if kind == "evidence":
            return render_evidence(sample_evidence_context()).pdf
        return render_pdf(kind, sample_context(kind, lines=lines, supplier_text="<i>x</i>\n  two  spaces")).pdf

    assert set(speedups.active()) == {speedup.name for speedup in speedups.SPEEDUPS}
    fast = [rendered(lines) for lines in (1, 40)]  # one page, and several
    with speedups.pristine():
        assert [rendered(lines) for lines in (1, 40)] == fast


# What the speedups hand back to WeasyPrint, or must get right on their own: logical properties, text decorations
# (propagated, not inherited), named pages, inherited values holding a math function, custom properties, right-to-left
# text and tables, floats, percentages of every kind of containing block (pages, fixed and automatic heights),
# border-box sizing, collapsed borders, languages (Pango picks a Japanese or a Chinese face by them), letter and word
# spacing, font features and a font language override.
SPECIAL_CASES = """<html lang="zh-CN"><head><style>
  @page { margin: 5% 8% }
  @page wide { size: A4 landscape; margin: 10mm }
  body { text-indent: calc(10% + 3px); --gap: 4mm; font-family: sans-serif }
  .deco { text-decoration: underline }
  section { page: wide; margin-inline-start: 12mm; padding-block-end: var(--gap); border-inline-end: 2px solid }
  p.rtl { direction: rtl; margin-inline-end: 7mm; text-decoration: line-through; text-decoration-color: red }
  div.float { position: relative; float: left; width: calc(50% - 2mm) }
  .sized { box-sizing: border-box; width: 60%; padding: 2% 3%; min-height: 10%; max-height: 50%; margin: 1% auto }
  .fixed { height: 40mm }
  .fixed > div { height: 50%; min-width: 10%; max-width: 90% }
  table.collapsed { border-collapse: collapse; width: 80% }
  table.collapsed td { border: 1px solid; padding: 1% }
  table.rtl { direction: rtl; width: 70% }
  .spaced { letter-spacing: 0.5pt; word-spacing: 2pt; font-kerning: none; font-feature-settings: "liga" 0 }
  .override { font-language-override: "JAN" }
</style></head><body>
<p class="deco">before 之前 <span lang="ja">日本語 直 骨</span> <span lang="en">English text</span></p>
<section><p class="rtl">שלום inline 内联</p><div class="float">float 浮动</div><p>beside the float 旁边</p></section>
<div class="sized">sized 尺寸</div>
<div class="fixed"><div>half 一半</div></div>
<table class="collapsed"><tr><td>a 甲</td><td>b 乙</td></tr></table>
<table class="rtl"><tr><td>right 右</td><td>left 左</td></tr></table>
<p class="spaced">spaced out text 间距 office</p>
<p class="override">override 覆盖 直 骨</p>
<p style="font-size: 13.5px">another size</p>
<p>after 之后</p></body></html>"""

BOX_FIELDS = ("position_x", "position_y", "width", "height", "min_width", "max_width", "min_height", "max_height",
              "margin_left", "margin_right", "margin_top", "margin_bottom", "padding_left", "padding_right",
              "padding_top", "padding_bottom", "border_left_width", "border_right_width", "baseline")


def _plain(value: object) -> object:  # a math function is parsed anew for each document
    return value.serialize() if hasattr(value, "serialize") else value


def _laid_out(html: str) -> tuple[list[tuple], bytes]:
    document = HTML(string=html).render(font_config=FontConfiguration())
    rows = [(box.__class__.__name__, *(getattr(box, name, None) for name in BOX_FIELDS),
             box.style["text_decoration_line"], _plain(box.style["text_indent"]), box.style["page"])
            for page in document.pages for box in page._page_box.descendants()]
    return rows, document.write_pdf()


def test_the_special_cases_lay_out_and_print_as_with_weasyprint_alone() -> None:
    fast = _laid_out(SPECIAL_CASES)
    with speedups.pristine():
        assert _laid_out(SPECIAL_CASES) == fast
    rows, _pdf = fast
    assert len({row[-1] for row in rows}) > 1  # the named page was taken
    assert {row[0] for row in rows} >= {"TableBox", "TableCellBox", "LineBox", "TextBox", "BlockBox"}


def test_the_shared_pango_objects_are_bounded_per_font_configuration() -> None:
    # Every distinct size is another font description; past the limit, each is made anew rather than kept.
    sizes = "".join(f'<span style="font-size: {8 + index / 10}px">{index} 字</span> '
                    for index in range(speedups.CACHE_LIMIT + 40))
    html = f"<html><body><p>{sizes}</p></body></html>"
    config = FontConfiguration()
    fast = HTML(string=html).render(font_config=config).write_pdf()
    contexts, descriptions = config.portal_pango_caches
    assert len(descriptions) == speedups.CACHE_LIMIT and len(contexts) <= speedups.CACHE_LIMIT
    with speedups.pristine():
        assert HTML(string=html).render(font_config=FontConfiguration()).write_pdf() == fast


def test_each_speedup_is_in_place_exactly_when_weasyprint_has_the_code_it_was_written_for() -> None:
    for speedup in speedups.SPEEDUPS:
        with speedups.pristine():
            original = getattr(speedup.owner, speedup.attribute)
        assert (speedup.name in speedups.active()) == (speedups.source_fingerprint(original) == speedup.fingerprint)
    assert speedups.install() == speedups.active()  # installing again changes nothing


def _answer() -> int:
    return 41


def test_a_speedup_is_left_out_when_the_function_it_stands_in_for_has_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(speedups, "_replaced", [])
    owner = types.SimpleNamespace(answer=_answer)

    def build(original):  # noqa: ANN001, ANN202
        return lambda: original() + 1

    changed = speedups.Speedup("answer", owner, "answer", "0" * 16, build)
    assert not speedups.apply(changed)
    assert owner.answer is _answer

    written_for = speedups.Speedup("answer", owner, "answer", speedups.source_fingerprint(_answer), build)
    assert speedups.apply(written_for)
    assert owner.answer() == 42
    with speedups.pristine():
        assert owner.answer is _answer
    assert owner.answer() == 42


def test_pdf_streams_are_compressed_at_zlib_level_6() -> None:
    raw = "".join(f"{index} 0 0 RG {index % 97} {index % 89} m l S\n" for index in range(4000)).encode()
    data = pydyf.Stream([raw], compress=True).data
    compressed = data.split(b"\nstream\n", 1)[1].rsplit(b"\nendstream", 1)[0]
    assert compressed == zlib.compress(raw, 6)
    assert compressed != zlib.compress(raw, 9)
