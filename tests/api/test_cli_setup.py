"""`portal setup` on a new installation: the buyer organisation and its first admin, then `keys init` and documents
with that letterhead; run again, it changes the letterhead; bad input is refused and changes nothing."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

from tests.api.test_cli import portal
from tests.support.suppliers import credit_code

NAME_ZH, NAME_EN = "江南精工机械有限公司", "Jiangnan Precision Engineering Co., Ltd."


def setup_args(**changes: str) -> list[str]:
    values = {"--name-zh": NAME_ZH, "--name-en": NAME_EN, "--credit-code": credit_code(seed=7),
              "--address": "无锡市新吴区长江路 8 号 / 8 Changjiang Road, Wuxi", "--admin-email": "it@jiangnan.example",
              "--admin-name": "周敏"} | changes
    return ["setup", *(part for option, value in values.items() if value is not None for part in (option, value))]


def rows(data_dir: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(data_dir / "portal.sqlite3")
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_a_new_installation_is_set_up_then_signs_in_the_buyers_name(tmp_path: Path) -> None:
    created = portal(*setup_args(), data_dir=tmp_path)

    assert created.returncode == 0, created.stderr
    assert f"created the buyer BUYER: {NAME_ZH}" in created.stdout
    link = re.search(r"http://127\.0\.0\.1:8000/activate\?token=(pac_[\w-]+)", created.stdout)
    assert link, created.stdout
    # The admin has no password yet, only the link's hash; the setup is in the audit trail (without the secret).
    assert rows(tmp_path, "SELECT u.email, u.roles, u.password_hash, u.activation_token_hash FROM user u") == [
        ("it@jiangnan.example", '["ADMIN"]', None, hashlib.sha256(link[1].encode()).hexdigest())]
    events = rows(tmp_path, "SELECT action, data FROM audit_event")
    assert [action for action, _ in events] == ["buyer.set_up"] and link[1] not in events[0][1]

    key = tmp_path / "master.key"
    key.write_text("a" * 43 + "=\n")  # 32 bytes, URL-safe base64
    key.chmod(0o600)
    keys = portal("keys", "init", data_dir=tmp_path, PORTAL_MASTER_KEY_FILE=str(key))
    assert keys.returncode == 0, keys.stderr
    assert rows(tmp_path, "SELECT count(*) FROM signing_key") == [(2,)]  # the root and the buyer's key


def test_setup_again_changes_the_letterhead_and_nothing_else(tmp_path: Path) -> None:
    assert portal(*setup_args(), data_dir=tmp_path).returncode == 0

    again = portal(*setup_args(**{"--address": "无锡市新吴区太湖路 9 号 / 9 Taihu Road, Wuxi", "--admin-email": None,
                                  "--admin-name": None}), data_dir=tmp_path)

    assert again.returncode == 0, again.stderr
    assert "letterhead changed: address" in again.stdout and "activate" not in again.stdout
    assert rows(tmp_path, "SELECT address, contact_email FROM organization") == [
        ("无锡市新吴区太湖路 9 号 / 9 Taihu Road, Wuxi", "it@jiangnan.example")]
    assert rows(tmp_path, "SELECT count(*) FROM user") == [(1,)]
    assert [action for (action,) in rows(tmp_path, "SELECT action FROM audit_event ORDER BY seq")] == [
        "buyer.set_up", "buyer.letterhead_changed"]


def test_bad_setups_are_refused_naming_the_field_and_change_nothing(tmp_path: Path) -> None:
    cases = [
        (setup_args(**{"--credit-code": "91310000MA1K4XYZ2X"}), "creditCode"),
        (setup_args(**{"--admin-email": "not-an-address"}), "adminEmail"),
        (setup_args(**{"--admin-email": None}), "adminEmail"),
        (setup_args(**{"--code": "b"}), "code"),
        (setup_args(**{"--name-zh": " "}), "nameZh"),
        (setup_args(**{"--address": "x" * 301}), "address"),
    ]
    for args, field in cases:
        refused = portal(*args, data_dir=tmp_path)
        assert refused.returncode == 1 and f"({field})" in refused.stderr, (args, refused.stderr)
        assert "Traceback" not in refused.stderr
    assert rows(tmp_path, "SELECT count(*) FROM organization") == [(0,)]

    assert portal(*setup_args(), data_dir=tmp_path).returncode == 0
    other_code = portal(*setup_args(**{"--code": "OTHER"}), data_dir=tmp_path)
    assert other_code.returncode == 1 and "BUYER" in other_code.stderr and "(code)" in other_code.stderr
    assert rows(tmp_path, "SELECT code FROM organization") == [("BUYER",)]
