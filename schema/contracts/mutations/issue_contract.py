"""`issueContract`: create a contract (from an award, or directly with lines) and issue it to its supplier, signed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from schema.context import Info
from schema.contracts.types import Contract
from schema.errors import UserError, attempt
from schema.filters import optional_id
from workflows import contracting


@strawberry.input(description="A contract line; a quantity of 0 makes it a price agreement (framework contract).")
class ContractLineInput:
    item_code: str
    item_name: str
    quantity: Decimal
    unit_price: Decimal
    unit: str = "PCS"


@strawberry.input
class IssueContractInput:
    valid_from: date
    valid_to: date
    title: str = strawberry.field(default="", description="empty: the tender's title, for a contract from an award")
    supplier_id: strawberry.ID | None = None
    award_id: strawberry.ID | None = strawberry.field(
        default=None, description="the award the contract is made from: its lines and prices are carried over")
    tender_id: strawberry.ID | None = strawberry.field(
        default=None, description="or the awarded tender, with supplierId")
    amends_id: strawberry.ID | None = strawberry.field(
        default=None, description="the signed contract (of the same supplier) this one amends")
    currency: str | None = None
    lines: list[ContractLineInput] = strawberry.field(default_factory=list,
                                                      description="for a contract made without an award")


@strawberry.type
class IssueContractPayload:
    contract: Contract | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def contract_input(data: IssueContractInput) -> contracting.ContractInput:
    return contracting.ContractInput(
        valid_from=data.valid_from, valid_to=data.valid_to, title=data.title,
        supplier_id=optional_id(data.supplier_id, "supplierId"), award_id=optional_id(data.award_id, "awardId"),
        tender_id=optional_id(data.tender_id, "tenderId"), amends_id=optional_id(data.amends_id, "amendsId"),
        currency=data.currency,
        lines=tuple(contracting.ContractLineInput(item_code=line.item_code, item_name=line.item_name,
                                                  quantity=line.quantity, unit_price=line.unit_price, unit=line.unit)
                    for line in data.lines),
    )


async def issue_contract(info: Info, input: IssueContractInput,
                         idempotency_key: str | None = None) -> IssueContractPayload:
    context = info.context
    actor = context.require_actor()

    async def run():  # noqa: ANN202
        contracting.require_issuing_staff(actor)  # before asking for the signing service
        return await contracting.issue_contract(actor, contract_input(input), clock=context.clock,
                                                documents=await context.document_service(),
                                                idempotency_key=idempotency_key)

    row, errors = await attempt(run())
    return IssueContractPayload(contract=Contract.from_row(row) if row else None, errors=errors)
