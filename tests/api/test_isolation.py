"""The isolation matrix: every query field × every role, against an oracle that restates who may see what.

For each role and each record family the connection must return exactly the records the oracle allows (no more, no
less), and the single-object field must answer for every record the oracle forbids exactly as it answers for an ID
that does not exist. The oracle is written here from the design, independently of workflows/visibility.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from domain import models as m
from domain.enums import Role
from tests.conftest import Api

ROLES = {
    "procurement": "procurement@buyer.example",
    "accounting": "accounting@buyer.example",
    "admin": "admin@buyer.example",
    "auditor": "auditor@buyer.example",
    "supplier A admin": "sales@supplier-a.example",
    "supplier A user": "orders@supplier-a.example",
    "supplier B": "sales@supplier-b.example",
}

# Which buyer roles read which family (DESIGN: staff see by role; audit is for admins and auditors).
STAFF_READS = {
    "productionPlans": {Role.PROCUREMENT, Role.ADMIN, Role.AUDITOR},
    "tenders": {Role.PROCUREMENT, Role.ADMIN, Role.AUDITOR},
    "contracts": {Role.PROCUREMENT, Role.ACCOUNTING, Role.ADMIN, Role.AUDITOR},
    "purchaseOrders": {Role.PROCUREMENT, Role.ACCOUNTING, Role.ADMIN, Role.AUDITOR},
    "goodsReceipts": {Role.PROCUREMENT, Role.ACCOUNTING, Role.ADMIN, Role.AUDITOR},
    "statements": {Role.ACCOUNTING, Role.ADMIN, Role.AUDITOR},
    "acknowledgements": {Role.PROCUREMENT, Role.ACCOUNTING, Role.ADMIN, Role.AUDITOR},
    "suppliers": {Role.PROCUREMENT, Role.ACCOUNTING, Role.ADMIN, Role.AUDITOR},
    "auditEvents": {Role.ADMIN, Role.AUDITOR},
}
STAFF_DOCUMENT_KINDS = {
    Role.PROCUREMENT: {"CONTRACT", "PURCHASE_ORDER", "AWARD_NOTICE", "TENDER_OPENING_RECORD", "PRODUCTION_PLAN"},
    Role.ACCOUNTING: {"CONTRACT", "PURCHASE_ORDER", "STATEMENT"},
    Role.ADMIN: {"CONTRACT", "PURCHASE_ORDER", "STATEMENT", "AWARD_NOTICE", "TENDER_OPENING_RECORD",
                 "PRODUCTION_PLAN"},
    Role.AUDITOR: {"CONTRACT", "PURCHASE_ORDER", "STATEMENT", "AWARD_NOTICE", "TENDER_OPENING_RECORD",
                   "PRODUCTION_PLAN"},
}


@dataclass(frozen=True)
class Viewer:
    user: m.User
    org: m.Organization

    @property
    def supplier(self) -> bool:
        return self.org.kind == "SUPPLIER"

    @property
    def roles(self) -> set[Role]:
        return {Role(r) for r in self.user.roles}


async def _all_ids(model: type) -> set[uuid.UUID]:
    return set(await model.all().values_list("id", flat=True))


async def _supplier_owned(model: type, viewer: Viewer, **extra: object) -> set[uuid.UUID]:
    return set(await model.filter(supplier_id=viewer.org.id, **extra).values_list("id", flat=True))


async def _expected_plans(viewer: Viewer) -> set[uuid.UUID]:
    if not viewer.supplier:
        return await _all_ids(m.ProductionPlan)
    addressed = set(await m.PlanRecipient.filter(supplier_id=viewer.org.id).values_list("plan_id", flat=True))
    drafts = set(await m.ProductionPlan.filter(status="DRAFT").values_list("id", flat=True))
    return addressed - drafts


async def _expected_tenders(viewer: Viewer) -> set[uuid.UUID]:
    if not viewer.supplier:
        return await _all_ids(m.Tender)
    invited = set(await m.TenderInvitation.filter(supplier_id=viewer.org.id).values_list("tender_id", flat=True))
    drafts = set(await m.Tender.filter(status="DRAFT").values_list("id", flat=True))
    return invited - drafts


async def _expected_documents(viewer: Viewer) -> set[uuid.UUID]:
    if viewer.supplier:
        return await _supplier_owned(m.Document, viewer, current_version__gt=0)
    kinds = set().union(*(STAFF_DOCUMENT_KINDS.get(role, set()) for role in viewer.roles))
    return set(await m.Document.filter(kind__in=sorted(kinds)).values_list("id", flat=True))


def _owned_or_all(model: type, **supplier_extra: object) -> Callable[[Viewer], Awaitable[set[uuid.UUID]]]:
    async def expected(viewer: Viewer) -> set[uuid.UUID]:
        if viewer.supplier:
            return await _supplier_owned(model, viewer, **supplier_extra)
        return await _all_ids(model)

    return expected


async def _expected_suppliers(viewer: Viewer) -> set[uuid.UUID]:
    if viewer.supplier:
        return {viewer.org.id}
    return set(await m.Organization.filter(kind="SUPPLIER").values_list("id", flat=True))


async def _expected_notifications(viewer: Viewer) -> set[uuid.UUID]:
    return set(await m.Notification.filter(user_id=viewer.user.id).values_list("id", flat=True))


async def _expected_audit(viewer: Viewer) -> set[uuid.UUID]:
    return set() if viewer.supplier else await _all_ids(m.AuditEvent)


# connection field, single-object field, model, oracle (before the staff role filter)
FAMILIES: list[tuple[str, str, type, Callable[[Viewer], Awaitable[set[uuid.UUID]]]]] = [
    ("productionPlans", "productionPlan", m.ProductionPlan, _expected_plans),
    ("tenders", "tender", m.Tender, _expected_tenders),
    ("contracts", "contract", m.Contract, _owned_or_all(m.Contract, status__not="DRAFT")),
    ("purchaseOrders", "purchaseOrder", m.PurchaseOrder, _owned_or_all(m.PurchaseOrder)),
    ("goodsReceipts", "goodsReceipt", m.GoodsReceipt, _owned_or_all(m.GoodsReceipt)),
    ("statements", "statement", m.Statement, _owned_or_all(m.Statement, status__not="DRAFT")),
    ("acknowledgements", "acknowledgement", m.Acknowledgement, _owned_or_all(m.Acknowledgement)),
    ("documents", "document", m.Document, _expected_documents),
    ("notifications", "notification", m.Notification, _expected_notifications),
    ("suppliers", "supplier", m.Organization, _expected_suppliers),
    ("auditEvents", "auditEvent", m.AuditEvent, _expected_audit),
]


async def expected_ids(family: str, oracle: Callable[[Viewer], Awaitable[set[uuid.UUID]]],
                       viewer: Viewer) -> set[uuid.UUID]:
    if not viewer.supplier and family in STAFF_READS and not (viewer.roles & STAFF_READS[family]):
        return set()
    return await oracle(viewer)


async def listed_ids(api: Api, field: str) -> set[uuid.UUID]:
    ids: set[uuid.UUID] = set()
    after = None
    for _ in range(200):
        data = await api.query(
            f"query($after: String) {{ {field}(first: 100, after: $after) {{ totalCount "
            f"edges {{ node {{ id }} }} pageInfo {{ hasNextPage endCursor }} }} }}", {"after": after})
        page = data[field]
        ids |= {uuid.UUID(edge["node"]["id"]) for edge in page["edges"]}
        if not page["pageInfo"]["hasNextPage"]:
            assert page["totalCount"] == len(ids), field
            return ids
        after = page["pageInfo"]["endCursor"]
    raise AssertionError(f"{field} did not end")


async def viewer_for(email: str) -> Viewer:
    user = await m.User.get(email=email).prefetch_related("organization")
    return Viewer(user=user, org=user.organization)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("family", FAMILIES, ids=[f[0] for f in FAMILIES])
async def test_connection_lists_exactly_what_the_role_may_see(api: Api, token_for, role: str, family) -> None:
    field, _single, _model, oracle = family
    viewer = await viewer_for(ROLES[role])
    api = api.as_user(await token_for(ROLES[role]))
    assert await listed_ids(api, field) == await expected_ids(field, oracle, viewer)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("family", FAMILIES, ids=[f[0] for f in FAMILIES])
async def test_a_forbidden_id_answers_like_a_missing_one(api: Api, token_for, role: str, family) -> None:
    field, single, model, oracle = family
    viewer = await viewer_for(ROLES[role])
    api = api.as_user(await token_for(ROLES[role]))
    allowed = await expected_ids(field, oracle, viewer)
    forbidden = sorted(await _all_ids(model) - allowed)[:5]
    query = f"query($id: ID!) {{ {single}(id: $id) {{ id }} }}"
    missing = await api.post(query, {"id": str(uuid.uuid4())})
    assert missing.status_code == 200 and missing.json() == {"data": {single: None}}
    for record_id in forbidden:
        response = await api.post(query, {"id": str(record_id)})
        assert (response.status_code, response.json()) == (missing.status_code, missing.json()), record_id
    for record_id in sorted(allowed)[:2]:
        data = await api.query(query, {"id": str(record_id)})
        assert data[single]["id"] == str(record_id)


@pytest.mark.parametrize("family", FAMILIES, ids=[f[0] for f in FAMILIES])
async def test_anonymous_callers_see_nothing_but_login(api: Api, family) -> None:
    field, single, model, _oracle = family
    some_id = (await model.first()).id
    for query, variables in ((f"{{ {field}(first: 5) {{ edges {{ node {{ id }} }} }} }}", None),
                             (f"query($id: ID!) {{ {single}(id: $id) {{ id }} }}", {"id": str(some_id)})):
        body = (await api.post(query, variables)).json()
        assert not any((body["data"] or {}).values())
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_demo_gives_each_named_supplier_rows_of_every_kind(api: Api, token_for) -> None:
    for email in ("sales@supplier-a.example", "sales@supplier-b.example"):
        viewer = await viewer_for(email)
        for field, _single, _model, oracle in FAMILIES:
            if field == "auditEvents":
                continue
            assert await expected_ids(field, oracle, viewer), (email, field)


async def test_another_suppliers_id_in_a_filter_finds_nothing(api: Api, token_for) -> None:
    supplier_b = await m.Organization.get(code="SUP-B")
    api = api.as_user(await token_for("sales@supplier-a.example"))
    for field in ("purchaseOrders", "contracts", "goodsReceipts", "statements", "acknowledgements", "documents"):
        data = await api.query(f'{{ {field}(filter: {{supplierId: "{supplier_b.id}"}}) {{ totalCount edges {{ node '
                               f'{{ id }} }} }} }}')
        assert data[field] == {"totalCount": 0, "edges": []}, field
