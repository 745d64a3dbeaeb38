"""Permission-matrix rows for the survey URLs of evaluations/views/builder.py.

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs part.
The survey is matrix_world's "eingangsbefragung"
in lab X's kohorte-1 (open, one unused link, open link on, in-app for tandem members).

It has a response, so the builder refuses structural changes: an empty POST to delete a section
with questions or a question, or to move without a direction, goes back to the survey with a
message (302) and changes nothing (tests/evaluations/test_builder.py checks that).
"""

L = 302

# fmt: off
#                              anon coord co_y tan_a tan_b fund  exp  admin outs  part
_MANAGE =                     (L,   200,  404, 403,  403,  403,  403, 200,  404,  404)
_MANAGE_DONE =                (L,   302,  404, 403,  403,  403,  403, 302,  404,  404)
# the list and the survey's page: coordinators and funders (aggregates only, no edit actions)
_READ =                       (L,   200,  404, 403,  403,  200,  403, 200,  404,  404)
_NOT_THIS_METHOD =            (L,   405,  405, 405,  405,  405,  405, 405,  405,  405)
ROWS = {
    ("survey_list", "GET"):                _READ,
    ("survey_list", "POST"):               _NOT_THIS_METHOD,
    ("survey_create", "GET"):              _MANAGE,
    ("survey_create", "POST"):             _MANAGE,
    ("survey_definition_import", "GET"):   _MANAGE,
    ("survey_definition_import", "POST"):  _MANAGE,
    # a template of lab X: asks for confirmation, then deletes it
    ("survey_template_delete", "GET"):     _MANAGE,
    ("survey_template_delete", "POST"):    _MANAGE_DONE,
    ("survey_detail", "GET"):              _READ,
    ("survey_detail", "POST"):             _NOT_THIS_METHOD,
    ("survey_edit", "GET"):                _MANAGE,
    ("survey_edit", "POST"):               _MANAGE,
    ("survey_definition", "GET"):          _MANAGE,
    ("survey_definition", "POST"):         _NOT_THIS_METHOD,
    ("survey_save_template", "GET"):       _NOT_THIS_METHOD,
    ("survey_save_template", "POST"):      _MANAGE,
    ("survey_section_create", "GET"):      _MANAGE,
    ("survey_section_create", "POST"):     _MANAGE,
    ("survey_section_edit", "GET"):        _MANAGE,
    ("survey_section_edit", "POST"):       _MANAGE,
    ("survey_section_delete", "GET"):      _MANAGE,
    ("survey_section_delete", "POST"):     _MANAGE_DONE,
    ("survey_section_move", "GET"):        _NOT_THIS_METHOD,
    ("survey_section_move", "POST"):       _MANAGE_DONE,
    ("survey_question_create", "GET"):     _MANAGE,
    ("survey_question_create", "POST"):    _MANAGE,
    ("survey_question_edit", "GET"):       _MANAGE,
    ("survey_question_edit", "POST"):      _MANAGE,
    ("survey_question_delete", "GET"):     _MANAGE,
    ("survey_question_delete", "POST"):    _MANAGE_DONE,
    ("survey_question_move", "GET"):       _NOT_THIS_METHOD,
    ("survey_question_move", "POST"):      _MANAGE_DONE,
}
# fmt: on
