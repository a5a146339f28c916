"""The `portal` command end to end, as a user runs it: a fresh demo, the schema check, configuration errors."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def portal(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    environment.update(PORTAL_DATA_DIR=str(data_dir), COLUMNS="160", **env)
    return subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """`portal demo --out` once for this module: it renders and signs every document of the story."""
    data_dir = tmp_path_factory.mktemp("cli-demo")
    result = portal("demo", "--out", str(data_dir / "out"), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir, result


STORY_ROW = re.compile(r"│ (?P<what>[^│]+?)\s+│ (?P<number>[A-Z]+-\d{4}-\d{4})\s+│ (?P<state>[^│]+?)\s+│")


def story_records(stdout: str) -> dict[str, tuple[str, str]]:
    """The table of the story's records the demo prints: what -> (number, state)."""
    return {m["what"]: (m["number"], m["state"]) for m in STORY_ROW.finditer(stdout.split("The story's records")[1])}


def demo_key(data_dir: Path) -> dict[str, str]:
    """The master key the demo generated: the one setting that commands which sign need besides PORTAL_DATA_DIR."""
    return {"PORTAL_MASTER_KEY_FILE": str(data_dir / "master.key")}


def test_demo_builds_a_fresh_database_and_prints_what_it_created(demo_run) -> None:  # noqa: ANN001
    tmp_path, first = demo_run
    for email in ("procurement@buyer.example", "accounting@buyer.example", "admin@buyer.example",
                  "sales@supplier-a.example", "sales@supplier-b.example"):
        assert email in first.stdout
    assert "demo-password" in first.stdout
    assert "purchase orders" in first.stdout and "tenders" in first.stdout
    assert "master key" in first.stdout  # the demo says where it generated its master key
    printed = " ".join(first.stdout.split())
    for step in ("admin qualifies SUP-A", "submits a sealed bid", "SUP-A countersigns contract",
                 "SUP-A confirms PO-", "goods receipt SH-", "SUP-A confirms statement DZD-", "and does not"):
        assert step in printed, step  # the story, step by step
    database = tmp_path / "portal.sqlite3"  # the embedded default of PORTAL_DATA_DIR
    db = sqlite3.connect(database)
    try:
        assert db.execute("SELECT count(*) FROM purchase_order").fetchone()[0] >= 50
        assert db.execute("SELECT count(*) FROM tender").fetchone()[0] >= 20
        assert db.execute("SELECT count(*) FROM organization WHERE kind = 'SUPPLIER'").fetchone()[0] >= 3
        assert db.execute("SELECT count(*) FROM document_file WHERE role = 'COUNTERSIGNED'").fetchone()[0] > 0
    finally:
        db.close()


def test_the_demo_tells_its_story_through_the_workflows(demo_run) -> None:  # noqa: ANN001
    data_dir, result = demo_run
    story = story_records(result.stdout)
    db = sqlite3.connect(data_dir / "portal.sqlite3")

    def one(sql: str, *args: str) -> tuple:
        return db.execute(sql, args).fetchone()

    try:
        for what, code in (("contract with SUP-A", "SUP-A"), ("contract with SUP-B", "SUP-B")):
            number, state = story[what]
            assert state == "signed, countersigned"
            contract_id, status = one("SELECT id, status FROM contract WHERE number = ?", number)
            assert status == "SIGNED"
            signers = db.execute(
                "SELECT s.field_name, o.code FROM signature s JOIN document_version v ON s.version_id = v.id "
                "JOIN document d ON v.document_id = d.id JOIN organization o ON s.signer_org_id = o.id "
                "WHERE d.subject_id = ? AND v.version = d.current_version ORDER BY s.signed_at",
                (contract_id,)).fetchall()
            assert signers == [("buyer", "BUYER"), ("supplier", code)]
            # Made by the contract workflow (its audit event), not written by hand.
            assert one("SELECT count(*) FROM audit_event WHERE subject_id = ? AND action = 'contract.create'",
                       contract_id) == (1,)
        assert one("SELECT status FROM purchase_order WHERE number = ?", story["purchase order to SUP-A"][0]) \
            == ("CLOSED",)
        assert one("SELECT status FROM statement WHERE number = ?", story["statement of SUP-A"][0]) == ("CONFIRMED",)
        assert one("SELECT status, current_revision FROM production_plan WHERE number = ?",
                   story["production plan"][0]) == ("PUBLISHED", 2)
        assert one("SELECT status FROM tender WHERE number = ?", story["tender"][0]) == ("AWARDED",)
        unanswered = story["purchase order to SUP-B"][0]
        assert one("SELECT status FROM purchase_order WHERE number = ?", unanswered) == ("ISSUED",)
        ack_id, status, level, due_at = one(
            "SELECT id, status, escalation_level, due_at FROM acknowledgement WHERE subject_number = ?", unanswered)
        assert due_at < datetime.now(UTC).isoformat(sep=" ")  # its deadline has passed
        # The scheduler chased it: two reminders, overdue, escalated to the owner and then the manager, each once.
        assert (status, level) == ("ESCALATED", 2)
        actions = [row[0] for row in db.execute(
            "SELECT action FROM audit_event WHERE subject_id = ? ORDER BY seq", (ack_id,)).fetchall()]
        assert actions == ["acknowledgement.remind", "acknowledgement.remind", "acknowledgement.overdue",
                           "acknowledgement.escalate", "acknowledgement.escalate"]
        told = db.execute(
            "SELECT u.email FROM notification n JOIN user u ON n.user_id = u.id "
            "WHERE n.kind = 'acknowledgement.escalated' AND n.key LIKE ? ORDER BY n.created_at",
            (f"ack:{ack_id}:%",)).fetchall()
        assert [row[0] for row in told] == ["procurement@buyer.example", "admin@buyer.example"]
    finally:
        db.close()
    for kind, number in (("contract", story["contract with SUP-A"][0]), ("statement", story["statement of SUP-A"][0]),
                         ("purchase-order", unanswered)):
        assert (data_dir / "out" / f"{kind}-{number}.pdf").exists(), number


def test_every_seeded_bid_matches_its_recomputed_hash(demo_run) -> None:  # noqa: ANN001
    data_dir, _ = demo_run
    check = (
        "import asyncio\n"
        "from api.database import close_database, open_database\n"
        "from domain.models import Bid\n"
        "from workflows.tendering import recompute_bid_hash\n"
        "async def main():\n"
        f"    await open_database('sqlite://{data_dir / 'portal.sqlite3'}')\n"
        "    bids = await Bid.all()\n"
        "    bad = [bid.id for bid in bids if await recompute_bid_hash(bid) != bid.content_hash]\n"
        "    await close_database()\n"
        "    print(len(bids), len(bad))\n"
        "asyncio.run(main())\n"
    )
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    bids, bad = map(int, result.stdout.split())
    assert bids > 20 and bad == 0


def test_demo_writes_every_signed_pdf_with_its_design_name(demo_run) -> None:  # noqa: ANN001
    tmp_path, _ = demo_run
    names = {path.name for path in (tmp_path / "out").glob("*.pdf")}
    for prefix in ("contract-HT-", "purchase-order-PO-", "statement-DZD-", "award-notice-ZB-",
                   "tender-opening-record-ZB-", "production-plan-JH-"):
        assert any(name.startswith(prefix) for name in names), (prefix, sorted(names)[:10])
    assert any(name.endswith("-evidence.pdf") for name in names)


def test_verify_accepts_a_countersigned_demo_contract_and_refuses_a_tampered_copy(demo_run, tmp_path: Path) -> None:  # noqa: ANN001
    data_dir, result = demo_run
    number, _ = story_records(result.stdout)["contract with SUP-A"]  # the story's, countersigned with `acknowledge`
    contract = data_dir / "out" / f"contract-{number}.pdf"
    # As the quick start has it: after the demo, `portal verify` needs no more configuration than the demo had.
    ok = portal("verify", str(contract), data_dir=data_dir)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "VALID" in ok.stdout and number in ok.stdout
    as_json = portal("verify", "--json", str(contract), data_dir=data_dir)
    report = json.loads(as_json.stdout)
    assert report["ok"] and [s["field_name"] for s in report["signatures"]] == ["buyer", "supplier"]
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(contract.read_bytes() + b"%% appended\n")
    bad = portal("verify", str(tampered), data_dir=data_dir)
    assert bad.returncode == 1 and "NOT VALID" in bad.stdout
    missing = portal("verify", str(tmp_path / "nope.pdf"), data_dir=data_dir)
    assert missing.returncode == 2 and "nope.pdf" in missing.stderr and "Traceback" not in missing.stderr


def test_keys_export_the_root_and_rotate_and_revoke(demo_run) -> None:  # noqa: ANN001
    data_dir, _ = demo_run
    env = demo_key(data_dir)
    exported = portal("keys", "export-ca", data_dir=data_dir)
    assert exported.returncode == 0 and exported.stdout.startswith("-----BEGIN CERTIFICATE-----")
    again = portal("keys", "init", data_dir=data_dir, **env)
    assert again.returncode == 0 and "already in place" in again.stdout
    no_key = portal("keys", "init", data_dir=data_dir)
    assert no_key.returncode == 1 and "PORTAL_MASTER_KEY" in no_key.stderr
    assert portal("keys", "rotate", "SUP-D", data_dir=data_dir, **env).returncode == 0
    revoked = portal("keys", "revoke", "SUP-D", "--reason", "laptop stolen", data_dir=data_dir, **env)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    unknown = portal("keys", "rotate", "SUP-ZZ", data_dir=data_dir, **env)
    assert unknown.returncode == 1 and "SUP-ZZ" in unknown.stderr


def test_a_second_demo_starts_again_from_an_empty_database(demo_run, tmp_path: Path) -> None:  # noqa: ANN001
    data_dir, _ = demo_run
    first_contract = tmp_path / "first-demo-contract.pdf"
    first_contract.write_bytes((data_dir / "out" / "contract-HT-2026-0001.pdf").read_bytes())

    second = portal("demo", "--out", str(data_dir / "out"), data_dir=data_dir)
    assert second.returncode == 0, second.stderr

    # The second demo has its own root: the first one's documents are now foreign, and the report says why,
    # without pyHanko's tracebacks or warnings on stderr.
    foreign = portal("verify", str(first_contract), data_dir=data_dir)
    assert foreign.returncode == 1 and "UNTRUSTED" in foreign.stdout and "NOT_ISSUED" in foreign.stdout
    assert foreign.stderr == ""


def test_the_demo_refuses_to_replace_a_database_it_did_not_make(tmp_path: Path) -> None:
    database = tmp_path / "portal.sqlite3"
    db = sqlite3.connect(database)
    db.execute("CREATE TABLE organization (id TEXT PRIMARY KEY, code TEXT)")
    db.execute("INSERT INTO organization VALUES ('1', 'OURS')")
    db.commit()
    db.close()
    before = database.read_bytes()

    result = portal("demo", "--out", str(tmp_path / "out"), data_dir=tmp_path)

    assert result.returncode == 2
    assert str(database) in result.stderr and "PORTAL_DATA_DIR" in result.stderr and "Traceback" not in result.stderr
    assert database.read_bytes() == before and not (tmp_path / "out").exists()


def test_schema_check_passes_on_the_committed_schema(tmp_path: Path) -> None:
    result = portal("schema", "--check", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_schema_prints_the_sdl(tmp_path: Path) -> None:
    result = portal("schema", data_dir=tmp_path)
    assert result.returncode == 0
    assert "type Query" in result.stdout and "purchaseOrders(" in result.stdout


def test_a_malformed_setting_is_named_and_nothing_runs(tmp_path: Path) -> None:
    result = portal("migrate", data_dir=tmp_path, PORTAL_ENV="staging")
    assert result.returncode == 2
    assert "PORTAL_ENV" in result.stderr and "Traceback" not in result.stderr
    result = portal("migrate", data_dir=tmp_path, PORTAL_DATABASE_URL="mysql://localhost/portal")
    assert result.returncode == 2
    assert "PORTAL_DATABASE_URL" in result.stderr
    result = portal("migrate", data_dir=tmp_path, PORTAL_SESSION_HOURS="twelve")
    assert result.returncode == 2
    assert "PORTAL_SESSION_HOURS" in result.stderr


def test_an_unknown_command_is_refused_with_usage(tmp_path: Path) -> None:
    result = portal("frobnicate", data_dir=tmp_path)
    assert result.returncode == 2
    assert "usage: portal" in result.stderr
