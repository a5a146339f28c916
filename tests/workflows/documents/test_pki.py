"""The portal's certificate authority and master key: round trips, refusals, and the fields of the certificates."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from workflows.documents.pki import (
    DOCUMENT_SIGNING_EKU,
    CertificateRequestError,
    MasterKey,
    MasterKeyError,
    create_root_ca,
    issue_signing_certificate,
    load_master_key,
    open_private_key,
    seal_private_key,
    write_master_key_file,
)

NOW = datetime(2025, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
NOW_SECOND = NOW.replace(microsecond=0)


@pytest.fixture(scope="module")
def root():
    return create_root_ca("Supplier Portal Root CA", "供应商协同平台", NOW)


@pytest.fixture(scope="module")
def supplier(root):
    return issue_signing_certificate(
        root,
        organization_name="苏州精工零部件有限公司",
        organization_code="91320500MA1N0ABC3D",
        email="contracts@jinggong.example",
        now=NOW,
    )


# --- master key ------------------------------------------------------------------------------------------------------


def test_master_key_text_round_trip():
    key = MasterKey.generate()
    assert len(key.secret) == 32
    assert MasterKey.from_text(key.to_text()) == key
    assert MasterKey.from_text(f"  {key.to_text()}\n") == key
    assert MasterKey.from_text(key.to_text().rstrip("=")) == key  # padding is optional
    assert MasterKey.generate() != key


def test_master_key_repr_hides_the_secret():
    key = MasterKey.generate()
    assert key.to_text() not in repr(key)
    assert repr(key.secret) not in repr(key)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (base64.urlsafe_b64encode(b"x" * 16).decode(), "wrong length: it decodes to 16 bytes"),
        (base64.urlsafe_b64encode(b"x" * 33).decode(), "wrong length: it decodes to 33 bytes"),
        ("not base64 at all!!", "not URL-safe base64"),
        ("", "empty"),
    ],
)
def test_master_key_text_refused(text, message):
    with pytest.raises(MasterKeyError, match=message):
        MasterKey.from_text(text)


def test_load_master_key_prefers_the_environment_value(tmp_path):
    from_env, from_file = MasterKey.generate(), MasterKey.generate()
    file = tmp_path / "master.key"
    file.write_text(from_file.to_text() + "\n")
    assert load_master_key(from_env.to_text(), file) == from_env
    assert load_master_key(None, file) == from_file
    assert load_master_key("", file) == from_file


def test_load_master_key_errors_name_the_setting(tmp_path):
    with pytest.raises(MasterKeyError, match=r"PORTAL_MASTER_KEY is not a valid master key: .*wrong length"):
        load_master_key("c2hvcnQ=", None)
    missing = tmp_path / "absent.key"
    with pytest.raises(MasterKeyError, match=re.escape(f"PORTAL_MASTER_KEY_FILE: cannot read the key file {missing}")):
        load_master_key(None, missing)
    garbled = tmp_path / "garbled.key"
    garbled.write_text("%%%%\n")
    with pytest.raises(MasterKeyError, match=re.escape(f"PORTAL_MASTER_KEY_FILE: the key file {garbled} holds no")):
        load_master_key(None, garbled)
    with pytest.raises(MasterKeyError, match=r"set PORTAL_MASTER_KEY .* or PORTAL_MASTER_KEY_FILE"):
        load_master_key(None, None)


def test_write_master_key_file_is_private_and_never_overwrites(tmp_path):
    path = tmp_path / "master.key"
    key = write_master_key_file(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text() == key.to_text() + "\n"
    assert load_master_key(None, path) == key
    with pytest.raises(MasterKeyError, match="already exists"):
        write_master_key_file(path)
    assert load_master_key(None, path) == key


# --- sealed private keys ---------------------------------------------------------------------------------------------


def test_seal_and_open_round_trip(supplier):
    master = MasterKey.generate()
    label = supplier.fingerprint.encode()
    blob = seal_private_key(supplier.private_key, master, label=label)
    pkcs8 = supplier.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert pkcs8 not in blob  # encrypted, not merely wrapped
    assert blob[0] == 1  # version byte
    opened = open_private_key(blob, master, label=label)
    signature = opened.sign(b"contract", ec.ECDSA(hashes.SHA256()))
    supplier.certificate.public_key().verify(signature, b"contract", ec.ECDSA(hashes.SHA256()))
    assert seal_private_key(supplier.private_key, master, label=label) != blob  # a fresh nonce each time


def test_open_refuses_the_wrong_master_key_label_or_a_tampered_blob(supplier):
    master = MasterKey.generate()
    label = supplier.fingerprint.encode()
    blob = seal_private_key(supplier.private_key, master, label=label)
    with pytest.raises(MasterKeyError, match="the master key does not open this key"):
        open_private_key(blob, MasterKey.generate(), label=label)
    with pytest.raises(MasterKeyError, match="the master key does not open this key"):
        open_private_key(blob, master, label=b"another certificate")
    tampered = bytearray(blob)
    tampered[len(blob) // 2] ^= 0x01
    with pytest.raises(MasterKeyError, match="the master key does not open this key"):
        open_private_key(bytes(tampered), master, label=label)
    with pytest.raises(MasterKeyError, match="the master key does not open this key"):
        open_private_key(b"\x02" + blob[1:], master, label=label)
    with pytest.raises(MasterKeyError, match="the master key does not open this key"):
        open_private_key(blob[:10], master, label=label)


# --- certificates ----------------------------------------------------------------------------------------------------


def _only(name: x509.Name, oid) -> str:
    (attribute,) = name.get_attributes_for_oid(oid)
    return attribute.value


def test_root_is_a_ca_that_only_signs_end_entities(root):
    certificate = root.certificate
    constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca and constraints.value.path_length == 0
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.key_cert_sign and usage.value.crl_sign
    assert not usage.value.digital_signature
    assert certificate.issuer == certificate.subject
    assert _only(certificate.subject, NameOID.ORGANIZATION_NAME) == "供应商协同平台"
    assert _only(certificate.subject, NameOID.COMMON_NAME) == "Supplier Portal Root CA"
    assert certificate.not_valid_before_utc == NOW_SECOND
    assert certificate.not_valid_after_utc == NOW_SECOND.replace(year=2045)
    ski = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    certificate.verify_directly_issued_by(certificate)
    assert isinstance(certificate.public_key(), ec.EllipticCurvePublicKey)
    assert certificate.signature_hash_algorithm.name == "sha256"


def test_signing_certificate_fields(root, supplier):
    certificate = supplier.certificate
    subject = certificate.subject
    assert _only(subject, NameOID.ORGANIZATION_NAME) == "苏州精工零部件有限公司"
    assert _only(subject, NameOID.COMMON_NAME) == "苏州精工零部件有限公司"
    assert _only(subject, NameOID.SERIAL_NUMBER) == "91320500MA1N0ABC3D"
    assert _only(subject, NameOID.COUNTRY_NAME) == "CN"
    assert "苏州精工零部件有限公司".encode() in certificate.public_bytes(serialization.Encoding.DER)  # UTF8String
    assert certificate.issuer == root.certificate.subject
    certificate.verify_directly_issued_by(root.certificate)

    constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and not constraints.value.ca
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    purposes = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert set(purposes) == {DOCUMENT_SIGNING_EKU, ExtendedKeyUsageOID.EMAIL_PROTECTION}
    emails = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert emails.get_values_for_type(x509.RFC822Name) == ["contracts@jinggong.example"]
    ski = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert ski.digest == x509.SubjectKeyIdentifier.from_public_key(certificate.public_key()).digest
    aki = certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    root_ski = root.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == root_ski.digest

    assert certificate.not_valid_before_utc == NOW_SECOND
    assert certificate.not_valid_after_utc == NOW_SECOND.replace(year=2028)


def test_key_pair_identity(supplier):
    der = supplier.certificate.public_bytes(serialization.Encoding.DER)
    assert supplier.fingerprint == hashlib.sha256(der).hexdigest()
    assert supplier.serial_hex == format(supplier.certificate.serial_number, "x")
    assert supplier.certificate_pem.startswith("-----BEGIN CERTIFICATE-----")
    assert x509.load_pem_x509_certificate(supplier.certificate_pem.encode()) == supplier.certificate
    assert "private_key" not in repr(supplier)


def test_signing_certificate_never_outlives_its_root():
    root = create_root_ca("Short Root", "供应商协同平台", NOW, years=1)
    pair = issue_signing_certificate(root, organization_name="甲", organization_code="A1", now=NOW, years=3)
    assert pair.certificate.not_valid_after_utc == root.certificate.not_valid_after_utc


def test_leap_day_validity_ends_on_28_february():
    leap_day = datetime(2024, 2, 29, tzinfo=UTC)
    root = create_root_ca("Leap Root", "供应商协同平台", leap_day, years=1)
    assert root.certificate.not_valid_after_utc == datetime(2025, 2, 28, tzinfo=UTC)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"organization_code": "代码"}, "organisation code"),
        ({"organization_code": ""}, "organisation code"),
        ({"organization_name": "  "}, "organisation name"),
        ({"organization_name": "名" * 65}, "organisation name"),
        ({"country": "China"}, "country"),
        ({"email": "用户@例子.中国"}, "e-mail"),
    ],
)
def test_signing_certificate_request_refused(root, fields, message):
    request = {"organization_name": "上海华东机械有限公司", "organization_code": "91310000MA1K4XYZ2B"} | fields
    with pytest.raises(CertificateRequestError, match=message):
        issue_signing_certificate(root, now=NOW, **request)


def test_naive_time_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        create_root_ca("Root", "Org", datetime(2025, 1, 1))
