"""Permission-matrix rows for the survey URLs of evaluations/views/analysis.py.

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs part.
The survey is matrix_world's "eingangsbefragung"
in lab X's kohorte-1 (open, one unused link, open link on, in-app for tandem members).
"""

L = 302

# Results are aggregates: coordinators and funders of the lab read them; tandem members and
# experts see the cohort but not its results (403); other labs' people and participants do not see
# the cohort (404).
_RESULTS = (L, 200, 404, 403, 403, 200, 403, 200, 404, 404)
_GET_ONLY_POST = (L, 405, 405, 405, 405, 405, 405, 405, 405, 405)

# fmt: off
ROWS = {
    ("survey_analysis", "GET"):   _RESULTS,
    ("survey_analysis", "POST"):  _GET_ONLY_POST,
    ("survey_chart", "GET"):      _RESULTS,
    ("survey_chart", "POST"):     _GET_ONLY_POST,
    ("survey_compare", "GET"):    _RESULTS,
    ("survey_compare", "POST"):   _GET_ONLY_POST,
    # Ahornstadt's own results of the survey: its tandem and the lab's coordinators, as its
    # participation (the others 404: the municipality's page is not theirs)
    ("survey_municipality_results", "GET"):  (L, 200, 404, 200, 404, 404, 404, 200, 404, 404),
    ("survey_municipality_results", "POST"): _GET_ONLY_POST,
    # the lab's pooled results: coordinators and funders; the lab's other people 403
    ("lab_survey_analysis", "GET"):  (L, 200, 404, 403, 403, 200, 403, 200, 404, 403),
    ("lab_survey_analysis", "POST"): _GET_ONLY_POST,
}
# fmt: on
