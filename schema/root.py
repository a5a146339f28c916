"""The root schema, merged from the per-domain Query, Mutation and Subscription pieces."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from schema.audit.queries import AuditQuery
from schema.contracts.mutations import ContractsMutation
from schema.contracts.queries import ContractsQuery
from schema.deadlines.mutations import DeadlinesMutation
from schema.deadlines.queries import DeadlinesQuery
from schema.documents.mutations import DocumentsMutation
from schema.documents.queries import DocumentsQuery
from schema.execution import LeafFastPathExecutionContext
from schema.limits import schema_extensions
from schema.notifications.mutations import NotificationsMutation
from schema.notifications.queries import NotificationsQuery
from schema.notifications.subscriptions import NotificationsSubscription
from schema.notifications.webhook_queries import WebhooksQuery
from schema.orders.mutations import OrdersMutation
from schema.orders.queries import OrdersQuery
from schema.parties.mutations import PartiesMutation
from schema.parties.queries import PartiesQuery
from schema.plans.mutations import PlansMutation
from schema.plans.queries import PlansQuery
from schema.statements.mutations import StatementsMutation
from schema.statements.queries import StatementsQuery
from schema.tenders.mutations import TendersMutation
from schema.tenders.queries import TendersQuery

QUERIES: tuple[type, ...] = (
    PartiesQuery, PlansQuery, TendersQuery, ContractsQuery, OrdersQuery, StatementsQuery, DocumentsQuery, DeadlinesQuery,
    NotificationsQuery, WebhooksQuery, AuditQuery,
)
MUTATIONS: tuple[type, ...] = (
    PartiesMutation, DocumentsMutation, DeadlinesMutation, TendersMutation, ContractsMutation, OrdersMutation,
    PlansMutation, StatementsMutation, NotificationsMutation,
)
SUBSCRIPTIONS: tuple[type, ...] = (NotificationsSubscription,)

Query = merge_types("Query", QUERIES)
Mutation = merge_types("Mutation", MUTATIONS)
Subscription = merge_types("Subscription", SUBSCRIPTIONS)


def build_schema(production: bool = False) -> strawberry.Schema:
    return strawberry.Schema(query=Query, mutation=Mutation, subscription=Subscription,
                             extensions=schema_extensions(production),
                             execution_context_class=LeafFastPathExecutionContext)


def printed_schema() -> str:
    """The SDL committed as schema/schema.graphql."""
    return build_schema().as_str() + "\n"
