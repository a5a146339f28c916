"""`createWebhookEndpoint`, `rotateWebhookSecret`, `enableWebhookEndpoint`, `deleteWebhookEndpoint`, and the queries
`webhookEndpoints` and `webhookDeliveries`, over GraphQL: each organisation's admins manage its own endpoints only."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.enums import OutboxStatus
from domain.models import OutboxMessage, WebhookDelivery, WebhookEndpoint
from tests.conftest import Api, client_for, login
from tests.support.outbox import FreshOrganization, fresh_supplier, webhook_message
from tests.support.procurement import ADMIN, AUDITOR, PROCUREMENT, SUPPLIER_B
from tests.support.suppliers import PASSWORD
from workflows.documents.pki import MasterKey
from workflows.notifications.endpoints import open_secret

pytestmark = pytest.mark.usefixtures("demo")

MASTER = MasterKey.generate()
ERRORS = "errors { code message field }"
ENDPOINT = "id url events isActive consecutiveFailures disabledAt createdAt"
CREATE = f"""
mutation($input: CreateWebhookEndpointInput!) {{
  createWebhookEndpoint(input: $input) {{ endpoint {{ {ENDPOINT} }} secret {ERRORS} }}
}}"""
ROTATE = f"mutation($id: ID!) {{ rotateWebhookSecret(id: $id) {{ endpoint {{ id }} secret {ERRORS} }} }}"
ENABLE = f"mutation($id: ID!) {{ enableWebhookEndpoint(id: $id) {{ endpoint {{ {ENDPOINT} }} {ERRORS} }} }}"
DELETE = f"mutation($id: ID!) {{ deleteWebhookEndpoint(id: $id) {{ deletedId {ERRORS} }} }}"
ENDPOINTS = f"{{ webhookEndpoints {{ totalCount edges {{ node {{ {ENDPOINT} }} }} }} }}"
DELIVERIES = """
query($id: ID!) {
  webhookDeliveries(endpointId: $id) {
    edges { node { event idempotencyKey attempt statusCode error durationMs messageStatus } }
  }
}"""


@pytest.fixture
async def keyed_api(settings, demo) -> AsyncIterator[Api]:  # noqa: ANN001
    """A client of a server that has a master key (webhook secrets are sealed under it)."""
    keyed = replace(settings, master_key=MASTER.to_text())
    with client_for(keyed, address=f"198.51.100.{uuid.uuid4().int % 250 + 1}") as client:
        async with client.client:
            yield client


@pytest.fixture
async def supplier() -> FreshOrganization:
    return await fresh_supplier(password=True)


async def mutate(api: Api, query: str, variables: dict[str, Any], token: str, name: str) -> dict[str, Any]:
    return (await api.query(query, variables, token))[name]


def refusals(payload: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(error["code"], error["field"]) for error in payload["errors"]]


async def create(api: Api, token: str, url: str = "https://erp.w.example/hooks", events: list[str] | None = None
                 ) -> dict[str, Any]:
    return await mutate(api, CREATE, {"input": {"url": url, "events": events or []}}, token, "createWebhookEndpoint")


async def test_a_supplier_admin_creates_lists_rotates_and_deletes_an_endpoint(
        keyed_api: Api, supplier: FreshOrganization) -> None:
    token = await login(keyed_api, supplier.admin.email, PASSWORD)
    payload = await create(keyed_api, token, events=["acknowledgement.overdue"])
    assert payload["errors"] == []
    endpoint, secret = payload["endpoint"], payload["secret"]
    assert secret.startswith("whsec_")
    assert endpoint["url"] == "https://erp.w.example/hooks" and endpoint["events"] == ["acknowledgement.overdue"]
    assert endpoint["isActive"] is True and endpoint["consecutiveFailures"] == 0 and endpoint["disabledAt"] is None
    row = await WebhookEndpoint.get(id=endpoint["id"])
    assert row.organization_id == supplier.organization.id
    assert open_secret(row.encrypted_secret, MASTER, row.id) == secret

    listed = (await keyed_api.query(ENDPOINTS, token=token))["webhookEndpoints"]
    assert listed["totalCount"] == 1 and listed["edges"][0]["node"] == endpoint

    rotated = await mutate(keyed_api, ROTATE, {"id": endpoint["id"]}, token, "rotateWebhookSecret")
    assert rotated["errors"] == [] and rotated["secret"] not in (None, secret)
    assert open_secret((await WebhookEndpoint.get(id=row.id)).encrypted_secret, MASTER, row.id) == rotated["secret"]

    deleted = await mutate(keyed_api, DELETE, {"id": endpoint["id"]}, token, "deleteWebhookEndpoint")
    assert deleted == {"deletedId": endpoint["id"], "errors": []}
    assert (await keyed_api.query(ENDPOINTS, token=token))["webhookEndpoints"]["totalCount"] == 0


@pytest.mark.parametrize(("url", "events", "refusal"), [
    ("ftp://erp.w.example/hooks", [], ("INVALID", "url")),
    ("https://erp.w.example/" + "x" * 500, [], ("INVALID", "url")),
    ("https://user:secret@erp.w.example/hooks", [], ("INVALID", "url")),
    ("https://erp.w.example/hooks", ["order.shipped"], ("INVALID", "events")),
])
async def test_invalid_input_is_refused(keyed_api, supplier, url: str, events: list[str],  # noqa: ANN001
                                        refusal: tuple[str, str]) -> None:
    token = await login(keyed_api, supplier.admin.email, PASSWORD)
    payload = await create(keyed_api, token, url, events)
    assert refusals(payload) == [refusal] and payload["endpoint"] is None and payload["secret"] is None
    assert not await WebhookEndpoint.exists(organization_id=supplier.organization.id)


async def test_the_same_url_twice_is_refused(keyed_api: Api, supplier: FreshOrganization) -> None:
    token = await login(keyed_api, supplier.admin.email, PASSWORD)
    assert (await create(keyed_api, token))["errors"] == []
    assert refusals(await create(keyed_api, token)) == [("DUPLICATE", "url")]


async def test_users_who_are_not_admins_may_not_manage_endpoints(keyed_api: Api, supplier: FreshOrganization,
                                                                 token_for) -> None:  # noqa: ANN001
    user_token = await login(keyed_api, supplier.user.email, PASSWORD)
    assert refusals(await create(keyed_api, user_token)) == [("PERMISSION_DENIED", None)]
    admin_token = await login(keyed_api, supplier.admin.email, PASSWORD)
    endpoint_id = (await create(keyed_api, admin_token))["endpoint"]["id"]
    for query, name in ((DELETE, "deleteWebhookEndpoint"), (ROTATE, "rotateWebhookSecret"),
                        (ENABLE, "enableWebhookEndpoint")):
        payload = await mutate(keyed_api, query, {"id": endpoint_id}, user_token, name)
        assert refusals(payload) == [("PERMISSION_DENIED", None)]
    # A plain user does not see the organisation's endpoints either.
    assert (await keyed_api.query(ENDPOINTS, token=user_token))["webhookEndpoints"]["totalCount"] == 0
    for email in (PROCUREMENT, AUDITOR):
        assert refusals(await create(keyed_api, await token_for(email))) == [("PERMISSION_DENIED", None)]


async def test_without_a_master_key_no_endpoint_is_created(api, supplier) -> None:  # noqa: ANN001
    token = await login(api, supplier.admin.email, PASSWORD)
    payload = await create(api, token)
    assert refusals(payload) == [("WEBHOOKS_UNAVAILABLE", None)] and payload["secret"] is None
    assert "PORTAL_MASTER_KEY" in payload["errors"][0]["message"]


async def test_another_organisations_endpoint_does_not_exist_for_its_admin(keyed_api, supplier,  # noqa: ANN001
                                                                          token_for) -> None:
    token = await login(keyed_api, supplier.admin.email, PASSWORD)
    endpoint_id = (await create(keyed_api, token))["endpoint"]["id"]
    for other in (await token_for(SUPPLIER_B), await token_for(ADMIN)):
        for query, name in ((DELETE, "deleteWebhookEndpoint"), (ROTATE, "rotateWebhookSecret"),
                            (ENABLE, "enableWebhookEndpoint")):
            payload = await mutate(keyed_api, query, {"id": endpoint_id}, other, name)
            assert refusals(payload) == [("NOT_FOUND", "id")]
        listed = (await keyed_api.query(ENDPOINTS, token=other))["webhookEndpoints"]["edges"]
        assert endpoint_id not in {edge["node"]["id"] for edge in listed}
    assert await WebhookEndpoint.exists(id=endpoint_id, is_active=True)


async def test_a_disabled_endpoint_is_enabled_again_and_an_active_one_cannot_be(
        keyed_api: Api, supplier: FreshOrganization) -> None:
    token = await login(keyed_api, supplier.admin.email, PASSWORD)
    endpoint_id = (await create(keyed_api, token))["endpoint"]["id"]
    payload = await mutate(keyed_api, ENABLE, {"id": endpoint_id}, token, "enableWebhookEndpoint")
    assert refusals(payload) == [("ILLEGAL_TRANSITION", "id")]

    # As the delivery leaves it after repeated failures:
    await WebhookEndpoint.filter(id=endpoint_id).update(is_active=False, consecutive_failures=10,
                                                        disabled_at=datetime(2026, 11, 24, tzinfo=UTC))
    payload = await mutate(keyed_api, ENABLE, {"id": endpoint_id}, token, "enableWebhookEndpoint")
    assert payload["errors"] == []
    assert payload["endpoint"]["isActive"] is True and payload["endpoint"]["consecutiveFailures"] == 0
    assert payload["endpoint"]["disabledAt"] is None


async def test_the_delivery_log_is_read_by_the_organisations_admins_only(keyed_api, supplier,  # noqa: ANN001
                                                                        token_for) -> None:
    token = await login(keyed_api, supplier.admin.email, PASSWORD)
    endpoint_id = (await create(keyed_api, token))["endpoint"]["id"]
    endpoint = await WebhookEndpoint.get(id=endpoint_id)
    at = datetime(2001, 3, 1, tzinfo=UTC)
    message = webhook_message(endpoint, at)
    message.status, message.attempts = OutboxStatus.DEAD, 2  # as if delivered twice in the past and given up
    await message.save()
    for attempt, status, error in ((1, 500, "HTTP 500: down"), (2, None, "timed out")):
        await WebhookDelivery.create(message=message, attempt=attempt, status_code=status, error=error,
                                     duration_ms=12, created_at=at)

    log = (await keyed_api.query(DELIVERIES, {"id": endpoint_id}, token))["webhookDeliveries"]["edges"]
    assert [edge["node"] for edge in log] == [
        {"event": "acknowledgement.overdue", "idempotencyKey": message.idempotency_key, "attempt": attempt,
         "statusCode": status, "error": error, "durationMs": 12, "messageStatus": "DEAD"}
        for attempt, status, error in ((2, None, "timed out"), (1, 500, "HTTP 500: down"))]
    for other in (await login(keyed_api, supplier.user.email, PASSWORD), await token_for(SUPPLIER_B)):
        assert (await keyed_api.query(DELIVERIES, {"id": endpoint_id}, other))["webhookDeliveries"]["edges"] == []
    assert await OutboxMessage.exists(id=message.id)


async def test_the_buyers_admin_manages_the_buyers_endpoints_and_its_auditor_reads_them(keyed_api,  # noqa: ANN001
                                                                                       token_for) -> None:
    admin = await token_for(ADMIN)
    payload = await create(keyed_api, admin, f"https://erp.buyer.example/hooks/{uuid.uuid4().hex}")
    endpoint_id = payload["endpoint"]["id"]
    try:
        assert payload["errors"] == []
        auditor = await token_for(AUDITOR)
        listed = (await keyed_api.query(ENDPOINTS, token=auditor))["webhookEndpoints"]["edges"]
        assert endpoint_id in {edge["node"]["id"] for edge in listed}
        refused = await mutate(keyed_api, DELETE, {"id": endpoint_id}, auditor, "deleteWebhookEndpoint")
        assert refusals(refused) == [("PERMISSION_DENIED", None)]
        procurement = (await keyed_api.query(ENDPOINTS, token=await token_for(PROCUREMENT)))["webhookEndpoints"]
        assert procurement["totalCount"] == 0
    finally:
        deleted = await mutate(keyed_api, DELETE, {"id": endpoint_id}, admin, "deleteWebhookEndpoint")
        assert deleted["errors"] == []
