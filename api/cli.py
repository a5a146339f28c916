"""The `portal` command: serve, demo, migrate, tick, verify, schema, setup, keys (and statements, receipts)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import warnings
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


async def _build_signed_demo(settings: Settings, out_dir: Path | None):  # noqa: ANN202 - a DemoSummary
    """Build the demo world and tell its story, signing every document for real; write the PDFs to `out_dir`."""
    from api.documents import demo_master_key, document_service
    from domain.clock import Clock, SystemClock
    from workflows.demo import DemoSigning, build_demo
    from workflows.demo.documents import issue_demo_documents, signed_documents, write_documents
    from workflows.documents.renderer import DocumentRenderer

    master, key_path = demo_master_key(settings)
    if key_path is not None:
        console.print(f"[dim]•[/dim] generated a master key for the demo in [bold]{key_path}[/bold] "
                      "(a real deployment sets PORTAL_MASTER_KEY or PORTAL_MASTER_KEY_FILE)")
    async with DocumentRenderer() as renderer:
        async def documents(clock: Clock):  # noqa: ANN202 - a DocumentService signing at `clock`'s time
            return await document_service(settings, master, clock, renderer)

        summary = await build_demo(console=console, signing=DemoSigning(master, documents))
        service = await documents(SystemClock())
        await issue_demo_documents(summary, service, master, console)
        if out_dir is not None:
            written = await write_documents(await signed_documents(), service, out_dir)
            console.print(f"[dim]•[/dim] wrote {len(written)} signed PDFs to [bold]{out_dir}[/bold]")
    return summary


def _demo_settings(settings: Settings) -> Settings | None:
    """The settings of a fresh demo (see api/demo_data.py), or None after saying why the demo cannot start."""
    from api.demo_data import DemoRefused, fresh_demo_settings

    try:
        return fresh_demo_settings(settings)
    except DemoRefused as error:
        error_console.print(f"demo: {error}")
        return None


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from api.database import close_database, migrate, open_database

    if (demo_settings := _demo_settings(settings)) is None:
        return 2
    settings = demo_settings
    out_dir = Path(args.out)
    if out_dir.exists():
        for old in out_dir.glob("*.pdf"):
            old.unlink()

    async def run() -> None:
        await migrate(settings.database_url)
        await open_database(settings.database_url)
        try:
            summary = await _build_signed_demo(settings, out_dir)
        finally:
            await close_database()
        summary.print(console)

    asyncio.run(run())
    console.print(f"\ndemo database: [bold]{settings.database_url}[/bold]")
    console.print(f"signed documents: [bold]{out_dir}[/bold] (check one with `portal verify FILE`; "
                  f"the portal's root certificate: `portal keys export-ca`)")
    if os.environ.get("PORTAL_DATABASE_URL"):
        console.print("[yellow]note:[/yellow] PORTAL_DATABASE_URL is set: unset it for other commands to use the "
                      "demo database")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api import access_log
    from api.app import create_app
    from workflows.documents.render import ensure_cjk_font
    from workflows.documents.render_errors import FontMissing

    try:
        # Here rather than at the first document a request issues: without a Chinese font, every document would fail.
        ensure_cjk_font()
    except FontMissing as error:
        error_console.print(f"serve: {error}")
        return 2
    prepare = None
    if args.demo:
        if (demo_settings := _demo_settings(settings)) is None:
            return 2
        settings = demo_settings

        async def prepare() -> None:
            summary = await _build_signed_demo(settings, None)
            summary.print(console)

    app = create_app(settings, prepare=prepare)
    console.print(f"serving on http://{args.host}:{args.port}/graphql ({settings.env}, {settings.database_url})")
    uvicorn.run(app, host=args.host, port=args.port, log_level="info" if not args.quiet else "warning",
                workers=1, access_log=not args.quiet, log_config=access_log.log_config())
    return 0


def _with_database(settings: Settings, work):  # noqa: ANN001, ANN202
    """Run `work()` with the ORM connected to the configured database (migrated first)."""
    from api.database import close_database, migrate, open_database

    async def run():  # noqa: ANN202
        await migrate(settings.database_url)
        await open_database(settings.database_url)
        try:
            return await work()
        finally:
            await close_database()

    return asyncio.run(run())


def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    import json
    from datetime import UTC, datetime

    from workflows.documents.registry import verify_file

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        error_console.print(f"{path}: cannot read the file ({error.strerror or error})")
        return 2
    report, issued = _with_database(settings, lambda: verify_file(data, datetime.now(UTC)))
    if args.json:
        sys.stdout.write(json.dumps({**report.to_json(), "file": str(path),
                                     "document": issued.to_json() if issued else None},
                                    ensure_ascii=False, indent=2) + "\n")
    else:
        console.print(f"[bold]{path}[/bold]", highlight=False)
        if issued is not None:
            console.print(f"issued by the portal: {issued.kind.value} {issued.number}, version {issued.version} "
                          f"({issued.role.value.lower()})")
        console.print(report.to_text(), markup=False)
        console.print("[green]VALID[/green]" if report.ok else "[red]NOT VALID[/red]")
    return 0 if report.ok else 1


def cmd_setup(args: argparse.Namespace, settings: Settings) -> int:
    """`portal setup`: the buyer organisation (every document's letterhead) and its first admin, or a new letterhead."""
    from domain.clock import SystemClock
    from domain.errors import DomainError
    from workflows.activation import activation_link
    from workflows.buyer_setup import BuyerSetup, set_up_buyer

    setup = BuyerSetup(code=args.code, name_zh=args.name_zh, name_en=args.name_en, credit_code=args.credit_code,
                       admin_email=args.admin_email or "", admin_name=args.admin_name or "",
                       contact_email=args.email or "", address=args.address or "")
    try:
        result = _with_database(settings, lambda: set_up_buyer(setup, clock=SystemClock()))
    except DomainError as error:
        where = f" ({error.field})" if getattr(error, "field", None) else ""
        error_console.print(f"setup: {error.message}{where}")
        return 1
    buyer = result.organization
    if not result.created:
        changed = ", ".join(result.changed) or "nothing: the letterhead was already so"
        console.print(f"buyer {buyer.code} ({buyer.name_zh}): letterhead changed: {changed}")
        return 0
    console.print(f"created the buyer {buyer.code}: {buyer.name_zh} / {buyer.name_en}")
    console.print(f"its admin {result.admin.email} sets a password with this link, valid until "
                  f"{result.activation_expires_at:%Y-%m-%d %H:%M} UTC and shown only now:")
    sys.stdout.write(activation_link(settings.public_url, result.activation_secret) + "\n")
    console.print("next: `portal keys init` (with PORTAL_MASTER_KEY or PORTAL_MASTER_KEY_FILE) creates the portal's "
                  "certificate authority and the buyer's signing key")
    return 0


def cmd_keys(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import UTC, datetime

    from api.documents import master_key
    from domain.enums import OrgKind
    from domain.errors import DomainError
    from domain.models import Organization
    from workflows.documents import keyring
    from workflows.documents.pki import MasterKeyError

    now = datetime.now(UTC)

    async def organization() -> Organization:
        found = await Organization.get_or_none(code=args.organization) if args.organization else None
        if found is None:
            raise DomainError(f"no organisation with the code {args.organization!r}", field="organization")
        return found

    async def work() -> str:
        if args.action == "export-ca":
            return await keyring.export_ca()
        master = master_key(settings)
        if args.action == "init":
            result = await keyring.init_keys(master, now)
            state = "created" if result.created else "already in place"
            return (f"root {result.root.fingerprint} and buyer key {result.buyer.fingerprint}: {state}\n"
                    "share the root with `portal keys export-ca`")
        if args.action == "rotate":
            key = await keyring.rotate_organization_key(await organization(), master, now)
            return f"{args.organization}: new signing key {key.fingerprint}; the previous one is retired"
        target = await organization()
        key = await keyring.revoke_organization_key(target, args.reason or "", now)
        kind = "buyer" if target.kind is OrgKind.BUYER else "supplier"
        return f"{args.organization} ({kind}): key {key.fingerprint} revoked at {now.isoformat()}"

    if args.action in ("rotate", "revoke") and not args.organization:
        error_console.print(f"`portal keys {args.action}` needs the organisation's code, e.g. SUP-A")
        return 2
    try:
        output = _with_database(settings, work)
    except (DomainError, MasterKeyError) as error:
        error_console.print(f"keys {args.action}: {getattr(error, 'message', error)}")
        return 1
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return 0


def cmd_statements(args: argparse.Namespace, settings: Settings) -> int:
    """`portal statements generate --period YYYY-MM`: every supplier's DRAFT statement of the month, with a progress
    bar; exits 1 if any supplier failed (the others are generated all the same)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from domain.clock import SystemClock
    from domain.enums import OrgKind, Role
    from domain.errors import DomainError
    from domain.models import User
    from workflows.identity import actor_for
    from workflows.statements import OutcomeKind, generate_statements, parse_period

    try:
        period = parse_period(args.period).label
    except DomainError as error:
        error_console.print(f"statements generate: {error.message}")
        return 2

    async def accountant() -> User | None:
        """The user the statements are generated as: --as, else the first active accounting user (else admin)."""
        if args.as_user:
            return await User.filter(email=args.as_user.strip().lower(), is_active=True).prefetch_related(
                "organization").first()
        staff = await User.filter(organization__kind=OrgKind.BUYER, is_active=True).order_by(
            "created_at").prefetch_related("organization")
        for role in (Role.ACCOUNTING, Role.ADMIN):
            if found := next((user for user in staff if role.value in user.roles), None):
                return found
        return None

    async def work():  # noqa: ANN202
        user = await accountant()
        if user is None:
            raise DomainError("no active accounting user to generate the statements as: pass --as EMAIL",
                              field="as")
        columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task(f"statements {period}", total=None)

            def progress(done: int, total: int, outcome) -> None:  # noqa: ANN001
                bar.update(task, completed=done, total=total)
                if outcome is not None and outcome.kind is OutcomeKind.FAILED:
                    bar.console.print(f"[red]✗[/red] {outcome.supplier_code}: {outcome.message}")

            return user, await generate_statements(period, actor_for(user), SystemClock(), progress)

    try:
        user, result = _with_database(settings, work)
    except DomainError as error:
        error_console.print(f"statements generate: {error.message}")
        return 2
    table = Table(title=f"statements {period} (as {user.email})", title_justify="left")
    for column in ("supplier", "outcome", "statement"):
        table.add_column(column)
    colours = {OutcomeKind.GENERATED: "green", OutcomeKind.SKIPPED: "yellow", OutcomeKind.FAILED: "red"}
    for outcome in result.outcomes:
        table.add_row(outcome.supplier_code, f"[{colours[outcome.kind]}]{outcome.kind.lower()}[/]", outcome.message)
    console.print(table)
    console.print(f"{result.count(OutcomeKind.GENERATED)} generated, {result.count(OutcomeKind.SKIPPED)} skipped "
                  f"(already stated), {result.count(OutcomeKind.FAILED)} failed")
    return 1 if result.failed else 0


def cmd_receipts(args: argparse.Namespace, settings: Settings) -> int:
    """`portal receipts import FILE`: the goods receipts of a CSV file, all or none; exits 1 listing every bad row."""
    from domain.clock import SystemClock
    from domain.enums import OrgKind, Role
    from domain.errors import DomainError
    from domain.models import User
    from workflows.identity import actor_for
    from workflows.receipt_import import MAX_BYTES, import_receipts

    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as error:
        error_console.print(f"receipts import: cannot read {path}: {error.strerror}")
        return 2
    if len(raw) > MAX_BYTES:
        error_console.print(f"receipts import: {path} is larger than {MAX_BYTES // 1024 // 1024} MiB")
        return 2
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = raw.decode("gb18030", errors="replace")  # what Excel saves as CSV on a Chinese Windows

    async def work():  # noqa: ANN202
        users = User.filter(is_active=True).prefetch_related("organization")
        if args.as_user:
            user = await users.filter(email=args.as_user.strip().lower()).first()
        else:
            staff = await users.filter(organization__kind=OrgKind.BUYER).order_by("created_at")
            user = next((u for role in (Role.ACCOUNTING, Role.ADMIN) for u in staff if role.value in u.roles), None)
        if user is None:
            raise DomainError("no active user to record the receipts as: pass --as EMAIL", field="as")
        return user, await import_receipts(actor_for(user), content, clock=SystemClock())

    try:
        user, result = _with_database(settings, work)
    except DomainError as error:
        error_console.print(f"receipts import: {error.message}")
        return 2
    if not result.ok:
        for problem in result.errors:
            error_console.print(str(problem), markup=False)
        error_console.print(f"{len(result.errors)} problem(s) in {path.name}: nothing was imported")
        return 1
    for receipt in result.receipts:
        console.print(f"[green]✓[/green] {receipt.number} received {receipt.received_at.isoformat()}")
    console.print(f"{len(result.receipts)} goods receipt(s) imported from {path.name} as {user.email}")
    return 0


def cmd_tick(args: argparse.Namespace, settings: Settings) -> int:
    """`portal tick`: everything due now, once (for cron): close due tenders, remind, escalate, deliver the outbox."""
    from api.scheduler import outbox_transports, settle_tick_process
    from domain.clock import SystemClock
    from workflows.deadlines.scheduler import tick

    clock = SystemClock()

    async def work():  # noqa: ANN202
        from api.documents import DocumentServices, file_store
        from domain.errors import DomainError

        services = DocumentServices(settings, clock)

        def unavailable(error: DomainError) -> None:
            error_console.print(f"tick: {error.message}; opening records wait for a run with the master key")

        async def documents():  # noqa: ANN202 - built only when a closed tender needs its opening record signed
            return await services.get_if_available(unavailable)

        transports = outbox_transports(settings)
        settle_tick_process()
        progress = None
        if not args.quiet:
            def progress(report) -> None:  # noqa: ANN001
                console.print(f"[dim]•[/dim] deadlines: {report.rows} row(s) in {report.batches} batch(es), "
                              f"{report.total} action(s)")
        try:
            return await tick(clock, documents=documents, transports=transports, on_progress=progress,
                              files=file_store(settings))
        finally:
            await transports.aclose()
            await services.close()

    report = _with_database(settings, work)
    actions = ", ".join(f"{count} {action}" for action, count in sorted(report.deadlines.actions.items())) or "none"
    console.print(f"tenders closed: {', '.join(report.tenders_closed) or 'none'}")
    console.print(f"deadline actions: {actions}")
    if report.delivery is not None:
        delivery = report.delivery
        console.print(f"outbox: {delivery.sent} sent, {delivery.retried} to retry, {delivery.dead} given up"
                      + ("" if settings.smtp_url else " (no PORTAL_SMTP_URL: e-mail waits for a server that has one)"))
    if report.orphans_removed is not None:
        console.print(f"stored files: swept, {len(report.orphans_removed)} orphaned file(s) removed (next sweep in a day)")
    for error in report.errors:
        error_console.print(f"tick: {error}")
    return 1 if report.errors else 0


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
    tick.add_argument("--quiet", action="store_true", help="print only the summary")
    tick.set_defaults(run=cmd_tick)
    verify = commands.add_parser("verify", help="verify a signed PDF: exits 0 only if it is intact, trusted and "
                                                "issued by this portal")
    verify.add_argument("file")
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.set_defaults(run=cmd_verify)
    setup = commands.add_parser("setup", help="create the buyer organisation (the documents' letterhead) and its "
                                              "first admin; run again to change the letterhead")
    setup.add_argument("--code", default="BUYER", help="the buyer's short code (default: BUYER)")
    setup.add_argument("--name-zh", required=True, help="the company's Chinese name, as documents print it")
    setup.add_argument("--name-en", required=True, help="the company's English name")
    setup.add_argument("--credit-code", required=True, help="统一社会信用代码 (unified social credit code)")
    setup.add_argument("--address", help="'中文地址 / English address', as the letterhead prints it")
    setup.add_argument("--email", help="the letterhead's contact e-mail (default: the admin's)")
    setup.add_argument("--admin-email", help="the first admin's e-mail (needed the first time)")
    setup.add_argument("--admin-name", help="the first admin's name (needed the first time)")
    setup.set_defaults(run=cmd_setup)
    keys = commands.add_parser("keys", help="manage the portal's certificate authority and signing keys")
    keys.add_argument("action", choices=["init", "export-ca", "rotate", "revoke"])
    keys.add_argument("organization", nargs="?", help="the organisation's code (rotate, revoke)")
    keys.add_argument("--reason", help="why the key is revoked")
    keys.set_defaults(run=cmd_keys)
    statements = commands.add_parser("statements", help="monthly statements (对账单)")
    statement_actions = statements.add_subparsers(dest="action", required=True, metavar="ACTION")
    generate = statement_actions.add_parser("generate", help="generate the DRAFT statement of every supplier with "
                                                             "goods receipts in a month")
    generate.add_argument("--period", required=True, help="the month, YYYY-MM (Asia/Shanghai)")
    generate.add_argument("--as", dest="as_user", metavar="EMAIL",
                          help="the accounting user to act as (default: the first active one)")
    generate.set_defaults(run=cmd_statements)
    receipts = commands.add_parser("receipts", help="goods receipts")
    receipt_actions = receipts.add_subparsers(dest="action", required=True, metavar="ACTION")
    import_file = receipt_actions.add_parser(
        "import", help="import goods receipts from a CSV file (order_number, line_no, received_quantity, "
                       "rejected_quantity, received_at, note): all rows, or none if any is bad")
    import_file.add_argument("file")
    import_file.add_argument("--as", dest="as_user", metavar="EMAIL",
                             help="the staff user recording them (default: the first active accounting user)")
    import_file.set_defaults(run=cmd_receipts)
    return root


def main(argv: list[str] | None = None) -> int:
    # pyHanko imports cryptography's DSA type, which cryptography marks deprecated: a warning on every command,
    # about nothing the portal uses (its keys are ECDSA).
    warnings.filterwarnings("ignore", message="DSA is deprecated")
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
