"""Permission-matrix rows for the survey URLs of evaluations/views/distribution.py.

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs part.
The survey is matrix_world's "eingangsbefragung"
in lab X's kohorte-1 (open, one unused link, open link on, in-app for tandem members).
"""

L = 302

# fmt: off
#                                        anon coord co_y tan_a tan_b fund  exp  admin outs  part
_MANAGE =                               (L,   200,  404, 403,  403,  403,  403, 200,  404,  404)
_MANAGE_DONE =                          (L,   302,  404, 403,  403,  403,  403, 302,  404,  404)
_NOT_THIS_METHOD =                      (L,   405,  405, 405,  405,  405,  405, 405,  405,  405)
ROWS = {
    ("survey_links", "GET"):             _MANAGE,
    # an empty POST is the batch form without a number of links: back with errors
    ("survey_links", "POST"):            _MANAGE,
    ("survey_links_print", "GET"):       _MANAGE,
    ("survey_links_print", "POST"):      _NOT_THIS_METHOD,
    # revoking needs no form: done, back to the distribution page
    ("survey_links_revoke", "GET"):      _NOT_THIS_METHOD,
    ("survey_links_revoke", "POST"):     _MANAGE_DONE,
    # an empty POST names no action: the distribution page with the open-link form's error
    ("survey_open_link", "GET"):         _NOT_THIS_METHOD,
    ("survey_open_link", "POST"):        _MANAGE,
    # nobody was e-mailed in the matrix world: nothing due, back with a message
    ("survey_remind", "GET"):            _NOT_THIS_METHOD,
    ("survey_remind", "POST"):           _MANAGE_DONE,
}
# fmt: on
