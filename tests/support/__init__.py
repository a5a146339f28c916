"""Test doubles and builders shared by the document tests: a two-page PDF, a portal PKI with a buyer and a supplier,
and a local time-stamping authority (`tests.support.tsa`). None of them needs the database."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

import weasyprint

from workflows.documents.pki import KeyPair, create_root_ca, issue_signing_certificate
from workflows.documents.signing import SigningIdentity, countersign_pdf, sign_pdf

BUYER_NAME = "上海华东机械有限公司"
SUPPLIER_NAME = "苏州精工零部件有限公司"

_CONTRACT_HTML = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><style>@page { size: A4; margin: 2cm }</style></head>
<body>
  <h1>采购合同 Purchase contract HT-2025-0001</h1>
  <p>甲方 Buyer: 上海华东机械有限公司 · 乙方 Supplier: 苏州精工零部件有限公司</p>
  <p>合同金额 Amount: CNY 1,250,000.00</p>
  <p style="page-break-before: always">第二页 Page 2: 交货条款 Delivery terms</p>
</body></html>"""


@functools.cache
def two_page_pdf() -> bytes:
    """An unsigned two-page A4 contract, rendered once per test session."""
    return weasyprint.HTML(string=_CONTRACT_HTML).write_pdf()


@dataclass(frozen=True)
class PortalPki:
    """A portal root with a buyer's and a supplier's signing certificate, all valid from `issued_at`."""

    issued_at: datetime
    root: KeyPair
    buyer: KeyPair
    supplier: KeyPair

    def identity(self, pair: KeyPair) -> SigningIdentity:
        return SigningIdentity.from_key_pair(pair, self.root.certificate)


def make_pki(issued_at: datetime, *, supplier_years: int = 3) -> PortalPki:
    root = create_root_ca("Supplier Portal Root CA", "供应商协同平台", issued_at)
    buyer = issue_signing_certificate(
        root, organization_name=BUYER_NAME, organization_code="91310000MA1K4XYZ2B", now=issued_at
    )
    supplier = issue_signing_certificate(
        root,
        organization_name=SUPPLIER_NAME,
        organization_code="91320500MA1N0ABC3D",
        email="contracts@jinggong.example",
        now=issued_at,
        years=supplier_years,
    )
    return PortalPki(issued_at, root, buyer, supplier)


async def buyer_signs(pki: PortalPki, pdf: bytes, signing_time: datetime, *, timestamper=None, pair=None) -> bytes:
    """The buyer's signature with the portal's usual settings (another certificate when `pair` is given)."""
    return await sign_pdf(
        pdf,
        pki.identity(pair or pki.buyer),
        field_name="BuyerSignature",
        reason="签发合同 Contract issued",
        location="上海 Shanghai",
        signer_label="采购方 Buyer",
        box=None,
        signing_time=signing_time,
        timestamper=timestamper,
    )


async def supplier_countersigns(
    pki: PortalPki, pdf: bytes, signing_time: datetime, *, timestamper=None, pair=None
) -> bytes:
    """The supplier's countersignature with the portal's usual settings."""
    return await countersign_pdf(
        pdf,
        pki.identity(pair or pki.supplier),
        field_name="SupplierSignature",
        reason="确认合同 Contract acknowledged",
        location=None,
        signer_label="供应商 Supplier",
        box=None,
        signing_time=signing_time,
        timestamper=timestamper,
    )
