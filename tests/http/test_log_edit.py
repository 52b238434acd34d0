"""test_log_edit.py — a log's basic data (cgi-bin/log_edit.c,
/logg/ID/rediger): BTI level and the child's voice saved and shown escaped
(hostile strings stored verbatim), with those changes in the history in
words; conflicting saves from two clients (409 with both versions,
the typed text kept); every read and write audited. The concerns are
test_concern.py; who may edit and see the history, test_history.py."""
import html
import re

from log_helpers import (HOLDER, audit_count, basic, create_log, demo_person, fresh, hexed, history,
                         login_holder, make_active, one, textarea, version_in)


HOSTILE = '"><script>alert(1)</script> O\'Hara æøå 😀'


def test_the_holder_edits_basic_data_and_sees_it_escaped(c, stack):
    login_holder(c, stack)
    log_id, _ = create_log(c, stack)
    make_active(stack, log_id)
    holder = demo_person(stack, *HOLDER)
    reads = audit_count(stack, "action = 'log.edit.read' AND log_id = %d AND outcome = 'allow'" % log_id)
    page = c.get("/logg/%d/rediger" % log_id)
    assert page.status == 200, page
    assert audit_count(stack, "action = 'log.edit.read' AND log_id = %d AND outcome = 'allow'" % log_id) \
        == reads + 1
    # The BTI levels with their meaning as help.
    assert "Nivå 2: samarbeid mellom to eller flere tjenester" in page.text
    v = version_in(page.text, "/logg/%d/rediger" % log_id)
    r = c.post("/logg/%d/rediger" % log_id, basic(v, "2", HOSTILE, "Jeg liker å tegne.\nOg å hoppe!"))
    assert r.status == 303 and r.header("location") == "/logg/%d?lagret=grunndata" % log_id, r
    assert audit_count(stack, "action = 'log.update' AND log_id = %d AND person_id = %d AND outcome = 'allow'"
                       % (log_id, holder)) == 1
    assert hexed(stack, "SELECT basic_info FROM log WHERE id = %d" % log_id) == HOSTILE
    assert one(stack, "SELECT CONCAT(bti_level, ' ', version) FROM log WHERE id = %d" % log_id) \
        == "2 %d" % (int(v) + 1)
    view = c.get("/logg/%d" % log_id)
    assert "<script>alert(1)" not in view.text
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Hara æøå 😀" in view.text
    assert "Jeg liker å tegne." in view.text and "Nivå 2" in view.text
    assert 'href="/logg/%d/rediger"' % log_id in view.text and 'href="/logg/%d/historikk"' % log_id in view.text
    # Level 0 is a level, not "none"; an empty choice is "not assessed".
    v = version_in(c.get("/logg/%d/rediger" % log_id).text, "/logg/%d/rediger" % log_id)
    assert c.post("/logg/%d/rediger" % log_id, basic(v, "0", HOSTILE)).status == 303
    assert one(stack, "SELECT bti_level FROM log WHERE id = %d" % log_id) == "0"
    v = version_in(c.get("/logg/%d/rediger" % log_id).text, "/logg/%d/rediger" % log_id)
    assert c.post("/logg/%d/rediger" % log_id, basic(v, "", HOSTILE)).status == 303
    assert one(stack, "SELECT bti_level IS NULL FROM log WHERE id = %d" % log_id) == "1"
    # The history: each change in words, the text before and after it escaped.
    hist = c.get("/logg/%d/historikk" % log_id)
    assert hist.status == 200, hist
    assert audit_count(stack, "action = 'log.history' AND log_id = %d AND outcome = 'allow'" % log_id) == 1
    assert "<script>alert(1)" not in hist.text
    said = {what: (before, after) for _, what, _, before, after in history(hist.text)}
    assert "Marte Haugland endret BTI-nivået fra 0 til ikke vurdert" in said, said
    assert "Marte Haugland endret BTI-nivået fra 2 til 0" in said, said
    assert said["Marte Haugland skrev grunnopplysningene"] == (None, HOSTILE), said
    assert "Marte Haugland opprettet loggen som utkast" in said, said


def test_a_stale_save_answers_409_and_keeps_what_was_typed(c, stack):
    login_holder(c, stack)
    log_id, _ = create_log(c, stack)
    make_active(stack, log_id)
    other = login_holder(fresh(c), stack)
    v1 = version_in(c.get("/logg/%d/rediger" % log_id).text, "/logg/%d/rediger" % log_id)
    v2 = version_in(other.get("/logg/%d/rediger" % log_id).text, "/logg/%d/rediger" % log_id)
    assert v1 == v2
    first, second = "Først: mor ønsker tett kontakt.", "Andre: far ønsker <b>ukentlige</b> møter."
    assert c.post("/logg/%d/rediger" % log_id, basic(v1, "1", first, "Stemme A")).status == 303
    r = other.post("/logg/%d/rediger" % log_id, basic(v2, "3", second, "Stemme B"))
    assert r.status == 409, r
    # The other person's values beside this user's typed text, both escaped.
    conflict = re.search(r'<div class="[^"]*notice warning"[^>]* id="basic-conflict">(.*?)</div>', r.text, re.S)
    assert conflict and html.escape(first, quote=False) in conflict.group(1) and "Stemme A" in conflict.group(1)
    assert "Nivå 1" in conflict.group(1)
    assert textarea(r.text, "basic_info") == second and textarea(r.text, "child_voice") == "Stemme B"
    assert "&lt;b&gt;ukentlige&lt;/b&gt;" in r.text and "<b>ukentlige</b>" not in r.text
    assert re.search(r'id="bti-3"[^>]*checked', r.text)
    assert hexed(stack, "SELECT basic_info FROM log WHERE id = %d" % log_id) == first
    # The page offers the current version: saving again is a deliberate overwrite.
    v3 = version_in(r.text, "/logg/%d/rediger" % log_id)
    assert int(v3) == int(v1) + 1
    assert other.post("/logg/%d/rediger" % log_id, basic(v3, "3", second, "Stemme B")).status == 303
    assert hexed(stack, "SELECT basic_info FROM log WHERE id = %d" % log_id) == second
