# The shop in production: slim Python, dependencies from requirements.txt only (no emulator,
# no test tools), static files collected at build time, gunicorn as a non-root user.
FROM python:3.11.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# collectstatic only reads files; the key is a throwaway so the settings load at build time.
RUN DJANGO_SECRET_KEY=build-only-collectstatic python manage.py collectstatic --no-input \
    && useradd --system --uid 10001 --no-create-home shop

USER shop
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["gunicorn", "project.wsgi", "--config", "gunicorn.conf.py"]
