"""Who may see what: one scoping function per record type. Every query, loader and transition starts from these.

Rules:
- A supplier's users see only what is addressed to their organisation. Asking for anything else by id gives the same
  answer as asking for an id that does not exist.
- Buyer staff see by role (READ_ROLES). Auditors and admins see everything, including the audit trail.
- Sealed bids: before a tender has closed, no buyer user can see any bid row at all (so no price, total, line or filter
  over them can leak); a supplier sees its own bid only, at any time.
"""

from __future__ import annotations

import uuid

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from domain.actors import Actor
from domain.enums import BidStatus, PlanStatus, Role, TENDER_OPENED_STATUSES, USER_ADMIN_ROLES, TenderStatus
from domain.models import (
    Acknowledgement, AuditEvent, Award, Bid, BidLine, Contract, ContractLine, Dispute, Document, DocumentVersion,
    GoodsReceipt, GoodsReceiptLine, Notification, Organization, PlanCommitment, PlanLine, PlanRecipient, PlanRevision,
    ProductionPlan,
    PurchaseOrder, PurchaseOrderLine, QualificationDocument, Signature, Statement, StatementLine, Tender, TenderInvitation, TenderLine,
    User, WebhookDelivery, WebhookEndpoint,
)

P, A, ADM, AUD = Role.PROCUREMENT, Role.ACCOUNTING, Role.ADMIN, Role.AUDITOR

# Which buyer roles may read which record family.
READ_ROLES: dict[str, frozenset[Role]] = {
    "plans": frozenset({P, ADM, AUD}),
    "tenders": frozenset({P, ADM, AUD}),
    "contracts": frozenset({P, A, ADM, AUD}),
    "orders": frozenset({P, A, ADM, AUD}),
    "receipts": frozenset({P, A, ADM, AUD}),
    "statements": frozenset({A, ADM, AUD}),
    "documents": frozenset({P, A, ADM, AUD}),
    "acknowledgements": frozenset({P, A, ADM, AUD}),
    "suppliers": frozenset({P, A, ADM, AUD}),
    "audit": frozenset({ADM, AUD}),
}

# Document kinds a buyer role reads follow the records behind them.
DOCUMENT_KINDS_BY_ROLE: dict[Role, frozenset[str]] = {
    P: frozenset({"CONTRACT", "PURCHASE_ORDER", "AWARD_NOTICE", "TENDER_OPENING_RECORD", "PRODUCTION_PLAN"}),
    A: frozenset({"CONTRACT", "PURCHASE_ORDER", "STATEMENT"}),
    ADM: frozenset({"CONTRACT", "PURCHASE_ORDER", "STATEMENT", "AWARD_NOTICE", "TENDER_OPENING_RECORD",
                    "PRODUCTION_PLAN"}),
    AUD: frozenset({"CONTRACT", "PURCHASE_ORDER", "STATEMENT", "AWARD_NOTICE", "TENDER_OPENING_RECORD",
                    "PRODUCTION_PLAN"}),
}


def _staff_may(actor: Actor, family: str) -> bool:
    return actor.is_staff and actor.has_any(READ_ROLES[family])


def _nothing(qs: QuerySet) -> QuerySet:
    return qs.filter(id__in=[])


def production_plans(actor: Actor) -> QuerySet[ProductionPlan]:
    qs = ProductionPlan.all()
    if actor.is_supplier:
        return qs.filter(
            status__in=[PlanStatus.PUBLISHED, PlanStatus.WITHDRAWN], recipients__supplier_id=actor.org_id
        ).distinct()
    return qs if _staff_may(actor, "plans") else _nothing(qs)


def plan_revisions(actor: Actor) -> QuerySet[PlanRevision]:
    qs = PlanRevision.all()
    if actor.is_supplier:
        return qs.filter(recipients__supplier_id=actor.org_id).distinct()
    return qs if _staff_may(actor, "plans") else _nothing(qs)


def plan_recipients(actor: Actor) -> QuerySet[PlanRecipient]:
    """Who a revision was sent to: a supplier sees only that it was itself a recipient."""
    qs = PlanRecipient.all()
    if actor.is_supplier:
        return qs.filter(supplier_id=actor.org_id)
    return qs if _staff_may(actor, "plans") else _nothing(qs)


def plan_lines(actor: Actor) -> QuerySet[PlanLine]:
    """A supplier sees only the lines expecting it, of revisions sent to it, never another supplier's share."""
    qs = PlanLine.all()
    if actor.is_supplier:
        return qs.filter(expected_supplier_id=actor.org_id,
                         revision_id__in=Subquery(plan_recipients(actor).values("revision_id")))
    return qs if _staff_may(actor, "plans") else _nothing(qs)


def plan_commitments(actor: Actor) -> QuerySet[PlanCommitment]:
    qs = PlanCommitment.all()
    if actor.is_supplier:
        return qs.filter(supplier_id=actor.org_id)
    return qs if _staff_may(actor, "plans") else _nothing(qs)


def tenders(actor: Actor) -> QuerySet[Tender]:
    qs = Tender.all()
    if actor.is_supplier:
        return qs.filter(invitations__supplier_id=actor.org_id).exclude(status=TenderStatus.DRAFT).distinct()
    return qs if _staff_may(actor, "tenders") else _nothing(qs)


def tender_lines(actor: Actor) -> QuerySet[TenderLine]:
    qs = TenderLine.all()
    if actor.is_supplier:
        return qs.filter(tender_id__in=Subquery(tenders(actor).values("id")))
    return qs if _staff_may(actor, "tenders") else _nothing(qs)


def tender_invitations(actor: Actor) -> QuerySet[TenderInvitation]:
    """A supplier sees its own invitation only: who else was invited is not its business."""
    qs = TenderInvitation.all()
    if actor.is_supplier:
        return qs.filter(supplier_id=actor.org_id).exclude(tender__status=TenderStatus.DRAFT)
    return qs if _staff_may(actor, "tenders") else _nothing(qs)


def bids(actor: Actor) -> QuerySet[Bid]:
    """The sealed-bid rule. Staff see submitted bids only once the tender has closed; a supplier sees its own."""
    qs = Bid.all()
    if actor.is_supplier:
        return qs.filter(supplier_id=actor.org_id)
    if _staff_may(actor, "tenders"):
        return qs.filter(tender__status__in=list(TENDER_OPENED_STATUSES), status=BidStatus.SUBMITTED)
    return _nothing(qs)


def bid_lines(actor: Actor) -> QuerySet[BidLine]:
    return BidLine.filter(bid_id__in=Subquery(bids(actor).values("id")))


def awards(actor: Actor) -> QuerySet[Award]:
    qs = Award.all()
    if actor.is_supplier:
        return qs.filter(supplier_id=actor.org_id)
    return qs if _staff_may(actor, "tenders") else _nothing(qs)


def contracts(actor: Actor) -> QuerySet[Contract]:
    qs = Contract.all()
    if actor.is_supplier:
        return qs.filter(supplier_id=actor.org_id).exclude(status="DRAFT")
    return qs if _staff_may(actor, "contracts") else _nothing(qs)


def contract_lines(actor: Actor) -> QuerySet[ContractLine]:
    qs = ContractLine.all()
    if actor.is_supplier:
        return qs.filter(contract__supplier_id=actor.org_id).exclude(contract__status="DRAFT")
    return qs if _staff_may(actor, "contracts") else _nothing(qs)


def purchase_orders(actor: Actor) -> QuerySet[PurchaseOrder]:
    qs = PurchaseOrder.all()
    if actor.is_supplier:
        return qs.filter(supplier_id=actor.org_id)
    return qs if _staff_may(actor, "orders") else _nothing(qs)


def purchase_order_lines(actor: Actor) -> QuerySet[PurchaseOrderLine]:
    qs = PurchaseOrderLine.all()
    if actor.is_supplier:
        return qs.filter(order__supplier_id=actor.org_id)
    return qs if _staff_may(actor, "orders") else _nothing(qs)


def goods_receipts(actor: Actor) -> QuerySet[GoodsReceipt]:
    qs = GoodsReceipt.all()
    if actor.is_supplier:
        return qs.filter(supplier_id=actor.org_id)
    return qs if _staff_may(actor, "receipts") else _nothing(qs)


def goods_receipt_lines(actor: Actor) -> QuerySet[GoodsReceiptLine]:
    qs = GoodsReceiptLine.all()
    if actor.is_supplier:
        return qs.filter(receipt__supplier_id=actor.org_id)
    return qs if _staff_may(actor, "receipts") else _nothing(qs)


def statements(actor: Actor) -> QuerySet[Statement]:
    qs = Statement.all()
    if actor.is_supplier:
        return qs.filter(supplier_id=actor.org_id).exclude(status="DRAFT")
    return qs if _staff_may(actor, "statements") else _nothing(qs)


def statement_lines(actor: Actor) -> QuerySet[StatementLine]:
    qs = StatementLine.all()
    if actor.is_supplier:
        return qs.filter(statement__supplier_id=actor.org_id).exclude(statement__status="DRAFT")
    return qs if _staff_may(actor, "statements") else _nothing(qs)


def disputes(actor: Actor) -> QuerySet[Dispute]:
    """A dispute is visible with its statement."""
    return Dispute.filter(statement_id__in=Subquery(statements(actor).values("id")))


def documents(actor: Actor) -> QuerySet[Document]:
    qs = Document.all()
    if actor.is_supplier:
        return qs.filter(supplier_id=actor.org_id, current_version__gt=0)
    if not actor.is_staff:
        return _nothing(qs)
    kinds: set[str] = set()
    for role in actor.roles:
        kinds |= DOCUMENT_KINDS_BY_ROLE.get(role, frozenset())
    return qs.filter(kind__in=sorted(kinds)) if kinds else _nothing(qs)


def document_versions(actor: Actor) -> QuerySet[DocumentVersion]:
    return DocumentVersion.filter(document_id__in=Subquery(documents(actor).values("id")))


def signatures(actor: Actor) -> QuerySet[Signature]:
    return Signature.filter(version__document_id__in=Subquery(documents(actor).values("id")))


def acknowledgements(actor: Actor) -> QuerySet[Acknowledgement]:
    qs = Acknowledgement.all()
    if actor.is_supplier:
        return qs.filter(supplier_id=actor.org_id)
    return qs if _staff_may(actor, "acknowledgements") else _nothing(qs)


def notifications(actor: Actor) -> QuerySet[Notification]:
    """Everyone sees their own inbox, and only it."""
    return Notification.filter(user_id=actor.user_id)


# An organisation's webhook endpoints (URLs, delivery log) are read by its own admins, and the buyer's auditors.
WEBHOOK_READ_ROLES = frozenset({ADM, AUD, Role.SUPPLIER_ADMIN})


def webhook_endpoints(actor: Actor) -> QuerySet[WebhookEndpoint]:
    """The endpoints of the actor's own organisation, never another's."""
    qs = WebhookEndpoint.filter(organization_id=actor.org_id)
    return qs if actor.has_any(WEBHOOK_READ_ROLES) else _nothing(qs)


def webhook_deliveries(actor: Actor) -> QuerySet[WebhookDelivery]:
    """The delivery log of the endpoints the actor may see."""
    return WebhookDelivery.filter(message__endpoint_id__in=Subquery(webhook_endpoints(actor).values("id")))


def suppliers(actor: Actor) -> QuerySet[Organization]:
    qs = Organization.filter(kind="SUPPLIER")
    if actor.is_supplier:
        return qs.filter(id=actor.org_id)
    return qs if _staff_may(actor, "suppliers") else _nothing(qs)


def qualification_documents(actor: Actor) -> QuerySet[QualificationDocument]:
    """The documents an actor may see: those of the suppliers it may see."""
    return QualificationDocument.filter(organization_id__in=Subquery(suppliers(actor).values("id")))


def organizations(actor: Actor) -> QuerySet[Organization]:
    """Organisations an actor may name: the buyer, its own, and (for staff) every supplier."""
    if actor.is_staff:
        return Organization.all()
    return Organization.filter(Q(kind="BUYER") | Q(id=actor.org_id))


def users(actor: Actor) -> QuerySet[User]:
    """The people an actor may list: all of its own organisation's for its user admin (ADMIN for the buyer,
    SUPPLIER_ADMIN for a supplier), itself only for anyone else; never another organisation's."""
    qs = User.filter(organization_id=actor.org_id)
    return qs if USER_ADMIN_ROLES[actor.org_kind] in actor.roles else qs.filter(id=actor.user_id)


def audit_events(actor: Actor) -> QuerySet[AuditEvent]:
    qs = AuditEvent.all()
    return qs if _staff_may(actor, "audit") else _nothing(qs)


async def get_visible(queryset: QuerySet, record_id: uuid.UUID | None):
    """The record with `record_id` from a scoped queryset, or None: missing and forbidden look the same."""
    if record_id is None:
        return None
    return await queryset.filter(id=record_id).first()
