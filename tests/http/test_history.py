"""test_history.py — who sees a log's history (cgi-bin/history.c,
/logg/ID/historikk) and edits the log: only the holder; a guardian who reads
the log is offered neither and is refused both (the basic data, a concern,
the history), each refusal audited; staff of another unit get the same
answer as for a log that does not exist. The history tells each change as
a sentence in the reader's language, with the names of the people and
things in it and the time in Oslo (test_the_history_tells_each_change_in_
the_readers_words); what it keeps of each change is checked where the
changes are made too (test_log_edit.py, test_concern.py, test_log_state.py)."""
import re
from urllib.parse import urlencode

from harness import login
from log_helpers import (add_goal, add_measure, as_person, audit_count, basic, create_log, fixture_log, fresh,
                         history, login_holder, make_active, one, version_in)


def test_only_the_holder_edits_and_sees_the_history(c, stack):
    login_holder(c, stack)
    log_id, f = create_log(c, stack)
    make_active(stack, log_id)
    v = version_in(c.get("/logg/%d/rediger" % log_id).text, "/logg/%d/rediger" % log_id)
    # A guardian reads the log, but neither edits nor sees the history.
    guardian = fresh(c)
    login(guardian, stack, f["g1_nin"])
    view = guardian.get("/logg/%d" % log_id)
    assert view.status == 200, view
    assert 'href="/logg/%d/rediger"' % log_id not in view.text
    assert 'href="/logg/%d/historikk"' % log_id not in view.text
    gid = int(one(stack, "SELECT person_id FROM log_guardian WHERE log_id = %d ORDER BY id LIMIT 1" % log_id))
    denials = audit_count(stack, "log_id = %d AND person_id = %d AND outcome = 'deny'" % (log_id, gid))
    assert guardian.get("/logg/%d/rediger" % log_id).status == 403
    assert guardian.post("/logg/%d/rediger" % log_id, basic(v, "1", "x")).status == 403
    assert guardian.post("/logg/%d/rediger/bekymring" % log_id, urlencode({"title": "x"})).status == 403
    assert guardian.get("/logg/%d/historikk" % log_id).status == 403
    assert audit_count(stack, "log_id = %d AND person_id = %d AND outcome = 'deny'" % (log_id, gid)) \
        == denials + 4
    # Staff of another unit: the same answer as for a log that does not exist.
    other = fresh(c)
    login(other, stack, stack.pid("Hanne", "Lien"))
    a = other.get("/logg/%d/rediger" % log_id)
    b = other.get("/logg/999999999/rediger")
    assert a.status == b.status == 403
    def same(text):  # without the request id and the page's own path
        return re.sub(r"/logg/\d+/", "/logg/N/", re.sub(r"<code>[0-9a-f]{32}</code>", "", text))
    assert same(a.text) == same(b.text), "a refusal tells nothing of whether the log exists"
    assert one(stack, "SELECT basic_info IS NULL FROM log WHERE id = %d" % log_id) == "1"


def test_the_history_tells_each_change_in_the_readers_words(c, stack):
    f = fixture_log(stack)
    marte = as_person(c, stack, "Marte", "Haugland")
    goal = add_goal(marte, f, text="Emma bruker flere ord")
    measure = add_measure(marte, f, goal, f.nils, f.ppt, description="Språkgruppe")
    nils = as_person(c, stack, "Nils", "Dahle")
    r = nils.post("/logg/%d/tiltak/%d/evaluering" % (f.log, measure),
                  urlencode({"category": "partly", "text": "Bedre"}))
    assert r.status == 303, r
    v = version_in(marte.get("/logg/%d/rediger" % f.log).text, "/logg/%d/rediger" % f.log)
    r = marte.post("/logg/%d/rediger" % f.log, basic(v, "3", "Bor med mor <b>og</b> far.", ""))
    assert r.status == 303, r
    # A change of state and a guardian's request, as lib/logbook.c records
    # them, at moments whose Oslo time is known: 22:30 UTC on 1 July is
    # half past midnight on 2 July in Oslo (summer time, UTC+2).
    request = int(one(stack, "INSERT INTO state_request (municipality_id, log_id, person_id, wanted)"
                             " VALUES (%d, %d, %d, 'closed') RETURNING id" % (f.muni, f.log, f.kari)))
    stack.sql("INSERT INTO log_history (municipality_id, log_id, person_id, at, entity, entity_id, field,"
              " old_value, new_value) VALUES"
              " (%d, %d, %d, '2026-07-01 22:30:00', 'log', %d, 'state', 'active', 'passive'),"
              " (%d, %d, %d, '2026-07-02 06:00:00', 'state_request', %d, 'wanted', NULL, 'closed'),"
              " (%d, %d, %d, '2026-07-02 07:15:00', 'state_request', %d, 'handled', NULL, 'declined')"
              % (f.muni, f.log, f.holder, f.log, f.muni, f.log, f.kari, request, f.muni, f.log, f.holder,
                 request))
    page = marte.get("/logg/%d/historikk" % f.log)
    assert page.status == 200, page
    entries = history(page.text)
    said = {what: (when, details, before, after) for when, what, details, before, after in entries}
    concern = f.concern_title
    # The issue's own example, and each kind of change, in Bokmål.
    assert "Nils Dahle evaluerte tiltaket «Språkgruppe» som delvis nådd" in said, entries
    assert said["Marte Haugland gjorde loggen passiv"][0] == "2. juli 2026 kl. 00.30", entries
    assert said["Kari Fjelltun ba om at loggen skal være avsluttet"][0] == "2. juli 2026 kl. 08.00", entries
    assert "Marte Haugland avslo forespørselen fra Kari Fjelltun om at loggen skal være avsluttet" in said
    assert "Marte Haugland la til målet «Emma bruker flere ord» under bekymringen «%s»" % concern in said
    assert "Marte Haugland la til Nils Dahle, PPT Fjordvik som aktør i loggen" in said, entries
    assert said["Marte Haugland la til tiltaket «Språkgruppe»"][1] == [
        ("Ansvarlig", "Nils Dahle"), ("Start", "5. januar 2026"), ("Frist", "19. juni 2026"),
        ("Evalueringsdato", "2. mars 2026"), ("Status", "Pågår")], entries
    assert "Marte Haugland endret BTI-nivået fra 2 til 3" in said, entries
    assert said["Marte Haugland skrev grunnopplysningene"][3] == "Bor med mor <b>og</b> far.", entries
    assert "&lt;b&gt;og&lt;/b&gt;" in page.text and "<b>og</b>" not in page.text
    # Newest first; the times are Oslo's.
    assert [w for _, w, _, _, _ in entries].index("Marte Haugland endret BTI-nivået fra 2 til 3") < \
        [w for _, w, _, _, _ in entries].index("Marte Haugland la til tiltaket «Språkgruppe»")
    assert all(re.fullmatch(r"\d{1,2}\. \w+ \d{4} kl\. \d\d\.\d\d", w) for w, _, _, _, _ in entries), entries
    # Never a table's or a field's name, a stored code or UTC.
    text = re.sub(r"<[^>]+>", " ", page.text)
    for code in ("measure", "evaluation", "partly", "state_request", "declined", "bti_level", "basic_info",
                 "UTC", "{who}", "→"):
        assert code not in text, code
    # Nynorsk, and English.
    marte.cookies["lang"] = "nn"
    said = {w for _, w, _, _, _ in history(marte.get("/logg/%d/historikk" % f.log).text)}
    assert "Nils Dahle evaluerte tiltaket «Språkgruppe» som delvis nådd" in said, said
    assert "Marte Haugland gjorde loggen passiv" in said, said
    assert "Marte Haugland la til målet «Emma bruker flere ord» under uroa «%s»" % concern in said, said
    assert "Marte Haugland endra BTI-nivået frå 2 til 3" in said, said
    assert "Kari Fjelltun bad om at loggen skal vere avslutta" in said, said
    marte.cookies["lang"] = "en"
    page = marte.get("/logg/%d/historikk" % f.log).text
    said = {w: t for t, w, _, _, _ in history(page)}
    assert "Nils Dahle evaluated the measure “Språkgruppe” as partly achieved" in said, said
    assert said["Marte Haugland made the log passive"] == "2 July 2026 at 00:30", said
