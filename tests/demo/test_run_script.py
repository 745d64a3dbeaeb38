"""scripts/run: the links in the demo's e-mails point at the port it serves."""

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "run"


def _site_url(**env) -> str:
    """SITE_URL as the script's own lines set it (from PORT=… up to the export)."""
    lines = SCRIPT.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("PORT="))
    end = next(i for i, line in enumerate(lines) if line.startswith("export SITE_URL="))
    snippet = "\n".join([*lines[start : end + 1], 'printf %s "$SITE_URL"'])
    clean = {k: v for k, v in os.environ.items() if k not in {"PORT", "SITE_URL"}}
    done = subprocess.run(
        ["bash", "-c", snippet], env=clean | env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_the_mail_links_use_the_served_port():
    assert _site_url(PORT="8011") == "http://127.0.0.1:8011"
    assert _site_url() == "http://127.0.0.1:8000"
    assert _site_url(PORT="8011", SITE_URL="https://demo.example") == "https://demo.example"
    # the server is started on that port
    assert 'runserver "127.0.0.1:$PORT"' in SCRIPT.read_text()
