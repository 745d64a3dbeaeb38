from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.i18n import set_language

from core.health import healthz
from labs import views as lab_views

# The admin has no login form of its own: people log in through allauth (rate limits, MFA).
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("", lab_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("labs.urls")),
    path("", include("events.urls")),
    path("", include("missions.urls")),
    path("", include("tandems.urls")),
    path("", include("evaluations.urls")),
    path("", include("exchange.urls")),
    path("", include("feedback.urls")),
    path("", include("casework.urls")),
    path("", include("reports.urls")),
    path("", include("experts.urls")),
    path("", include("toolkit.urls")),
    path("", include("public.urls")),
    path("", include("accounts.urls")),
    path("", include("notifications.urls")),
]

# A database that is away answers 503 "temporarily unavailable"; other errors the 500 page.
handler500 = "config.db_errors.server_error"
