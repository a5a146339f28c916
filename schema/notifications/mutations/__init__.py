"""The Mutation fields of notifications."""

from __future__ import annotations

import strawberry

from schema.notifications.mutations.create_webhook_endpoint import (
    CreateWebhookEndpointPayload, create_webhook_endpoint,
)
from schema.notifications.mutations.delete_webhook_endpoint import (
    DeleteWebhookEndpointPayload, delete_webhook_endpoint,
)
from schema.notifications.mutations.enable_webhook_endpoint import (
    EnableWebhookEndpointPayload, enable_webhook_endpoint,
)
from schema.notifications.mutations.mark_read import MarkNotificationsReadPayload, mark_notifications_read
from schema.notifications.mutations.rotate_webhook_secret import RotateWebhookSecretPayload, rotate_webhook_secret
from schema.permissions import IsAuthenticated


@strawberry.type
class NotificationsMutation:
    mark_notifications_read: MarkNotificationsReadPayload = strawberry.mutation(
        resolver=mark_notifications_read, permission_classes=[IsAuthenticated],
        description="Mark the viewer's own notifications read: `ids`, or every unread one with `all: true`.")
    create_webhook_endpoint: CreateWebhookEndpointPayload = strawberry.mutation(
        resolver=create_webhook_endpoint, permission_classes=[IsAuthenticated],
        description="A webhook endpoint of the viewer's organisation (its admins'), with its secret shown once.")
    delete_webhook_endpoint: DeleteWebhookEndpointPayload = strawberry.mutation(
        resolver=delete_webhook_endpoint, permission_classes=[IsAuthenticated],
        description="Delete an endpoint, with its undelivered events and delivery log.")
    rotate_webhook_secret: RotateWebhookSecretPayload = strawberry.mutation(
        resolver=rotate_webhook_secret, permission_classes=[IsAuthenticated],
        description="A new signing secret for an endpoint, shown once; the old one stops working.")
    enable_webhook_endpoint: EnableWebhookEndpointPayload = strawberry.mutation(
        resolver=enable_webhook_endpoint, permission_classes=[IsAuthenticated],
        description="Turn an endpoint disabled after repeated failures back on.")
