"""An execution context that completes plain scalar fields, and plain objects of them, without the general machinery.

A page of orders with their lines is mostly leaves: numbers, names, quantities, dates. For each of them graphql-core
builds a resolve-info object, calls strawberry's default resolver, asks three times whether the result is awaitable
and walks `complete_value`: about ten microseconds a field, most of a dashboard request. A leaf whose strawberry field
has no resolver, no arguments and no extension can only be `getattr(source, python_name)` coerced by its scalar or
enum type, so this context does exactly that. Anything else, and any value the shortcut cannot complete (a null in a
non-null field, a value the scalar refuses), goes through graphql-core's own path, which reports it as usual.

The same holds one level up: an object-typed field without resolver or arguments (an amount's `{ amount currency }`)
whose selection is only such leaves, or such objects, completes as a plain dict of them. And so does an object a
resolver returned (each line of an order's `lines`) when its whole selection is plain: one dict, without graphql-core
collecting and executing its fields one by one. Whether a selection is plain is a question of its shape, answered once
per request; only the values are looked at for each object.
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
        # For this request: (object type, id of a field node) -> whether its sub-selection is all plain fields. The
        # request's document keeps its nodes alive, so their ids stay theirs until the request ends.
        self._plain_selections: dict[tuple[GraphQLObjectType, int], bool] = {}
        # strawberry passes a manager on every request; it only wraps resolvers when an extension resolves fields.
        self._no_middleware = self.middleware_manager is None or not self.middleware_manager.middlewares

    def _plan(self, parent_type: GraphQLObjectType, node: FieldNode) -> _LeafPlan:
        """How to complete `node` of `parent_type` directly, or None where the general path must."""
        if node.arguments or node.directives:
            return None
        plans = self._leaf_plans
        name = node.name.value
        try:
            return plans[(parent_type, name)]
        except KeyError:
            field_def = self.schema.get_field(parent_type, name)
            plan = plans[(parent_type, name)] = _leaf_plan(field_def) if field_def else None
            return plan

    def _is_plain_selection(self, object_type: GraphQLObjectType, node: FieldNode) -> bool:
        """Whether every field `node` selects on `object_type` completes directly (a shape check, once per request)."""
        key = (object_type, id(node))
        verdict = self._plain_selections.get(key)
        if verdict is None:
            verdict = node.selection_set is not None and all(
                isinstance(selection, FieldNode)  # fragments and type names take the general path
                and selection.name.value != "__typename"
                and (plan := self._plan(object_type, selection)) is not None
                and (not isinstance(plan[1], GraphQLObjectType) or self._is_plain_selection(plan[1], selection))
                for selection in node.selection_set.selections
            )
            self._plain_selections[key] = verdict
        return verdict

    def _complete_plain(self, plan: tuple[str, Any, bool], source: Any, node: FieldNode) -> Any:
        """The value of a field whose plan exists, completed directly; Undefined where the general path must report
        it (a null in a non-null field, a value the scalar refuses)."""
        attribute, field_type, non_null = plan
        value = getattr(source, attribute, None)
        if value is None:
            return Undefined if non_null else None
        if isinstance(field_type, GraphQLObjectType):
            return self._complete_selection(field_type, value, node)
        try:
            coerced = field_type.coerce_output_value(value)
        except Exception:  # noqa: BLE001 - the general path reports it with its location
            return Undefined
        return Undefined if coerced is None else coerced

    def _complete_selection(self, object_type: GraphQLObjectType, value: Any, node: FieldNode) -> Any:
        """`value` completed as `object_type` with the (plain) sub-selection of `node`, or Undefined."""
        completed: dict[str, Any] = {}
        for selection in node.selection_set.selections:
            result = self._complete_plain(self._plan(object_type, selection), value, selection)
            if result is Undefined:
                return Undefined
            completed[selection.alias.value if selection.alias else selection.name.value] = result
        return completed

    def complete_object_value(self, return_type, field_details_list, info, path, result,  # noqa: ANN001
                              position_context) -> Any:  # noqa: ANN001
        # An object a resolver returned (an order line of an order's `lines`) whose selection is all plain fields:
        # one dict, without collecting and executing its fields one by one.
        if self._no_middleware and len(field_details_list) == 1 and return_type.is_type_of is None:
            details = field_details_list[0]
            if details.defer_usage is None and self._is_plain_selection(return_type, details.node):
                completed = self._complete_selection(return_type, result, details.node)
                if completed is not Undefined:
                    return completed
        return super().complete_object_value(return_type, field_details_list, info, path, result, position_context)

    def execute_field(self, parent_type, source, field_details_list, path, position_context) -> Any:  # noqa: ANN001
        if self._no_middleware and len(field_details_list) == 1:
            node = field_details_list[0].node
            plan = self._plan(parent_type, node)
            if plan is not None and (not isinstance(plan[1], GraphQLObjectType)
                                     or self._is_plain_selection(plan[1], node)):
                completed = self._complete_plain(plan, source, node)
                if completed is not Undefined:
                    return completed
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
