"""The deployment files: docker-compose.yml, .env.example, the Dockerfile.

Docker does not run on the development machines: the compose file is parsed here (and checked
with `docker compose config` where that command exists); tests/integration/test_processes.py runs
the processes it declares."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
SETTINGS = [ROOT / "config" / "settings" / f"{name}.py" for name in ("base", "production", "dev")]

# env.str("NAME" …), env.bool(…), env.int(…), env.list(…), env.db(…), env.float(…); also
# environ.Env().str(…) — possibly with the name on the next line
ENV_READ = re.compile(r"\b(?:env|Env\(\))\.(?:str|bool|int|float|list|db|url|json|dict)\(\s*"
                      r"[\"']([A-Z][A-Z0-9_]*)[\"']")  # fmt: skip


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _env_example_names() -> dict[str, str]:
    """NAME -> the line, for every variable in .env.example, set or commented out (#NAME=)."""
    names = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"#?([A-Z][A-Z0-9_]*)=(.*)", line)
        if match:
            names[match.group(1)] = line
    return names


def settings_env_names() -> set[str]:
    names = set()
    for path in SETTINGS:
        names |= set(ENV_READ.findall(path.read_text()))
    return names


def test_the_settings_scan_finds_what_the_settings_read():
    names = settings_env_names()
    # a sample that must be found, including a read split over two lines
    assert {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SENTRY_DSN", "LOG_FORMAT"} <= names
    assert {"STORAGE_S3_BUCKET", "AWS_STORAGE_BUCKET_NAME", "INNOLAB_VAR_DIR"} <= names


def gunicorn_env_names() -> set[str]:
    text = (ROOT / "config" / "gunicorn.py").read_text()
    return set(re.findall(r"os\.environ\.get\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", text))


def test_every_variable_the_settings_read_is_explained_in_env_example():
    documented = _env_example_names()
    assert {"WEB_CONCURRENCY", "LOG_FORMAT"} <= gunicorn_env_names()
    missing = sorted((settings_env_names() | gunicorn_env_names()) - set(documented))
    assert missing == [], f"add these to .env.example with a comment: {missing}"


def test_env_example_comments_every_variable_and_holds_no_real_secret():
    lines = ENV_EXAMPLE.read_text().splitlines()
    for number, line in enumerate(lines):
        if re.match(r"#?[A-Z][A-Z0-9_]*=", line):
            # a comment line somewhere above, within the variable's block
            above = lines[max(0, number - 6) : number]
            assert any(x.startswith("# ") for x in above), f"no comment for {line!r}"
    values = {
        m.group(1): m.group(2)
        for m in (re.match(r"([A-Z][A-Z0-9_]*)=(.*)", line) for line in lines)
        if m
    }
    # the required values are there, as placeholders production refuses or that cannot work
    assert {"SECRET_KEY", "POSTGRES_PASSWORD", "ALLOWED_HOSTS", "EMAIL_URL"} <= set(values)
    assert values["SECRET_KEY"].startswith("insecure")  # production refuses to start with it
    assert values["POSTGRES_PASSWORD"] == "change-me"
    assert "example.org" in values["EMAIL_URL"]


def test_the_services_exist_with_health_checks_where_wanted(compose):
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis", "migrate"} <= set(services)
    for name in ("web", "worker", "db", "redis"):
        assert services[name].get("healthcheck", {}).get("test"), name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]


def test_volumes_keep_the_database_redis_and_media(compose):
    assert {"pgdata", "redisdata", "media"} <= set(compose["volumes"])
    services = compose["services"]
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "redisdata:/data" in services["redis"]["volumes"]
    for name in ("web", "worker", "beat", "migrate"):
        assert any(v.startswith("media:") for v in services[name]["volumes"]), name


def test_app_services_take_their_environment_from_dot_env_and_production_settings(compose):
    for name in ("web", "worker", "beat", "migrate"):
        service = compose["services"][name]
        assert service["env_file"] in (".env", [".env"]), name
        env = service["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        # the required values are checked by compose (${VAR:?message})
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert env["ALLOWED_HOSTS"].startswith("${ALLOWED_HOSTS:?")
        # the bundled services by default, shared servers when .env says so
        assert env["DATABASE_URL"].startswith("${DATABASE_URL:-postgres://")
        assert "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "${REDIS_URL:-redis://redis:6379/0}"
        assert env["CELERY_BROKER_URL"] == "${CELERY_BROKER_URL:-redis://redis:6379/1}"
        if name != "migrate":
            condition = service["depends_on"]["migrate"]["condition"]
            assert condition == "service_completed_successfully"
    # every ${VAR} the compose file substitutes is explained in .env.example
    substituted = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE.read_text()))
    assert substituted - set(_env_example_names()) == set()


def test_the_commands_are_gunicorn_celery_worker_and_one_beat(compose):
    services = compose["services"]
    web = services["web"]["command"]
    assert web[:2] == ["gunicorn", "config.wsgi:application"]
    assert "--config=python:config.gunicorn" in web
    worker, beat = services["worker"]["command"], services["beat"]["command"]
    assert worker[:3] == beat[:3] == ["celery", "-A", "config"]
    assert "worker" in worker and "beat" in beat
    assert "--quiet" in worker and "--quiet" in beat  # no banner between the JSON lines
    assert "deploy" not in services["beat"]  # no replicas: exactly one beat
    # the web port only on the loopback interface, for the reverse proxy
    assert all(str(port).startswith("127.0.0.1:") for port in services["web"]["ports"])


def test_the_image_runs_the_web_command_collects_static_files_and_has_every_app():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "config.wsgi:application", "--config=python:config.gunicorn"]' in (
        dockerfile
    )
    assert "collectstatic --noinput" in dockerfile
    assert "USER innolab" in dockerfile
    # every Django app of the project (a folder with apps.py) and config/ are copied; demo/ is
    # dev-only (the dev and test settings install it, production does not)
    apps = sorted(p.parent.name for p in ROOT.glob("*/apps.py") if p.parent.name != "demo")
    for folder in [*apps, "config", "templates", "static", "locale"]:
        assert f"COPY {folder} ./{folder}" in dockerfile, folder
    assert (
        "whitenoise.middleware.WhiteNoiseMiddleware"
        in (ROOT / "config" / "settings" / "base.py").read_text()
    )


def _docker_compose() -> list[str] | None:
    docker = shutil.which("docker")
    if not docker:
        return None
    probe = subprocess.run(
        [docker, "compose", "version"], capture_output=True, text=True, timeout=30
    )
    return [docker, "compose"] if probe.returncode == 0 else None


def test_docker_compose_accepts_the_file(tmp_path):
    command = _docker_compose()
    if command is None:
        pytest.skip("`docker compose` is not installed here; the file is parsed above")
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")
    shutil.copy(ENV_EXAMPLE, tmp_path / ".env")
    result = subprocess.run(
        [*command, "--project-directory", str(tmp_path), "config", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    import json

    resolved = json.loads(result.stdout)
    web_env = resolved["services"]["web"]["environment"]
    assert web_env["DATABASE_URL"] == "postgres://innolab:change-me@db:5432/innolab"
    assert web_env["SITE_URL"] == "https://innolab.example.org"  # from env_file
