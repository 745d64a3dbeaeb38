"""What several survey views put into their pages."""

from ..permissions import SurveyAccess


def survey_context(access: SurveyAccess) -> dict:
    """The survey with its cohort and lab (breadcrumbs, headings) and the access for the page's
    actions."""
    survey = access.survey
    return {
        "lab": survey.cohort.lab,
        "cohort": survey.cohort,
        "survey": survey,
        "access": access,
        "results_only": not access.can_manage,  # the breadcrumbs' "Survey results"
    }
