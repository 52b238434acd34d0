"""test_log_view.py — one log (cgi-bin/log_view.c): the log page
(/logg/ID) read by a guardian and audited as log.read, and who has read it
(/logg/ID/innsyn: a line per person and day in Oslo time, paged, with the
number of reads); others refused without learning whether a log exists,
leaders and the administrator included. The log in plain words
(/logg/ID/enkel, templates/log_plain.html): a guardian reads the same log
as the log page shows, in everyday words (what is done, by whom, how it
went, the consent and what they may do), in Bokmål or Nynorsk, with hostile
text escaped; every read is audited as log.plain; whoever may not read the
log is refused exactly as on the log page. Fresh logs from
log_helpers.fixture_log, and the demo's log of Emma Fjelltun."""
import html
import re
from urllib.parse import urlencode

from harness import login
from log_helpers import add_goal, add_measure, append_reads, as_person, audit_count, fixture_log, fresh, one

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
    assert re.search(r"<li>Kari Fjelltun \(foresatt\) — \d+ gang", r.text), r.text


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
    assert "Skal være gjort innen 19. juni 2026" in what and "Vi ser på hvordan det går 2. mars 2026" in what
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


def test_a_form_that_came_back_is_a_read_on_who_has_read_the_log(c, stack):
    """A note that comes back with a message (422) shows the log's form and
    concerns: the guardian's list of who has read the log names it."""
    f = fixture_log(stack)
    stack.sql("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id) VALUES (%d, %d, %d, %d)"
              % (f.muni, f.log, f.live, f.health))
    live = as_person(c, stack, "Live", "Mo")
    live.get("/okter")  # the form's CSRF token from a page that lists no log
    r = live.post("/logg/%d/notat" % f.log, urlencode({"text": ""}))
    assert r.status == 422 and f.concern_title in r.text, r
    kari = as_person(c, stack, "Kari", "Fjelltun")
    page = kari.get("/logg/%d/innsyn" % f.log).text
    assert "Live Mo" in page, page
    assert audit_count(stack, "log_id = %d AND action = 'log.read' AND detail = 'note.add'" % f.log) == 1


def readers(page):
    """Who has read the log, as the page shows it: (day, line) for each
    line, tags gone, text unescaped."""
    out = []
    for day, lines in re.findall(r'<h2 class="ds-heading" id="lest-\d+">(.*?)</h2>\s*<ul class="readers">(.*?)</ul>',
                                 page, re.S):
        for line in re.findall(r"<li>(.*?)</li>", lines, re.S):
            out.append((html.unescape(day), re.sub(r"\s+", " ", html.unescape(line)).strip()))
    return out


def total(page):
    m = re.search(r'id="reads-total"[^>]*>\D*([\d\xa0]+)', html.unescape(page))
    assert m, page
    return int(m.group(1).replace("\xa0", ""))


def test_who_has_read_the_log_per_person_and_day_in_oslo_time(c, stack):
    """A person's reads in one line per day, the day and the times Oslo's:
    across midnight in winter (UTC+1) and summer (UTC+2) and across the
    change to summer time, from audit rows written at known moments."""
    f = fixture_log(stack)
    h, k = f.holder, f.kari
    append_reads(stack, [
        (f.muni, h, "holder", f.log, "2026-03-28 22:30:00.000"),  # 23.30 on 28 March
        (f.muni, h, "holder", f.log, "2026-03-28 23:10:00.000"),  # 00.10 on 29 March
        (f.muni, h, "holder", f.log, "2026-03-29 00:30:00.000"),  # 01.30, still winter time
        (f.muni, h, "holder", f.log, "2026-03-29 01:30:00.000"),  # 03.30, summer time
        (f.muni, k, "guardian", f.log, "2026-06-30 21:59:00.000"),  # 23.59 on 30 June
        (f.muni, k, "guardian", f.log, "2026-06-30 22:30:00.000"),  # 00.30 on 1 July
        (f.muni, h, "holder", f.log, "2026-07-01 06:00:01.000"),  # 08.00, twice in a minute
        (f.muni, h, "holder", f.log, "2026-07-01 06:00:40.500"),
    ])
    kari = as_person(c, stack, "Kari", "Fjelltun")
    assert kari.get("/logg/%d" % f.log).status == 200  # a read today
    page = kari.get("/logg/%d/innsyn" % f.log)
    assert page.status == 200, page
    lines = readers(page.text)
    marte = "Marte Haugland, Pedagogisk leder, Solsikken barnehage (stafettholder)"
    assert lines[-5:] == [
        ("1. juli 2026", marte + " — 2 ganger, kl. 08.00"),
        ("1. juli 2026", "Kari Fjelltun (foresatt) — 1 gang, kl. 00.30"),
        ("30. juni 2026", "Kari Fjelltun (foresatt) — 1 gang, kl. 23.59"),
        ("29. mars 2026", marte + " — 3 ganger, kl. 00.10–03.30"),
        ("28. mars 2026", marte + " — 1 gang, kl. 23.30"),
    ], lines
    # Today's read (Kari's own) comes first, and every read counts (this
    # page's own is written as the page is sent: the next one shows it).
    assert len(lines) > 5 and lines[0][0] not in ("1. juli 2026", "30. juni 2026"), lines
    reads = int(one(stack, "SELECT COUNT(*) FROM audit_log WHERE log_id = %d AND action LIKE 'log.%%'"
                           " AND outcome = 'allow'" % f.log)) + \
        int(one(stack, "SELECT COUNT(*) FROM audit_log_item i JOIN audit_log a ON a.id = i.audit_id"
                       " WHERE i.log_id = %d AND a.action LIKE 'log.%%' AND a.outcome = 'allow'" % f.log))
    assert total(page.text) == reads - 1 >= 9, (total(page.text), reads)  # but this page's own
    # Nynorsk and English say the same in their own words and clock.
    kari.cookies["lang"] = "nn"
    lines = readers(kari.get("/logg/%d/innsyn" % f.log).text)
    assert ("29. mars 2026", "Marte Haugland, Pedagogisk leder, Solsikken barnehage (stafetthaldar) — 3 gonger,"
            " kl. 00.10–03.30") in lines, lines
    kari.cookies["lang"] = "en"
    lines = readers(kari.get("/logg/%d/innsyn" % f.log).text)
    assert ("29 March 2026", "Marte Haugland, Pedagogisk leder, Solsikken barnehage (log holder) — 3 times,"
            " between 00:10 and 03:30") in lines, lines
    assert ("1 July 2026", "Kari Fjelltun (guardian) — once, at 00:30") in lines, lines


def test_who_has_read_the_log_pages_through_the_days_newest_first(c, stack):
    """200 lines (a person's day) a page: 205 days of reads and today's."""
    f = fixture_log(stack)
    append_reads(stack, [(f.muni, f.holder, "holder", f.log, "2025-%02d-%02d 09:00:00.000" % (1 + d // 28, 1 + d % 28))
                         for d in range(205)])
    kari = as_person(c, stack, "Kari", "Fjelltun")
    assert kari.get("/logg/%d" % f.log).status == 200  # the newest read
    first = kari.get("/logg/%d/innsyn" % f.log)
    assert first.status == 200, first
    assert total(first.text) >= 206, total(first.text)  # Marte's 205 reads and Kari's own
    lines = readers(first.text)
    assert len(lines) == 200, len(lines)
    assert lines[0][1].startswith("Kari Fjelltun (foresatt) — ")  # today, newest first
    assert lines[-1][0] != "1. januar 2025"
    assert 'href="/logg/%d/innsyn?side=2"' % f.log in first.text
    second = kari.get("/logg/%d/innsyn?side=2" % f.log)
    assert second.status == 200, second
    rest = readers(second.text)
    assert rest[-1] == ("1. januar 2025", "Marte Haugland, Pedagogisk leder, Solsikken barnehage (stafettholder)"
                                          " — 1 gang, kl. 10.00"), rest
    assert len(lines) + len(rest) == 205 + len({d for d, line in lines + rest if line.startswith("Kari")})
    assert total(second.text) == total(first.text) + 1  # the first page's own read
    assert 'href="/logg/%d/innsyn?side=1"' % f.log in second.text
    assert kari.get("/logg/%d/innsyn?side=0" % f.log).status == 400
    assert kari.get("/logg/%d/innsyn?side=abc" % f.log).status == 400


def test_a_guardian_who_withdrew_consent_still_sees_who_has_read_the_log(c, stack):
    f = fixture_log(stack)
    kari = as_person(c, stack, "Kari", "Fjelltun")
    stack.sql("UPDATE log SET withdrawn_at = NOW(3) WHERE id = %d" % f.log)
    assert kari.get("/logg/%d" % f.log).status == 403
    r = kari.get("/logg/%d/innsyn" % f.log)
    assert r.status == 200, r
    assert 'href="/logg/%d/innsyn"' % f.log in kari.get("/min-side").text


def test_the_log_page_opens_with_a_summary_the_main_actions_and_jump_links(c, stack):
    """On a phone the first screen says how the log stands: state, holder,
    the next deadline and evaluation of the open measures (Norwegian dates),
    and the main actions as buttons; then links to each section."""
    f = fixture_log(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    goal = add_goal(c, f)
    add_measure(c, f, goal, f.nils, f.ppt, deadline="2031-06-19", evaluation_date="2031-03-02")
    add_measure(c, f, goal, f.nils, f.ppt, description="Ferdig tiltak", deadline="2030-01-10",
                evaluation_date="2030-01-02", status="completed")
    page = c.get("/logg/%d" % f.log).text
    summary = re.search(r'<section class="log-summary" aria-labelledby="summary-h">(.*?)</section>', page, re.S)
    assert summary and page.index("log-summary") < page.index('id="consent-h"'), page
    s = summary.group(1)
    assert '<dd id="summary-state">Aktiv</dd>' in s, s
    assert "Marte Haugland" in s
    # The completed measure's earlier dates do not count.
    assert '<dd id="summary-deadline">19. juni 2031</dd>' in s, s
    assert '<dd id="summary-evaluation">2. mars 2031</dd>' in s, s
    for href, words in [("/rediger", "Rediger loggen og bekymringene"), ("/notat", "Skriv et notat"),
                        ("/samtykke", "Se og håndter samtykke"), ("/status", "Endre status")]:
        assert 'href="/logg/%d%s">%s</a>' % (f.log, href, words) in s, (href, s)
    for anchor in ("consent-h", "concerns-h", "goals-h", "notater"):
        assert '<a class="ds-link" href="#%s">' % anchor in page and 'id="%s"' % anchor in page, anchor
    # A guardian's summary offers what a guardian may do, not the holder's actions.
    kari = as_person(c, stack, "Kari", "Fjelltun")
    s = re.search(r'<section class="log-summary".*?</section>', kari.get("/logg/%d" % f.log).text, re.S).group(0)
    assert "/rediger" not in s and "Endre status" not in s, s
    assert 'href="/logg/%d/enkel"' % f.log in s and 'href="/logg/%d/innsyn"' % f.log in s, s


def test_a_pregnancy_log_shows_the_expected_date_and_speaks_of_her_not_of_a_child(c, stack):
    from log_helpers import create_log, log_form, login_holder, make_active
    login_holder(c, stack)
    empty = {k: "" for k in log_form(stack) if k.startswith("g")}
    log_id, f = create_log(c, stack, subject_kind="pregnancy", expected_date="2027-03-01", **empty)
    make_active(stack, log_id)
    stack.sql("UPDATE log SET child_voice = 'Jeg gleder meg' WHERE id = %d" % log_id)
    page = c.get("/logg/%d" % log_id).text
    # The expected date, in the reader's words; no guardians, no child's voice.
    assert "Termindato" in page and "1. mars 2027" in page, page
    assert 'id="guardians-h"' not in page and "Foresatte</h2>" not in page
    assert "#guardians-h" not in page and ">Foresatte<" not in page, "no guardians in the page's jump links"
    assert '<dd id="summary-expected">1. mars 2027</dd>' in page, "the expected date in the summary"
    assert "Barnets egen stemme" not in page and "barnets" not in page.lower().split('id="main"')[-1]
    assert "Med hennes egne ord" in page and "Jeg gleder meg" in page
    # The plain version: her own words, the date, and nothing about a child.
    plain = c.get("/logg/%d/enkel" % log_id).text
    main = plain.split('id="main"')[-1]
    assert "1. mars 2027" in main, main
    assert "barnet" not in main.lower(), [l for l in main.splitlines() if "barnet" in l.lower()]
    assert "Med hennes egne ord" in main and "Jeg gleder meg" in main
    # The edit page and the note page speak of her too, never of a child.
    for path in ("/logg/%d/rediger" % log_id, "/logg/%d/notat" % log_id):
        main = c.get(path).text.split('id="main"')[-1]
        assert "barnet" not in main.lower() and "barnets" not in main.lower(), \
            (path, [l for l in main.splitlines() if "barn" in l.lower()])
    assert "Med hennes egne ord" in c.get("/logg/%d/rediger" % log_id).text
    # A child's log still has both.
    g = fixture_log(stack)
    page = c.get("/logg/%d" % g.log).text
    assert 'id="guardians-h"' in page and "Barnets egen stemme" in page and "Termindato" not in page
