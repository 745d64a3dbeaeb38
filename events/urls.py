"""Every event URL; each views module brings its own patterns."""

from . import views_calendar, views_materials, views_planning

urlpatterns = [
    *views_planning.urlpatterns,
    *views_calendar.urlpatterns,
    *views_materials.urlpatterns,
]
