"""Managing webhook endpoints: who may, which URLs and events, and the secret sealed under the master key."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from domain.clock import FrozenClock
from domain.errors import DomainError
from domain.models import AuditEvent, WebhookEndpoint
from tests.support.outbox import fresh_supplier
from tests.support.procurement import ADMIN, AUDITOR, PROCUREMENT, actor
from workflows.documents.pki import MasterKey, MasterKeyError
from workflows.notifications import endpoints
from workflows.notifications.endpoints import open_secret, validate_events, validate_url

pytestmark = pytest.mark.usefixtures("demo")

MASTER = MasterKey.generate()
CLOCK = FrozenClock(datetime(2026, 11, 24, 2, 0, tzinfo=UTC))


@pytest.mark.parametrize(("url", "production", "accepted"), [
    ("https://erp.supplier.example/hooks/portal", True, True),
    ("  https://erp.supplier.example:8443/hooks?source=portal  ", True, True),
    ("http://erp.supplier.example/hooks", False, True),
    ("http://127.0.0.1:8080/hooks", False, True),
    ("http://erp.supplier.example/hooks", True, False),  # production takes https only
    ("https://localhost/hooks", True, False),
    ("https://10.1.2.3/hooks", True, False),
    ("https://169.254.169.254/latest/meta-data", True, False),
    ("https://[::1]/hooks", True, False),
    ("https://printer.local/hooks", True, False),
    ("https://203.0.113.0.example/hooks", True, True),
    ("ftp://erp.supplier.example/hooks", False, False),
    ("https:///hooks", False, False),
    ("https://user:pass@erp.supplier.example/hooks", False, False),
    ("https://erp.supplier.example/hooks#part", False, False),
    ("https://erp.supplier.example/my hooks", False, False),
    ("https://erp.supplier.example:99999/hooks", False, False),
    ("https://erp.supplier.example/" + "x" * 480, False, False),
    ("", False, False),
])
def test_webhook_urls(url: str, production: bool, accepted: bool) -> None:
    if accepted:
        assert validate_url(url, production=production) == url.strip()
    else:
        with pytest.raises(DomainError) as refused:
            validate_url(url, production=production)
        assert (refused.value.code, refused.value.field) == ("INVALID", "url")


def test_events_must_be_known_and_are_kept_once_each() -> None:
    assert validate_events([]) == []
    assert validate_events(["acknowledgement.overdue", " acknowledgement.overdue", "acknowledgement.reminder"]) == [
        "acknowledgement.overdue", "acknowledgement.reminder"]
    with pytest.raises(DomainError) as refused:
        validate_events(["acknowledgement.overdue", "order.shipped"])
    assert (refused.value.code, refused.value.field) == ("INVALID", "events")


async def test_a_supplier_admin_manages_its_endpoints_and_the_secret_is_sealed() -> None:
    supplier = await fresh_supplier()
    admin = supplier.admin.actor
    issued = await endpoints.create_endpoint(admin, "https://erp.w.example/hooks", ["acknowledgement.overdue"],
                                             master=MASTER, clock=CLOCK, production=True)
    endpoint = issued.endpoint
    assert issued.secret.startswith("whsec_") and len(issued.secret) > 40
    assert endpoint.organization_id == supplier.organization.id and endpoint.events == ["acknowledgement.overdue"]
    stored = await WebhookEndpoint.get(id=endpoint.id)
    assert issued.secret.encode() not in bytes(stored.encrypted_secret)
    assert open_secret(stored.encrypted_secret, MASTER, endpoint.id) == issued.secret
    with pytest.raises(MasterKeyError):
        open_secret(stored.encrypted_secret, MasterKey.generate(), endpoint.id)
    with pytest.raises(MasterKeyError):  # a sealed secret copied onto another endpoint does not open there
        open_secret(stored.encrypted_secret, MASTER, uuid.uuid4())

    rotated = await endpoints.rotate_secret(admin, endpoint.id, master=MASTER, clock=CLOCK)
    assert rotated.secret != issued.secret
    assert open_secret((await WebhookEndpoint.get(id=endpoint.id)).encrypted_secret, MASTER,
                       endpoint.id) == rotated.secret

    with pytest.raises(DomainError) as refused:
        await endpoints.enable_endpoint(admin, endpoint.id, clock=CLOCK)
    assert (refused.value.code, refused.value.field) == ("ILLEGAL_TRANSITION", "id")

    await endpoints.delete_endpoint(admin, endpoint.id, clock=CLOCK)
    assert not await WebhookEndpoint.exists(id=endpoint.id)
    actions = await AuditEvent.filter(subject_id=endpoint.id).order_by("seq").values_list("action", flat=True)
    assert actions == ["webhook_endpoint.create", "webhook_endpoint.rotate_secret", "webhook_endpoint.delete"]
    with pytest.raises(DomainError) as refused:
        await endpoints.delete_endpoint(admin, endpoint.id, clock=CLOCK)
    assert (refused.value.code, refused.value.field) == ("NOT_FOUND", "id")


async def test_refusals() -> None:
    supplier = await fresh_supplier()
    other = await fresh_supplier()
    create = endpoints.create_endpoint
    url = "https://erp.w.example/hooks"

    async def code_of(call) -> tuple[str, str | None]:  # noqa: ANN001
        with pytest.raises(DomainError) as refused:
            await call
        return refused.value.code, refused.value.field

    assert await code_of(create(supplier.user.actor, url, master=MASTER, clock=CLOCK, production=True)) == (
        "PERMISSION_DENIED", None)
    for email in (PROCUREMENT, AUDITOR):
        assert (await code_of(create(await actor(email), url, master=MASTER, clock=CLOCK, production=True)))[0] == \
            "PERMISSION_DENIED"
    assert await code_of(create(supplier.admin.actor, url, master=None, clock=CLOCK, production=True)) == (
        "WEBHOOKS_UNAVAILABLE", None)

    mine = (await create(supplier.admin.actor, url, master=MASTER, clock=CLOCK, production=True)).endpoint
    assert await code_of(create(supplier.admin.actor, url, master=MASTER, clock=CLOCK, production=True)) == (
        "DUPLICATE", "url")
    for n in range(endpoints.MAX_ENDPOINTS_PER_ORGANIZATION - 1):
        await create(supplier.admin.actor, f"{url}/{n}", master=MASTER, clock=CLOCK, production=True)
    assert await code_of(create(supplier.admin.actor, f"{url}/more", master=MASTER, clock=CLOCK,
                                production=True)) == ("LIMIT_EXCEEDED", "url")

    # Another organisation's endpoint does not exist for its admin; a plain user may not manage at all.
    for call in (endpoints.delete_endpoint(other.admin.actor, mine.id, clock=CLOCK),
                 endpoints.enable_endpoint(other.admin.actor, mine.id, clock=CLOCK),
                 endpoints.rotate_secret(other.admin.actor, mine.id, master=MASTER, clock=CLOCK)):
        assert await code_of(call) == ("NOT_FOUND", "id")
    assert (await code_of(endpoints.delete_endpoint(supplier.user.actor, mine.id, clock=CLOCK)))[0] == \
        "PERMISSION_DENIED"
    assert await code_of(endpoints.rotate_secret(supplier.admin.actor, mine.id, master=None, clock=CLOCK)) == (
        "WEBHOOKS_UNAVAILABLE", None)
    assert await WebhookEndpoint.exists(id=mine.id)


async def test_the_buyer_admin_manages_the_buyers_endpoints() -> None:
    admin = await actor(ADMIN)
    issued = await endpoints.create_endpoint(admin, f"https://erp.buyer.example/hooks/{uuid.uuid4().hex}", [],
                                             master=MASTER, clock=CLOCK, production=True)
    try:
        assert issued.endpoint.organization_id == admin.org_id and issued.endpoint.events == []
        supplier = await fresh_supplier()
        with pytest.raises(DomainError) as refused:
            await endpoints.delete_endpoint(supplier.admin.actor, issued.endpoint.id, clock=CLOCK)
        assert refused.value.code == "NOT_FOUND"
    finally:
        await endpoints.delete_endpoint(admin, issued.endpoint.id, clock=CLOCK)
