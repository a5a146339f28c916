"""The Mutation fields of tenders."""

from __future__ import annotations

import strawberry

from schema.permissions import IsAuthenticated
from schema.tenders.mutations.award_tender import AwardTenderPayload, award_tender
from schema.tenders.mutations.cancel_tender import CancelTenderPayload, cancel_tender
from schema.tenders.mutations.close_tender import CloseTenderPayload, close_tender
from schema.tenders.mutations.create_tender import CreateTenderPayload, create_tender
from schema.tenders.mutations.publish_tender import PublishTenderPayload, publish_tender
from schema.tenders.mutations.submit_bid import SubmitBidPayload, submit_bid
from schema.tenders.mutations.withdraw_bid import WithdrawBidPayload, withdraw_bid


@strawberry.type
class TendersMutation:
    create_tender: CreateTenderPayload = strawberry.mutation(
        resolver=create_tender, permission_classes=[IsAuthenticated],
        description="A draft tender (procurement). A retry with the same idempotencyKey returns the first tender.")
    publish_tender: PublishTenderPayload = strawberry.mutation(
        resolver=publish_tender, permission_classes=[IsAuthenticated],
        description="Send a draft tender to its suppliers (procurement).")
    submit_bid: SubmitBidPayload = strawberry.mutation(
        resolver=submit_bid, permission_classes=[IsAuthenticated],
        description="Submit or revise the supplier's sealed bid, strictly before the tender closes; returns a receipt. "
                    "A retry with the same idempotencyKey returns the bid it submitted, even after the close.")
    withdraw_bid: WithdrawBidPayload = strawberry.mutation(
        resolver=withdraw_bid, permission_classes=[IsAuthenticated],
        description="Withdraw the supplier's own bid before the tender closes.")
    close_tender: CloseTenderPayload = strawberry.mutation(
        resolver=close_tender, permission_classes=[IsAuthenticated],
        description="Open the bids by hand and issue the signed opening record (procurement).")
    award_tender: AwardTenderPayload = strawberry.mutation(
        resolver=award_tender, permission_classes=[IsAuthenticated],
        description="Award a closed tender, whole or split by line, and issue the award notices (procurement).")
    cancel_tender: CancelTenderPayload = strawberry.mutation(
        resolver=cancel_tender, permission_classes=[IsAuthenticated],
        description="Cancel a tender with a reason (procurement).")
