"""Permission-matrix rows for the report URLs of reports/views.py.

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs part. matrix_world makes lab X's final-report
draft for kohorte-1 (draft_id) with one done but unpublished version (run_id). What a published or
withdrawn version answers is in test_publish_withdraw.py.
"""

L = 302

# Coordinators of the lab write drafts and see every version; funders see the list (published
# versions only) and get 403 for drafts and unpublished versions; experts and tandem members see
# the lab but no reports (403), and so do participants; other labs' people do not see it (404).
_LIST = (L, 200, 404, 403, 403, 200, 403, 200, 404, 403)
_COORDINATOR_ONLY = (L, 200, 404, 403, 403, 403, 403, 200, 404, 403)
_COORDINATOR_DONE = (L, 302, 404, 403, 403, 403, 403, 302, 404, 403)
_GET_ONLY_POST = (L, 405, 405, 405, 405, 405, 405, 405, 405, 405)
_POST_ONLY_GET = _GET_ONLY_POST

# fmt: off
ROWS = {
    ("report_list", "GET"):            _LIST,
    ("report_list", "POST"):           _GET_ONLY_POST,
    ("report_create", "GET"):          _COORDINATOR_ONLY,
    ("report_create", "POST"):         _COORDINATOR_ONLY,  # the kind is required
    ("report_draft", "GET"):           _COORDINATOR_ONLY,
    ("report_draft", "POST"):          _COORDINATOR_ONLY,  # title and version are required
    ("report_preview", "GET"):         _COORDINATOR_ONLY,
    ("report_preview", "POST"):        _GET_ONLY_POST,
    # choosing quotes and figures, uploading images: coordinators; an empty POST is an invalid
    # form (200)
    ("report_quotes", "GET"):          _COORDINATOR_ONLY,
    ("report_quotes", "POST"):         _COORDINATOR_ONLY,
    ("report_figures", "GET"):         _COORDINATOR_ONLY,
    ("report_figures", "POST"):        _COORDINATOR_ONLY,
    ("report_images", "GET"):          _COORDINATOR_ONLY,
    ("report_images", "POST"):         _COORDINATOR_ONLY,
    ("report_history", "GET"):         _COORDINATOR_ONLY,
    ("report_history", "POST"):        _GET_ONLY_POST,
    ("report_generate", "GET"):        _POST_ONLY_GET,
    # needs no form: queues (or finds) the run and redirects to it
    ("report_generate", "POST"):       _COORDINATOR_DONE,
    # an unpublished version: funders 403
    ("report_run", "GET"):             _COORDINATOR_ONLY,
    ("report_run", "POST"):            _GET_ONLY_POST,
    # GET: the confirmation, naming who will see the version; POST publishes it
    ("report_run_publish", "GET"):     _COORDINATOR_ONLY,
    ("report_run_publish", "POST"):    _COORDINATOR_DONE,
    # the version is not published: nothing to withdraw, back to the version with a message
    ("report_run_withdraw", "GET"):    _COORDINATOR_DONE,
    ("report_run_withdraw", "POST"):   _COORDINATOR_DONE,
    ("report_download", "GET"):        _COORDINATOR_ONLY,
    ("report_download", "POST"):       _GET_ONLY_POST,
    # Ahornstadt's results page (its surveys, its published reports): its tandem and the lab's
    # coordinators, as its participation
    ("municipality_results", "GET"):   (L, 200, 404, 200, 404, 404, 404, 200, 404, 404),
    ("municipality_results", "POST"):  _GET_ONLY_POST,
}
# fmt: on
