# Guichet's application image: the gateway (default command), the action server, the outbox
# worker and `guichet setup` all run from it. Rasa runs from its own official image
# (rasa/rasa:3.6.21-full): see docker-compose.yml and deploy/kubernetes/.
#
#   docker build -t guichet .
FROM python:3.11-slim

# PYTHONPATH: bot/settings.py finds alembic.ini, migrations/ and communes/ next to the
# packages it is imported from, so /app comes first, before the installed copy in
# site-packages, for the `guichet` command as for `python -m`.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

WORKDIR /app

# The packages and what pip needs to build them; the pins of constraints/app.txt, no dev extra.
COPY pyproject.toml README.md ./
COPY constraints/app.txt constraints/app.txt
COPY bot bot
COPY actions actions
COPY channels channels
COPY gateway gateway
COPY calendar_store calendar_store
RUN pip install -c constraints/app.txt . \
    && rm -rf build ./*.egg-info

# Read at run time: the migrations, and the commune file with its notification texts
# (docker-compose.yml mounts the host's communes/ over this copy so that it can be edited).
COPY alembic.ini alembic.ini
COPY migrations migrations
COPY communes communes

# Code and data stay owned by root, read-only to the user the processes run as.
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin guichet \
    && mkdir var && chown guichet var
USER guichet

EXPOSE 8000 5055
CMD ["python", "-m", "uvicorn", "gateway.app:create_app", "--factory", \
     "--host", "0.0.0.0", "--port", "8000", "--workers", "2", \
     "--no-access-log", "--timeout-graceful-shutdown", "5"]
