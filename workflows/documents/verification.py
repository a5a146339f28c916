"""Verify a signed PDF: every signature intact, valid and made by a certificate of the portal's root, nothing changed
after the last signature beyond what signing allows, no certificate revoked or expired when it signed, and (when asked)
the exact file the portal issued.

The time a signature was made is its RFC 3161 timestamp when it has one, else the time the signer claims; certificates
are checked at that moment, so a signature made before its certificate was revoked or expired stays good. Hostile input
never raises: garbage, truncated files and broken signature dictionaries come back as a report with problems.
"""

from __future__ import annotations

import enum
import hashlib
import io
import logging
import struct
import zlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import cms as asn1_cms
from asn1crypto import parser as asn1_parser
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel, SuspiciousModification
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.general import CMSExtractionError, CMSStructuralError, find_cms_attribute_iter
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathError, ValidationError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Problem",
    "ProblemCode",
    "SignatureReport",
    "VerificationReport",
    "verify_pdf",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# What pyHanko and asn1crypto raise on a malformed file or signature (pyHanko asserts object types, and reaches into
# objects that a hostile file can replace by the wrong type, and refuses a stream filter it does not know with
# NotImplementedError); anything else is a bug and propagates.
_MALFORMED = (
    PdfError,
    NotImplementedError,
    CMSExtractionError,
    CMSStructuralError,
    SignatureValidationError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    AssertionError,
    struct.error,
    zlib.error,
    RecursionError,
)
# A stamp, or a signature, is all a countersignature may add to the revision the previous signer signed.
_ALLOWED_LATER_CHANGES = ModificationLevel.FORM_FILLING


class _ReportedInstead(logging.Filter):
    """Drops pyHanko's warning, with a traceback, for each certificate it cannot trust or validate.

    Those are outcomes of verification, not faults: the report states each one (UNTRUSTED, EXPIRED, REVOKED…), and a
    traceback on stderr for every foreign file would bury `portal verify`'s report and fill the server's log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, PathError | ValidationError)


logging.getLogger("pyhanko.sign.validation.generic_cms").addFilter(_ReportedInstead())


class ProblemCode(enum.StrEnum):
    """Stable codes of what is wrong with a file."""

    NOT_A_PDF = "NOT_A_PDF"  # unreadable, truncated or encrypted
    TOO_LARGE = "TOO_LARGE"  # over max_bytes; nothing else was checked
    NO_SIGNATURES = "NO_SIGNATURES"
    TAMPERED = "TAMPERED"  # signed bytes changed, or a signature that cannot be read
    CONTENT_AFTER_LAST_SIGNATURE = "CONTENT_AFTER_LAST_SIGNATURE"  # bytes or an update after the last signature
    DISALLOWED_MODIFICATION = "DISALLOWED_MODIFICATION"  # a later revision changed more than signing may
    UNTRUSTED = "UNTRUSTED"  # the signing certificate does not chain to a trusted root
    TIMESTAMP_UNTRUSTED = "TIMESTAMP_UNTRUSTED"  # a timestamp token that is broken or from an untrusted authority
    CERTIFICATE_EXPIRED = "CERTIFICATE_EXPIRED"  # signed after the certificate's validity ended
    REVOKED = "REVOKED"  # signed at or after the certificate's revocation
    NOT_ISSUED = "NOT_ISSUED"  # the portal has no record of this exact file


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file; `field_name` names the signature concerned, if any."""

    code: ProblemCode
    message: str
    field_name: str | None = None

    def to_json(self) -> dict:
        return {"code": self.code.value, "message": self.message, "field_name": self.field_name}


@dataclass(frozen=True)
class SignatureReport:
    """What one signature proves. Times are UTC; `signing_time` is the signer's claim, `timestamp_time` the TSA's."""

    field_name: str
    organization: str | None
    common_name: str | None
    certificate_fingerprint: str | None
    signing_time: datetime | None
    timestamp_time: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    coverage: str | None
    covers_whole_file: bool
    certification: bool
    modification_level: str | None
    revoked_at: datetime | None

    def to_json(self) -> dict:
        return {
            "field_name": self.field_name,
            "organization": self.organization,
            "common_name": self.common_name,
            "certificate_fingerprint": self.certificate_fingerprint,
            "signing_time": _iso(self.signing_time),
            "timestamp_time": _iso(self.timestamp_time),
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "coverage": self.coverage,
            "covers_whole_file": self.covers_whole_file,
            "certification": self.certification,
            "modification_level": self.modification_level,
            "revoked_at": _iso(self.revoked_at),
        }


@dataclass(frozen=True)
class VerificationReport:
    """The verdict on one file. `ok` holds exactly when there is no problem."""

    sha256: str
    size: int
    issued: bool | None
    signatures: tuple[SignatureReport, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def codes(self) -> frozenset[ProblemCode]:
        return frozenset(problem.code for problem in self.problems)

    def to_json(self) -> dict:
        """A JSON-serialisable dictionary of the whole report."""
        return {
            "ok": self.ok,
            "sha256": self.sha256,
            "size": self.size,
            "issued": self.issued,
            "signatures": [signature.to_json() for signature in self.signatures],
            "problems": [problem.to_json() for problem in self.problems],
        }

    def to_text(self) -> str:
        """A readable report in English; names are shown as they are in the certificates."""
        lines = [
            f"Verification: {'OK' if self.ok else 'FAILED'}",
            f"File: {self.size:,} bytes, sha256 {self.sha256}",
            f"Issued by the portal: {_yes_no(self.issued)}",
        ]
        for number, signature in enumerate(self.signatures, start=1):
            signer = signature.organization or signature.common_name or "unknown"
            if signature.common_name and signature.common_name != signature.organization:
                signer += f" ({signature.common_name})"
            lines += [
                "",
                f"Signature {number} of {len(self.signatures)}: {signature.field_name}"
                + (" (certification)" if signature.certification else ""),
                f"  Signer: {signer}",
                f"  Certificate: sha256 {signature.certificate_fingerprint or 'unknown'}",
                f"  Signing time (claimed): {_human(signature.signing_time)}",
                f"  Timestamp: {_human(signature.timestamp_time)}",
                f"  Intact: {_yes_no(signature.intact)}; valid: {_yes_no(signature.valid)}; "
                f"trusted: {_yes_no(signature.trusted)}",
                f"  Coverage: {(signature.coverage or 'unknown').replace('_', ' ').lower()}"
                + (
                    f"; later changes: {signature.modification_level.replace('_', ' ').lower()}"
                    if signature.modification_level
                    else ""
                ),
                f"  Revoked: {'since ' + _human(signature.revoked_at) if signature.revoked_at else 'no'}",
            ]
        lines += ["", "Problems:" if self.problems else "Problems: none"]
        lines += [
            f"  - {problem.code.value}{f' [{problem.field_name}]' if problem.field_name else ''}: {problem.message}"
            for problem in self.problems
        ]
        return "\n".join(lines)


async def verify_pdf(
    data: bytes,
    *,
    trust_roots: Sequence[x509.Certificate],
    revocations: Mapping[str, datetime],
    is_issued: Callable[[str], Awaitable[bool]] | None,
    now: datetime,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timestamp_trust_roots: Sequence[x509.Certificate] = (),
) -> VerificationReport:
    """Verify every signature of a PDF and say whether the file as a whole can be relied on.

    `trust_roots` are the roots signing certificates must chain to (the portal's); `timestamp_trust_roots` those of the
    time-stamping authorities. `revocations` maps a certificate's sha256 fingerprint to the moment it was revoked.
    `is_issued`, given the file's sha256 hex, says whether the portal issued exactly this file. Never raises on
    malformed or hostile input; the report's `problems` say what is wrong.
    """
    if now.tzinfo is None or any(moment.tzinfo is None for moment in revocations.values()):
        raise ValueError("now and revocation times must be timezone-aware")
    now = now.astimezone(UTC)
    digest = hashlib.sha256(data).hexdigest()
    if len(data) > max_bytes:
        too_large = f"the file has {len(data):,} bytes; at most {max_bytes:,} are accepted"
        return VerificationReport(digest, len(data), None, (), (Problem(ProblemCode.TOO_LARGE, too_large),))
    issued = None if is_issued is None else bool(await is_issued(digest))
    signatures, problems = await _check_signatures(
        data,
        trust_roots=[_asn1_certificate(root) for root in trust_roots],
        timestamp_roots=[_asn1_certificate(root) for root in timestamp_trust_roots],
        revocations={fingerprint.lower(): moment for fingerprint, moment in revocations.items()},
        now=now,
    )
    if issued is False:
        problems.append(Problem(ProblemCode.NOT_ISSUED, "the portal did not issue this exact file"))
    return VerificationReport(digest, len(data), issued, tuple(signatures), tuple(problems))


async def _check_signatures(
    data: bytes,
    *,
    trust_roots: list[asn1_x509.Certificate],
    timestamp_roots: list[asn1_x509.Certificate],
    revocations: Mapping[str, datetime],
    now: datetime,
) -> tuple[list[SignatureReport], list[Problem]]:
    if b"%PDF-" not in data[:1024]:  # readers accept a header anywhere in the first kilobyte
        return [], [Problem(ProblemCode.NOT_A_PDF, "the file does not start like a PDF")]
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            return [], [Problem(ProblemCode.NOT_A_PDF, "the PDF is encrypted; the portal never issues encrypted files")]
        filled_fields = list(enumerate_sig_fields(reader, filled_status=True))
    except _MALFORMED as error:
        return [], [_malformed(error)]
    if not filled_fields:
        return [], [Problem(ProblemCode.NO_SIGNATURES, "the file carries no signature")]

    readable: list[EmbeddedPdfSignature] = []
    unreadable: list[tuple[SignatureReport, Problem]] = []
    for name, _, field_ref in filled_fields:
        try:
            readable.append(EmbeddedPdfSignature(reader, field_ref, name))
        except _MALFORMED as error:
            # one broken signature dictionary or container must not hide what the others say
            unreadable.append((_unreadable_signature(str(name)), _malformed(error, str(name))))
    reports: list[SignatureReport] = []
    problems: list[Problem] = []
    readable.sort(key=lambda signature: signature.signed_revision)
    for position, signature in enumerate(readable):
        report, signature_problems = await _check_signature(
            signature,
            # with an unreadable signature somewhere, which one came last is unknown (and the file fails anyway)
            is_last=position == len(readable) - 1 and not unreadable,
            trust_roots=trust_roots,
            timestamp_roots=timestamp_roots,
            revocations=revocations,
            now=now,
        )
        reports.append(report)
        problems.extend(signature_problems)
    reports += [report for report, _ in unreadable]
    problems += [problem for _, problem in unreadable]
    return reports, problems


async def _check_signature(
    signature: EmbeddedPdfSignature,
    *,
    is_last: bool,
    trust_roots: list[asn1_x509.Certificate],
    timestamp_roots: list[asn1_x509.Certificate],
    revocations: Mapping[str, datetime],
    now: datetime,
) -> tuple[SignatureReport, list[Problem]]:
    name = _field_name(signature)
    try:
        certificate = signature.signer_cert
        claimed = _utc(signature.self_reported_timestamp)
        stamped = _timestamp_claim(signature)
        # Certificates are judged at the moment of signing; a claim from the future is judged now.
        moment = min(stamped or claimed or now, now)
        status = await async_validate_pdf_signature(
            signature,
            signer_validation_context=_context(trust_roots, moment),
            ts_validation_context=_context(timestamp_roots, stamped or now),
        )
        padding_altered = _padding_altered(signature.pkcs7_content)
    except _MALFORMED as error:
        return _unreadable_signature(name), [_malformed(error, name)]

    fingerprint = hashlib.sha256(certificate.dump()).hexdigest()
    subject = certificate.subject.native
    timestamp = status.timestamp_validity
    timestamp_time = _utc(timestamp.timestamp) if timestamp is not None else None
    revoked_at = revocations.get(fingerprint)
    problems: list[Problem] = []

    def problem(code: ProblemCode, message: str) -> None:
        problems.append(Problem(code, message, name))

    if not status.intact:
        problem(ProblemCode.TAMPERED, "the signed bytes were changed after signing")
    elif padding_altered:
        problem(ProblemCode.TAMPERED, "bytes were written into the unused space of the signature container")
    elif not status.valid:
        problem(ProblemCode.TAMPERED, "the signature value does not match the signed bytes")
    if status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        if is_last and status.coverage == SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START:
            problem(ProblemCode.CONTENT_AFTER_LAST_SIGNATURE, "bytes were added after the last signature")
        else:
            problem(ProblemCode.TAMPERED, "the signature does not cover the whole revision it belongs to")
    elif is_last and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problem(ProblemCode.CONTENT_AFTER_LAST_SIGNATURE, "the file was updated after the last signature")
    if _modified_beyond_signing(status):
        problem(
            ProblemCode.DISALLOWED_MODIFICATION,
            "the document was changed after this signature in a way signing does not allow",
        )
    if timestamp is not None and not (timestamp.intact and timestamp.valid and timestamp.trusted):
        problem(ProblemCode.TIMESTAMP_UNTRUSTED, "the timestamp is broken or not by a trusted time-stamping authority")
    signed_at = timestamp_time if timestamp is not None and timestamp.trusted else (claimed or moment)
    expired = certificate.not_valid_after < signed_at
    if expired:
        problem(
            ProblemCode.CERTIFICATE_EXPIRED,
            f"the certificate expired at {_human(certificate.not_valid_after)}, before the signature "
            f"({_human(signed_at)})",
        )
    if status.intact and status.valid and not status.trusted and not expired:
        problem(ProblemCode.UNTRUSTED, _distrust_reason(certificate, trust_roots, signed_at))
    if revoked_at is not None and signed_at >= revoked_at:
        problem(ProblemCode.REVOKED, f"the certificate was revoked at {_human(revoked_at)}, before this signature")

    report = SignatureReport(
        field_name=name,
        organization=_name_part(subject, "organization_name"),
        common_name=_name_part(subject, "common_name"),
        certificate_fingerprint=fingerprint,
        signing_time=claimed,
        timestamp_time=timestamp_time,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        coverage=status.coverage.name if status.coverage is not None else None,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        certification=signature.docmdp_level is not None,
        modification_level=status.modification_level.name if status.modification_level is not None else None,
        revoked_at=revoked_at,
    )
    return report, problems


def _padding_altered(contents: bytes) -> bool:
    """Whether the zero padding after the signature container was overwritten.

    The /Contents hole is the one part of a signed file no signature covers, and readers ignore what follows the
    container; the portal writes only zeros there, so anything else was put there later.
    """
    _, _, _, header, body, trailer = asn1_parser.parse(contents)
    return bool(contents[len(header) + len(body) + len(trailer) :].strip(b"\x00"))


def _modified_beyond_signing(status: PdfSignatureStatus) -> bool:
    if isinstance(status.diff_result, SuspiciousModification) or status.docmdp_ok is False:
        return True
    level = status.modification_level
    return level is not None and level > _ALLOWED_LATER_CHANGES


def _distrust_reason(certificate: asn1_x509.Certificate, roots: list[asn1_x509.Certificate], moment: datetime) -> str:
    if certificate.not_valid_before > moment:
        return f"the certificate was not yet valid when signing ({_human(moment)})"
    issued_by_root = any(_issued_by(certificate, root) for root in roots)
    if not issued_by_root:
        return "the certificate was not issued by the portal's root certificate"
    return "the certificate's chain to the portal's root does not validate"


def _issued_by(certificate: asn1_x509.Certificate, root: asn1_x509.Certificate) -> bool:
    child = x509.load_der_x509_certificate(certificate.dump())
    try:
        child.verify_directly_issued_by(x509.load_der_x509_certificate(root.dump()))
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _context(roots: list[asn1_x509.Certificate], moment: datetime) -> ValidationContext:
    # Nothing is fetched: the portal's root signs everything and revocations come from the portal's own records.
    return ValidationContext(trust_roots=list(roots), allow_fetching=False, moment=moment, revocation_mode="soft-fail")


def _timestamp_claim(signature: EmbeddedPdfSignature) -> datetime | None:
    """The time in the signature's timestamp token, read before the token is checked (pyHanko checks it later)."""
    unsigned = signature.signer_info["unsigned_attrs"]
    for token in find_cms_attribute_iter(unsigned, "signature_time_stamp_token"):
        content = token["content"]["encap_content_info"]["content"]
        if isinstance(content, asn1_cms.ParsableOctetString):
            return _utc(content.parsed["gen_time"].native)
    return None


def _field_name(signature: EmbeddedPdfSignature) -> str:
    try:
        return str(signature.field_name)
    except _MALFORMED:
        return "?"


def _unreadable_signature(name: str) -> SignatureReport:
    return SignatureReport(
        field_name=name,
        organization=None,
        common_name=None,
        certificate_fingerprint=None,
        signing_time=None,
        timestamp_time=None,
        intact=False,
        valid=False,
        trusted=False,
        coverage=None,
        covers_whole_file=False,
        certification=False,
        modification_level=None,
        revoked_at=None,
    )


def _malformed(error: BaseException, field_name: str | None = None) -> Problem:
    detail = str(error) or type(error).__name__
    if field_name is None:
        return Problem(ProblemCode.NOT_A_PDF, f"the file is not a readable PDF: {detail}")
    return Problem(ProblemCode.TAMPERED, f"the signature cannot be read: {detail}", field_name)


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _name_part(subject: dict, key: str) -> str | None:
    value = subject.get(key)
    if isinstance(value, list):  # a multi-valued attribute: show the first
        value = value[0] if value else None
    return str(value) if value is not None else None


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _human(moment: datetime | None) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if moment is not None else "none"


def _yes_no(value: bool | None) -> str:
    return "not checked" if value is None else ("yes" if value else "no")
