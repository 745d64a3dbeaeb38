"""Survey views: the builder. Coordinators create surveys (empty, from a template, from a
definition file), edit them, their sections and questions, and save them as templates; funders
see the list and each survey's questions, without edit actions.

Every page works without JavaScript; after a change the coordinator returns to the survey page
at the changed section or question (#section-<id>, #question-<id>). (URL lists at the bottom;
evaluations/urls.py mounts them.)
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.viewhelpers import GET_POST, apply_validation_error, posted
from labs.permissions import CohortAccess

from .. import definitions, selectors, services
from ..forms_builder import (
    DefinitionUploadForm,
    MoveForm,
    QuestionForm,
    SectionForm,
    SurveyCreateForm,
    SurveyEditForm,
    TemplateSaveForm,
)
from ..models import (
    ImportKind,
    Question,
    QuestionType,
    Section,
    Survey,
)
from ..permissions import (
    SurveyAccess,
    access_cohort_surveys,
    access_lab_template,
    access_survey,
    can_delete_structure,
)
from .common import survey_context

# --- helpers -------------------------------------------------------------------------------------


def _cohort_context(access: CohortAccess) -> dict:
    return {"lab": access.cohort.lab, "cohort": access.cohort, "cohort_access": access}


def _detail_url(survey: Survey, anchor: str = "") -> str:
    url = reverse("survey_detail", args=[survey.cohort.lab.slug, survey.cohort.slug, survey.slug])
    return f"{url}#{anchor}" if anchor else url


def _first_step_url(survey: Survey) -> str:
    """Where a new survey continues: its questions (a template's are on the survey page; an
    empty survey first gets a section, and the section form leads on to its first question)."""
    if survey.sections.exists():
        return _detail_url(survey, "questions")
    args = [survey.cohort.lab.slug, survey.cohort.slug, survey.slug]
    return reverse("survey_section_create", args=args)


def _manage(request: HttpRequest, lab_slug, cohort_slug, survey_slug) -> SurveyAccess:
    return access_survey(request.user, lab_slug, cohort_slug, survey_slug, manage=True)


def _section_of(survey: Survey, section_id: int) -> Section:
    return get_object_or_404(Section, pk=section_id, survey=survey)


def _question_of(survey: Survey, question_id: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("section").prefetch_related("choices"),
        pk=question_id,
        survey=survey,
    )


def _add_problems(form, exc: ValidationError, field: str | None = None) -> None:
    """A definition's problems, each as one error message (they name their place)."""
    for message in exc.messages:
        form.add_error(field, message)


# --- the cohort's surveys ------------------------------------------------------------------------


@login_required
@require_GET
def survey_list(request: HttpRequest, lab_slug: str, cohort_slug: str) -> HttpResponse:
    access = access_cohort_surveys(request.user, lab_slug, cohort_slug)
    surveys = selectors.cohort_surveys(access.cohort)
    return render(
        request,
        "evaluations/survey_list.html",
        {
            **_cohort_context(access),
            "surveys": surveys,
            "can_manage": access.can_coordinate,
            "results_only": not access.can_coordinate,
        },
    )


@login_required
@GET_POST
def survey_create(request: HttpRequest, lab_slug: str, cohort_slug: str) -> HttpResponse:
    access = access_cohort_surveys(request.user, lab_slug, cohort_slug, manage=True)
    templates = definitions.templates_for_lab(access.cohort.lab)
    form = SurveyCreateForm(posted(request), cohort=access.cohort, templates=templates)
    if request.method == "POST" and form.is_valid():
        try:
            survey = definitions.survey_create(
                cohort=access.cohort, user=request.user, **form.cleaned_data
            )
        except definitions.DefinitionInvalid as exc:
            form.add_error("template", _("This template cannot be used; it has these problems:"))
            _add_problems(form, exc, "template")
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            done = _("The survey “%(title)s” was created.") % {"title": survey.title}
            messages.success(request, done)
            return redirect(_first_step_url(survey))
    template_rows = selectors.template_rows(templates)
    context = {**_cohort_context(access), "form": form, "template_rows": template_rows}
    return render(request, "evaluations/survey_form.html", context)


@login_required
@GET_POST
def survey_definition_import(request: HttpRequest, lab_slug: str, cohort_slug: str) -> HttpResponse:
    access = access_cohort_surveys(request.user, lab_slug, cohort_slug, manage=True)
    form = DefinitionUploadForm(posted(request), request.FILES or None, cohort=access.cohort)
    if request.method == "POST" and form.is_valid():
        job = services.import_job_create(
            kind=ImportKind.DEFINITION,
            cohort=access.cohort,
            upload=form.cleaned_data["file"],
            user=request.user,
            params={"slug": form.cleaned_data["slug"]},
        )
        return redirect("import_job", lab_slug, cohort_slug, job.pk)
    return render(
        request,
        "evaluations/builder/definition_import.html",
        {**_cohort_context(access), "form": form},
    )


@login_required
@GET_POST
def survey_template_delete(
    request: HttpRequest, lab_slug: str, cohort_slug: str, template_id: int
) -> HttpResponse:
    access = access_cohort_surveys(request.user, lab_slug, cohort_slug, manage=True)
    template = access_lab_template(access, template_id)
    if request.method == "POST":
        template.delete()
        messages.success(
            request, _("The template “%(name)s” was deleted.") % {"name": template.name}
        )
        return redirect("survey_create", lab_slug, cohort_slug)
    return render(
        request,
        "evaluations/builder/template_delete.html",
        {**_cohort_context(access), "template": template},
    )


# --- one survey ----------------------------------------------------------------------------------


@login_required
@require_GET
def survey_detail(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str
) -> HttpResponse:
    access = access_survey(request.user, lab_slug, cohort_slug, survey_slug, analyse=True)
    survey = access.survey
    n_responses = survey.responses.count()
    return render(
        request,
        "evaluations/survey_detail.html",
        {
            **survey_context(access),
            "sections": definitions.survey_sections(survey),
            "n_responses": n_responses,
            "can_delete_questions": can_delete_structure(access, answered=bool(n_responses)),
            "template_form": (
                TemplateSaveForm(initial={"name": survey.title}, lab=survey.cohort.lab)
                if access.can_manage
                else None
            ),
        },
    )


@login_required
@GET_POST
def survey_edit(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str
) -> HttpResponse:
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    survey = access.survey
    form = SurveyEditForm(posted(request), instance=survey)
    if request.method == "POST" and form.is_valid():
        try:
            definitions.survey_update(
                survey=survey, **{name: form.cleaned_data[name] for name in form.Meta.fields}
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(_detail_url(survey))
    if request.method == "POST":
        survey.refresh_from_db()  # the form changed the instance; the page shows what is saved
    return render(request, "evaluations/survey_form.html", {**survey_context(access), "form": form})


@login_required
@require_GET
def survey_definition(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str
) -> HttpResponse:
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    survey = access.survey
    body = json.dumps(definitions.survey_definition(survey), ensure_ascii=False, indent=2)
    response = HttpResponse(body + "\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}.json"'
    return response


@login_required
@require_POST
def survey_save_template(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str
) -> HttpResponse:
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    survey = access.survey
    form = TemplateSaveForm(request.POST, lab=survey.cohort.lab)
    if form.is_valid():
        template = definitions.template_save(
            survey=survey, name=form.cleaned_data["name"], user=request.user
        )
        messages.success(
            request,
            _("The survey was saved as the template “%(name)s” of the lab.")
            % {"name": template.name},
        )
        return redirect(_detail_url(survey))
    return render(
        request,
        "evaluations/builder/template_save.html",
        {**survey_context(access), "form": form},
    )


# --- sections ------------------------------------------------------------------------------------


@login_required
@GET_POST
def survey_section_create(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str
) -> HttpResponse:
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    form = SectionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        section = definitions.section_create(survey=access.survey, **form.cleaned_data)
        messages.success(request, _("The section was added. Now add its first question."))
        return redirect("survey_question_create", lab_slug, cohort_slug, survey_slug, section.pk)
    first_section = not access.survey.sections.exists()
    return render(
        request,
        "evaluations/builder/section_form.html",
        {**survey_context(access), "form": form, "first_section": first_section},
    )


@login_required
@GET_POST
def survey_section_edit(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str, section_id: int
) -> HttpResponse:
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    section = _section_of(access.survey, section_id)
    form = SectionForm(posted(request), instance=section)
    if request.method == "POST" and form.is_valid():
        definitions.section_update(section=section, **form.cleaned_data)
        messages.success(request, _("Your changes were saved."))
        return redirect(_detail_url(access.survey, f"section-{section.pk}"))
    return render(
        request,
        "evaluations/builder/section_form.html",
        {**survey_context(access), "form": form, "section": section},
    )


@login_required
@GET_POST
def survey_section_delete(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str, section_id: int
) -> HttpResponse:
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    survey = access.survey
    section = _section_of(survey, section_id)
    if request.method == "POST":
        try:
            definitions.section_delete(section=section)
        except definitions.StructureLocked as exc:
            messages.error(request, exc.messages[0])
            return redirect(_detail_url(survey, f"section-{section_id}"))
        messages.success(request, _("The section was deleted."))
        return redirect(_detail_url(survey, "questions"))
    n_questions = section.questions.count()
    return render(
        request,
        "evaluations/builder/section_delete.html",
        {
            **survey_context(access),
            "section": section,
            "n_questions": n_questions,
            "locked": n_questions > 0 and definitions.has_responses(survey),
        },
    )


def _moved(request: HttpRequest, form: MoveForm, move) -> None:
    if not form.is_valid():
        messages.error(request, _("Please choose whether to move it up or down."))
    elif not move(form.cleaned_data["direction"]):
        messages.info(request, _("It is already at that end."))


@login_required
@require_POST
def survey_section_move(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str, section_id: int
) -> HttpResponse:
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    section = _section_of(access.survey, section_id)
    _moved(
        request,
        MoveForm(request.POST),
        lambda direction: definitions.section_move(section=section, direction=direction),
    )
    return redirect(_detail_url(access.survey, f"section-{section.pk}"))


# --- questions -----------------------------------------------------------------------------------


def _render_question_form(request, access, form, **extra) -> HttpResponse:
    return render(
        request,
        "evaluations/builder/question_form.html",
        {
            **survey_context(access),
            "form": form,
            "types": QuestionType.choices,
            "has_responses": definitions.has_responses(access.survey),
            **extra,
        },
    )


@login_required
@GET_POST
def survey_question_create(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str, section_id: int
) -> HttpResponse:
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    section = _section_of(access.survey, section_id)
    type_, initial = request.GET.get("type"), {"section": section.pk}
    form = QuestionForm(posted(request), survey=access.survey, type_=type_, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            question = definitions.question_create(
                section=form.cleaned_data["section"],
                choices=form.choice_rows(),
                **form.question_fields(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            done = _("The question %(code)s was added.") % {"code": question.code}
            messages.success(request, done)
            return redirect(_detail_url(access.survey, f"question-{question.pk}"))
    return _render_question_form(request, access, form, section=section)


@login_required
@GET_POST
def survey_question_edit(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str, question_id: int
) -> HttpResponse:
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    question = _question_of(access.survey, question_id)
    form = QuestionForm(posted(request), survey=access.survey, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            definitions.question_update(
                question=question,
                section=form.cleaned_data["section"],
                choices=form.choice_rows(),
                **form.question_fields(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(_detail_url(access.survey, f"question-{question.pk}"))
    saved = _question_of(access.survey, question_id)  # the form changed `question`
    return _render_question_form(request, access, form, question=saved, section=saved.section)


@login_required
@GET_POST
def survey_question_delete(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str, question_id: int
) -> HttpResponse:
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    survey = access.survey
    question = _question_of(survey, question_id)
    if request.method == "POST":
        try:
            definitions.question_delete(question=question)
        except definitions.StructureLocked as exc:
            messages.error(request, exc.messages[0])
            return redirect(_detail_url(survey, f"question-{question_id}"))
        messages.success(request, _("The question %(code)s was deleted.") % {"code": question.code})
        return redirect(_detail_url(survey, f"section-{question.section_id}"))
    return render(
        request,
        "evaluations/builder/question_delete.html",
        {
            **survey_context(access),
            "question": question,
            "locked": definitions.has_responses(survey),
        },
    )


@login_required
@require_POST
def survey_question_move(
    request: HttpRequest, lab_slug: str, cohort_slug: str, survey_slug: str, question_id: int
) -> HttpResponse:
    access = _manage(request, lab_slug, cohort_slug, survey_slug)
    question = _question_of(access.survey, question_id)
    _moved(
        request,
        MoveForm(request.POST),
        lambda direction: definitions.question_move(question=question, direction=direction),
    )
    return redirect(_detail_url(access.survey, f"question-{question.pk}"))


# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/
cohort_patterns = [
    path("", survey_list, name="survey_list"),
    path("new/", survey_create, name="survey_create"),
    path("import/", survey_definition_import, name="survey_definition_import"),
    path(
        "templates/<int:template_id>/delete/",
        survey_template_delete,
        name="survey_template_delete",
    ),
]
# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/<survey_slug>/
survey_patterns = [
    path("", survey_detail, name="survey_detail"),
    path("edit/", survey_edit, name="survey_edit"),
    path("definition.json", survey_definition, name="survey_definition"),
    path("save-as-template/", survey_save_template, name="survey_save_template"),
    path("sections/new/", survey_section_create, name="survey_section_create"),
    path("sections/<int:section_id>/", survey_section_edit, name="survey_section_edit"),
    path("sections/<int:section_id>/delete/", survey_section_delete, name="survey_section_delete"),
    path("sections/<int:section_id>/move/", survey_section_move, name="survey_section_move"),
    path(
        "sections/<int:section_id>/questions/new/",
        survey_question_create,
        name="survey_question_create",
    ),
    path("questions/<int:question_id>/", survey_question_edit, name="survey_question_edit"),
    path(
        "questions/<int:question_id>/delete/",
        survey_question_delete,
        name="survey_question_delete",
    ),
    path("questions/<int:question_id>/move/", survey_question_move, name="survey_question_move"),
]
# from the site root (public answering links and the like)
root_patterns = []
