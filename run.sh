#!/usr/bin/env bash
# Install vnkg into .venv, ingest the example articles into ./vnkg-data and serve them on
# http://127.0.0.1:8000/ (Ctrl-C stops the server). Re-running re-ingests: nothing is duplicated.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q -e .
.venv/bin/vnkg ingest --store "${VNKG_STORE:-./vnkg-data}" examples/articles
exec .venv/bin/vnkg serve --store "${VNKG_STORE:-./vnkg-data}" --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
