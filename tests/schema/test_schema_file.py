"""The committed SDL (`schema/schema.graphql`) is the schema the code serves: a change to the API shows in review."""

from __future__ import annotations

from api.cli import SCHEMA_FILE
from schema.root import build_schema, printed_schema


def test_committed_schema_is_up_to_date() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == printed_schema(), "run `portal schema --write` and commit it"


def test_every_list_of_the_design_is_a_connection_with_a_single_object_field() -> None:
    query = build_schema().get_type_by_name("Query")
    fields = {field.python_name: field for field in query.fields}
    lists = {
        "production_plans": "production_plan", "tenders": "tender", "contracts": "contract",
        "purchase_orders": "purchase_order", "goods_receipts": "goods_receipt", "statements": "statement",
        "acknowledgements": "acknowledgement", "documents": "document", "notifications": "notification",
        "suppliers": "supplier", "audit_events": "audit_event",
    }
    for connection, single in lists.items():
        assert connection in fields and single in fields, connection
        argument_names = {argument.python_name for argument in fields[connection].arguments}
        assert {"first", "after", "filter"} <= argument_names, connection
