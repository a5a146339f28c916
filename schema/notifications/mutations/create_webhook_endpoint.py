"""`createWebhookEndpoint`: an endpoint of the viewer's organisation, and its signing secret, shown once."""

from __future__ import annotations

import strawberry

from schema.context import Context, Info
from schema.errors import UserError, attempt
from schema.notifications.types import WebhookEndpoint
from workflows.documents.pki import MasterKey
from workflows.notifications import endpoints


def server_master_key(context: Context) -> MasterKey | None:
    """The master key that seals webhook secrets; None when the server has none (WEBHOOKS_UNAVAILABLE)."""
    return context.master_key() if context.master_key is not None else None


def server_in_production(context: Context) -> bool:
    """Whether the server runs in production (https-only webhook URLs)."""
    return context.production


@strawberry.input
class CreateWebhookEndpointInput:
    url: str = strawberry.field(description="https:// (http:// too outside production), at most 500 characters.")
    events: list[str] = strawberry.field(default_factory=list,
                                         description="Event kinds to receive, e.g. `acknowledgement.overdue`; "
                                                     "none: every event.")


@strawberry.type
class CreateWebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = None
    secret: str | None = strawberry.field(default=None, description="Shown once: signs every request "
                                                                    "(`X-Portal-Signature`).")
    errors: list[UserError] = strawberry.field(default_factory=list)


async def create_webhook_endpoint(info: Info, input: CreateWebhookEndpointInput) -> CreateWebhookEndpointPayload:
    context = info.context
    issued, errors = await attempt(endpoints.create_endpoint(
        context.require_actor(), input.url, input.events, master=server_master_key(context), clock=context.clock,
        production=server_in_production(context)))
    if issued is None:
        return CreateWebhookEndpointPayload(errors=errors)
    return CreateWebhookEndpointPayload(endpoint=WebhookEndpoint.from_row(issued.endpoint), secret=issued.secret)
