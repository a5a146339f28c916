"""A real RFC 3161 time-stamping authority on 127.0.0.1, for tests.

It answers `application/timestamp-query` POSTs over HTTP with tokens signed by its own RSA certificate (pyHanko's
`DummyTimeStamper` signs RSA only), issued by a test root of its own, so verification must be told to trust that root.
The time it stamps comes from a clock the test passes in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper

from workflows.documents.pki import KeyPair, create_root_ca

MAX_QUERY_BYTES = 64 * 1024


def _utc_now() -> datetime:
    return datetime.now(UTC)


class LocalTimeStampingAuthority:
    """An HTTP time-stamping authority in a background thread; use it as a context manager.

    `url` is where to send queries, `requests` how many were answered, `root` the certificate to trust for its tokens.
    """

    def __init__(self, *, clock: Callable[[], datetime] = _utc_now, certificates_from: datetime | None = None) -> None:
        issued = certificates_from or clock() - timedelta(days=1)
        self.clock = clock
        self.root_pair = create_root_ca("Test TSA Root", "Test Time Stamping", issued)
        self.unit = _issue_tsa_certificate(self.root_pair, issued)
        self.requests = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def root(self) -> x509.Certificate:
        return self.root_pair.certificate

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the time-stamping authority is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/tsa"

    def __enter__(self) -> LocalTimeStampingAuthority:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())  # port 0: any free port
        self._thread = threading.Thread(target=self._server.serve_forever, name="local-tsa", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = None

    def answer(self, query: bytes) -> bytes:
        """The DER TimeStampResp for a DER TimeStampReq."""
        request = tsp.TimeStampReq.load(query)
        stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(self.unit.certificate.public_bytes(serialization.Encoding.DER)),
            tsa_key=asn1_keys.PrivateKeyInfo.load(
                self.unit.private_key.private_bytes(
                    serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            ),
            fixed_dt=self.clock(),
        )
        return stamper.request_tsa_response(request).dump()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        authority = self

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True  # headers and body go out in two writes; don't let them wait on an ACK

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                is_query = self.headers.get("Content-Type") == "application/timestamp-query"
                if not is_query or not 0 < length <= MAX_QUERY_BYTES:
                    self.send_error(400, "expected an application/timestamp-query body")
                    return
                try:
                    reply = authority.answer(self.rfile.read(length))
                except ValueError:
                    self.send_error(400, "malformed time-stamp query")
                    return
                with authority._lock:
                    authority.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output quiet

        return Handler


def _issue_tsa_certificate(root: KeyPair, now: datetime) -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_ski = root.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Time Stamping Unit")]))
        .issuer_name(root.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now.replace(microsecond=0))
        .not_valid_after(now + timedelta(days=3650))
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
        # RFC 3161 §2.3: a TSA certificate carries exactly the time-stamping purpose, marked critical
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False)
        .sign(root.private_key, hashes.SHA256())
    )
    return KeyPair(certificate, key)  # type: ignore[arg-type]  # KeyPair is typed for the portal's ECDSA keys
