"""Other validators agree: poppler's `pdfsig` (NSS), pyHanko's validator and its command line accept both
signatures of a countersigned file, trust them once the portal's root is trusted, and reject a tampered file.

These run the real tools (poppler-utils, libnss3-tools), which check certificates against the real clock, so the
certificates here are issued and used at the present time.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from tests.support import BUYER_NAME, SUPPLIER_NAME, buyer_signs, make_pki, supplier_countersigns, two_page_pdf


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is required for the interoperability tests: install the {package} package"
    return path


@pytest.fixture(scope="module")
def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture(scope="module")
def pki(now):
    return make_pki(now - timedelta(minutes=5))


@pytest.fixture(scope="module")
async def files(pki, now, tmp_path_factory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("interop")
    buyer_signed = await buyer_signs(pki, two_page_pdf(), now - timedelta(minutes=2))
    countersigned = await supplier_countersigns(pki, buyer_signed, now - timedelta(minutes=1))
    tampered = bytearray(countersigned)
    position = countersigned.index(b"stream", 1000) + 40  # inside a page's content, covered by both signatures
    tampered[position] ^= 0x20
    paths = {
        "countersigned": directory / "countersigned.pdf",
        "tampered": directory / "tampered.pdf",
        "root": directory / "root.pem",
    }
    paths["countersigned"].write_bytes(countersigned)
    paths["tampered"].write_bytes(bytes(tampered))
    paths["root"].write_text(pki.root.certificate_pem)
    return paths


@pytest.fixture(scope="module")
def nss_database(files, tmp_path_factory) -> str:
    """An NSS database that trusts the portal's root, as a reader's would after importing it."""
    certutil = _tool("certutil", "libnss3-tools")
    directory = tmp_path_factory.mktemp("nssdb")
    database = f"sql:{directory}"
    subprocess.run([certutil, "-N", "-d", database, "--empty-password"], check=True, capture_output=True, timeout=60)
    # pdfsig checks the signer under NSS's e-mail-signer usage, which reads the S/MIME trust flag (the second field):
    # an SSL-only "C,," leaves "Certificate issuer isn't Trusted".
    subprocess.run(
        [certutil, "-A", "-n", "portal-root", "-t", "C,C,", "-i", str(files["root"]), "-d", database],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return database


def _pdfsig(path: Path, *options: str) -> list[dict[str, str]]:
    """pdfsig's report, one dictionary per signature ("Signature Validation" -> "Signature is Valid.", ...)."""
    pdfsig = _tool("pdfsig", "poppler-utils")
    completed = subprocess.run([pdfsig, *options, str(path)], capture_output=True, text=True, timeout=60)
    signatures = []
    for block in re.split(r"^Signature #\d+:$", completed.stdout, flags=re.M)[1:]:
        entries = {}
        for line in block.splitlines():
            match = re.match(r"\s+- ([^:]+): (.*)$", line)
            if match:
                entries[match.group(1)] = match.group(2)
            elif line.strip().startswith("- "):
                entries[line.strip()[2:]] = ""
        signatures.append(entries)
    assert signatures, f"pdfsig found no signature:\n{completed.stdout}\n{completed.stderr}"
    return signatures


def test_pdfsig_finds_both_signatures_valid(files):
    buyer, supplier = _pdfsig(files["countersigned"])
    assert buyer["Signature Field Name"] == "BuyerSignature"
    assert buyer["Signer Certificate Common Name"] == BUYER_NAME
    assert supplier["Signature Field Name"] == "SupplierSignature"
    assert supplier["Signer Certificate Common Name"] == SUPPLIER_NAME
    for signature in (buyer, supplier):
        assert signature["Signature Validation"] == "Signature is Valid."
        assert signature["Signature Type"] == "ETSI.CAdES.detached"
        assert signature["Signing Hash Algorithm"] == "SHA-256"
    assert "Total document signed" in supplier
    assert "Not total document signed" in buyer  # the buyer signed the earlier revision


def test_pdfsig_trusts_both_signers_once_the_root_is_trusted(files, nss_database):
    signatures = _pdfsig(files["countersigned"], "-nssdir", nss_database)
    assert len(signatures) == 2
    for signature in signatures:
        assert signature["Signature Validation"] == "Signature is Valid."
        assert signature["Certificate Validation"] == "Certificate is Trusted."


def test_pdfsig_rejects_a_tampered_file(files, nss_database):
    for signature in _pdfsig(files["tampered"], "-nssdir", nss_database):
        assert signature["Signature Validation"] != "Signature is Valid."


async def test_pyhanko_validator_finds_both_signatures_intact_valid_and_trusted(files, now):
    root = _trusted_root(files)
    reader = PdfFileReader(io.BytesIO(files["countersigned"].read_bytes()))
    buyer, supplier = reader.embedded_signatures
    statuses = []
    for signature in (buyer, supplier):
        context = ValidationContext(trust_roots=[root], allow_fetching=False, moment=now)
        statuses.append(await async_validate_pdf_signature(signature, context))
    for status in statuses:
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        assert status.docmdp_ok is not False
        assert status.bottom_line
    buyer_status, supplier_status = statuses
    assert buyer_status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert buyer_status.modification_level == ModificationLevel.FORM_FILLING
    assert supplier_status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert supplier_status.modification_level == ModificationLevel.NONE


async def test_pyhanko_validator_rejects_a_tampered_file(files, now):
    root = _trusted_root(files)
    reader = PdfFileReader(io.BytesIO(files["tampered"].read_bytes()))
    for signature in reader.embedded_signatures:
        context = ValidationContext(trust_roots=[root], allow_fetching=False, moment=now)
        status = await async_validate_pdf_signature(signature, context)
        assert not status.intact
        assert not status.bottom_line


def _trusted_root(files) -> asn1_x509.Certificate:
    """The root as a reader gets it: from the PEM file handed out by the portal."""
    _, _, der = pem.unarmor(files["root"].read_bytes())
    return asn1_x509.Certificate.load(der)


def _pyhanko_cli(files, name: str) -> subprocess.CompletedProcess[str]:
    """`pyhanko sign validate`, the command line a reader runs (the pyhanko-cli package), trusting only the root."""
    pyhanko = shutil.which("pyhanko") or str(Path(sys.executable).with_name("pyhanko"))
    return subprocess.run([pyhanko, "sign", "validate", "--trust", str(files["root"]), "--trust-replace",
                           "--no-revocation-check", str(files[name])], capture_output=True, text=True, timeout=120)


def test_the_pyhanko_command_line_finds_both_signatures_intact_and_trusted(files):
    completed = _pyhanko_cli(files, "countersigned")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = completed.stdout.strip().splitlines()
    assert len(lines) == 2  # the buyer's signature and the supplier's
    for line in lines:
        assert ":INTACT:TRUSTED" in line, line


def test_the_pyhanko_command_line_rejects_a_tampered_file(files):
    completed = _pyhanko_cli(files, "tampered")
    assert completed.returncode != 0
    assert ":INTACT:TRUSTED" not in completed.stdout
