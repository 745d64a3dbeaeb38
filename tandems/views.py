"""Placeholder until written: every view answers 404."""

from django.http import Http404


def tandem_edit(request, **kwargs):
    raise Http404


def tandem_member_edit(request, **kwargs):
    raise Http404
