"""Permission-matrix rows for the URLs of the personal data pages (export, account deletion).

Merged into TABLE by tests/test_permission_matrix.py; columns as there:
anon coord co_y tan_a tan_b fund exp admin outs.
"""

L = 302

# fmt: off
#                                          anon coord co_y tan_a tan_b fund  exp  admin outs
ROWS: dict = {
}
# fmt: on
