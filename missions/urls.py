from django.urls import include, path

from .views import cohort, history, indicators, measures, steps

profile_patterns = [
    path("", steps.profile_overview, name="mission_profile"),
    path("start/", steps.profile_start, name="mission_start"),
    path("vision/", steps.step_vision, name="mission_step_vision"),
    path("goals/", steps.step_goals, name="mission_step_goals"),
    path("goals/<int:goal_id>/", steps.goal_edit, name="mission_goal_edit"),
    path("goals/<int:goal_id>/delete/", steps.goal_delete, name="mission_goal_delete"),
    path("goals/<int:goal_id>/progress/", steps.goal_progress, name="mission_goal_progress"),
    path("goals/<int:goal_id>/chart.svg", steps.goal_chart, name="mission_goal_chart"),
    path("mission/", measures.step_mission, name="mission_step_mission"),
    path("measures/new/", measures.measure_create, name="mission_measure_create"),
    path("measures/<int:measure_id>/", measures.measure_edit, name="mission_measure_edit"),
    path(
        "measures/<int:measure_id>/status/",
        measures.measure_status,
        name="mission_measure_status",
    ),
    path(
        "measures/<int:measure_id>/delete/",
        measures.measure_delete,
        name="mission_measure_delete",
    ),
    path("review/", measures.profile_review, name="mission_review"),
    path("review/withdraw/", measures.profile_withdraw, name="mission_withdraw"),
    path("share/", measures.profile_share, name="mission_share"),
    path("print/", measures.profile_print, name="mission_print"),
    path("history/", history.profile_history, name="mission_history"),
    path("history/view/", history.profile_as_of, name="mission_as_of"),
    path("history/compare/", history.profile_compare, name="mission_compare"),
    path("history/restore/", history.profile_restore, name="mission_restore"),
]

urlpatterns = [
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/municipalities/<int:participation_id>/mission/",
        include(profile_patterns),
    ),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/missions/",
        cohort.cohort_missions,
        name="cohort_missions",
    ),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/missions/shared/",
        cohort.shared_profiles,
        name="cohort_shared_profiles",
    ),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/missions/indicators/",
        indicators.cohort_indicators,
        name="cohort_indicators",
    ),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/missions/indicators/<int:indicator_id>.svg",
        indicators.cohort_indicator_chart,
        name="cohort_indicator_chart",
    ),
    path("labs/<slug:lab_slug>/indicators/", indicators.indicator_list, name="indicator_list"),
    path(
        "labs/<slug:lab_slug>/indicators/new/",
        indicators.indicator_create,
        name="indicator_create",
    ),
    path(
        "labs/<slug:lab_slug>/indicators/<int:indicator_id>/",
        indicators.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "labs/<slug:lab_slug>/indicators/<int:indicator_id>/delete/",
        indicators.indicator_delete,
        name="indicator_delete",
    ),
]
