"""The package builds without a warning, ships its data, and runs with the pyshacl it was tested with."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# What setuptools and pip say about a package whose configuration is off.
PACKAGING_WARNING = re.compile(r"BuildBackendWarning|SetuptoolsDeprecationWarning|SetuptoolsWarning|"
                               r"is absent from the `packages`|does not provide the extra|"
                               r"as a TOML table is deprecated", re.I)


def _requirement(name: str) -> Requirement:
    return next(Requirement(r) for r in PYPROJECT["project"]["dependencies"] if Requirement(r).name == name)


def test_pyshacl_is_pinned_to_a_tested_range_and_installed_within_it():
    """kg/validate.py drives pyshacl's internals: a new pyshacl must be tested (the fast path
    against plain pyshacl, tests/test_validate_batch.py) before the range moves."""
    req = _requirement("pyshacl")
    assert any(s.operator in ("<", "<=", "==", "~=") for s in req.specifier), f"no upper bound: {req}"
    assert req.specifier.contains(version("pyshacl")), f"pyshacl {version('pyshacl')} is outside {req}"


def test_the_license_is_an_spdx_expression():
    assert PYPROJECT["project"]["license"] == "Apache-2.0"


def test_a_wheel_builds_without_a_packaging_warning_and_ships_the_data(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir", "-w", str(tmp_path),
                           str(ROOT)], capture_output=True, text=True, timeout=600)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0 and re.search(r"No matching distribution|Could not find a version|"
                                          r"connection|Network is unreachable|Temporary failure", output, re.I):
        pytest.skip("the build backend (setuptools) could not be fetched: " + output.strip().splitlines()[-1])
    assert proc.returncode == 0, output[-3000:]
    warnings = [ln for ln in output.splitlines() if PACKAGING_WARNING.search(ln)]
    assert not warnings, "\n".join(warnings)
    wheel = next(tmp_path.glob("vnkg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("server/templates/query.html", "server/static/style.css", "server/queries/1-officials-by-body-and-term.rq",
                     "server/static/vendor/yasqe/yasqe.min.js", "server/static/vendor/yasqe/LICENSE.txt",
                     "ontology/vnkg.ttl", "shapes/vnkg.ttl", "loaders/lexicon/roles.tsv"):
        assert expected in names, expected


def test_run_sh_says_what_it_does_before_each_long_step():
    lines = [ln.strip() for ln in (ROOT / "run.sh").read_text(encoding="utf-8").splitlines()]
    for i, ln in enumerate(lines):
        if "pip install" in ln and "--upgrade pip" not in ln or ln.startswith(".venv/bin/vnkg ingest"):
            before = [x for x in lines[max(0, i - 3):i] if x.startswith("echo ")]
            assert before, f"run.sh is silent before: {ln}"
