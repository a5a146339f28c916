"""Loaders for contracts: each one query per page, whatever the page size."""

from __future__ import annotations

from schema.loaders import children_by_parent, records_by_id
from workflows import visibility

contract_by_id = records_by_id(visibility.contracts)
lines_by_contract = children_by_parent(visibility.contract_lines, "contract_id")
orders_by_contract = children_by_parent(visibility.purchase_orders, "contract_id", order_by="number")
