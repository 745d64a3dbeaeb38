from django.urls import path

from . import views

urlpatterns = [
    path("labs/<slug:lab_slug>/people/", views.lab_people, name="lab_people"),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/municipalities/<int:participation_id>/",
        views.participation_detail,
        name="participation_detail",
    ),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/municipalities/<int:participation_id>/tandem/",
        views.tandem_edit,
        name="tandem_edit",
    ),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/municipalities/<int:participation_id>/tandem/members/<int:member_id>/",
        views.tandem_member_edit,
        name="tandem_member_edit",
    ),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/municipalities/<int:participation_id>/tandem/members/<int:member_id>/remove/",
        views.tandem_member_remove,
        name="tandem_member_remove",
    ),
]
