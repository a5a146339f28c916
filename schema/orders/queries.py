"""Queries for orders: `purchaseOrders`, `purchaseOrder`, `goodsReceipts`, `goodsReceipt`."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.context import Info
from schema.enums import OrderStatus
from schema.filters import date_range, one_of, optional_id, require_id, search
from schema.orders.types import GoodsReceipt, PurchaseOrder
from schema.pagination import Connection, paginate
from schema.permissions import IsAuthenticated
from workflows import visibility


@strawberry.input
class PurchaseOrderFilter:
    status: list[OrderStatus] | None = None
    supplier_id: strawberry.ID | None = None
    contract_id: strawberry.ID | None = None
    issued_after: datetime | None = None
    issued_before: datetime | None = None
    search: str | None = strawberry.field(default=None, description="in the order number and plant")


@strawberry.input
class GoodsReceiptFilter:
    supplier_id: strawberry.ID | None = None
    order_id: strawberry.ID | None = None
    received_after: datetime | None = None
    received_before: datetime | None = None
    search: str | None = strawberry.field(default=None, description="in the receipt number")


@strawberry.type
class OrdersQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def purchase_orders(self, info: Info, first: int | None = None, after: str | None = None,
                              filter: PurchaseOrderFilter | None = None) -> Connection[PurchaseOrder]:
        queryset = visibility.purchase_orders(info.context.require_actor())
        if filter is not None:
            queryset = one_of(queryset, "status", filter.status, "status")
            if (supplier_id := optional_id(filter.supplier_id, "supplierId")) is not None:
                queryset = queryset.filter(supplier_id=supplier_id)
            if (contract_id := optional_id(filter.contract_id, "contractId")) is not None:
                queryset = queryset.filter(contract_id=contract_id)
            queryset = date_range(queryset, "issued_at", filter.issued_after, filter.issued_before,
                                  ("issuedAfter", "issuedBefore"))
            queryset = search(queryset, filter.search, ("number", "plant"))
        return await paginate(queryset, first=first, after=after, to_node=PurchaseOrder.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def purchase_order(self, info: Info, id: strawberry.ID) -> PurchaseOrder | None:
        row = await visibility.get_visible(visibility.purchase_orders(info.context.require_actor()), require_id(id))
        return PurchaseOrder.from_row(row) if row else None

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def goods_receipts(self, info: Info, first: int | None = None, after: str | None = None,
                             filter: GoodsReceiptFilter | None = None) -> Connection[GoodsReceipt]:
        queryset = visibility.goods_receipts(info.context.require_actor())
        if filter is not None:
            if (supplier_id := optional_id(filter.supplier_id, "supplierId")) is not None:
                queryset = queryset.filter(supplier_id=supplier_id)
            if (order_id := optional_id(filter.order_id, "orderId")) is not None:
                queryset = queryset.filter(order_id=order_id)
            queryset = date_range(queryset, "received_at", filter.received_after, filter.received_before,
                                  ("receivedAfter", "receivedBefore"))
            queryset = search(queryset, filter.search, ("number",))
        return await paginate(queryset, first=first, after=after, to_node=GoodsReceipt.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def goods_receipt(self, info: Info, id: strawberry.ID) -> GoodsReceipt | None:
        row = await visibility.get_visible(visibility.goods_receipts(info.context.require_actor()), require_id(id))
        return GoodsReceipt.from_row(row) if row else None
