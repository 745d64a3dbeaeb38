"""The lab's indicator catalogue (Kennzahlen), kept by its coordinators, and the cohort's
comparison of the goals that picked a catalogue indicator: baseline, latest value, target and
progress per municipality, as a table and a chart."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.viewhelpers import GET_POST, posted

from .. import charts, selectors, selectors_cohort, services
from ..forms import IndicatorForm
from ..permissions import (
    access_indicator,
    access_indicator_catalogue,
    access_indicator_comparison,
)


@login_required
@require_GET
def indicator_list(request: HttpRequest, lab_slug: str) -> HttpResponse:
    access = access_indicator_catalogue(request.user, lab_slug)
    indicators = selectors.lab_indicators(access.lab).annotate(n_goals=Count("goals"))
    context = {"lab": access.lab, "indicators": indicators, "can_edit": access.can_coordinate}
    return render(request, "missions/indicator_list.html", context)


@login_required
@GET_POST
def indicator_create(request: HttpRequest, lab_slug: str) -> HttpResponse:
    lab = access_indicator_catalogue(request.user, lab_slug, edit=True).lab
    form = IndicatorForm(posted(request), lab=lab)
    if request.method == "POST" and form.is_valid():
        indicator = services.indicator_create(lab=lab, **form.cleaned_data)
        messages.success(request, _("The indicator “%(name)s” was added.") % {"name": indicator})
        return redirect("indicator_list", lab.slug)
    return render(request, "missions/indicator_form.html", {"lab": lab, "form": form})


@login_required
@GET_POST
def indicator_edit(request: HttpRequest, lab_slug: str, indicator_id: int) -> HttpResponse:
    indicator = access_indicator(request.user, lab_slug, indicator_id)
    form = IndicatorForm(posted(request), instance=indicator, lab=indicator.lab)
    if request.method == "POST" and form.is_valid():
        services.indicator_update(indicator=indicator, **form.cleaned_data)
        messages.success(request, _("The indicator “%(name)s” was saved.") % {"name": indicator})
        return redirect("indicator_list", lab_slug)
    context = {"lab": indicator.lab, "form": form, "indicator": indicator}
    return render(request, "missions/indicator_form.html", context)


@login_required
@GET_POST
def indicator_delete(request: HttpRequest, lab_slug: str, indicator_id: int) -> HttpResponse:
    indicator = access_indicator(request.user, lab_slug, indicator_id)
    context = {"lab": indicator.lab, "indicator": indicator, "error": None}
    if request.method == "POST":
        try:
            services.indicator_delete(indicator=indicator)
        except ValidationError as exc:
            context["error"] = exc.messages[0]
        else:
            messages.success(request, _("The indicator was deleted."))
            return redirect("indicator_list", lab_slug)
    status = 409 if context["error"] else 200
    return render(request, "missions/indicator_delete.html", context, status=status)


@login_required
@require_GET
def cohort_indicators(request: HttpRequest, lab_slug: str, cohort_slug: str) -> HttpResponse:
    access = access_indicator_comparison(request.user, lab_slug, cohort_slug)
    cohort = access.cohort_access.cohort
    comparisons = selectors_cohort.cohort_indicator_comparison(cohort, visible=access.goals)
    context = {
        "lab": cohort.lab,
        "cohort": cohort,
        "comparisons": comparisons,
        "sees_every_goal": access.sees_every_goal,
        "can_open_cohort": access.cohort_access.can_open_dashboard,
        "own_ids": access.cohort_access.lab_access.participation_ids,
    }
    return render(request, "missions/cohort_indicators.html", context)


@login_required
@require_GET
def cohort_indicator_chart(
    request: HttpRequest, lab_slug: str, cohort_slug: str, indicator_id: int
) -> HttpResponse:
    access = access_indicator_comparison(request.user, lab_slug, cohort_slug)
    cohort = access.cohort_access.cohort
    comparisons = selectors_cohort.cohort_indicator_comparison(cohort, visible=access.goals)
    found = next((c for c in comparisons if c.indicator.pk == indicator_id and c.rows), None)
    if found is None:
        raise Http404
    title = _("How far each municipality has come on “%(indicator)s”") % {
        "indicator": found.indicator.name
    }
    svg = charts.indicator_progress_svg(found.rows, title=title)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response
