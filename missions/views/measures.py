"""Placeholder until written: every view answers 404."""

from django.http import Http404


def step_mission(request, **kwargs):
    raise Http404


def measure_create(request, **kwargs):
    raise Http404


def measure_edit(request, **kwargs):
    raise Http404


def measure_status(request, **kwargs):
    raise Http404


def measure_delete(request, **kwargs):
    raise Http404


def profile_review(request, **kwargs):
    raise Http404


def profile_share(request, **kwargs):
    raise Http404


def profile_print(request, **kwargs):
    raise Http404
