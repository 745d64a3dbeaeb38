"""Permission-matrix rows for the survey URLs of evaluations/views/transfer.py.

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs. The survey is matrix_world's "eingangsbefragung"
in lab X's kohorte-1 (open, one unused link, open link on, in-app for tandem members).
"""

L = 302

# fmt: off
ROWS = {
}
# fmt: on
