FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN useradd --create-home --uid 1000 factcheck
# A C compiler with OpenMP: the embedding engine is compiled for the CPU the image
# runs on, at the first load of the model (similarity/engine.py; 16 ms a claim
# against the wheel's 77 ms). Without it the wheel's slower engine runs.
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev libgomp1 \
    && rm -rf /var/lib/apt/lists/*
# The whole repository, less what .dockerignore leaves out (tests, benchmarks, local
# state): no hand-kept list of folders to fall behind when an app is added.
# tests/test_dockerfile.py replays these steps, since Docker cannot run everywhere.
COPY . .
RUN pip install .
# var/similarity: the similar-claims index the worker builds and the web reads (a volume).
RUN mkdir -p /app/staticfiles /app/var/similarity && chown factcheck /app/staticfiles /app/var/similarity
USER factcheck
# collectstatic needs settings, not a database or secrets of production.
RUN FACTCHECK_ENV=production SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "factcheck.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--limit-request-line", "0", "--access-logfile", "-"]
