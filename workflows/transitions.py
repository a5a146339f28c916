"""The transition tables: the only place a status changes.

Each document type has a table of named transitions: the states it may leave from, the state it reaches, who may take
it (buyer roles, the supplier the record belongs to, or the portal itself), and the timestamp it sets. `apply` checks
all of that, then writes the new status with a conditional UPDATE (`WHERE id = … AND status = <the status read>`), so
a concurrent change is detected as a Conflict instead of being overwritten, and appends the audit event in the same
transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from domain.actors import Actor
from domain.enums import (
    AcknowledgementStatus as AS, BidStatus as BS, ContractStatus as CS, OrderStatus as OS, PlanStatus as PS,
    QualificationStatus as QS, Role, StatementStatus as SS, TenderStatus as TS,
)
from domain.errors import Conflict, IllegalTransition, NotFound, PermissionDenied
from domain.models import (
    Acknowledgement, Bid, Contract, Organization, ProductionPlan, PurchaseOrder, Statement, Tender,
)
from workflows.audit import PendingEvent, record_events

P, A, ADM = Role.PROCUREMENT, Role.ACCOUNTING, Role.ADMIN


@dataclass(frozen=True)
class Transition:
    """`sources` → `target`, taken by buyer staff with one of `roles`, by the record's own supplier (`supplier`), or
    by the portal's scheduler (`system`, no actor)."""

    sources: frozenset[str]
    target: str
    roles: frozenset[Role] = frozenset()
    supplier: bool = False
    system: bool = False
    stamp: str | None = None  # the timestamp column set to the transition's time


def _t(sources: str | tuple[str, ...], target: str, *, roles: tuple[Role, ...] = (), supplier: bool = False,
       system: bool = False, stamp: str | None = None) -> Transition:
    sources = (sources,) if isinstance(sources, str) else sources
    return Transition(frozenset(sources), target, frozenset(roles), supplier, system, stamp)


@dataclass(frozen=True)
class TransitionTable:
    model: type[Model]
    subject_type: str  # in audit events: "Tender" -> action "tender.publish"
    transitions: Mapping[str, Transition]
    status_field: str = "status"
    supplier_field: str | None = "supplier_id"  # whose record it is; None: addressed to nobody in particular
    label: str = field(default="")

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def names_from(self, status: str) -> list[str]:
        """The transitions that may leave `status` (for tests and for showing what can be done next)."""
        return sorted(name for name, t in self.transitions.items() if status in t.sources)


TENDER = TransitionTable(Tender, "Tender", {
    "publish": _t(TS.DRAFT, TS.PUBLISHED, roles=(P, ADM), stamp="published_at"),
    "close": _t(TS.PUBLISHED, TS.CLOSED, roles=(P, ADM), system=True, stamp="closed_at"),
    "award": _t(TS.CLOSED, TS.AWARDED, roles=(P, ADM), stamp="awarded_at"),
    "cancel": _t((TS.DRAFT, TS.PUBLISHED, TS.CLOSED), TS.CANCELLED, roles=(P, ADM), stamp="cancelled_at"),
}, supplier_field=None, label="tender")

BID = TransitionTable(Bid, "Bid", {
    # Submitting again revises the bid: SUBMITTED -> SUBMITTED, guarded by the bid's revision counter.
    "submit": _t((BS.DRAFT, BS.SUBMITTED, BS.WITHDRAWN), BS.SUBMITTED, supplier=True, stamp="submitted_at"),
    "withdraw": _t(BS.SUBMITTED, BS.WITHDRAWN, supplier=True, stamp="withdrawn_at"),
}, label="bid")

CONTRACT = TransitionTable(Contract, "Contract", {
    "issue": _t(CS.DRAFT, CS.ISSUED, roles=(P, ADM), stamp="issued_at"),
    "sign": _t(CS.ISSUED, CS.SIGNED, supplier=True, stamp="signed_at"),
    "reject": _t(CS.ISSUED, CS.REJECTED, supplier=True, stamp="rejected_at"),
    "expire": _t(CS.ISSUED, CS.EXPIRED, system=True, stamp="expired_at"),
}, label="contract")

ORDER = TransitionTable(PurchaseOrder, "PurchaseOrder", {
    "confirm": _t(OS.ISSUED, OS.CONFIRMED, supplier=True, stamp="confirmed_at"),
    "reject": _t(OS.ISSUED, OS.REJECTED, supplier=True, stamp="rejected_at"),
    "propose_change": _t(OS.ISSUED, OS.CHANGE_PROPOSED, supplier=True, stamp="change_proposed_at"),
    "accept_change": _t(OS.CHANGE_PROPOSED, OS.CONFIRMED, roles=(P, ADM), stamp="confirmed_at"),
    # The original terms stand and the supplier answers them again.
    "reject_change": _t(OS.CHANGE_PROPOSED, OS.ISSUED, roles=(P, ADM)),
    "cancel": _t((OS.ISSUED, OS.CHANGE_PROPOSED, OS.CONFIRMED), OS.CANCELLED, roles=(P, ADM), stamp="cancelled_at"),
    "close": _t(OS.CONFIRMED, OS.CLOSED, roles=(P, A, ADM), system=True, stamp="closed_at"),
}, label="purchase order")

STATEMENT = TransitionTable(Statement, "Statement", {
    "issue": _t(SS.DRAFT, SS.ISSUED, roles=(A, ADM), stamp="issued_at"),
    "confirm": _t(SS.ISSUED, SS.CONFIRMED, supplier=True, stamp="confirmed_at"),
    "dispute": _t(SS.ISSUED, SS.DISPUTED, supplier=True, stamp="disputed_at"),
    # A revised version replaces it; the history stays.
    "supersede": _t((SS.DRAFT, SS.ISSUED, SS.DISPUTED), SS.SUPERSEDED, roles=(A, ADM)),
}, label="statement")

PLAN = TransitionTable(ProductionPlan, "ProductionPlan", {
    # Publishing revision n + 1 of a published plan: PUBLISHED -> PUBLISHED, guarded by current_revision.
    "publish": _t((PS.DRAFT, PS.PUBLISHED), PS.PUBLISHED, roles=(P, ADM), stamp="published_at"),
    "withdraw": _t(PS.PUBLISHED, PS.WITHDRAWN, roles=(P, ADM), stamp="withdrawn_at"),
}, supplier_field=None, label="production plan")

SUPPLIER = TransitionTable(Organization, "Organization", {
    "qualify": _t((QS.APPLIED, QS.SUSPENDED), QS.QUALIFIED, roles=(P, ADM), stamp="qualified_at"),
    "suspend": _t(QS.QUALIFIED, QS.SUSPENDED, roles=(P, ADM), stamp="suspended_at"),
    "reject": _t(QS.APPLIED, QS.REJECTED, roles=(P, ADM), stamp="rejected_at"),
}, status_field="qualification_status", supplier_field=None, label="supplier")

_OPEN = (AS.PENDING, AS.OVERDUE, AS.ESCALATED)
ACKNOWLEDGEMENT = TransitionTable(Acknowledgement, "Acknowledgement", {
    "accept": _t(_OPEN, AS.ACKNOWLEDGED, supplier=True, stamp="answered_at"),
    "reject": _t(_OPEN, AS.REJECTED, supplier=True, stamp="answered_at"),
    # The supplier answered a purchase order with a change (proposeOrderChange) and staff accepted it: answered.
    "accept_change": _t(_OPEN, AS.ACKNOWLEDGED, roles=(P, ADM), stamp="answered_at"),
    "overdue": _t(AS.PENDING, AS.OVERDUE, system=True),
    "escalate": _t((AS.OVERDUE, AS.ESCALATED), AS.ESCALATED, system=True),
    "cancel": _t(_OPEN, AS.CANCELLED, roles=(P, A, ADM), system=True),
}, label="acknowledgement")

TABLES = (TENDER, BID, CONTRACT, ORDER, STATEMENT, PLAN, SUPPLIER, ACKNOWLEDGEMENT)


def _name_of(record: Model, table: TransitionTable) -> str:
    number = getattr(record, "number", None) or getattr(record, "subject_number", None) or getattr(record, "code", "")
    return f"{table.label} {number}".strip()


def check(table: TransitionTable, record: Model, name: str, actor: Actor | None) -> Transition:
    """The transition `name` of `record`, if `actor` may take it from the record's current status; raises otherwise.

    Order of refusals: a supplier asking about another supplier's record gets NotFound (it must not learn the record
    exists), anyone else without the right gets PermissionDenied, then a wrong status gets IllegalTransition."""
    transition = table[name]
    if actor is None:
        if not transition.system:
            raise PermissionDenied(f"{name} needs a user")
    elif actor.is_supplier:
        owner = getattr(record, table.supplier_field, None) if table.supplier_field else None
        if owner != actor.org_id:
            raise NotFound(f"no such {table.label}", field="id")
        if not transition.supplier:
            raise PermissionDenied(f"a supplier cannot {name.replace('_', ' ')} a {table.label}")
    elif not (actor.is_staff and actor.has_any(transition.roles)):
        allowed = ", ".join(sorted(role.value for role in transition.roles)) or "the supplier"
        raise PermissionDenied(f"to {name.replace('_', ' ')} a {table.label} takes the role {allowed}")
    status = getattr(record, table.status_field)
    if status not in transition.sources:
        raise IllegalTransition(
            f"{_name_of(record, table)} is {str(status).lower().replace('_', ' ')}: it cannot "
            f"{name.replace('_', ' ')} (only from {', '.join(sorted(s.lower() for s in transition.sources))})",
            field="id")
    return transition


async def apply(connection: BaseDBAsyncClient, table: TransitionTable, record: Model, name: str, *,
                actor: Actor | None, at: datetime, changes: Mapping[str, Any] | None = None,
                expect: Mapping[str, Any] | None = None, data: Mapping[str, Any] | None = None,
                supplier_id: Any = None) -> Transition:
    """Take transition `name` of `record` inside the caller's transaction `connection`.

    `changes` are further columns written by the same UPDATE; `expect` are further columns the row must still hold
    (a revision counter, for transitions that keep the status). When another transaction changed the row since it was
    read, nothing is written and Conflict is raised. The record object is updated to match the row."""
    transition = check(table, record, name, actor)
    status_field = table.status_field
    old = getattr(record, status_field)
    values: dict[str, Any] = {status_field: transition.target, **(changes or {})}
    if transition.stamp:
        values[transition.stamp] = at
    condition = {"id": record.pk, status_field: old, **(expect or {})}
    updated = await table.model.filter(**condition).using_db(connection).update(**values)
    if not updated:
        raise Conflict(f"{_name_of(record, table)} was changed by someone else meanwhile; reload it and try again",
                       field="id")
    for column, value in values.items():
        setattr(record, column, value)
    await record_events(connection, [event_for(table, record, name, actor=actor, at=at, old=old, data=data,
                                               supplier_id=supplier_id)])
    return transition


def event_for(table: TransitionTable, record: Model, name: str, *, actor: Actor | None, at: datetime, old: Any,
              data: Mapping[str, Any] | None = None, supplier_id: Any = None) -> PendingEvent:
    """The audit event of transition `name` of `record` (from status `old`): `apply` records it; a caller writing many
    rows at once (the deadline scheduler) checks each with `check` and records these in one append."""
    owner = supplier_id if supplier_id is not None else (
        getattr(record, table.supplier_field, None) if table.supplier_field else None)
    target = table[name].target
    return PendingEvent(
        at, actor, f"{table.subject_type[0].lower()}{table.subject_type[1:]}.{name}", table.subject_type, record.pk,
        supplier_id=owner, data={"from": str(old), "to": str(target), **(data or {})},
    )
