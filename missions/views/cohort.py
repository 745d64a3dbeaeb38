"""Placeholder until written: every view answers 404."""

from django.http import Http404


def cohort_missions(request, **kwargs):
    raise Http404
