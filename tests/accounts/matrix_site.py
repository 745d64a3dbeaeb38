"""Permission-matrix rows for the URLs of the audit log, the accounts and the admin-edited site
pages (privacy notice, accessibility statement).

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs part.
The site page edit URL's `key` comes from url_kwargs there ("privacy").
"""

L = 302

# fmt: off
#                                          anon coord co_y tan_a tan_b fund  exp  admin outs  part
_ADMIN_ONLY =                             (L,   404,  404, 404,  404,  404,  404, 200,  404,  404)
_GET_ONLY_POST =                          (L,   405,  405, 405,  405,  405,  405, 405,  405,  405)
_PUBLIC =                                 (200, 200,  200, 200,  200,  200,  200, 200,  200,  200)
_PUBLIC_POST =                            (405, 405,  405, 405,  405,  405,  405, 405,  405,  405)
ROWS: dict = {
    ("audit_log", "GET"):                 _ADMIN_ONLY,
    ("audit_log", "POST"):                _GET_ONLY_POST,
    ("audit_log_export", "GET"):          _ADMIN_ONLY,
    ("audit_log_export", "POST"):         _GET_ONLY_POST,
    ("site_page_edit", "GET"):            _ADMIN_ONLY,
    # an empty POST: the form back with errors (the German title and text are required)
    ("site_page_edit", "POST"):           _ADMIN_ONLY,
    ("account_list", "GET"):              _ADMIN_ONLY,
    ("account_list", "POST"):             _GET_ONLY_POST,
    # the outsider's account: asked first (GET), deactivated on POST
    ("account_deactivate", "GET"):        _ADMIN_ONLY,
    ("account_deactivate", "POST"):       (L,   404,  404, 404,  404,  404,  404, 302,  404,  404),
    # the outsider's account is active: the page says so (GET); a POST changes nothing (302)
    ("account_reactivate", "GET"):        _ADMIN_ONLY,
    ("account_reactivate", "POST"):       (L,   404,  404, 404,  404,  404,  404, 302,  404,  404),
    ("privacy_notice", "GET"):            _PUBLIC,
    ("privacy_notice", "POST"):           _PUBLIC_POST,
    ("accessibility_statement", "GET"):   _PUBLIC,
    ("accessibility_statement", "POST"):  _PUBLIC_POST,
}
# fmt: on
