"""test_notices.py — the e-mail notices of the workflows that exist (lib/notice.c,
issue 12), queued in the outbox in the action's own transaction: each guardian
whose consent a new log needs is asked for it at the address typed for them (none
for one without), and so is a guardian added later; a log whose consent is the
young person's own asks them, not the guardians; a measure given to someone else
tells them, one the holder gives themself tells nobody, and one given to someone
whose service the consent does not cover yet tells nobody (the link would be
refused); the daily job (tools/stafett-daily) tells the responsible person once that
an evaluation is due, however often it runs; a person who chose no e-mail gets
none. The rows are read in the database (the values are sealed)."""
import os
import re
import subprocess
from urllib.parse import urlencode

import harness
from harness import login, synthetic_nin
from log_helpers import (add_goal, add_measure, create_log, demo_person, fixture_log, fresh, login_holder,
                         measure_form, one, suffix, version_in)


def notices(stack, log_id, kind):
    """(person id, recipient address) of each notice of KIND about the log."""
    out = stack.sql("SELECT person_id, rcpt FROM outbox WHERE log_id = %d AND kind = '%s' ORDER BY id"
                    % (log_id, kind))
    return [(int(p), a) for p, a in (line.split("\t") for line in out.splitlines())]


def person_of(stack, log_id, given):
    return int(one(stack, "SELECT person_id FROM log_guardian WHERE log_id = %d AND given_name = '%s'"
                   % (log_id, given)))


def daily(stack, *args):
    """Runs the daily job as the timer would; its one line of counts."""
    r = subprocess.run([os.path.join(harness.ROOT, stack.build, "tools", "stafett-daily"), *args],
                       env=stack.env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, (r.stdout, r.stderr)
    return r.stdout


def test_each_guardian_with_an_address_is_asked_for_consent(c, stack):
    login_holder(c, stack)
    sfx = suffix()
    log_id, form = create_log(c, stack, subject_nin=synthetic_nin(2016, 2020),
                              g1_email="mor-%s@fjordvik.example" % sfx, g2_email="far-%s@fjordvik.example" % sfx)
    mother, father = person_of(stack, log_id, form["g1_given_name"]), person_of(stack, log_id, form["g2_given_name"])
    assert sorted(notices(stack, log_id, "log_created")) == sorted(
        [(mother, "mor-%s@fjordvik.example" % sfx), (father, "far-%s@fjordvik.example" % sfx)])
    # Only the notice: nothing else is queued about the new log.
    assert one(stack, "SELECT COUNT(*) FROM outbox WHERE log_id = %d" % log_id) == "2"
    # Not a job's: no once-only key; queued or already sent by the mailer.
    assert one(stack, "SELECT COUNT(*) FROM outbox WHERE log_id = %d AND state IN ('pending', 'sent')"
               " AND dedupe IS NULL" % log_id) == "2"

    # A guardian without an address (and none of their own) is not written to.
    log_id, form = create_log(c, stack, subject_nin=synthetic_nin(2016, 2020), g2_email="")
    mother = person_of(stack, log_id, form["g1_given_name"])
    assert notices(stack, log_id, "log_created") == [(mother, "mor@fjordvik.example")]


def test_a_guardian_added_later_is_asked(c, stack):
    login_holder(c, stack)
    log_id, _ = create_log(c, stack, subject_nin=synthetic_nin(2016, 2020))
    before = notices(stack, log_id, "log_created")
    page = c.get("/logg/%d/foresatte" % log_id)
    assert page.status == 200, page
    token = re.search(r'action="/logg/\d+/foresatte"[^>]*>.*?name="_once" value="([^"]+)"', page.text, re.S).group(1)
    sfx = suffix()
    f = {"given_name": "Steffar-%s" % sfx, "family_name": "Testesen", "nin": synthetic_nin(), "phone": "",
         "email": "steffar-%s@fjordvik.example" % sfx, "_once": token}
    r = c.post("/logg/%d/foresatte" % log_id, urlencode(f))
    assert r.status == 303, r
    added = person_of(stack, log_id, f["given_name"])
    assert notices(stack, log_id, "log_created") == before + [(added, f["email"])]


def test_a_young_person_who_consents_is_asked_not_the_guardians(c, stack):
    """The subject is past the consent age: their consent, not the guardians'.
    Without an address of their own they get nothing; with one, the notice."""
    login_holder(c, stack)
    nin = synthetic_nin(1990, 1999)
    log_id, form = create_log(c, stack, subject_kind="youth", subject_nin=nin)
    assert notices(stack, log_id, "log_created") == []
    subject = int(one(stack, "SELECT subject_person_id FROM log WHERE id = %d" % log_id))
    stack.sql("UPDATE person SET email = 'ung-%d@fjordvik.example' WHERE id = %d" % (subject, subject))
    log_id, _ = create_log(c, stack, subject_kind="youth", subject_nin=nin)
    assert notices(stack, log_id, "log_created") == [(subject, "ung-%d@fjordvik.example" % subject)]
    # The mail does not name them, neither in the greeting nor beside the
    # address: whoever else reads that inbox learns nothing of whom a log is about.
    m = delivered(stack, log_id, "log_created", subject)
    assert m.msg["To"].addresses[0].display_name == "" and m.to == "ung-%d@fjordvik.example" % subject
    assert m.text.startswith("Hei,"), m.text[:200]
    for secret in (form["subject_given_name"], form["subject_family_name"], nin):
        assert secret not in words(m) and secret.encode() not in m.raw, secret


def test_a_measure_given_to_someone_else_tells_them(c, stack):
    f = fixture_log(stack)
    login_holder(c, stack)
    goal = add_goal(c, f)
    # The holder gives it to themself: nobody is told.
    mine = add_measure(c, f, goal, f.holder, f.kindergarten)
    assert notices(stack, f.log, "measure_given") == []
    # Given to the health nurse, whose service the consent covers: she is told, at her address.
    live_mail = one(stack, "SELECT email FROM person WHERE id = %d" % f.live)
    theirs = add_measure(c, f, goal, f.live, f.health)
    assert notices(stack, f.log, "measure_given") == [(f.live, live_mail)]
    # Saving it again with the same responsible person tells nobody again.
    page = c.get("/logg/%d/tiltak/%d" % (f.log, theirs)).text
    version = version_in(page, "/logg/%d/tiltak/%d" % (f.log, theirs))
    r = c.post("/logg/%d/tiltak/%d" % (f.log, theirs),
               measure_form(f, f.live, f.health, status="planned") + "&version=" + version)
    assert r.status == 303, r
    assert notices(stack, f.log, "measure_given") == [(f.live, live_mail)]
    # The holder's own measure changed to PPT's adviser: he is told.
    page = c.get("/logg/%d/tiltak/%d" % (f.log, mine)).text
    version = version_in(page, "/logg/%d/tiltak/%d" % (f.log, mine))
    r = c.post("/logg/%d/tiltak/%d" % (f.log, mine), measure_form(f, f.nils, f.ppt) + "&version=" + version)
    assert r.status == 303, r
    assert [p for p, _ in notices(stack, f.log, "measure_given")] == [f.live, f.nils]


def test_a_measure_given_where_the_consent_does_not_reach_tells_nobody_yet(c, stack):
    """The consent covers only the health station: PPT's adviser becomes an
    actor who cannot open the log yet, so a link would be refused."""
    f = fixture_log(stack, covered=("Fjordvik helsestasjon",))
    login_holder(c, stack)
    add_measure(c, f, add_goal(c, f), f.nils, f.ppt)
    assert notices(stack, f.log, "measure_given") == []


def test_the_daily_job_tells_once_that_an_evaluation_is_due(c, stack):
    f = fixture_log(stack)
    login_holder(c, stack)
    goal = add_goal(c, f)
    due = add_measure(c, f, goal, f.live, f.health, evaluation_date="2026-03-02")
    later = add_measure(c, f, goal, f.nils, f.ppt, evaluation_date="2026-09-01")
    warn = int(one(stack, "SELECT evaluation_warn_days FROM municipality WHERE id = %d" % f.muni))
    # Before the evaluation comes due (the municipality's warning days before its date): nothing.
    out = daily(stack, "--today", "2026-02-%02d" % (30 - warn - 12))
    assert re.search(r"evaluations due on 2026-02-\d\d: \d+ measure\(s\)", out), out
    assert notices(stack, f.log, "evaluation_due") == []
    # On its date: the responsible person is told, once; the later measure is not due.
    out = daily(stack, "--today", "2026-03-02")
    live_mail = one(stack, "SELECT email FROM person WHERE id = %d" % f.live)
    assert notices(stack, f.log, "evaluation_due") == [(f.live, live_mail)]
    assert one(stack, "SELECT dedupe FROM outbox WHERE log_id = %d AND kind = 'evaluation_due'" % f.log) == \
        "evaluation_due:%d:2026-03-02:%d" % (due, f.live)
    queued = int(re.search(r"notices queued (\d+)", out).group(1))
    assert queued >= 1, out
    # The job again, the same day and the next: nothing new.
    out = daily(stack, "--today", "2026-03-02")
    assert "notices queued 0," in out, out
    daily(stack, "--today", "2026-03-03")
    assert notices(stack, f.log, "evaluation_due") == [(f.live, live_mail)]
    # Its output names nobody: counts only.
    for name in ("Live", "Nils", "Testbarn", f.child_name):
        assert name not in out
    # Evaluated: the next run finds nothing to tell about it, even when the later one comes due.
    r = c.post("/logg/%d/tiltak/%d/evaluering" % (f.log, due), urlencode({"category": "partly", "text": "Ok"}))
    assert r.status == 303, r
    daily(stack, "--today", "2026-08-25")
    assert [p for p, _ in notices(stack, f.log, "evaluation_due")] == [f.live, f.nils]
    assert one(stack, "SELECT COUNT(*) FROM outbox WHERE log_id = %d AND kind = 'evaluation_due'"
               " AND dedupe LIKE 'evaluation_due:%d:%%'" % (f.log, later)) == "1"


def test_the_daily_job_tells_nobody_about_a_passive_log_or_a_removed_actor(c, stack):
    f = fixture_log(stack)
    login_holder(c, stack)
    goal = add_goal(c, f)
    add_measure(c, f, goal, f.live, f.health, evaluation_date="2026-03-02")
    stack.sql("UPDATE log SET state = 'passive' WHERE id = %d" % f.log)
    daily(stack, "--today", "2026-03-02")
    assert notices(stack, f.log, "evaluation_due") == []
    stack.sql("UPDATE log SET state = 'active' WHERE id = %d" % f.log)
    stack.sql("UPDATE log_actor SET removed_at = CURRENT_TIMESTAMP(3) WHERE log_id = %d AND person_id = %d"
              % (f.log, f.live))
    out = daily(stack, "--today", "2026-03-02")
    assert notices(stack, f.log, "evaluation_due") == []
    assert int(re.search(r"may not evaluate now (\d+)", out).group(1)) >= 1, out


def test_the_daily_job_refuses_a_day_that_is_not_one(c, stack):
    for bad in (["--today", "2026-02-30"], ["--today", "yesterday"], ["--today"], ["extra"]):
        r = subprocess.run([os.path.join(harness.ROOT, stack.build, "tools", "stafett-daily"), *bad],
                           env=stack.env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 2 and "usage" in r.stderr, (bad, r)


def test_a_person_who_chose_no_email_gets_none(c, stack):
    """Kari Fjelltun has turned e-mail notices off: added as a guardian with an
    address typed, she is not written to; the health nurse likewise for a
    measure and an evaluation due."""
    f = fixture_log(stack)
    kari, live = demo_person(stack, "Kari", "Fjelltun"), f.live
    stack.sql("UPDATE person SET email_notices = FALSE WHERE id IN (%d, %d)" % (kari, live))
    try:
        login_holder(c, stack)
        log_id, _ = create_log(c, stack, subject_nin=synthetic_nin(2016, 2020), g2_given_name="",
                               g2_family_name="", g2_nin="")
        page = c.get("/logg/%d/foresatte" % log_id).text
        token = re.search(r'action="/logg/\d+/foresatte"[^>]*>.*?name="_once" value="([^"]+)"', page, re.S).group(1)
        r = c.post("/logg/%d/foresatte" % log_id, urlencode({
            "given_name": "Kari", "family_name": "Fjelltun", "nin": stack.pid("Kari", "Fjelltun"), "phone": "",
            "email": "kari@fjordvik.example", "_once": token}))
        assert r.status == 303, r
        mother = int(one(stack, "SELECT person_id FROM log_guardian WHERE log_id = %d ORDER BY id LIMIT 1"
                         % log_id))
        assert notices(stack, log_id, "log_created") == [(mother, "mor@fjordvik.example")]
        add_measure(c, f, add_goal(c, f), live, f.health, evaluation_date="2026-03-02")
        assert notices(stack, f.log, "measure_given") == []
        out = daily(stack, "--today", "2026-03-02")
        assert notices(stack, f.log, "evaluation_due") == []
        assert int(re.search(r"declined (\d+)", out).group(1)) >= 1, out
    finally:
        stack.sql("UPDATE person SET email_notices = TRUE WHERE id IN (%d, %d)" % (kari, live))


def test_deleting_a_draft_takes_its_notices(c, stack):
    login_holder(c, stack)
    log_id, _ = create_log(c, stack, subject_nin=synthetic_nin(2016, 2020))
    assert len(notices(stack, log_id, "log_created")) == 1
    page = c.get("/logg/%d/slett" % log_id)
    assert page.status == 200, page
    form = re.search(r'<form method="post" action="(/logg/\d+/slett)">(.*?)</form>', page.text, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2)))
    r = c.post(form.group(1), urlencode(fields))
    assert r.status == 303, (r, r.text[:2000])
    assert one(stack, "SELECT COUNT(*) FROM log WHERE id = %d" % log_id) == "0"
    assert one(stack, "SELECT COUNT(*) FROM outbox WHERE log_id = %d" % log_id) == "0"


# --- the mail delivered (the mailer and the development SMTP server of tools/stack) ---


def delivered(stack, log_id, kind, person):
    """The message the SMTP server kept for the notice of KIND to PERSON about
    the log, found by its Message-ID (waits for the mailer)."""
    mid = one(stack, "SELECT message_id FROM outbox WHERE log_id = %d AND kind = '%s' AND person_id = %d"
              % (log_id, kind, person))
    assert mid, (log_id, kind, person)
    m = harness.wait_for(lambda: next((x for x in stack.mails() if x.message_id == "<%s>" % mid), None),
                         timeout=20)
    assert m, "the %s notice %s was not delivered" % (kind, mid)
    return m


def words(mail):
    """Everything a reader of the message sees: subject, names, both parts."""
    return "\n".join([str(mail.msg["Subject"]), str(mail.msg["To"]), mail.text, mail.html])


def about(mail):
    """What the message says beyond the recipient's own name (which a
    guardian may share with the child): words() with that name taken out."""
    to = mail.msg["To"].addresses[0].display_name
    return words(mail).replace(to, "") if to else words(mail)


def follow(c, stack, mail, pid):
    """Opens the mail's link logged out, logs in as pid: the login lands on
    the link's page, which opens. The path and the page."""
    path = harness.mail_link(stack, mail)
    them = fresh(c)
    r = them.get(path)
    assert r.status == 303 and r.header("location") == "/", r
    r, _ = login(them, stack, pid)
    assert r.status == 303 and r.header("location") == path, r
    page = them.get(path)
    assert page.status == 200, page
    return path, page.text


def test_the_consent_mail_is_in_the_guardians_words_and_its_link_opens_the_consent(c, stack):
    login_holder(c, stack)
    sfx = suffix()
    child_nin = synthetic_nin(2016, 2020)
    log_id, form = create_log(c, stack, subject_nin=child_nin, subject_family_name="Barnesen-%s" % sfx,
                              g1_email="mor-%s@fjordvik.example" % sfx)
    mother = person_of(stack, log_id, form["g1_given_name"])
    m = delivered(stack, log_id, "log_created", mother)
    assert m.to == "mor-%s@fjordvik.example" % sfx
    # In the municipality's language (she has chosen none): Bokmål.
    assert str(m.msg["Subject"]) == "Du blir bedt om samtykke i Stafett", m.msg["Subject"]
    assert "Du blir bedt om å samtykke til en stafettlogg i Stafett." in m.text, m.text
    assert '<html lang="nb">' in m.html and "Fjordvik kommune" in m.text
    assert m.msg["Auto-Submitted"] == "auto-generated"
    path, page = follow(c, stack, m, form["g1_nin"])
    assert path == "/logg/%d/samtykke" % log_id
    assert 'action="/logg/%d/samtykke/digital"' % log_id in page, page[:3000]
    for secret in (form["subject_given_name"], form["subject_family_name"], child_nin, form["g1_nin"]):
        assert secret not in about(m) and secret.encode() not in m.raw, secret


def test_the_measure_mails_are_in_the_recipients_language_and_their_links_open_the_measure(c, stack):
    f = fixture_log(stack)
    stack.sql("UPDATE person SET mail_lang = 'nn' WHERE id = %d" % f.nils)
    stack.sql("UPDATE person SET mail_lang = 'en' WHERE id = %d" % f.live)
    try:
        login_holder(c, stack)
        goal = add_goal(c, f)
        given = add_measure(c, f, goal, f.nils, f.ppt, description="Hemmelig tiltak %s" % f.sfx)
        m = delivered(stack, f.log, "measure_given", f.nils)
        assert str(m.msg["Subject"]) != "Something new for you in Stafett", m.msg["Subject"]
        assert "Du har fått ansvaret for eit tiltak i ein stafettlogg i Stafett." in m.text, m.text
        assert '<html lang="nn">' in m.html
        path, page = follow(c, stack, m, stack.pid("Nils", "Dahle"))
        assert path == "/logg/%d/tiltak/%d" % (f.log, given)
        assert "Hemmelig tiltak %s" % f.sfx in page
        assert "Hemmelig tiltak" not in words(m)

        due = add_measure(c, f, goal, f.live, f.health, evaluation_date="2026-03-02")
        daily(stack, "--today", "2026-03-02")
        m = delivered(stack, f.log, "evaluation_due", f.live)
        assert str(m.msg["Subject"]) == "An evaluation is due in Stafett", m.msg["Subject"]
        assert "A measure you are responsible for in Stafett is due to be evaluated." in m.text, m.text
        path, page = follow(c, stack, m, stack.pid("Live", "Mo"))
        assert path == "/logg/%d/tiltak/%d" % (f.log, due)
        assert 'action="/logg/%d/tiltak/%d/evaluering"' % (f.log, due) in page, page[:3000]
        # Nothing of the child in either.
        for mail in (delivered(stack, f.log, "measure_given", f.live), m):
            for secret in ("Testbarn", "Målesen", f.sfx, f.concern_title, "Språkgruppe"):
                assert secret not in words(mail), (secret, mail)
    finally:
        stack.sql("UPDATE person SET mail_lang = NULL WHERE id IN (%d, %d)" % (f.nils, f.live))


def test_no_delivered_notice_names_a_child_or_a_number(c, stack):
    """Every notice of these kinds the SMTP server has kept this run: none
    carries the name or the identity number of anyone whose log it is about."""
    kinds = ("log_created", "measure_given", "evaluation_due")
    rows = stack.sql("SELECT o.message_id, COALESCE(l.subject_given_name, p.given_name),"
                     " COALESCE(l.subject_family_name, p.family_name) FROM outbox o JOIN log l ON l.id = o.log_id"
                     " JOIN person p ON p.id = l.subject_person_id WHERE o.kind IN ('%s') AND o.state = 'sent'"
                     % "', '".join(kinds))
    subject = {mid: (g, fam) for mid, g, fam in (line.split("\t") for line in rows.splitlines())}
    mails = [m for m in stack.mails() if m.message_id.strip("<>") in subject]
    assert mails, "no notice delivered yet"
    number = re.compile(r"(?<!\d)\d{11}(?!\d)")
    for m in mails:
        given, family = subject[m.message_id.strip("<>")]
        for name in (given, family):
            assert name not in about(m), (name, m)
        assert not number.search(words(m)), m
