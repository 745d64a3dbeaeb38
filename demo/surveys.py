"""The demo surveys of the Hessen cohorts (demo/data/surveys.yaml), with generated answers.

Each survey's definition is in the format innolab-survey/1 and is created through
evaluations.definitions.survey_from_definition, as an uploaded file would be. Its "answers" give
the parameters of the generated answers: respondents per cohort, the dates the survey was open,
how the respondents split into groups (or organisation types), how unevenly they came from the
municipalities, the free-text comments and, per question code, the Figure its answers must show.

How the answers are made: for each question a multiset of scale values whose sum is
round(mean × n) is built deterministically (a bell shape around the mean, then single answers
moved up or down until the sum is hit), and dealt to the respondents in an order drawn from a
Random seeded with the cohort and survey slug, slightly tilted per municipality and respondent
group so that breakdowns differ. The same data therefore come out on every machine, and every
mean matches its figure exactly when n·mean is a whole number, else within 0.5/n.

Idempotent: a survey that exists in the cohort (looked up by slug) is left alone; only if it has
no responses at all are they generated. Writes without a service, through the model managers:
the survey's dates (Survey.objects.update, to date it like a survey run back then) and the
responses and answers (bulk_create, as the import of a file of answers would store them).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from django.db import transaction

from evaluations.definitions import survey_from_definition
from evaluations.models import Answer, Question, QuestionType, Response, ResponseChannel, Survey
from labs.models import Cohort, Participation, ParticipationStatus

from .loader import BERLIN, load


@dataclass(frozen=True)
class Figure:
    """What the answers to one question must show.

    mean: the mean of the generated values (scale questions only);
    n: respondents who answer, summed over both cohorts (None: all respondents);
    spread: the width of the bell the values start from;
    printed: the report's figure in its own words and precision ("6 von 10"), empty when the
    value is ours;
    skip: organisation types whose respondents do not answer;
    tilt: who answers higher (respondent group or organisation code → shift in standard
    deviations).
    """

    mean: float | None = None
    n: int | None = None
    spread: float = 1.0
    printed: str = ""
    skip: tuple[str, ...] = ()
    tilt: dict[str, float] = field(default_factory=dict)


def surveys() -> dict[str, dict]:
    """The demo surveys by slug, in the order of the data file."""
    return {spec["definition"]["slug"]: spec for spec in load("surveys")["surveys"]}


def figures(slug: str) -> dict[str, Figure]:
    return {
        code: Figure(**{**spec, "skip": tuple(spec.get("skip", ()))})
        for code, spec in surveys()[slug]["answers"]["figures"].items()
    }


# -- generating the values ----------------------------------------------------------------------


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` into whole parts proportional to `weights` (largest remainder; ties go to
    the earlier part)."""
    weight_sum = sum(weights)
    exact = [total * w / weight_sum for w in weights]
    parts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def scale_values(lo: int, hi: int, n: int, mean: float, spread: float) -> list[int]:
    """n values from lo..hi, sorted, whose sum is round(mean × n): a bell shape around the mean,
    then single answers moved up or down one step (from the fullest value) until the sum fits."""
    values = list(range(lo, hi + 1))
    counts = apportion(n, [math.exp(-(((v - mean) / spread) ** 2) / 2) for v in values])
    target = round(mean * n)
    if not lo * n <= target <= hi * n:
        raise ValueError(f"a mean of {mean} is impossible on {lo}..{hi}")
    total = sum(v * c for v, c in zip(values, counts, strict=True))
    while total != target:
        step = 1 if total < target else -1
        movable = [i for i, c in enumerate(counts) if c and 0 <= i + step < len(values)]
        i = max(movable, key=lambda i: (counts[i], -i * step))
        counts[i] -= 1
        counts[i + step] += 1
        total += step
    return [v for v, c in zip(values, counts, strict=True) for _ in range(c)]


@dataclass
class Respondent:
    municipality_id: int
    group: str
    organisation: str = ""  # choice code of org_type (baseline only)
    submitted_at: dt.datetime | None = None


def _window(cohort_slug: str, slug: str) -> tuple[dt.datetime, dt.datetime]:
    first, last = surveys()[slug]["answers"]["windows"][cohort_slug]
    return (
        dt.datetime.combine(first, dt.time(8), tzinfo=BERLIN),
        dt.datetime.combine(last, dt.time(18), tzinfo=BERLIN),
    )


def _dealt(rng: random.Random, parts: dict, total: int) -> list:
    """`total` items, the keys of `parts` in proportion to its values, in random order."""
    counts = apportion(total, list(parts.values()))
    items = [key for key, count in zip(parts, counts, strict=True) for _ in range(count)]
    rng.shuffle(items)
    return items


def _respondents(
    rng: random.Random, slug: str, n: int, municipality_ids: list[int], window
) -> list[Respondent]:
    answers = surveys()[slug]["answers"]
    spread = answers["municipality_spread"]
    reach = {pk: rng.uniform(spread["low"], spread["high"]) for pk in municipality_ids}
    places = _dealt(rng, reach, n)
    if types := answers.get("organisation_types"):
        # the respondent group follows from the organisation type of the first question
        organisations = _dealt(rng, {code: t["share"] for code, t in types.items()}, n)
        groups = [types[code]["group"] for code in organisations]
    else:
        organisations = [""] * n
        groups = _dealt(rng, answers["groups"], n)
    opens, closes = window
    hours = int((closes - opens).total_seconds() // 3600)
    respondents = []
    for place, group, organisation in zip(places, groups, organisations, strict=True):
        submitted = opens + dt.timedelta(hours=rng.randrange(hours))
        respondents.append(Respondent(place, group, organisation, submitted))
    return respondents


def _split(slug: str, cohort_slug: str, total: int) -> int:
    """This cohort's part of a figure's n, in proportion to the cohorts' respondents."""
    respondents = surveys()[slug]["answers"]["respondents"]
    cohorts = list(respondents)
    parts = apportion(total, [respondents[c] for c in cohorts])
    return parts[cohorts.index(cohort_slug)]


def _answer_rows(
    rng, slug, cohort_slug, respondents, questions
) -> list[tuple[int, Question, dict]]:
    """(respondent index, question, Answer fields) for every answer of the survey."""
    answers = surveys()[slug]["answers"]
    targets = figures(slug)
    municipality_tilt = answers["municipality_spread"]["tilt"]
    municipalities = sorted({r.municipality_id for r in respondents})
    rows = []
    for question in questions:
        if question.type == QuestionType.TEXT:
            pool = answers["comments"]
            k = min(len(pool), max(1, round(answers["comment_share"] * len(respondents))))
            chosen = rng.sample(range(len(respondents)), k)
            rows += [
                (i, question, {"text": text})
                for i, text in zip(chosen, rng.sample(pool, k), strict=True)
            ]
            continue
        if question.type == QuestionType.SINGLE:  # org_type, from the respondents' profile
            choices = {choice.code: choice for choice in question.choices.all()}
            rows += [
                (i, question, {"choice": choices[r.organisation]})
                for i, r in enumerate(respondents)
            ]
            continue
        figure = targets[question.code]
        eligible = [i for i, r in enumerate(respondents) if r.organisation not in figure.skip]
        n = len(respondents) if figure.n is None else _split(slug, cohort_slug, figure.n)
        answering = sorted(rng.sample(eligible, n))
        values = scale_values(question.scale_min, question.scale_max, n, figure.mean, figure.spread)
        local = {pk: rng.gauss(0, municipality_tilt) for pk in municipalities}

        def key(i, local=local, figure=figure):
            r = respondents[i]
            tilt = figure.tilt.get(r.group, 0) + figure.tilt.get(r.organisation, 0)
            return tilt + local[r.municipality_id] + rng.gauss(0, 1)

        order = sorted(answering, key=key)
        rows += [(i, question, {"number": float(v)}) for i, v in zip(order, values, strict=True)]
    return rows


# -- writing --------------------------------------------------------------------------------------


def _create_survey(cohort: Cohort, definition: dict, window, created_by) -> Survey:
    """The survey with its sections, questions and choices, made by the definition import (as a
    coordinator would upload the file), then dated like a survey run back then."""
    survey = survey_from_definition(cohort, definition, user=created_by)
    opens, closes = window
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=opens,
        closes_at=closes,
        in_app=False,
        created_at=opens - dt.timedelta(days=14),
    )
    survey.refresh_from_db()
    return survey


def _create_responses(survey: Survey, municipality_ids: list[int]) -> int:
    cohort_slug, slug = survey.cohort.slug, survey.slug
    rng = random.Random(f"innolab-demo/{cohort_slug}/{slug}")
    window = (survey.opens_at, survey.closes_at)
    n = surveys()[slug]["answers"]["respondents"][cohort_slug]
    respondents = _respondents(rng, slug, n, municipality_ids, window)
    questions = list(survey.questions.prefetch_related("choices"))
    rows = _answer_rows(rng, slug, cohort_slug, respondents, questions)
    responses = Response.objects.bulk_create(
        Response(
            survey=survey,
            municipality_id=r.municipality_id,
            group=r.group,
            channel=ResponseChannel.IMPORT,
            external_id=f"demo-{i + 1:04d}",
            submitted_at=r.submitted_at,
        )
        for i, r in enumerate(respondents)
    )
    Answer.objects.bulk_create(
        (
            Answer(
                response=responses[i],
                question=question,
                municipality_id=responses[i].municipality_id,
                group=responses[i].group,
                **fields,
            )
            for i, question, fields in rows
        ),
        batch_size=2000,
    )
    return len(responses)


def seed_cohort_surveys(cohort: Cohort, *, created_by=None) -> dict[str, int]:
    """The baseline, final and feedback survey of one Hessen cohort, each with its answers;
    returns what was created ({"surveys": n, "survey responses": n}, only non-zero counts)."""
    created = {"surveys": 0, "survey responses": 0}
    participations = Participation.objects.filter(cohort=cohort).order_by("municipality__name")
    everyone = [p.municipality_id for p in participations]
    stayed = [p.municipality_id for p in participations if p.status != ParticipationStatus.LEFT]
    for slug, spec in surveys().items():
        definition, answers = spec["definition"], spec["answers"]
        if cohort.slug not in answers["respondents"]:
            continue
        with transaction.atomic():
            survey = Survey.objects.filter(cohort=cohort, slug=slug).first()
            if survey is None:
                survey = _create_survey(cohort, definition, _window(cohort.slug, slug), created_by)
                created["surveys"] += 1
            elif survey.responses.exists() or _codes(survey) != _codes_of(definition):
                # someone answered or changed it in the demo: leave it as it is
                continue
            # the final survey goes to the municipalities that stayed to the end
            places = stayed if answers.get("stayed_only") else everyone
            if places:
                created["survey responses"] += _create_responses(survey, places)
    return {kind: n for kind, n in created.items() if n}


def _codes(survey: Survey) -> set[str]:
    return set(survey.questions.values_list("code", flat=True))


def _codes_of(definition: dict) -> set[str]:
    return {q["code"] for section in definition["sections"] for q in section["questions"]}


def seed_surveys(*, created_by=None) -> dict[str, int]:
    """The demo surveys of every cohort of the data file's lab that exists and has respondents."""
    cohort_slugs = {slug for spec in surveys().values() for slug in spec["answers"]["respondents"]}
    created: dict[str, int] = {}
    cohorts = Cohort.objects.filter(lab__slug=load("surveys")["lab"], slug__in=cohort_slugs)
    for cohort in cohorts.select_related("lab").order_by("slug"):
        for kind, n in seed_cohort_surveys(cohort, created_by=created_by).items():
            created[kind] = created.get(kind, 0) + n
    return created
