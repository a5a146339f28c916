"""The Mutation fields of documents."""

from __future__ import annotations

import strawberry

from schema.documents.mutations.verify_document import VerifyDocumentPayload, verify_document
from schema.permissions import IsAuthenticated


@strawberry.type
class DocumentsMutation:
    verify_document: VerifyDocumentPayload = strawberry.mutation(
        resolver=verify_document, permission_classes=[IsAuthenticated],
        description="Verify an uploaded PDF (multipart request): signatures, trust, revocation, and whether the "
                    "portal issued it. The public page /verify does the same for people without an account.",
    )
