"""test_log_view.py — one log (cgi-bin/log_view.c): the log page
(/logg/ID) read by a guardian and audited as log.read, and who has read it
(/logg/ID/innsyn); others refused without learning whether a log exists,
leaders and the administrator included. The log in plain words
(/logg/ID/enkel, templates/log_plain.html): a guardian reads the same log
as the log page shows, in everyday words (what is done, by whom, how it
went, the consent and what they may do), in Bokmål or Nynorsk, with hostile
text escaped; every read is audited as log.plain; whoever may not read the
log is refused exactly as on the log page. Fresh logs from
log_helpers.fixture_log, and the demo's log of Emma Fjelltun."""
import re
from urllib.parse import urlencode

from harness import login
from log_helpers import add_goal, add_measure, as_person, audit_count, fixture_log, fresh

HOSTILE = '"><img src=x onerror=alert(1)>'


def section(page, heading_id):
    m = re.search(r'<section aria-labelledby="%s">(.*?)</section>' % heading_id, page, re.S)
    assert m, "no section %s" % heading_id
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(1))).strip()


def log_id_of(stack, given, family):
    return int(stack.sql("SELECT l.id FROM log l JOIN person p ON p.id = l.subject_person_id "
                         "WHERE p.given_name = '%s' AND p.family_name = '%s'" % (given, family)).strip())


def test_guardian_reads_the_log_and_sees_who_read_it(c, stack):
    log = log_id_of(stack, "Emma", "Fjelltun")
    before = audit_count(stack, "log_id = %d AND action = 'log.read' AND outcome = 'allow'" % log)
    login(c, stack, stack.pid("Kari", "Fjelltun"))
    r = c.get("/logg/%d" % log)
    assert r.status == 200, r
    assert "Emma Fjelltun" in r.text and "Marte Haugland" in r.text, r.text
    assert audit_count(stack, "log_id = %d AND action = 'log.read' AND outcome = 'allow'" % log) == before + 1
    r = c.get("/logg/%d/innsyn" % log)
    assert r.status == 200, r
    assert "Kari Fjelltun" in r.text and "Foresatt" in r.text, r.text


def test_others_are_refused_without_learning_whether_a_log_exists(c, stack):
    emma = log_id_of(stack, "Emma", "Fjelltun")
    login(c, stack, stack.pid("Siri", "Bergli"))  # guardian of another child
    denied = audit_count(stack, "action = 'log.read' AND outcome = 'deny'")
    r1 = c.get("/logg/%d" % emma)
    r2 = c.get("/logg/999999999")
    assert r1.status == 403 and r2.status == 403, (r1, r2)
    # Apart from the request id and the path itself, the two pages are the same.
    strip = lambda t, i: re.sub(r"<code>[0-9a-f]{32}</code>", "", t).replace("/logg/%d" % i, "")  # noqa: E731
    assert strip(r1.text, emma) == strip(r2.text, 999999999)
    assert "Emma" not in r1.text
    assert audit_count(stack, "action = 'log.read' AND outcome = 'deny'") == denied + 2
    # A leader sees the flow of the unit, never a log's contents.
    leader = fresh(c)
    login(leader, stack, stack.pid("Torbjørn", "Vik"))
    assert leader.get("/logg/%d" % emma).status == 403
    admin = fresh(c)
    login(admin, stack, stack.pid("Ingrid", "Solberg"))
    assert admin.get("/logg/%d" % emma).status == 403


def test_a_guardian_reads_the_log_in_plain_words(c, stack):
    f = fixture_log(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    goal = add_goal(c, f, text="Emma snakker i samlingsstunden")
    done = add_measure(c, f, goal, f.live, f.health, description="Helsesamtale " + HOSTILE)
    add_measure(c, f, goal, f.nils, f.ppt, description="Kartlegging av språk", status="planned")
    r = c.post("/logg/%d/tiltak/%d/evaluering" % (f.log, done),
               urlencode({"category": "achieved", "text": "Snakker mer nå"}))
    assert r.status == 303, r
    # The log page offers the plain version.
    assert 'href="/logg/%d/enkel"' % f.log in c.get("/logg/%d" % f.log).text

    kari = as_person(c, stack, "Kari", "Fjelltun")
    reads = audit_count(stack, "log_id = %d AND action = 'log.plain' AND person_id = %d AND outcome = 'allow'"
                        % (f.log, f.kari))
    r = kari.get("/logg/%d/enkel" % f.log)
    assert r.status == 200, r
    page = r.text
    assert audit_count(stack, "log_id = %d AND action = 'log.plain' AND person_id = %d AND outcome = 'allow'"
                       % (f.log, f.kari)) == reads + 1
    assert "Loggen om Testbarn Målesen-%s" % f.sfx in page
    who = section(page, "plain-who-h")
    assert "Marte Haugland (Solsikken barnehage) er stafettholder" in who, who
    # BTI level 2 in everyday words, not the action guide's.
    assert "To eller flere tjenester samarbeider med dere" in who, who
    what = section(page, "plain-concerns-h")
    assert f.concern_title in what and "Dette vil vi oppnå: Emma snakker i samlingsstunden" in what, what
    assert "Live Mo (Fjordvik helsestasjon) gjør dette:" in what, what
    assert "Slik gikk det: Det virket: målet ble nådd. Snakker mer nå" in what, what
    assert "Nils Dahle (PPT Fjordvik) gjør dette: Kartlegging av språk" in what, what
    assert "Ikke startet ennå." in what and "Er i gang nå." in what, what
    assert "Skal være gjort innen 2026-06-19" in what and "Vi ser på hvordan det går 2026-03-02" in what
    # Hostile text as text, never markup.
    assert "<img src=x" not in page and "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    consent = section(page, "plain-consent-h")
    assert "Samtykket ditt" in page and "trekke tilbake samtykket når som helst" in consent, consent
    do = section(page, "plain-do-h")
    assert "Se hvem som har lest loggen" in do and "Be om at loggen settes på pause" in do, do
    assert 'href="/logg/%d/status"' % f.log in page and 'href="/logg/%d/innsyn"' % f.log in page
    # Nynorsk when the guardian reads in Nynorsk.
    nn = kari.get("/logg/%d/enkel" % f.log, headers={"Accept-Language": "nn"}).text
    assert "Loggen om Testbarn" in nn and "Det verka: målet vart nådd." in nn and "Kva vi er uroa for" in nn


def test_the_holder_sees_what_the_guardians_see_without_the_consenters_words(c, stack):
    f = fixture_log(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    page = c.get("/logg/%d/enkel" % f.log).text
    consent = section(page, "plain-consent-h")
    assert consent.startswith("Samtykke ") and "trekke tilbake" not in consent, consent
    assert "Ingen mål er skrevet ned for dette ennå." in section(page, "plain-concerns-h")


def test_whoever_may_not_read_the_log_is_refused_the_plain_version_too(c, stack):
    f = fixture_log(stack)
    siri = as_person(c, stack, "Siri", "Bergli")
    denials = audit_count(stack, "log_id = %d AND action = 'log.plain' AND outcome = 'deny'" % f.log)
    r = siri.get("/logg/%d/enkel" % f.log)
    assert r.status == 403 and f.child_name not in r.text, r
    assert audit_count(stack, "log_id = %d AND action = 'log.plain' AND outcome = 'deny'" % f.log) == denials + 1
    # A log that does not exist answers exactly the same.
    assert siri.get("/logg/999999999/enkel").status == 403
    # Anonymous: to the front page.
    assert c.get("/logg/%d/enkel" % f.log).status == 303
