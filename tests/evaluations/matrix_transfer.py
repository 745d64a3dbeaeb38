"""Permission-matrix rows for the survey URLs of evaluations/views/transfer.py.

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs part.
The survey is matrix_world's "eingangsbefragung"
in lab X's kohorte-1 (open, one unused link, open link on, in-app for tandem members).
"""

L = 302

# fmt: off
#                                        anon coord co_y tan_a tan_b fund exp  admin outs  part
_COORDINATOR_ONLY =                     (L,   200,  404, 403,  403,  403, 403, 200,  404,  404)
_GET_ONLY_POST =                        (L,   405,  405, 405,  405,  405, 405, 405,  405,  405)
ROWS = {
    # the upload page; an empty POST gets the form back with "This field is required."
    ("survey_import_responses", "GET"):  _COORDINATOR_ONLY,
    ("survey_import_responses", "POST"): _COORDINATOR_ONLY,
    # aggregates (CSV by default): coordinators and funders
    ("survey_export_results", "GET"):    (L,   200,  404, 403,  403,  200, 403, 200,  404,  404),
    ("survey_export_results", "POST"):   _GET_ONLY_POST,
    # raw answers: coordinators only
    ("survey_export_raw", "GET"):        _COORDINATOR_ONLY,
    ("survey_export_raw", "POST"):       _GET_ONLY_POST,
    # an import of the cohort (matrix_world: a finished answers import): its coordinators only
    ("import_job", "GET"):               _COORDINATOR_ONLY,
    ("import_job", "POST"):              _GET_ONLY_POST,
}
# fmt: on
