"""test_note.py — notes and glimpses of light (cgi-bin/note.c, lib/note.c):
a guardian writes a note and a glimpse of light, the log page lists them
newest first with the glimpse marked in words (not colour alone), over-long
and hostile text, a concern of another log, a guardian of another child, and
the audit rows. Fresh logs from log_helpers.fixture_log (see there)."""
import re
from urllib.parse import urlencode

from harness import login
from log_helpers import HOSTILE, as_person, audit_count, esc, field_error, fixture_log, one, stored


def note_id(r, log):
    assert r.status == 303, (r, r.text[:2000])
    m = re.fullmatch(r"/logg/%d\?lagret=(?:notat|lysglimt)#notat-(\d+)" % log, r.header("location"))
    assert m, r.header("location")
    return int(m.group(1))


def test_a_guardian_writes_a_note_and_a_glimpse_of_light(c, stack):
    f = fixture_log(stack)
    login(c, stack, stack.pid("Kari", "Fjelltun"))
    page = c.get("/logg/%d" % f.log)
    assert page.status == 200 and 'action="/logg/%d/notat"' % f.log in page.text, page
    assert "Ingen notater ennå." in page.text
    before = audit_count(stack, "log_id = %d AND action = 'note.add' AND outcome = 'allow'" % f.log)
    n1 = note_id(c.post("/logg/%d/notat" % f.log, urlencode({"text": "Hun sov dårlig i natt"})), f.log)
    n2 = note_id(c.post("/logg/%d/notat" % f.log, urlencode({"text": "Hun sa sitt første ord på skolen!",
                                                            "concern_id": f.concern, "glimpse": "1"})),
                 f.log)
    assert audit_count(stack, "log_id = %d AND action = 'note.add' AND outcome = 'allow'" % f.log) == before + 2
    assert one(stack, "SELECT CONCAT_WS('|', author_person_id, glimpse, IFNULL(concern_id, '-')) FROM note"
               " WHERE id = %d" % n1) == "%d|0|-" % f.kari
    assert one(stack, "SELECT CONCAT_WS('|', author_person_id, glimpse, concern_id) FROM note"
               " WHERE id = %d" % n2) == "%d|1|%d" % (f.kari, f.concern)
    # The audit rows hold no note text.
    assert one(stack, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%første ord%'") == "0"
    # Newest first; the glimpse says so in words, beside its marker.
    page = c.get("/logg/%d" % f.log).text
    assert page.index('id="notat-%d"' % n2) < page.index('id="notat-%d"' % n1)
    glimpse = page[page.index('id="notat-%d"' % n2):]
    glimpse = glimpse[:glimpse.index("</li>")]
    assert 'class="note glimpse"' in page and "Lysglimt" in glimpse and f.concern_title in glimpse, glimpse
    assert "Kari Fjelltun" in glimpse
    plain = page[page.index('id="notat-%d"' % n1):]
    assert "Lysglimt" not in plain[:plain.index("</li>")]
    # The holder and an actor see it too; the actor may write one.
    login(c, stack, stack.pid("Marte", "Haugland"))
    assert "Hun sa sitt første ord på skolen!" in c.get("/logg/%d" % f.log).text
    stack.sql("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id) VALUES (%d, %d, %d, %d)"
              % (f.muni, f.log, f.live, f.health))
    live = as_person(c, stack, "Live", "Mo")
    note_id(live.post("/logg/%d/notat" % f.log, urlencode({"text": "Fin time i dag", "glimpse": "1"})), f.log)


def test_an_over_long_note_comes_back_with_a_message_and_hostile_text_is_kept_verbatim(c, stack):
    f = fixture_log(stack)
    login(c, stack, stack.pid("Kari", "Fjelltun"))
    long_text = "ø" * 501
    r = c.post("/logg/%d/notat" % f.log, urlencode({"text": long_text, "glimpse": "1",
                                                   "concern_id": f.concern}))
    assert r.status == 422, r
    assert field_error(r.text, "note-text") == "Bruk høyst 500 tegn.", r.text
    assert ">%s</textarea>" % long_text in r.text
    assert re.search(r'id="note-text"[^>]*aria-invalid="true"', r.text)
    assert re.search(r'name="glimpse" value="1" checked', r.text)
    assert re.search(r'<option value="%d" selected>' % f.concern, r.text)
    assert one(stack, "SELECT COUNT(*) FROM note WHERE log_id = %d" % f.log) == "0"
    r = c.post("/logg/%d/notat" % f.log, urlencode({"text": "", "glimpse": "1"}))
    assert r.status == 422 and field_error(r.text, "note-text") == "Skriv notatet."
    n = note_id(c.post("/logg/%d/notat" % f.log, urlencode({"text": HOSTILE})), f.log)
    assert stored(stack, "text", "note", n) == HOSTILE
    page = c.get("/logg/%d" % f.log).text
    assert "<script>alert(1)" not in page and esc(HOSTILE) in page


def test_a_concern_of_another_log_is_refused_at_the_field(c, stack):
    f = fixture_log(stack)
    g = fixture_log(stack)
    login(c, stack, stack.pid("Kari", "Fjelltun"))
    r = c.post("/logg/%d/notat" % f.log, urlencode({"text": "Om noe annet", "concern_id": g.concern}))
    assert r.status == 422, r
    assert field_error(r.text, "note-concern") == "Velg en av bekymringene i loggen.", r.text
    assert ">Om noe annet</textarea>" in r.text and g.concern_title not in r.text
    assert one(stack, "SELECT COUNT(*) FROM note WHERE log_id IN (%d, %d)" % (f.log, g.log)) == "0"
    # A field the form does not have: refused.
    assert c.post("/logg/%d/notat" % f.log, urlencode({"text": "x", "author_person_id": 1})).status == 400


def test_a_guardian_of_another_child_cannot_write_a_note(c, stack):
    f = fixture_log(stack)
    login(c, stack, stack.pid("Siri", "Bergli"))
    denials = audit_count(stack, "log_id = %d AND action = 'note.add' AND outcome = 'deny'" % f.log)
    r = c.post("/logg/%d/notat" % f.log, urlencode({"text": "Hei", "glimpse": "1"}))
    assert r.status == 403 and f.child_name not in r.text, r
    assert c.get("/logg/%d/notat" % f.log).status == 403
    assert audit_count(stack, "log_id = %d AND action = 'note.add' AND outcome = 'deny'" % f.log) == denials + 1
    assert one(stack, "SELECT COUNT(*) FROM note WHERE log_id = %d" % f.log) == "0"
    # A closed log: nobody adds entries, not even its own guardian.
    stack.sql("UPDATE log SET state = 'closed' WHERE id = %d" % f.log)
    kari = as_person(c, stack, "Kari", "Fjelltun")
    assert kari.post("/logg/%d/notat" % f.log, urlencode({"text": "Hei"})).status == 403
    page = kari.get("/logg/%d" % f.log)
    assert page.status == 200 and 'action="/logg/%d/notat"' % f.log not in page.text


def test_five_posts_of_the_same_form_make_one_note(c, stack):
    """SECURITY.md R6: the page's single-use token makes a double (or
    fivefold) submit one note; every answer goes to that note."""
    f = fixture_log(stack)
    login(c, stack, stack.pid("Kari", "Fjelltun"))
    page = c.get("/logg/%d/notat" % f.log).text
    once = re.search(r'name="_once" value="([^"]+)"', page)
    assert once, "the note form has no single-use token"
    body = urlencode({"text": "Bare én gang", "_once": once.group(1)})
    answers = [c.post("/logg/%d/notat" % f.log, body) for _ in range(5)]
    assert {a.status for a in answers} == {303}, answers
    assert len({a.header("location") for a in answers}) == 1
    assert one(stack, "SELECT COUNT(*) FROM note WHERE log_id = %d" % f.log) == "1"
    # One row of the note added; each repeat is recorded as what it was.
    added = "log_id = %d AND action = 'note.add' AND outcome = 'allow'" % f.log
    assert audit_count(stack, added + " AND detail IS NULL") == 1
    assert audit_count(stack, added + " AND detail = 'repeated'") == 4
