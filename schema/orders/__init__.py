"""Orders: purchase orders, their lines, and goods receipts."""
