"""Permission-matrix rows for the survey URLs of evaluations/views/answer.py.

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs part.
The survey is matrix_world's "eingangsbefragung"
in lab X's kohorte-1 (open, one unused link, open link on, in-app for tandem members).
"""

L = 302

# fmt: off
#                                        anon coord co_y tan_a tan_b fund  exp  admin outs  part
# the token is the key: anyone holding it answers, logged in or not; an empty POST is the
# first section without its required answer, so the page comes back with errors
_PUBLIC =                               (200, 200,  200, 200,  200,  200,  200, 200,  200,  200)
ROWS = {
    ("survey_answer_link", "GET"):       _PUBLIC,
    ("survey_answer_link", "POST"):      _PUBLIC,
    ("survey_answer_open", "GET"):       _PUBLIC,
    ("survey_answer_open", "POST"):      _PUBLIC,
    # tandem members of the cohort answer in the platform; lab roles see the cohort but do not
    # answer (403); those who cannot see the cohort get 404
    # a participant tied to a municipality of the cohort (Ahornstadt) answers for it
    ("survey_answer_in_app", "GET"):     (L,   403,  404, 200,  200,  403,  403, 403,  404,  200),
    ("survey_answer_in_app", "POST"):    (L,   403,  404, 200,  200,  403,  403, 403,  404,  200),
    # every logged-in person has the list (empty without a tandem)
    ("my_surveys", "GET"):               (L,   200,  200, 200,  200,  200,  200, 200,  200,  200),
    ("my_surveys", "POST"):              (L,   405,  405, 405,  405,  405,  405, 405,  405,  405),
}
# fmt: on
