"""Loaders for parties."""

from __future__ import annotations

from schema.loaders import children_by_parent, records_by_id
from workflows import visibility


organization_by_id = records_by_id(visibility.organizations)
qualification_documents_by_org = children_by_parent(visibility.qualification_documents, "organization_id", order_by="kind")
