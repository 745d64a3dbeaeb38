"""Permission-matrix rows for the notification pages.

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs part.
`notification_id` (tests/matrix_world.py) is a
notification of tandem_a: only tandem_a may mark it read, everyone else gets 404.
"""

L = 302

# fmt: off
#                                          anon coord co_y tan_a tan_b fund  exp  admin outs  part
ROWS: dict = {
    # every logged-in person reads their own list and settings
    ("notification_list", "GET"):         (L,   200,  200, 200,  200,  200,  200, 200,  200,  200),
    ("notification_list", "POST"):        (L,   405,  405, 405,  405,  405,  405, 405,  405,  405),
    ("notification_read", "GET"):         (L,   405,  405, 405,  405,  405,  405, 405,  405,  405),
    ("notification_read", "POST"):        (L,   404,  404, 302,  404,  404,  404, 404,  404,  404),
    # nothing unread is fine: done, back to the list
    ("notification_read_all", "GET"):     (L,   405,  405, 405,  405,  405,  405, 405,  405,  405),
    ("notification_read_all", "POST"):    (L,   302,  302, 302,  302,  302,  302, 302,  302,  302),
    # an empty POST names no delivery: the form back with its error
    ("notification_settings", "GET"):     (L,   200,  200, 200,  200,  200,  200, 200,  200,  200),
    ("notification_settings", "POST"):    (L,   200,  200, 200,  200,  200,  200, 200,  200,  200),
}
# fmt: on
