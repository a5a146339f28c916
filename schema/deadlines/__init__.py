"""Deadlines: the acknowledgements a supplier owes, when they are due, and how far they have escalated."""
