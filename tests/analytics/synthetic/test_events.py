"""Synthetic events: ids in the engine's form, unique within a clip."""

from __future__ import annotations

import numpy as np

from analytics.synthetic.events import rank_within


def test_rank_within_counts_up_per_run():
    assert rank_within(np.array([3, 3, 3, 5, 7, 7])).tolist() == [0, 1, 2, 0, 0, 1]
    assert rank_within(np.array([], dtype=np.int64)).tolist() == []
