"""Permission-matrix rows for the event URLs of events/views_materials.py.

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs part.
The event is matrix_events_world's workshop of
lab X for kohorte-1 (tandem A registered, tandem B invited; one material).
"""

L = 302

# fmt: off
#                                          anon coord co_y tan_a tan_b fund  exp  admin outs  part
ROWS = {
    # coordinators upload (an empty POST: the form back with "file" required); everybody else
    # who sees the event is refused, those who do not see it get 404
    ("event_material_upload", "GET"):    (L,   200,  404, 403,  403,  403,  403, 200,  404,  403),
    ("event_material_upload", "POST"):   (L,   200,  404, 403,  403,  403,  403, 200,  404,  403),
    # whoever sees the event downloads its materials
    ("event_material_download", "GET"):  (L,   200,  404, 200,  200,  200,  200, 200,  404,  200),
    ("event_material_download", "POST"): (L,   405,  405, 405,  405,  405,  405, 405,  405,  405),
    ("event_material_delete", "GET"):    (L,   405,  405, 405,  405,  405,  405, 405,  405,  405),
    ("event_material_delete", "POST"):   (L,   302,  404, 403,  403,  403,  403, 302,  404,  403),
}
# fmt: on
