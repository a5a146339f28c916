"""Loaders for statements, their lines and disputes: each one query per page, whatever the page size."""

from __future__ import annotations

from schema.loaders import children_by_parent, records_by_id
from workflows import visibility

statement_by_id = records_by_id(visibility.statements)
statement_line_by_id = records_by_id(visibility.statement_lines)
lines_by_statement = children_by_parent(visibility.statement_lines, "statement_id")
disputes_by_statement = children_by_parent(visibility.disputes, "statement_id", order_by="id")
