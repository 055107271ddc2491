import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
CORPUS = os.path.join(SHARED, "corpus", "argo-examples")
SEED = os.path.join(FIXTURES, "seed")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def corpus():
    if not os.path.isdir(CORPUS):
        pytest.skip("../shared/corpus/argo-examples is not here")
    return CORPUS
