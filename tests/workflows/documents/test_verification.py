"""Verification: what a good file reports, and each attack or defect with the problem code it must raise."""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
from datetime import UTC, datetime, timedelta

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import enumerate_sig_fields

from tests.support import BUYER_NAME, SUPPLIER_NAME, buyer_signs, make_pki, supplier_countersigns, two_page_pdf
from tests.support.tsa import LocalTimeStampingAuthority
from workflows.documents.signing import timestamper_for
from workflows.documents.verification import ProblemCode, VerificationReport, verify_pdf

ISSUED_AT = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
BUYER_SIGNS_AT = ISSUED_AT + timedelta(hours=1)
SUPPLIER_SIGNS_AT = ISSUED_AT + timedelta(days=2)
NOW = ISSUED_AT + timedelta(days=30)


@pytest.fixture(scope="module")
def pki():
    return make_pki(ISSUED_AT)


@pytest.fixture(scope="module")
async def buyer_signed(pki):
    return await buyer_signs(pki, two_page_pdf(), BUYER_SIGNS_AT)


@pytest.fixture(scope="module")
async def countersigned(pki, buyer_signed):
    return await supplier_countersigns(pki, buyer_signed, SUPPLIER_SIGNS_AT)


async def _verify(pki, data: bytes, **options) -> VerificationReport:
    arguments = {"trust_roots": [pki.root.certificate], "revocations": {}, "is_issued": None, "now": NOW} | options
    return await verify_pdf(data, **arguments)


def _codes(report: VerificationReport) -> set[str]:
    return {problem.code.value for problem in report.problems}


# --- good files ------------------------------------------------------------------------------------------------------


async def test_buyer_signed_file_verifies(pki, buyer_signed):
    report = await _verify(pki, buyer_signed)
    assert report.ok, report.to_text()
    assert report.problems == ()
    assert report.sha256 == hashlib.sha256(buyer_signed).hexdigest()
    assert report.size == len(buyer_signed)
    assert report.issued is None
    (signature,) = report.signatures
    assert signature.field_name == "BuyerSignature"
    assert signature.organization == BUYER_NAME
    assert signature.common_name == BUYER_NAME
    assert signature.certificate_fingerprint == pki.buyer.fingerprint
    assert signature.signing_time == BUYER_SIGNS_AT
    assert signature.timestamp_time is None
    assert (signature.intact, signature.valid, signature.trusted) == (True, True, True)
    assert signature.coverage == "ENTIRE_FILE" and signature.covers_whole_file
    assert signature.certification is False
    assert signature.revoked_at is None


async def test_countersigned_file_verifies_with_both_signatures(pki, countersigned):
    report = await _verify(pki, countersigned)
    assert report.ok, report.to_text()
    buyer, supplier = report.signatures
    assert (buyer.field_name, buyer.organization) == ("BuyerSignature", BUYER_NAME)
    assert (supplier.field_name, supplier.organization) == ("SupplierSignature", SUPPLIER_NAME)
    assert buyer.coverage == "ENTIRE_REVISION" and not buyer.covers_whole_file
    assert buyer.modification_level == "FORM_FILLING"  # only the countersignature was added
    assert supplier.coverage == "ENTIRE_FILE" and supplier.covers_whole_file
    assert supplier.certificate_fingerprint == pki.supplier.fingerprint
    assert supplier.signing_time == SUPPLIER_SIGNS_AT
    assert all(s.intact and s.valid and s.trusted for s in report.signatures)


async def test_report_as_json_and_text(pki, countersigned):
    report = await _verify(pki, countersigned)
    document = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    assert document["ok"] is True
    assert document["sha256"] == report.sha256
    assert document["problems"] == []
    assert [s["organization"] for s in document["signatures"]] == [BUYER_NAME, SUPPLIER_NAME]
    assert document["signatures"][1]["signing_time"] == SUPPLIER_SIGNS_AT.isoformat()
    text = report.to_text()
    assert text.startswith("Verification: OK")
    for expected in (
        BUYER_NAME,
        SUPPLIER_NAME,
        "BuyerSignature",
        "SupplierSignature",
        report.sha256,
        "2025-03-03 08:00:00 UTC",
        "Problems: none",
    ):
        assert expected in text


async def test_issued_file(pki, countersigned):
    asked = []

    async def is_issued(sha256: str) -> bool:
        asked.append(sha256)
        return True

    report = await _verify(pki, countersigned, is_issued=is_issued)
    assert report.ok and report.issued is True
    assert asked == [hashlib.sha256(countersigned).hexdigest()]


async def test_file_the_portal_did_not_issue(pki, countersigned):
    async def is_issued(sha256: str) -> bool:
        return False

    report = await _verify(pki, countersigned, is_issued=is_issued)
    assert not report.ok and report.issued is False
    assert _codes(report) == {"NOT_ISSUED"}
    assert "Issued by the portal: no" in report.to_text()


# --- timestamps (B-T) ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def timestamped(pki):
    """Buyer and supplier signatures, each stamped 5 s after its claimed time by the local TSA."""
    moments = iter([BUYER_SIGNS_AT, SUPPLIER_SIGNS_AT])
    current = {"claimed": next(moments)}
    authority = LocalTimeStampingAuthority(
        clock=lambda: current["claimed"] + timedelta(seconds=5), certificates_from=ISSUED_AT
    )
    with authority:
        stamper = timestamper_for(authority.url)
        signed = await buyer_signs(pki, two_page_pdf(), BUYER_SIGNS_AT, timestamper=stamper)
        current["claimed"] = next(moments)
        both = await supplier_countersigns(pki, signed, SUPPLIER_SIGNS_AT, timestamper=stamper)
    assert authority.requests >= 2
    return authority, both


async def test_timestamped_signatures_report_the_timestamp(pki, timestamped):
    authority, data = timestamped
    report = await _verify(pki, data, timestamp_trust_roots=[authority.root])
    assert report.ok, report.to_text()
    buyer, supplier = report.signatures
    assert buyer.timestamp_time == BUYER_SIGNS_AT + timedelta(seconds=5)
    assert supplier.timestamp_time == SUPPLIER_SIGNS_AT + timedelta(seconds=5)
    assert buyer.signing_time == BUYER_SIGNS_AT
    assert "Timestamp: 2025-03-01 09:00:05 UTC" in report.to_text()


async def test_timestamp_from_an_untrusted_authority(pki, timestamped):
    _, data = timestamped
    report = await _verify(pki, data)  # the authority's root is not trusted
    assert _codes(report) == {"TIMESTAMP_UNTRUSTED"}


async def test_revocation_is_judged_at_the_timestamp_not_the_claim(pki, timestamped):
    authority, data = timestamped
    # revoked between the buyer's claimed time and the authority's time: the authority's time counts
    revoked_at = BUYER_SIGNS_AT + timedelta(seconds=2)
    report = await _verify(
        pki, data, timestamp_trust_roots=[authority.root], revocations={pki.buyer.fingerprint: revoked_at}
    )
    assert _codes(report) == {"REVOKED"}
    assert report.signatures[0].revoked_at == revoked_at


# --- certificates ----------------------------------------------------------------------------------------------------


async def test_signature_by_another_root_is_untrusted(pki, buyer_signed):
    stranger = make_pki(ISSUED_AT)
    forged = await supplier_countersigns(stranger, buyer_signed, SUPPLIER_SIGNS_AT)
    report = await _verify(pki, forged)
    assert _codes(report) == {"UNTRUSTED"}
    problem = report.problems[0]
    assert problem.field_name == "SupplierSignature"
    assert "not issued by the portal's root" in problem.message
    assert report.signatures[1].trusted is False and report.signatures[0].trusted is True


async def test_signature_after_the_certificate_expired(buyer_signed):
    pki = make_pki(ISSUED_AT, supplier_years=1)
    signed_after_expiry = ISSUED_AT + timedelta(days=400)
    buyer_file = await buyer_signs(pki, two_page_pdf(), BUYER_SIGNS_AT)
    late = await supplier_countersigns(pki, buyer_file, signed_after_expiry)
    report = await _verify(pki, late, now=signed_after_expiry + timedelta(days=1))
    assert _codes(report) == {"CERTIFICATE_EXPIRED"}
    assert report.problems[0].field_name == "SupplierSignature"


async def test_signature_made_before_expiry_stays_valid(pki, countersigned):
    report = await _verify(pki, countersigned, now=ISSUED_AT + timedelta(days=365 * 5))
    assert report.ok, report.to_text()


async def test_signature_after_revocation_is_revoked(pki, countersigned):
    revoked_at = SUPPLIER_SIGNS_AT - timedelta(hours=1)
    report = await _verify(pki, countersigned, revocations={pki.supplier.fingerprint.upper(): revoked_at})
    assert _codes(report) == {"REVOKED"}
    assert report.problems[0].field_name == "SupplierSignature"
    assert report.signatures[1].revoked_at == revoked_at


async def test_signature_before_revocation_stays_valid(pki, countersigned):
    revoked_at = SUPPLIER_SIGNS_AT + timedelta(hours=1)
    report = await _verify(pki, countersigned, revocations={pki.supplier.fingerprint: revoked_at})
    assert report.ok, report.to_text()
    assert report.signatures[1].revoked_at == revoked_at


async def test_signature_claiming_a_future_time_is_judged_now(pki, buyer_signed):
    revoked_at = NOW - timedelta(days=1)
    late_claim = await supplier_countersigns(pki, buyer_signed, NOW + timedelta(days=365))
    report = await _verify(pki, late_claim, revocations={pki.supplier.fingerprint: revoked_at})
    assert "REVOKED" in _codes(report)


# --- tampering -------------------------------------------------------------------------------------------------------


def _flip_byte_in_signed_content(data: bytes) -> bytes:
    position = data.index(b"stream", 1000) + 40  # inside the first page's compressed content
    mutated = bytearray(data)
    mutated[position] ^= 0x20
    return bytes(mutated)


def _change_page_in_update(data: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = writer.find_page_for_modification(0)[0].get_object()
    overlay = generic.StreamObject(stream_data=b"q 1 0 0 RG 60 700 200 40 re S Q")
    page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), writer.add_object(overlay)])
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _remove_field_value_in_update(data: bytes, field_name: str) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    for name, _, field_ref in enumerate_sig_fields(writer.prev):
        if name == field_name:
            field = field_ref.get_object()
            del field["/V"]
            writer.update_container(field)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _remove_field_value_in_place(data: bytes) -> bytes:
    # "/V 12 0 R" -> "/X 12 0 R": same length, so the file still parses, but the field is no longer signed
    return re.sub(rb"/V (\d+ 0 R)", rb"/X \1", data, count=0)


def _break_byte_range(data: bytes) -> bytes:
    return re.sub(
        rb"/ByteRange \[[^\]]*\]", lambda match: b"/ByteRange [" + b"x" * (len(match.group()) - 13) + b"]", data
    )


def _corrupt_contents(data: bytes) -> bytes:
    start = data.rindex(b"/Contents <") + len(b"/Contents <")
    return data[:start] + b"00" * 8 + data[start + 16 :]


def _write_into_signature_padding(data: bytes) -> bytes:
    # the last hex digits of /Contents are zero padding, outside the signed byte ranges
    end = data.index(b">", data.rindex(b"/Contents <"))
    return data[: end - 8] + b"deadbeef" + data[end:]


async def test_bytes_written_into_the_signature_padding(pki, countersigned):
    report = await _verify(pki, _write_into_signature_padding(countersigned))
    assert _codes(report) == {"TAMPERED"}
    assert report.problems[0].field_name == "SupplierSignature"
    assert "unused space" in report.problems[0].message


async def test_changed_byte_inside_the_signed_range(pki, countersigned):
    report = await _verify(pki, _flip_byte_in_signed_content(countersigned))
    assert "TAMPERED" in _codes(report)
    assert not report.ok
    assert not report.signatures[0].intact


async def test_bytes_appended_after_the_last_signature(pki, countersigned):
    report = await _verify(pki, countersigned + b"\n% a note added later\n")
    assert _codes(report) == {"CONTENT_AFTER_LAST_SIGNATURE"}
    assert not report.signatures[1].covers_whole_file


async def test_update_changing_page_content_after_signing(pki, countersigned):
    report = await _verify(pki, _change_page_in_update(countersigned))
    assert {"DISALLOWED_MODIFICATION", "CONTENT_AFTER_LAST_SIGNATURE"} <= _codes(report)
    assert not report.ok


async def test_update_removing_the_countersignature(pki, countersigned):
    report = await _verify(pki, _remove_field_value_in_update(countersigned, "SupplierSignature"))
    assert not report.ok
    assert [s.field_name for s in report.signatures] == ["BuyerSignature"]
    assert "CONTENT_AFTER_LAST_SIGNATURE" in _codes(report)


async def test_signature_value_removed_in_place(pki, buyer_signed):
    report = await _verify(pki, _remove_field_value_in_place(buyer_signed))
    assert _codes(report) & {"NO_SIGNATURES", "TAMPERED"}
    assert not report.ok


async def test_broken_byte_range(pki, countersigned):
    report = await _verify(pki, _break_byte_range(countersigned))
    assert _codes(report) & {"TAMPERED", "NOT_A_PDF"}
    assert not report.ok


async def test_corrupted_signature_container(pki, countersigned):
    report = await _verify(pki, _corrupt_contents(countersigned))
    assert "TAMPERED" in _codes(report)
    assert not report.ok


# --- hostile input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "codes"),
    [
        (b"", {"NOT_A_PDF"}),
        (b"\x00" * 5000, {"NOT_A_PDF"}),
        (b"<html>not a pdf</html>", {"NOT_A_PDF"}),
        (b"%PDF-1.7\n" + bytes(range(256)) * 20, {"NOT_A_PDF"}),
    ],
)
async def test_garbage_is_not_a_pdf(pki, data, codes):
    report = await _verify(pki, data)
    assert _codes(report) == codes
    assert report.signatures == ()


async def test_unsigned_pdf_has_no_signatures(pki):
    report = await _verify(pki, two_page_pdf())
    assert _codes(report) == {"NO_SIGNATURES"}


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.9, 0.999])
async def test_truncated_file(pki, countersigned, fraction):
    report = await _verify(pki, countersigned[: int(len(countersigned) * fraction)])
    assert not report.ok
    assert _codes(report) & {"NOT_A_PDF", "TAMPERED", "CONTENT_AFTER_LAST_SIGNATURE", "NO_SIGNATURES"}


async def test_too_large(pki, countersigned):
    report = await _verify(pki, countersigned, max_bytes=len(countersigned) - 1)
    assert _codes(report) == {"TOO_LARGE"}
    assert report.sha256 == hashlib.sha256(countersigned).hexdigest()
    report = await _verify(pki, countersigned, max_bytes=len(countersigned))
    assert report.ok


async def test_random_damage_never_raises_nor_passes(pki, countersigned):
    original = hashlib.sha256(countersigned).hexdigest()

    async def is_issued(sha256: str) -> bool:
        return sha256 == original

    generator = random.Random(20250301)
    for _ in range(40):
        damaged = bytearray(countersigned)
        for _ in range(generator.randint(1, 4)):
            damaged[generator.randrange(len(damaged))] = generator.randrange(256)
        cut = generator.choice([len(damaged), generator.randrange(len(damaged))])
        report = await _verify(pki, bytes(damaged[:cut]), is_issued=is_issued)
        assert isinstance(report, VerificationReport)
        if bytes(damaged[:cut]) != countersigned:
            assert not report.ok
            report.to_text()
            json.dumps(report.to_json())


async def test_a_stream_filter_nobody_knows_is_reported_not_raised(pki, countersigned):
    assert b"/FlateDecode" in countersigned
    damaged = countersigned.replace(b"/FlateDecode", b"/FvateDecode")  # one changed byte in every filter name
    report = await _verify(pki, damaged)
    assert not report.ok and report.problems


async def test_naive_now_refused(pki, countersigned):
    with pytest.raises(ValueError, match="timezone-aware"):
        await _verify(pki, countersigned, now=datetime(2025, 4, 1))


def test_problem_codes_are_stable():
    assert {code.value for code in ProblemCode} == {
        "NOT_A_PDF",
        "TOO_LARGE",
        "NO_SIGNATURES",
        "TAMPERED",
        "CONTENT_AFTER_LAST_SIGNATURE",
        "DISALLOWED_MODIFICATION",
        "UNTRUSTED",
        "TIMESTAMP_UNTRUSTED",
        "CERTIFICATE_EXPIRED",
        "REVOKED",
        "NOT_ISSUED",
    }
