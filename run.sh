#!/usr/bin/env bash
# Install vnkg into .venv, ingest the example articles into ./vnkg-data and serve them on
# http://127.0.0.1:8000/ (Ctrl-C stops the server). Re-running re-ingests: nothing is duplicated.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "run.sh: creating the virtual environment .venv"
  "$PY" -m venv .venv
fi
echo "run.sh: installing vnkg and its dependencies into .venv (pip; about a minute the first time)"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e .
echo "run.sh: ingesting examples/articles into ${VNKG_STORE:-./vnkg-data}"
.venv/bin/vnkg ingest --store "${VNKG_STORE:-./vnkg-data}" examples/articles \
  || echo "run.sh: some input was held back (said above); serving what was stored"
echo "run.sh: serving on http://${HOST:-127.0.0.1}:${PORT:-8000}/ (Ctrl-C stops)"
exec .venv/bin/vnkg serve --store "${VNKG_STORE:-./vnkg-data}" --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
