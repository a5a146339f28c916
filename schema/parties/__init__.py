"""Parties: organisations, suppliers, users, the viewer; login, logout and API tokens."""
