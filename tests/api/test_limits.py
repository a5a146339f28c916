"""Limits of the GraphQL endpoint, through the public HTTP interface: query size and shape, request bodies,
arguments, introspection, GraphiQL, the health check, and masked errors.

Every refusal must be a JSON answer with a clear message (never a 500 or a stack trace), and a refused request
must change nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from domain.models import AuthToken
from schema.limits import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from tests.conftest import Api, client_for

BUYER = "procurement@buyer.example"
ORDER_IDS = "{ purchaseOrders(first: 100) { edges { cursor node { id } } } }"


# --- helpers ---------------------------------------------------------------------------------------------------------


def payload(response: httpx.Response) -> dict[str, Any]:
    """The JSON body of any response: never a stack trace, always JSON."""
    assert "Traceback" not in response.text, response.text
    assert response.headers["content-type"].startswith("application/json"), (response.status_code, response.text)
    return response.json()


def messages(body: dict[str, Any]) -> list[str]:
    return [error["message"] for error in body.get("errors", [])]


def codes(body: dict[str, Any]) -> list[str | None]:
    return [error.get("extensions", {}).get("code") for error in body.get("errors", [])]


@asynccontextmanager
async def app_client(settings: Settings) -> AsyncIterator[Api]:
    with client_for(settings, address=f"192.0.2.{uuid.uuid4().int % 250 + 1}") as api:
        async with api.client:
            yield api


@asynccontextmanager
async def http_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client that sees what a real one would: an exception in the app is a 500 answer, not a raised error."""
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=("192.0.2.200", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        yield client


@pytest.fixture
async def buyer(api: Api, token_for) -> Api:
    """The `api` client, signed in as procurement staff of the buyer (who sees every order)."""
    return api.as_user(await token_for(BUYER))


async def refused(api: Api, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The body of a GraphQL request that must be refused: errors, and no data."""
    response = await api.post(query, variables)
    body = payload(response)
    assert response.status_code in (200, 400), (response.status_code, body)
    assert body.get("data") is None and body["errors"], body
    return body


# --- aliases, depth, tokens ------------------------------------------------------------------------------------------


def aliased_viewers(count: int) -> str:
    return "{ " + " ".join(f"v{n}: viewer {{ id }}" for n in range(count)) + " }"


async def test_alias_bomb_is_refused(buyer: Api) -> None:
    body = await refused(buyer, aliased_viewers(50))
    assert any("aliases" in message for message in messages(body)), body


async def test_aliases_up_to_the_limit_are_allowed(buyer: Api) -> None:
    data = await buyer.query(aliased_viewers(MAX_ALIASES))
    assert len(data) == MAX_ALIASES and all(value["id"] for value in data.values())


def deep_query(depth: int) -> str:
    """A query whose deepest field is at `depth` (the root field is at 0), through single objects only."""
    inner = "id"
    for _ in range(depth - 3):
        inner = f"amends {{ {inner} }}"
    return f'{{ goodsReceipt(id: "{uuid.uuid4()}") {{ order {{ contract {{ {inner} }} }} }} }}'


async def test_depth_bomb_is_refused(buyer: Api) -> None:
    body = await refused(buyer, deep_query(40))
    assert any(f"maximum operation depth of {MAX_DEPTH}" in message for message in messages(body)), body


async def test_depth_just_over_the_limit_is_refused(buyer: Api) -> None:
    body = await refused(buyer, deep_query(MAX_DEPTH + 1))
    assert any("depth" in message for message in messages(body)), body


async def test_depth_at_the_limit_is_allowed(buyer: Api) -> None:
    assert await buyer.query(deep_query(MAX_DEPTH)) == {"goodsReceipt": None}


async def test_depth_bomb_hidden_in_fragments_is_refused(buyer: Api) -> None:
    fragments = "\n".join(f"fragment F{n} on Contract {{ amends {{ ...F{n + 1} }} }}" for n in range(20))
    query = (f'{{ goodsReceipt(id: "{uuid.uuid4()}") {{ order {{ contract {{ ...F0 }} }} }} }}\n{fragments}\n'
             "fragment F20 on Contract { id }")
    body = await refused(buyer, query)
    assert any("depth" in message for message in messages(body)), body


async def test_token_bomb_is_refused(buyer: Api) -> None:
    query = "{ " + " viewer { id }" * (MAX_TOKENS // 4 + 10) + " }"  # no aliases, shallow, just long
    body = await refused(buyer, query)
    assert any(f"more than {MAX_TOKENS} tokens" in message for message in messages(body)), body


# --- complexity ------------------------------------------------------------------------------------------------------


COMPLEXITY_BOMB = """{ purchaseOrders(first: 100) { edges { node {
  id lines { id itemName quantity }
  receipts { id lines { id receivedQuantity orderLine { id itemCode itemName quantity receivedQuantity } } }
} } } }"""

DASHBOARD = """query Dashboard($after: String) {
  purchaseOrders(first: %d, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id number status issuedAt total { formatted } supplier { code name }
      lines { itemName quantity receivedQuantity deliveryDate }
    } }
  }
}"""


async def test_complexity_bomb_is_refused(buyer: Api) -> None:
    body = await refused(buyer, COMPLEXITY_BOMB)
    assert codes(body) == ["QUERY_TOO_COMPLEX"], body
    assert "too complex" in messages(body)[0]


async def test_complexity_bomb_with_a_variable_page_size_is_refused(buyer: Api) -> None:
    query = COMPLEXITY_BOMB.replace("{ purchaseOrders(first: 100)", "query($n: Int) { purchaseOrders(first: $n)")
    body = await refused(buyer, query, {"n": 1})  # a variable counts as the largest page
    assert codes(body) == ["QUERY_TOO_COMPLEX"], body


async def test_complexity_bomb_in_fragments_is_refused(buyer: Api) -> None:
    query = """{ purchaseOrders(first: 100) { edges { node { ...Order } } } }
    fragment Order on PurchaseOrder { id lines { id } ... on PurchaseOrder { receipts { ...Receipt } } }
    fragment Receipt on GoodsReceipt { id lines { id orderLine { id itemCode itemName quantity receivedQuantity } } }"""
    body = await refused(buyer, query)
    assert codes(body) == ["QUERY_TOO_COMPLEX"], body


async def test_dashboard_query_is_within_the_complexity_budget(buyer: Api) -> None:
    data = await buyer.query(DASHBOARD % 20)
    orders = data["purchaseOrders"]
    assert 0 < len(orders["edges"]) <= 20 and orders["totalCount"] >= len(orders["edges"])
    assert all(edge["node"]["lines"] for edge in orders["edges"])


async def test_a_full_page_dashboard_query_is_within_the_complexity_budget(buyer: Api) -> None:
    """100 orders with their lines are about 4,000 objects: well under the budget of 25,000.

    Fails today: ComplexityLimit multiplies `edges` by LIST_ESTIMATE on top of the page size, counting 1,000 nodes.
    """
    response = await buyer.post(DASHBOARD % 100)
    body = payload(response)
    assert "errors" not in body, body
    assert body["data"]["purchaseOrders"]["edges"]


# --- request bodies --------------------------------------------------------------------------------------------------


async def test_batched_request_is_refused_and_runs_nothing(buyer: Api) -> None:
    name = f"batched {uuid.uuid4().hex[:8]}"
    mutation = {"query": 'mutation($n: String!) { createApiToken(name: $n) { token } }', "variables": {"n": name}}
    response = await buyer.client.post("/graphql", json=[mutation, mutation],
                                       headers={"Authorization": f"Bearer {buyer.token}"})
    body = payload(response)
    assert response.status_code == 400 and codes(body) == ["BAD_REQUEST"], body
    assert "batch" in messages(body)[0].lower()
    assert not await AuthToken.filter(name=name).exists()


async def test_oversized_body_is_413(api: Api) -> None:
    response = await api.post("{ viewer { id } }", {"padding": "x" * (1024 * 1024)})
    body = payload(response)
    assert response.status_code == 413 and codes(body) == ["PAYLOAD_TOO_LARGE"], body


async def test_oversized_streamed_body_without_content_length_is_413(api: Api) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ viewer { id } }", "variables": {"padding": "'
        for _ in range(32):
            yield b"x" * 65536
        yield b'"}}'

    response = await api.client.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in response.request.headers
    body = payload(response)
    assert response.status_code == 413 and codes(body) == ["PAYLOAD_TOO_LARGE"], body


async def test_oversized_mutation_changes_nothing(buyer: Api) -> None:
    name = f"oversized {uuid.uuid4().hex[:8]}"
    request = {"query": "mutation($n: String!) { createApiToken(name: $n) { token } }", "variables": {"n": name},
               "extensions": {"padding": "x" * (1024 * 1024)}}  # ignored by GraphQL: only the size matters
    response = await buyer.client.post("/graphql", json=request, headers={"Authorization": f"Bearer {buyer.token}"})
    assert response.status_code == 413, response.text
    assert not await AuthToken.filter(name=name).exists()


async def test_body_of_exactly_the_limit_is_accepted(api: Api) -> None:
    template = '{"query": "{ viewer { id } }", "variables": {"padding": "%s"}}'
    content = (template % ("x" * (1024 * 1024 - len(template % "")))).encode()
    assert len(content) == 1024 * 1024
    response = await api.client.post("/graphql", content=content, headers={"content-type": "application/json"})
    assert response.status_code == 200 and payload(response) == {"data": {"viewer": None}}


@pytest.mark.parametrize("body", [b"{not json", b'{"query": "{ viewer { id } }"', b"", b"{'query': 1}"])
async def test_malformed_json_is_400(api: Api, body: bytes) -> None:
    response = await api.client.post("/graphql", content=body, headers={"content-type": "application/json"})
    answer = payload(response)
    assert response.status_code == 400 and codes(answer) == ["BAD_REQUEST"], answer


@pytest.mark.parametrize("body", [b"\xff\xfe\x00", b'{"query": "{ viewer { id } }\xff"}', b"\xc3\x28"])
async def test_body_that_is_not_utf8_text_is_400(settings: Settings, demo: Any, body: bytes) -> None:
    """Fails today with a 500: json.loads raises UnicodeDecodeError, which strawberry does not catch."""
    async with http_client(settings) as client:
        response = await client.post("/graphql", content=body, headers={"content-type": "application/json"})
    answer = payload(response)
    assert response.status_code == 400 and codes(answer) == ["BAD_REQUEST"], answer


@pytest.mark.parametrize("body", [b'"{ viewer { id } }"', b"42", b"null", b"true"])
async def test_json_that_is_not_an_object_is_400(settings: Settings, demo: Any, body: bytes) -> None:
    """Fails today with a 500: strawberry calls `.get` on whatever JSON value it parsed."""
    async with http_client(settings) as client:
        response = await client.post("/graphql", content=body, headers={"content-type": "application/json"})
    answer = payload(response)
    assert response.status_code == 400 and codes(answer) == ["BAD_REQUEST"], answer


@pytest.mark.parametrize("request_body", [{"nope": 1}, {"query": None}, {"query": 5}, {"query": "", "variables": {}},
                                          {"query": "{ viewer { id } }", "variables": [1]}])
async def test_body_without_a_usable_query_is_400(api: Api, request_body: dict[str, Any]) -> None:
    response = await api.client.post("/graphql", json=request_body)
    body = payload(response)
    assert response.status_code == 400 and codes(body) == ["BAD_REQUEST"], body


@pytest.mark.parametrize(("content", "content_type"), [
    (b'{"query": "{ viewer { id } }"}', "text/plain"),
    (b"query=%7B+viewer+%7B+id+%7D+%7D", "application/x-www-form-urlencoded"),
    (b'{"query": "{ viewer { id } }"}', "application/xml"),
])
async def test_wrong_content_type_is_refused(api: Api, content: bytes, content_type: str) -> None:
    response = await api.client.post("/graphql", content=content, headers={"content-type": content_type})
    body = payload(response)
    assert response.status_code in (400, 415), (response.status_code, body)
    assert "data" not in body and body["errors"], body


MULTIPART = (b'--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query": "{ viewer { id } }"}\r\n'
             b'--b\r\nContent-Disposition: form-data; name="map"\r\n\r\n{}\r\n--b--\r\n')


async def test_multipart_is_only_for_authenticated_uploads(api: Api, token_for) -> None:
    # Multipart carries verifyDocument's file. A cross-site form can post multipart but cannot send a bearer token,
    # so without one it is refused before any GraphQL runs.
    headers = {"content-type": "multipart/form-data; boundary=b"}
    anonymous = await api.client.post("/graphql", content=MULTIPART, headers=headers)
    assert anonymous.status_code == 401 and "data" not in payload(anonymous)
    token = await token_for(BUYER)
    signed_in = await api.client.post("/graphql", content=MULTIPART,
                                      headers={**headers, "Authorization": f"Bearer {token}"})
    assert signed_in.status_code == 200 and payload(signed_in)["data"]["viewer"]["id"]


async def test_queries_via_get_are_refused(api: Api, token_for) -> None:
    token = await token_for(BUYER)
    for params in ({"query": "{ viewer { id } }"}, {"query": "mutation { logout { ok } }"}):
        response = await api.client.get("/graphql", params=params, headers={"Authorization": f"Bearer {token}",
                                                                             "Accept": "application/json"})
        body = payload(response)
        assert 400 <= response.status_code < 500 and "data" not in body, body
    assert (await api.query("{ viewer { id } }", token=token))["viewer"]  # the GET did not log anybody out


async def test_other_methods_are_refused(api: Api) -> None:
    for method in ("PUT", "DELETE", "PATCH"):
        response = await api.client.request(method, "/graphql", json={"query": "{ viewer { id } }"})
        assert response.status_code == 405, (method, response.status_code)
        assert "Traceback" not in response.text


# --- validation of fields and arguments ------------------------------------------------------------------------------


async def test_unknown_field_is_a_validation_error_naming_it(buyer: Api) -> None:
    body = await refused(buyer, "{ viewer { id nope } }")
    assert messages(body) == ["Cannot query field 'nope' on type 'User'."], body


async def test_unknown_argument_is_a_validation_error_naming_it(buyer: Api) -> None:
    body = await refused(buyer, "{ purchaseOrders(frist: 1) { totalCount } }")
    assert "'frist'" in messages(body)[0] and "purchaseOrders" in messages(body)[0], body


async def test_wrong_argument_type_is_a_validation_error(buyer: Api) -> None:
    body = await refused(buyer, '{ purchaseOrders(first: "ten") { totalCount } }')
    assert "Int" in messages(body)[0] and '"ten"' in messages(body)[0], body
    body = await refused(buyer, "query($n: Int) { purchaseOrders(first: $n) { totalCount } }", {"n": "ten"})
    assert "'$n'" in messages(body)[0] and "Int" in messages(body)[0], body


async def test_unknown_enum_value_in_a_filter_is_a_validation_error(buyer: Api) -> None:
    body = await refused(buyer, "{ purchaseOrders(filter: {status: [SHIPPED]}) { totalCount } }")
    assert "SHIPPED" in messages(body)[0], body


@pytest.mark.parametrize("first", [-1, 101, 2**31 - 1])
async def test_page_size_out_of_range_is_refused_naming_first(buyer: Api, first: int) -> None:
    body = await refused(buyer, "query($n: Int) { purchaseOrders(first: $n) { totalCount } }", {"n": first})
    assert "`first`" in messages(body)[0] and codes(body) == ["BAD_USER_INPUT"], body


async def test_page_size_beyond_32_bits_is_a_validation_error(buyer: Api) -> None:
    body = await refused(buyer, "{ purchaseOrders(first: 99999999999) { totalCount } }")
    assert "Int" in messages(body)[0], body


async def test_page_size_100_is_allowed(buyer: Api) -> None:
    data = await buyer.query(ORDER_IDS)
    assert 0 < len(data["purchaseOrders"]["edges"]) <= 100


async def test_page_size_0_returns_no_edges(buyer: Api) -> None:
    data = await buyer.query("{ purchaseOrders(first: 0) { edges { cursor } pageInfo { hasNextPage } } }")
    assert data["purchaseOrders"]["edges"] == []


@pytest.mark.parametrize(("query", "argument"), [
    ('{ purchaseOrder(id: "nope") { id } }', "`id`"),
    ('{ supplier(id: "") { id } }', "`id`"),
    ('{ goodsReceipt(id: "%s") { id } }' % ("0" * 5000), "`id`"),
    ('{ purchaseOrders(filter: {supplierId: "nope"}) { totalCount } }', "`supplierId`"),
    ('{ goodsReceipts(filter: {orderId: "1 OR 1=1"}) { totalCount } }', "`orderId`"),
])
async def test_malformed_id_is_refused_naming_the_argument(buyer: Api, query: str, argument: str) -> None:
    response = await buyer.post(query)
    body = payload(response)
    assert response.status_code == 200, body
    assert argument in messages(body)[0] and codes(body) == ["BAD_USER_INPUT"], body
    assert body["data"] is None or all(value is None for value in body["data"].values()), body


async def test_well_formed_id_of_nothing_is_null(buyer: Api) -> None:
    assert await buyer.query(f'{{ purchaseOrder(id: "{uuid.uuid4()}") {{ id }} }}') == {"purchaseOrder": None}


@pytest.mark.parametrize("cursor", ["zzz", "", "=", "YzE6bm9wZQ", "x" * 5000,
                                    pytest.param(str(uuid.uuid4()), id="a-random-uuid")])
async def test_malformed_cursor_is_refused_naming_after(buyer: Api, cursor: str) -> None:
    body = await refused(buyer, "query($c: String) { purchaseOrders(after: $c) { totalCount } }", {"c": cursor})
    assert "`after`" in messages(body)[0] and codes(body) == ["BAD_USER_INPUT"], body


async def test_cursors_given_out_page_through_the_results(buyer: Api) -> None:
    query = "query($c: String) { purchaseOrders(first: 2, after: $c) { edges { node { id } } pageInfo { endCursor } } }"
    first = (await buyer.query(query))["purchaseOrders"]
    second = (await buyer.query(query, {"c": first["pageInfo"]["endCursor"]}))["purchaseOrders"]
    everything = [edge["node"]["id"] for edge in (await buyer.query(ORDER_IDS))["purchaseOrders"]["edges"]]
    assert [edge["node"]["id"] for edge in first["edges"] + second["edges"]] == everything[:4]


async def test_search_longer_than_100_characters_is_refused(buyer: Api) -> None:
    query = "query($s: String) { purchaseOrders(filter: {search: $s}) { totalCount } }"
    body = await refused(buyer, query, {"s": "x" * 101})
    assert "`search`" in messages(body)[0] and codes(body) == ["BAD_USER_INPUT"], body
    assert (await buyer.query(query, {"s": "x" * 100}))["purchaseOrders"]["totalCount"] == 0


async def test_search_with_sql_wildcards_matches_literally(buyer: Api) -> None:
    query = "query($s: String) { purchaseOrders(filter: {search: $s}) { totalCount } }"
    for text in ("%", "_", "\\", "' OR 1=1 --"):
        assert (await buyer.query(query, {"s": text}))["purchaseOrders"]["totalCount"] == 0, text


async def test_search_with_a_nul_byte_is_refused_at_the_door(buyer: Api) -> None:
    """PostgreSQL text cannot hold NUL: a request carrying one is refused before any query runs, on every database."""
    response = await buyer.post("query($s: String) { purchaseOrders(filter: {search: $s}) { totalCount } }",
                                {"s": "PO\u0000"})
    body = payload(response)
    assert response.status_code == 400 and codes(body) == ["BAD_REQUEST"], body
    assert "NUL" in messages(body)[0]


EMPTY_RANGE = """{ purchaseOrders(filter: {issuedAfter: "2026-02-01T00:00:00+00:00",
                                        issuedBefore: "2026-01-01T00:00:00+00:00"}) { totalCount } }"""


async def test_empty_date_range_is_refused(buyer: Api) -> None:
    body = await refused(buyer, EMPTY_RANGE)
    assert codes(body) == ["BAD_USER_INPUT"] and "empty" in messages(body)[0], body


async def test_empty_date_range_error_names_the_graphql_filter_fields(buyer: Api) -> None:
    """Every other input error names the argument as the client wrote it; this one names a database column."""
    message = messages(await refused(buyer, EMPTY_RANGE))[0]
    assert "issued_at" not in message and "issuedAfter" in message, message


async def test_malformed_date_is_a_validation_error(buyer: Api) -> None:
    body = await refused(buyer, '{ purchaseOrders(filter: {issuedAfter: "2026-13-01T00:00:00Z"}) { totalCount } }')
    assert "DateTime" in messages(body)[0], body


async def test_supplier_category_filter_returns_the_suppliers_of_that_category(buyer: Api) -> None:
    """Fails today on SQLite: Tortoise cannot translate `categories__contains` on a JSON field there."""
    everyone = (await buyer.query("{ suppliers(first: 100) { edges { node { code categories } } } }"))["suppliers"]
    expected = sorted(e["node"]["code"] for e in everyone["edges"] if "FASTENERS" in e["node"]["categories"])
    assert expected, everyone
    response = await buyer.post(
        '{ suppliers(first: 100, filter: {category: "FASTENERS"}) { edges { node { code } } } }')
    body = payload(response)
    assert "errors" not in body, body
    assert sorted(e["node"]["code"] for e in body["data"]["suppliers"]["edges"]) == expected


# --- introspection and GraphiQL --------------------------------------------------------------------------------------


INTROSPECT = "{ __schema { queryType { name } } }"


@pytest.mark.parametrize("env", ["development", "test"])
async def test_introspection_works_outside_production(settings: Settings, demo: Any, env: str) -> None:
    async with app_client(replace(settings, env=env)) as api:
        assert await api.query(INTROSPECT) == {"__schema": {"queryType": {"name": "Query"}}}


@pytest.mark.parametrize("query", [INTROSPECT, '{ __type(name: "Query") { fields { name } } }',
                                   "query { viewer { id } ... on Query { __schema { types { name } } } }"])
async def test_introspection_is_refused_in_production(settings: Settings, token_for, query: str) -> None:
    token = await token_for(BUYER)
    async with app_client(replace(settings, env="production")) as api:
        body = await refused(api.as_user(token), query)
        assert all("introspection" in message for message in messages(body)), body


async def test_typename_still_works_in_production(settings: Settings, token_for) -> None:
    token = await token_for(BUYER)
    async with app_client(replace(settings, env="production")) as api:
        assert await api.query("{ __typename viewer { __typename } }", token=token) == {
            "__typename": "Query", "viewer": {"__typename": "User"}}


@pytest.mark.parametrize("env", ["development", "test"])
async def test_graphiql_is_served_outside_production(settings: Settings, demo: Any, env: str) -> None:
    async with app_client(replace(settings, env=env)) as api:
        response = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_graphiql_is_not_served_in_production(settings: Settings, demo: Any) -> None:
    async with app_client(replace(settings, env="production")) as api:
        response = await api.client.get("/graphql", headers={"Accept": "text/html"})
    body = payload(response)
    assert response.status_code == 404 and codes(body) == ["NOT_FOUND"], body
    assert "graphiql" not in response.text.lower()


# --- health and masked errors ----------------------------------------------------------------------------------------


async def test_healthz_says_ok(api: Api) -> None:
    response = await api.client.get("/healthz")
    assert response.status_code == 200 and payload(response) == {"status": "ok", "database": "up"}


async def test_unknown_path_is_a_404(api: Api) -> None:
    response = await api.client.get("/admin")
    assert response.status_code == 404 and "Traceback" not in response.text


MASKED = "Internal error; it has been logged."
ODD_INPUTS = [
    ('mutation { createApiToken(name: "odd", expiresAt: "2099-01-01T00:00:00") { token errors { code } } }', None),
    ('{ suppliers(filter: {category: "FASTENERS"}) { totalCount } }', None),
    ('{ purchaseOrders(filter: {issuedAfter: "0001-01-01T00:00:00+14:00"}) { totalCount } }', None),
    ('{ purchaseOrders(filter: {issuedBefore: "9999-12-31T23:59:59-14:00"}) { totalCount } }', None),
    ("query($s: String) { purchaseOrders(filter: {search: $s}) { totalCount } }", {"s": "\u0000"}),
    ("query($s: String) { suppliers(filter: {category: $s}) { totalCount } }", {"s": "\u0000" * 100}),
]


@pytest.mark.parametrize(("query", "variables"), ODD_INPUTS)
@pytest.mark.parametrize("env", ["test", "production"])
async def test_errors_never_show_python_internals(settings: Settings, token_for, env: str, query: str,
                                                  variables: dict[str, Any] | None) -> None:
    """Odd but well-formed input: either an answer, a coded error, or the masked message, never the bug's text."""
    token = await token_for(BUYER)
    async with app_client(replace(settings, env=env)) as api:
        response = await api.post(query, variables, token=token)
    body = payload(response)
    assert response.status_code in (200, 400), body
    for phrase in ("Traceback", "TypeError", "offset-naive", "executor", "File \"", "tortoise", "sqlite", "asyncpg"):
        assert phrase not in response.text, body
    for error in body.get("errors", []):
        assert error["message"] == MASKED or error.get("extensions", {}).get("code"), body
