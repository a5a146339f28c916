"""The per-request GraphQL context: who is asking, the clock, the login policy and the request's DataLoaders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from domain.actors import Actor
from domain.clock import Clock
from workflows.identity import LoginPolicy

LoaderFactory = Callable[[Actor], DataLoader]


@dataclass
class Context:
    actor: Actor | None
    clock: Clock
    login_policy: LoginPolicy
    client_address: str = ""
    token_secret: str | None = None
    request: Any = None
    response: Any = None
    max_upload_bytes: int = 20 * 1024 * 1024
    _loaders: dict[LoaderFactory, DataLoader] = field(default_factory=dict)

    def loader(self, factory: LoaderFactory) -> DataLoader:
        """The request's DataLoader made by `factory` for this actor: one per lookup, so a page costs one query each."""
        if factory not in self._loaders:
            self._loaders[factory] = factory(self.require_actor())
        return self._loaders[factory]

    def require_actor(self) -> Actor:
        if self.actor is None:  # guarded by IsAuthenticated on every field that reaches here
            raise PermissionError("authentication required")
        return self.actor


Info = StrawberryInfo[Context, None]
