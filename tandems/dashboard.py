"""The tandem column of the cohort dashboard (labs/dashboard.py): complete or not, and why not."""

from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from labs import dashboard

from .models import TANDEM_MIN_DEPARTMENTS, TANDEM_MIN_MEMBERS


def _annotations() -> dict:
    return {
        "n_members": Count("tandem__members", distinct=True),
        "n_departments": Count(
            "tandem__members__department",
            filter=~Q(tandem__members__department=""),
            distinct=True,
        ),
        "n_without_department": Count(
            "tandem__members", filter=Q(tandem__members__department=""), distinct=True
        ),
    }


def _cell(row):
    if row.n_members >= TANDEM_MIN_MEMBERS and row.n_departments >= TANDEM_MIN_DEPARTMENTS:
        return format_html(
            '<span class="kern-badge kern-badge--small kern-badge--success">'
            '<span class="kern-label">{}</span></span>',
            _("complete"),
        )
    if row.n_members < TANDEM_MIN_MEMBERS:
        n = row.n_members
        note = ngettext("only %(n)s member", "only %(n)s members", n) % {"n": n}
    elif row.n_without_department:
        n = row.n_without_department
        note = ngettext(
            "department missing for %(n)s member", "department missing for %(n)s members", n
        ) % {"n": n}
    else:
        note = _("all members from one department")
    return format_html(
        '<span class="kern-badge kern-badge--small kern-badge--warning">'
        '<span class="kern-label">{}</span></span> <span class="cell-note">{}</span>',
        _("incomplete"),
        note,
    )


def register() -> None:
    dashboard.register(
        dashboard.Column(
            key="tandem",
            order=10,
            header=gettext_lazy("Tandem"),
            renderer=lambda cohort: _cell,
            annotations=_annotations,
        )
    )
