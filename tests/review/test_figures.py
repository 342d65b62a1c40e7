from analytics.decisions.decisions import DecisionChange, decide
from analytics.decisions.queue_read import QueueCounts
from analytics.decisions.store import store_session, utc_now
from analytics.decisions.users import User
from review.figures import figures_from_counts, store_figures


def test_figures_add_up_counts_and_leave_out_no_courier():
    confirmed = [
        {"rule": "pedestrian_red_light", "courier_platform": None, "count_events": 4},
        {"rule": "wrong_way", "courier_platform": "meituan", "count_events": 3},
        {"rule": "wrong_way", "courier_platform": "none", "count_events": 2},
    ]
    figures = figures_from_counts(QueueCounts(5, 9, 1), confirmed)
    assert (figures.count_pending, figures.count_confirmed, figures.count_rejected) == (5, 9, 1)
    assert figures.confirmed_by_rule == {"pedestrian_red_light": 4, "wrong_way": 5}
    assert figures.confirmed_by_platform == {"meituan": 3}


def test_store_figures_follow_the_decisions(warehouse, events):
    with store_session(warehouse) as conn:
        decide(
            conn,
            events[1]["event_id"],
            DecisionChange(decision="confirmed"),
            0,
            User(1, "li", "reviewer"),
            utc_now(),
        )
    figures = store_figures(warehouse)
    assert (figures.count_pending, figures.count_confirmed) == (2, 1)
    assert figures.confirmed_by_platform == {"meituan": 1}
