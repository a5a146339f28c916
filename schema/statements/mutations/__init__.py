"""The Mutation fields of statements."""

from __future__ import annotations

import strawberry

from schema.permissions import IsAuthenticated
from schema.statements.mutations.dispute_statement import DisputeStatementPayload, dispute_statement
from schema.statements.mutations.generate_statement import GenerateStatementPayload, generate_statement
from schema.statements.mutations.issue_statement import IssueStatementPayload, issue_statement


@strawberry.type
class StatementsMutation:
    generate_statement: GenerateStatementPayload = strawberry.mutation(
        resolver=generate_statement, permission_classes=[IsAuthenticated],
        description="Accounting: a DRAFT statement of a supplier for a month, from its goods receipts × agreed prices "
                    "and the deductions given; a new version when the month's statement was issued or disputed.")
    issue_statement: IssueStatementPayload = strawberry.mutation(
        resolver=issue_statement, permission_classes=[IsAuthenticated],
        description="Accounting: issue a DRAFT statement (buyer-signed PDF, acknowledgement for the supplier); a "
                    "revised version supersedes the one it revises.")
    dispute_statement: DisputeStatementPayload = strawberry.mutation(
        resolver=dispute_statement, permission_classes=[IsAuthenticated],
        description="The supplier disputes lines of an ISSUED statement, each with its reason (to confirm it, "
                    "accept its acknowledgement with `acknowledge`).")
