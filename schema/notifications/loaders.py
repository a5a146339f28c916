"""Loaders for notifications. A notification has no nested records, so there are none yet: its fields are its row's."""

from __future__ import annotations
