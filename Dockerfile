# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN useradd --create-home --uid 1000 vanmatch
# The versions CI tested: requirements/base.lock (scripts/lock.sh), every package pinned with its
# hashes; installed before the code is copied, so a change to the code reuses this layer. pip,
# already in the image, installs it: uv (scripts/_venv.sh) is quicker, but one more tool here.
COPY requirements/base.lock ./requirements/
RUN pip install --no-cache-dir --require-hashes -r requirements/base.lock
COPY pyproject.toml README.md ./
COPY config ./config
COPY matching ./matching
COPY accounts ./accounts
COPY coordinator ./coordinator
COPY worker ./worker
COPY templates ./templates
COPY locale ./locale
COPY manage.py ./
RUN pip install --no-cache-dir --no-deps . \
 && SECRET_KEY=build-only DEBUG=false VANMATCH_CACHE_URL=redis://build-only/0 python manage.py collectstatic --noinput -v0
USER vanmatch
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--keep-alive", "30", "--access-logfile", "-"]
