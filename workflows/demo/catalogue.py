"""The demo's bilingual cast: the buyer, its staff, the suppliers and what they make. Static data only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.enums import QualificationStatus, Role

DEMO_PASSWORD = "demo-password"


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    roles: tuple[Role, ...]
    locale: str = "zh-CN"
    manager: str | None = None


@dataclass(frozen=True)
class SupplierProfile:
    code: str
    name_zh: str
    name_en: str
    categories: tuple[str, ...]
    credit_code: str
    address: str
    status: QualificationStatus
    people: tuple[Person, ...]


@dataclass(frozen=True)
class Item:
    code: str
    name_zh: str
    name_en: str
    unit: str
    price: Decimal
    category: str

    @property
    def name(self) -> str:
        return f"{self.name_zh} / {self.name_en}"


BUYER = dict(
    code="BUYER",
    name_zh="华东精密机电股份有限公司",
    name_en="East China Precision Mechatronics Co., Ltd.",
    credit_code="91320500MA1BUYER0J",
    address="江苏省苏州市工业园区星湖街 328 号 / 328 Xinghu Street, Suzhou Industrial Park, Jiangsu",
    contact_email="procurement@buyer.example",
)

STAFF = (
    Person("admin@buyer.example", "周建国 Zhou Jianguo", (Role.ADMIN,)),
    Person("procurement@buyer.example", "王敏 Wang Min", (Role.PROCUREMENT,), manager="admin@buyer.example"),
    Person("accounting@buyer.example", "刘芳 Liu Fang", (Role.ACCOUNTING,), manager="admin@buyer.example"),
    Person("auditor@buyer.example", "Emma Schneider", (Role.AUDITOR,), locale="en"),
)

SUPPLIERS = (
    SupplierProfile(
        "SUP-A", "苏州恒力五金制品有限公司", "Suzhou Hengli Hardware Co., Ltd.", ("FASTENERS", "SHEET_METAL"),
        "91320505MA1HENGL15", "江苏省苏州市高新区珠江路 88 号", QualificationStatus.QUALIFIED,
        (Person("sales@supplier-a.example", "李娜 Li Na", (Role.SUPPLIER_ADMIN,)),
         Person("orders@supplier-a.example", "赵磊 Zhao Lei", (Role.SUPPLIER_USER,))),
    ),
    SupplierProfile(
        "SUP-B", "宁波东方塑胶科技有限公司", "Ningbo Dongfang Plastics Technology Co., Ltd.", ("PLASTICS", "SHEET_METAL"),
        "91330206MA2DFPLA2J", "浙江省宁波市北仑区明州路 1166 号", QualificationStatus.QUALIFIED,
        (Person("sales@supplier-b.example", "陈伟 Chen Wei", (Role.SUPPLIER_ADMIN,)),),
    ),
    SupplierProfile(
        "SUP-C", "深圳华信电子有限公司", "Shenzhen Huaxin Electronics Co., Ltd.", ("ELECTRONICS", "PLASTICS"),
        "91440300MA5HUAXN3A", "广东省深圳市宝安区福永街道桥头社区 12 栋", QualificationStatus.QUALIFIED,
        (Person("sales@supplier-c.example", "张强 Zhang Qiang", (Role.SUPPLIER_ADMIN,)),),
    ),
    SupplierProfile(
        "SUP-D", "无锡永固紧固件有限公司", "Wuxi Yonggu Fasteners Co., Ltd.", ("FASTENERS",),
        "91320214MA1YGGUA4R", "江苏省无锡市新吴区长江路 21 号", QualificationStatus.APPLIED,
        (Person("sales@supplier-d.example", "孙丽 Sun Li", (Role.SUPPLIER_ADMIN,)),),
    ),
)

ITEMS = (
    Item("FB-M8-30", "六角螺栓 M8×30 8.8级", "Hex bolt M8x30, grade 8.8", "PCS", Decimal("0.35"), "FASTENERS"),
    Item("FN-M8", "六角螺母 M8", "Hex nut M8", "PCS", Decimal("0.12"), "FASTENERS"),
    Item("FW-8", "平垫圈 Φ8", "Flat washer 8 mm", "PCS", Decimal("0.05"), "FASTENERS"),
    Item("SM-BRK-01", "安装支架 冷轧钢板 2mm", "Mounting bracket, cold-rolled steel 2 mm", "PCS", Decimal("6.80"),
         "SHEET_METAL"),
    Item("SM-CVR-02", "电机防护罩", "Motor guard cover", "PCS", Decimal("23.50"), "SHEET_METAL"),
    Item("PL-ABS-H1", "ABS 控制器外壳", "ABS controller housing", "PCS", Decimal("12.40"), "PLASTICS"),
    Item("PL-PA66-G", "PA66 齿轮", "PA66 gear", "PCS", Decimal("3.15"), "PLASTICS"),
    Item("EL-PCB-MC", "电机控制板 PCBA", "Motor control board (PCBA)", "PCS", Decimal("86.00"), "ELECTRONICS"),
    Item("EL-HAR-12", "线束总成 12芯", "12-core wiring harness", "SET", Decimal("18.90"), "ELECTRONICS"),
)

PLANTS = (
    ("SZ1", "苏州一厂 / Suzhou Plant 1", "江苏省苏州市工业园区星湖街 328 号 1 号门 / Gate 1, 328 Xinghu Street, Suzhou"),
    ("KS2", "昆山二厂 / Kunshan Plant 2", "江苏省昆山市开发区前进东路 58 号 / 58 Qianjin East Road, Kunshan"),
)

QUALIFICATION_DOCUMENTS = (
    ("BUSINESS_LICENCE", "营业执照 / Business licence"),
    ("ISO_9001", "ISO 9001:2015 质量管理体系认证 / Quality management certificate"),
    ("IATF_16949", "IATF 16949 汽车质量管理体系 / Automotive quality management certificate"),
)


def items_of(category: str) -> tuple[Item, ...]:
    return tuple(item for item in ITEMS if item.category == category)


def profile_of(code: str) -> SupplierProfile:
    return next(profile for profile in SUPPLIERS if profile.code == code)
