"""Query limits: depth, aliases, tokens, a complexity budget, introspection in production, and masked bug text.

The complexity of a query is the number of objects it may return: every field costs one per parent object, and a
connection multiplies what is under it by its page size (`first`, 20 when absent, the maximum when a variable).
Plain lists of children (order lines, …) count as LIST_ESTIMATE items each.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from graphql import (
    FieldNode, FragmentSpreadNode, GraphQLError, GraphQLList, GraphQLNonNull, GraphQLObjectType, InlineFragmentNode,
    IntValueNode, OperationDefinitionNode, SelectionSetNode, ValidationRule, get_named_type,
)
from graphql.type import GraphQLInterfaceType, GraphQLUnionType
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules, MaskErrors, MaxTokensLimiter, ParserCache, SchemaExtension, ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as create_aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as create_depth_rule

from schema.errors import should_mask
from schema.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 3000
MAX_COMPLEXITY = 25_000
LIST_ESTIMATE = 10

log = logging.getLogger("portal.graphql")


def _unwrap(type_: Any) -> tuple[Any, bool]:
    """The named type under non-null/list wrappers, and whether there was a list."""
    is_list = False
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        is_list = is_list or isinstance(type_, GraphQLList)
        type_ = type_.of_type
    return type_, is_list


class ComplexityLimit(ValidationRule):
    """Refuses an operation whose estimated result size exceeds MAX_COMPLEXITY."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        try:
            self._check(node)
        except Exception:  # noqa: BLE001 - a bug here must not leak its text; validation errors are not masked
            log.exception("complexity check failed")
            self.report_error(GraphQLError("Internal error; it has been logged.", node,
                                           extensions={"code": "INTERNAL_ERROR"}))

    def _check(self, node: OperationDefinitionNode) -> None:
        schema = self.context.schema
        root = {
            "query": schema.query_type, "mutation": schema.mutation_type, "subscription": schema.subscription_type,
        }[node.operation.value]
        fragments = {f.name.value: f for f in self.context.document.definitions if hasattr(f, "type_condition")
                     and f.__class__.__name__ == "FragmentDefinitionNode"}
        cost = self._cost(node.selection_set, root, fragments, 1, depth=0)
        if cost > MAX_COMPLEXITY:
            self.report_error(GraphQLError(
                f"Query is too complex: about {cost} objects, the limit is {MAX_COMPLEXITY}. "
                "Ask for smaller pages (`first`) or fewer nested lists.",
                node, extensions={"code": "QUERY_TOO_COMPLEX"},
            ))

    def _cost(self, selection_set: SelectionSetNode | None, parent: Any, fragments: dict, multiplier: int,
              depth: int) -> int:
        if selection_set is None or parent is None or depth > 50:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection, parent, fragments, multiplier, depth)
            elif isinstance(selection, InlineFragmentNode):
                target = parent
                if selection.type_condition is not None:
                    target = self.context.schema.get_type(selection.type_condition.name.value) or parent
                total += self._cost(selection.selection_set, target, fragments, multiplier, depth + 1)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    target = self.context.schema.get_type(fragment.type_condition.name.value) or parent
                    total += self._cost(fragment.selection_set, target, fragments, multiplier, depth + 1)
        return total

    def _field_cost(self, node: FieldNode, parent: Any, fragments: dict, multiplier: int, depth: int) -> int:
        if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return multiplier
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return multiplier
        child_type, is_list = _unwrap(definition.type)
        child_multiplier = multiplier
        if "first" in definition.args:
            child_multiplier = multiplier * self._page_size(node)
        elif is_list and not (node.name.value == "edges" and "pageInfo" in parent.fields):
            # A connection's edges are already counted by its page size.
            child_multiplier = multiplier * LIST_ESTIMATE
        if isinstance(child_type, GraphQLUnionType):
            child_type = None
        return multiplier + self._cost(node.selection_set, get_named_type(child_type) if child_type else None,
                                       fragments, child_multiplier, depth + 1)

    @staticmethod
    def _page_size(node: FieldNode) -> int:
        for argument in node.arguments or ():  # graphql-core 3.3 leaves it None when there are none
            if argument.name.value == "first":
                if isinstance(argument.value, IntValueNode):
                    return max(1, min(int(argument.value.value), MAX_PAGE_SIZE))
                return MAX_PAGE_SIZE
        return DEFAULT_PAGE_SIZE


# Validation rules are built once, so that a cached validation (keyed on the rules) is reused across requests.
DEPTH_RULE = create_depth_rule(MAX_DEPTH, None)
ALIASES_RULE = create_aliases_rule(MAX_ALIASES)
CACHE_SIZE = 256


def schema_extensions(production: bool) -> list[Callable[[], SchemaExtension]]:
    """Factories, so that each request gets fresh extension objects.

    Parsing and validation are cached (bounded LRU) by query text: the screens of the portal send the same few
    queries again and again, and validating a large query costs more than running it.
    """
    rules: list[type] = [DEPTH_RULE, ALIASES_RULE, ComplexityLimit]
    if production:
        rules.append(NoSchemaIntrospectionCustomRule)
    return [
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: ParserCache(maxsize=CACHE_SIZE),
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
        lambda: MaskErrors(should_mask_error=should_mask, error_message="Internal error; it has been logged."),
    ]
