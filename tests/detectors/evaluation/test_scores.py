from collections import Counter

import pytest

from detectors.evaluation.eval_set import SignalLabel
from detectors.evaluation.matching import Matching, Pair
from detectors.evaluation.scores import (
    NOT_READ,
    CourierAgreement,
    RuleCounts,
    SignalAgreement,
    count_conditions,
    count_rule,
    courier_agreement,
    f1_score,
    signal_agreement,
)
from detectors.events.violation import CourierAttribution
from detectors.signals.states import SignalSegment, SignalState

PED, WRONG = "pedestrian_red_light", "wrong_way"
RED, GREEN, UNKNOWN = SignalState.RED, SignalState.GREEN, SignalState.UNKNOWN


@pytest.fixture
def two_matched_one_extra_one_missed(make_event, make_violation) -> Matching:
    return Matching(
        matches=(
            Pair(make_event(t=1.0), make_violation(t=1.0)),
            Pair(make_event(t=9.0), make_violation(t=9.0)),
        ),
        unmatched_detections=(make_violation(t=30.0),),
        unmatched_events=(make_event(t=50.0),),
    )


def test_a_complete_clip_counts_every_miss_and_every_extra(two_matched_one_extra_one_missed):
    counts = count_rule(two_matched_one_extra_one_missed, complete=True)
    assert counts == RuleCounts(tp=2, fp=1, fn=1, tp_incomplete=0)


def test_an_incomplete_clip_counts_only_its_matches_and_only_for_precision(
    two_matched_one_extra_one_missed,
):
    counts = count_rule(two_matched_one_extra_one_missed, complete=False)
    assert counts == RuleCounts(tp=0, fp=0, fn=0, tp_incomplete=2)


def test_conditions_count_found_and_missed_tagged_events_of_complete_clips(
    make_event, make_violation
):
    matching = Matching(
        matches=(
            Pair(make_event(t=1.0, conditions=("far", "edge")), make_violation(t=1.0)),
            Pair(make_event(t=9.0), make_violation(t=9.0)),
        ),
        unmatched_detections=(make_violation(t=30.0),),
        unmatched_events=(make_event(t=50.0, conditions=("far",)),),
    )
    counts = count_conditions(matching, complete=True)
    assert (counts["far"], counts["edge"], counts["near"]) == (
        RuleCounts(tp=1, fn=1),
        RuleCounts(tp=1),
        RuleCounts(),
    )
    assert counts["far"].recall == 0.5 and counts["near"].recall is None
    assert set(count_conditions(matching, complete=False).values()) == {RuleCounts()}


@pytest.mark.parametrize(
    ("counts", "precision", "recall", "f1"),
    [
        (RuleCounts(tp=9, fp=1, fn=2), 0.9, 9 / 11, 6 / 7),
        (RuleCounts(), None, None, None),  # nothing detected, nothing true
        (RuleCounts(fp=3), 0.0, None, None),  # no true events: recall unknown, not 0 or 1
        (RuleCounts(fn=4), None, 0.0, None),  # no detections: precision unknown
        (RuleCounts(fp=2, fn=3), 0.0, 0.0, 0.0),
        (RuleCounts(tp=2, fn=2, tp_incomplete=2), 1.0, 0.5, 2 / 3),
        (RuleCounts(tp=3, fp=1, fn=1, tp_incomplete=1), 0.8, 0.75, 24 / 31),
        (RuleCounts(tp_incomplete=3), 1.0, None, None),
    ],
)
def test_rates_are_null_where_their_denominator_is_empty(counts, precision, recall, f1):
    assert counts.precision == pytest.approx(precision)
    assert counts.recall == pytest.approx(recall)
    assert counts.f1 == pytest.approx(f1)


def test_f1_needs_both_precision_and_recall():
    assert (f1_score(None, 0.5), f1_score(0.5, None), f1_score(0.5, 0.5)) == (None, None, 0.5)


def test_counts_add_up_over_clips():
    total = sum([RuleCounts(1, 2, 3, 4), RuleCounts(10, 20, 30, 40)], RuleCounts())
    assert total == RuleCounts(tp=11, fp=22, fn=33, tp_incomplete=44)


def _label(signal: str, from_s: float, to_s: float, state: SignalState) -> SignalLabel:
    return SignalLabel(signal=signal, from_s=from_s, to_s=to_s, state=state)


def test_signal_accuracy_scores_labelled_time_only_with_partial_overlaps():
    labels = [
        _label("ped_east", 0, 10, RED),
        _label("ped_east", 10, 20, GREEN),
        _label("ped_east", 30, 40, RED),  # 20-30 s is unlabelled: not scored
    ]
    timeline = [
        SignalSegment("ped_east", 0, 8, RED),  # 8 s right in [0, 10)
        SignalSegment("ped_east", 8, 15, GREEN),  # 5 s right in [10, 20)
        SignalSegment("ped_east", 15, 25, GREEN),  # 5 s right in [10, 20); 20-25 unlabelled
        SignalSegment("ped_east", 25, 35, UNKNOWN),
        SignalSegment("ped_east", 35, 50, RED),  # 5 s right in [30, 40)
        SignalSegment("ped_west", 0, 50, RED),  # another signal: ignored
    ]
    agreement = signal_agreement(labels, timeline)["ped_east"]
    assert (agreement.labelled_s, agreement.correct_s) == (30.0, 23.0)
    assert agreement.accuracy == pytest.approx(23 / 30)
    assert agreement.confusion_s == {
        ("red", "red"): 13.0,
        ("red", "green"): 2.0,
        ("red", "unknown"): 5.0,
        ("green", "green"): 10.0,
    }


def test_labelled_time_the_timeline_does_not_cover_counts_as_wrong():
    labels = [_label("ped_east", 0, 10, RED), _label("ped_west", 0, 5, GREEN)]
    agreement = signal_agreement(labels, [SignalSegment("ped_east", 4, 6, RED)])
    assert agreement == {
        "ped_east": SignalAgreement(10.0, 2.0, Counter({("red", "red"): 2, ("red", NOT_READ): 8})),
        "ped_west": SignalAgreement(5.0, 0.0, Counter({("green", NOT_READ): 5})),
    }


def test_confusion_adds_up_over_clips():
    amber_then_red = [_label("veh", 0, 2.5, SignalState.AMBER), _label("veh", 2.5, 6, RED)]
    read_all_red = [SignalSegment("veh", 0, 6, RED)]
    one = signal_agreement(amber_then_red, read_all_red)["veh"]
    total = one + one
    assert total.confusion_s == {("amber", "red"): 5.0, ("red", "red"): 7.0}
    assert total.accuracy == pytest.approx(7 / 12)


def test_a_stretch_read_twice_counts_once():
    timeline = [
        SignalSegment("ped_east", 0, 8, RED),
        SignalSegment("ped_east", 0, 8, RED),
        SignalSegment("ped_east", 4, 9, RED),
    ]
    agreement = signal_agreement([_label("ped_east", 0, 10, RED)], timeline)
    assert agreement["ped_east"].correct_s == 9.0
    assert agreement["ped_east"].confusion_s == {("red", "red"): 9.0, ("red", NOT_READ): 1.0}


def test_signal_accuracy_is_null_when_nothing_is_labelled():
    assert signal_agreement([], [SignalSegment("ped_east", 0, 8, RED)]) == {}
    assert SignalAgreement().accuracy is None


def test_courier_accuracy_covers_matched_wrong_way_events_that_carry_courier(
    make_event, make_violation
):
    grab = CourierAttribution("grab", 0.9)
    no_platform = CourierAttribution(None, 0.4)
    pairs = [
        Pair(make_event(WRONG, courier=True), make_violation(WRONG, courier=grab)),  # right
        Pair(make_event(WRONG, courier=True), make_violation(WRONG)),  # wrong: not attributed
        Pair(make_event(WRONG, courier=False), make_violation(WRONG, courier=no_platform)),  # right
        Pair(make_event(WRONG, courier=False), make_violation(WRONG, courier=grab)),  # wrong
        Pair(make_event(WRONG), make_violation(WRONG, courier=grab)),  # truth silent: not scored
        Pair(make_event(PED), make_violation(PED)),  # not a wrong_way event
    ]
    agreement = courier_agreement(pairs)
    assert agreement == CourierAgreement(n=4, correct=2)
    assert agreement.accuracy == 0.5


def test_courier_accuracy_is_null_when_no_match_carries_courier(make_event, make_violation):
    agreement = courier_agreement([Pair(make_event(WRONG), make_violation(WRONG))])
    assert (agreement.n, agreement.accuracy) == (0, None)
