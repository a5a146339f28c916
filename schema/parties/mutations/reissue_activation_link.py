"""`reissueActivationLink`: a new activation link for a supplier's admin who has not activated yet."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import attempt
from schema.filters import require_id
from schema.parties.mutations.invite_supplier import InviteSupplierPayload, invited_payload
from workflows import suppliers


async def reissue_activation_link(info: Info, id: strawberry.ID) -> InviteSupplierPayload:
    context = info.context
    invited, errors = await attempt(suppliers.reissue_activation(context.require_actor(), require_id(id),
                                                                 clock=context.clock))
    return invited_payload(info, invited, errors)
