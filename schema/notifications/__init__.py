"""Notifications: the viewer's in-app inbox."""
