"""The app's URLs plus the floor: a trivial page on the same stack (every middleware, the
logged-in user loaded from the session), to compare the key pages with."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from config.urls import urlpatterns as app_urlpatterns

FLOOR_HTML = '<!doctype html><html lang="en"><title>floor</title><p>{}</p></html>'


@login_required
@require_GET
def floor(request):
    return HttpResponse(FLOOR_HTML.format(request.user.pk))


urlpatterns = [path("bench/floor", floor, name="bench_floor"), *app_urlpatterns]
