"""test_messages.py — the messages in a log (cgi-bin/messages.c, lib/message.c)
and each person's choice of e-mail (/min-side/varsler, lib/mailpref.c): the
holder, an actor and a guardian write and read; the thread newest first with
each author's relation, who has read each message and what is new to the
reader; the link from the log page with the count of unread; a leader, the
administrator, a removed actor, an actor whose service the consent does not
cover, a guardian of another child and the same person logged in to another
municipality are refused; a double submit writes one message; the notices:
after several messages in a row each other participant who may read the
log has one queued "message" mail within the interval, nobody else has any,
someone who chose no e-mail gets none, and no mail says what was written or
whom it is about. Fresh logs from log_helpers.fixture_log."""
import html
import os
import re
import subprocess
from urllib.parse import urlencode

try:
    from harness import mail_link
except ImportError:  # the harness before its SMTP server
    mail_link = None
from harness import login, wait_for
from log_helpers import (HOSTILE, Fixture, as_person, audit_count, create_log, esc, field_error, fixture_log,
                         fresh, one, stored, unit_id)

ALERT = re.compile(r'<div class="ds-alert" data-color="success" role="status">(.*?)</div>', re.S)


def said(page):
    m = ALERT.search(page)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else None


def url(f):
    return "/logg/%d/meldinger" % f.log


def send(c, f, text, **extra):
    r = c.post(url(f), urlencode(dict({"text": text}, **extra)))
    assert r.status == 303 and r.header("location") == url(f) + "?lagret=melding", (r, r.text[:2000])
    return int(one(f.stack, "SELECT MAX(id) FROM message WHERE log_id = %d" % f.log))


def messages(page):
    """(id, author line, text, read-by line, new) of each message, in page order."""
    out = []
    for mid, body in re.findall(r'<li id="melding-(\d+)" class="note message[^"]*">(.*?)</li>', page, re.S):
        def text(pattern):
            m = re.search(pattern, body, re.S)
            return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))).strip() if m else None
        out.append((int(mid), text(r'<p class="meta author">(.*?)</p>'), text(r'<p class="text"[^>]*>(.*?)</p>'),
                    text(r'<p class="meta read-by">(.*?)</p>'), 'class="badge new-marker"' in body))
    return out


def setup(c, stack):
    """A fresh log with Live Mo an actor for the health station (covered by
    the consent), Nils Dahle a removed actor for PPT, Oda Strand an actor for
    child welfare (not covered), Kari Fjelltun its guardian at an address
    typed on the log; the notice gate of its people as if the interval had
    passed (the suite writes to them from other logs too)."""
    f = fixture_log(stack)
    f.stack = stack
    f.oda = int(one(stack, "SELECT MIN(p.id) FROM person p JOIN staff_role s ON s.person_id = p.id"
                    " WHERE p.municipality_id = %d AND p.given_name = 'Oda' AND p.family_name = 'Strand'" % f.muni))
    f.welfare = unit_id(stack, "Barneverntjenesten i Fjordvik")
    stack.sql("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id) VALUES (%d, %d, %d, %d),"
              " (%d, %d, %d, %d)" % (f.muni, f.log, f.live, f.health, f.muni, f.log, f.oda, f.welfare))
    stack.sql("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id, removed_at, removed_by)"
              " VALUES (%d, %d, %d, %d, CURRENT_TIMESTAMP(3), %d)" % (f.muni, f.log, f.nils, f.ppt, f.holder))
    f.kari_address = "kari-%s@fjordvik.example" % f.sfx
    stack.sql("UPDATE log_guardian SET email = '%s' WHERE log_id = %d AND person_id = %d"
              % (f.kari_address, f.log, f.kari))
    open_gates(stack, f.holder, f.kari, f.live, f.nils, f.oda)
    return f


def open_gates(stack, *people):
    stack.sql("UPDATE notice_gate SET last_at = last_at - INTERVAL 1 DAY WHERE person_id IN (%s)"
              % ", ".join(str(p) for p in people))


def outbox_since(stack, f, since):
    """{person id: [(recipient, language)]} of the "message" mail queued about
    the log after outbox id since."""
    out = {}
    for line in stack.sql("SELECT person_id, rcpt, lang FROM outbox WHERE kind = 'message' AND log_id = %d"
                          " AND id > %d ORDER BY id" % (f.log, since)).splitlines():
        person, rcpt, lang = line.split("\t")
        out.setdefault(int(person), []).append((rcpt, lang))
    return out


def last_outbox(stack):
    return int(one(stack, "SELECT COALESCE(MAX(id), 0) FROM outbox"))


def test_holder_actor_and_guardian_write_and_read_with_markers(c, stack):
    f = setup(c, stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    page = c.get(url(f))
    assert page.status == 200, page
    assert 'id="messages-none"' in page.text and 'id="message-text"' in page.text
    assert re.search(r'<label class="ds-label" for="message-text">Melding</label>', page.text)
    reads = audit_count(stack, "log_id = %d AND action = 'log.messages.read' AND outcome = 'allow'" % f.log)
    m1 = send(c, f, "Hei! Vi har språkgruppe på tirsdag.")
    assert audit_count(stack, "log_id = %d AND action = 'log.message.add' AND outcome = 'allow'" % f.log) == 1
    page = c.get(url(f) + "?lagret=melding").text
    assert said(page) == "Meldingen er sendt.", said(page)
    assert audit_count(stack, "log_id = %d AND action = 'log.messages.read' AND outcome = 'allow'"
                       % f.log) == reads + 1
    # The author's own message is not new to them, and nobody else has read it yet.
    [(mid, author, text, read_by, new)] = messages(page)
    assert (mid, text, new) == (m1, "Hei! Vi har språkgruppe på tirsdag.", False)
    assert author.startswith("Marte Haugland (stafettholder, Solsikken barnehage) ·"), author
    assert re.search(r"· \d\d\.\d\d\.\d{4} kl\. \d\d\.\d\d$", author), author
    assert read_by == "Ingen andre har lest den ennå."

    # The guardian: a link with one unread on the log page, the message new to her.
    kari = as_person(c, stack, "Kari", "Fjelltun")
    log_page = kari.get("/logg/%d" % f.log).text
    link = re.search(r'<a [^>]*href="/logg/%d/meldinger" id="messages-link">(.*?)</a>' % f.log, log_page, re.S)
    assert link and "Meldinger" in link.group(1) and "(1 ny)" in link.group(1), link and link.group(1)
    page = kari.get(url(f)).text
    assert 'id="messages-new"' in page and "Én melding er ny for deg." in page
    [(mid, author, text, read_by, new)] = messages(page)
    assert mid == m1 and new and read_by is None
    # Opening the thread moved her marker: nothing is new the next time.
    assert one(stack, "SELECT last_message_id FROM message_read WHERE log_id = %d AND person_id = %d"
               % (f.log, f.kari)) == str(m1)
    assert not messages(kari.get(url(f)).text)[0][4]
    assert "(1 ny)" not in kari.get("/logg/%d" % f.log).text
    m2 = send(kari, f, HOSTILE)
    assert stored(stack, "text", "message", m2) == HOSTILE

    # The actor writes too, and sees both as new, newest first.
    live = as_person(c, stack, "Live", "Mo")
    log_page = live.get("/logg/%d" % f.log).text
    assert re.search(r'id="messages-link">Meldinger <strong class="unread">\(2 nye\)</strong>', log_page), \
        re.search(r'id="messages-link">.{0,200}', log_page).group(0)
    page = live.get(url(f)).text
    assert "2 meldinger er nye for deg." in page
    listed = messages(page)
    assert [m[0] for m in listed] == [m2, m1] and all(m[4] for m in listed)
    assert listed[0][1].startswith("Kari Fjelltun (foresatt) ·"), listed[0][1]
    assert "<script>alert(1)" not in page and esc(HOSTILE) in page
    # Who has read each, besides its author and the reader.
    assert listed[1][3] == "Lest av Kari Fjelltun", listed[1][3]
    m3 = send(live, f, "Helsesamtalen er flyttet til fredag.")

    # Back to the holder: the markers of the others show on each message.
    page = c.get(url(f)).text
    listed = messages(page)
    assert [m[0] for m in listed] == [m3, m2, m1]
    assert [m[4] for m in listed] == [True, True, False]
    assert listed[0][1].startswith("Live Mo (aktør, Fjordvik helsestasjon) ·"), listed[0][1]
    assert listed[0][3] is None  # only the author has read it (and now the reader)
    assert listed[1][3] == "Lest av Live Mo", listed[1][3]
    assert listed[2][3] == "Lest av Kari Fjelltun, Live Mo", listed[2][3]
    # The audit rows hold no message text.
    assert one(stack, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%språkgruppe%'") == "0"


def test_a_message_is_required_bounded_and_sent_once(c, stack):
    f = setup(c, stack)
    login(c, stack, stack.pid("Kari", "Fjelltun"))
    r = c.post(url(f), urlencode({"text": ""}))
    assert r.status == 422 and field_error(r.text, "message-text") == "Skriv meldingen.", r.text[:3000]
    assert re.search(r'id="message-text"[^>]*aria-invalid="true"', r.text)
    assert '<a class="ds-link" href="#message-text">' in r.text  # the error summary leads to the field
    long_text = "ø" * 501
    r = c.post(url(f), urlencode({"text": long_text}))
    assert r.status == 422 and field_error(r.text, "message-text") == "Bruk høyst 500 tegn."
    assert ">%s</textarea>" % long_text in r.text
    assert one(stack, "SELECT COUNT(*) FROM message WHERE log_id = %d" % f.log) == "0"
    # The same form sent twice: one message, one audit row of the action, one notice each.
    page = c.get(url(f)).text
    token = re.search(r'name="_once" value="([^"]+)"', page).group(1)
    since = last_outbox(stack)
    adds = audit_count(stack, "log_id = %d AND action = 'log.message.add' AND outcome = 'allow'" % f.log)
    body = urlencode({"text": "Takk for sist!", "_once": token})
    r1, r2 = c.post(url(f), body), c.post(url(f), body)
    assert r1.status == 303 and r2.status == 303 and r2.header("location") == r1.header("location"), (r1, r2)
    assert one(stack, "SELECT COUNT(*) FROM message WHERE log_id = %d" % f.log) == "1"
    # One row of the action, and one of the second submit, which says it was repeated.
    assert audit_count(stack, "log_id = %d AND action = 'log.message.add' AND outcome = 'allow'"
                       " AND detail IS NULL" % f.log) == adds + 1
    assert audit_count(stack, "log_id = %d AND action = 'log.message.add' AND outcome = 'allow'"
                       " AND detail = 'repeated'" % f.log) == 1
    assert sorted(outbox_since(stack, f, since)) == sorted([f.holder, f.live])


def test_those_outside_the_thread_are_refused(c, stack):
    f = setup(c, stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    send(c, f, "Bare for de som er med.")
    refusals = [("Torbjørn", "Vik"),       # the unit's leader: the flow, never contents
                ("Ingrid", "Solberg"),     # the administrator
                ("Nils", "Dahle"),         # a removed actor
                ("Oda", "Strand"),         # an actor whose service the consent does not cover
                ("Siri", "Bergli")]        # a guardian of another child
    for given, family in refusals:
        them = as_person(c, stack, given, family)
        denied = audit_count(stack, "log_id = %d AND outcome = 'deny'" % f.log)
        g = them.get(url(f))
        p = them.post(url(f), urlencode({"text": "Hei"}))
        assert g.status == 403 and p.status == 403, (given, g, p)
        assert "Bare for de som er med." not in g.text
        assert audit_count(stack, "log_id = %d AND outcome = 'deny'" % f.log) == denied + 2, given
        assert 'id="messages-link"' not in them.get("/logg/%d" % f.log).text
    # The same person (her number) logged in to another municipality, where
    # she is registered too, reaches nothing of this one. (Named apart there:
    # the helpers find demo people by name.)
    if one(stack, "SELECT COUNT(*) FROM person p JOIN municipality m ON m.id = p.municipality_id"
                  " WHERE m.slug = 'nordheim' AND p.family_name = 'Fjelltun-Nordheim'") == "0":
        r = subprocess.run([os.path.join(stack.build_dir(), "tools", "stafett-admin"), "administrator", "nordheim",
                            "Kari", "Fjelltun-Nordheim"], input=stack.pid("Kari", "Fjelltun") + "\n", env=stack.env,
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    other = fresh(c)
    r, _ = login(other, stack, stack.pid("Kari", "Fjelltun"), slug="nordheim")
    assert r.status == 303, r
    assert other.get(url(f)).status == 403
    assert other.post(url(f), urlencode({"text": "Hei"})).status == 403
    assert one(stack, "SELECT COUNT(*) FROM message WHERE log_id = %d" % f.log) == "1"


def test_a_closed_log_keeps_its_thread_read_only(c, stack):
    f = setup(c, stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    send(c, f, "Siste melding før vi avslutter.")
    stack.sql("UPDATE log SET state = 'closed' WHERE id = %d" % f.log)
    kari = as_person(c, stack, "Kari", "Fjelltun")
    page = kari.get(url(f))
    assert page.status == 200 and "Siste melding før vi avslutter." in page.text
    assert 'id="messages-read-only"' in page.text and 'id="message-text"' not in page.text
    assert kari.post(url(f), urlencode({"text": "Hei"})).status == 403


def test_notices_one_per_person_per_interval_never_saying_what(c, stack):
    f = setup(c, stack)
    # A second guardian who chose no e-mail, and the child (under the consent
    # age: no relation that reads the log) with an address of their own.
    stack.sql("UPDATE person SET email = 'barnet-%s@fjordvik.example' WHERE id = %d" % (f.sfx, f.child))
    f.quiet = int(one(stack, (
        "INSERT INTO person (municipality_id, nin_sealed, nin_key_id, nin_hmac, birth_date, given_name,"
        " family_name, email, email_notices) VALUES (%d, UNHEX(SHA2(UUID(), 256)), 1, UNHEX(SHA2(UUID(), 256)),"
        " '1985-01-01', 'Stille', 'Foresatt-%s', 'stille-%s@fjordvik.example', FALSE) RETURNING id")
        % (f.muni, f.sfx, f.sfx)))
    stack.sql("INSERT INTO log_guardian (municipality_id, log_id, person_id) VALUES (%d, %d, %d)"
              % (f.muni, f.log, f.quiet))
    since = last_outbox(stack)
    kari = as_person(c, stack, "Kari", "Fjelltun")
    texts = ["Melding nummer %d om %s" % (i, f.child_name) for i in range(1, 5)]
    for t in texts:
        send(kari, f, t)
    queued = outbox_since(stack, f, since)
    # One each to the holder and the actor, however many messages; none to
    # the author, the removed actor, the uncovered actor, the child or the
    # guardian who chose no e-mail.
    assert sorted(queued) == sorted([f.holder, f.live]), queued
    assert all(len(v) == 1 for v in queued.values()), queued
    # The holder answers twice: Kari is told once, at the address typed on the log.
    login(c, stack, stack.pid("Marte", "Haugland"))
    for t in ("Svar en", "Svar to"):
        send(c, f, t)
    queued = outbox_since(stack, f, since)
    assert sorted(queued) == sorted([f.holder, f.live, f.kari]), queued
    assert all(len(v) == 1 for v in queued.values()), queued
    assert queued[f.kari] == [(f.kari_address, "nb")], queued[f.kari]
    assert one(stack, "SELECT COUNT(*) FROM outbox WHERE id > %d AND person_id IN (%d, %d, %d, %d)"
               % (since, f.nils, f.oda, f.child, f.quiet)) == "0"
    # Once the interval has passed, the next message is told again.
    open_gates(stack, f.live)
    send(c, f, "Svar tre")
    assert len(outbox_since(stack, f, since)[f.live]) == 2
    # The mail at the server says only that something is new, and links to the thread.
    mails = delivered(stack, f, since)
    if mails is not None:
        rcpt = dict(line.split("\t") for line in stack.sql(
            "SELECT CONCAT('<', message_id, '>'), rcpt FROM outbox WHERE id > %d AND log_id = %d" % (since, f.log)
        ).splitlines())
        for m in mails:
            assert m.to == rcpt[m.message_id], (m.to, rcpt[m.message_id])
            assert mail_link(stack, m) == url(f), m.text
            # Nor who wrote (Kari, to the others): only "something new for you".
            author = ["Kari Fjelltun"] if m.to != f.kari_address else []
            for secret in texts + ["Svar en", "Svar to", "Svar tre", f.child_name, "Testbarn", "Målesen"] + author:
                assert secret not in m.text and secret not in m.html and secret not in str(m.msg["Subject"]), \
                    (secret, m.file)
        # Kari follows the link in hers: the thread, the holder's answers new to her.
        [hers] = [m for m in mails if m.to == f.kari_address]
        page = kari.get(mail_link(stack, hers))
        assert page.status == 200 and "Svar tre" in page.text, page
        assert "3 meldinger er nye for deg." in page.text


def delivered(stack, f, since):
    """The "message" mail about the log queued after outbox id since, as the
    SMTP server received it from the mailer (harness Mail objects), once all
    of it is there; None while the harness has no SMTP server."""
    if not hasattr(stack, "mails"):
        return None
    ids = set(stack.sql("SELECT CONCAT('<', message_id, '>') FROM outbox WHERE kind = 'message' AND log_id = %d"
                        " AND id > %d" % (f.log, since)).split())

    def all_there():
        ms = [m for m in stack.mails() if m.message_id in ids]
        return ms if len(ms) == len(ids) else None
    mails = wait_for(all_there, timeout=30)
    assert mails, "of %d mails, %d at the server" % (len(ids), len([m for m in stack.mails() if m.message_id in ids]))
    return mails


def test_the_choice_of_e_mail_on_my_page(c, stack):
    f = setup(c, stack)
    login(c, stack, stack.pid("Kari", "Fjelltun"))
    home = c.get("/min-side").text
    assert 'href="/min-side/varsler"' in home and 'id="email-choice"' in home
    page = c.get("/min-side/varsler")
    assert page.status == 200, page
    own = one(stack, "SELECT email FROM person WHERE id = %d" % f.kari)
    assert re.search(r'id="own-address">[^<]*<strong>%s</strong>' % re.escape(own), page.text), page.text[:3000]
    assert f.kari_address in page.text  # the address typed on the log
    assert 'id="invitation-always"' in page.text
    assert re.search(r'id="notices-yes" name="notices" value="yes" checked', page.text)
    assert re.search(r'id="mail_lang-municipality" name="mail_lang" value="municipality" checked', page.text)
    # Without a choice: a message at each field and the summary.
    r = c.post("/min-side/varsler", "")
    assert r.status == 422, r
    assert '<a class="ds-link" href="#notices">' in r.text and '<a class="ds-link" href="#mail_lang">' in r.text
    # A form from another site is refused.
    assert c.post("/min-side/varsler", urlencode({"notices": "no", "mail_lang": "en", "_csrf": "0" * 64}),
                  csrf=False).status == 403
    try:
        changes = audit_count(stack, "person_id = %d AND action = 'person.notices.change'" % f.kari)
        r = c.post("/min-side/varsler", urlencode({"notices": "no", "mail_lang": "nn"}))
        assert r.status == 303 and r.header("location") == "/min-side/varsler?lagret=varsler", r
        page = c.get(r.header("location")).text
        assert said(page) == "Valget ditt om e-post er lagret.", said(page)
        assert re.search(r'id="notices-no" name="notices" value="no" checked', page)
        assert re.search(r'id="mail_lang-nn" name="mail_lang" value="nn" checked', page)
        assert one(stack, "SELECT CONCAT(email_notices, mail_lang) FROM person WHERE id = %d" % f.kari) == "0nn"
        assert audit_count(stack, "person_id = %d AND action = 'person.notices.change'" % f.kari) == changes + 2
        assert audit_count(stack, "person_id = %d AND action = 'person.notices.change'"
                           " AND detail = 'email_notices: yes -> no'" % f.kari) >= 1
        # Saving the same again changes nothing, and records nothing.
        c.post("/min-side/varsler", urlencode({"notices": "no", "mail_lang": "nn"}))
        assert audit_count(stack, "person_id = %d AND action = 'person.notices.change'" % f.kari) == changes + 2
        # Now a message gives her no notice, while the holder still gets hers.
        since = last_outbox(stack)
        live = as_person(c, stack, "Live", "Mo")
        send(live, f, "Ny time neste uke.")
        assert sorted(outbox_since(stack, f, since)) == [f.holder]
        assert 'id="email-choice"' in c.get("/min-side").text
    finally:
        stack.sql("UPDATE person SET email_notices = TRUE, mail_lang = NULL WHERE id = %d" % f.kari)
    # Her language is the mail's: a notice after she chose Nynorsk is in Nynorsk.
    stack.sql("UPDATE person SET mail_lang = 'nn' WHERE id = %d" % f.kari)
    try:
        open_gates(stack, f.kari)
        since = last_outbox(stack)
        send(as_person(c, stack, "Live", "Mo"), f, "Enda en time.")
        assert outbox_since(stack, f, since)[f.kari] == [(f.kari_address, "nn")]
    finally:
        stack.sql("UPDATE person SET mail_lang = NULL WHERE id = %d" % f.kari)


def test_deleting_a_draft_takes_its_messages_and_read_markers(c, stack):
    login(c, stack, stack.pid("Marte", "Haugland"))
    log_id, form = create_log(c, stack)
    f = Fixture()
    f.log, f.stack = log_id, stack
    mother = int(one(stack, "SELECT person_id FROM log_guardian WHERE log_id = %d AND given_name = '%s'"
                     % (log_id, form["g1_given_name"])))
    # In a draft the holder writes, and the guardians (who read it to
    # consent) are told at the addresses typed on it.
    send(c, f, "Velkommen! Les gjennom og gi samtykke når dere er klare.")
    assert one(stack, "SELECT COUNT(*) FROM outbox WHERE kind = 'message' AND log_id = %d AND person_id = %d"
               % (log_id, mother)) == "1"
    assert one(stack, "SELECT COUNT(*) FROM notice_gate WHERE person_id = %d" % mother) == "1"
    assert one(stack, "SELECT COUNT(*) FROM message_read WHERE log_id = %d" % log_id) == "1"
    page = c.get("/logg/%d/slett" % log_id).text
    m = re.search(r'<form method="post" action="(/logg/\d+/slett)">(.*?)</form>', page, re.S)
    assert m, page[:3000]
    r = c.post(m.group(1), urlencode(dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                                                     m.group(2)))))
    assert r.status == 303 and r.header("location") == "/min-side?lagret=slettet", r
    for table in ("message", "message_read", "outbox"):
        assert one(stack, "SELECT COUNT(*) FROM %s WHERE log_id = %d" % (table, log_id)) == "0", table
    # The guardian who was only in this draft is gone with it, the notice gate of her too.
    assert one(stack, "SELECT COUNT(*) FROM person WHERE id = %d" % mother) == "0"
