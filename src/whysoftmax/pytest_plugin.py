"""pytest plugin: the ``whysoftmax_oracle`` fixture (registered by installing whysoftmax).

Use it in a test module of your own::

    def test_my_softmax(whysoftmax_oracle):
        whysoftmax_oracle.assert_matches_reference(my_softmax, "softmax", max_ulp=4)
"""

from __future__ import annotations

import pytest


@pytest.fixture
def whysoftmax_oracle():
    """The :mod:`whysoftmax.testing` module: ``assert_matches_reference``, ``ulp_report``,
    ``ADVERSARIAL`` (the suite) and ``ulp_errors``."""
    from whysoftmax import testing

    return testing
