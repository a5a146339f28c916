"""The Mutation fields of parties."""

from __future__ import annotations

import strawberry

from schema.parties.mutations.activate_account import ActivateAccountPayload, activate_account
from schema.parties.mutations.api_tokens import (
    CreateApiTokenPayload, RevokeApiTokenPayload, create_api_token, revoke_api_token,
)
from schema.parties.mutations.invite_supplier import InviteSupplierPayload, invite_supplier
from schema.parties.mutations.login import LoginPayload, login
from schema.parties.mutations.logout import LogoutPayload, logout
from schema.parties.mutations.qualification_documents import (
    AddQualificationDocumentPayload, RemoveQualificationDocumentPayload, add_qualification_document,
    remove_qualification_document,
)
from schema.parties.mutations.qualify_supplier import SupplierPayload, qualify_supplier
from schema.parties.mutations.reissue_activation_link import reissue_activation_link
from schema.parties.mutations.suspend_supplier import reject_supplier, suspend_supplier
from schema.parties.mutations.users import (
    ChangePasswordPayload, DeactivateUserPayload, InviteUserPayload, change_password, deactivate_user, invite_user,
    send_activation_link,
)
from schema.permissions import IsAuthenticated


@strawberry.type
class PartiesMutation:
    login: LoginPayload = strawberry.mutation(resolver=login, description="Anonymous callers may call this.")
    activate_account: ActivateAccountPayload = strawberry.mutation(
        resolver=activate_account,
        description="Anonymous callers may call this: set the first password with an activation link's token.")
    logout: LogoutPayload = strawberry.mutation(resolver=logout, permission_classes=[IsAuthenticated])
    create_api_token: CreateApiTokenPayload = strawberry.mutation(resolver=create_api_token,
                                                                  permission_classes=[IsAuthenticated])
    revoke_api_token: RevokeApiTokenPayload = strawberry.mutation(resolver=revoke_api_token,
                                                                  permission_classes=[IsAuthenticated])
    invite_supplier: InviteSupplierPayload = strawberry.mutation(
        resolver=invite_supplier, permission_classes=[IsAuthenticated],
        description="Create a supplier (APPLIED) and its admin user, with a one-time activation link.")
    reissue_activation_link: InviteSupplierPayload = strawberry.mutation(
        resolver=reissue_activation_link, permission_classes=[IsAuthenticated],
        description="A new activation link for the supplier's admin who has not activated yet; the old one dies.")
    qualify_supplier: SupplierPayload = strawberry.mutation(
        resolver=qualify_supplier, permission_classes=[IsAuthenticated],
        description="APPLIED or SUSPENDED -> QUALIFIED; issues the supplier's signing certificate the first time.")
    suspend_supplier: SupplierPayload = strawberry.mutation(
        resolver=suspend_supplier, permission_classes=[IsAuthenticated],
        description="QUALIFIED -> SUSPENDED, with a reason: it can no longer bid or be awarded.")
    reject_supplier: SupplierPayload = strawberry.mutation(
        resolver=reject_supplier, permission_classes=[IsAuthenticated],
        description="APPLIED -> REJECTED, with a reason; its users are deactivated.")
    add_qualification_document: AddQualificationDocumentPayload = strawberry.mutation(
        resolver=add_qualification_document, permission_classes=[IsAuthenticated])
    remove_qualification_document: RemoveQualificationDocumentPayload = strawberry.mutation(
        resolver=remove_qualification_document, permission_classes=[IsAuthenticated])
    invite_user: InviteUserPayload = strawberry.mutation(
        resolver=invite_user, permission_classes=[IsAuthenticated],
        description="A new user of your own organisation (you are its ADMIN or SUPPLIER_ADMIN), with a one-time "
                    "activation link.")
    deactivate_user: DeactivateUserPayload = strawberry.mutation(
        resolver=deactivate_user, permission_classes=[IsAuthenticated],
        description="A user of your own organisation can no longer log in; their tokens stop working at once.")
    send_activation_link: InviteUserPayload = strawberry.mutation(
        resolver=send_activation_link, permission_classes=[IsAuthenticated],
        description="A new one-time link for a user of your own organisation. For a user who has a password it is "
                    "a reset: their password, sessions and API tokens stop working at once.")
    change_password: ChangePasswordPayload = strawberry.mutation(
        resolver=change_password, permission_classes=[IsAuthenticated],
        description="Your own password, given the current one; your other sessions end, your API tokens stay.")
