"""Builders for the supplier tests: valid credit codes, invitations with fresh codes and e-mails, and actors."""

from __future__ import annotations

import uuid
from dataclasses import replace

from domain.actors import Actor
from domain.credit_codes import ALPHABET, check_character
from domain.models import User
from workflows.identity import actor_for
from workflows.suppliers import SupplierInvitation

PASSWORD = "a long enough password"


def credit_code(seed: int | None = None) -> str:
    """A valid unified social credit code, different for every call (or fixed by `seed`)."""
    value = uuid.uuid4().int if seed is None else seed
    organisation = ""
    for _ in range(9):
        value, digit = divmod(value, len(ALPHABET))
        organisation += ALPHABET[digit]
    first_17 = "91320500" + organisation
    return first_17 + check_character(first_17)


def invitation(**changes) -> SupplierInvitation:  # noqa: ANN003
    """An invitation nobody used yet (code, credit code and e-mail are fresh)."""
    tag = uuid.uuid4().hex[:8].upper()
    return replace(SupplierInvitation(
        code=f"T-{tag}", name_zh="测试供应商有限公司", name_en="Test Supplier Co., Ltd.", credit_code=credit_code(),
        categories=("FASTENERS",), admin_email=f"admin-{tag.lower()}@supplier.example", admin_name="测试 Admin",
    ), **changes)


async def actor_of(email: str) -> Actor:
    return actor_for(await User.get(email=email).select_related("organization"))
