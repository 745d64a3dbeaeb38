from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from labs import views as lab_views
from labs.health import healthz

urlpatterns = [
    path("", lab_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("labs.urls")),
]
