"""The `portal` command: serve, demo, migrate, tick, verify, schema, keys."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
from pathlib import Path

from rich.console import Console

from api.settings import Settings, SettingsError

console = Console(highlight=False)
error_console = Console(stderr=True, highlight=False)

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "schema.graphql"


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from api.database import migrate

    applied = asyncio.run(migrate(settings.database_url))
    if applied:
        for name in applied:
            console.print(f"applied [bold]{name}[/bold]")
    else:
        console.print("the database is up to date")
    return 0


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    from schema.root import printed_schema

    text = printed_schema()
    if args.check:
        if not SCHEMA_FILE.exists() or SCHEMA_FILE.read_text(encoding="utf-8") != text:
            error_console.print(f"{SCHEMA_FILE} is out of date: run `portal schema --write`")
            return 1
        console.print(f"{SCHEMA_FILE} is up to date")
        return 0
    if args.write:
        SCHEMA_FILE.write_text(text, encoding="utf-8")
        console.print(f"wrote {SCHEMA_FILE}")
        return 0
    sys.stdout.write(text)
    return 0


def fresh_demo_settings(settings: Settings) -> Settings:
    """The demo always starts from an empty embedded database under the data directory."""
    from dataclasses import replace

    from api.settings import default_database_url

    demo_dir = settings.data_dir / "demo"
    if demo_dir.exists():
        shutil.rmtree(demo_dir)
    demo_dir.mkdir(parents=True)
    return replace(settings, data_dir=demo_dir, database_url=default_database_url(demo_dir))


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from api.database import close_database, migrate, open_database
    from workflows.demo import build_demo

    settings = fresh_demo_settings(settings)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)

    async def run() -> None:
        await migrate(settings.database_url)
        await open_database(settings.database_url)
        try:
            summary = await build_demo(console=console)
        finally:
            await close_database()
        summary.print(console)

    asyncio.run(run())
    console.print(f"\ndemo database: [bold]{settings.database_url}[/bold]")
    console.print(f"signed documents folder: [bold]{out_dir}[/bold] "
                  "(signed PDFs arrive with the signed-documents issue; none are written yet)")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app

    prepare = None
    if args.demo:
        settings = fresh_demo_settings(settings)
        from workflows.demo import build_demo

        async def prepare() -> None:
            summary = await build_demo(console=console)
            summary.print(console)

    app = create_app(settings, prepare=prepare)
    console.print(f"serving on http://{args.host}:{args.port}/graphql ({settings.env}, {settings.database_url})")
    uvicorn.run(app, host=args.host, port=args.port, log_level="info" if not args.quiet else "warning",
                workers=1, access_log=not args.quiet)
    return 0


def not_yet(issue: str):
    def command(args: argparse.Namespace, settings: Settings) -> int:
        error_console.print(f"`portal {args.command}` is not available yet: it arrives with {issue}.")
        return 2

    return command


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="portal", description="The supplier-collaboration portal.")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the API (GraphQL on /graphql)")
    serve.add_argument("--demo", action="store_true", help="on a fresh demo database in PORTAL_DATA_DIR")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--quiet", action="store_true", help="no access log")
    serve.set_defaults(run=cmd_serve)

    demo = commands.add_parser("demo", help="build a fresh demo database and run the whole story")
    demo.add_argument("--out", default="demo-out", help="folder for the signed PDFs (default: demo-out)")
    demo.set_defaults(run=cmd_demo)

    migrate = commands.add_parser("migrate", help="apply the committed database migrations")
    migrate.set_defaults(run=cmd_migrate)

    schema = commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    schema.add_argument("--write", action="store_true", help=f"write it to {SCHEMA_FILE.name}")
    schema.add_argument("--check", action="store_true", help=f"fail when {SCHEMA_FILE.name} is out of date")
    schema.set_defaults(run=cmd_schema)

    tick = commands.add_parser("tick", help="run the deadline scheduler once (for cron)")
    tick.set_defaults(run=not_yet("the deadlines issue (reminders and escalation)"))
    verify = commands.add_parser("verify", help="verify a signed PDF")
    verify.add_argument("file")
    verify.set_defaults(run=not_yet("the signed-documents issue"))
    keys = commands.add_parser("keys", help="manage the portal's certificate authority and signing keys")
    keys.add_argument("action", nargs="?", default="init")
    keys.set_defaults(run=not_yet("the signed-documents issue"))
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        error_console.print(f"configuration error: {error}")
        return 2
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TZ", "UTC")
    return args.run(args, settings)


if __name__ == "__main__":
    sys.exit(main())
