"""GraphQL types for notifications."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain import models as m


@strawberry.type(description="A message in the viewer's inbox, about one record (`subjectType`, `subjectId`).")
class Notification:
    id: strawberry.ID
    kind: str = strawberry.field(description="What happened, e.g. `contract.issued`.")
    title: str
    body: str
    subject_type: str
    subject_id: strawberry.ID | None
    read_at: datetime | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: m.Notification) -> Notification:
        return cls(
            id=strawberry.ID(str(row.id)), kind=row.kind, title=row.title, body=row.body,
            subject_type=row.subject_type,
            subject_id=strawberry.ID(str(row.subject_id)) if row.subject_id else None,
            read_at=row.read_at, created_at=row.created_at,
        )
