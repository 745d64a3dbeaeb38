"""The report pages, under each lab: drafts, their preview and history, generated versions,
publishing and withdrawing them."""

from django.urls import path

from . import views, views_municipality

urlpatterns = [
    path("labs/<slug:lab_slug>/reports/", views.report_list, name="report_list"),
    path("labs/<slug:lab_slug>/reports/new/", views.report_create, name="report_create"),
    path("labs/<slug:lab_slug>/reports/<int:draft_id>/", views.report_draft, name="report_draft"),
    path(
        "labs/<slug:lab_slug>/reports/<int:draft_id>/preview/",
        views.report_preview,
        name="report_preview",
    ),
    path(
        "labs/<slug:lab_slug>/reports/<int:draft_id>/quotes/",
        views.report_quotes,
        name="report_quotes",
    ),
    path(
        "labs/<slug:lab_slug>/reports/<int:draft_id>/figures/",
        views.report_figures,
        name="report_figures",
    ),
    path(
        "labs/<slug:lab_slug>/reports/<int:draft_id>/images/",
        views.report_images,
        name="report_images",
    ),
    path(
        "labs/<slug:lab_slug>/reports/<int:draft_id>/history/",
        views.report_history,
        name="report_history",
    ),
    path(
        "labs/<slug:lab_slug>/reports/<int:draft_id>/generate/",
        views.report_generate,
        name="report_generate",
    ),
    path("labs/<slug:lab_slug>/reports/runs/<int:run_id>/", views.report_run, name="report_run"),
    path(
        "labs/<slug:lab_slug>/reports/runs/<int:run_id>/publish/",
        views.report_run_publish,
        name="report_run_publish",
    ),
    path(
        "labs/<slug:lab_slug>/reports/runs/<int:run_id>/withdraw/",
        views.report_run_withdraw,
        name="report_run_withdraw",
    ),
    path(
        "labs/<slug:lab_slug>/reports/runs/<int:run_id>/report.pdf",
        views.report_download,
        name="report_download",
    ),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/municipalities/<int:participation_id>/results/",
        views_municipality.municipality_results,
        name="municipality_results",
    ),
]
