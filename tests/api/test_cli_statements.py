"""`portal statements generate --period YYYY-MM`, run as a user runs it, against the test session's database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from domain.enums import StatementStatus
from domain.models import AuditEvent, Statement, User

from tests.schema.statements.conftest import at
from tests.support.procurement import ACCOUNTING, supplier
from tests.support.statement_world import Delivery, deliveries

pytestmark = pytest.mark.usefixtures("demo")

ROOT = Path(__file__).resolve().parents[2]


def portal(settings, *args: str) -> subprocess.CompletedProcess:  # noqa: ANN001
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    environment.update(PORTAL_DATA_DIR=str(settings.data_dir), PORTAL_DATABASE_URL=settings.database_url,
                       COLUMNS="160")
    return subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=300)


async def test_generates_every_suppliers_statement_of_the_month_once(settings) -> None:  # noqa: ANN001
    await deliveries("SUP-A", Delivery(at("2024-05-06T02:00:00"), price="1.25", received="80"))
    await deliveries("SUP-C", Delivery(at("2024-05-07T02:00:00"), price="3", received="10", rejected="1"))
    first = portal(settings, "statements", "generate", "--period", "2024-05")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "statements 2024-05" in first.stdout and f"as {ACCOUNTING}" in first.stdout
    assert "2 generated, 0 skipped (already stated), 0 failed" in first.stdout
    made = await Statement.filter(period="2024-05").prefetch_related("supplier").order_by("number")
    assert sorted((s.supplier.code, s.status, s.total_amount) for s in made) == [
        ("SUP-A", StatementStatus.DRAFT, 100), ("SUP-C", StatementStatus.DRAFT, 27)]
    assert all(s.number in first.stdout for s in made)
    accountant = await User.get(email=ACCOUNTING)
    assert await AuditEvent.filter(action="statement.generate", actor_user_id=accountant.id,
                                   subject_id__in=[s.id for s in made]).count() == 2

    again = portal(settings, "statements", "generate", "--period", "2024-05")
    assert again.returncode == 0 and "0 generated, 2 skipped" in again.stdout
    assert await Statement.filter(period="2024-05").count() == 2


async def test_a_failing_supplier_is_reported_and_the_others_are_generated(settings) -> None:  # noqa: ANN001
    await deliveries("SUP-B", Delivery(at("2024-06-03T02:00:00"), price="1", received="1"))
    await deliveries("SUP-B", Delivery(at("2024-06-04T02:00:00"), price="1", received="1"), currency="USD")
    await deliveries("SUP-D", Delivery(at("2024-06-05T02:00:00"), price="2", received="2"))
    result = portal(settings, "statements", "generate", "--period", "2024-06", "--as", "admin@buyer.example")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "SUP-B" in result.stdout and "currencies" in result.stdout
    assert "1 generated, 0 skipped (already stated), 1 failed" in result.stdout
    generated = await Statement.get(period="2024-06")
    assert generated.supplier_id == (await supplier("SUP-D")).id


def test_bad_input_is_refused_before_anything_runs(settings) -> None:  # noqa: ANN001
    bad_period = portal(settings, "statements", "generate", "--period", "2024-6")
    assert bad_period.returncode == 2 and "YYYY-MM" in bad_period.stderr
    nobody = portal(settings, "statements", "generate", "--period", "2024-07", "--as", "nobody@buyer.example")
    assert nobody.returncode == 2 and "--as" in nobody.stderr
    supplier_user = portal(settings, "statements", "generate", "--period", "2024-07", "--as",
                           "sales@supplier-a.example")
    assert supplier_user.returncode == 2 and "ACCOUNTING" in supplier_user.stderr
