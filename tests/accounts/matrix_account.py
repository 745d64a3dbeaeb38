"""Permission-matrix rows for the URLs of the personal data pages (export, account deletion).

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs part.
"""

L = 302

# fmt: off
#                                          anon coord co_y tan_a tan_b fund  exp  admin outs  part
ROWS: dict = {
    # every logged-in person reads their own privacy page and downloads their own data
    ("my_privacy", "GET"):                (L,   200,  200, 200,  200,  200,  200, 200,  200,  200),
    ("my_privacy", "POST"):               (L,   405,  405, 405,  405,  405,  405, 405,  405,  405),
    ("my_data_export", "GET"):            (L,   200,  200, 200,  200,  200,  200, 200,  200,  200),
    ("my_data_export", "POST"):           (L,   405,  405, 405,  405,  405,  405, 405,  405,  405),
    # POST only; an empty POST gives the privacy page back with "password required" (200)
    ("my_account_delete", "GET"):         (L,   405,  405, 405,  405,  405,  405, 405,  405,  405),
    ("my_account_delete", "POST"):        (L,   200,  200, 200,  200,  200,  200, 200,  200,  200),
}
# fmt: on
