"""Notifications: the in-app inbox, and the outbox from which e-mail and webhooks are delivered at least once."""
