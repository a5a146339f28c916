"""The Mutation fields of orders: purchase orders, the supplier's proposed changes, and goods receipts."""

from __future__ import annotations

import strawberry

from schema.orders.mutations.accept_order_change import AcceptOrderChangePayload, accept_order_change
from schema.orders.mutations.cancel_purchase_order import CancelPurchaseOrderPayload, cancel_purchase_order
from schema.orders.mutations.issue_purchase_order import IssuePurchaseOrderPayload, issue_purchase_order
from schema.orders.mutations.propose_order_change import ProposeOrderChangePayload, propose_order_change
from schema.orders.mutations.record_goods_receipt import RecordGoodsReceiptPayload, record_goods_receipt
from schema.orders.mutations.reject_order_change import RejectOrderChangePayload, reject_order_change
from schema.permissions import IsAuthenticated


@strawberry.type
class OrdersMutation:
    issue_purchase_order: IssuePurchaseOrderPayload = strawberry.mutation(
        resolver=issue_purchase_order, permission_classes=[IsAuthenticated],
        description="Issue a purchase order against a signed contract (prices must match it unless "
                    "`priceOverrideReason` is given) or standalone: its buyer-signed PDF and the supplier's "
                    "acknowledgement. The supplier confirms with `acknowledge` or answers with `proposeOrderChange`.")
    propose_order_change: ProposeOrderChangePayload = strawberry.mutation(
        resolver=propose_order_change, permission_classes=[IsAuthenticated],
        description="The supplier proposes other quantities and/or delivery dates for lines of an issued order.")
    accept_order_change: AcceptOrderChangePayload = strawberry.mutation(
        resolver=accept_order_change, permission_classes=[IsAuthenticated],
        description="Accept the supplier's proposed change: applied, the order confirmed and its PDF re-issued.")
    reject_order_change: RejectOrderChangePayload = strawberry.mutation(
        resolver=reject_order_change, permission_classes=[IsAuthenticated],
        description="Reject the supplier's proposed change: the original terms stand and the supplier answers them "
                    "again.")
    cancel_purchase_order: CancelPurchaseOrderPayload = strawberry.mutation(
        resolver=cancel_purchase_order, permission_classes=[IsAuthenticated],
        description="Cancel an order nothing has been received against, with a reason.")
    record_goods_receipt: RecordGoodsReceiptPayload = strawberry.mutation(
        resolver=record_goods_receipt, permission_classes=[IsAuthenticated],
        description="Record goods received (and rejected) against lines of a confirmed order; the order closes "
                    "when fully received. Refused beyond the order's receipt tolerance.")
