"""PAdES signatures on the portal's PDFs: the buyer signs, the supplier countersigns.

Both signatures are *approval* signatures, each in its own visible field; the supplier's is appended as an incremental
update, so the buyer's keeps covering exactly the revision it signed and both stay valid (pyHanko's difference analysis
classes the update as form filling). The buyer does not certify (DocMDP): after a certification signature, ISO 32000,
Acrobat and pyHanko treat a new *visible* signature field as a disallowed change, which would invalidate the buyer's
signature the moment the supplier countersigns. Verification rejects any later change beyond signing instead.

Signatures are PAdES baseline (ETSI.CAdES.detached, SHA-256) with the chain embedded: B-B without a time-stamping
authority, B-T (an RFC 3161 signature timestamp) with one. Each carries a visible stamp naming the signer's role and
organisation, the signing time and the reason, drawn with a CJK font embedded as a subset of the few glyphs used.
"""

from __future__ import annotations

import functools
import io
import shutil
import string
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uharfbuzz
from asn1crypto import cms, tsp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.attributes import CMSAttributeProvider, SignedAttributeProviderSpec
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper, TimestampRequestError
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from workflows.documents.pki import KeyPair, PrivateKey

__all__ = [
    "DocumentNotSignableError",
    "SignatureFieldError",
    "SigningError",
    "SigningIdentity",
    "StampFontError",
    "TimestampError",
    "countersign_pdf",
    "sign_pdf",
    "timestamper_for",
]

# (page index, x1, y1, x2, y2): lower-left and upper-right corners in PDF points; a negative page counts from the end.
Box = tuple[int, float, float, float, float]

STAMP_WIDTH = 230.0
STAMP_HEIGHT = 78.0
STAMP_MARGIN = 36.0
_MIN_STAMP_SIZE = 40.0
_FONT_SIZE = 9
# A stamp line holds about this many half-width characters (a Chinese character counts two); longer lines are cut,
# the signature dictionary keeps the full text, and pyHanko would otherwise shrink the whole stamp until it fits.
_STAMP_LINE_WIDTH = 46
_CJK_PROBE = "中国签"
_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


class SigningError(Exception):
    """Base class of the errors raised while signing a PDF."""


class DocumentNotSignableError(SigningError):
    """The input cannot take this signature: not a readable PDF, encrypted, already signed or not signed yet."""


class SignatureFieldError(SigningError):
    """The signature field's name or position is unusable."""


class StampFontError(SigningError):
    """The visible stamp cannot be drawn: no CJK font is installed, or the text has a character the font lacks."""


class TimestampError(SigningError):
    """The time-stamping authority could not be reached or gave no usable answer."""


@dataclass(frozen=True)
class SigningIdentity:
    """Who signs: a signing certificate, its private key, and the issuing chain up to the root (all embedded)."""

    certificate: x509.Certificate
    private_key: PrivateKey = field(repr=False)
    chain: tuple[x509.Certificate, ...] = ()

    @classmethod
    def from_key_pair(cls, pair: KeyPair, root: x509.Certificate) -> SigningIdentity:
        """The identity of a certificate issued by the portal's root."""
        return cls(pair.certificate, pair.private_key, (root,))

    def organization_name(self) -> str:
        """The O= of the certificate, else its CN: the name shown in the stamp."""
        for oid in (x509.NameOID.ORGANIZATION_NAME, x509.NameOID.COMMON_NAME):
            attributes = self.certificate.subject.get_attributes_for_oid(oid)
            if attributes:
                return str(attributes[0].value)
        return self.certificate.subject.rfc4514_string()


def timestamper_for(url: str | None) -> TimeStamper | None:
    """The RFC 3161 client for a configured time-stamping authority URL, or None (B-B signatures) when there is none."""
    if not url:
        return None
    return HTTPTimeStamper(url, timeout=10)


async def sign_pdf(
    pdf: bytes,
    identity: SigningIdentity,
    *,
    field_name: str,
    reason: str,
    location: str | None,
    signer_label: str,
    box: Box | None,
    signing_time: datetime,
    timestamper: TimeStamper | None,
) -> bytes:
    """The buyer's signature on an unsigned PDF, as an incremental update that leaves the original bytes untouched.

    The visible stamp is headed by `signer_label` (the signer's role, e.g. "采购方 Buyer"), then shows the organisation
    named in the certificate, `signing_time` (which is also the signature's /M) and `reason`. `box` places it; None
    puts it at the bottom left of the last page. With a `timestamper` the signature
    gets an RFC 3161 timestamp (PAdES B-T). Raises DocumentNotSignableError for a file that is not a PDF or is already
    signed, SignatureFieldError for a bad field name or box, TimestampError when the TSA fails.
    """
    return await _sign(
        pdf,
        identity,
        field_name=field_name,
        reason=reason,
        location=location,
        signer_label=signer_label,
        box=box,
        signing_time=signing_time,
        timestamper=timestamper,
        countersignature=False,
    )


async def countersign_pdf(
    pdf_signed_by_buyer: bytes,
    identity: SigningIdentity,
    *,
    field_name: str,
    reason: str,
    location: str | None,
    signer_label: str,
    box: Box | None,
    signing_time: datetime,
    timestamper: TimeStamper | None,
) -> bytes:
    """The supplier's approval signature, in a new field appended as an incremental update to a signed PDF.

    The earlier signatures keep covering exactly the revisions they signed and stay valid. None for `box` puts the
    stamp at the bottom right of the last page. Raises DocumentNotSignableError when the file carries no signature yet
    or its certification forbids any change, and the errors of `sign_pdf` otherwise.
    """
    return await _sign(
        pdf_signed_by_buyer,
        identity,
        field_name=field_name,
        reason=reason,
        location=location,
        signer_label=signer_label,
        box=box,
        signing_time=signing_time,
        timestamper=timestamper,
        countersignature=True,
    )


async def _sign(
    pdf: bytes,
    identity: SigningIdentity,
    *,
    field_name: str,
    reason: str,
    location: str | None,
    signer_label: str,
    box: Box | None,
    signing_time: datetime,
    timestamper: TimeStamper | None,
    countersignature: bool,
) -> bytes:
    if signing_time.tzinfo is None:
        raise ValueError("signing_time must be timezone-aware")
    signing_time = signing_time.astimezone(UTC)
    if not field_name or "." in field_name or len(field_name) > 100:
        # pyHanko reads dots as a path in the field hierarchy
        raise SignatureFieldError(f"unusable signature field name {field_name!r}")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError, TypeError) as error:
        raise DocumentNotSignableError(f"not a readable PDF: {error}") from None
    if writer.prev.encrypted:
        raise DocumentNotSignableError("encrypted PDFs are not signed")
    existing = _signature_field_names(writer)
    if field_name in existing:
        raise SignatureFieldError(f"the document already has a signature field named {field_name!r}")
    filled = [name for name, is_filled in existing.items() if is_filled]
    if countersignature and not filled:
        raise DocumentNotSignableError("the document carries no signature to countersign")
    if not countersignature and filled:
        raise DocumentNotSignableError("the document is already signed; add further signatures with countersign_pdf")

    page, rectangle = _placement(writer, box, right_side=countersignature)
    organisation = identity.organization_name()
    stamp_text = "\n".join(
        _stamp_line(line)
        for line in (
            signer_label,
            organisation,
            f"签署时间 Signed: {signing_time:%Y-%m-%d %H:%M:%S} UTC",
            f"事由 Reason: {reason}" if reason else "",
        )
        if line
    )
    stamp_style = TextStampStyle(
        # the text is final: pyHanko %-formats it, so a literal % is doubled
        stamp_text=stamp_text.replace("%", "%%"),
        text_box_style=TextBoxStyle(
            font=_SubsetFontFactory(_stamp_font_subset(stamp_text)), font_size=_FONT_SIZE, leading=_FONT_SIZE + 4
        ),
        border_width=1,
        border_color=(0.75, 0.1, 0.1),
        background=None,
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(left=6, right=6, top=4, bottom=4),
        ),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason or None,
        location=location or None,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=_pyhanko_signer(identity),
        timestamper=timestamper,
        stamp_style=stamp_style,
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=rectangle),
    )
    try:
        return await _run_signer(pdf_signer, writer, signing_time)
    except TimestampRequestError as error:
        raise TimestampError(f"the time-stamping authority failed: {error}") from error
    except PyHankoSigningError as error:
        raise DocumentNotSignableError(f"pyHanko refused to sign: {error}") from error
    except PdfError as error:
        raise DocumentNotSignableError(f"the PDF could not be processed: {error}") from error


def _stamp_line(text: str) -> str:
    line = " ".join(text.split())  # a newline in a name or reason must not add stamp lines
    if sum(map(_char_width, line)) <= _STAMP_LINE_WIDTH:
        return line
    kept, width = [], 2  # the ellipsis is as wide as a Chinese character in a CJK font
    for char in line:
        width += _char_width(char)
        if width > _STAMP_LINE_WIDTH:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


async def _run_signer(pdf_signer: signers.PdfSigner, writer: IncrementalPdfFileWriter, signing_time: datetime) -> bytes:
    # PdfSigner.async_sign_pdf reads the system clock for /M and the stamp; these are its documented steps, with the
    # session's time set to the signing time passed in.
    session = pdf_signer.init_signing_session(writer)
    session.system_time = signing_time
    validation_info = await session.perform_presign_validation(writer)
    if session.timestamper is None:
        bytes_reserved = _reservation_without_timestamp(pdf_signer.signer)
    else:
        # the token's size depends on the authority: pyHanko measures it with a trial request
        bytes_reserved = await session.estimate_signature_container_size(validation_info, tight=False)
    tbs_document = session.prepare_tbs_document(validation_info=validation_info, bytes_reserved=bytes_reserved)
    prepared_digest, output = tbs_document.digest_tbs_document()
    post_signing = await tbs_document.perform_signature(
        document_digest=prepared_digest.document_digest,
        pdf_cms_signed_attrs=PdfCMSSignedAttributes(
            signing_time=signing_time,
            cades_signed_attrs=pdf_signer.signature_meta.cades_signed_attr_spec,
        ),
    )
    await post_signing.post_signature_processing(output)
    output.seek(0)
    return output.read()


def _reservation_without_timestamp(signer: signers.Signer) -> int:
    """Hex digits to reserve for a CMS container without a timestamp token: the embedded certificates plus a generous
    allowance for the signed attributes and the signature. Saves pyHanko's trial signature, a third of the signing time.
    """
    certificates = sum(len(certificate.dump()) for certificate in signer.cert_registry)
    return 2 * (certificates + 4096)


def _pyhanko_signer(identity: SigningIdentity) -> _PortalSigner:
    certificate = _asn1_certificate(identity.certificate.public_bytes(serialization.Encoding.DER))
    chain = [_asn1_certificate(cert.public_bytes(serialization.Encoding.DER)) for cert in identity.chain]
    key = asn1_keys.PrivateKeyInfo.load(
        identity.private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return _PortalSigner(certificate, key, chain)


class _PortalSigner(signers.SimpleSigner):
    """pyHanko's in-memory signer, with its signed attributes frozen into their encoding once built.

    asn1crypto encodes a structure that it built (rather than parsed) afresh each time its encoding is asked for, and
    encoding a parent asks for each child's twice: the signed attributes, nested eight deep, were encoded thousands of
    times per signature, half of its CPU. Parsed back from their encoding, they are encoded once. The
    signing-certificate-v2 attribute is the same for every signature of a certificate: it is built once per process
    (`_signing_certificate_v2`). The CMS container is encoded exactly as pyHanko's own signer encodes it.
    """

    def __init__(self, certificate: asn1_x509.Certificate, key: asn1_keys.PrivateKeyInfo,
                 chain: list[asn1_x509.Certificate]) -> None:
        super().__init__(
            signing_cert=certificate,
            signing_key=key,
            cert_registry=SimpleCertificateStore.from_certs([certificate, *chain]),
            embed_roots=True,
        )
        self.signed_attr_prov_spec = _PadesSignedAttributes(certificate.dump())

    async def signed_attrs(self, *args: Any, **kwargs: Any) -> cms.CMSAttributes:
        attributes = await super().signed_attrs(*args, **kwargs)
        return cms.CMSAttributes.load(attributes.dump())


@dataclass(frozen=True)
class _PadesSignedAttributes(SignedAttributeProviderSpec):
    """The signed attributes a PAdES baseline signature adds to content-type and message-digest (which pyHanko adds
    itself): signing-certificate-v2, as pyHanko's CAdES attribute spec makes it. No signing-time, which PAdES forbids
    (the time is the signature's /M), and no other CAdES attribute: the portal configures none."""

    certificate_der: bytes

    def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str) -> Iterator[CMSAttributeProvider]:
        yield _SigningCertificateV2(_signing_certificate_v2(self.certificate_der))


class _SigningCertificateV2(CMSAttributeProvider):
    """Provides a signing-certificate-v2 value built beforehand."""

    attribute_type = "signing_certificate_v2"

    def __init__(self, value: tsp.SigningCertificateV2) -> None:
        self.value = value

    async def build_attr_value(self, dry_run: bool = False) -> tsp.SigningCertificateV2:
        return self.value


@functools.lru_cache(maxsize=64)
def _signing_certificate_v2(certificate_der: bytes) -> tsp.SigningCertificateV2:
    """The signing-certificate-v2 value (SHA-256) of a certificate, as parsed bytes (see `_PortalSigner`)."""
    return tsp.SigningCertificateV2.load(as_signing_certificate_v2(_asn1_certificate(certificate_der)).dump())


@functools.lru_cache(maxsize=64)
def _asn1_certificate(der: bytes) -> asn1_x509.Certificate:
    # Parsed once per process: reading a certificate's names and extensions again for every signature cost a
    # millisecond.
    return asn1_x509.Certificate.load(der)


def _signature_field_names(writer: IncrementalPdfFileWriter) -> dict[str, bool]:
    """Name -> filled, for every signature field of the document."""
    try:
        return {name: value is not None for name, value, _ in fields.enumerate_sig_fields(writer.prev)}
    except (PdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise DocumentNotSignableError(f"the PDF's form is unreadable: {error}") from None


def _placement(
    writer: IncrementalPdfFileWriter, box: Box | None, *, right_side: bool
) -> tuple[int, tuple[float, float, float, float]]:
    """Page index and rectangle of the stamp, checked against the page."""
    try:
        page_count = int(writer.prev.root["/Pages"]["/Count"])
    except (PdfError, KeyError, TypeError, ValueError) as error:
        raise DocumentNotSignableError(f"the PDF has no readable page tree: {error}") from None
    if page_count < 1:
        raise DocumentNotSignableError("the PDF has no page")
    page = box[0] if box is not None else -1
    if not -page_count <= page < page_count:
        raise SignatureFieldError(f"page {page} does not exist; the document has {page_count} pages")
    page %= page_count
    media_box = _media_box(writer, page)
    left, bottom, right, top = media_box
    if box is None:
        x1 = right - STAMP_MARGIN - STAMP_WIDTH if right_side else left + STAMP_MARGIN
        y1 = bottom + STAMP_MARGIN
        return page, (x1, y1, x1 + STAMP_WIDTH, y1 + STAMP_HEIGHT)
    _, x1, y1, x2, y2 = box
    if x2 - x1 < _MIN_STAMP_SIZE or y2 - y1 < _MIN_STAMP_SIZE:
        raise SignatureFieldError(f"the stamp box must be at least {_MIN_STAMP_SIZE:g} points each way")
    if x1 < left or y1 < bottom or x2 > right or y2 > top:
        raise SignatureFieldError(f"the stamp box {box[1:]} lies outside the page {tuple(media_box)}")
    return page, (x1, y1, x2, y2)


def _media_box(writer: IncrementalPdfFileWriter, page: int) -> tuple[float, float, float, float]:
    try:
        node = writer.prev.find_page_for_modification(page)[0].get_object()
        while "/MediaBox" not in node and "/Parent" in node:  # inheritable attribute
            node = node["/Parent"].get_object()
        values = [float(value) for value in node["/MediaBox"]]
    except (PdfError, KeyError, TypeError, ValueError, IndexError) as error:
        raise DocumentNotSignableError(f"page {page} has no readable size: {error}") from None
    x1, y1, x2, y2 = values
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


@dataclass(frozen=True)
class _CjkFont:
    path: Path
    index: int
    face: uharfbuzz.Face = field(repr=False)
    font: uharfbuzz.Font = field(repr=False)

    def draws(self, char: str) -> bool:
        return self.font.get_nominal_glyph(ord(char)) is not None


@functools.cache
def _cjk_font() -> _CjkFont:
    """The installed CJK font (Noto Sans CJK SC by preference), loaded once per process."""
    for path, index in _font_locations():
        try:
            face = uharfbuzz.Face(uharfbuzz.Blob(path.read_bytes()), index)
        except (OSError, ValueError):
            continue
        font = _CjkFont(path, index, face, uharfbuzz.Font(face))
        if all(font.draws(char) for char in _CJK_PROBE):
            return font
    raise StampFontError(
        "no font that can draw Chinese is installed (looked for Noto Sans CJK SC); install fonts-noto-cjk"
    )


def _font_locations() -> list[tuple[Path, int]]:
    locations: list[tuple[Path, int]] = []
    if shutil.which("fc-match"):
        try:
            found = subprocess.run(
                ["fc-match", "-f", "%{file}\n%{index}", "Noto Sans CJK SC:lang=zh-cn"],
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            ).stdout.split("\n")
            locations.append((Path(found[0]), int(found[1])))
        except (OSError, subprocess.SubprocessError, IndexError, ValueError):
            pass  # fall back to the well-known paths below
    # In Noto's collections the Simplified Chinese face is number 2.
    locations.extend((Path(path), 2 if "Noto" in path else 0) for path in _FONT_CANDIDATES)
    return locations


# Layout tables only serve shaping features a stamp does not use (ligatures, vertical forms, kerning).
_DROPPED_FONT_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "VORG", "vhea", "vmtx", "DSIG")


def _stamp_font_subset(text: str) -> bytes:
    """An OpenType font holding only the glyphs of `text` and the ten digits, cut from the CJK font.

    HarfBuzz cuts the 65,535-glyph face in milliseconds (fontTools needs most of a second), and pyHanko embeds the
    result as it is (see `_PresubsetGlyphAccumulator`). With the digits always in, one signer's stamps on documents of
    one kind differ only in digits (the time, the document number) and take the same font, cut once per process.
    Raises StampFontError when a character has no glyph, rather than drawing it as an empty box.
    """
    font = _cjk_font()
    characters = frozenset(text + string.digits) - {"\n"}
    missing = sorted(char for char in characters if not font.draws(char))
    if missing:
        raise StampFontError(f"the stamp font {font.path.name} cannot draw {''.join(missing)!r}")
    return _font_subset(font, characters)


@functools.lru_cache(maxsize=64)
def _font_subset(font: _CjkFont, characters: frozenset[str]) -> bytes:
    subset_input = uharfbuzz.SubsetInput()
    for char in characters:
        subset_input.unicode_set.add(ord(char))
    for tag in _DROPPED_FONT_TABLES:
        subset_input.drop_table_tag_set.add(int.from_bytes(tag.encode("ascii"), "big"))
    # Plain charstrings: fontTools then interprets no subroutines when pyHanko embeds the font.
    subset_input.flags = uharfbuzz.SubsetFlags.DESUBROUTINIZE | uharfbuzz.SubsetFlags.NO_HINTING
    return uharfbuzz.subset(font.face, subset_input).blob.data


class _PresubsetGlyphAccumulator(GlyphAccumulator):
    """pyHanko's glyph accumulator for a font HarfBuzz has already cut down to exactly the stamp's characters.

    pyHanko would subset it again with fontTools and recompute the bounding box from every outline, which costs more
    than the rest of the signature; for a font of the stamp's glyphs only, neither changes anything.
    """

    def __init__(self, writer: BasePdfFileWriter, font: bytes, obj_stream: generic.StreamObject | None) -> None:
        super().__init__(writer=writer, font_handle=io.BytesIO(font), font_size=_FONT_SIZE, obj_stream=obj_stream)
        self.tt.recalcBBoxes = False

    def _extract_subset(self, options=None) -> None:
        pass


@dataclass(frozen=True)
class _SubsetFontFactory(FontEngineFactory):
    """pyHanko font engine factory over font bytes in memory (its own factory reopens a font file each time)."""

    font: bytes = field(repr=False)

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: generic.StreamObject | None = None):
        return _PresubsetGlyphAccumulator(writer, self.font, obj_stream)
