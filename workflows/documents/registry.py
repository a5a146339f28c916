"""What the portal issued, and the verification of a file against it: the portal's roots, its revocations, and the
hashes of the files it issued. Used by `portal verify`, GraphQL `verifyDocument` and the public verification page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.enums import DocumentFileRole, DocumentKind
from domain.models import DocumentFile
from workflows.documents import keyring
from workflows.documents.verification import DEFAULT_MAX_BYTES, VerificationReport, verify_pdf


@dataclass(frozen=True)
class IssuedFile:
    """Which document a file is: its kind, number, version and role (buyer-signed, countersigned, evidence)."""

    kind: DocumentKind
    number: str
    version: int
    role: DocumentFileRole

    def to_json(self) -> dict:
        return {"kind": self.kind.value, "number": self.number, "version": self.version, "role": self.role.value}


async def issued_file(sha256: str) -> IssuedFile | None:
    stored = await DocumentFile.filter(sha256=sha256.lower()).prefetch_related("version__document").first()
    if stored is None:
        return None
    document = stored.version.document
    return IssuedFile(document.kind, document.number, stored.version.version, stored.role)


async def verify_file(data: bytes, now: datetime, *, max_bytes: int = DEFAULT_MAX_BYTES
                      ) -> tuple[VerificationReport, IssuedFile | None]:
    """Verify `data` against the portal: every signature intact, chained to a portal root and not revoked when it was
    made, and the file one the portal issued. Returns the report and, if issued, which document it is."""
    found: list[IssuedFile | None] = [None]

    async def is_issued(sha256: str) -> bool:
        found[0] = await issued_file(sha256)
        return found[0] is not None

    report = await verify_pdf(data, trust_roots=await keyring.trust_roots(), revocations=await keyring.revocations(),
                              is_issued=is_issued, now=now, max_bytes=max_bytes)
    return report, found[0]
