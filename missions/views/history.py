"""Placeholder until written: every view answers 404."""

from django.http import Http404


def profile_history(request, **kwargs):
    raise Http404


def profile_as_of(request, **kwargs):
    raise Http404


def profile_compare(request, **kwargs):
    raise Http404


def profile_restore(request, **kwargs):
    raise Http404
