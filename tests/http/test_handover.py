"""test_handover.py — handing a log over (cgi-bin/handover.c, lib/handover.c),
against the real stack, mailer and SMTP server: an offer accepted (the new holder
edits; the old one stays an actor, or has lost access, as chosen), declined (the
holder sees why), withdrawn, expired by the daily job (the old unit's leader's mail);
refused for a unit the consent does not cover, for a leader, for a second offer at
the same time; who may not offer or answer is refused; the offered-to person reads
nothing of the log before accepting; the mails name no child. A handover to a
teacher of the other demo municipality moves the log, its child, guardians and
history there, and the sending municipality's staff are refused afterwards."""
import re
import threading
from urllib.parse import urlencode

from harness import login, wait_for
from log_helpers import (as_person, audit_count, basic, create_log, demo_person, field_error, fixture_log, fresh,
                         login_holder, make_active, one, unit_id, version_in)
from test_notices import daily

SCHOOL = ("Fjordvik skole", "PPT Fjordvik", "Solsikken barnehage")


def role_of(stack, given, family, role="staff"):
    return int(one(stack, "SELECT r.id FROM staff_role r JOIN person p ON p.id = r.person_id"
                          " WHERE p.given_name = '%s' AND p.family_name = '%s' AND r.role = '%s'"
                   % (given, family, role)))


def email_of(stack, person_id):
    return one(stack, "SELECT email FROM person WHERE id = %d" % person_id)


def offer(c, f, stack, given="Hanne", family="Lien", stay="stay", role="staff"):
    return c.post("/logg/%d/overlevering" % f.log,
                  urlencode({"staff": role_of(stack, given, family, role), "stay": stay}))


def open_offer(stack, f):
    """(id, version) of the log's open offer."""
    hid, version = one(stack, "SELECT id, version FROM handover WHERE log_id = %d AND state = 'offered'"
                       % f.log).split("\t")
    return int(hid), version


def offered(c, f, stack, stay="stay"):
    """The holder offers the log to Hanne Lien of the school; (her client, offer id, version)."""
    login_holder(c, stack)
    r = offer(c, f, stack, stay=stay)
    assert r.status == 303 and r.header("location") == "/logg/%d/overlevering?lagret=overlevering-tilbudt" % f.log, \
        (r, r.text[:3000])
    hid, version = open_offer(stack, f)
    return as_person(c, stack, "Hanne", "Lien"), hid, version


def mail_with(stack, to, pattern, since):
    """The first mail to address `to` among those kept after `since` whose
    text the regular expression `pattern` matches (waits for it)."""
    def find():
        return next((m for m in stack.mails()[since:] if m.to.lower() == to.lower() and re.search(pattern, m.text)),
                    None)
    m = wait_for(find, timeout=30)
    assert m is not None, "no mail to %s with %s" % (to, pattern)
    return m


def no_child_in(mail, f):
    for secret in (f.child_name, "Målesen", "Testbarn"):
        assert secret not in mail.text and secret not in mail.html, (secret, mail.text)


def test_an_offer_accepted_makes_the_receiver_holder_and_the_old_holder_an_actor(client, stack):
    f = fixture_log(stack, covered=SCHOOL)
    hanne = demo_person(stack, "Hanne", "Lien")
    since = len(stack.mails())
    them, hid, version = offered(client, f, stack, stay="stay")
    # The guardian and the receiver are told, by mails that name no child.
    kari_mail = mail_with(stack, email_of(stack, f.kari), r"/logg/%d(?![\d/])" % f.log, since)
    hanne_mail = mail_with(stack, email_of(stack, hanne), "/logg/%d/overlevering/%d" % (f.log, hid), since)
    for m in (kari_mail, hanne_mail):
        no_child_in(m, f)
    # Everyone who reads the log sees the offer; the holder still holds it.
    kari = as_person(client, stack, "Kari", "Fjelltun")
    page = kari.get("/logg/%d" % f.log)
    assert page.status == 200 and 'id="summary-handover"' in page.text and "Hanne Lien" in page.text
    # Before accepting, the receiver reads nothing of the log; she sees the offer
    # on her page and what she would take on.
    assert them.get("/logg/%d" % f.log).status == 403
    home = them.get("/min-side")
    assert 'id="tilbud-%d"' % hid in home.text and f.child_name not in home.text
    page = them.get("/logg/%d/overlevering/%d" % (f.log, hid))
    assert page.status == 200 and 'id="offer-measures"' in page.text and f.concern_title not in page.text
    # Accepting: she holds it and edits it; the old holder is an actor.
    r = them.post("/logg/%d/overlevering/%d/godta" % (f.log, hid), urlencode({"version": version}))
    assert r.status == 303 and r.header("location") == "/logg/%d?lagret=overlevering-godtatt" % f.log, r
    assert one(stack, "SELECT holder_person_id, unit_id FROM log WHERE id = %d" % f.log) == \
        "%d\t%d" % (hanne, unit_id(stack, "Fjordvik skole"))
    edit = them.get("/logg/%d/rediger" % f.log)
    assert edit.status == 200
    r = them.post("/logg/%d/rediger" % f.log, basic(version_in(edit.text, "/logg/%d/rediger" % f.log),
                                                    info="Overtatt av skolen"))
    assert r.status == 303, r
    assert client.get("/logg/%d" % f.log).status == 200  # Marte, now an actor
    assert client.get("/logg/%d/rediger" % f.log).status == 403
    assert one(stack, "SELECT COUNT(*) FROM log_actor WHERE log_id = %d AND person_id = %d AND removed_at IS NULL"
               % (f.log, f.holder)) == "1"
    # The transition, archived once the archive acknowledges its copy; the history; the audit trail.
    assert one(stack, "SELECT kind, from_person_id, to_person_id FROM log_transition"
                      " WHERE log_id = %d" % f.log) == "handover\t%d\t%d" % (f.holder, hanne)
    assert wait_for(lambda: one(stack, "SELECT CONCAT(t.archive_state, ' ', r.state) FROM log_transition t"
                                       " JOIN archive_record r ON r.transition_id = t.id WHERE t.log_id = %d"
                                % f.log) == "archived acknowledged", timeout=90)
    history = them.get("/logg/%d/historikk" % f.log).text
    assert "Hanne Lien" in history and "Marte Haugland" in history
    assert audit_count(stack, "log_id = %d AND action = 'log.handover.accept' AND outcome = 'allow'"
                       % f.log) == 1
    # The offer is answered: a second acceptance finds nothing to accept.
    assert them.post("/logg/%d/overlevering/%d/godta" % (f.log, hid),
                     urlencode({"version": version})).status in (403, 409)


def test_an_old_holder_who_chose_to_leave_loses_access(client, stack):
    f = fixture_log(stack, covered=SCHOOL)
    them, hid, version = offered(client, f, stack, stay="leave")
    r = them.post("/logg/%d/overlevering/%d/godta" % (f.log, hid), urlencode({"version": version}))
    assert r.status == 303, r
    assert client.get("/logg/%d" % f.log).status == 403
    assert them.get("/logg/%d" % f.log).status == 200


def test_a_declined_offer_shows_the_holder_why(client, stack):
    f = fixture_log(stack, covered=SCHOOL)
    them, hid, version = offered(client, f, stack)
    since = len(stack.mails())
    r = them.post("/logg/%d/overlevering/%d/avsla" % (f.log, hid), urlencode({"version": version, "reason": ""}))
    assert r.status == 422 and field_error(r.text, "reason"), r
    r = them.post("/logg/%d/overlevering/%d/avsla" % (f.log, hid),
                  urlencode({"version": version, "reason": "Emma begynner i 2. klasse hos Eirik"}))
    assert r.status == 303 and r.header("location") == "/min-side?lagret=overlevering-avslatt", r
    page = client.get("/logg/%d/overlevering" % f.log)
    assert "Emma begynner i 2. klasse hos Eirik" in page.text and 'class="decline-reason"' in page.text
    # The holder is told by mail that there is an answer: a link, not the reason, no child.
    told = mail_with(stack, email_of(stack, f.holder), r"/logg/%d/overlevering(?![\d/])" % f.log, since)
    no_child_in(told, f)
    assert "2. klasse" not in told.text and "2. klasse" not in told.html
    assert one(stack, "SELECT holder_person_id FROM log WHERE id = %d" % f.log) == str(f.holder)
    assert them.get("/logg/%d/overlevering/%d" % (f.log, hid)).status == 403
    # The log can be offered again.
    assert offer(client, f, stack, "Nils", "Dahle").status == 303


def test_a_withdrawn_offer_cannot_be_accepted(client, stack):
    f = fixture_log(stack, covered=SCHOOL)
    them, hid, version = offered(client, f, stack)
    r = client.post("/logg/%d/overlevering/%d/trekk" % (f.log, hid), urlencode({"version": version}))
    assert r.status == 303 and r.header("location") == "/logg/%d/overlevering?lagret=overlevering-trukket" % f.log
    assert one(stack, "SELECT state FROM handover WHERE id = %d" % hid) == "withdrawn"
    r = them.post("/logg/%d/overlevering/%d/godta" % (f.log, hid), urlencode({"version": version}))
    assert r.status == 403, r
    assert them.get("/min-side").text.count('id="tilbud-%d"' % hid) == 0


def test_a_unit_the_consent_does_not_cover_is_refused(client, stack):
    f = fixture_log(stack, covered=("PPT Fjordvik",))
    login_holder(client, stack)
    r = offer(client, f, stack)
    assert r.status == 422 and "samtykke" in (field_error(r.text, "staff") or ""), field_error(r.text, "staff")
    assert one(stack, "SELECT COUNT(*) FROM handover WHERE log_id = %d" % f.log) == "0"


def test_a_leader_is_refused_leaders_do_not_hold_logs(client, stack):
    f = fixture_log(stack, covered=SCHOOL)
    login_holder(client, stack)
    r = offer(client, f, stack, "Sindre", "Åsheim", role="leader")
    assert r.status == 422 and field_error(r.text, "staff"), r
    # A staff member their leader has not cleared, and the holder herself.
    assert offer(client, f, stack, "Eirik", "Brekke").status == 422
    r = offer(client, f, stack, "Marte", "Haugland")
    assert r.status == 422, r
    assert one(stack, "SELECT COUNT(*) FROM handover WHERE log_id = %d" % f.log) == "0"


def test_two_offers_at_once_make_one(client, stack):
    f = fixture_log(stack, covered=SCHOOL)
    login_holder(client, stack)
    client.csrf()
    statuses = []

    def send(given, family):
        statuses.append(offer(client, f, stack, given, family).status)
    threads = [threading.Thread(target=send, args=p) for p in (("Hanne", "Lien"), ("Nils", "Dahle"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [303, 409], statuses
    assert one(stack, "SELECT COUNT(*) FROM handover WHERE log_id = %d" % f.log) == "1"
    # And one after the other: the second is told an offer is open.
    r = offer(client, f, stack, "Hanne", "Lien")
    assert r.status == 409 and 'id="handover-already"' in r.text, r


def test_who_may_not_offer_or_answer_is_refused(client, stack):
    f = fixture_log(stack, covered=SCHOOL)
    them, hid, version = offered(client, f, stack)
    body = urlencode({"staff": role_of(stack, "Nils", "Dahle"), "stay": "stay"})
    for who in (("Kari", "Fjelltun"), ("Nils", "Dahle"), ("Torbjørn", "Vik"), ("Ingrid", "Solberg"),
                ("Hanne", "Lien")):
        other = them if who == ("Hanne", "Lien") else as_person(client, stack, *who)
        assert other.get("/logg/%d/overlevering" % f.log).status == 403, who
        assert other.post("/logg/%d/overlevering" % f.log, body).status == 403, who
        assert other.post("/logg/%d/overlevering/%d/trekk" % (f.log, hid),
                          urlencode({"version": version})).status == 403, who
    # Only the receiver answers: not the holder, not a guardian, not another staff member.
    for other in (client, as_person(client, stack, "Kari", "Fjelltun"), as_person(client, stack, "Live", "Mo")):
        assert other.get("/logg/%d/overlevering/%d" % (f.log, hid)).status == 403
        assert other.post("/logg/%d/overlevering/%d/godta" % (f.log, hid),
                          urlencode({"version": version})).status == 403
        assert other.post("/logg/%d/overlevering/%d/avsla" % (f.log, hid),
                          urlencode({"version": version, "reason": "nei"})).status == 403
    assert one(stack, "SELECT state FROM handover WHERE id = %d" % hid) == "offered"
    assert audit_count(stack, "log_id = %d AND action = 'log.handover.accept' AND outcome = 'deny'" % f.log) == 3


def test_an_offer_expires_in_the_daily_job_and_the_leader_is_told(client, stack):
    f = fixture_log(stack, covered=SCHOOL)
    them, hid, version = offered(client, f, stack)
    leader = demo_person(stack, "Torbjørn", "Vik")

    def day(n):
        return one(stack, "SELECT DATE_FORMAT(CURRENT_DATE + INTERVAL %d DAY, '%%Y-%%m-%%d')" % n)
    # On day 14 the offer still runs (until the time of day it was made).
    out = daily(stack, "--today", day(14))
    assert one(stack, "SELECT state FROM handover WHERE id = %d" % hid) == "offered", out
    since = len(stack.mails())
    out = daily(stack, "--today", day(15))
    assert re.search(r"handovers expired before %s: [1-9]\d*; notices queued [1-9]" % day(15), out), out
    assert one(stack, "SELECT state FROM handover WHERE id = %d" % hid) == "expired"
    no_child_in(mail_with(stack, email_of(stack, leader), "/enhet/%d" % f.kindergarten, since), f)
    no_child_in(mail_with(stack, email_of(stack, f.holder), "/logg/%d/overlevering" % f.log, since), f)
    # Once only: the next run tells nobody again; the log stays with its holder.
    daily(stack, "--today", day(16))
    assert one(stack, "SELECT COUNT(*) FROM outbox WHERE kind = 'handover_expired' AND log_id = %d"
               % f.log) == "2"
    assert one(stack, "SELECT holder_person_id FROM log WHERE id = %d" % f.log) == str(f.holder)
    assert them.post("/logg/%d/overlevering/%d/godta" % (f.log, hid), urlencode({"version": version})).status == 403
    page = client.get("/logg/%d/overlevering" % f.log)
    assert 'id="handover-%d"' % hid in page.text, page.text[:3000]


def test_offering_and_accepting_ask_for_a_fresh_login(client, stack):
    """Offering, withdrawing and accepting are sensitive steps: with a login
    older than [login] fresh_minutes the page offers "Bekreft med ID-porten"
    instead of the step's button, and the step's POST is refused."""
    f = fixture_log(stack, covered=SCHOOL)
    login_holder(client, stack)

    def age(person):
        stack.sql("UPDATE session SET auth_time = NOW() - INTERVAL 20 MINUTE WHERE person_id = %d" % person)
    age(f.holder)
    page = client.get("/logg/%d/overlevering" % f.log)
    assert page.status == 200 and 'id="fresh-login"' in page.text and 'id="offer-log"' not in page.text
    r = offer(client, f, stack)
    assert r.status == 403 and 'id="fresh-login"' in r.text, r
    assert one(stack, "SELECT COUNT(*) FROM handover WHERE log_id = %d" % f.log) == "0"
    assert audit_count(stack, "log_id = %d AND action = 'log.handover.offer' AND outcome = 'refused'"
                       " AND detail = 'login not fresh'" % f.log) == 1
    # Fresh again: offered; then the receiver's old login may not accept, but may decline.
    stack.sql("UPDATE session SET auth_time = NOW() WHERE person_id = %d" % f.holder)
    them, hid, version = offered(client, f, stack)
    age(f.holder)
    r = client.post("/logg/%d/overlevering/%d/trekk" % (f.log, hid), urlencode({"version": version}))
    assert r.status == 403 and one(stack, "SELECT state FROM handover WHERE id = %d" % hid) == "offered", r
    age(demo_person(stack, "Hanne", "Lien"))
    page = them.get("/logg/%d/overlevering/%d" % (f.log, hid))
    assert 'id="fresh-login"' in page.text and 'id="accept-offer"' not in page.text
    assert 'id="decline-offer"' in page.text
    r = them.post("/logg/%d/overlevering/%d/godta" % (f.log, hid), urlencode({"version": version}))
    assert r.status == 403 and one(stack, "SELECT holder_person_id FROM log WHERE id = %d" % f.log) == str(f.holder)


def test_a_handover_to_another_municipality_moves_the_log(client, stack):
    """Marte Haugland of Fjordvik hands a log over to Torunn Kvåle of Nordheim
    skule: the log, its child, guardians and history move to Nordheim, and no
    one in Fjordvik has access to it any more."""
    login_holder(client, stack)
    log, form = create_log(client, stack)
    make_active(stack, log)
    fjordvik = int(one(stack, "SELECT id FROM municipality WHERE slug = 'fjordvik'"))
    nordheim = int(one(stack, "SELECT id FROM municipality WHERE slug = 'nordheim'"))
    school = unit_id(stack, "Nordheim skule")
    # The consent page offers the other municipality's services, apart.
    page = client.get("/logg/%d/samtykke" % log).text
    assert re.search(r'<details class="elsewhere".*id="paper-unit-%d"' % school, page, re.S), page[:3000]
    f = type("F", (), {"log": log})
    # Not covered yet: refused, nothing offered.
    r = offer(client, f, stack, "Torunn", "Kvåle", stay="leave")
    assert r.status == 422 and "samtykke" in (field_error(r.text, "staff") or ""), r
    stack.sql("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until)"
              " VALUES (%d, %d, %d, CURRENT_DATE + INTERVAL 365 DAY)" % (fjordvik, log, school))
    # Nordheim's leader is not a holder; staying as an actor cannot follow a move.
    assert offer(client, f, stack, "Aslaug", "Rinde", stay="leave", role="leader").status == 422
    r = offer(client, f, stack, "Torunn", "Kvåle", stay="stay")
    assert r.status == 422 and "kommune" in (field_error(r.text, "stay") or ""), field_error(r.text, "stay")
    assert one(stack, "SELECT COUNT(*) FROM handover WHERE log_id = %d" % log) == "0"
    r = offer(client, f, stack, "Torunn", "Kvåle", stay="leave")
    assert r.status == 303, (r, r.text[:2000])
    hid, version = open_offer(stack, f)
    assert one(stack, "SELECT to_municipality_id FROM handover WHERE id = %d" % hid) == str(nordheim)
    page = client.get("/logg/%d/overlevering" % log).text
    assert 'id="open-moves"' in page and "Nordheim herad" in page
    # Torunn, logged in to Nordheim: the offer on her page, nothing of the log yet.
    torunn = fresh(client)
    r, _ = login(torunn, stack, stack.pid("Torunn", "Kvåle"), slug="nordheim")
    assert r.status == 303, r
    assert 'id="tilbud-%d"' % hid in torunn.get("/min-side").text
    assert torunn.get("/logg/%d" % log).status == 403
    page = torunn.get("/logg/%d/overlevering/%d" % (log, hid))
    assert page.status == 200 and 'id="offer-moves"' in page.text and "Fjordvik kommune" in page.text, page
    # Nordheim's leader is offered nothing and reads nothing.
    aslaug = fresh(client)
    login(aslaug, stack, stack.pid("Aslaug", "Rinde"), slug="nordheim")
    assert aslaug.get("/logg/%d/overlevering/%d" % (log, hid)).status == 403
    # Accepted: the log is Nordheim's, held by Torunn for Nordheim skule.
    r = torunn.post("/logg/%d/overlevering/%d/godta" % (log, hid), urlencode({"version": version}))
    assert r.status == 303 and r.header("location") == "/logg/%d?lagret=overlevering-godtatt" % log, r
    torunn_id = int(one(stack, "SELECT p.id FROM person p WHERE p.given_name = 'Torunn' AND p.family_name = 'Kvåle'"))
    assert one(stack, "SELECT municipality_id, holder_person_id, unit_id FROM log WHERE id = %d" % log) == \
        "%d\t%d\t%d" % (nordheim, torunn_id, school)
    assert one(stack, "SELECT kind, from_municipality_id, to_municipality_id FROM log_transition"
                      " WHERE log_id = %d" % log) == "move\t%d\t%d" % (fjordvik, nordheim)
    # Its people moved: the child and both guardians are Nordheim's people now.
    assert one(stack, "SELECT COUNT(*) FROM log_guardian g JOIN person p ON p.id = g.person_id"
                      " WHERE g.log_id = %d AND p.municipality_id = %d" % (log, nordheim)) == "2"
    assert one(stack, "SELECT p.municipality_id FROM log l JOIN person p ON p.id = l.subject_person_id"
                      " WHERE l.id = %d" % log) == str(nordheim)
    # Torunn holds it and edits it; its history came along.
    edit = torunn.get("/logg/%d/rediger" % log)
    assert edit.status == 200
    r = torunn.post("/logg/%d/rediger" % log, basic(version_in(edit.text, "/logg/%d/rediger" % log),
                                                    info="Flytta til Nordheim"))
    assert r.status == 303, r
    history = torunn.get("/logg/%d/historikk" % log).text
    assert "Marte Haugland" in history and "Nordheim herad" in history
    # Fjordvik keeps no access: the old holder, the school's teacher, the leader, the administrator.
    for who in (("Hanne", "Lien"), ("Torbjørn", "Vik"), ("Ingrid", "Solberg")):
        assert as_person(client, stack, *who).get("/logg/%d" % log).status == 403, who
    for path in ("/logg/%d" % log, "/logg/%d/historikk" % log, "/logg/%d/overlevering" % log):
        assert client.get(path).status == 403, path
    # The guardian logs in to Nordheim and sees the new holder. Fjordvik, where nothing
    # else named the child or the guardians, no longer has them: she is not let in there.
    mother = fresh(client)
    r, _ = login(mother, stack, form["g1_nin"], slug="nordheim")
    assert r.status == 303, r
    page = mother.get("/logg/%d" % log)
    assert page.status == 200 and "Torunn Kvåle" in page.text, page.text[:2000]
    assert one(stack, "SELECT COUNT(*) FROM person f JOIN person n ON n.nin_hmac = f.nin_hmac"
                      " JOIN log_guardian g ON g.person_id = n.id AND g.log_id = %d"
                      " WHERE f.municipality_id = %d" % (log, fjordvik)) == "0"
    mother_there = fresh(client)
    r, _ = login(mother_there, stack, form["g1_nin"], slug="fjordvik")
    assert r.header("location") != "/min-side", r
    assert mother_there.get("/logg/%d" % log).status != 200
    # The move's archive copy is Fjordvik's (what it held, until it moved), delivered to
    # Fjordvik's archive and acknowledged there.
    assert one(stack, "SELECT municipality_id, kind, caused_by FROM archive_record WHERE log_id = %d"
                      % log) == "%d\tmove\t%d" % (fjordvik, torunn_id)
    assert wait_for(lambda: one(stack, "SELECT state FROM archive_record WHERE log_id = %d" % log)
                    == "acknowledged", timeout=90), one(stack, "SELECT state, last_error FROM archive_record"
                                                             " WHERE log_id = %d" % log)
    assert one(stack, "SELECT archive_state FROM log_transition WHERE log_id = %d" % log) == "archived"
    # Both municipalities' audit trails show the move.
    assert audit_count(stack, "log_id = %d AND action = 'log.move.out' AND municipality_id = %d"
                       % (log, fjordvik)) == 1
    assert audit_count(stack, "log_id = %d AND action = 'log.move.in' AND municipality_id = %d"
                       % (log, nordheim)) == 1


def test_the_young_person_is_told_of_an_offer(client, stack):
    """A log of a young person at or above the consent age rests on their own
    consent: they are told of an offer, at their own address, like guardians."""
    f = fixture_log(stack, covered=SCHOOL)
    address = "ung-%s@fjordvik.example" % f.sfx
    stack.sql("UPDATE person SET birth_date = '2008-01-15', email = '%s' WHERE id = %d" % (address, f.child))
    stack.sql("UPDATE log SET subject_kind = 'youth' WHERE id = %d" % f.log)
    since = len(stack.mails())
    offered(client, f, stack)
    no_child_in(mail_with(stack, address, r"/logg/%d(?![\d/])" % f.log, since), f)
