"""test_goal.py — goals (cgi-bin/goal.c, /logg/ID/mal and /logg/ID/mal/GID):
an over-long goal is a field message that keeps what was typed, and hostile
text in a goal, a measure and an evaluation is stored verbatim and shown
escaped; a guardian of another child is refused every write of the plan
(goals, measures, evaluations) and every page of it, each refusal audited.
Fresh logs from log_helpers.fixture_log (see there)."""
import re
from urllib.parse import urlencode

from harness import login
from log_helpers import (HOSTILE, add_goal, add_measure, as_person, audit_count, esc, field_error, fixture_log,
                         measure_form, one, stored)


def test_over_long_text_is_a_field_message_and_hostile_text_comes_back_verbatim(c, stack):
    f = fixture_log(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    long_goal = "å" * 2001
    r = c.post("/logg/%d/mal" % f.log, urlencode({"concern_id": f.concern, "text": long_goal}))
    assert r.status == 422, r
    assert field_error(r.text, "text") == "Bruk høyst 2000 tegn.", r.text
    assert ">%s</textarea>" % long_goal in r.text
    assert re.search(r'id="text"[^>]*aria-invalid="true"', r.text)
    assert one(stack, "SELECT COUNT(*) FROM goal WHERE log_id = %d" % f.log) == "0"
    goal = add_goal(c, f, text=HOSTILE)
    r = c.post("/logg/%d/mal/%d/tiltak" % (f.log, goal),
               measure_form(f, f.live, f.health, description="x" * 2001, deadline="2025-01-01"))
    assert r.status == 422, r
    assert field_error(r.text, "description") == "Bruk høyst 2000 tegn."
    assert field_error(r.text, "deadline"), r.text  # before the start
    assert re.search(r'<option value="%d-%d" selected>' % (f.live, f.health), r.text)
    m = add_measure(c, f, goal, f.live, f.health, description=HOSTILE)
    assert stored(stack, "text", "goal", goal) == HOSTILE
    assert stored(stack, "description", "measure", m) == HOSTILE
    page = c.get("/logg/%d" % f.log).text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "😀 æøå ÆØÅ" in page
    assert esc(HOSTILE) in page
    r = c.post("/logg/%d/tiltak/%d/evaluering" % (f.log, m),
               urlencode({"category": "achieved", "text": "e" * 501}))
    assert r.status == 422 and field_error(r.text, "eval-text") == "Bruk høyst 500 tegn.", r
    assert ">%s</textarea>" % ("e" * 501) in r.text
    r = c.post("/logg/%d/tiltak/%d/evaluering" % (f.log, m), urlencode({"category": "achieved",
                                                                      "text": HOSTILE}))
    assert r.status == 303
    ev = int(one(stack, "SELECT MAX(id) FROM evaluation WHERE measure_id = %d" % m))
    assert stored(stack, "text", "evaluation", ev) == HOSTILE
    page = c.get("/logg/%d/tiltak/%d" % (f.log, m)).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_guardian_of_another_child_is_refused_every_write(c, stack):
    f = fixture_log(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    goal = add_goal(c, f)
    m = add_measure(c, f, goal, f.live, f.health)
    siri = as_person(c, stack, "Siri", "Bergli")
    before = audit_count(stack, "log_id = %d AND outcome = 'deny'" % f.log)
    posts = [
        ("/logg/%d/mal" % f.log, urlencode({"concern_id": f.concern, "text": "x"})),
        ("/logg/%d/mal/%d" % (f.log, goal), urlencode({"text": "x", "version": 1})),
        ("/logg/%d/mal/%d/tiltak" % (f.log, goal), measure_form(f, f.live, f.health)),
        ("/logg/%d/tiltak/%d" % (f.log, m), measure_form(f, f.live, f.health, version=1)),
        ("/logg/%d/tiltak/%d/evaluering" % (f.log, m), urlencode({"category": "achieved"})),
    ]
    for path, body in posts:
        r = siri.post(path, body)
        assert r.status == 403, (path, r)
        assert f.child_name not in r.text
    for path in ("/logg/%d/mal" % f.log, "/logg/%d/mal/%d" % (f.log, goal), "/logg/%d/tiltak/%d" % (f.log, m)):
        assert siri.get(path).status == 403, path
    assert audit_count(stack, "log_id = %d AND outcome = 'deny'" % f.log) == before + len(posts) + 3
    assert one(stack, "SELECT COUNT(*) FROM goal WHERE log_id = %d" % f.log) == "1"
    assert one(stack, "SELECT COUNT(*) FROM evaluation WHERE log_id = %d" % f.log) == "0"
