"""Loaders for tenders: each one query per page, whatever the page size. Bids load only through the sealed-bid scope."""

from __future__ import annotations

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from domain.actors import Actor
from domain.models import Bid, User
from schema.loaders import children_by_parent, one_child_by_parent, records_by_id
from workflows import visibility


def _own_bids(actor: Actor) -> QuerySet[Bid]:
    """The bids of the actor's own organisation, within what the sealed-bid rule lets it see."""
    return visibility.bids(actor).filter(supplier_id=actor.org_id)


def _tender_closers(actor: Actor) -> QuerySet[User]:
    """The staff members who opened the bids of tenders the actor sees. Buyer staff only: who at the buyer opened
    them is internal (a supplier sees that a tender closed, and when, not by whom)."""
    if not actor.is_staff:
        return User.filter(id__in=[])
    return User.filter(id__in=Subquery(visibility.tenders(actor).filter(closed_by_id__isnull=False).values(
        "closed_by_id")))


lines_by_tender = children_by_parent(visibility.tender_lines, "tender_id")
tender_line_by_id = records_by_id(visibility.tender_lines)
invitations_by_tender = children_by_parent(visibility.tender_invitations, "tender_id", order_by="id")
bids_by_tender = children_by_parent(visibility.bids, "tender_id", order_by="id")
own_bid_by_tender = one_child_by_parent(_own_bids, "tender_id")
lines_by_bid = children_by_parent(visibility.bid_lines, "bid_id", order_by="tender_line__line_no")
awards_by_tender = children_by_parent(visibility.awards, "tender_id", order_by="id")
closer_by_id = records_by_id(_tender_closers)
