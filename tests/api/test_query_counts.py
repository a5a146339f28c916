"""DataLoaders at work: the SQL statements a page costs do not grow with the page size, for every connection."""

from __future__ import annotations

import pytest

from tests.conftest import Api, count_sql

SUPPLIER = "sales@supplier-a.example"
ADMIN = "admin@buyer.example"
ORG = "supplier { id code name }"

# Each connection with every nested list and object a screen would ask for.
SELECTIONS = {
    "productionPlans": "number status revisions { revision lines { itemCode quantity expectedSupplier { id } "
                       "commitments { quantity supplier { id } } } } latestRevision { revision }",
    "tenders": "number status lines { itemCode quantity } invitations { supplier { id } } "
               "myBid { total { amount } lines { unitPrice { amount } tenderLine { lineNo } } } "
               "bids { total { amount } supplier { id } lines { amount { amount } } } awards { amount { amount } "
               f"{ORG} }}",
    "contracts": f"number status {ORG} lines {{ itemCode amount {{ amount }} }} amends {{ number }} "
                 "purchaseOrders { number }",
    "purchaseOrders": f"number status {ORG} total {{ formatted }} lines {{ itemCode quantity unitPrice {{ amount }} }} "
                      "receipts { number lines { receivedQuantity orderLine { lineNo } } } contract { number }",
    "goodsReceipts": f"number {ORG} order {{ number }} lines {{ receivedQuantity orderLine {{ itemCode }} }}",
    "statements": f"number status {ORG} lines {{ kind amount {{ amount }} }} disputes {{ reason }} "
                  "previous { number }",
    "acknowledgements": f"kind status overdue {ORG} owner {{ displayName }} document {{ number }}",
    "documents": f"kind number fileName {ORG} versions {{ sha256 signatures {{ signedAt }} }}",
    "notifications": "kind title readAt",
    "suppliers": "code name qualificationDocuments { kind expiresOn }",
    "auditEvents": "seq action actor { email } actorOrganization { code } supplier { code }",
}
# Two page sizes per connection, both large enough to hold every shape of record (with and without nested rows), so
# the comparison isolates the page size. Plans are few in the demo.
PAGE_SIZES = {"productionPlans": (3, 4)}
DEFAULT_PAGE_SIZES = (15, 45)
# The most a page may cost, whatever its size: the page, the optional totalCount, one query per nested lookup.
MAX_STATEMENTS = 12


async def statements_for(api: Api, field: str, first: int) -> int:
    query = f"{{ {field}(first: {first}) {{ totalCount edges {{ node {{ id {SELECTIONS[field]} }} }} }} }}"
    with count_sql() as counter:
        await api.query(query)
    return counter.count


@pytest.mark.parametrize("email", [SUPPLIER, ADMIN])
@pytest.mark.parametrize("field", list(SELECTIONS))
async def test_a_page_costs_the_same_sql_whatever_its_size(api: Api, token_for, email: str, field: str) -> None:
    api = api.as_user(await token_for(email))
    small_size, large_size = PAGE_SIZES.get(field, DEFAULT_PAGE_SIZES)
    small, large = await statements_for(api, field, small_size), await statements_for(api, field, large_size)
    # A DataLoader batches the loads made in one turn of the event loop; the same lookup reached at two depths (a
    # bid's supplier, an award's supplier) may land in one batch or two depending on when rows arrive, so a count may
    # move by a batch or two between runs. An N+1 would add one statement per extra row: 30 here.
    assert large <= small + 2, f"{field}: {small} statements for {small_size} rows, {large} for {large_size}"
    assert large <= MAX_STATEMENTS, f"{field}: {large} statements"


async def test_the_counter_sees_statements(api: Api, token_for) -> None:
    """Guards the guard: a query that must hit the database is counted."""
    api = api.as_user(await token_for(ADMIN))
    assert await statements_for(api, "purchaseOrders", 1) >= 2
