"""Tenders: tenders, their lines and invitations, sealed bids and their lines, and awards."""
