import threading

from review.syncer import QueueSyncer


def test_a_sync_runs_at_start_and_again_after_a_failure():
    calls = []
    twice = threading.Event()

    def sync():
        calls.append(len(calls))
        if len(calls) == 1:
            raise OSError("warehouse busy")
        twice.set()
        return "ok"

    syncer = QueueSyncer(sync, interval_s=0.01)
    syncer.start()
    assert twice.wait(10)
    syncer.stop()
    assert calls[:2] == [0, 1]


def test_interval_zero_syncs_once():
    calls = []
    syncer = QueueSyncer(lambda: calls.append(1), interval_s=0)
    syncer.start()
    syncer.stop()
    assert calls == [1]
