"""A report renderer that pauses inside the render, for the worker that
test_report_worker.py kills mid-render: its worker runs with
INNOLAB_TEST_REPORT_RENDERER=tests.integration.slow_render.render_pdf (settings.REPORT_RENDERER)
and INNOLAB_TEST_RENDER_PAUSE (seconds)."""

import os
import time

from reports import render


def render_pdf(draft, *, progress=None, **kwargs):
    pause = float(os.environ.get("INNOLAB_TEST_RENDER_PAUSE", "0"))
    paused = False

    def progress_then_pause(percent: int) -> None:
        nonlocal paused
        if progress is not None:
            progress(percent)
        # once the run shows progress: the test waits for that before it kills the worker
        if pause and percent > 0 and not paused:
            paused = True
            time.sleep(pause)

    return render.render_pdf(draft, progress=progress_then_pause, **kwargs)
