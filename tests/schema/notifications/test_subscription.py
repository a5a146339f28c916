"""`notificationAdded` over a real WebSocket (graphql-transport-ws) on a real uvicorn server: a socket authenticates in
its connection_init, then receives each of the viewer's new notifications once, and never another user's."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
import uvicorn
import websockets
from websockets.exceptions import ConnectionClosed

from api.app import create_app
from domain.actors import Actor
from domain.models import AuthToken, Notification
from schema.notifications import subscriptions
from tests.support.tenders import bearer_token, new_supplier
from workflows.identity import token_digest

PROTOCOL = "graphql-transport-ws"
SUBSCRIBE = "subscription { notificationAdded { id kind title subjectType readAt } }"
QUIET_SECONDS = 1.5  # several polls: long enough for anything wrongly sent to arrive


@pytest.fixture
async def server(settings, demo, monkeypatch) -> AsyncIterator[str]:  # noqa: ANN001
    """The app served by uvicorn on a free port, in the tests' event loop (it shares their database connection)."""
    monkeypatch.setattr(subscriptions, "POLL_SECONDS", 0.1)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(settings, manage_database=False), lifespan="off", log_level="warning",
                            ws="auto")
    served = uvicorn.Server(config)
    task = asyncio.create_task(served.serve(sockets=[listener]))
    while not served.started:
        await asyncio.sleep(0.01)
    try:
        yield f"ws://127.0.0.1:{listener.getsockname()[1]}/graphql"
    finally:
        served.should_exit = True
        await task
        listener.close()


async def receive(ws, timeout: float = 5) -> dict[str, Any]:  # noqa: ANN001
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def connect(url: str, payload: dict[str, Any]):  # noqa: ANN201
    ws = await websockets.connect(url, subprotocols=[PROTOCOL])
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    return ws


async def subscribed(url: str, token: str):  # noqa: ANN201
    ws = await connect(url, {"authorization": f"Bearer {token}"})
    assert await receive(ws) == {"type": "connection_ack"}
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
    await asyncio.sleep(0.3)  # the stream has started (and primed) before the test writes anything
    return ws


async def notify(actor: Actor, title: str) -> Notification:
    return await Notification.create(user_id=actor.user_id, kind="test.note", title=title, subject_type="Test",
                                     created_at=datetime.now(UTC))


async def test_a_viewer_receives_its_new_notifications_once_and_never_another_s(server: str) -> None:
    me, other = await new_supplier("FASTENERS"), await new_supplier("FASTENERS")
    await notify(me, "before / 之前")  # already in the inbox: not replayed
    ws = await subscribed(server, await bearer_token(me))
    try:
        await notify(other, "not yours / 不是你的")
        first = await notify(me, "第一 / first")
        second = await notify(me, "第二 / second")
        received = [await receive(ws), await receive(ws)]
        assert [(m["type"], m["id"]) for m in received] == [("next", "1"), ("next", "1")]
        nodes = [m["payload"]["data"]["notificationAdded"] for m in received]
        assert [n["id"] for n in nodes] == [str(first.id), str(second.id)]
        assert nodes[0] == {"id": str(first.id), "kind": "test.note", "title": "第一 / first", "subjectType": "Test",
                            "readAt": None}
        await notify(other, "still not yours / 仍然不是你的")
        with pytest.raises(TimeoutError):
            await receive(ws, timeout=QUIET_SECONDS)
    finally:
        await ws.close()


async def test_a_late_commit_within_the_lookback_is_still_delivered_once(server: str) -> None:
    me = await new_supplier("FASTENERS")
    ws = await subscribed(server, await bearer_token(me))
    try:
        newer = await notify(me, "newer")
        assert (await receive(ws))["payload"]["data"]["notificationAdded"]["id"] == str(newer.id)
        # Written by a transaction that started earlier and committed now: dated before the newest one seen.
        late = await Notification.create(user_id=me.user_id, kind="test.note", title="late",
                                         created_at=newer.created_at.replace(microsecond=0))
        assert (await receive(ws))["payload"]["data"]["notificationAdded"]["id"] == str(late.id)
        with pytest.raises(TimeoutError):
            await receive(ws, timeout=QUIET_SECONDS)
    finally:
        await ws.close()


@pytest.mark.parametrize("payload", [{}, {"authorization": "Bearer pt_not-a-real-token"},
                                     {"authorization": "Basic abc"}, {"authorization": 42}])
async def test_a_socket_without_a_valid_token_is_refused(server: str, payload: dict) -> None:
    ws = await connect(server, payload)
    with pytest.raises(ConnectionClosed) as closed:
        await receive(ws)
    assert closed.value.rcvd.code == 4403


async def test_subscribing_before_connection_init_is_refused(server: str) -> None:
    async with websockets.connect(server, subprotocols=[PROTOCOL]) as ws:
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        with pytest.raises(ConnectionClosed) as closed:
            await receive(ws)
        assert closed.value.rcvd.code == 4401


async def test_the_stream_ends_when_the_token_is_revoked(server: str, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(subscriptions, "REAUTHENTICATE_SECONDS", 0.2)
    me = await new_supplier("FASTENERS")
    token = await bearer_token(me)
    ws = await subscribed(server, token)
    try:
        await AuthToken.filter(token_hash=token_digest(token)).update(revoked_at=datetime.now(UTC))
        assert await receive(ws) == {"id": "1", "type": "complete"}
        await notify(me, "after logout")
        with pytest.raises(TimeoutError):
            await receive(ws, timeout=QUIET_SECONDS)
    finally:
        await ws.close()
