from analytics.decisions.decisions import decide
from analytics.decisions.models import DecisionChange
from analytics.decisions.policy import load_policy
from analytics.decisions.queue_read import QueueCounts
from analytics.decisions.store import store_session, utc_now
from analytics.decisions.users import User
from review.figures import figures_from_counts, store_figures


def test_figures_add_up_counts_and_leave_out_no_courier_and_unknown():
    confirmed = [
        {
            "rule": "pedestrian_red_light",
            "courier_platform": None,
            "disposition": "education",
            "count_events": 4,
            "fine_yuan_total": None,
        },
        {
            "rule": "wrong_way",
            "courier_platform": "meituan",
            "disposition": "fine",
            "count_events": 3,
            "fine_yuan_total": 60,
        },
        {
            "rule": "wrong_way",
            "courier_platform": "none",
            "disposition": "fine",
            "count_events": 2,
            "fine_yuan_total": 100,
        },
        {
            "rule": "wrong_way",
            "courier_platform": "unknown",
            "disposition": "warning",
            "count_events": 1,
            "fine_yuan_total": None,
        },
    ]
    figures = figures_from_counts(QueueCounts(5, 2, 1, 10, 1), confirmed)
    assert (figures.count_pending, figures.count_confirmed, figures.count_rejected) == (5, 10, 1)
    assert (figures.count_awaiting_second, figures.count_disputed) == (2, 1)
    assert figures.confirmed_by_rule == {"pedestrian_red_light": 4, "wrong_way": 6}
    assert figures.confirmed_by_platform == {"meituan": 3}
    assert figures.confirmed_by_disposition == {"education": 4, "fine": 5, "warning": 1}
    assert figures.fine_yuan_total == 160


def test_store_figures_follow_the_decisions_within_the_districts(warehouse, events):
    change = DecisionChange(decision="confirmed", disposition="fine", fine_yuan=30)
    with store_session(warehouse) as conn:
        for event in (events[0], events[2]):  # red-light crossings: no double review
            decide(
                conn,
                event["event_id"],
                change,
                0,
                User(1, "li", "reviewer"),
                utc_now(),
                load_policy(),
                evidence="intact",
            )
    figures = store_figures(warehouse)
    assert (figures.count_pending, figures.count_confirmed, figures.fine_yuan_total) == (1, 2, 60)
    local = store_figures(warehouse, (events[0]["district"],))
    assert (local.count_pending, local.count_confirmed, local.fine_yuan_total) == (0, 1, 30)
