"""Queries for webhooks: `webhookEndpoints` and `webhookDeliveries(endpointId)`, of the viewer's own organisation."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.filters import require_id
from schema.notifications.types import WebhookDelivery, WebhookEndpoint
from schema.pagination import Connection, paginate
from schema.permissions import IsAuthenticated
from workflows import visibility


@strawberry.type
class WebhooksQuery:
    @strawberry.field(permission_classes=[IsAuthenticated],
                      description="The webhook endpoints of the viewer's organisation (its admins see them).")
    async def webhook_endpoints(self, info: Info, first: int | None = None,
                                after: str | None = None) -> Connection[WebhookEndpoint]:
        queryset = visibility.webhook_endpoints(info.context.require_actor())
        return await paginate(queryset, first=first, after=after, to_node=WebhookEndpoint.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated],
                      description="The delivery log of one of the viewer's organisation's endpoints, newest first.")
    async def webhook_deliveries(self, info: Info, endpoint_id: strawberry.ID, first: int | None = None,
                                 after: str | None = None) -> Connection[WebhookDelivery]:
        queryset = visibility.webhook_deliveries(info.context.require_actor()).filter(
            message__endpoint_id=require_id(endpoint_id, "endpointId")).select_related("message")
        return await paginate(queryset, first=first, after=after, to_node=WebhookDelivery.from_row)
