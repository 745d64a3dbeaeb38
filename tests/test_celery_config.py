"""Celery's settings against the tasks and the code that sends them.

1. Redis redelivers a message that is not acknowledged within the visibility timeout (late
   acknowledgement is on): the timeout must be above every task's hard time limit and every
   countdown/ETA a message waits, or a task still running or waiting runs a second time.
2. A task is sent only after the transaction that wrote what it reads has committed: every
   `.delay(` / `.apply_async(` call site is inside a `transaction.on_commit` callback (or the task's
   `delay_on_commit`), or in a function listed below as called outside transactions.
3. The same, by behaviour: inside `transaction.atomic()` the job functions put nothing into the
   real Redis broker queue; after the commit, their messages are there.
"""

from __future__ import annotations

import ast
import functools
import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import transaction

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]
SKIP_DIRS = {".venv", "node_modules", "tests", "migrations", "var", "bench", "staticfiles"}

# Countdowns that are not constants: the expression's source → its largest value in seconds.
DYNAMIC_COUNTDOWNS = {
    # reports/tasks.py render_report: a busy run is looked at again once it would be stale
    "int(jobs.stale_after().total_seconds()) + 5": lambda: settings.REPORT_RUN_STALE_AFTER + 5,
    # evaluations/tasks.py run_import_job: backoff after a transient error, and a busy job
    "import_jobs.retry_delay(self.request.retries)": lambda: 600,
    "settings.IMPORT_JOB_STALE_AFTER + 5": lambda: settings.IMPORT_JOB_STALE_AFTER + 5,
}

# Functions that send a task directly and are only ever called outside a transaction or from an
# on_commit callback (module path, function name) → why.
SENDS_OUTSIDE_TRANSACTIONS = {
    ("core/jobs.py", "send"): (
        "JobKind.send: called from on_commit callbacks (reports.services._enqueue through "
        "reports.tasks.dispatch, JobKind.send_on_commit) and from JobKind.redispatch, which only "
        "the beat tasks call (no transaction)"
    ),
    ("config/celery.py", "_send_after_commit"): (
        "the on_commit callback that InnoLabTask.delay_on_commit registers"
    ),
}
SEND_METHODS = {"delay", "apply_async"}


@functools.cache
def _project_sources() -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        found += [Path(folder) / name for name in sorted(files) if name.endswith(".py")]
    return found


PROJECT_PACKAGES = {
    "labs", "evaluations", "events", "reports", "missions", "tandems", "accounts", "config",
    "exchange", "feedback", "casework", "experts", "toolkit", "public",
}  # fmt: skip


def _project_tasks() -> dict:
    celery_app.loader.import_default_modules()
    return {
        name: task
        for name, task in celery_app.tasks.items()
        if name.split(".")[0] in PROJECT_PACKAGES
    }


def _visibility_timeouts() -> list[int]:
    timeouts = [settings.CELERY_BROKER_VISIBILITY_TIMEOUT]
    for options in (
        settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        settings.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS,
    ):
        if "visibility_timeout" in options:
            timeouts.append(options["visibility_timeout"])
    return timeouts


# --- 1. visibility timeout ----------------------------------------------------------------------


def test_the_project_has_tasks_and_the_redis_transport_uses_the_visibility_timeout():
    tasks = _project_tasks()
    assert "reports.tasks.render_report" in tasks
    assert "reports.tasks.dispatch_queued_report_runs" in tasks
    if settings.CELERY_BROKER_URL.startswith("redis") and not os.environ.get(
        "INNOLAB_TEST_VISIBILITY_TIMEOUT"
    ):
        assert (
            settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
            == settings.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS["visibility_timeout"]
            == settings.CELERY_BROKER_VISIBILITY_TIMEOUT
        )


def test_the_visibility_timeout_is_above_every_task_time_limit():
    limits = {}
    for name, task in _project_tasks().items():
        limit = task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        soft = task.soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT
        assert limit, f"{name} has no hard time limit"
        assert soft < limit, f"{name}: soft limit {soft} s not below the hard limit {limit} s"
        limits[name] = limit
    for timeout in _visibility_timeouts():
        too_long = {name: limit for name, limit in limits.items() if limit >= timeout}
        assert not too_long, f"visibility timeout {timeout} s not above {too_long}"


def _countdowns_in_source() -> dict[str, float]:
    """Every countdown=/eta= in the project's code: 'file:line' → its value in seconds."""
    found = {}
    for path in _project_sources():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg not in {"countdown", "eta"}:
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                source = ast.unparse(keyword.value)
                if keyword.arg == "countdown" and isinstance(keyword.value, ast.Constant):
                    found[where] = float(keyword.value.value)
                elif keyword.arg == "countdown" and source in DYNAMIC_COUNTDOWNS:
                    found[where] = float(DYNAMIC_COUNTDOWNS[source]())
                else:
                    pytest.fail(
                        f"{where}: {keyword.arg}={source} is not a constant: add its largest "
                        "value to DYNAMIC_COUNTDOWNS in this test (and keep it below the "
                        "visibility timeout)"
                    )
    return found


def test_the_visibility_timeout_is_above_every_countdown_and_retry_delay():
    waits = _countdowns_in_source()
    assert waits, "the scan found no countdown (render_report retries with one)"
    assert "reports/tasks.py" in " ".join(waits)
    for name, task in _project_tasks().items():
        if getattr(task, "autoretry_for", ()):
            if getattr(task, "retry_backoff", False):
                # celery.app.autoretry: the default cap of an exponential backoff is 600 s
                waits[f"{name} backoff"] = float(getattr(task, "retry_backoff_max", 600))
            else:
                waits[f"{name} retry delay"] = float(task.default_retry_delay)
    for timeout in _visibility_timeouts():
        too_long = {where: wait for where, wait in waits.items() if wait >= timeout}
        assert not too_long, f"visibility timeout {timeout} s not above {too_long}"


# --- 2. sent only on commit: the call sites -----------------------------------------------------


def _on_commit_callbacks(tree: ast.AST) -> set[ast.AST]:
    """Lambdas and functions that are passed to an on_commit(...) call."""
    defs = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    callbacks = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name != "on_commit":
            continue
        for argument in [*node.args, *(k.value for k in node.keywords)]:
            if isinstance(argument, ast.Lambda):
                callbacks.add(argument)
            elif isinstance(argument, ast.Name) and argument.id in defs:
                callbacks.add(defs[argument.id])
    return callbacks


def _send_sites() -> list[tuple[str, int, list[ast.AST]]]:
    """(file, line, enclosing functions and lambdas, module tree) of every .delay/.apply_async."""
    sites = []
    for path in _project_sources():
        tree = ast.parse(path.read_text(), filename=str(path))

        def visit(node, stack, path=path, tree=tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SEND_METHODS
            ):
                sites.append((str(path.relative_to(ROOT)), node.lineno, list(stack), tree))
            scope = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            for child in ast.iter_child_nodes(node):
                visit(child, [*stack, node] if scope else stack)

        visit(tree, [])
    return sites


def test_every_task_is_sent_on_commit_or_from_a_listed_function():
    sites = _send_sites()
    assert len(sites) >= 1
    unexplained = []
    used_exceptions = set()
    for where, line, stack, tree in sites:
        callbacks = _on_commit_callbacks(tree)
        if any(scope in callbacks for scope in stack):
            continue
        functions = [
            s.name for s in stack if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]
        key = (where, functions[0] if functions else "")
        if key in SENDS_OUTSIDE_TRANSACTIONS:
            used_exceptions.add(key)
            continue
        unexplained.append(f"{where}:{line}")
    assert not unexplained, (
        f"tasks sent outside transaction.on_commit: {unexplained}; use delay_on_commit, or list "
        "the function in SENDS_OUTSIDE_TRANSACTIONS with the reason"
    )
    assert used_exceptions == set(SENDS_OUTSIDE_TRANSACTIONS), "a listed exception is stale"


def _callers(path: Path, name: str) -> set[str]:
    """The functions of the module that call `name(...)` or `….name(...)`; "<on_commit>" for
    the callbacks passed to on_commit."""
    tree = ast.parse(path.read_text())
    callbacks = _on_commit_callbacks(tree)
    callers = set()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and name in (
                getattr(node.func, "id", ""),
                getattr(node.func, "attr", ""),
            ):
                callers.add(function.name if function not in callbacks else "<on_commit>")
    return callers


def test_the_listed_senders_are_called_only_from_on_commit_callbacks_or_outside_transactions():
    """JobKind.send (core/jobs.py) publishes at once. It is called from reports.tasks.dispatch,
    which only an on_commit callback of reports.services calls; JobKind.send_on_commit hands it
    to on_commit; and JobKind.redispatch calls it, which only the functions of the beat tasks
    call, and those open no transaction."""
    assert _callers(ROOT / "core" / "jobs.py", "send") == {"redispatch"}
    jobs_source = (ROOT / "core" / "jobs.py").read_text()
    assert "transaction.on_commit(functools.partial(self.send," in jobs_source

    callers = _callers(ROOT / "reports" / "services.py", "dispatch")
    callers |= _callers(ROOT / "reports" / "tasks.py", "dispatch")
    # `send` (the on_commit callback of _enqueue) is both a FunctionDef inside _enqueue and the
    # callback; its enclosing _enqueue registers it and calls nothing itself
    assert callers - {"_enqueue"} == {"<on_commit>"}, callers

    beat = {
        "reports": ("dispatch_queued_report_runs", "redispatch_queued"),
        "evaluations": ("dispatch_queued_import_jobs", "redispatch_queued_import_jobs"),
    }
    for app, (beat_task, redispatch) in beat.items():
        path = ROOT / app / "tasks.py"
        assert _callers(path, "redispatch") == {redispatch}
        assert _callers(path, redispatch) == {beat_task}
        for app_module in (ROOT / app).glob("*.py"):
            if app_module != path:
                assert not _callers(app_module, redispatch), app_module
        tree = ast.parse(path.read_text())
        body = next(node for node in ast.walk(tree) if getattr(node, "name", "") == beat_task)
        assert "transaction" not in ast.unparse(body)


# --- 3. sent only on commit: behaviour with the real broker -------------------------------------


@pytest.fixture
def broker_queue(transactional_db):
    """The project's tasks go to a fresh queue of the real Redis broker; yields its length."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL=redis://… (see scripts/test)")
    import redis

    parsed = urlparse(url)
    client = redis.Redis(
        host=parsed.hostname,
        port=parsed.port or 6379,
        db=int((parsed.path or "/0").strip("/") or 0),
        password=parsed.password,
        socket_timeout=5,
    )
    queue = f"faults-on-commit-{os.getpid()}"
    client.delete(queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield lambda: client.llen(queue)
    finally:
        celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        celery_app.conf.task_default_queue = "celery"
        client.delete(queue)
        client.close()


def test_job_functions_send_nothing_before_the_commit(
    broker_queue, coordinator, lab_x, cohort_x, participation_a
):
    from evaluations import services as survey_services
    from events import services as event_services
    from labs import services as lab_services
    from labs.models import InvitationRole
    from reports import services as report_services
    from reports.models import ReportDraft, ReportKind

    from .evaluations.builders import make_survey

    survey = make_survey(cohort_x)
    draft = ReportDraft.objects.create(
        lab=lab_x, cohort=cohort_x, kind=ReportKind.FINAL, title="Bericht", created_by=coordinator
    )
    assert broker_queue() == 0

    with transaction.atomic():
        lab_services.invitation_create(
            lab=lab_x,
            invited_by=coordinator,
            email="neu@example.org",
            role=InvitationRole.TANDEM_MEMBER,
            participation=participation_a,
            base_url="http://testserver",
        )
        run, created = report_services.report_run_request(draft=draft, user=coordinator)
        survey_services.links_email(
            survey=survey,
            emails=["eins@example.org", "zwei@example.org"],
            base_url="http://testserver",
        )
        event_services.event_invitations_mail(registration_ids=[1, 2])
        event_services.event_change_mail(event_id=1)
        event_services.event_cancellation_mail(event_id=1)
        event_services.event_promotion_mail(registration_id=1)
        assert created
        assert broker_queue() == 0, "a task was sent before the transaction committed"

    # 1 invitation + 1 report + 2 survey links + 4 event notices
    assert broker_queue() == 8
    assert run.dispatched is True


def test_a_rolled_back_transaction_sends_nothing(broker_queue, coordinator, lab_x):
    from labs import services as lab_services
    from labs.models import InvitationRole

    with pytest.raises(RuntimeError), transaction.atomic():
        lab_services.invitation_create(
            lab=lab_x,
            invited_by=coordinator,
            email="zurueck@example.org",
            role=InvitationRole.COORDINATOR,
        )
        raise RuntimeError("rolled back")
    assert broker_queue() == 0
