"""`markNotificationsRead`: the viewer marks its own notifications read; another user's look like missing ones."""

from __future__ import annotations

from domain.actors import Actor
from domain.models import Notification
from tests.conftest import Api
from tests.support.procurement import codes, mutate
from tests.support.tenders import bearer_token, new_supplier

MARK = """mutation($ids: [ID!], $all: Boolean) { markNotificationsRead(ids: $ids, all: $all) {
  marked unreadCount errors { code message field } } }"""
UNREAD = "{ unreadNotificationCount }"


async def inbox(actor: Actor, count: int) -> list[Notification]:
    return [await Notification.create(user_id=actor.user_id, kind="test.note", title=f"通知 {n} / Note {n}")
            for n in range(count)]


async def test_marking_some_then_all(api: Api) -> None:
    user = await new_supplier("FASTENERS")
    token = await bearer_token(user)
    first, second, third = await inbox(user, 3)
    payload = await mutate(api, token, MARK, {"ids": [str(first.id), str(second.id)]})
    assert payload == {"marked": 2, "unreadCount": 1, "errors": []}
    read_at = (await Notification.get(id=first.id)).read_at
    assert read_at is not None and (await Notification.get(id=third.id)).read_at is None

    # Marking again changes nothing: the first reading time stays.
    assert (await mutate(api, token, MARK, {"ids": [str(first.id)]}))["marked"] == 0
    assert (await Notification.get(id=first.id)).read_at == read_at

    assert await mutate(api, token, MARK, {"all": True}) == {"marked": 1, "unreadCount": 0, "errors": []}
    assert (await api.query(UNREAD, token=token))["unreadNotificationCount"] == 0


async def test_another_user_s_notification_is_not_found_and_nothing_changes(api: Api) -> None:
    me, other = await new_supplier("FASTENERS"), await new_supplier("FASTENERS")
    token = await bearer_token(me)
    [mine], [theirs] = await inbox(me, 1), await inbox(other, 1)
    payload = await mutate(api, token, MARK, {"ids": [str(mine.id), str(theirs.id)]})
    assert codes(payload) == [("NOT_FOUND", "ids")] and payload["marked"] == 0
    assert (await Notification.get(id=mine.id)).read_at is None
    assert (await Notification.get(id=theirs.id)).read_at is None

    # `all` is the viewer's inbox only.
    await mutate(api, token, MARK, {"all": True})
    assert (await Notification.get(id=theirs.id)).read_at is None


async def test_refusals(api: Api) -> None:
    user = await new_supplier("FASTENERS")
    token = await bearer_token(user)
    [note] = await inbox(user, 1)
    assert codes(await mutate(api, token, MARK, {})) == [("INVALID", "ids")]
    assert codes(await mutate(api, token, MARK, {"ids": []})) == [("INVALID", "ids")]
    assert codes(await mutate(api, token, MARK, {"ids": [str(note.id)], "all": True})) == [("INVALID", "ids")]
    body = (await api.post(MARK, {"ids": ["not-an-id"]}, token=token)).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert (await Notification.get(id=note.id)).read_at is None
    anonymous = (await api.post(MARK, {"all": True})).json()
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_too_many_ids_are_refused(api: Api) -> None:
    user = await new_supplier("FASTENERS")
    ids = [f"00000000-0000-7000-8000-{n:012d}" for n in range(501)]
    assert codes(await mutate(api, await bearer_token(user), MARK, {"ids": ids})) == [("INVALID", "ids")]
