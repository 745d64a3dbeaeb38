"""Permission-matrix rows for the URLs of the audit log and the admin-edited site pages
(privacy notice, accessibility statement).

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs.
The site page edit URL's `key` comes from url_kwargs there ("privacy").
"""

L = 302

# fmt: off
#                                          anon coord co_y tan_a tan_b fund  exp  admin outs
_ADMIN_ONLY =                             (L,   404,  404, 404,  404,  404,  404, 200,  404)
_GET_ONLY_POST =                          (L,   405,  405, 405,  405,  405,  405, 405,  405)
_PUBLIC =                                 (200, 200,  200, 200,  200,  200,  200, 200,  200)
_PUBLIC_POST =                            (405, 405,  405, 405,  405,  405,  405, 405,  405)
ROWS: dict = {
    ("audit_log", "GET"):                 _ADMIN_ONLY,
    ("audit_log", "POST"):                _GET_ONLY_POST,
    ("audit_log_export", "GET"):          _ADMIN_ONLY,
    ("audit_log_export", "POST"):         _GET_ONLY_POST,
    ("site_page_edit", "GET"):            _ADMIN_ONLY,
    # an empty POST: the form back with errors (the German title and text are required)
    ("site_page_edit", "POST"):           _ADMIN_ONLY,
    ("privacy_notice", "GET"):            _PUBLIC,
    ("privacy_notice", "POST"):           _PUBLIC_POST,
    ("accessibility_statement", "GET"):   _PUBLIC,
    ("accessibility_statement", "POST"):  _PUBLIC_POST,
}
# fmt: on
