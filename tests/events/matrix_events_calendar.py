"""Permission-matrix rows for the event URLs of events/views_calendar.py.

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs part.
The event is matrix_events_world's workshop of
lab X for kohorte-1 (tandem A registered, tandem B invited; one material).
"""

L = 302

# fmt: off
ROWS = {
    # everyone who may see the event downloads it
    ("event_ics", "GET"):            (L,   200,  404, 200,  200,  200,  200, 200,  404,  200),
    ("event_ics", "POST"):           (L,   405,  405, 405,  405,  405,  405, 405,  405,  405),
    # every account has its own calendar page; an empty POST names no action: the form back
    ("calendar_settings", "GET"):    (L,   200,  200, 200,  200,  200,  200, 200,  200,  200),
    ("calendar_settings", "POST"):   (L,   200,  200, 200,  200,  200,  200, 200,  200,  200),
    # tandem A's feed: the token is the key, whoever holds it (calendar programs log in nowhere)
    ("calendar_feed", "GET"):        (200, 200,  200, 200,  200,  200,  200, 200,  200,  200),
    ("calendar_feed", "POST"):       (405, 405,  405, 405,  405,  405,  405, 405,  405,  405),
}
# fmt: on
