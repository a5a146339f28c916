"""Fixtures and documents of the statement mutation tests."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.models import Statement
from workflows import statements

from tests.support.procurement import ACCOUNTING, actor, clock, signing_api, supplier, unsigned_documents  # noqa: F401
from tests.support.statement_world import Delivery, deliveries

STATEMENT_FIELDS = "id number status version period goodsAmount { amount currency } deductionAmount { amount } " \
                   "total { amount } lines { id lineNo kind description quantity amount { amount } } " \
                   "disputes { reason statementLine { lineNo } } previous { id number }"
ERRORS = "errors { code message field }"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def draft_statement(supplier_code: str, period: str, *items: Delivery) -> Statement:
    """A DRAFT statement of the supplier's deliveries in the month (one of 10 by default on the 10th)."""
    items = items or (Delivery(at(f"{period}-10T02:00:00"), price="2.5", received="10"),)
    await deliveries(supplier_code, *items)
    return await statements.generate_statement(await actor(ACCOUNTING), (await supplier(supplier_code)).id, period,
                                               clock=clock())


async def issued_statement(supplier_code: str, period: str, *items: Delivery) -> Statement:
    """An ISSUED statement (its document recorded without a PDF)."""
    draft = await draft_statement(supplier_code, period, *items)
    return await statements.issue_statement(await actor(ACCOUNTING), draft.id, clock=clock(),
                                            documents=await unsigned_documents())
