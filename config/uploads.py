"""Django's upload handlers, reading the request body in steps of 1 MiB instead of 64 KiB.

A 50 MB answers file is read from gunicorn's input stream in about 50 steps instead of 800:
gunicorn's reader does work per call, and on a busy 2-core machine the body alone took ~0.7 s
at 64 KiB (0.25 s at 1 MiB), most of the budget of an upload that must answer within a second
(bench/import_job.py). Files up to FILE_UPLOAD_MAX_MEMORY_SIZE still stay in memory.
"""

from django.core.files import uploadhandler

CHUNK_SIZE = 1024 * 1024


class MemoryFileUploadHandler(uploadhandler.MemoryFileUploadHandler):
    chunk_size = CHUNK_SIZE


class TemporaryFileUploadHandler(uploadhandler.TemporaryFileUploadHandler):
    chunk_size = CHUNK_SIZE
