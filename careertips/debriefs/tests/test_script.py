from careertips.debriefs.script import build_call_plan, call_plan_for
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.tests.helpers import make_contact


def _plan(**kw):
    names = {
        "member_name": "Alice Moreno",
        "contact_name": "Dana Whitfield",
        "role": "Operations Manager",
        "employer": "Acme Analytics",
    }
    return build_call_plan(**{**names, **kw})


def test_it_fills_in_the_names():
    plan = _plan()
    assert plan.opening.startswith("Hi Dana, this is Alice Moreno.")
    assert "Operations Manager role at Acme Analytics" in plan.opening
    assert "Dana" in plan.purpose[0]
    assert "Acme Analytics" in plan.purpose[1]
    assert "Thank you, Dana." in plan.closing
    assert plan.voicemail.startswith("Hi Dana, this is Alice Moreno, about the Operations Manager")


def test_it_states_the_purpose_the_impression_and_no_downside():
    text = " ".join(_plan().purpose)
    assert "impression you leave" in text
    assert "bonus" in text
    assert "cannot be turned down twice" in text


def test_it_lays_down_the_rules_of_the_call():
    rules = " ".join(f"{r.title} {r.text}" for r in _plan().rules)
    assert "Come to learn." in rules
    assert "No explaining, no defending." in rules
    assert "Never argue with it or try to reverse it" in rules
    assert "Thank them sincerely." in rules


def test_it_asks_four_to_six_questions():
    questions = _plan().questions
    assert 4 <= len(questions) <= 6
    assert "What would have made my candidacy stronger?" in questions[0].replace(
        "Looking back, w", "W"
    )
    assert any("raised doubts" in q for q in questions)
    assert any("Acme Analytics" in q for q in questions)


def test_it_reads_well_without_a_contact_name():
    plan = _plan(contact_name="")
    assert plan.opening.startswith("Hello, this is Alice Moreno.")
    assert "the hiring manager" in plan.purpose[0]
    assert "Thank you." in plan.closing
    assert "Thank you, ." not in plan.closing


def test_it_builds_the_plan_for_a_debrief(alice):
    contact = make_contact(owner=alice, name="Priya Natarajan")
    debrief = make_debrief(owner=alice, contact=contact)
    plan = call_plan_for(debrief)
    assert plan.opening.startswith("Hi Priya, this is Alice Moreno.")
    assert "Operations Manager role at Acme Analytics" in plan.opening
