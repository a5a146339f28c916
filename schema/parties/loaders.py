"""Loaders for parties."""

from __future__ import annotations

from tortoise.expressions import Subquery

from domain.actors import Actor
from domain.models import QualificationDocument
from schema.loaders import children_by_parent, records_by_id
from workflows import visibility


def _qualification_documents(actor: Actor):
    return QualificationDocument.filter(organization_id__in=Subquery(visibility.suppliers(actor).values("id")))


organization_by_id = records_by_id(visibility.organizations)
qualification_documents_by_org = children_by_parent(_qualification_documents, "organization_id", order_by="kind")
