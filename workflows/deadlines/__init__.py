"""Deadlines: the working calendar, escalation policies, and the acknowledgements a supplier owes."""
