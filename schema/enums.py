"""The domain's enums, exposed to GraphQL under the same names and values."""

from __future__ import annotations

import strawberry

from domain import enums

OrgKind = strawberry.enum(enums.OrgKind)
QualificationStatus = strawberry.enum(enums.QualificationStatus)
Role = strawberry.enum(enums.Role)
PlanStatus = strawberry.enum(enums.PlanStatus)
TenderStatus = strawberry.enum(enums.TenderStatus)
TenderVisibility = strawberry.enum(enums.TenderVisibility)
BidStatus = strawberry.enum(enums.BidStatus)
ContractStatus = strawberry.enum(enums.ContractStatus)
OrderStatus = strawberry.enum(enums.OrderStatus)
StatementStatus = strawberry.enum(enums.StatementStatus)
StatementLineKind = strawberry.enum(enums.StatementLineKind)
DocumentKind = strawberry.enum(enums.DocumentKind)
AcknowledgementKind = strawberry.enum(enums.AcknowledgementKind)
AcknowledgementStatus = strawberry.enum(enums.AcknowledgementStatus)
QualificationDocumentKind = strawberry.enum(enums.QualificationDocumentKind)
