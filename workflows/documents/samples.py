"""Realistic bilingual examples of every document context, for tests, benchmarks and the renderer's warm-up.
`sample_context(kind, lines=N)` gives a context of that kind with N lines (items, receipts, plan rows or bids) and every
total consistent; `sample_evidence_context` the audit trail of a signed contract."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from domain.enums import DocumentKind
from domain.money import round_amount
from workflows.documents.contexts import (
    AwardNoticeContext,
    Clause,
    ContractContext,
    DeductionLine,
    DocumentContext,
    EvidenceContext,
    EvidenceEvent,
    EvidenceVersion,
    ItemLine,
    Letterhead,
    OpenedBid,
    Party,
    PlanChange,
    PlanChangeKind,
    PlanLineRow,
    PlanRevisionContext,
    PurchaseOrderContext,
    ReceiptLine,
    StatementContext,
    TenderOpeningRecordContext,
    VerificationBlock,
)

SAMPLE_LETTERHEAD = Letterhead(
    name_zh="华东精密机电股份有限公司",
    name_en="East China Precision Mechatronics Co., Ltd.",
    address_zh="江苏省苏州市工业园区星湖街 328 号",
    address_en="328 Xinghu Street, Suzhou Industrial Park, Jiangsu 215123, China",
    phone="+86 512 6688 0000",
    tax_id="91320500MA1BUYER0J",
    email="procurement@buyer.example",
    website="https://portal.buyer.example",
    logo_asset="logo.svg",
)
SAMPLE_BUYER = Party(
    code="BUYER",
    name_zh="华东精密机电股份有限公司",
    name_en="East China Precision Mechatronics Co., Ltd.",
    address="江苏省苏州市工业园区星湖街 328 号 / 328 Xinghu Street, Suzhou Industrial Park",
    tax_id="91320500MA1BUYER0J",
    contact="王敏 Wang Min",
    phone="+86 512 6688 0101",
    bank_name="中国工商银行苏州工业园区支行",
    bank_account="1102 0201 0900 1234 567",
)
SAMPLE_SUPPLIERS = (
    Party(
        code="SUP-A",
        name_zh="苏州华东精密机械有限公司",
        name_en="Suzhou Huadong Precision Machinery Co., Ltd.",
        address="江苏省苏州市高新区珠江路 88 号 / 88 Zhujiang Road, Suzhou New District",
        tax_id="91320505MA1HDJX01M",
        contact="李娜 Li Na",
        phone="+86 512 6532 8800",
        bank_name="中国银行苏州高新技术产业开发区支行",
        bank_account="5358 5823 1234",
    ),
    Party(
        code="SUP-B",
        name_zh="宁波东方塑胶科技有限公司",
        name_en="Ningbo Dongfang Plastics Technology Co., Ltd.",
        address="浙江省宁波市北仑区明州路 1166 号 / 1166 Mingzhou Road, Beilun, Ningbo",
        tax_id="91330206MA2DFPLATW",
        contact="陈伟 Chen Wei",
        phone="+86 574 8688 1166",
    ),
    Party(
        code="SUP-C",
        name_zh="深圳华信电子有限公司",
        name_en="Shenzhen Huaxin Electronics Co., Ltd.",
        address="广东省深圳市宝安区福永街道桥头社区 12 栋 / Building 12, Qiaotou, Fuyong, Bao'an, Shenzhen",
        tax_id="91440300MA5HUAXNGJ",
        contact="张强 Zhang Qiang",
    ),
)
# (code, name_zh, name_en, unit, unit price in CNY)
SAMPLE_ITEMS = (
    ("FA-M8x30", "六角螺栓 M8x30", "Hex bolt M8x30", "PCS", Decimal("0.3500")),
    ("FA-W8", "平垫圈 M8", "Flat washer M8", "PCS", Decimal("0.0800")),
    ("BR-6204", "深沟球轴承 6204-2RS", "Deep groove ball bearing 6204-2RS", "PCS", Decimal("6.8000")),
    ("AL-220", "铝合金压铸外壳 AL-220", "Die-cast aluminium housing AL-220", "PCS", Decimal("48.5000")),
    ("SM-BKT-12", "不锈钢钣金支架", "Stainless steel sheet-metal bracket", "PCS", Decimal("12.6000")),
    ("PL-CAP-66", "PA66 注塑端盖", "PA66 injection-moulded end cap", "PCS", Decimal("3.2500")),
    ("SE-OR-30", "O 型密封圈 NBR 30x2.5", "O-ring NBR 30x2.5", "PCS", Decimal("0.4200")),
    ("EL-HRN-05", "电源线束 0.5 m", "Power wiring harness 0.5 m", "SET", Decimal("15.9000")),
    ("EL-PCB-31", "控制板 PCBA V3.1", "Controller board PCBA V3.1", "PCS", Decimal("86.0000")),
    ("PK-CTN-40", "五层瓦楞纸箱 400x300x250", "5-ply corrugated carton 400x300x250", "PCS", Decimal("4.7500")),
)
SAMPLE_PLANTS = ("苏州一厂 SZ1", "苏州二厂 SZ2", "常州工厂 CZ1")
SAMPLE_CLAUSES = (
    Clause(
        "质量要求", "Quality",
        "乙方交付的货物应符合双方确认的图纸、技术规范及 IATF 16949 质量体系要求，并随货提供出厂检验报告。",
        "Goods shall conform to the agreed drawings and specifications and to IATF 16949, and ship with an inspection "
        "report.",
    ),
    Clause(
        "交货与验收", "Delivery and acceptance",
        "乙方应按订单约定的日期将货物送至甲方指定工厂；甲方在收货后 7 个工作日内完成验收。",
        "The supplier delivers to the plant named in each order on the agreed date; the buyer inspects the goods "
        "within 7 working days of receipt.",
    ),
    Clause(
        "付款方式", "Payment",
        "每月对账确认后，甲方于收到合规增值税专用发票后 60 日内付款。",
        "Payment within 60 days of a valid VAT special invoice, after the monthly statement has been confirmed.",
    ),
    Clause(
        "违约责任", "Liability",
        "逾期交货的，每逾期一日，乙方按逾期部分货款的 0.5% 向甲方支付违约金，累计不超过该部分货款的 10%。",
        "For each day of late delivery the supplier pays 0.5% of the value of the late goods, up to 10% in total.",
    ),
    Clause(
        "争议解决", "Disputes",
        "因本合同引起的争议，双方应协商解决；协商不成的，提交甲方所在地人民法院诉讼解决。",
        "Disputes are settled by negotiation, failing which by the people's court where the buyer is located.",
    ),
)


def sample_context(kind: DocumentKind, *, lines: int = 5, supplier_text: str | None = None) -> DocumentContext:
    """A realistic bilingual context of `kind` with `lines` lines (receipts on a statement, bids on an opening record).

    The same arguments always give the same context. `supplier_text`, when given, replaces text that a supplier could
    have typed (its contact name, the order notes, the plan note, the deduction reason...), to test escaping.
    """
    if lines < 1:
        raise ValueError("a sample needs at least one line")
    supplier = SAMPLE_SUPPLIERS[0]
    if supplier_text is not None:
        supplier = replace(supplier, contact=supplier_text, name_en=supplier_text)
    number = {
        DocumentKind.CONTRACT: "HT-2026-0001",
        DocumentKind.PURCHASE_ORDER: "PO-2026-0001",
        DocumentKind.STATEMENT: "DZD-2026-0001",
        DocumentKind.AWARD_NOTICE: "ZB-2026-0001-A",
        DocumentKind.TENDER_OPENING_RECORD: "ZB-2026-0001-K",
        DocumentKind.PRODUCTION_PLAN: "JH-2026-0001-R2",
    }[kind]
    common = dict(letterhead=SAMPLE_LETTERHEAD, verification=_sample_verification(number))
    opened = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)

    if kind is DocumentKind.CONTRACT:
        item_lines = _sample_item_lines(lines, first_delivery=date(2026, 4, 1))
        return ContractContext(
            **common,
            title_zh="2026 年度紧固件及结构件采购合同",
            title_en="Purchase contract for fasteners and structural parts, 2026",
            buyer=SAMPLE_BUYER,
            supplier=supplier,
            issued_on=date(2026, 3, 10),
            valid_from=date(2026, 4, 1),
            valid_until=date(2027, 3, 31),
            currency="CNY",
            lines=item_lines,
            total=sum((line.amount for line in item_lines), Decimal(0)),
            tax_rate=Decimal("0.13"),
            clauses=SAMPLE_CLAUSES,
            award_number="ZB-2026-0001",
            countersign_by=datetime(2026, 3, 15, 10, 0, tzinfo=UTC),
        )
    if kind is DocumentKind.PURCHASE_ORDER:
        item_lines = _sample_item_lines(lines, first_delivery=date(2026, 4, 8))
        return PurchaseOrderContext(
            **common,
            buyer=SAMPLE_BUYER,
            supplier=supplier,
            ordered_on=date(2026, 3, 20),
            currency="CNY",
            lines=item_lines,
            total=sum((line.amount for line in item_lines), Decimal(0)),
            tax_rate=Decimal("0.13"),
            delivery_address="苏州一厂 收货区 B3 门 / Plant SZ1, receiving dock B3, 328 Xinghu Street, Suzhou",
            contract_number="HT-2026-0001",
            acknowledge_by=datetime(2026, 3, 22, 10, 0, tzinfo=UTC),
            notes=supplier_text if supplier_text is not None else "请在每箱外贴物料标签。 / Label every carton.",
        )
    if kind is DocumentKind.STATEMENT:
        receipts = tuple(_sample_receipt(index) for index in range(lines))
        reason_zh = supplier_text if supplier_text is not None else "来料检验不合格退货"
        deductions = (
            DeductionLine(1, date(2026, 3, 12), "QC-2026-0031", reason_zh, "Rejected at incoming inspection",
                          Decimal("356.40")),
            DeductionLine(2, date(2026, 3, 25), "LD-2026-0007", "逾期交货违约金", "Late delivery penalty",
                          Decimal("120.00")),
        )
        receipts_total = sum((line.amount for line in receipts), Decimal(0))
        deductions_total = sum((line.amount for line in deductions), Decimal(0))
        return StatementContext(
            **common,
            buyer=SAMPLE_BUYER,
            supplier=supplier,
            period_start=date(2026, 3, 1),
            period_end=date(2026, 3, 31),
            issued_on=date(2026, 4, 2),
            currency="CNY",
            receipts=receipts,
            deductions=deductions,
            receipts_total=receipts_total,
            deductions_total=deductions_total,
            amount_due=receipts_total - deductions_total,
            confirm_by=datetime(2026, 4, 12, 10, 0, tzinfo=UTC),
        )
    if kind is DocumentKind.AWARD_NOTICE:
        item_lines = _sample_item_lines(lines, first_delivery=None)
        return AwardNoticeContext(
            **common,
            tender_number="ZB-2026-0001",
            tender_title_zh="2026 年度紧固件年度框架招标",
            tender_title_en="Annual framework tender for fasteners, 2026",
            buyer=SAMPLE_BUYER,
            supplier=supplier,
            awarded_on=date(2026, 3, 5),
            currency="CNY",
            lines=item_lines,
            total=sum((line.amount for line in item_lines), Decimal(0)),
            contract_due_by=date(2026, 3, 20),
            remarks=supplier_text if supplier_text is not None else (
                "请于合同签订截止日前登录门户签署合同。 / Please sign the contract in the portal before the due date."
            ),
        )
    if kind is DocumentKind.TENDER_OPENING_RECORD:
        bids = tuple(
            OpenedBid(
                supplier=(supplier, *SAMPLE_SUPPLIERS[1:])[index % len(SAMPLE_SUPPLIERS)],
                submitted_at=opened - timedelta(days=3, hours=index * 5, minutes=17 * index),
                total=round_amount(Decimal("118250.00") + Decimal("3417.35") * index),
                canonical_sha256=hashlib.sha256(f"bid-{index}".encode()).hexdigest(),
            )
            for index in range(lines)
        )
        return TenderOpeningRecordContext(
            **common,
            tender_number="ZB-2026-0001",
            tender_title_zh="2026 年度紧固件年度框架招标",
            tender_title_en="Annual framework tender for fasteners, 2026",
            buyer=SAMPLE_BUYER,
            closes_at=opened - timedelta(minutes=30),
            opened_at=opened,
            opened_by=("王敏 Wang Min（采购 Procurement）", "刘芳 Liu Fang（财务 Accounting）"),
            currency="CNY",
            bids=bids,
            invited_count=max(lines, 3),
        )
    if kind is DocumentKind.PRODUCTION_PLAN:
        rows = tuple(_sample_plan_row(index, supplier) for index in range(lines))
        changes = (
            PlanChange(PlanChangeKind.ADDED, rows[0].item_code, rows[0].name_zh, rows[0].name_en, rows[0].plant,
                       rows[0].week, rows[0].unit, None, rows[0].quantity),
            PlanChange(PlanChangeKind.CHANGED, "BR-6204", "深沟球轴承 6204-2RS", "Deep groove ball bearing 6204-2RS",
                       SAMPLE_PLANTS[1], "2026-W16", "PCS", Decimal("4000"), Decimal("4800")),
            PlanChange(PlanChangeKind.REMOVED, "PK-CTN-40", "五层瓦楞纸箱 400x300x250",
                       "5-ply corrugated carton 400x300x250", SAMPLE_PLANTS[0], "2026-W15", "PCS", Decimal("600"),
                       None),
        )
        return PlanRevisionContext(
            **common,
            plan_title_zh="2026 年第二季度生产计划",
            plan_title_en="Production plan, Q2 2026",
            revision=2,
            buyer=SAMPLE_BUYER,
            supplier=supplier,
            published_at=datetime(2026, 3, 27, 8, 30, tzinfo=UTC),
            horizon_start=date(2026, 4, 6),
            horizon_end=date(2026, 6, 28),
            lines=rows,
            previous_revision=1,
            changes=changes,
            note=supplier_text if supplier_text is not None else "第 16 周轴承需求上调 20%。 / Bearings +20 % in week 16.",
        )
    raise ValueError(f"no sample for document kind {kind!r}")


def sample_evidence_context(*, events: int = 6) -> EvidenceContext:
    """A realistic certificate of completion for the sample contract: issued, delivered, viewed, countersigned."""
    at = datetime(2026, 3, 10, 1, 15, tzinfo=UTC)
    actions = (
        ("王敏 Wang Min", "合同已签发 / Contract issued", "买方签章 / Signed by the buyer"),
        ("系统 System", "已通知供应商 / Supplier notified", "sales@supplier-a.example"),
        ("李娜 Li Na", "已查看 / Viewed", "IP 58.210.12.4"),
        ("李娜 Li Na", "已会签 / Countersigned", "供应商签章 / Signed by the supplier"),
        ("系统 System", "确认已记录 / Acknowledgement recorded", "ACK-2026-0001"),
        ("Emma Schneider", "已验证 / Verified", "portal verify"),
    )
    rows = tuple(
        EvidenceEvent(at + timedelta(hours=5 * index), *actions[index % len(actions)]) for index in range(events)
    )
    versions = (
        EvidenceVersion(1, hashlib.sha256(b"v1").hexdigest(), at, 48_213, "华东精密机电股份有限公司 (王敏 Wang Min)",
                        hashlib.sha256(b"buyer-cert").hexdigest(), at + timedelta(seconds=2)),
        EvidenceVersion(2, hashlib.sha256(b"v2").hexdigest(), at + timedelta(hours=15), 61_877,
                        "苏州华东精密机械有限公司 (李娜 Li Na)", hashlib.sha256(b"supplier-cert").hexdigest(),
                        at + timedelta(hours=15, seconds=3)),
    )
    return EvidenceContext(
        letterhead=SAMPLE_LETTERHEAD,
        verification=_sample_verification("HT-2026-0001"),
        document_kind=DocumentKind.CONTRACT,
        generated_at=at + timedelta(days=1),
        events=rows,
        versions=versions,
    )


def _sample_verification(number: str) -> VerificationBlock:
    return VerificationBlock(
        number=number,
        content_sha256=hashlib.sha256(f"content of {number}".encode()).hexdigest(),
        verify_url=f"https://portal.buyer.example/verify/{number}",
    )


def _sample_item_lines(count: int, *, first_delivery: date | None) -> tuple[ItemLine, ...]:
    result = []
    for index in range(count):
        code, name_zh, name_en, unit, price = SAMPLE_ITEMS[index % len(SAMPLE_ITEMS)]
        quantity = Decimal(500 * (1 + index % 7) + 250 * (index % 3))
        result.append(ItemLine(
            line_no=index + 1,
            item_code=code,
            name_zh=name_zh,
            name_en=name_en,
            unit=unit,
            quantity=quantity,
            unit_price=price,
            amount=round_amount(quantity * price),
            delivery_date=first_delivery + timedelta(weeks=index % 6) if first_delivery else None,
        ))
    return tuple(result)


def _sample_receipt(index: int) -> ReceiptLine:
    code, name_zh, name_en, unit, price = SAMPLE_ITEMS[index % len(SAMPLE_ITEMS)]
    quantity = Decimal(100 * (1 + index % 9) + 37 * (index % 4))
    return ReceiptLine(
        line_no=index + 1,
        received_on=date(2026, 3, 1) + timedelta(days=index % 31),
        receipt_number=f"SH-2026-{1000 + index:05d}",
        order_number=f"PO-2026-{1 + index // 20:04d}",
        item_code=code,
        name_zh=name_zh,
        name_en=name_en,
        unit=unit,
        quantity=quantity,
        unit_price=price,
        amount=round_amount(quantity * price),
    )


def _sample_plan_row(index: int, supplier: Party) -> PlanLineRow:
    code, name_zh, name_en, unit, _price = SAMPLE_ITEMS[index % len(SAMPLE_ITEMS)]
    return PlanLineRow(
        line_no=index + 1,
        item_code=code,
        name_zh=name_zh,
        name_en=name_en,
        plant=SAMPLE_PLANTS[index % len(SAMPLE_PLANTS)],
        week=f"2026-W{15 + index % 12:02d}",
        quantity=Decimal(1000 + 200 * (index % 5)),
        unit=unit,
        expected_supplier=f"{supplier.name_zh} ({supplier.code})",
    )
