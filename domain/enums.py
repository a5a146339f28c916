"""Statuses, roles and kinds. Their string values are stored in the database and shown in the API: never rename one."""

from __future__ import annotations

from enum import StrEnum


class OrgKind(StrEnum):
    BUYER = "BUYER"
    SUPPLIER = "SUPPLIER"


class QualificationStatus(StrEnum):
    APPLIED = "APPLIED"
    QUALIFIED = "QUALIFIED"
    SUSPENDED = "SUSPENDED"
    REJECTED = "REJECTED"


class Role(StrEnum):
    PROCUREMENT = "PROCUREMENT"
    ACCOUNTING = "ACCOUNTING"
    ADMIN = "ADMIN"
    AUDITOR = "AUDITOR"
    SUPPLIER_ADMIN = "SUPPLIER_ADMIN"
    SUPPLIER_USER = "SUPPLIER_USER"


BUYER_ROLES = frozenset({Role.PROCUREMENT, Role.ACCOUNTING, Role.ADMIN, Role.AUDITOR})
SUPPLIER_ROLES = frozenset({Role.SUPPLIER_ADMIN, Role.SUPPLIER_USER})
# The role that administers an organisation's users (invites, deactivates, lists them), by its kind.
USER_ADMIN_ROLES = {OrgKind.BUYER: Role.ADMIN, OrgKind.SUPPLIER: Role.SUPPLIER_ADMIN}


class TokenKind(StrEnum):
    SESSION = "SESSION"
    API = "API"


class QualificationDocumentKind(StrEnum):
    BUSINESS_LICENCE = "BUSINESS_LICENCE"
    ISO_9001 = "ISO_9001"
    ISO_14001 = "ISO_14001"
    IATF_16949 = "IATF_16949"
    OTHER = "OTHER"


class PlanStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    WITHDRAWN = "WITHDRAWN"


class TenderStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    CLOSED = "CLOSED"
    AWARDED = "AWARDED"
    CANCELLED = "CANCELLED"


# Bid contents become readable by the buyer only once the tender has reached one of these.
TENDER_OPENED_STATUSES = frozenset({TenderStatus.CLOSED, TenderStatus.AWARDED})


class TenderVisibility(StrEnum):
    INVITED = "INVITED"
    OPEN = "OPEN"


class BidStatus(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    WITHDRAWN = "WITHDRAWN"


class ContractStatus(StrEnum):
    DRAFT = "DRAFT"
    ISSUED = "ISSUED"
    SIGNED = "SIGNED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"


class OrderStatus(StrEnum):
    ISSUED = "ISSUED"
    CHANGE_PROPOSED = "CHANGE_PROPOSED"
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"
    CLOSED = "CLOSED"


class StatementStatus(StrEnum):
    DRAFT = "DRAFT"
    ISSUED = "ISSUED"
    CONFIRMED = "CONFIRMED"
    DISPUTED = "DISPUTED"
    SUPERSEDED = "SUPERSEDED"


class StatementLineKind(StrEnum):
    RECEIPT = "RECEIPT"
    DEDUCTION = "DEDUCTION"


class DocumentKind(StrEnum):
    CONTRACT = "CONTRACT"
    PURCHASE_ORDER = "PURCHASE_ORDER"
    STATEMENT = "STATEMENT"
    AWARD_NOTICE = "AWARD_NOTICE"
    TENDER_OPENING_RECORD = "TENDER_OPENING_RECORD"
    PRODUCTION_PLAN = "PRODUCTION_PLAN"

    @property
    def file_prefix(self) -> str:
        """The file-name prefix of DESIGN section 5: `contract-HT-2026-0001.pdf`."""
        return self.value.lower().replace("_", "-")


class DocumentFileRole(StrEnum):
    ISSUED = "ISSUED"  # signed by the buyer
    COUNTERSIGNED = "COUNTERSIGNED"  # and by the supplier
    EVIDENCE = "EVIDENCE"  # the certificate of completion, sealed by the portal


class KeyKind(StrEnum):
    ROOT = "ROOT"
    SIGNING = "SIGNING"


class KeyStatus(StrEnum):
    ACTIVE = "ACTIVE"
    RETIRED = "RETIRED"
    REVOKED = "REVOKED"


class AcknowledgementKind(StrEnum):
    CONTRACT = "CONTRACT"
    PURCHASE_ORDER = "PURCHASE_ORDER"
    STATEMENT = "STATEMENT"
    PLAN_REVISION = "PLAN_REVISION"
    TENDER_BID = "TENDER_BID"


class AcknowledgementStatus(StrEnum):
    PENDING = "PENDING"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    REJECTED = "REJECTED"
    OVERDUE = "OVERDUE"
    ESCALATED = "ESCALATED"
    CANCELLED = "CANCELLED"


OPEN_ACKNOWLEDGEMENT_STATUSES = frozenset(
    {AcknowledgementStatus.PENDING, AcknowledgementStatus.OVERDUE, AcknowledgementStatus.ESCALATED}
)


class OutboxChannel(StrEnum):
    EMAIL = "EMAIL"
    WEBHOOK = "WEBHOOK"


class OutboxStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    FAILED = "FAILED"
    DEAD = "DEAD"
