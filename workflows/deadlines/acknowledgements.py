"""Acknowledgements: what the portal sent a supplier and waits on, and the supplier's one answer to any of them.

Sending (issuing a contract, an order, a statement, publishing a plan revision, inviting to a tender) opens one with
`open_acknowledgement`, in the sender's transaction. The supplier answers with `acknowledge`: accepting countersigns
the document and moves its subject on (a contract is SIGNED, an order CONFIRMED, a statement CONFIRMED); rejecting
records the reason (a contract or order is REJECTED, a statement DISPUTED, a tender invitation declined). The signature,
the subject's transition and the acknowledgement's are one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import OPEN_ACKNOWLEDGEMENT_STATUSES, AcknowledgementKind as AK
from domain.errors import DomainError, IllegalTransition, NotFound, ValidationFailed
from domain.models import Acknowledgement, Contract, Dispute, PlanRevision, PurchaseOrder, Statement, Tender
from domain.models import TenderInvitation
from workflows import transitions as tt
from workflows import visibility
from workflows.deadlines.notices import AcknowledgementNotices, local_time
from workflows.deadlines.policies import due_time, first_action_time, policy_for
from workflows.notifications.inbox import NotificationBatch

MAX_REASON_LENGTH = 1000

Step = Callable[[BaseDBAsyncClient], Awaitable[None]]


async def open_acknowledgement(connection: BaseDBAsyncClient, *, kind: AK, subject: Model, number: str,
                               supplier_id: uuid.UUID, owner_id: uuid.UUID, sent_at: datetime,
                               document_id: uuid.UUID | None = None,
                               due_at: datetime | None = None) -> Acknowledgement:
    """Open the acknowledgement of `subject` by `supplier_id`, due by its kind's policy (or at `due_at`)."""
    policy = await policy_for(kind, connection)
    due = due_at or await due_time(policy, sent_at, connection)
    ack = await Acknowledgement.create(
        kind=kind, subject_type=type(subject).__name__, subject_id=subject.pk, subject_number=number,
        supplier_id=supplier_id, owner_id=owner_id, document_id=document_id, due_at=due, created_at=sent_at,
        next_action_at=first_action_time(policy, sent_at, due), using_db=connection,
    )
    batch = NotificationBatch(at=sent_at)
    notices = AcknowledgementNotices(batch)
    await notices.load([ack], connection, staff=False)
    notices.add(ack, "requested", key=f"ack:{ack.id}:requested", at=sent_at, recipients=notices.supplier_users(ack))
    await batch.flush(connection)
    return ack


async def close_acknowledgements(connection: BaseDBAsyncClient, subject: Model, *, name: str, actor: Actor | None,
                                 at: datetime, supplier_id: uuid.UUID | None = None, reason: str = "") -> int:
    """Take transition `name` ("accept", "reject" or "cancel") on the open acknowledgements of `subject` (of one
    supplier, or all): the subject was answered another way (a bid submitted) or withdrawn (a tender cancelled)."""
    query = Acknowledgement.filter(subject_type=type(subject).__name__, subject_id=subject.pk,
                                   status__in=sorted(OPEN_ACKNOWLEDGEMENT_STATUSES))
    if supplier_id is not None:
        query = query.filter(supplier_id=supplier_id)
    rows = await query.using_db(connection).select_for_update()
    changes: dict = {"next_action_at": None}
    if name != "cancel" and actor is not None:
        changes["answered_by_id"] = actor.user_id
    if reason:
        changes["rejection_reason"] = reason
    for row in rows:
        await tt.apply(connection, tt.ACKNOWLEDGEMENT, row, name, actor=actor, at=at, changes=changes)
    return len(rows)


@dataclass(frozen=True)
class _Answer:
    """What answering an acknowledgement does to its subject."""

    table: tt.TransitionTable | None
    record: Model | None
    transition: str | None
    changes: dict
    extra: Step | None = None


async def _subject_answer(ack: Acknowledgement, accept: bool, reason: str, actor: Actor, at: datetime) -> _Answer:
    kind = AK(ack.kind)
    if kind is AK.CONTRACT:
        contract = await Contract.get(id=ack.subject_id)
        return _Answer(tt.CONTRACT, contract, "sign" if accept else "reject",
                       {} if accept else {"rejection_reason": reason})
    if kind is AK.PURCHASE_ORDER:
        order = await PurchaseOrder.get(id=ack.subject_id)
        return _Answer(tt.ORDER, order, "confirm" if accept else "reject",
                       {} if accept else {"rejection_reason": reason})
    if kind is AK.STATEMENT:
        statement = await Statement.get(id=ack.subject_id)

        async def dispute(connection: BaseDBAsyncClient) -> None:
            await Dispute.create(statement=statement, reason=reason, raised_by_id=actor.user_id, created_at=at,
                                 using_db=connection)

        return _Answer(tt.STATEMENT, statement, "confirm" if accept else "dispute", {},
                       None if accept else dispute)
    if kind is AK.PLAN_REVISION:
        await PlanRevision.get(id=ack.subject_id)
        return _Answer(None, None, None, {})
    # A tender invitation is answered by bidding; rejecting it declines the invitation.
    if accept:
        raise IllegalTransition("a tender invitation is answered by submitting a bid (submitBid)", field="accept")
    tender = await Tender.get(id=ack.subject_id)

    async def decline(connection: BaseDBAsyncClient) -> None:
        await TenderInvitation.filter(tender_id=tender.id, supplier_id=actor.org_id).using_db(connection).update(
            declined_at=at, decline_reason=reason)

    return _Answer(None, None, None, {}, decline)


async def acknowledge(actor: Actor, acknowledgement_id: uuid.UUID | None, *, accept: bool, reason: str = "",
                      clock: Clock, documents: Any = None) -> Acknowledgement:
    """The supplier's answer to `acknowledgement_id`: accept (countersigning its document when it has one) or reject
    with a reason. Refused when the acknowledgement is not the actor's, is already answered, or its subject has moved
    on meanwhile. `documents` is the DocumentService, or an async function giving it (asked for only when there is a
    document to countersign, so a server without signing keys can still take answers that need none)."""
    ack = await visibility.get_visible(visibility.acknowledgements(actor), acknowledgement_id)
    if ack is None:
        raise NotFound("no such acknowledgement", field="id")
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationFailed("say why you reject it", field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed(f"a reason has at most {MAX_REASON_LENGTH} characters", field="reason")
    name = "accept" if accept else "reject"
    tt.check(tt.ACKNOWLEDGEMENT, ack, name, actor)
    now = clock.now()
    answer = await _subject_answer(ack, accept, reason, actor, now)
    if answer.table is not None:
        tt.check(answer.table, answer.record, answer.transition, actor)

    async def within(connection: BaseDBAsyncClient) -> None:
        if answer.table is not None:
            await tt.apply(connection, answer.table, answer.record, answer.transition, actor=actor, at=now,
                           changes=answer.changes, data={"acknowledgement": str(ack.id)})
        if answer.extra is not None:
            await answer.extra(connection)
        changes: dict = {"answered_by_id": actor.user_id, "next_action_at": None}
        if reason:
            changes["rejection_reason"] = reason
        await tt.apply(connection, tt.ACKNOWLEDGEMENT, ack, name, actor=actor, at=now, changes=changes,
                       data={"kind": str(ack.kind), "number": ack.subject_number})
        batch = NotificationBatch(at=now)
        notices = AcknowledgementNotices(batch)
        await notices.load([ack], connection)
        notices.add(ack, "answered", key=f"ack:{ack.id}:answered", at=now, recipients=notices.owner(ack),
                    accepted=accept, reason=reason, answered_local=local_time(now))
        await batch.flush(connection)

    if accept and ack.document_id is not None:
        if documents is None:
            raise DomainError("this server cannot countersign documents", code="SIGNING_UNAVAILABLE")
        service = documents if hasattr(documents, "countersign") else await documents()
        await service.countersign(ack.document_id, actor, within=within)
    else:
        async with in_transaction() as connection:
            await within(connection)
    return ack
