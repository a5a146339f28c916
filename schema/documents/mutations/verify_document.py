"""`verifyDocument(file: Upload!)`: the report `portal verify` prints, for an uploaded file."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.file_uploads import Upload

from domain.errors import ValidationFailed
from schema.context import Info
from schema.enums import DocumentKind
from schema.errors import UserError, user_error
from workflows.documents.registry import IssuedFile, verify_file
from workflows.documents.verification import SignatureReport, VerificationReport

READ_CHUNK = 1 << 16


@strawberry.type(description="Which issued document a verified file is.")
class IssuedDocument:
    kind: DocumentKind
    number: str
    version: int
    role: str = strawberry.field(description="ISSUED (buyer-signed), COUNTERSIGNED or EVIDENCE")


@strawberry.type(description="What one signature of a verified file proves.")
class SignatureCheck:
    field_name: str
    organization: str | None
    common_name: str | None
    certificate_fingerprint: str | None
    signing_time: datetime | None
    timestamp_time: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    revoked_at: datetime | None

    @classmethod
    def from_report(cls, report: SignatureReport) -> SignatureCheck:
        return cls(field_name=report.field_name, organization=report.organization, common_name=report.common_name,
                   certificate_fingerprint=report.certificate_fingerprint, signing_time=report.signing_time,
                   timestamp_time=report.timestamp_time, intact=bool(report.intact), valid=bool(report.valid),
                   trusted=bool(report.trusted), covers_whole_file=bool(report.covers_whole_file),
                   revoked_at=report.revoked_at)


@strawberry.type(description="A reason a file does not verify. `code` is stable (TAMPERED, UNTRUSTED, REVOKED, …).")
class VerificationProblem:
    code: str
    message: str
    field_name: str | None


@strawberry.type(description="The verdict on a file: `ok` only if every signature is intact, trusted, not revoked, "
                             "the last covers the whole file, and the portal issued exactly this file.")
class VerificationResult:
    ok: bool
    sha256: str
    size: int
    issued: bool | None
    document: IssuedDocument | None
    signatures: list[SignatureCheck]
    problems: list[VerificationProblem]

    @classmethod
    def from_report(cls, report: VerificationReport, issued: IssuedFile | None) -> VerificationResult:
        document = None if issued is None else IssuedDocument(kind=issued.kind, number=issued.number,
                                                              version=issued.version, role=issued.role.value)
        return cls(ok=report.ok, sha256=report.sha256, size=report.size, issued=report.issued, document=document,
                   signatures=[SignatureCheck.from_report(s) for s in report.signatures],
                   problems=[VerificationProblem(code=p.code.value, message=p.message, field_name=p.field_name)
                             for p in report.problems])


@strawberry.type
class VerifyDocumentPayload:
    result: VerificationResult | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def read_upload(upload: Upload, limit: int) -> bytes:
    """The uploaded file's bytes; ValidationFailed (field `file`) beyond `limit` bytes or when it is not a file."""
    if not hasattr(upload, "read"):
        raise ValidationFailed("`file` must be a file part of a multipart request", field="file")
    chunks: list[bytes] = []
    size = 0
    while chunk := await upload.read(READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raise ValidationFailed(f"the file is larger than {limit:,} bytes", field="file")
        chunks.append(chunk)
    if not size:
        raise ValidationFailed("the file is empty", field="file")
    return b"".join(chunks)


async def verify_document(info: Info, file: Upload) -> VerifyDocumentPayload:
    context = info.context
    try:
        data = await read_upload(file, context.max_upload_bytes)
    except ValidationFailed as error:
        return VerifyDocumentPayload(errors=[user_error(error)])
    report, issued = await verify_file(data, context.clock.now(), max_bytes=context.max_upload_bytes)
    return VerifyDocumentPayload(result=VerificationResult.from_report(report, issued))
