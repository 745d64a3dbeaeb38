"""Permission-matrix rows for the lab's indicator catalogue and the cohort's comparison.

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs part.
`indicator_id` (indicators_url_kwargs) is a catalogue indicator of lab X that Ahornstadt's goal
picked; Ahornstadt's profile is not shared, so only the coordinators and its own tandem see that
goal in the comparison (the chart of an indicator whose goals one may not see is 404).
"""

from missions import services
from missions.models import SmartGoal

L = 302

# fmt: off
#                                           anon coord co_y tan_a tan_b fund  exp  admin outs  part
_GET_ONLY_POST =                           (L,   405,  405, 405,  405,  405,  405, 405,  405,  405)
# a page of the lab for its coordinators; participants see the lab (403)
_COORDINATOR_ONLY =                        (L,   200,  404, 403,  403,  403,  403, 200,  404,  403)
ROWS: dict = {
    # everyone who sees the lab reads its catalogue (a tandem picks from it)
    ("indicator_list", "GET"):             (L,   200,  404, 200,  200,  200,  200, 200,  404,  200),
    ("indicator_list", "POST"):            _GET_ONLY_POST,
    ("indicator_create", "GET"):           _COORDINATOR_ONLY,
    ("indicator_create", "POST"):          _COORDINATOR_ONLY,
    ("indicator_edit", "GET"):             _COORDINATOR_ONLY,
    ("indicator_edit", "POST"):            _COORDINATOR_ONLY,
    ("indicator_delete", "GET"):           _COORDINATOR_ONLY,
    # a goal uses it: refused (409) and nothing deleted
    ("indicator_delete", "POST"):          (L,   409,  404, 403,  403,  403,  403, 409,  404,  403),
    # everyone in the cohort, each seeing the goals of the profiles they may read
    ("cohort_indicators", "GET"):          (L,   200,  404, 200,  200,  200,  200, 200,  404,  200),
    ("cohort_indicators", "POST"):         _GET_ONLY_POST,
    ("cohort_indicator_chart", "GET"):     (L,   200,  404, 200,  404,  404,  404, 200,  404,  404),
    ("cohort_indicator_chart", "POST"):    _GET_ONLY_POST,
}
# fmt: on


def indicators_url_kwargs(world, ahornstadt_profile) -> dict:
    indicator = services.indicator_create(
        lab=world["lab_x"],
        name="Anteil Beschäftigte mit Migrationsgeschichte",
        definition="Beschäftigte mit Migrationsgeschichte je 100 Beschäftigte.",
        unit="Prozent",
    )
    SmartGoal.objects.filter(pk=ahornstadt_profile["goal"].pk).update(catalogue_indicator=indicator)
    return {"indicator_id": indicator.pk}
