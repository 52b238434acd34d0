"""test_evaluation.py — evaluations (cgi-bin/evaluation.c,
/logg/ID/tiltak/MID/evaluering): the responsible actor evaluates their own
measure and no other, the latest evaluation shows on the log page, an actor
neither adds goals nor edits measures, a guardian reads a measure but
evaluates nothing, the holder evaluates any; every request is audited.
Fresh logs from log_helpers.fixture_log (see there)."""
from urllib.parse import urlencode

from harness import login
from log_helpers import add_goal, add_measure, as_person, audit_count, fixture_log, measure_form, one


def test_the_responsible_actor_evaluates_their_own_measure_and_no_other(c, stack):
    f = fixture_log(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    goal = add_goal(c, f)
    mine = add_measure(c, f, goal, f.live, f.health, description="Helsesamtale")
    other = add_measure(c, f, goal, f.nils, f.ppt, description="Kartlegging")
    live = as_person(c, stack, "Live", "Mo")
    r = live.get("/logg/%d/tiltak/%d" % (f.log, mine))
    assert r.status == 200 and 'action="/logg/%d/tiltak/%d/evaluering"' % (f.log, mine) in r.text, r
    assert 'action="/logg/%d/tiltak/%d"' % (f.log, mine) not in r.text  # no edit form
    assert audit_count(stack, "log_id = %d AND action = 'log.measure' AND outcome = 'allow'"
                       " AND person_id = %d" % (f.log, f.live)) == 1
    r = live.post("/logg/%d/tiltak/%d/evaluering" % (f.log, mine),
                  urlencode({"category": "partly", "text": "Bedre, men ikke i mål"}))
    assert r.status == 303, r
    assert one(stack, "SELECT CONCAT_WS('|', category, text, by_person_id) FROM evaluation"
               " WHERE measure_id = %d" % mine) == "partly|Bedre, men ikke i mål|%d" % f.live
    assert audit_count(stack, "log_id = %d AND action = 'measure.evaluate' AND outcome = 'allow'"
                       " AND person_id = %d" % (f.log, f.live)) == 1
    # The latest evaluation is on the log page.
    page = live.get("/logg/%d" % f.log).text
    item = page[page.index('id="tiltak-%d"' % mine):]
    assert "Delvis nådd" in item[:item.index("</li>")] and "Bedre, men ikke i mål" in item[:item.index("</li>")]
    # Not another's measure: 403, nothing written, the denial kept.
    r = live.get("/logg/%d/tiltak/%d" % (f.log, other))
    assert r.status == 200 and "/evaluering" not in r.text
    denials = audit_count(stack, "log_id = %d AND action = 'measure.evaluate' AND outcome = 'deny'" % f.log)
    r = live.post("/logg/%d/tiltak/%d/evaluering" % (f.log, other), urlencode({"category": "achieved"}))
    assert r.status == 403, r
    assert one(stack, "SELECT COUNT(*) FROM evaluation WHERE measure_id = %d" % other) == "0"
    assert audit_count(stack, "log_id = %d AND action = 'measure.evaluate' AND outcome = 'deny'"
                       % f.log) == denials + 1
    assert audit_count(stack, "log_id = %d AND action = 'measure.evaluate' AND outcome = 'allow'"
                       " AND person_id = %d" % (f.log, f.live)) == 1
    # An actor neither adds goals nor edits measures.
    assert live.post("/logg/%d/mal" % f.log, urlencode({"concern_id": f.concern, "text": "x"})).status == 403
    assert live.post("/logg/%d/tiltak/%d" % (f.log, mine),
                     measure_form(f, f.live, f.health, version=1)).status == 403
    # A guardian reads the measure but evaluates nothing.
    kari = as_person(c, stack, "Kari", "Fjelltun")
    r = kari.get("/logg/%d/tiltak/%d" % (f.log, mine))
    assert r.status == 200 and "/evaluering" not in r.text and "Helsesamtale" in r.text
    assert kari.post("/logg/%d/tiltak/%d/evaluering" % (f.log, mine),
                     urlencode({"category": "achieved"})).status == 403
    # The holder evaluates any measure.
    r = c.post("/logg/%d/tiltak/%d/evaluering" % (f.log, other), urlencode({"category": "ended"}))
    assert r.status == 303, r
    assert one(stack, "SELECT category FROM evaluation WHERE measure_id = %d" % other) == "ended"
