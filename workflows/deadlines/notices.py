"""What the portal tells people about an acknowledgement: sent, reminded, overdue, escalated, answered, closed.

`AcknowledgementNotices` loads, for a batch of acknowledgements, everyone concerned (the supplier's users, each
document's owner and the owner's manager, the buyer's administrators as a last resort) in a few queries, and adds each
notice to a `NotificationBatch`: the inbox, e-mail, and the webhooks of the supplier and of the buyer.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.enums import AcknowledgementKind as AK, OrgKind, Role
from domain.models import Acknowledgement, Organization, User
from workflows.deadlines.calendar import BUYER_TIME_ZONE
from workflows.notifications.inbox import NotificationBatch, Recipient, organisation_recipients


@dataclass(frozen=True)
class Names:
    """A name in both languages, as the notification templates read it (`what.zh`, `supplier.en`): an attribute,
    which Jinja2 finds at once, where a dict key costs it a failed attribute lookup first."""

    zh: str
    en: str


KIND_LABELS: dict[AK, Names] = {
    AK.CONTRACT: Names("合同", "contract"),
    AK.PURCHASE_ORDER: Names("采购订单", "purchase order"),
    AK.STATEMENT: Names("对账单", "statement"),
    AK.PLAN_REVISION: Names("生产计划修订", "production plan revision"),
    AK.TENDER_BID: Names("招标邀请", "tender invitation"),
}

# Who hears about what: the supplier is asked and reminded; the buyer's owner hears of escalations and answers.
SUPPLIER_EVENTS = frozenset({"requested", "reminder", "overdue", "expired", "unanswered"})
BUYER_EVENTS = frozenset({"overdue", "escalated", "answered", "expired", "unanswered"})


def local_time(at: datetime) -> str:
    return at.astimezone(BUYER_TIME_ZONE).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class _Owner:
    recipient: Recipient
    name: str
    manager_id: uuid.UUID | None


@dataclass(frozen=True)
class _Organization:
    id: uuid.UUID | None
    code: str
    names: Names

    @classmethod
    def of(cls, row: dict[str, Any]) -> _Organization:
        return cls(row["id"], row["code"], Names(row["name_zh"], row["name_en"]))


_UNKNOWN = _Organization(None, "", Names("", ""))


class AcknowledgementNotices:
    """Everyone concerned by a batch of acknowledgements, loaded at once; `add` writes one notice into a batch."""

    def __init__(self, batch: NotificationBatch) -> None:
        self.batch = batch
        self._suppliers: dict[uuid.UUID, _Organization] = {}
        self._supplier_users: dict[uuid.UUID, list[Recipient]] = {}
        self._users: dict[uuid.UUID, _Owner] = {}
        self._buyer: _Organization | None = None
        self._buyer_admins: list[Recipient] = []
        self._buyer_admins_loaded = False

    async def load(self, acknowledgements: Sequence[Acknowledgement], connection: BaseDBAsyncClient, *,
                   staff: bool = True) -> None:
        """Load everyone concerned by `acknowledgements`; without `staff`, only the suppliers and the buyer's name
        (enough to ask a supplier for an answer)."""
        supplier_ids = {ack.supplier_id for ack in acknowledgements} - self._suppliers.keys()
        if supplier_ids:
            for row in await Organization.filter(id__in=supplier_ids).using_db(connection).values(
                    "id", "code", "name_zh", "name_en"):
                self._suppliers[row["id"]] = _Organization.of(row)
            self._supplier_users.update(await organisation_recipients(supplier_ids, connection))
        if self._buyer is None:
            buyers = await Organization.filter(kind=OrgKind.BUYER).using_db(connection).order_by(
                "created_at").limit(1).values("id", "code", "name_zh", "name_en")
            self._buyer = _Organization.of(buyers[0]) if buyers else _UNKNOWN
        if not staff:
            return
        owner_ids = {ack.owner_id for ack in acknowledgements} - self._users.keys()
        await self._load_users(owner_ids, connection)
        manager_ids = {self._users[i].manager_id for i in owner_ids if self._users.get(i) and self._users[i].manager_id}
        await self._load_users(manager_ids - self._users.keys(), connection)
        if not self._buyer_admins_loaded:
            self._buyer_admins_loaded = True
            if self._buyer.id is not None:
                admins = await User.filter(organization_id=self._buyer.id, is_active=True).using_db(
                    connection).order_by("email").values("id", "email", "locale", "roles")
                self._buyer_admins = [Recipient(u["id"], u["email"], u["locale"]) for u in admins
                                      if Role.ADMIN.value in (u["roles"] or [])]

    async def _load_users(self, ids: Iterable[uuid.UUID], connection: BaseDBAsyncClient) -> None:
        ids = list(ids)
        if not ids:
            return
        for row in await User.filter(id__in=ids).using_db(connection).values(
                "id", "email", "locale", "display_name", "manager_id", "is_active"):
            self._users[row["id"]] = _Owner(Recipient(row["id"], row["email"] if row["is_active"] else "",
                                                      row["locale"]), row["display_name"], row["manager_id"])

    def escalation_recipients(self, ack: Acknowledgement, targets: Iterable[str]) -> list[Recipient]:
        """The document's owner and/or the owner's manager; the buyer's administrators when there is no manager."""
        recipients: list[Recipient] = []
        owner = self._users.get(ack.owner_id)
        for target in targets:
            if target == "OWNER" and owner is not None:
                recipients.append(owner.recipient)
            elif target == "MANAGER":
                manager = self._users.get(owner.manager_id) if owner and owner.manager_id else None
                recipients.extend([manager.recipient] if manager else self._buyer_admins)
        return recipients

    def owner(self, ack: Acknowledgement) -> list[Recipient]:
        owner = self._users.get(ack.owner_id)
        return [owner.recipient] if owner else []

    def supplier_users(self, ack: Acknowledgement) -> list[Recipient]:
        return self._supplier_users.get(ack.supplier_id, [])

    def add(self, ack: Acknowledgement, event: str, *, key: str, at: datetime, recipients: Iterable[Recipient],
            **extra: Any) -> None:
        """Notice `event` ("reminder", "overdue", …) about `ack`, keyed `key` so it is never written twice."""
        supplier = self._suppliers.get(ack.supplier_id, _UNKNOWN)
        buyer = self._buyer or _UNKNOWN
        owner = self._users.get(ack.owner_id)
        context = {
            "what": KIND_LABELS[ack.kind], "number": ack.subject_number, "due_local": local_time(ack.due_at),
            "supplier": supplier.names, "buyer": buyer.names, "owner_name": owner.name if owner else "",
            "hours_left": max(0, round((ack.due_at - at).total_seconds() / 3600)),
            "hours_overdue": max(0, round((at - ack.due_at).total_seconds() / 3600)), **extra,
        }
        organizations = []
        if event in SUPPLIER_EVENTS:
            organizations.append(ack.supplier_id)
        if event in BUYER_EVENTS and buyer.id is not None:
            organizations.append(buyer.id)
        self.batch.add(
            key=key, kind=f"acknowledgement.{event}", context=context, recipients=recipients,
            subject_type=ack.subject_type, subject_id=ack.subject_id, webhook_organizations=organizations,
            webhook_data={
                "acknowledgement_id": str(ack.id), "kind": str(ack.kind), "number": ack.subject_number,
                "subject_type": ack.subject_type, "subject_id": str(ack.subject_id), "supplier": supplier.code,
                "due_at": ack.due_at.isoformat(), "status": str(ack.status), "escalation_level": ack.escalation_level,
            },
        )
