"""Loaders for documents, versions and signatures: each one query per page, whatever the page size."""

from __future__ import annotations

from schema.loaders import children_by_parent, records_by_id
from workflows import visibility

document_by_id = records_by_id(visibility.documents)
versions_by_document = children_by_parent(visibility.document_versions, "document_id", order_by="version")
signatures_by_version = children_by_parent(visibility.signatures, "version_id", order_by="signed_at")
