"""The Mutation fields of contracts."""

from __future__ import annotations

import strawberry

from schema.contracts.mutations.issue_contract import IssueContractPayload, issue_contract
from schema.permissions import IsAuthenticated


@strawberry.type
class ContractsMutation:
    issue_contract: IssueContractPayload = strawberry.mutation(
        resolver=issue_contract, permission_classes=[IsAuthenticated],
        description="Create a contract (from an award, or directly with lines; an amendment names the contract it "
                    "amends) and issue it: its buyer-signed PDF and the supplier's acknowledgement. The supplier "
                    "accepts (countersigns) or rejects it with `acknowledge`.")
