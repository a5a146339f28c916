"""`deleteWebhookEndpoint`: remove an endpoint with its undelivered events and delivery log."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from workflows.notifications import endpoints


@strawberry.type
class DeleteWebhookEndpointPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def delete_webhook_endpoint(info: Info, id: strawberry.ID) -> DeleteWebhookEndpointPayload:
    context = info.context
    endpoint_id = require_id(id)
    _, errors = await attempt(endpoints.delete_endpoint(context.require_actor(), endpoint_id, clock=context.clock))
    return DeleteWebhookEndpointPayload(deleted_id=None if errors else id, errors=errors)
