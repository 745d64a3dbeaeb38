"""The Celery application; tasks live in each app's tasks.py.

Logging: the worker and beat use Django's LOGGING (config/logging.py; JSON in production) instead
of Celery's own setup. The request id of the web request (or task) that publishes a task travels
in the message headers and is set around the task in the worker (config/request_id.py).
"""

import functools
import logging
import logging.config
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError

from config import request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

logger = logging.getLogger("innolab.celery")


class InnoLabTask(DjangoTask):
    """Tasks sent after the commit never turn a saved change into an error page: when the broker
    is unreachable, the send is not retried for long and the failure is logged (the change stays
    saved; mails can be sent again from the page, report runs are re-sent by beat)."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(self._send_after_commit, args, kwargs))

    def _send_after_commit(self, args: tuple, kwargs: dict) -> None:
        try:
            self.apply_async(args, kwargs, retry=False)
        except (KombuOperationalError, OSError) as exc:
            logger.error(
                "Task %s was not sent: the job queue is unreachable (%s)",
                self.name,
                type(exc).__name__,
            )


app = Celery("innolab", task_cls=InnoLabTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _setup_logging(**_kwargs) -> None:
    """Connected, so Celery leaves logging alone: the worker logs like the web processes."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@before_task_publish.connect
def _publish_request_id(headers: dict | None = None, **_kwargs) -> None:
    value = request_id.get_request_id()
    if value and headers is not None:
        headers.setdefault(request_id.CELERY_HEADER, value)


# task id -> the contextvar tokens to reset after the task (a worker process runs one at a time,
# threads or eventlet several: hence keyed by task id)
_tokens: dict = {}


@task_prerun.connect
def _set_request_id(task_id=None, task=None, **_kwargs) -> None:
    # the publisher's id; in an eager task (tests) the caller's; else a new one
    value = (
        request_id.sane_request_id(getattr(task.request, request_id.CELERY_HEADER, None))
        or request_id.get_request_id()
        or request_id.new_request_id()
    )
    _tokens[task_id] = (
        request_id.set_request_id(value),
        request_id.task_var.set((task_id, task.name)),
    )


@task_postrun.connect
def _reset_request_id(task_id=None, **_kwargs) -> None:
    tokens = _tokens.pop(task_id, None)
    if tokens is None:
        return
    try:
        request_id.reset_request_id(tokens[0])
        request_id.task_var.reset(tokens[1])
    except ValueError:  # set in another context (should not happen): clear instead
        request_id.set_request_id(None)
        request_id.task_var.set(None)
