"""The leaf fast path gives exactly what graphql-core's general path gives, errors included."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import strawberry

from schema.execution import LeafFastPathExecutionContext


@strawberry.enum
class Colour(enum.Enum):
    RED = "RED"
    BLUE = "BLUE"


@strawberry.type
class Item:
    name: str
    quantity: Decimal
    due: date
    at: datetime
    colour: Colour
    note: str | None
    count: int

    @strawberry.field
    def shout(self, suffix: str = "!") -> str:
        return self.name.upper() + suffix


def broken_item() -> Item:
    item = good_item()
    item.name = None  # type: ignore[assignment]  # a bug: a null where the schema promises a value
    return item


def good_item() -> Item:
    return Item(name="螺栓 bolt", quantity=Decimal("1.500"), due=date(2026, 12, 1),
                at=datetime(2026, 11, 23, 8, 30, tzinfo=UTC), colour=Colour.BLUE, note=None, count=3)


@strawberry.type
class Amount:
    value: Decimal
    currency: str


@strawberry.type
class Line:
    no: int
    amount: Amount
    item: Item | None


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [good_item(), good_item()]

    @strawberry.field
    def lines(self) -> list[Line]:
        return [Line(no=1, amount=Amount(value=Decimal("2.50"), currency="CNY"), item=good_item()),
                Line(no=2, amount=Amount(value=Decimal("0"), currency="CNY"), item=None)]

    @strawberry.field
    def broken(self) -> list[Item]:
        return [good_item(), broken_item()]

    @strawberry.field
    def wrong_type(self) -> int:
        return "not a number"  # type: ignore[return-value]


QUERY = "{ items { name quantity due at colour note count shout loud: shout(suffix: \"?\") } }"


def schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    return (strawberry.Schema(query=Query),
            strawberry.Schema(query=Query, execution_context_class=LeafFastPathExecutionContext))


@pytest.mark.parametrize("query", [
    QUERY,
    "{ broken { name count } }",
    "{ wrongType }",
    "{ items { n1: name n2: name } }",
    "{ items { ... on Item { name colour } } }",
    "{ items { name __typename } }",
    "{ items { name colour @skip(if: true) count @include(if: false) } }",
    "{ lines { no amount { value currency } item { name due } } }",
    "{ lines { no item { name shout } } }",
    "{ lines { n: no a: amount { v: value } } }",
])
async def test_results_and_errors_match_the_general_path(query: str) -> None:
    general, fast = schemas()
    expected = await general.execute(query)
    got = await fast.execute(query)
    assert got.data == expected.data
    assert [(e.message, e.path) for e in got.errors or []] == [(e.message, e.path) for e in expected.errors or []]


async def test_the_fast_path_serialises_every_scalar_kind() -> None:
    _, fast = schemas()
    result = await fast.execute(QUERY)
    assert result.errors is None
    assert result.data["items"][0] == {
        "name": "螺栓 bolt", "quantity": "1.500", "due": "2026-12-01", "at": "2026-11-23T08:30:00+00:00",
        "colour": "BLUE", "note": None, "count": 3, "shout": "螺栓 BOLT!", "loud": "螺栓 BOLT?",
    }


async def test_a_null_in_a_non_null_leaf_is_reported_with_its_path() -> None:
    _, fast = schemas()
    result = await fast.execute("{ broken { name } }")
    assert result.data is None  # `broken: [Item!]!` is non-null all the way up, so the error nulls the whole result
    assert result.errors[0].path == ["broken", 1, "name"]


class CountingContext(LeafFastPathExecutionContext):
    """Counts the objects completed field by field, by graphql-core's general path."""

    general_objects = 0

    def collect_and_execute_subfields(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        CountingContext.general_objects += 1
        return super().collect_and_execute_subfields(*args, **kwargs)


@pytest.mark.parametrize(("query", "general_objects"), [
    ("{ lines { no amount { value currency } item { name due } } }", 0),  # every line is one plain dict
    ("{ lines { no item { name shout } } }", 3),  # `shout` has a resolver: both lines and the one item go general
    ("{ items { name ... on Item { count } } }", 2),  # fragments too
])
async def test_objects_whose_selection_is_plain_complete_in_one_step(query: str, general_objects: int) -> None:
    schema = strawberry.Schema(query=Query, execution_context_class=CountingContext)
    CountingContext.general_objects = 0
    result = await schema.execute(query)
    assert result.errors is None
    assert CountingContext.general_objects == general_objects
