"""Signing: the buyer's PAdES signature, the supplier's countersignature, the visible CJK stamp, B-T timestamps, and
every refusal."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import find_cms_attribute_iter
from pyhanko.sign.timestamps import HTTPTimeStamper

from tests.support import (
    BUYER_NAME,
    SUPPLIER_NAME,
    buyer_signs,
    make_pki,
    supplier_countersigns,
    two_page_pdf,
)
from tests.support.tsa import LocalTimeStampingAuthority
from workflows.documents import signing
from workflows.documents.signing import (
    DocumentNotSignableError,
    SignatureFieldError,
    StampFontError,
    TimestampError,
    countersign_pdf,
    sign_pdf,
    timestamper_for,
)

ISSUED_AT = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
BUYER_SIGNS_AT = ISSUED_AT + timedelta(hours=1)
SUPPLIER_SIGNS_AT = ISSUED_AT + timedelta(days=2)
A4 = (0.0, 0.0, 595.0, 842.0)


@pytest.fixture(scope="module")
def pki():
    return make_pki(ISSUED_AT)


@pytest.fixture(scope="module")
async def buyer_signed(pki):
    return await buyer_signs(pki, two_page_pdf(), BUYER_SIGNS_AT)


@pytest.fixture(scope="module")
async def countersigned(pki, buyer_signed):
    return await supplier_countersigns(pki, buyer_signed, SUPPLIER_SIGNS_AT)


def _reader(data: bytes) -> PdfFileReader:
    return PdfFileReader(io.BytesIO(data))


def _widget(data: bytes, field_name: str) -> tuple[int, list[float], object]:
    """(page index, rectangle, annotation) of a signature field's widget."""
    reader = _reader(data)
    for index in range(int(reader.root["/Pages"]["/Count"])):
        page = reader.find_page_for_modification(index)[0].get_object()
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/T") == field_name:
                return index, [float(value) for value in annotation["/Rect"]], annotation
    raise AssertionError(f"no widget for {field_name}")


def _timestamp_tokens(signer_info) -> list:
    return list(find_cms_attribute_iter(signer_info["unsigned_attrs"], "signature_time_stamp_token"))


async def test_buyer_signature_is_pades_with_the_chain_embedded(pki, buyer_signed):
    original = two_page_pdf()
    assert buyer_signed.startswith(original)  # an incremental update: the original bytes are untouched
    (signature,) = _reader(buyer_signed).embedded_signatures
    assert signature.field_name == "BuyerSignature"
    dictionary = signature.sig_object
    assert dictionary["/SubFilter"] == "/ETSI.CAdES.detached"
    assert dictionary["/Reason"] == "签发合同 Contract issued"
    assert dictionary["/Location"] == "上海 Shanghai"
    assert signature.self_reported_timestamp == BUYER_SIGNS_AT
    assert signature.md_algorithm == "sha256"
    assert signature.docmdp_level is None  # an approval signature, leaving room for the countersignature
    embedded = {hashlib.sha256(choice.chosen.dump()).hexdigest() for choice in signature.signed_data["certificates"]}
    assert embedded == {pki.buyer.fingerprint, pki.root.fingerprint}
    assert signature.signer_cert.subject.native["organization_name"] == BUYER_NAME
    assert _timestamp_tokens(signature.signer_info) == []  # B-B: no timestamp without a time-stamping authority


async def test_each_signature_names_its_own_certificate_in_its_signed_attributes(pki, countersigned):
    signatures = _reader(countersigned).embedded_signatures
    assert len(signatures) == 2
    for signature, pair in zip(signatures, (pki.buyer, pki.supplier), strict=True):
        attributes = {attribute["type"].native: attribute["values"][0]
                      for attribute in signature.signer_info["signed_attrs"]}
        assert set(attributes) == {"content_type", "message_digest", "signing_certificate_v2"}  # PAdES: no signing-time
        (certificate_id,) = attributes["signing_certificate_v2"]["certs"]
        assert certificate_id["cert_hash"].native.hex() == pair.fingerprint == hashlib.sha256(
            signature.signer_cert.dump()).hexdigest()


async def test_buyer_stamp_is_visible_at_the_bottom_left_of_the_last_page(buyer_signed):
    page, rectangle, annotation = _widget(buyer_signed, "BuyerSignature")
    assert page == 1
    x1, y1, x2, y2 = rectangle
    assert x1 < A4[2] / 2 and y2 < A4[3] / 4
    assert x2 - x1 == signing.STAMP_WIDTH and y2 - y1 == signing.STAMP_HEIGHT
    assert annotation["/AP"]["/N"].get_object().data  # an appearance stream was drawn


def _stamp_font(data: bytes, field_name: str):
    _, _, annotation = _widget(data, field_name)
    fonts = []

    def collect(stream):
        resources = stream.get("/Resources", {})
        fonts.extend(font.get_object() for font in resources.get("/Font", {}).values())
        for xobject in resources.get("/XObject", {}).values():
            collect(xobject.get_object())

    collect(annotation["/AP"]["/N"].get_object())
    (font,) = fonts
    return font


def _stamp_characters(data: bytes, field_name: str) -> set[str]:
    """The characters the stamp's font maps back to Unicode: exactly those drawn."""
    to_unicode = _stamp_font(data, field_name)["/ToUnicode"].get_object().data.decode("ascii")
    mapped = set()
    for line in to_unicode.splitlines():
        codes = [int(code, 16) for code in re.findall(r"<([0-9a-fA-F]{4})>", line)]
        if "[" in line:  # bfrange: first CID, last CID, [characters]
            mapped |= {chr(code) for code in codes[2:]}
        elif len(codes) == 3:  # bfrange: first CID, last CID, first of consecutive characters
            mapped |= {chr(codes[2] + offset) for offset in range(codes[1] - codes[0] + 1)}
        elif len(codes) == 2 and "FFFF" not in line:  # bfchar: CID, character (not the code space range)
            mapped.add(chr(codes[1]))
    return mapped


async def test_stamp_draws_chinese_with_an_embedded_cjk_subset(buyer_signed):
    font = _stamp_font(buyer_signed, "BuyerSignature")
    assert font["/Subtype"] == "/Type0"
    assert "NotoSansCJK" in font["/BaseFont"]
    descendant = font["/DescendantFonts"][0].get_object()
    font_file = descendant["/FontDescriptor"]["/FontFile3"].get_object().data
    assert len(font_file) < 60_000  # a subset of the few glyphs used, not the 16 MB face
    drawn = _stamp_characters(buyer_signed, "BuyerSignature")
    for text in (BUYER_NAME, "采购方 Buyer", "签署时间 Signed: 2025-03-01 09:00:00 UTC", "事由 Reason: 签发合同"):
        assert set(text) <= drawn, text


async def test_countersignature_is_a_new_field_appended_after_the_buyers(buyer_signed, countersigned):
    assert countersigned.startswith(buyer_signed)
    signatures = _reader(countersigned).embedded_signatures
    assert [signature.field_name for signature in signatures] == ["BuyerSignature", "SupplierSignature"]
    supplier = signatures[1]
    assert supplier.signer_cert.subject.native["organization_name"] == SUPPLIER_NAME
    assert supplier.self_reported_timestamp == SUPPLIER_SIGNS_AT
    assert supplier.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert "/Location" not in supplier.sig_object
    page, (x1, _, _, y2), _ = _widget(countersigned, "SupplierSignature")
    assert page == 1 and x1 > A4[2] / 2 and y2 < A4[3] / 4  # bottom right, beside the buyer's stamp
    assert _widget(countersigned, "BuyerSignature")[1] == _widget(buyer_signed, "BuyerSignature")[1]


async def test_stamp_goes_where_the_box_says(pki):
    signed = await sign_pdf(
        two_page_pdf(),
        pki.identity(pki.buyer),
        field_name="BuyerSignature",
        reason="签发 100% 合同",
        location=None,
        signer_label="采购方 Buyer",
        box=(0, 300.0, 80.5, 560.0, 170.0),
        signing_time=BUYER_SIGNS_AT,
        timestamper=None,
    )
    page, rectangle, _ = _widget(signed, "BuyerSignature")
    assert page == 0
    assert rectangle == [300.0, 80.5, 560.0, 170.0]


async def test_b_t_signature_carries_a_timestamp_from_the_authority(pki):
    stamped_at = BUYER_SIGNS_AT + timedelta(seconds=3)
    with LocalTimeStampingAuthority(clock=lambda: stamped_at, certificates_from=ISSUED_AT) as authority:
        signed = await buyer_signs(pki, two_page_pdf(), BUYER_SIGNS_AT, timestamper=timestamper_for(authority.url))
        assert authority.requests >= 1
    (signature,) = _reader(signed).embedded_signatures
    (token,) = _timestamp_tokens(signature.signer_info)
    tst_info = token["content"]["encap_content_info"]["content"].parsed
    assert tst_info["gen_time"].native == stamped_at
    assert signature.self_reported_timestamp == BUYER_SIGNS_AT


async def test_unreachable_time_stamping_authority_is_a_timestamp_error(pki):
    with LocalTimeStampingAuthority(certificates_from=ISSUED_AT) as authority:
        url = authority.url  # the port is free again once the authority has stopped
    with pytest.raises(TimestampError, match="time-stamping authority"):
        await buyer_signs(pki, two_page_pdf(), BUYER_SIGNS_AT, timestamper=timestamper_for(url))


def test_timestamper_for():
    assert timestamper_for(None) is None
    assert timestamper_for("") is None
    stamper = timestamper_for("http://tsa.example/rfc3161")
    assert isinstance(stamper, HTTPTimeStamper)
    assert stamper.url == "http://tsa.example/rfc3161"


# --- refusals --------------------------------------------------------------------------------------------------------


def _arguments(pki, **changes):
    arguments = {
        "field_name": "BuyerSignature",
        "reason": "签发合同",
        "location": None,
        "signer_label": "采购方 Buyer",
        "box": None,
        "signing_time": BUYER_SIGNS_AT,
        "timestamper": None,
    }
    return arguments | changes


async def test_sign_refuses_a_signed_document(pki, buyer_signed):
    with pytest.raises(DocumentNotSignableError, match="already signed"):
        await sign_pdf(buyer_signed, pki.identity(pki.buyer), **_arguments(pki, field_name="Again"))


async def test_countersign_refuses_an_unsigned_document(pki):
    with pytest.raises(DocumentNotSignableError, match="no signature to countersign"):
        await countersign_pdf(two_page_pdf(), pki.identity(pki.supplier), **_arguments(pki, field_name="Supplier"))


async def test_countersign_refuses_an_existing_field_name(pki, buyer_signed):
    with pytest.raises(SignatureFieldError, match="already has a signature field named 'BuyerSignature'"):
        await countersign_pdf(buyer_signed, pki.identity(pki.supplier), **_arguments(pki))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"field_name": "a.b"}, "unusable signature field name"),
        ({"field_name": ""}, "unusable signature field name"),
        ({"box": (2, 40.0, 40.0, 260.0, 120.0)}, "page 2 does not exist; the document has 2 pages"),
        ({"box": (-3, 40.0, 40.0, 260.0, 120.0)}, "page -3 does not exist"),
        ({"box": (0, 500.0, 40.0, 700.0, 120.0)}, "outside the page"),
        ({"box": (0, 40.0, 40.0, 60.0, 120.0)}, "at least 40 points"),
    ],
)
async def test_sign_refuses_bad_fields(pki, changes, message):
    with pytest.raises(SignatureFieldError, match=message):
        await sign_pdf(two_page_pdf(), pki.identity(pki.buyer), **_arguments(pki, **changes))


@pytest.mark.parametrize("data", [b"", b"hello, world", b"%PDF-1.7\n%broken", two_page_pdf()[:5000]])
async def test_sign_refuses_what_is_not_a_pdf(pki, data):
    with pytest.raises(DocumentNotSignableError):
        await sign_pdf(data, pki.identity(pki.buyer), **_arguments(pki))


async def test_sign_refuses_a_naive_signing_time(pki):
    with pytest.raises(ValueError, match="timezone-aware"):
        await sign_pdf(two_page_pdf(), pki.identity(pki.buyer), **_arguments(pki, signing_time=datetime(2025, 3, 1)))


async def test_stamp_refuses_characters_the_font_cannot_draw(pki):
    with pytest.raises(StampFontError, match="cannot draw"):
        await sign_pdf(two_page_pdf(), pki.identity(pki.buyer), **_arguments(pki, reason="\U0010fffd"))


async def test_stamp_refuses_to_draw_without_a_cjk_font(pki, monkeypatch):
    monkeypatch.setattr(signing, "_font_locations", lambda: [])
    signing._cjk_font.cache_clear()
    try:
        with pytest.raises(StampFontError, match="no font that can draw Chinese"):
            await sign_pdf(two_page_pdf(), pki.identity(pki.buyer), **_arguments(pki))
    finally:
        signing._cjk_font.cache_clear()


async def test_long_reason_is_cut_in_the_stamp_but_kept_in_the_signature(pki):
    reason = "按照框架协议第十二条\n确认全部交货条款、付款条件与质量保证条款均已阅读并同意"
    signed = await sign_pdf(two_page_pdf(), pki.identity(pki.buyer), **_arguments(pki, reason=reason))
    (signature,) = _reader(signed).embedded_signatures
    assert signature.sig_object["/Reason"] == reason
    drawn = _stamp_characters(signed, "BuyerSignature")
    assert set("按照框架协议第十二条确认全部交") <= drawn
    assert "…" in drawn
    assert not set("款阅读意") & drawn  # past the end of the stamp's line
