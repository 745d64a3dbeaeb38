"""What the demo crawl of tests/e2e/test_demo_sweep.py cannot reach: test_axe_sweep.py checks
these page types in both languages; the others it checks in one, as the demo sweep does both."""

# Full HTML page types of the permission matrix that no demo persona reaches by a link, and why.
_POST_TARGET = (
    "a form's action, not a link: its own page (the form alone, for a browser without htmx) is "
    "what a POST with errors answers"
)
UNREACHABLE: dict[str, str] = {
    "event_material_upload": _POST_TARGET,
    "mission_measure_create": _POST_TARGET,
    "invitation_accept": "reached from the invitation e-mail only (its token is secret)",
    "survey_answer_link": "a personal answer link goes out on paper or by e-mail, never linked",
    "survey_answer_open": "the open answer link is shared outside the platform, never linked",
    "survey_answer_in_app": "the demo's surveys are all closed (2020 to 2022)",
    "survey_links_print": "the demo has no personal answer links, so no batch to print",
    "survey_template_delete": "the demo has no survey templates of a lab",
    "import_job": "the demo has no response import",
    "report_run_publish": "the demo's sample report versions are all published already",
    "account_reactivate": "the demo has no deactivated account",
    "survey_question_delete": "the demo's surveys all have answers: no delete is offered",
    "survey_section_delete": "the demo's surveys all have answers: no delete is offered",
}
