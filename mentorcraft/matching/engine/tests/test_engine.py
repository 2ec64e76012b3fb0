"""The engine with plain data: hand-made cases with known answers, then properties."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorcraft.matching.engine import (
    Coach,
    Instance,
    InstanceError,
    Person,
    Prepared,
    form_groups,
    peer_pairs,
    recommend,
    solve,
    solve_greedy,
)
from mentorcraft.matching.engine.cli import main
from mentorcraft.matching.engine.io import instance_from_dict
from mentorcraft.matching.engine.stable import stable_core

EN = frozenset({"English"})


def mentee(pid: str, **kw) -> Person:
    kw.setdefault("languages", EN)
    return Person(id=pid, **kw)


def mentor(pid: str, capacity: int = 1, **kw) -> Person:
    kw.setdefault("languages", EN)
    kw.setdefault("years", 15)
    return Person(id=pid, capacity=capacity, **kw)


def pairs_of(result) -> set[tuple[str, str]]:
    return {(p.mentee, p.mentor) for p in result.pairs}


# --- hand-made cases ----------------------------------------------------------------------


def test_topics_decide_between_otherwise_equal_mentors():
    instance = Instance(
        mentees=[mentee("a", topics={"negotiation": 3})],
        mentors=[mentor("x", topics={"budgeting": 3}), mentor("y", topics={"negotiation": 3})],
    )
    result = solve(instance)
    assert pairs_of(result) == {("a", "y")}
    assert "1 shared topic: negotiation" in result.pairs[0].reasons


def test_optimal_matches_more_people_before_scoring_higher():
    # Greedy takes a-x (the best pair) and leaves b alone; optimal pairs both.
    instance = Instance(
        mentees=[mentee("a", topics={"t": 3}), mentee("b", topics={"t": 3})],
        mentors=[mentor("x", topics={"t": 3}), mentor("y", languages=frozenset({"Welsh"}))],
        scores=[("a", "x", 90.0), ("a", "y", 10.0), ("b", "x", 80.0)],
    )
    instance.mentees[0] = mentee("a", languages=frozenset({"English", "Welsh"}))
    result = solve(instance)
    assert pairs_of(result) == {("a", "y"), ("b", "x")}
    assert len(solve_greedy(Prepared(instance)).pairs) == 1


def test_hard_constraints_are_never_broken():
    instance = Instance(
        mentees=[
            mentee("a", manager="boss"),
            mentee("b", languages=frozenset({"French"})),
            mentee("c", avoid=frozenset({"z"})),
            mentee("d"),
        ],
        mentors=[mentor("boss", capacity=3), mentor("y", capacity=3), mentor("z", capacity=3)],
        managers={"boss": "ceo"},
        forbidden=[("d", "y"), ("d", "z")],
    )
    result = solve(instance)
    pairs = pairs_of(result)
    assert ("a", "boss") not in pairs
    assert not any(m == "b" for m, _ in pairs)
    assert ("c", "z") not in pairs
    assert ("d", "y") not in pairs and ("d", "z") not in pairs
    reasons = {u.mentee: u.reason for u in result.unmatched}
    assert "no shared language" in reasons["b"]


def test_the_management_chain_counts_two_levels_both_ways():
    instance = Instance(
        mentees=[mentee("junior", manager="lead")],
        mentors=[mentor("director"), mentor("peer")],
        managers={"lead": "director"},
    )
    assert pairs_of(solve(instance)) == {("junior", "peer")}
    upward = Instance(
        mentees=[mentee("director")],
        mentors=[mentor("junior", manager="lead"), mentor("other")],
        managers={"lead": "director"},
    )
    assert pairs_of(solve(upward)) == {("director", "other")}


def test_capacity_is_respected_and_full_mentors_are_named():
    instance = Instance(
        mentees=[mentee(f"m{i}") for i in range(4)],
        mentors=[mentor("x", capacity=2)],
    )
    result = solve(instance)
    assert len(result.pairs) == 2
    assert {u.reason for u in result.unmatched} == {"all allowed mentors are full"}


def test_locked_pairs_are_kept_and_count_against_capacity():
    instance = Instance(
        mentees=[mentee("a", topics={"t": 1}), mentee("b", topics={"t": 3})],
        mentors=[mentor("x", topics={"t": 3}), mentor("y")],
        locked=[("a", "x")],
    )
    result = solve(instance)
    assert ("a", "x") in pairs_of(result)
    assert ("b", "y") in pairs_of(result)
    assert next(p for p in result.pairs if p.mentee == "a").locked


def test_a_locked_pair_that_breaks_a_rule_is_an_input_error():
    instance = Instance(
        mentees=[mentee("a", manager="x")], mentors=[mentor("x")], locked=[("a", "x")]
    )
    with pytest.raises(InstanceError, match="locked pair"):
        solve(instance)


@pytest.mark.parametrize(
    "change,message",
    [
        ({"mentors": [{"id": "x", "capacity": -1}]}, "negative capacity"),
        ({"mentees": [{"id": "a"}, {"id": "a"}]}, "duplicate mentee id 'a'"),
        ({"forbidden": [["nobody", "x"]]}, "unknown mentee 'nobody'"),
        ({"weights": {"beauty": 2}}, "unknown weight 'beauty'"),
        ({"mentees": [{"id": "a", "time_zone": "Mars/Base"}]}, "unknown time zone"),
        ({"scores": [["a", "x"]]}, "'scores' must be a list"),
    ],
)
def test_bad_input_names_the_offending_entry(change, message):
    data = {"mentees": [{"id": "a"}], "mentors": [{"id": "x"}], **change}
    with pytest.raises(InstanceError, match=message):
        instance_from_dict(data)


def test_explicit_scores_replace_the_scorer_and_unlisted_pairs_are_not_allowed():
    instance = Instance(
        mentees=[mentee("a"), mentee("b")],
        mentors=[mentor("x"), mentor("y")],
        scores=[("a", "x", 5.0), ("b", "x", 9.0)],
    )
    result = solve(instance)
    assert pairs_of(result) == {("b", "x")}
    assert result.total_score == 9.0


def test_recommendations_skip_full_mentors_and_explain():
    instance = Instance(
        mentees=[mentee("a", topics={"t": 3})],
        mentors=[
            mentor("x", topics={"t": 3}),
            mentor("y", topics={"t": 2}),
            mentor("z", languages=frozenset({"Welsh"})),
        ],
    )
    top = recommend(instance, "a", n=5, load={"x": 1})
    assert [p.mentor for p in top] == ["y"]
    assert top[0].reasons[0].startswith("1 shared topic")


def test_stable_mode_gives_mentees_their_first_choice_when_possible():
    instance = Instance(
        mentees=[mentee("a"), mentee("b")],
        mentors=[mentor("x"), mentor("y")],
        preferences={
            "mentees": {"a": ["x", "y"], "b": ["x", "y"]},
            "mentors": {"x": ["b", "a"], "y": ["a", "b"]},
        },
    )
    result = solve(instance, mode="stable")
    assert pairs_of(result) == {("b", "x"), ("a", "y")}
    assert result.stats["first_choice"] == 1


# --- groups -------------------------------------------------------------------------------


def test_groups_mix_tiers_and_keep_managers_apart():
    tiers = ["new", "experienced", "veteran"]
    people = [
        Person(id=f"p{i}", tier=tiers[i % 3], years=i, manager="p0" if i in (1, 2, 3) else None)
        for i in range(12)
    ]
    result = form_groups(people, min_size=3, max_size=4, coaches=[Coach("c", capacity=4)])
    assert result.violations == []
    assert all(3 <= len(g) <= 4 for g in result.groups)
    assert result.stats["mean_tiers_per_group"] == 3
    assert set(result.coaches) == {"c"}


def test_groups_report_what_cannot_be_done():
    with pytest.raises(InstanceError, match="cannot make groups"):
        form_groups([Person(id="a"), Person(id="b")], min_size=3, max_size=5)


def test_peer_pairs_leave_nobody_out():
    result = peer_pairs([Person(id=f"p{i}") for i in range(7)])
    assert sorted(len(g) for g in result.groups) == [2, 2, 3]
    assert result.violations == []


# --- the command line ---------------------------------------------------------------------


def test_the_command_line_solves_the_documented_example(capsys):
    assert main(["solve", "docs/examples/small.json", "--mode", "optimal"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["stats"]["matched"] == 4
    assert all(p["reasons"] for p in out["pairs"])


def test_the_command_line_reads_and_writes_csv(tmp_path, capsys):
    people = tmp_path / "people.csv"
    people.write_text(
        "role,id,languages,topics,years,capacity\n"
        "mentee,a,English,negotiation:3,2,\n"
        "mentor,x,English;German,negotiation:3,15,2\n"
    )
    out = tmp_path / "result.csv"
    assert main(["solve", str(people), "-o", str(out)]) == 0
    assert out.read_text().splitlines()[1].startswith("a,x,")


def test_people_who_list_no_languages_are_unknown_not_in_conflict(tmp_path, capsys):
    """A spreadsheet of scores with no language column: every scored pair is allowed, locked
    pairs included, and the reasons carry codes."""
    path = tmp_path / "scores.json"
    path.write_text(
        json.dumps(
            {
                "mentees": [{"id": "a"}, {"id": "b"}],
                "mentors": [{"id": "x", "capacity": 1}, {"id": "y", "capacity": 1}],
                "scores": [["a", "x", 80], ["a", "y", 20], ["b", "x", 70], ["b", "y", 60]],
                "locked": [["b", "x"]],
            }
        )
    )
    assert main(["solve", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {(p["mentee"], p["mentor"]) for p in out["pairs"]} == {("b", "x"), ("a", "y")}
    for pair in out["pairs"]:
        assert pair["reason_codes"] and len(pair["reason_codes"]) == len(pair["reasons"])
    # The rule still holds when both list languages and share none.
    both = Prepared(
        Instance(
            mentees=[Person(id="e", languages=frozenset({"French"}))],
            mentors=[Person(id="m", languages=frozenset({"German"})), Person(id="n")],
        )
    )
    assert both.why_not(0, 0).code == "no_shared_language"
    assert both.why_not(0, 1) is None


@pytest.mark.parametrize(
    "content,message",
    [
        ("{not json", "not valid JSON"),
        ('{"mentees": [], "mentors": [{"id": "x", "capacity": -2}]}', "negative capacity"),
    ],
)
def test_the_command_line_stops_with_status_2_on_bad_input(tmp_path, capsys, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert main(["solve", str(path)]) == 2
    assert message in capsys.readouterr().err


# --- properties ---------------------------------------------------------------------------

LANGS = ["English", "German", "Welsh"]


@st.composite
def instances(draw, max_mentees: int = 6, max_mentors: int = 4):
    n_e = draw(st.integers(1, max_mentees))
    n_m = draw(st.integers(1, max_mentors))
    topics = ["a", "b", "c", "d"]

    def person(prefix: str, k: int, is_mentor: bool) -> Person:
        return Person(
            id=f"{prefix}{k}",
            languages=frozenset(draw(st.lists(st.sampled_from(LANGS), min_size=1, max_size=2))),
            topics={
                t: draw(st.integers(1, 3))
                for t in draw(st.lists(st.sampled_from(topics), max_size=3))
            },
            years=draw(st.integers(0, 25)),
            capacity=draw(st.integers(0, 3)) if is_mentor else 1,
            manager=draw(st.sampled_from([None, "e0", "m0", "boss"])),
        )

    mentees = [person("e", k, False) for k in range(n_e)]
    mentors = [person("m", k, True) for k in range(n_m)]
    mentees = [p if p.manager != p.id else Person(id=p.id, languages=p.languages) for p in mentees]
    mentors = [
        p if p.manager != p.id else Person(id=p.id, languages=p.languages, capacity=p.capacity)
        for p in mentors
    ]
    forbidden = draw(
        st.lists(
            st.tuples(
                st.sampled_from([p.id for p in mentees]), st.sampled_from([p.id for p in mentors])
            ),
            max_size=3,
        )
    )
    return Instance(mentees=mentees, mentors=mentors, forbidden=forbidden)


def brute_force(prepared: Prepared) -> tuple[int, float]:
    """Best (matched, total score) over every assignment: tiny instances only."""
    scores = np.vstack([b.total for b in prepared.blocks()])
    best = (0, 0.0)
    options = [
        [-1, *[j for j in range(prepared.n_mentors) if np.isfinite(scores[i, j])]]
        for i in range(prepared.n_mentees)
    ]
    for choice in itertools.product(*options):
        load = np.bincount([j for j in choice if j >= 0], minlength=prepared.n_mentors)
        if np.any(load > prepared.capacity):
            continue
        matched = sum(j >= 0 for j in choice)
        total = sum(scores[i, j] for i, j in enumerate(choice) if j >= 0)
        if (matched, round(total, 6)) > (best[0], round(best[1], 6)):
            best = (matched, total)
    return best


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(instances())
def test_optimal_respects_every_rule_and_equals_brute_force(instance):
    prepared = Prepared(instance)
    result = solve(prepared)
    load: dict[str, int] = {}
    for pair in result.pairs:
        i, j = prepared.mentee_index[pair.mentee], prepared.mentor_index[pair.mentor]
        assert prepared.why_not(i, j) is None
        load[pair.mentor] = load.get(pair.mentor, 0) + 1
    for m in instance.mentors:
        assert load.get(m.id, 0) <= m.capacity
    matched, total = brute_force(prepared)
    assert len(result.pairs) == matched
    assert result.total_score == pytest.approx(total, abs=1e-3)  # float32 scores


@SETTINGS
@given(instances(max_mentees=8, max_mentors=4))
def test_stable_has_no_blocking_pair(instance):
    prepared = Prepared(instance)
    result = solve(prepared, mode="stable")
    scores = np.vstack([b.total for b in prepared.blocks()])
    partner = {
        prepared.mentee_index[p.mentee]: prepared.mentor_index[p.mentor] for p in result.pairs
    }
    held: dict[int, list[int]] = {}
    for i, j in partner.items():
        held.setdefault(j, []).append(i)
        assert np.isfinite(scores[i, j])
    for i in range(prepared.n_mentees):
        for j in range(prepared.n_mentors):
            if not np.isfinite(scores[i, j]) or partner.get(i) == j:
                continue
            mentee_prefers = i not in partner or scores[i, j] > scores[i, partner[i]]
            if not mentee_prefers:
                continue
            others = held.get(j, [])
            # Ties are broken by the stable sort of mentee order, as in the solver.
            mentor_has_room = len(others) < prepared.capacity[j]
            mentor_prefers = any(
                scores[i, j] > scores[k, j] or (scores[i, j] == scores[k, j] and i < k)
                for k in others
            )
            assert not (mentor_has_room or mentor_prefers), (i, j)


@SETTINGS
@given(instances(max_mentees=6, max_mentors=3), st.data())
def test_locked_pairs_are_always_kept(instance, data):
    prepared = Prepared(instance)
    allowed = [
        (e.id, m.id)
        for i, e in enumerate(instance.mentees)
        for j, m in enumerate(instance.mentors)
        if prepared.why_not(i, j) is None and m.capacity > 0
    ]
    if not allowed:
        return
    lock = data.draw(st.sampled_from(allowed))
    instance.locked = [lock]
    result = solve(Instance(**{**instance.__dict__}))
    assert lock in pairs_of(result)


def test_stable_equals_the_matching_package():
    matching = pytest.importorskip("matching.games")
    rng = np.random.default_rng(7)
    for _ in range(5):
        n_e, n_m = 30, 8
        mentee_lists = [list(rng.permutation(n_m)) for _ in range(n_e)]
        mentor_lists = [list(rng.permutation(n_e)) for _ in range(n_m)]
        capacity = rng.integers(1, 4, n_m)
        rank = np.full((n_m, n_e), -1)
        for j, lst in enumerate(mentor_lists):
            rank[j, lst] = np.arange(n_e)
        ours = stable_core([[int(x) for x in lst] for lst in mentee_lists], rank, capacity)
        game = matching.HospitalResident.create_from_dictionaries(
            {f"r{i}": [f"h{j}" for j in lst] for i, lst in enumerate(mentee_lists)},
            {f"h{j}": [f"r{i}" for i in lst] for j, lst in enumerate(mentor_lists)},
            {f"h{j}": int(c) for j, c in enumerate(capacity)},
        )
        theirs = game.solve(optimal="resident")
        expected = {
            int(r.name[1:]): int(h.name[1:]) for h, residents in theirs.items() for r in residents
        }
        assert {i: int(j) for i, j in enumerate(ours) if j >= 0} == expected


def test_the_command_line_forms_the_documented_circles(capsys):
    assert main(["groups", "docs/examples/circles.json", "--min", "3", "--max", "5"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["violations"] == []
    assert sorted(len(g["members"]) for g in out["groups"]) == [4, 4]
    members = {g["coach"]: set(g["members"]) for g in out["groups"]}
    assert all(not {"ana", "ben"} <= group for group in members.values())


def test_the_command_line_recommends(capsys):
    assert main(["recommend", "docs/examples/small.json", "amira", "-n", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["mentor"] for p in out][:1] == ["tom"]
    assert "grace" not in [p["mentor"] for p in out]  # her line manager


def test_the_candidate_graph_for_large_programmes_keeps_the_rules_and_nearly_the_optimum():
    from mentorcraft.matching.engine.optimal import solve_optimal

    rng = np.random.default_rng(3)
    langs = [EN, EN, frozenset({"English", "German"}), frozenset({"German"})]
    topics = [f"t{k}" for k in range(12)]
    mentees = [
        Person(
            id=f"e{i}",
            languages=langs[int(rng.integers(0, 4))],
            topics={topics[int(t)]: 2 for t in rng.choice(12, 3, replace=False)},
            years=float(rng.integers(0, 8)),
            manager=f"m{int(rng.integers(0, 40))}" if rng.random() < 0.2 else None,
        )
        for i in range(400)
    ]
    mentors = [
        Person(
            id=f"m{j}",
            languages=langs[int(rng.integers(0, 4))],
            topics={topics[int(t)]: 3 for t in rng.choice(12, 4, replace=False)},
            years=float(rng.integers(8, 30)),
            capacity=int(rng.integers(0, 4)),
        )
        for j in range(120)
    ]
    prepared = Prepared(Instance(mentees=mentees, mentors=mentors))
    exact = solve_optimal(prepared, exact=True)
    pruned = solve_optimal(prepared, exact=False)
    assert not pruned.stats["all_pairs_considered"]
    load: dict[str, int] = {}
    for pair in pruned.pairs:
        i, j = prepared.mentee_index[pair.mentee], prepared.mentor_index[pair.mentor]
        assert prepared.why_not(i, j) is None
        load[pair.mentor] = load.get(pair.mentor, 0) + 1
    assert all(load.get(m.id, 0) <= m.capacity for m in mentors)
    assert len(pruned.pairs) == len(exact.pairs)
    assert pruned.total_score >= 0.99 * exact.total_score
