"""Audit: the append-only, hash-chained trail of every state change (admins and auditors only)."""
