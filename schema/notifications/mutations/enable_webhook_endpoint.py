"""`enableWebhookEndpoint`: turn an endpoint disabled after repeated failures back on, its failure count reset."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.notifications.types import WebhookEndpoint
from workflows.notifications import endpoints


@strawberry.type
class EnableWebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def enable_webhook_endpoint(info: Info, id: strawberry.ID) -> EnableWebhookEndpointPayload:
    context = info.context
    row, errors = await attempt(endpoints.enable_endpoint(context.require_actor(), require_id(id),
                                                          clock=context.clock))
    return EnableWebhookEndpointPayload(endpoint=WebhookEndpoint.from_row(row) if row else None, errors=errors)
