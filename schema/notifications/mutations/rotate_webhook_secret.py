"""`rotateWebhookSecret`: a new signing secret for an endpoint, shown once; the old one stops working at once."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.notifications.mutations.create_webhook_endpoint import server_master_key
from schema.notifications.types import WebhookEndpoint
from workflows.notifications import endpoints


@strawberry.type
class RotateWebhookSecretPayload:
    endpoint: WebhookEndpoint | None = None
    secret: str | None = strawberry.field(default=None, description="Shown once.")
    errors: list[UserError] = strawberry.field(default_factory=list)


async def rotate_webhook_secret(info: Info, id: strawberry.ID) -> RotateWebhookSecretPayload:
    context = info.context
    issued, errors = await attempt(endpoints.rotate_secret(
        context.require_actor(), require_id(id), master=server_master_key(context), clock=context.clock))
    if issued is None:
        return RotateWebhookSecretPayload(errors=errors)
    return RotateWebhookSecretPayload(endpoint=WebhookEndpoint.from_row(issued.endpoint), secret=issued.secret)
