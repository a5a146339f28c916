"""Loaders for orders and receipts: each one query per page, whatever the page size."""

from __future__ import annotations

from schema.loaders import children_by_parent, records_by_id
from workflows import visibility

lines_by_order = children_by_parent(visibility.purchase_order_lines, "order_id")
receipts_by_order = children_by_parent(visibility.goods_receipts, "order_id", order_by="received_at")
lines_by_receipt = children_by_parent(visibility.goods_receipt_lines, "receipt_id", order_by="id")
order_by_id = records_by_id(visibility.purchase_orders)
order_line_by_id = records_by_id(visibility.purchase_order_lines)
