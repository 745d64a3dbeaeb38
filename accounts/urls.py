from django.urls import path

from . import views, views_accounts, views_audit, views_pages

urlpatterns = [
    path("me/privacy/", views.my_privacy, name="my_privacy"),
    path("me/data.json", views.my_data_export, name="my_data_export"),
    path("me/delete/", views.my_account_delete, name="my_account_delete"),
    path("admin-tools/audit/", views_audit.audit_log, name="audit_log"),
    path("admin-tools/audit/export.csv", views_audit.audit_log_export, name="audit_log_export"),
    path("admin-tools/accounts/", views_accounts.account_list, name="account_list"),
    path(
        "admin-tools/accounts/<int:user_id>/deactivate/",
        views_accounts.account_deactivate,
        name="account_deactivate",
    ),
    path(
        "admin-tools/accounts/<int:user_id>/reactivate/",
        views_accounts.account_reactivate,
        name="account_reactivate",
    ),
    path("admin-tools/pages/<str:key>/", views_pages.site_page_edit, name="site_page_edit"),
    path("privacy/", views_pages.privacy_notice, name="privacy_notice"),
    path("accessibility/", views_pages.accessibility_statement, name="accessibility_statement"),
]
