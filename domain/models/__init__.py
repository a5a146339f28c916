"""Every Tortoise model of the portal, all areas of DESIGN section 2 (app label "models")."""

from domain.models.audit import AuditChainHead, AuditEvent, IdempotencyKey, NumberSequence
from domain.models.contracts import Contract, ContractLine
from domain.models.deadlines import Acknowledgement, CalendarDay, EscalationPolicy
from domain.models.documents import Document, DocumentFile, DocumentVersion, Signature, SigningKey
from domain.models.notifications import Notification, OutboxMessage, WebhookDelivery, WebhookEndpoint
from domain.models.orders import GoodsReceipt, GoodsReceiptLine, PurchaseOrder, PurchaseOrderLine
from domain.models.parties import AuthToken, LoginFailure, Organization, QualificationDocument, User
from domain.models.plans import PlanCommitment, PlanLine, PlanRecipient, PlanRevision, ProductionPlan
from domain.models.statements import Dispute, Statement, StatementLine
from domain.models.tenders import Award, Bid, BidLine, Tender, TenderInvitation, TenderLine

__all__ = [
    "Acknowledgement", "AuditChainHead", "AuditEvent", "AuthToken", "Award", "Bid", "BidLine", "CalendarDay",
    "Contract", "ContractLine", "Dispute", "Document", "DocumentFile", "DocumentVersion", "EscalationPolicy", "GoodsReceipt",
    "GoodsReceiptLine", "IdempotencyKey", "LoginFailure", "Notification", "NumberSequence", "Organization",
    "OutboxMessage", "PlanCommitment", "PlanLine", "PlanRecipient", "PlanRevision", "ProductionPlan",
    "PurchaseOrder", "PurchaseOrderLine", "QualificationDocument", "Signature", "SigningKey", "Statement",
    "StatementLine", "Tender", "TenderInvitation", "TenderLine", "User", "WebhookDelivery", "WebhookEndpoint",
]
