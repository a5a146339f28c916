"""The application shell: settings, the app factory, authentication over HTTP, routes and the `portal` CLI."""
