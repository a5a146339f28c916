"""Loaders for production plans: each one query per page, whatever the page size."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from domain.actors import Actor
from domain.models import PlanRevision
from schema.loaders import children_by_parent, one_child_by_parent
from workflows import visibility

DRAFT_REVISION = 0


def _published_revisions(actor: Actor) -> QuerySet[PlanRevision]:
    return visibility.plan_revisions(actor).filter(published_at__isnull=False)


def _draft_revisions(actor: Actor) -> QuerySet[PlanRevision]:
    # Suppliers are never recipients of a draft, so their scope holds none.
    return visibility.plan_revisions(actor).filter(revision=DRAFT_REVISION, published_at__isnull=True)


published_revisions_by_plan = children_by_parent(_published_revisions, "plan_id", order_by="revision")
draft_revision_by_plan = one_child_by_parent(_draft_revisions, "plan_id")
lines_by_revision = children_by_parent(visibility.plan_lines, "revision_id")
commitments_by_line = children_by_parent(visibility.plan_commitments, "line_id", order_by="id")
