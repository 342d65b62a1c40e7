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


def test_stopping_does_not_wait_for_a_long_sync(monkeypatch):
    monkeypatch.setattr("review.syncer.STOP_WAIT_S", 0.05)
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def long_sync():
        started.set()
        release.wait(10)
        finished.set()

    syncer = QueueSyncer(long_sync, interval_s=60)
    syncer.start()
    assert started.wait(10)
    syncer.stop()
    assert not finished.is_set()  # stop returned while the sync was still running
    release.set()
