from datetime import UTC, datetime, timedelta

from analytics.decisions.claims import claim_event, live_claim, release_all

NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
FIVE = timedelta(minutes=5)


def test_a_claim_holds_an_event_for_one_reviewer_until_it_expires(conn, people, queued):
    event = queued["red"]
    mine = claim_event(conn, event, people["reviewer"], NOW, FIVE)
    assert (mine.username, mine.expires_at) == ("reviewer", NOW + FIVE)
    theirs = claim_event(conn, event, people["reviewer2"], NOW + timedelta(minutes=1), FIVE)
    assert theirs == mine  # the other reviewer sees who holds it
    later = NOW + timedelta(minutes=5, seconds=1)
    assert live_claim(conn, event, later) is None
    assert claim_event(conn, event, people["reviewer2"], later, FIVE).username == "reviewer2"


def test_opening_again_renews_ones_own_claim(conn, people, queued):
    claim_event(conn, queued["red"], people["reviewer"], NOW, FIVE)
    renewed = claim_event(conn, queued["red"], people["reviewer"], NOW + FIVE / 2, FIVE)
    assert renewed.expires_at == NOW + FIVE * 1.5


def test_logging_out_releases_every_claim(conn, people, queued):
    for event in (queued["red"], queued["wrong"]):
        claim_event(conn, event, people["reviewer"], NOW, FIVE)
    release_all(conn, "reviewer")
    assert live_claim(conn, queued["red"], NOW) is None
