"""Placeholder until written: every view answers 404."""

from django.http import Http404


def profile_overview(request, **kwargs):
    raise Http404


def step_vision(request, **kwargs):
    raise Http404


def step_goals(request, **kwargs):
    raise Http404


def goal_edit(request, **kwargs):
    raise Http404


def goal_delete(request, **kwargs):
    raise Http404


def goal_progress(request, **kwargs):
    raise Http404


def goal_chart(request, **kwargs):
    raise Http404
