"""The audit log for platform administrators: a filtered, paginated list and its CSV export."""

import csv
import datetime as dt
import io
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from core.spreadsheets import escape_cell

from .forms import AuditFilterForm
from .models import AuditEvent
from .permissions import require_site_admin

PAGE_SIZE = 50
CSV_COLUMNS = [
    "time_utc",
    "kind",
    "actor",
    "target",
    "lab",
    "object_type",
    "object_id",
    "ip_address",
    "details",
]


def _utc_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def filtered_events(form: AuditFilterForm) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("lab").order_by("-created_at", "-id")
    if not form.is_valid():
        return events.none()
    data = form.cleaned_data
    if data.get("kind"):
        events = events.filter(kind=data["kind"])
    if data.get("lab"):
        events = events.filter(lab=data["lab"])
    if data.get("date_from"):
        events = events.filter(created_at__gte=_utc_start(data["date_from"]))
    if data.get("date_to"):
        events = events.filter(created_at__lt=_utc_start(data["date_to"] + dt.timedelta(days=1)))
    return events


def _filter_form(request: HttpRequest) -> AuditFilterForm:
    # an untouched page is an unfiltered page, not a form with errors
    data = request.GET if any(request.GET.get(k) for k in AuditFilterForm.base_fields) else {}
    return AuditFilterForm(data)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    require_site_admin(request.user)
    form = _filter_form(request)
    page = Paginator(filtered_events(form), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/audit_log.html",
        {
            "form": form,
            "page_obj": page,
            "events": page.object_list,
            "filter_query": _query_without_page(request),
        },
    )


def _csv_rows(events: QuerySet[AuditEvent]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue().encode("utf-8-sig")
    for event in events.iterator(chunk_size=2000):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            [
                event.created_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                event.kind,
                escape_cell(event.actor_label),
                escape_cell(event.target),
                escape_cell(event.lab.slug) if event.lab else "",
                event.object_type,
                event.object_id,
                event.ip_address or "",
                escape_cell(_details_text(event.details)),
            ]
        )
        yield buffer.getvalue().encode("utf-8")


def _details_text(details: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in sorted((details or {}).items()))


@login_required
@require_GET
def audit_log_export(request: HttpRequest) -> HttpResponse:
    require_site_admin(request.user)
    form = _filter_form(request)
    if not form.is_valid():
        return HttpResponse(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(
        _csv_rows(filtered_events(form)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"audit-log-{stamp}-utc.csv"
    )
    response["Cache-Control"] = "private, no-store"
    return response
