"""An execution context that completes plain scalar fields without the general machinery.

A page of orders with their lines is mostly leaves: numbers, names, quantities, dates. For each of them graphql-core
builds a resolve-info object, calls strawberry's default resolver, asks three times whether the result is awaitable
and walks `complete_value`: about ten microseconds a field, most of a dashboard request. A leaf whose strawberry field
has no resolver, no arguments and no extension can only be `getattr(source, python_name)` coerced by its scalar or
enum type, so this context does exactly that. Anything else, and any value the shortcut cannot complete (a null in a
non-null field, a value the scalar refuses), goes through graphql-core's own path, which reports it as usual.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

# Per schema: (parent type, field name) -> (attribute, leaf type, non-null), or None where the field needs the
# general path. Bounded by the schema's size.
_LeafPlan = tuple[str, GraphQLLeafType, bool] | None
_plans_by_schema: WeakKeyDictionary[GraphQLSchema, dict[tuple[GraphQLObjectType, str], _LeafPlan]] = (
    WeakKeyDictionary()
)


def _leaf_plan(field_def: GraphQLField) -> _LeafPlan:
    if field_def.args or not getattr(field_def.resolve, "_is_default", False):
        return None
    strawberry_field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if strawberry_field is None or strawberry_field.extensions or strawberry_field.base_resolver is not None:
        return None
    field_type = field_def.type
    non_null = isinstance(field_type, GraphQLNonNull)
    if non_null:
        field_type = field_type.of_type
    if not is_leaf_type(field_type):
        return None
    return strawberry_field.python_name, field_type, non_null


class LeafFastPathExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plans = _plans_by_schema.get(self.schema)
        if plans is None:
            plans = _plans_by_schema[self.schema] = {}
        self._leaf_plans = plans
        # strawberry passes a manager on every request; it only wraps resolvers when an extension resolves fields.
        self._no_middleware = self.middleware_manager is None or not self.middleware_manager.middlewares

    def execute_field(self, parent_type, source, field_details_list, path, position_context) -> Any:  # noqa: ANN001
        if self._no_middleware:
            field_node = field_details_list[0].node
            key = (parent_type, field_node.name.value)
            plans = self._leaf_plans
            try:
                plan = plans[key]
            except KeyError:
                field_def = self.schema.get_field(parent_type, field_node.name.value)
                plan = plans[key] = _leaf_plan(field_def) if field_def else None
            if plan is not None and not field_node.arguments:
                attribute, leaf_type, _non_null = plan
                value = getattr(source, attribute, None)
                if value is None:
                    if not _non_null:
                        return None
                else:
                    try:
                        coerced = leaf_type.coerce_output_value(value)
                    except Exception:  # noqa: BLE001 - the general path below reports it with its location
                        coerced = Undefined
                    if coerced is not Undefined and coerced is not None:
                        return coerced
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
