"""Every survey URL; each views module brings its own pattern lists."""

from django.urls import include, path

from .views import analysis, answer, builder, distribution, pooled, transfer

MODULES = (builder, distribution, answer, analysis, pooled, transfer)

urlpatterns = [
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/surveys/",
        include([p for m in MODULES for p in m.cohort_patterns]),
    ),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/surveys/<slug:survey_slug>/",
        include([p for m in MODULES for p in m.survey_patterns]),
    ),
    *[p for m in MODULES for p in m.root_patterns],
]
