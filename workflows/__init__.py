"""The business, one module per process. Never imports strawberry or starlette: every workflow runs without GraphQL."""
