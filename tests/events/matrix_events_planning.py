"""Permission-matrix rows for the event URLs of events/views_planning.py.

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs part.
The event is matrix_events_world's workshop of
lab X for kohorte-1 (tandem A registered, tandem B invited; one material).
"""

L = 302

# fmt: off
#                                     anon coord co_y tan_a tan_b fund  exp  admin outs  part
# participants of lab X see its events (and no cohort page)
_SEES_EVENT =                        (L,   200,  404, 200,  200,  200,  200, 200,  404,  200)
_COORDINATES =                       (L,   200,  404, 403,  403,  403,  403, 200,  404,  403)
_COORDINATES_DONE =                  (L,   302,  404, 403,  403,  403,  403, 302,  404,  403)
_GET_ONLY_POST =                     (L,   405,  405, 405,  405,  405,  405, 405,  405,  405)
_POST_ONLY_GET = _GET_ONLY_POST
ROWS = {
    ("event_list", "GET"):           _SEES_EVENT,
    ("event_list", "POST"):          _GET_ONLY_POST,
    ("event_create", "GET"):         _COORDINATES,
    ("event_create", "POST"):        _COORDINATES,
    ("event_detail", "GET"):         _SEES_EVENT,
    ("event_detail", "POST"):        _GET_ONLY_POST,
    ("event_edit", "GET"):           _COORDINATES,
    ("event_edit", "POST"):          _COORDINATES,
    # GET asks for confirmation; POST cancels and goes back to the event
    ("event_cancel", "GET"):         _COORDINATES,
    ("event_cancel", "POST"):        _COORDINATES_DONE,
    # an empty POST chooses nobody: the form comes back with its error
    ("event_invite", "GET"):         _COORDINATES,
    ("event_invite", "POST"):        _COORDINATES,
    # everyone who sees the event may answer; without an answer: back to the event, a message
    ("event_respond", "GET"):        _POST_ONLY_GET,
    ("event_respond", "POST"):       (L,   302,  404, 302,  302,  302,  302, 302,  404,  302),
    # an empty POST leaves every mark as it is
    ("event_attendance", "GET"):     _COORDINATES,
    ("event_attendance", "POST"):    _COORDINATES_DONE,
    # the outcomes are optional: an empty POST clears them
    ("event_outcomes", "GET"):       _COORDINATES,
    ("event_outcomes", "POST"):      _COORDINATES_DONE,
    # the cohort's timeline: whoever sees the cohort; coordinators set the phases (empty: none)
    ("cohort_timeline", "GET"):      (L,   200,  404, 200,  200,  200,  200, 200,  404,  404),
    ("cohort_timeline", "POST"):     (L,   302,  404, 403,  403,  403,  403, 302,  404,  404),
    ("my_events", "GET"):            (L,   200,  200, 200,  200,  200,  200, 200,  200,  200),
    ("my_events", "POST"):           _GET_ONLY_POST,
}
# fmt: on
