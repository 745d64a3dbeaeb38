"""Report rendering: the data a report reads, its HTML and its PDF.

`report_context` gathers everything a report template needs with a small, fixed number of
queries per survey (the figures come from evaluations.analysis, the charts from
evaluations.views.analysis.question_blocks / evaluations.charts — the same code the analysis
pages use, so a PDF shows exactly what the page shows, suppression included). `render_html`
renders templates/reports/<kind>.html in the report's language; `render_pdf` lays it out with
WeasyPrint as a tagged PDF/UA-1 document, fetching nothing but the project's static files
(reports.fetcher).
"""

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.markdown import to_html
from evaluations import charts, figures
from evaluations.analysis import (
    compare_baseline_final,
    survey_questions,
    survey_results,
    survey_snapshot,
)
from evaluations.models import QuestionType, Response, Survey, SurveyKind
from evaluations.pooling import (
    PooledResults,
    pooled_comparison,
    pooled_results,
    pooled_splits,
)
from evaluations.views.analysis import _compare_charts, question_blocks
from events.models import AttendanceStatus, Event
from labs.models import Participation, ParticipationStatus
from missions.models import MissionProfile, ProgressUpdate, SmartGoal

from . import facts, figure_plans, media, quotes
from .cover import cover_view
from .facts import EventView  # noqa: F401 - the templates' event rows, named here as before
from .fetcher import REPORT_BASE_URL, SafeURLFetcher, safe_url_fetcher  # noqa: F401
from .models import NARRATIVE_FIELDS, ReportDraft, ReportKind

RENDER_CODE_VERSION = "3"  # bump when the templates or this module change what a PDF shows
NOISY_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools", "fontTools.subset")

NARRATIVE_LABELS = {
    "foreword": lambda: _("Foreword"),
    "executive_summary": lambda: _("Executive summary"),
    "method": lambda: _("Method"),
    "lessons": lambda: _("Success factors and lessons learned"),
    "challenges": lambda: _("Challenges"),
    "recommendations": lambda: _("Recommendations"),
    "conclusion": lambda: _("Conclusion"),
    "imprint": lambda: _("Imprint"),
    "contact": lambda: _("Contact"),
}


def report_language(draft: ReportDraft) -> str:
    """The report's language: German unless the installation's default says otherwise."""
    return getattr(draft, "language", "") or settings.LANGUAGE_CODE or "de"


def _integer(value: int | None) -> str:
    return number_format(value, force_grouping=True) if value is not None else "–"


def _decimal(value: Decimal | float | None) -> str:
    if value is None:
        return "–"
    decimals = 0 if Decimal(value) == Decimal(value).to_integral_value() else 2
    return number_format(value, decimal_pos=decimals, force_grouping=True)


# --- what the templates read ----------------------------------------------------------------------


@dataclass
class GoalView:
    goal: SmartGoal
    baseline: str
    target: str
    latest: str
    latest_date: str
    percent: int | None  # how far from baseline to target, 0–100


@dataclass
class MissionView:
    profile: MissionProfile
    dimensions: list[str]
    goals: list[GoalView]
    measures_total: int
    measures_done: int


@dataclass
class SurveyView:
    survey: Survey
    n_responses: int
    sections: list[tuple]  # (Section, [figures.Figure], [QuestionBlock of free text])
    chart_count: int
    figures: list = field(default_factory=list)  # figures.Figure, in the order printed
    municipality_name: str = ""  # a municipality's figures beside all respondents
    # when the raw answers were deleted under the retention rule (figures from stored aggregates)
    raw_deleted_at: datetime | None = None
    quotes: object = None  # reports.quotes.QuoteBlock printed after the figures, if any
    # a lab-wide report's surveys of one kind pooled across the cohorts (survey: the first one)
    pooled: PooledResults | None = None

    @property
    def anchor(self) -> str:
        return f"survey-{self.survey.pk}"

    @property
    def min_group_size(self) -> int:
        return self.pooled.min_group_size if self.pooled else self.survey.min_group_size


@dataclass
class ComparisonView:
    baseline: Survey
    final: Survey
    rows: list[dict]
    charts: list  # views.analysis.CompareChart
    figures: list = field(default_factory=list)  # the charts as numbered figures.Figure


@dataclass
class MunicipalityView:
    participation: Participation
    name: str
    district: str
    state: str
    population: str
    population_date: str
    mission: MissionView | None
    surveys: list[SurveyView] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"municipality-{self.participation.pk}"

    @property
    def left(self) -> bool:
        return self.participation.status == ParticipationStatus.LEFT


def _mission_view(profile: MissionProfile | None) -> MissionView | None:
    if profile is None:
        return None
    goals = []
    for goal in profile.goals.all():
        updates = list(goal.progress_updates.all())
        latest = updates[-1] if updates else None
        share = goal.progress_share(latest.value if latest else None)
        goals.append(
            GoalView(
                goal=goal,
                baseline=_decimal(goal.baseline),
                target=_decimal(goal.target),
                latest=_decimal(latest.value) if latest else "–",
                latest_date=date_format(latest.date, "SHORT_DATE_FORMAT") if latest else "",
                percent=round(share * 100) if share is not None else None,
            )
        )
    measures = list(profile.measures.all())
    return MissionView(
        profile=profile,
        dimensions=profile.dimension_labels(),
        goals=goals,
        measures_total=len(measures),
        measures_done=sum(m.status in ("done", "sustained") for m in measures),
    )


def _figure_sections(questions: list, shown: list, blocks: list) -> list[tuple]:
    """(section, [Figure], [QuestionBlock of free text]) in the survey's order; a question's
    figure gets its detailed table (the question's block)."""
    sections = {q.section: ([], []) for q in questions}
    blocks_by_code = {block.question.code: block for block in blocks}
    for figure in shown:
        if figure.kind == figures.QUESTION:
            block = blocks_by_code[figure.questions[0].code]
            # many answer options over one row of figures: a column, not 10 narrow ones
            block.vertical = len(block.rows) == 1 and len(block.bins) > 5
            if block.vertical and not block.rows[0].result.suppressed:
                block.pairs = list(zip(block.bins, block.rows[0].cells, strict=False))
            figure.block = block
        sections.setdefault(figure.section, ([], []))[0].append(figure)
    for block in blocks:
        if block.question.type == QuestionType.TEXT:
            sections[block.question.section][1].append(block)
    return [(section, own, texts) for section, (own, texts) in sections.items() if own or texts]


def _survey_view(
    survey: Survey, n_responses: int, *, municipality=None, stored_plan=None
) -> SurveyView:
    """`stored_plan`: the draft's figure plan for the survey (reports.figure_plans), if any."""
    questions = list(survey_questions(survey))
    if municipality is None:
        results = survey_results(survey, questions=questions)
        blocks = question_blocks(questions, results, by=None, with_charts=False)
    else:
        cells = survey_results(survey, by="municipality", questions=questions, with_overall=True)
        results = [r for r in cells if r.breakdown is None or r.breakdown_key == municipality.pk]
        blocks = question_blocks(questions, results, by="municipality", with_charts=False)
    snapshot = survey_snapshot(survey) if not n_responses else None
    if snapshot is not None:
        n_responses = snapshot.data.get("n_responses", 0)
    plan = figure_plans.resolved_plan(stored_plan, questions)
    splits = figures.survey_splits(survey, questions, plan)
    prefix = f"s{survey.pk}" + (f"-m{municipality.pk}" if municipality is not None else "")
    shown = figures.build_figures(plan, questions, results, splits=splits, id_prefix=prefix)
    sections = _figure_sections(questions, shown, blocks)
    return SurveyView(
        survey=survey,
        n_responses=n_responses,
        sections=sections,
        chart_count=len(shown),
        municipality_name=municipality.name if municipality else "",
        raw_deleted_at=snapshot.created_at if snapshot is not None else None,
        figures=[f for _s, own_figures, _t in sections for f in own_figures],
    )


def _pooled_survey_view(surveys: list[Survey], stored_plan=None) -> SurveyView:
    """One view of the surveys of one kind across a lab's cohorts (evaluations.pooling), with the
    figures of a single survey's view, breakdowns by an answer pooled too."""
    pooled = pooled_results(surveys)
    questions = pooled.questions
    blocks = question_blocks(questions, pooled.results, by=None, with_charts=False)
    plan = figure_plans.resolved_plan(stored_plan, questions)
    splits = pooled_splits(pooled, plan)
    shown = figures.build_figures(
        plan, questions, pooled.results, splits=splits, id_prefix=f"lab-s{pooled.surveys[0].pk}"
    )
    sections = _figure_sections(questions, shown, blocks)
    return SurveyView(
        survey=pooled.surveys[0],
        n_responses=pooled.n_responses,
        sections=sections,
        chart_count=len(shown),
        pooled=pooled,
        figures=[f for _s, own_figures, _t in sections for f in own_figures],
    )


def _survey_views(draft: ReportDraft, surveys: list[Survey]) -> list[SurveyView]:
    """The report's survey views, each with the draft's figure plan (reports.figure_plans); on a
    lab-wide report the surveys of one kind pooled across the cohorts (a survey that is the only
    one of its kind stays as it is, retention snapshot included)."""
    views = []
    for key, group in figure_plans.plan_groups(draft, surveys):
        stored = figure_plans.stored_plan_for(draft, key)
        if len(group) == 1:
            views.append(_survey_view(group[0], group[0].n_responses, stored_plan=stored))
        else:
            views.append(_pooled_survey_view(group, stored))
    return views


def _comparison(baseline: Survey, final: Survey, *, rows=None) -> ComparisonView | None:
    """Baseline vs final of one cohort, or with `rows` (pooling.pooled_comparison) over all."""
    if rows is None:
        if baseline.cohort_id != final.cohort_id:
            return None
        rows = compare_baseline_final(baseline.cohort, baseline=baseline, final=final)
    if not rows:
        return None
    views = []
    for row in rows:
        change = "–"
        if row.change is not None:
            change = charts.format_number(row.change, 2)
            if round(row.change, 2) > 0:
                change = f"+{change}"
        views.append(
            {
                "row": row,
                "baseline_mean": charts.format_number(row.baseline.mean)
                if row.baseline.mean is not None
                else None,
                "final_mean": charts.format_number(row.final.mean)
                if row.final.mean is not None
                else None,
                "change": change,
            }
        )
    compare_charts = _compare_charts(rows, None, with_codes=False)
    shown = [
        figures.Figure(
            figures.FigureSpec("comparison", ()),
            _("Means in the baseline and the final survey: %(what)s") % {"what": chart.heading},
            "",
            chart.svg,
            [],
            [],
            f"compare-{index}",
        )
        for index, chart in enumerate(compare_charts)
    ]
    return ComparisonView(baseline, final, views, compare_charts, shown)


def _participations(draft: ReportDraft, cohorts: list) -> list[Participation]:
    profiles = Prefetch(
        "mission_profile__goals",
        queryset=SmartGoal.objects.order_by("position", "pk").prefetch_related(
            Prefetch("progress_updates", queryset=ProgressUpdate.objects.order_by("date", "pk"))
        ),
    )
    base = Participation.objects.select_related(
        "municipality", "cohort", "mission_profile"
    ).prefetch_related(profiles, "mission_profile__measures")
    if draft.kind in (ReportKind.MUNICIPALITY, ReportKind.MISSION):
        return list(base.filter(pk=draft.participation_id))
    chosen = list(base.filter(pk__in=draft.participations.values("pk")))
    if chosen:
        return sorted(chosen, key=lambda p: p.municipality.name.casefold())
    return list(
        base.filter(cohort__in=cohorts)
        # everyone admitted took part, also those who left before the end; not mere interest
        .exclude(status=ParticipationStatus.INTERESTED)
        .order_by("municipality__name", "cohort__start_date")
    )


def _surveys(draft: ReportDraft, cohorts: list) -> list[Survey]:
    chosen = draft.surveys.all()
    queryset = chosen if chosen.exists() else Survey.objects.filter(cohort__in=cohorts)
    surveys = list(queryset.select_related("cohort__lab").annotate(n_responses=Count("responses")))
    order = {SurveyKind.BASELINE: 0, SurveyKind.FINAL: 1, SurveyKind.PULSE: 2}
    return sorted(surveys, key=lambda s: (order.get(s.kind, 3), s.created_at, s.pk))


def _figures_in_order(kind, survey_views, municipalities, comparison) -> list:
    """The report's figures in the order its template prints them (numbered through)."""
    compared = comparison.figures if comparison else []
    if kind == ReportKind.WHITEPAPER:
        return [*compared, *(f for v in survey_views for f in v.figures)]
    views = {k: [v for v in survey_views if v.survey.kind == k] for k in SurveyKind.values}
    others = [
        v for v in survey_views if v.survey.kind not in (SurveyKind.BASELINE, SurveyKind.FINAL)
    ]
    return [
        *(f for v in views[SurveyKind.BASELINE] for f in v.figures),
        *(f for m in municipalities for v in m.surveys for f in v.figures),
        *compared,
        *(f for v in views[SurveyKind.FINAL] for f in v.figures),
        *(f for v in others for f in v.figures),
    ]


def report_context(draft: ReportDraft, *, as_of: datetime | None = None) -> dict:
    """Everything the report templates read, in the report's language."""
    with translation.override(report_language(draft)):
        return _report_context(draft, as_of=as_of)


def _report_context(draft: ReportDraft, *, as_of: datetime | None) -> dict:
    lab = draft.lab
    cohorts = [draft.cohort] if draft.cohort_id else list(lab.cohorts.all())
    kind = draft.kind
    participations = _participations(draft, cohorts)
    municipalities = []
    for participation in participations:
        municipality = participation.municipality
        try:
            profile = participation.mission_profile
        except MissionProfile.DoesNotExist:
            profile = None
        if profile is not None and not profile.is_started:  # the empty one from the admission
            profile = None
        name = municipality.name
        if participation.status == ParticipationStatus.LEFT:
            name = _("%(name)s (left the cohort)") % {"name": name}
        municipalities.append(
            MunicipalityView(
                participation=participation,
                name=name,
                district=municipality.district,
                state=municipality.get_state_display(),
                population=_integer(municipality.population),
                population_date=date_format(municipality.population_date, "SHORT_DATE_FORMAT")
                if municipality.population_date
                else "",
                mission=_mission_view(profile),
            )
        )

    surveys = _surveys(draft, cohorts) if kind != ReportKind.MISSION else []
    survey_views, comparison = [], None
    if kind == ReportKind.MUNICIPALITY and municipalities:
        own = municipalities[0]
        own.surveys = [
            _survey_view(s, s.n_responses, municipality=own.participation.municipality)
            for s in surveys
            if s.cohort_id == own.participation.cohort_id
        ]
    elif surveys:
        survey_views = _survey_views(draft, surveys)
        baselines = [s for s in surveys if s.kind == SurveyKind.BASELINE]
        finals = [s for s in surveys if s.kind == SurveyKind.FINAL]
        both = {b.cohort_id for b in baselines} & {f.cohort_id for f in finals}
        if (
            not draft.cohort_id
            and kind in (ReportKind.FINAL, ReportKind.WHITEPAPER)
            and len(both) > 1
        ):
            # a lab-wide report: the pooled baseline against the pooled final, of the cohorts
            # that ran both
            baselines = [b for b in baselines if b.cohort_id in both]
            finals = [f for f in finals if f.cohort_id in both]
            rows = pooled_comparison(baselines, finals)
            comparison = _comparison(baselines[0], finals[0], rows=rows) if rows else None
            finals = []
        for final in reversed(finals):
            baseline = next(
                (b for b in reversed(baselines) if b.cohort_id == final.cohort_id), None
            )
            if baseline:
                comparison = _comparison(baseline, final)
                break

    period = facts.report_period(cohorts)
    event_scope = facts.report_events(draft, cohorts, period)
    events, glance = [], None
    if kind in (ReportKind.FINAL, ReportKind.WHITEPAPER):
        events = facts.event_views(event_scope)
        glance = facts.at_a_glance(draft, cohorts, period, event_scope, municipalities)
    images = media.report_images(draft)
    quoted = quotes.report_quotes(draft)
    for view in survey_views:
        view.quotes = quoted[quotes.AFTER_SURVEY].get(view.survey.pk)
    narrative = [
        {
            "field": name,
            "label": NARRATIVE_LABELS[name](),
            "html": mark_safe(html),  # noqa: S308 - sanitised by narrative.to_html (nh3)
            "images": images.get(name, []),
            "quotes": quoted.get(name),
        }
        for name in NARRATIVE_FIELDS
        if (html := to_html(getattr(draft, name))) or images.get(name) or quoted.get(name)
    ]
    in_order = _figures_in_order(kind, survey_views, municipalities, comparison)
    figures.number_figures(in_order)
    chart_count = sum(s.chart_count for s in survey_views)
    chart_count += sum(s.chart_count for m in municipalities for s in m.surveys)
    chart_count += len(comparison.charts) if comparison else 0
    population_total = sum(p.municipality.population or 0 for p in participations)
    data_as_of = as_of or facts.data_as_of(
        cohorts,
        surveys,
        event_scope if kind in (ReportKind.FINAL, ReportKind.WHITEPAPER) else Event.objects.none(),
        generated_at=timezone.now(),
    )
    return {
        "draft": draft,
        "kind": kind,
        "title": draft.title,
        "subtitle": draft.subtitle,
        "language": translation.get_language(),
        "lab": lab,
        "cohorts": cohorts,
        "cohort": draft.cohort,
        "municipalities": municipalities,
        "population_total": _integer(population_total) if population_total else "",
        "surveys": survey_views,
        "baseline_surveys": [v for v in survey_views if v.survey.kind == SurveyKind.BASELINE],
        "final_surveys": [v for v in survey_views if v.survey.kind == SurveyKind.FINAL],
        "other_surveys": [
            v for v in survey_views if v.survey.kind not in (SurveyKind.BASELINE, SurveyKind.FINAL)
        ],
        "comparison": comparison,
        "events": events,
        "cross_site_events": [e for e in events if e.cross_site],
        "period": period,
        "at_a_glance": glance,
        "lab_wide": not draft.cohort_id,
        "narrative": narrative,
        "narrative_by_field": {n["field"]: n for n in narrative},
        "chart_count": chart_count,
        "figures": in_order,
        "funding_acknowledgement": lab.funding_acknowledgement,
        "cover": cover_view(draft, cohorts),
        "lab_logo": images["lab_logo"],
        "funder_logos": images["funder_logos"],
        "fetchable_files": images["files"],
        "data_as_of": data_as_of,
        "data_as_of_text": date_format(timezone.localtime(data_as_of), "DATETIME_FORMAT"),
    }


def data_fingerprint(draft: ReportDraft) -> str:
    """A hash that changes whenever the draft or the data its report reads changes."""
    draft = ReportDraft.objects.get(pk=draft.pk)
    cohorts = (
        [draft.cohort_id]
        if draft.cohort_id
        else list(draft.lab.cohorts.values_list("pk", flat=True))
    )
    parts = [
        draft.pk,
        draft.version,
        draft.updated_at.isoformat(),
        draft.lab.name,
        draft.lab.funding_acknowledgement,
        draft.lab.funding_line,
        draft.lab.funding_line_en,
        list(draft.lab.cohorts.order_by("pk").values_list("pk", "start_date", "end_date")),
        sorted(draft.participations.values_list("pk", flat=True)),
        sorted(draft.surveys.values_list("pk", flat=True)),
        sorted(draft.events.values_list("pk", flat=True)),
        sorted(draft.images.values_list("pk", "placement", "alt_text", "caption")),
    ]
    participations = Participation.objects.filter(cohort__in=cohorts)
    parts.append(
        list(
            participations.order_by("pk").values_list(
                "pk",
                "updated_at",
                "status",
                "municipality__name",
                "municipality__district",
                "municipality__population",
                "municipality__population_date",
            )
        )
    )
    profiles = MissionProfile.objects.filter(participation__cohort__in=cohorts)
    parts.append(profiles.aggregate(Max("updated_at"), Count("pk"), Sum("version")))
    goals = SmartGoal.objects.filter(profile__participation__cohort__in=cohorts)
    parts.append(goals.aggregate(Max("updated_at"), Count("pk"), Sum("version")))
    updates = ProgressUpdate.objects.filter(goal__profile__participation__cohort__in=cohorts)
    parts.append(updates.aggregate(Max("pk"), Count("pk")))
    responses = Response.objects.filter(survey__cohort__in=cohorts)
    parts.append(responses.aggregate(Max("pk"), Count("pk"), Max("submitted_at")))
    surveys = Survey.objects.filter(cohort__in=cohorts)
    parts.append(surveys.aggregate(Max("updated_at"), Count("pk")))
    scope = Q(cohorts__in=cohorts) | Q(report_drafts=draft)
    if not draft.cohort_id:  # a lab-wide report shows the lab's events without a cohort too
        scope |= Q(lab_id=draft.lab_id)
    events = Event.objects.filter(scope).distinct()
    parts.append(
        events.aggregate(
            Max("updated_at"),
            Count("pk", distinct=True),
            Count("registrations", distinct=True),
            present=Count(
                "registrations",
                filter=Q(registrations__attendance=AttendanceStatus.PRESENT),
                distinct=True,
            ),
        )
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# --- HTML and PDF ---------------------------------------------------------------------------------


def render_html(draft: ReportDraft, *, context: dict | None = None, for_pdf: bool = False) -> str:
    """The report as one HTML document (for the PDF, or for the browser preview)."""
    language = report_language(draft)
    with translation.override(language):
        context = dict(context if context is not None else report_context(draft))
        context["for_pdf"] = for_pdf
        return render_to_string(f"reports/{draft.kind}.html", context)


@dataclass
class RenderedReport:
    pdf: bytes
    pages: int
    data_as_of: datetime
    title: str
    charts: int = 0
    seconds_in_weasyprint: float = 0.0
    refused_urls: list[str] = field(default_factory=list)


def quiet_weasyprint_logs() -> None:
    """WeasyPrint and fontTools log a line per ignored SVG attribute and subset table."""
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def render_pdf(
    draft: ReportDraft,
    *,
    progress: Callable[[int], None] | None = None,
    context: dict | None = None,
) -> RenderedReport:
    """The report as a tagged PDF/UA-1 document with title, language and bookmarks."""
    from weasyprint import HTML

    def report(percent: int) -> None:
        if progress is not None:
            progress(percent)

    quiet_weasyprint_logs()
    report(5)
    if context is None:
        context = report_context(draft)
    report(10)
    html = render_html(draft, context=context, for_pdf=True)
    report(40)
    fetcher = SafeURLFetcher(files=context.get("fetchable_files"))
    started = time.perf_counter()
    document = HTML(string=html, base_url=REPORT_BASE_URL, url_fetcher=fetcher).render(
        pdf_tags=True
    )
    report(80)
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    elapsed = time.perf_counter() - started
    report(90)
    return RenderedReport(
        pdf=pdf,
        pages=len(document.pages),
        data_as_of=context["data_as_of"],
        title=draft.title,
        charts=context.get("chart_count", 0),
        seconds_in_weasyprint=elapsed,
        refused_urls=fetcher.refused,
    )
