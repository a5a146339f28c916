"""The portal's own certificate authority, and the master key that keeps its private keys.

One root certificate signs every organisation's signing certificate (the buyer's and one per supplier). Private keys are
never stored in the clear: `seal_private_key` encrypts them with AES-256-GCM under the master key, which comes from the
environment (`PORTAL_MASTER_KEY`) or a key file (`PORTAL_MASTER_KEY_FILE`), never from the database, so a copy of the
database alone signs nothing.

Keys are ECDSA P-256 with SHA-256: signing and verifying cost well under a millisecond, and pyHanko, poppler's
`pdfsig` (NSS) and Acrobat all accept them. The current time is always passed in.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import hashlib
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

MASTER_KEY_ENV = "PORTAL_MASTER_KEY"
MASTER_KEY_FILE_ENV = "PORTAL_MASTER_KEY_FILE"
MASTER_KEY_BYTES = 32

# RFC 9336 id-kp-documentSigning. The EKU also lists e-mail protection because NSS (poppler's pdfsig, Firefox,
# LibreOffice) checks document signatures under its "e-mail signer" usage, which refuses an EKU without it.
DOCUMENT_SIGNING_EKU = ObjectIdentifier("1.3.6.1.5.5.7.3.36")

_SEAL_VERSION = b"\x01"
_NONCE_BYTES = 12
_ORGANIZATION_CODE = re.compile(r"[A-Za-z0-9-]{1,64}")

PrivateKey = ec.EllipticCurvePrivateKey


class PkiError(Exception):
    """Base class of the errors raised by the portal's certificate authority."""


class MasterKeyError(PkiError):
    """The master key is missing, malformed, or does not open a sealed private key."""


class CertificateRequestError(PkiError, ValueError):
    """A certificate was requested with fields that cannot go into a certificate."""


@dataclass(frozen=True)
class MasterKey:
    """32 secret bytes that encrypt the portal's private keys. Its repr never shows the bytes."""

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.secret) != MASTER_KEY_BYTES:
            raise MasterKeyError(f"the master key must be {MASTER_KEY_BYTES} bytes, got {len(self.secret)}")

    @classmethod
    def generate(cls) -> MasterKey:
        """A new random master key."""
        return cls(secrets.token_bytes(MASTER_KEY_BYTES))

    @classmethod
    def from_text(cls, text: str) -> MasterKey:
        """Parse the URL-safe base64 text of 32 bytes (as written by `to_text`); surrounding whitespace is ignored.

        Raises MasterKeyError saying whether the text is not base64 or decodes to the wrong number of bytes.
        """
        stripped = text.strip()
        if not stripped:
            raise MasterKeyError("the master key is empty")
        padded = stripped + "=" * (-len(stripped) % 4)
        try:
            secret = base64.b64decode(padded, altchars=b"-_", validate=True)
        except (binascii.Error, ValueError) as error:
            raise MasterKeyError(f"the master key is not URL-safe base64 ({error})") from None
        if len(secret) != MASTER_KEY_BYTES:
            raise MasterKeyError(
                f"the master key has the wrong length: it decodes to {len(secret)} bytes, {MASTER_KEY_BYTES} are needed"
            )
        return cls(secret)

    def to_text(self) -> str:
        """URL-safe base64 text of the key, for PORTAL_MASTER_KEY or a key file."""
        return base64.urlsafe_b64encode(self.secret).decode("ascii")


def load_master_key(value: str | None, file: Path | None) -> MasterKey:
    """The master key from the environment value, else from the key file.

    The value wins when both are given. Errors name the variable (and the file's path) that was wrong; neither given
    raises MasterKeyError saying what to set.
    """
    if value is not None and value.strip():
        try:
            return MasterKey.from_text(value)
        except MasterKeyError as error:
            raise MasterKeyError(f"{MASTER_KEY_ENV} is not a valid master key: {error}") from None
    if file is not None:
        try:
            text = Path(file).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as error:
            raise MasterKeyError(f"{MASTER_KEY_FILE_ENV}: cannot read the key file {file}: {error}") from None
        try:
            return MasterKey.from_text(text)
        except MasterKeyError as error:
            raise MasterKeyError(
                f"{MASTER_KEY_FILE_ENV}: the key file {file} holds no valid master key: {error}"
            ) from None
    raise MasterKeyError(
        f"no master key: set {MASTER_KEY_ENV} (URL-safe base64 of {MASTER_KEY_BYTES} random bytes) "
        f"or {MASTER_KEY_FILE_ENV} (the path of a file holding it)"
    )


def write_master_key_file(path: Path) -> MasterKey:
    """Generate a master key and write it to a new file readable by its owner only (mode 0600).

    Refuses to overwrite an existing file: replacing the master key would lock away every sealed private key.
    """
    key = MasterKey.generate()
    try:
        # O_EXCL: never truncate an existing key; the mode is given at creation so the key is never world-readable.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise MasterKeyError(f"{path} already exists; refusing to overwrite a master key") from None
    except OSError as error:
        raise MasterKeyError(f"cannot create the key file {path}: {error}") from None
    with os.fdopen(descriptor, "w", encoding="ascii") as stream:
        os.fchmod(stream.fileno(), 0o600)
        stream.write(key.to_text() + "\n")
    return key


def _associated_data(label: bytes) -> bytes:
    # The version byte is authenticated too, so a blob cannot be replayed under another format.
    return b"portal-private-key" + _SEAL_VERSION + label


def seal_private_key(key: PrivateKey, master: MasterKey, *, label: bytes) -> bytes:
    """Encrypt a private key under the master key: version byte, random nonce, AES-256-GCM ciphertext of PKCS#8 DER.

    `label` (e.g. the certificate's fingerprint) is authenticated, so a sealed key only opens for the same label.
    """
    plaintext = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    nonce = secrets.token_bytes(_NONCE_BYTES)
    return _SEAL_VERSION + nonce + AESGCM(master.secret).encrypt(nonce, plaintext, _associated_data(label))


def open_private_key(blob: bytes, master: MasterKey, *, label: bytes) -> PrivateKey:
    """Decrypt a key sealed by `seal_private_key` with the same master key and label.

    A wrong master key, a wrong label or an altered blob raises MasterKeyError; nothing is ever returned half-checked.
    """
    if len(blob) <= len(_SEAL_VERSION) + _NONCE_BYTES or blob[:1] != _SEAL_VERSION:
        raise MasterKeyError(
            "the master key does not open this key: the sealed key is malformed or of an unknown version"
        )
    nonce = blob[1 : 1 + _NONCE_BYTES]
    try:
        plaintext = AESGCM(master.secret).decrypt(nonce, blob[1 + _NONCE_BYTES :], _associated_data(label))
    except InvalidTag:
        raise MasterKeyError(
            "the master key does not open this key (a different master key, or the sealed key was altered)"
        ) from None
    key = serialization.load_der_private_key(plaintext, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise MasterKeyError(f"the sealed key is a {type(key).__name__}, not an ECDSA key")
    return key


@dataclass(frozen=True)
class KeyPair:
    """A certificate and its private key."""

    certificate: x509.Certificate
    private_key: PrivateKey = field(repr=False)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate's DER, lower-case hex: the key's identity everywhere in the portal."""
        return certificate_fingerprint(self.certificate)

    @property
    def certificate_pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")

    @property
    def serial_hex(self) -> str:
        return format(self.certificate.serial_number, "x")


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate's DER, lower-case hex."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def _utc_second(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("certificate times must be timezone-aware")
    # X.509 times have a resolution of one second; truncating keeps "valid from `now`" exact.
    return moment.astimezone(UTC).replace(microsecond=0)


def _years_later(moment: datetime, years: int) -> datetime:
    year = moment.year + years
    day = min(moment.day, calendar.monthrange(year, moment.month)[1])  # 29 February -> 28 February
    return moment.replace(year=year, day=day)


def create_root_ca(common_name: str, organization: str, now: datetime, *, years: int = 20) -> KeyPair:
    """A self-signed root: CA with path length 0 (it signs signing certificates only), keyCertSign and cRLSign,
    valid from `now` for `years` years."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    start = _utc_second(now)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(_years_later(start, years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    return KeyPair(certificate, key)


def issue_signing_certificate(
    root: KeyPair,
    *,
    organization_name: str,
    organization_code: str,
    country: str = "CN",
    email: str | None = None,
    now: datetime,
    years: int = 3,
) -> KeyPair:
    """A document-signing certificate for one organisation, issued by `root` and valid from `now`.

    Subject: C, O and CN = the organisation's name (UTF-8, Chinese as is), serialNumber = its organisation code. Key
    usage digitalSignature + nonRepudiation, EKU document signing + e-mail protection. The validity never outlasts the
    root's. Raises CertificateRequestError for a field that cannot go into the certificate.
    """
    name = organization_name.strip()
    if not name or len(name) > 64:  # RFC 5280 upper bound for O and CN
        raise CertificateRequestError("the organisation name must be 1 to 64 characters")
    if not _ORGANIZATION_CODE.fullmatch(organization_code):
        raise CertificateRequestError("the organisation code must be 1 to 64 letters, digits or hyphens")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise CertificateRequestError("the country must be a two-letter upper-case ISO 3166 code")
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, organization_code),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    start = _utc_second(now)
    end = min(_years_later(start, years), root.certificate.not_valid_after_utc)
    if end <= start:
        raise CertificateRequestError("the root certificate has expired; no certificate can be issued under it")
    root_ski = root.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(root.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([DOCUMENT_SIGNING_EKU, ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False)
    )
    if email is not None:
        if not re.fullmatch(r"[!-~]+@[!-~]+", email):
            raise CertificateRequestError("the e-mail address must be printable ASCII of the form user@domain")
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
    return KeyPair(builder.sign(root.private_key, hashes.SHA256()), key)
