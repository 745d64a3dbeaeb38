# The InnoLab image: one image for web (gunicorn), worker and beat (celery); see docker-compose.yml.
ARG PYTHON_IMAGE=python:3.12-slim
ARG NODE_IMAGE=node:22-slim

# Front-end assets (KERN UX, htmx) from the npm lock; only node_modules is kept.
FROM ${NODE_IMAGE} AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    INNOLAB_VAR_DIR=/app/var

# WeasyPrint's libraries (Pango, HarfBuzz subsetting) and a fallback font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 innolab \
    && useradd --system --uid 10001 --gid innolab --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin innolab

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY --from=assets /build/node_modules ./node_modules
# The application, listed explicitly so that a local .env or var/ never ends up in the image.
# A new Django app needs a line here.
COPY manage.py pyproject.toml ./
COPY config ./config
COPY core ./core
COPY accounts ./accounts
COPY notifications ./notifications
COPY labs ./labs
COPY tandems ./tandems
COPY missions ./missions
COPY evaluations ./evaluations
COPY events ./events
COPY exchange ./exchange
COPY feedback ./feedback
COPY casework ./casework
COPY reports ./reports
COPY experts ./experts
COPY toolkit ./toolkit
COPY public ./public
COPY templates ./templates
COPY static ./static
COPY locale ./locale

# collectstatic only imports the settings: the production checks need placeholder values here.
RUN SECRET_KEY="build-only-placeholder-0123456789abcdefghijklmnopqrstuvwxyz" \
    DATABASE_URL="postgres://build@localhost/build" \
    CELERY_BROKER_URL="redis://localhost:6379/1" \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media \
    && chown -R innolab:innolab /app/var

USER innolab
EXPOSE 8000
# the web service's command (docker-compose.yml); settings in config/gunicorn.py
CMD ["gunicorn", "config.wsgi:application", "--config=python:config.gunicorn"]
