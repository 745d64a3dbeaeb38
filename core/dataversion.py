"""Data versions: which committed state of the data a cached page fragment was rendered from.

Every SQL statement that writes (INSERT, UPDATE, DELETE through Django's cursor, whatever the ORM
call: save(), QuerySet.update(), bulk_create(), raw SQL) marks the scope of its table as changed.
When the transaction commits, each changed scope gets a new random token in core.models.DataVersion.
Fragments (core.fragments) put the tokens in their cache keys: a page after a change misses the
cache and renders from the new data; nothing has to be found and deleted.

Two scopes: "responses" for the tables survey submissions write (so that a survey being answered
does not throw away every cached table of the lab) and "content" for every other table, unless it
is listed in QUIET_TABLES (tables no cached fragment shows, written on ordinary requests).

The token changes after the commit, not inside the transaction: a reader that sees the new token
also sees the new data, a reader that still sees the old one stores its fragment under a key
nobody asks for again, and concurrent writers never wait for one another on the version row.
(`schedule_bump` decides what a write inside a transaction does; the test suite swaps it.)

Writes that bypass Django's cursor (psycopg's COPY in the answer import) call `changed()`.
"""

import contextlib
import re
import secrets

from celery.signals import task_prerun
from django.core.signals import request_started
from django.db import DatabaseError, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import receiver

from core.models import DataVersion

CONTENT = "content"
RESPONSES = "responses"
SCOPES = (CONTENT, RESPONSES)

TABLE = "core_dataversion"

# Written by survey answering (including drafts' completion and link bookkeeping).
RESPONSE_TABLES = frozenset(
    {
        "evaluations_response",
        "evaluations_answer",
        "evaluations_surveylink",
        "evaluations_surveycompletion",
    }
)

# Written on ordinary requests or by jobs, and shown in no cached fragment.
QUIET_TABLES = frozenset(
    {
        TABLE,
        "django_session",
        "usersessions_usersession",
        "accounts_auditevent",
        "evaluations_responsedraft",  # a half-answered survey: autosaved, analysed never
        "evaluations_reportrun",  # the report pages are not cached
        "django_celery_results_taskresult",
        "django_migrations",
        "django_content_type",
        "auth_permission",
    }
)

# A login writes last_login only; no fragment shows it.
_QUIET_STATEMENTS = re.compile(r'^UPDATE "accounts_user" SET "last_login" = %s WHERE')

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE
)


_WRITE_IN_CTE = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def scope_of(sql: str) -> str | None:
    """The scope a statement changes, or None for reads and quiet writes."""
    head = sql[:7].upper()
    if head.startswith(("WITH", "MERGE")):  # rare here: a WITH that writes counts as content
        return CONTENT if _WRITE_IN_CTE.search(sql) else None
    if not head.startswith(("INSERT", "UPDATE", "DELETE")):
        return None
    match = _WRITE.match(sql)
    if match is None:
        return CONTENT  # a write we cannot read the table of: assume it matters
    table = match.group(1).lower()
    if table in QUIET_TABLES or _QUIET_STATEMENTS.match(sql):
        return None
    return RESPONSES if table in RESPONSE_TABLES else CONTENT


def bump_now(alias: str, scopes) -> None:
    """Give each scope a new token (one statement)."""
    _forget(alias)
    scopes = sorted(set(scopes))
    values = ", ".join(["(%s, %s)"] * len(scopes))
    params = [x for scope in scopes for x in (scope, secrets.randbits(62))]
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (scope, token) VALUES {values} "  # noqa: S608 - fixed names
            "ON CONFLICT (scope) DO UPDATE SET token = excluded.token",
            params,
        )


class _AfterCommit:
    """The on_commit callback of one transaction: bumps the scopes it collected."""

    def __init__(self, alias: str):
        self.alias = alias
        self.scopes: set[str] = set()

    def __call__(self) -> None:
        bump_now(self.alias, self.scopes)


def bump_after_commit(using: str, scope: str) -> None:
    """Inside a transaction: collect `scope` for the one callback that bumps after the commit."""
    connection = connections[using]
    # one callback per transaction; a rolled-back savepoint drops its callbacks, and with them
    # this one if it was registered there — then the next write registers a new one
    for _sids, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _AfterCommit):
            callback.scopes.add(scope)
            return
    callback = _AfterCommit(using)
    callback.scopes.add(scope)
    transaction.on_commit(callback, using=using, robust=True)


# What a write inside a transaction does. The test suite, whose transactions are rolled back
# instead of committed, swaps in an immediate bump (tests/conftest.py), so that a test's later
# requests see the page cache invalidated by its own writes.
schedule_bump = bump_after_commit


def changed(scope: str, using: str = "default") -> None:
    """Mark `scope` as changed by the current transaction (or now, outside one)."""
    connection = connections[using]
    _forget(using)
    if not connection.in_atomic_block:
        bump_now(using, [scope])
        return
    schedule_bump(using, scope)


_paused = False  # while migrate runs (the version table may not exist yet)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    scope = scope_of(sql) if isinstance(sql, str) and not _paused else None
    if scope is not None:
        changed(scope, using=context["connection"].alias)
    return result


@receiver(pre_migrate)
def _pause(**kwargs) -> None:
    global _paused
    _paused = True


@receiver(post_migrate)
def _resume(using: str = "default", **kwargs) -> None:
    """After migrate (or a test's flush): whatever the migrations wrote counts as a change."""
    global _paused
    if not _paused:
        return
    _paused = False
    if connections[using].in_atomic_block:
        return
    with contextlib.suppress(DatabaseError):  # migrated only part way, before the table
        bump_now(using, SCOPES)


@receiver(connection_created)
def _install(sender, connection, **kwargs) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def tokens(using: str = "default") -> dict[str, int]:
    """The current token of each scope (0 for one never written): one query per request, or
    again after this connection wrote."""
    connection = connections[using]
    found = getattr(connection, "_innolab_data_versions", None)
    if found is None:
        rows = dict(
            DataVersion.objects.using(using).filter(scope__in=SCOPES).values_list("scope", "token")
        )
        found = {scope: rows.get(scope, 0) for scope in SCOPES}
        connection._innolab_data_versions = found
    return found


def _forget(alias: str) -> None:
    connections[alias]._innolab_data_versions = None


@receiver(request_started)
@task_prerun.connect
def _new_request(**kwargs) -> None:
    """Each request and each job reads the versions afresh."""
    for connection in connections.all(initialized_only=True):
        connection._innolab_data_versions = None
