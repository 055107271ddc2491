import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")
# The 217 upstream example files, vendored with their license (tests/data/argo-examples/NOTICE.md).
CORPUS = os.path.join(ROOT, "tests", "data", "argo-examples")
SEED = os.path.join(FIXTURES, "seed")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def corpus():
    return CORPUS
