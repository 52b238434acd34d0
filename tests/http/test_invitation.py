"""test_invitation.py — inviting an actor by e-mailed link (cgi-bin/actors.c,
cgi-bin/invitation.c, lib/invitation.c), against the real mailer and the
development SMTP server: each test reads the delivered mail and follows its
link like the invited person's browser would. An accepted invitation, the
same link twice, an expired, a revoked and a resent link, the wrong person
logging in, a service the consent does not cover, an actor removed; every
step in the audit trail, and no mail carries the child's name or a number."""
import re
import threading
import time
from urllib.parse import urlencode

from harness import login, synthetic_nin, wait_for
from log_helpers import (as_person, audit_count, field_error, fixture_log, fresh, login_holder, one, unit_id,
                         version_in)


def mails_to(stack, address):
    return [m for m in stack.mails() if m.to == address]


def link_in(stack, address, count=1):
    """The link of the count-th mail to address (waits for it), as a path."""
    got = wait_for(lambda: len(mails_to(stack, address)) >= count and mails_to(stack, address), timeout=30)
    assert got, "no mail %d to %s" % (count, address)
    m = got[count - 1]
    found = re.findall(re.escape(stack.public_url) + r"(/invitasjon/[A-Za-z0-9_-]{43})", m.text)
    assert found, m.text
    return found[0], m


def invite_external(c, f, stack, unit="PPT Fjordvik", **over):
    """The holder's form for someone outside; (response, fields)."""
    sfx = f.sfx + str(time.time_ns() % 100000)
    fields = {"given_name": "Åse", "family_name": "Spesialpedagog-%s" % sfx, "nin": synthetic_nin(),
              "title": "Rådgiver", "organisation": "Statped sørøst", "email": "ase-%s@statped.example" % sfx,
              "phone": "", "unit": str(unit_id(stack, unit)), "task": "Veileder skolen om lesing"}
    fields.update(over)
    return c.post("/logg/%d/aktor/ekstern" % f.log, urlencode(fields)), fields


def invitation_id(stack, f, email):
    return int(one(stack, "SELECT id FROM invitation WHERE log_id = %d AND email = '%s'" % (f.log, email)))


def follow(c, path):
    """Opens the link from the mail: the token becomes a cookie, the browser
    goes on to /invitasjon (the token leaves the address bar)."""
    r = c.get(path)
    assert r.status == 303 and r.header("location") == "/invitasjon", r
    assert "stafett-invitasjon" in c.cookies
    return c.get("/invitasjon")


def accept_as(c, stack, nin, path):
    """The invited person's whole way: the link, the login, the button."""
    r = follow(c, path)
    assert r.status == 200 and 'id="login"' in r.text, r
    r, _ = login(c, stack, nin)
    assert r.status == 303 and r.header("location") == "/invitasjon", r
    r = c.get("/invitasjon")
    assert r.status == 200 and 'id="accept"' in r.text, r
    return c.post("/invitasjon")


def test_an_invitation_is_mailed_and_accepted_by_the_right_person(client, stack):
    f = fixture_log(stack)
    login_holder(client, stack)
    r, fields = invite_external(client, f, stack)
    assert r.status == 303 and r.header("location") == "/logg/%d/aktor?lagret=invitert" % f.log, r
    page = client.get(r.header("location"))
    assert "Invitasjonen er sendt" in page.text, page.text[:3000]
    path, mail = link_in(stack, fields["email"])
    # The mail: to the name the holder typed, in the municipality's language,
    # from the holder, nothing about the child.
    assert mail.msg["To"].addresses[0].display_name == "Åse " + fields["family_name"]
    assert "=?UTF-8?" in mail.raw.decode("ascii", "replace").split("\r\n\r\n")[0]
    assert mail.msg["Auto-Submitted"] == "auto-generated"
    assert "Marte Haugland" in mail.text and "Fjordvik" in mail.text
    for secret in (f.child_name, "Målesen", fields["nin"], "Veileder skolen"):
        assert secret not in mail.text and secret not in mail.html, secret
    # The invited person follows it, logs in as themself and accepts.
    them = fresh(client)
    r = accept_as(them, stack, fields["nin"], path)
    assert r.status == 303 and r.header("location") == "/logg/%d?lagret=aktor-godtatt" % f.log, r
    r = them.get(r.header("location"))
    assert r.status == 200 and f.child_name in r.text, r
    assert "Du har godtatt invitasjonen" in r.text
    # The holder sees it accepted and the actor with the task; history and audit keep it.
    page = client.get("/logg/%d/aktor" % f.log).text
    assert "Godtatt" in page and "Veileder skolen om lesing" in page
    assert one(stack, "SELECT COUNT(*) FROM log_actor WHERE log_id = %d AND removed_at IS NULL"
               " AND task = 'Veileder skolen om lesing'" % f.log) == "1"
    assert audit_count(stack, "log_id = %d AND action = 'log.actor.invite' AND outcome = 'allow'" % f.log) >= 1
    assert audit_count(stack, "log_id = %d AND action = 'invitation.accept' AND outcome = 'allow'" % f.log) == 1
    hist = client.get("/logg/%d/historikk" % f.log).text
    assert "godtok invitasjonen" in hist, hist[:3000]
    # The guardian sees who takes part, with the task, in plain words too.
    kari = as_person(client, stack, "Kari", "Fjelltun")
    assert "Åse %s (PPT Fjordvik): Veileder skolen om lesing" % fields["family_name"] in kari.get(
        "/logg/%d/enkel" % f.log).text
    # The same link a second time: used.
    again = fresh(client)
    r = follow(again, path)
    assert r.status == 410 and 'id="invitation-accepted"' in r.text, r
    # The token is in no access log: the route shows /invitasjon/- instead.
    token = path.rsplit("/", 1)[1]
    leaked = [n for n, text in stack.logs().items() if token in text]
    assert not leaked, leaked


def test_the_wrong_person_is_refused_the_holder_told_and_the_link_still_works(client, stack):
    f = fixture_log(stack)
    login_holder(client, stack)
    r, fields = invite_external(client, f, stack)
    assert r.status == 303, r
    path, _ = link_in(stack, fields["email"])
    inv = invitation_id(stack, f, fields["email"])
    # Live Mo opens the forwarded link and logs in as herself.
    wrong = fresh(client)
    r = follow(wrong, path)
    login(wrong, stack, stack.pid("Live", "Mo"))
    r = wrong.post("/invitasjon")
    assert r.status == 303 and r.header("location") == "/invitasjon/annen-person", r
    r = wrong.get("/invitasjon/annen-person")
    assert r.status == 403 and 'id="invitation-wrong-person"' in r.text, r
    assert f.child_name not in r.text
    assert wrong.get("/logg/%d" % f.log).status == 403
    assert one(stack, "SELECT refused_at IS NOT NULL FROM invitation WHERE id = %d" % inv) == "1"
    assert audit_count(stack, "log_id = %d AND action = 'invitation.accept' AND outcome = 'refused'"
                       " AND detail = 'wrong person'" % f.log) == 1
    # The holder is told: a notice by mail, and the invitation says so.
    holder_mail = one(stack, "SELECT email FROM person WHERE id = %d" % f.holder)
    assert wait_for(lambda: [m for m in mails_to(stack, holder_mail) if "/logg/%d/aktor" % f.log in m.text],
                    timeout=30), "the holder got no notice"
    assert 'id="invitation-%d-refused"' % inv in client.get("/logg/%d/aktor" % f.log).text
    # The right person, with the same link, gets in.
    right = fresh(client)
    r = accept_as(right, stack, fields["nin"], path)
    assert r.status == 303 and r.header("location").startswith("/logg/%d" % f.log), r


def test_an_expired_link_says_so_and_lets_nobody_in(client, stack):
    f = fixture_log(stack)
    login_holder(client, stack)
    r, fields = invite_external(client, f, stack)
    path, _ = link_in(stack, fields["email"])
    inv = invitation_id(stack, f, fields["email"])
    stack.sql("UPDATE invitation SET expires_at = NOW(3) - INTERVAL 1 MINUTE WHERE id = %d" % inv)
    them = fresh(client)
    r = them.get(path)
    r = them.get("/invitasjon")
    assert r.status == 410 and 'id="invitation-expired"' in r.text, r
    login(them, stack, fields["nin"])
    r = them.post("/invitasjon")
    assert r.status == 410, r
    assert one(stack, "SELECT COUNT(*) FROM log_actor WHERE log_id = %d" % f.log) == "0"
    assert "Utløpt" in client.get("/logg/%d/aktor" % f.log).text


def test_a_revoked_link_and_a_resent_one(client, stack):
    f = fixture_log(stack)
    login_holder(client, stack)
    r, fields = invite_external(client, f, stack)
    first, _ = link_in(stack, fields["email"])
    inv = invitation_id(stack, f, fields["email"])
    page = client.get("/logg/%d/aktor" % f.log).text
    action = "/logg/%d/aktor/invitasjon/%d/send" % (f.log, inv)
    r = client.post(action, urlencode({"version": version_in(page, action)}))
    assert r.status == 303 and r.header("location").endswith("?lagret=invitasjon-sendt"), r
    second, _ = link_in(stack, fields["email"], count=2)
    assert second != first
    # The old link is dead and says a newer one was sent.
    old = fresh(client)
    follow_old = old.get(first)
    assert follow_old.status == 303
    r = old.get("/invitasjon")
    assert r.status == 410 and 'id="invitation-replaced"' in r.text, r
    # The holder withdraws it: the new link dies too.
    page = client.get("/logg/%d/aktor" % f.log).text
    action = "/logg/%d/aktor/invitasjon/%d/trekk" % (f.log, inv)
    r = client.post(action, urlencode({"version": version_in(page, action)}))
    assert r.status == 303 and r.header("location").endswith("?lagret=invitasjon-trukket"), r
    late = fresh(client)
    late.get(second)
    r = late.get("/invitasjon")
    assert r.status == 410 and 'id="invitation-revoked"' in r.text, r
    login(late, stack, fields["nin"])
    assert late.post("/invitasjon").status == 410
    assert one(stack, "SELECT COUNT(*) FROM log_actor WHERE log_id = %d" % f.log) == "0"
    assert audit_count(stack, "log_id = %d AND action IN ('log.actor.reinvite', 'log.actor.revoke')"
                       " AND outcome = 'allow'" % f.log) == 2
    # A stale form (the version of before the withdrawal) is told, not redone.
    r = client.post("/logg/%d/aktor/invitasjon/%d/send" % (f.log, inv), urlencode({"version": "1"}))
    assert r.status == 409 and 'id="actors-conflict"' in r.text, r


def test_a_service_the_consent_does_not_cover_is_refused_and_nothing_sent(client, stack):
    f = fixture_log(stack)
    login_holder(client, stack)
    r, fields = invite_external(client, f, stack, unit="Barneverntjenesten i Fjordvik")
    assert r.status == 422, r
    assert "utvide samtykket" in (field_error(r.text, "ext-unit") or ""), r.text[:3000]
    assert fields["family_name"] in r.text  # what was typed comes back
    assert one(stack, "SELECT COUNT(*) FROM invitation WHERE log_id = %d" % f.log) == "0"
    assert one(stack, "SELECT COUNT(*) FROM outbox WHERE log_id = %d AND kind = 'invitation'" % f.log) == "0"
    # A staff member of an uncovered unit: the same.
    role = one(stack, "SELECT r.id FROM staff_role r JOIN person p ON p.id = r.person_id"
               " WHERE p.given_name = 'Oda' AND p.family_name = 'Strand' AND r.role = 'staff'")
    r = client.post("/logg/%d/aktor/ansatt" % f.log, urlencode({"staff": role, "task": "Følger opp", "email": ""}))
    assert r.status == 422 and field_error(r.text, "staff-staff"), r


def test_a_staff_member_from_the_directory_is_invited_to_their_own_address(client, stack):
    f = fixture_log(stack)
    login_holder(client, stack)
    role = one(stack, "SELECT r.id FROM staff_role r JOIN person p ON p.id = r.person_id"
               " WHERE p.given_name = 'Nils' AND p.family_name = 'Dahle' AND r.role = 'staff'")
    address = one(stack, "SELECT email FROM person WHERE id = %d" % f.nils)
    before = len(mails_to(stack, address))
    r = client.post("/logg/%d/aktor/ansatt" % f.log, urlencode({"staff": role, "task": "Utreder språk",
                                                                 "email": ""}))
    assert r.status == 303, r
    path, _ = link_in(stack, address, count=before + 1)
    nils = fresh(client)
    r = accept_as(nils, stack, stack.pid("Nils", "Dahle"), path)
    assert r.status == 303 and r.header("location").startswith("/logg/%d" % f.log), r


def test_an_actor_removed_is_refused_at_once_and_history_keeps_them(client, stack):
    f = fixture_log(stack)
    login_holder(client, stack)
    r, fields = invite_external(client, f, stack)
    path, _ = link_in(stack, fields["email"])
    them = fresh(client)
    assert accept_as(them, stack, fields["nin"], path).status == 303
    assert them.get("/logg/%d" % f.log).status == 200
    actor = int(one(stack, "SELECT id FROM log_actor WHERE log_id = %d" % f.log))
    page = client.get("/logg/%d/aktor" % f.log).text
    action = "/logg/%d/aktor/%d/fjern" % (f.log, actor)
    # Without a reason: told at the field, nothing removed.
    r = client.post(action, urlencode({"version": version_in(page, action), "reason": ""}))
    assert r.status == 422 and field_error(r.text, "reason-%d" % actor), r
    r = client.post(action, urlencode({"version": version_in(page, action), "reason": "Tiltaket er avsluttet"}))
    assert r.status == 303 and r.header("location").endswith("?lagret=aktor-fjernet"), r
    assert them.get("/logg/%d" % f.log).status == 403
    assert them.post("/logg/%d/notat" % f.log, urlencode({"text": "Hei"})).status == 403
    hist = client.get("/logg/%d/historikk" % f.log).text
    assert "fjernet Åse %s som aktør" % fields["family_name"] in hist, hist[:4000]
    assert "Tiltaket er avsluttet" in hist
    assert "Var med før" in client.get("/logg/%d/aktor" % f.log).text


def test_who_may_not_invite_is_refused(client, stack):
    f = fixture_log(stack)
    stack.sql("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id) VALUES (%d, %d, %d, %d)"
              % (f.muni, f.log, f.live, f.health))
    for given, family in (("Kari", "Fjelltun"), ("Live", "Mo"), ("Torbjørn", "Vik"), ("Ingrid", "Solberg"),
                          ("Hanne", "Lien")):
        c = as_person(client, stack, given, family)
        assert c.get("/logg/%d/aktor" % f.log).status == 403, (given, family)
        r, _ = invite_external(c, f, stack)
        assert r.status == 403, (given, family, r)
    assert one(stack, "SELECT COUNT(*) FROM invitation WHERE log_id = %d" % f.log) == "0"
    assert audit_count(stack, "log_id = %d AND action = 'log.actor.invite' AND outcome = 'deny'" % f.log) == 5


def test_wrong_tokens_are_held_back(client, stack):
    c = fresh(client)
    try:
        statuses = [c.get("/invitasjon/" + "A" * 42 + str(i % 10)).status for i in range(101)]
        assert statuses[:100] == [404] * 100 and statuses[100] == 429, statuses[95:]
        assert c.get("/invitasjon/" + "B" * 43).status == 429
    finally:
        # The counter is per address, and the rest of the suite comes from this one.
        stack.sql("DELETE FROM rate_limit")


def test_two_accepts_at_once_make_one_actor(client, stack):
    f = fixture_log(stack)
    login_holder(client, stack)
    r, fields = invite_external(client, f, stack)
    path, _ = link_in(stack, fields["email"])
    them = fresh(client)
    follow(them, path)
    login(them, stack, fields["nin"])
    # Both as one browser sends a double click: the same cookies and form, whatever the
    # first answer sets (the client's own jar would change under the second).
    body = urlencode({"_csrf": them.csrf()})
    cookie = "; ".join("%s=%s" % kv for kv in them.cookies.items())
    results = []

    def accept():
        results.append(them.request("POST", "/invitasjon", body=body, headers={"Cookie": cookie},
                                    cookies=False).status)
    threads = [threading.Thread(target=accept) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [303, 410], results
    assert one(stack, "SELECT COUNT(*) FROM log_actor WHERE log_id = %d" % f.log) == "1"
    assert audit_count(stack, "log_id = %d AND action = 'invitation.accept' AND outcome = 'allow'" % f.log) == 1


def test_an_invitation_to_an_address_that_does_not_work_shows_it_came_back(client, stack):
    f = fixture_log(stack)
    login_holder(client, stack)
    r, fields = invite_external(client, f, stack, email="ingen-%s@avvist.example" % f.sfx)
    assert r.status == 303, r
    inv = invitation_id(stack, f, fields["email"])
    assert wait_for(lambda: one(stack, "SELECT o.state FROM invitation i JOIN outbox o ON o.id = i.outbox_id"
                                       " WHERE i.id = %d" % inv) == "bounced", timeout=30)
    page = client.get("/logg/%d/aktor" % f.log).text
    item = page[page.index('id="invitation-%d"' % inv):]
    assert "Kom i retur" in item[:3000] and "550" in item[:3000], item[:3000]


def test_a_leader_an_administrator_the_holder_or_a_guardian_cannot_be_invited(client, stack):
    f = fixture_log(stack)
    login_holder(client, stack)
    cases = [(stack.pid("Torbjørn", "Vik"), "leder eller administrator"),   # a leader never reads contents
             (stack.pid("Ingrid", "Solberg"), "leder eller administrator"),
             (stack.pid("Marte", "Haugland"), "Du er selv loggfører"),
             (stack.pid("Kari", "Fjelltun"), "er foresatt i loggen")]
    for nin, says in cases:
        r, _ = invite_external(client, f, stack, nin=nin)
        assert r.status == 422 and says in (field_error(r.text, "ext-nin") or ""), (says, r.text[:2000])
    assert one(stack, "SELECT COUNT(*) FROM invitation WHERE log_id = %d" % f.log) == "0"
    assert audit_count(stack, "log_id = %d AND action = 'log.actor.invite' AND outcome = 'refused'"
                       " AND detail = 'self'" % f.log) == 1
