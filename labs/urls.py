from django.urls import path

from . import views

urlpatterns = [
    path("labs/new/", views.lab_create, name="lab_create"),
    path("labs/<slug:lab_slug>/", views.lab_detail, name="lab_detail"),
    path("labs/<slug:lab_slug>/edit/", views.lab_edit, name="lab_edit"),
    path(
        "labs/<slug:lab_slug>/invitations/new/", views.invitation_create, name="invitation_create"
    ),
    path(
        "labs/<slug:lab_slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "labs/<slug:lab_slug>/people/roles/<int:membership_id>/revoke/",
        views.lab_membership_revoke,
        name="lab_membership_revoke",
    ),
    path("labs/<slug:lab_slug>/municipalities/", views.municipality_list, name="municipality_list"),
    path(
        "labs/<slug:lab_slug>/municipalities/new/",
        views.municipality_create,
        name="municipality_create",
    ),
    path(
        "labs/<slug:lab_slug>/municipalities/<int:municipality_id>/edit/",
        views.municipality_edit,
        name="municipality_edit",
    ),
    path("labs/<slug:lab_slug>/cohorts/new/", views.cohort_create, name="cohort_create"),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/",
        views.cohort_dashboard,
        name="cohort_dashboard",
    ),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/edit/",
        views.cohort_edit,
        name="cohort_edit",
    ),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/admit/",
        views.participation_admit,
        name="participation_admit",
    ),
    path(
        "labs/<slug:lab_slug>/cohorts/<slug:cohort_slug>/municipalities/<int:participation_id>/edit/",
        views.participation_edit,
        name="participation_edit",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
