"""Shared set-up of the Python tests: the examples are importable (importing
one registers its policy), and paths into the source tree."""
import os
import sys
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("FASTGPU_SOURCE_DIR", Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(SOURCE_DIR / "examples"))
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def three_jobs():
    return DATA / "three_jobs.toml"


@pytest.fixture
def quickstart():
    return SOURCE_DIR / "configs" / "quickstart.toml"
