"""The per-request GraphQL context: who is asking, the clock, the login policy and the request's DataLoaders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from domain.actors import Actor
from domain.clock import Clock
from domain.errors import DomainError
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
    public_url: str = ""  # where users reach the portal, for links the API hands out
    documents: Any = None  # api.documents.DocumentServices: the DocumentService, built on first use
    production: bool = True  # unknown: the stricter answer (e.g. https-only webhook URLs)
    master_key: Callable[[], Any] | None = None  # the server's master key (seals webhook secrets), None if it has none
    _loaders: dict[LoaderFactory, DataLoader] = field(default_factory=dict)

    def loader(self, factory: LoaderFactory) -> DataLoader:
        """The request's DataLoader made by `factory` for this actor: one per lookup, so a page costs one query each."""
        if factory not in self._loaders:
            self._loaders[factory] = factory(self.require_actor())
        return self._loaders[factory]

    async def document_service(self) -> Any:
        """The DocumentService for mutations that issue or countersign (DomainError when signing is not set up)."""
        if self.documents is None:
            raise DomainError("documents cannot be signed by this server", code="SIGNING_UNAVAILABLE")
        return await self.documents.get()

    def require_actor(self) -> Actor:
        if self.actor is None:  # guarded by IsAuthenticated on every field that reaches here
            raise PermissionError("authentication required")
        return self.actor


Info = StrawberryInfo[Context, None]
