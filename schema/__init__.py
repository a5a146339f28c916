"""GraphQL: one package per domain (types, queries, loaders, one module per mutation), merged in `schema.root`."""
