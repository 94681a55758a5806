"""The command line's users and audit commands, and the global `--as NAME` that runs any command with that user's
scope (`scope_of_args`; commands read it with `scope_of`, and `who_makes` lets `--by` name a user). Administration
needs a scope that may manage users: without `--as` the command line is the local install's own admin (the operating
system's user, every store), as the app is in single-user mode.

    planner users add ana --role store_manager --stores S01,S02 --email ana@example.com
    planner users list | set-role ana regional_lead --regions North | disable ana | enable ana
    planner users set-password ana          # asks twice on a terminal; else reads one line from standard input
    planner --as ana recommend --store S01  # ana's scope
    planner audit --store S01 --since 2026-12-01
"""

from __future__ import annotations

import argparse
import getpass
import sys

from planner.access.scope import EVERYTHING, Scope
from planner.cli_flags import EXIT_OK, PROG, BadInput, Once, date_flag
from planner.errors import PlannerError
from planner.settings import Settings

ROLES_TEXT = "store_manager, regional_lead, planner or admin"


_NAME_HELP = "the user's name: letters, digits and . _ @ - (at most 200 characters)"


def add_commands(commands) -> None:
    """The `users` and `audit` sub-commands, on the CLI's sub-parsers."""
    from planner.access.scope import ROLES

    users = commands.add_parser("users", help="who may use the planner: add, list, set role, disable, set password")
    kept = users.add_subparsers(required=True, metavar="add|list|set-role|disable|enable|set-password")
    add = kept.add_parser("add", help="add a user (then `users set-password` for sign-in with an account)")
    add.add_argument("name", metavar="NAME", help=_NAME_HELP)
    add.add_argument("--role", required=True, choices=ROLES, help="what the user may do and see (see the README, "
                     "'Users, roles and the audit trail')")
    _add_where(add)
    add.add_argument("--email", metavar="E", help="the address the chain's identity provider gives for this person")
    add.set_defaults(command=_add, creates_database=True)
    listed = kept.add_parser("list", help="every user with role, stores or regions, and state")
    listed.set_defaults(command=_list)
    role = kept.add_parser("set-role", help="change a user's role (and stores or regions)")
    role.add_argument("name", metavar="NAME", help="the user's name")
    role.add_argument("role", choices=ROLES, metavar="ROLE", nargs="?", help=ROLES_TEXT)
    # as `users add` takes it: `set-role ana --role planner` was refused as "unrecognized arguments: --role"
    role.add_argument("--role", choices=ROLES, dest="role_flag", help="the role, as `users add` takes it")
    _add_where(role)
    role.set_defaults(command=_set_role)
    for verb, disabled in (("disable", True), ("enable", False)):
        switch = kept.add_parser(verb, help=f"{verb} a user" + (" (no sign-in, no --as; kept in the audit trail)"
                                                                 if disabled else ""))
        switch.add_argument("name", metavar="NAME", help="the user's name")
        switch.set_defaults(command=_disable if disabled else _enable)
    password = kept.add_parser("set-password", help="set a user's password: asked for, never given as a flag")
    password.add_argument("name", metavar="NAME", help="the user's name")
    password.set_defaults(command=_set_password)

    trail = commands.add_parser("audit", help="the audit trail: imports, plans, publishing, settings and user changes")
    trail.add_argument("--store", metavar="S", help="only entries touching this store", action=Once)
    trail.add_argument("--since", type=date_flag, metavar="YYYY-MM-DD", help="from this date (UTC)")
    trail.add_argument("--until", type=date_flag, metavar="YYYY-MM-DD", help="up to and including this date (UTC)")
    trail.set_defaults(command=_audit)


def scope_of_args(args, settings: Settings):
    """The scope a command runs with: `--as NAME`'s (an unknown or disabled name is one line, exit 1), else the
    local install's (the operating system's user, every store and action)."""
    from planner.access.actor import os_user

    if getattr(args, "as_user", None) is None:  # an empty name is not "no --as": it is refused as an unknown one
        return Scope.everything(user=os_user())
    from planner import accounts, storage
    from planner.access.users import NoSuchUser

    engine = storage.connect(settings)
    try:
        return accounts.user_scope(engine, args.as_user)
    except NoSuchUser as error:
        raise BadInput(f"--as {args.as_user}: {error}") from None
    finally:
        engine.dispose()


def who_makes(args, engine, made: str = "plan") -> str:
    """Who makes a plan (or another `made`, "roster"): the `--as` user (who cannot write as anyone else), else `--by`, else the login name. Once
    the chain has users, `--by` names one of them (the audit trail recorded any name given, 'Mallory' included), and
    the command runs with that user's role and stores, as with `--as` (a store manager named by `--by` was recorded
    as publishing another store's plan). Call it before any other check of `scope_of(args)`."""
    if args.as_user is not None:
        if args.by and args.by != args.scope.user:
            raise BadInput(f"--by {args.by} differs from --as {args.as_user}: a {made} is made by the --as "
                           "user")
        return args.scope.user
    if args.by:
        from planner import accounts
        from planner.access.users import NoSuchUser
        from planner.storage import users_store

        if users_store.list_users(engine):
            try:
                args.scope = accounts.user_scope(engine, args.by)
            except NoSuchUser:
                raise BadInput(f"--by {args.by}: no enabled user of that name (`{PROG} users list` shows them); "
                               "leave --by out to act under your login name") from None
    return args.by or scope_of(args).user


def scope_of(args) -> Scope:
    """Whose stores and actions a command runs with: `args.scope` (set by the global `--as NAME`), else every store
    and action, as for one person on their own machine."""
    return getattr(args, "scope", None) or EVERYTHING


def known_store(engine, args, *, planned: bool = True) -> None:
    """`UnknownStore` (exit 1, naming only stores in scope) unless `--store` is a store the user's scope covers: said
    before any work. A store to be `planned` must also be one that can be (`select_stores`: its stored row is
    refused, exit 2); listing what was saved of it (plans, rosters, audit entries) needs only that it is known:
    `plans list --store S09` refused the plans that `plans list` showed."""
    from planner import storage
    from planner.pipeline import known_stores, select_stores

    (select_stores if planned else known_stores)(storage.load_stores(engine, scope_of(args)), [args.store],
                                                 scope_of(args))


def cannot_plan_note(engine, args, weeks, shown: str) -> None:
    """A `note:` line on standard error when `--store` cannot be planned in `weeks` now (`unplannable_stores`: its
    stored row, or the stored calendar), for a command that shows what was saved of it (`shown`: "roster 3 is shown
    as published, without working out its requirement again"), then why and the fix: what was saved still reads,
    but nothing of the store can be planned again until that is fixed."""
    from planner import storage
    from planner.calendar import IsoWeek
    from planner.pipeline import unplannable_stores
    from planner.saved_plans import stored_calendar

    stores = storage.load_stores(engine, scope_of(args))
    reason = unplannable_stores(stores[stores["store_id"].astype(str) == args.store],
                                stored_calendar(engine, scope_of(args)), [IsoWeek.parse(w) for w in weeks])
    if reason:
        print(f"note: {shown}, since {store_file_fix(reason[args.store])}", file=sys.stderr)


def say_left_out(engine, args, calendar=None, weeks=()) -> dict[str, str]:
    """A `left out:` line on standard error for each store in the user's scope that a run of every store leaves
    out, with why (`planner.pipeline.unplannable_stores`: its stored row, or the `calendar` in one of `weeks`): a
    store is never dropped unseen, whichever command, and whether every store was asked for by --all or by no
    --store. Returns them, store_id -> why."""
    from planner import storage
    from planner.pipeline import unplannable_stores

    left_out = unplannable_stores(storage.load_stores(engine, scope_of(args)), calendar, weeks)
    for reason in left_out.values():
        print(f"left out: {store_file_fix(reason)}", file=sys.stderr)
    return left_out


def store_file_fix(reason: str) -> str:
    """A store's reason it cannot be planned (`planner.pipeline.unplannable_stores`, in the app's words) with its fix
    in the command line's: `import --stores` for its stored row, `import --calendar` for its stored calendar, not the
    Upload page."""
    from planner.surfaces.fixes import IMPORT_A_CORRECTED_STORE_CALENDAR, IMPORT_A_CORRECTED_STORE_FILE

    for fix in (IMPORT_A_CORRECTED_STORE_FILE, IMPORT_A_CORRECTED_STORE_CALENDAR):
        reason = reason.replace(fix.app, fix.command_line)
    return reason


# --- commands ------------------------------------------------------------------------------------------------------


def _add(args, settings: Settings) -> int:
    from planner import accounts
    from planner.access.users import User

    _no_cover_for_every_store(args)
    user = _checked(lambda: accounts.add_user(_engine(settings), args.scope, User(
        name=args.name, role=args.role, stores=args.stores or frozenset(), regions=args.regions or frozenset(),
        email=args.email)))
    print(f"added {user.name}: {_line(user)}")
    return EXIT_OK


def _list(args, settings: Settings) -> int:
    from planner import accounts

    found = _checked(lambda: accounts.list_users(_engine(settings), args.scope))
    if not found:
        print("no users yet: add one with `users add NAME --role ROLE` (the app runs in single-user mode until "
              "sign-in is configured)")
        return EXIT_OK
    print(f"{'name':20} {'role':14} {'e-mail':28} {'password':9} {'state':9} covers")
    for user in found:
        state = "disabled" if user.disabled else "locked" if user.locked_until else "enabled"
        print(f"{user.name[:20]:20} {user.role:14} {(user.email or '-')[:28]:28} "
              f"{'set' if user.has_password else '-':9} {state:9} {user.covers_text() or '-'}")
    return EXIT_OK


def _set_role(args, settings: Settings) -> int:
    from planner import accounts

    if args.role and args.role_flag and args.role != args.role_flag:
        raise BadInput(f"two roles given, {args.role} and --role {args.role_flag}: give the role once")
    args.role = args.role or args.role_flag
    if not args.role:
        raise BadInput(f"name the role: users set-role {args.name} ROLE (or --role ROLE), ROLE one of {ROLES_TEXT}")
    _no_cover_for_every_store(args)
    user = _checked(lambda: accounts.set_role(_engine(settings), args.scope, args.name, args.role, args.stores,
                                              args.regions))
    print(f"{user.name}: {_line(user)}")
    return EXIT_OK


def _no_cover_for_every_store(args) -> None:
    """A planner or an admin covers every store: stores or regions given with that role are a slip, refused."""
    from planner.access.scope import ADMIN, PLANNER

    if args.role in (PLANNER, ADMIN) and (args.stores or args.regions):
        article = "an" if args.role[0] in "aeiou" else "a"
        raise BadInput(f"{article} {args.role} covers every store: leave out --stores and --regions")


def _disable(args, settings: Settings) -> int:
    from planner import accounts

    if _already(settings, args, disabled=True):
        return EXIT_OK
    _checked(lambda: accounts.disable_user(_engine(settings), args.scope, args.name))
    print(f"{args.name} disabled: no sign-in and no --as from now on")
    return EXIT_OK


def _enable(args, settings: Settings) -> int:
    from planner import accounts

    if _already(settings, args, disabled=False):
        return EXIT_OK
    _checked(lambda: accounts.disable_user(_engine(settings), args.scope, args.name, disabled=False))
    print(f"{args.name} enabled again")
    return EXIT_OK


def _already(settings: Settings, args, *, disabled: bool) -> bool:
    """Whether `args.name` is already disabled (or enabled, and not locked out), said so: a second `users disable`
    said "disabled" again, as if it had changed something."""
    from planner import accounts

    user = next((user for user in _checked(lambda: accounts.list_users(_engine(settings), args.scope))
                 if user.name == args.name), None)
    if user is None or user.disabled != disabled or not disabled and user.locked_until is not None:
        return False  # an unknown name, or one to change: said by the change itself
    print(f"{args.name} is already {'disabled' if disabled else 'enabled'}: nothing changed")
    return True


def _set_password(args, settings: Settings) -> int:
    from planner import accounts

    password = _read_password(args.name)
    rules = accounts.sign_in_config(base=settings.sign_in)
    _checked(lambda: accounts.set_password(_engine(settings), args.scope, args.name, password, rules))
    print(f"password of {args.name} set")
    return EXIT_OK


def _audit(args, settings: Settings) -> int:
    from planner.access.scope import READ_AUDIT
    from planner.storage.audit import audit_trail

    args.scope.require(READ_AUDIT)
    if args.since and args.until and args.since > args.until:
        raise BadInput(f"--since {args.since} is after --until {args.until}: no day is in between")
    engine = _engine(settings)
    if args.store:  # an unknown store said "no audit entries", as if nothing had happened there
        known_store(engine, args, planned=False)
    trail = audit_trail(engine, args.store, args.since, args.until)
    if trail.empty:
        # what was asked for, only that: "for that store or those dates" was said with no store named
        dates = (f" from {args.since} to {args.until}" if args.since and args.until else
                 f" from {args.since}" if args.since else f" up to {args.until}" if args.until else "")
        print(f"no audit entries{f' of {args.store}' if args.store else ''}{dates}")
        return EXIT_OK
    print(f"{'when (UTC)':16} {'who':16} {'what':9} {'stores':14} summary")
    for row in trail.itertuples(index=False):
        print(f"{row.at:%Y-%m-%d %H:%M} {row.actor[:16]:16} {row.action:9} {_stores_text(row.stores):14} {row.summary}")
    return EXIT_OK


# --- helpers -------------------------------------------------------------------------------------------------------

def _add_where(command: argparse.ArgumentParser) -> None:
    command.add_argument("--stores", type=_ids("store"), metavar="S01,S02", help="store ids (store managers)")
    command.add_argument("--regions", type=_ids("region"), metavar="R1,R2", help="regions (regional leads)")


def _ids(what: str):
    def parse(text: str) -> frozenset[str]:
        from planner.access.users import parse_ids

        try:
            return parse_ids(text, what)
        except PlannerError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parse.__name__ = f"{what} ids"
    return parse


def _engine(settings: Settings):
    from planner import storage

    return storage.connect(settings)


def _checked(make):
    """A user-input error from the access layer (a role without stores, a bad e-mail, a user name nobody has,
    disabling oneself) as exit 1."""
    try:
        return make()
    except PlannerError as error:
        from planner.access.users import NoSuchUser

        if type(error) in (PlannerError, NoSuchUser):
            raise BadInput(str(error)) from None
        raise


def _read_password(name: str) -> str:
    """Asked twice on a terminal (not echoed); else one line of standard input (for scripts: `... < file`)."""
    if sys.stdin.isatty():
        first = getpass.getpass(f"new password for {name}: ")
        if getpass.getpass("again: ") != first:
            raise BadInput("the two passwords differ: nothing was changed")
        return first
    source = getattr(sys.stdin, "buffer", None)  # bytes, decoded here: set_password names bytes that are not UTF-8
    line = source.readline().decode("utf-8", "surrogateescape") if source is not None else sys.stdin.readline()
    if not line:
        raise BadInput("no password on standard input: type it at the prompt, or pipe one line in")
    return line.rstrip("\r\n")


def _stores_text(stores: str, width: int = 14) -> str:
    """ "S01, S02, S03" in at most `width` characters: "S01 +2 more" when they do not fit; "-" for none."""
    ids = stores.split(", ") if stores else []
    if not ids:
        return "-"
    text = ", ".join(ids)
    return text if len(text) <= width else f"{ids[0][:width - 9]} +{len(ids) - 1} more"


def _line(user) -> str:
    email = f", {user.email}" if user.email else ""
    return f"{user.role.replace('_', ' ')}, {user.covers_text() or 'no stores'}{email}"
