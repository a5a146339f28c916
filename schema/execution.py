"""An execution context that completes plain scalar fields, and plain objects of them, without the general machinery.

A page of orders with their lines is mostly leaves: numbers, names, quantities, dates. For each of them graphql-core
builds a resolve-info object, calls strawberry's default resolver, asks three times whether the result is awaitable
and walks `complete_value`: about ten microseconds a field, most of a dashboard request. A leaf whose strawberry field
has no resolver, no arguments and no extension can only be `getattr(source, python_name)` coerced by its scalar or
enum type, so this context does exactly that. Anything else, and any value the shortcut cannot complete (a null in a
non-null field, a value the scalar refuses), goes through graphql-core's own path, which reports it as usual.

The same holds one level up: an object-typed field without resolver or arguments (an amount's `{ amount currency }`)
whose selection is only such leaves, or such objects, completes as a plain dict of them.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    FieldNode,
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

# Per schema: (parent type, field name) -> (attribute, leaf or object type, non-null), or None where the field needs
# the general path. Bounded by the schema's size.
_LeafPlan = tuple[str, GraphQLLeafType | GraphQLObjectType, bool] | None
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
    if not is_leaf_type(field_type) and not isinstance(field_type, GraphQLObjectType):
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

    def _plan(self, parent_type: GraphQLObjectType, name: str) -> _LeafPlan:
        plans = self._leaf_plans
        try:
            return plans[(parent_type, name)]
        except KeyError:
            field_def = self.schema.get_field(parent_type, name)
            plan = plans[(parent_type, name)] = _leaf_plan(field_def) if field_def else None
            return plan

    def _complete_plain(self, parent_type: GraphQLObjectType, source: Any, node: FieldNode) -> Any:
        """The field's value completed directly, or Undefined where the general path must do it."""
        if node.arguments or node.directives:
            return Undefined
        plan = self._plan(parent_type, node.name.value)
        if plan is None:
            return Undefined
        attribute, field_type, non_null = plan
        value = getattr(source, attribute, None)
        if value is None:
            return Undefined if non_null else None
        if isinstance(field_type, GraphQLObjectType):
            selections = node.selection_set.selections if node.selection_set else ()
            completed: dict[str, Any] = {}
            for selection in selections:
                if not isinstance(selection, FieldNode) or selection.name.value == "__typename":
                    return Undefined  # fragments and type names: the general path
                result = self._complete_plain(field_type, value, selection)
                if result is Undefined:
                    return Undefined
                completed[selection.alias.value if selection.alias else selection.name.value] = result
            return completed
        try:
            coerced = field_type.coerce_output_value(value)
        except Exception:  # noqa: BLE001 - the general path reports it with its location
            return Undefined
        return Undefined if coerced is None else coerced

    def execute_field(self, parent_type, source, field_details_list, path, position_context) -> Any:  # noqa: ANN001
        if self._no_middleware and len(field_details_list) == 1:
            completed = self._complete_plain(parent_type, source, field_details_list[0].node)
            if completed is not Undefined:
                return completed
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
