"""test_log_state.py — a log's states (cgi-bin/log_state.c, /logg/ID/status):
the holder's transitions active -> passive -> active -> closed, passive and
closed each in two steps (choose and say why, then confirm on a page of its
own that carries the reason and is safe to submit twice), a closed log
read-only (edit 403, a state change a clear 409), transitions the state
machine lacks refused with 409, a stale version 409, and a guardian's
request for passive that the holder sees, does or declines, and a guardian's
demand that closes the log at once (not the holder's to decline), whose
holder still sees the state page; each
change, and its reason, in the history and the audit trail, and the page
after it saying what was done."""
import html
import re
import secrets
from urllib.parse import urlencode

from harness import login
from log_helpers import (HOLDER, audit_count, create_log, demo_person, field_error, fresh, login_holder,
                         make_active, one)

SAVED = re.compile(r'<div class="ds-alert" data-color="success" role="status">(.*?)</div>', re.S)


def state(stack, log_id):
    return one(stack, "SELECT state FROM log WHERE id = %d" % log_id)


def log_version(c, log_id):
    page = c.get("/logg/%d/status" % log_id)
    assert page.status == 200, page
    m = re.search(r'name="version" value="(\d+)"', page.text)
    assert m, page.text[:500]
    return m.group(1)


def move(c, log_id, to, version, request=None, reason=None):
    """The change itself (the confirmation's form, or a direct POST)."""
    fields = {"to": to, "version": version}
    if request:
        fields["request"] = request
    if reason is not None:
        fields["reason"] = reason
    return c.post("/logg/%d/status" % log_id, urlencode(fields))


def hidden(page, name):
    m = re.search(r'<input type="hidden" name="%s" value="([^"]*)">' % name, page)
    assert m, "no hidden %s in %s" % (name, page[:3000])
    return html.unescape(m.group(1))


def confirm_page(c, log_id, to, reason, request=None):
    """Step 1: the choice and the reason, posted from the state page. The
    confirmation page that comes back."""
    page = c.get("/logg/%d/status" % log_id).text
    fields = {"to": to, "reason": reason, "version": hidden(page, "version")}
    if request:
        fields["request"] = request
    r = c.post("/logg/%d/status/bekreft" % log_id, urlencode(fields))
    assert r.status == 200, (r, r.text[:3000])
    return r.text


def confirm(c, log_id, page):
    """Step 2: the confirmation page's form, as the browser sends it."""
    form = re.search(r'<form method="post" action="/logg/%d/status">(.*?)</form>' % log_id, page, re.S)
    assert form, page[:3000]
    fields = dict((n, html.unescape(v)) for n, v in
                  re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(1)))
    return c.post("/logg/%d/status" % log_id, urlencode(fields))


def change(c, log_id, to, reason="Avtalt i møtet"):
    """Both steps; the 303 that ends them."""
    r = confirm(c, log_id, confirm_page(c, log_id, to, reason))
    assert r.status == 303, (r, r.text[:3000])
    return r


def said(c, r):
    page = c.get(r.header("location").split("#")[0]).text
    m = SAVED.search(page)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else None


def test_passive_active_closed_and_closed_is_read_only(c, stack):
    login_holder(c, stack)
    log_id, _ = create_log(c, stack)
    make_active(stack, log_id)
    holder = demo_person(stack, *HOLDER)
    page = c.get("/logg/%d/status" % log_id).text
    assert 'value="passive"' in page and 'value="closed"' in page and 'name="to" value="active"' not in page
    r = change(c, log_id, "passive")
    assert r.header("location") == "/logg/%d?lagret=passiv" % log_id, r
    assert said(c, r) == "Loggen er nå passiv."
    assert state(stack, log_id) == "passive"
    assert "Passiv" in c.get("/logg/%d" % log_id).text
    # Active again is one button: nothing is lost by it.
    r = move(c, log_id, "active", log_version(c, log_id))
    assert r.status == 303 and said(c, r) == "Loggen er aktiv igjen.", r
    assert state(stack, log_id) == "active"
    assert one(stack, "SELECT closed_at IS NULL FROM log WHERE id = %d" % log_id) == "1"
    r = change(c, log_id, "closed", "Foreldrene og tjenestene er enige om at tiltakene virket")
    assert said(c, r) == "Loggen er avsluttet."
    assert one(stack, "SELECT CONCAT(state, ' ', closed_at IS NOT NULL) FROM log WHERE id = %d" % log_id) \
        == "closed 1"
    assert audit_count(stack, "action = 'log.state.change' AND log_id = %d AND person_id = %d"
                       " AND outcome = 'allow'" % (log_id, holder)) == 3
    assert one(stack, "SELECT GROUP_CONCAT(CONCAT(old_value, '>', new_value) ORDER BY id) FROM log_history"
               " WHERE log_id = %d AND field = 'state' AND old_value IS NOT NULL" % log_id) \
        == "active>passive,passive>active,active>closed"
    # Closed: still readable by the holder, never edited, and the state stays.
    view = c.get("/logg/%d" % log_id)
    assert view.status == 200 and "Avsluttet" in view.text
    assert 'href="/logg/%d/rediger"' % log_id not in view.text
    assert c.get("/logg/%d/rediger" % log_id).status == 403
    assert c.post("/logg/%d/rediger/bekymring" % log_id, urlencode({"title": "x"})).status == 403
    # The history stays the holder's to read once the log is closed.
    assert 'href="/logg/%d/historikk"' % log_id in view.text
    hist = c.get("/logg/%d/historikk" % log_id)
    assert hist.status == 200 and "avsluttet" in hist.text.lower(), hist
    version = one(stack, "SELECT version FROM log WHERE id = %d" % log_id)
    r = move(c, log_id, "active", version)
    assert r.status == 409, r
    assert "En avsluttet logg er låst" in r.text
    assert state(stack, log_id) == "closed"
    assert audit_count(stack, "action = 'log.state.change' AND log_id = %d AND outcome = 'refused'"
                       % log_id) == 1


def test_transitions_the_state_machine_lacks_are_409(c, stack):
    login_holder(c, stack)
    log_id, _ = create_log(c, stack)
    version = one(stack, "SELECT version FROM log WHERE id = %d" % log_id)
    page = c.get("/logg/%d/status" % log_id)
    assert page.status == 200 and "Loggen er et utkast" in page.text, page
    for to in ("passive", "closed", "active"):
        r = move(c, log_id, to, version, reason="Grunn")
        assert r.status == 409, (to, r)
        assert 'id="state-notice"' in r.text and "Ingenting ble endret" in r.text, r.text
        assert state(stack, log_id) == "draft"
    make_active(stack, log_id)
    r = move(c, log_id, "active", version)
    assert r.status == 409 and state(stack, log_id) == "active"
    # A stale version: someone else changed the log first.
    stale = version
    stack.sql("UPDATE log SET version = version + 1 WHERE id = %d" % log_id)
    r = move(c, log_id, "passive", stale, reason="Grunn")
    assert r.status == 409 and "Noen andre endret loggen" in r.text and state(stack, log_id) == "active"
    # Not a state at all: a bad request.
    assert c.post("/logg/%d/status" % log_id, urlencode({"to": "draft", "version": stale})).status == 400


def test_a_guardian_asks_and_the_holder_answers(c, stack):
    login_holder(c, stack)
    log_id, f = create_log(c, stack)
    make_active(stack, log_id)
    guardian = fresh(c)
    login(guardian, stack, f["g1_nin"])
    gid = int(one(stack, "SELECT person_id FROM log_guardian WHERE log_id = %d ORDER BY id LIMIT 1" % log_id))
    view = guardian.get("/logg/%d" % log_id)
    assert view.status == 200 and 'href="/logg/%d/status"' % log_id in view.text, view
    page = guardian.get("/logg/%d/status" % log_id)
    assert page.status == 200 and 'name="wanted" value="passive"' in page.text, page
    assert 'name="to"' not in page.text
    r = guardian.post("/logg/%d/status/be-om" % log_id, urlencode({"wanted": "passive"}))
    assert r.status == 303, r
    assert guardian.post("/logg/%d/status/be-om" % log_id, urlencode({"wanted": "passive"})).status == 303
    assert one(stack, "SELECT COUNT(*) FROM state_request WHERE log_id = %d AND handled_at IS NULL"
               % log_id) == "1"
    assert audit_count(stack, "action = 'log.state.ask' AND log_id = %d AND person_id = %d" % (log_id, gid)) == 2
    # A guardian asks; only the holder changes the state.
    assert move(guardian, log_id, "passive", one(stack, "SELECT version FROM log WHERE id = %d"
                                                  % log_id)).status == 403
    assert state(stack, log_id) == "active"
    # The holder sees the request on the log page and the state page.
    name = "%s %s" % (f["g1_given_name"], f["g1_family_name"])
    view = c.get("/logg/%d" % log_id).text
    assert "Forespørsler fra foresatte" in view and name in view
    page = c.get("/logg/%d/status" % log_id).text
    request = re.search(r'href="/logg/%d/status\?foresporsel=(\d+)#endre"' % log_id, page).group(1)
    # Handling the request opens the same two steps, with the request chosen.
    page = c.get("/logg/%d/status?foresporsel=%s" % (log_id, request)).text
    assert re.search(r'<input[^>]*type="radio" name="to" value="passive"[^>]* checked', page), page
    assert hidden(page, "request") == request
    r = confirm(c, log_id, confirm_page(c, log_id, "passive", "Som foreldrene ba om", request))
    assert r.status == 303 and said(c, r) == "Loggen er nå passiv.", r
    assert state(stack, log_id) == "passive"
    assert one(stack, "SELECT handled_at IS NOT NULL AND handled_by IS NOT NULL FROM state_request"
               " WHERE id = %s" % request) == "1"
    assert "Forespørsler fra foresatte" not in c.get("/logg/%d" % log_id).text
    # Active again; asked again for a pause; the holder declines.
    assert move(c, log_id, "active", log_version(c, log_id)).status == 303
    assert guardian.post("/logg/%d/status/be-om" % log_id, urlencode({"wanted": "passive"})).status == 303
    page = c.get("/logg/%d/status" % log_id).text
    request = re.search(r'action="/logg/%d/status/avslaa">.*?name="request" value="(\d+)"' % log_id,
                        page, re.S).group(1)
    assert c.post("/logg/%d/status/avslaa" % log_id, urlencode({"request": request})).status == 303
    assert audit_count(stack, "action = 'log.state.decline' AND log_id = %d AND outcome = 'allow'" % log_id) == 1
    assert audit_count(stack, "action = 'log.state.read' AND log_id = %d AND outcome = 'allow'"
                       " AND person_id = %d" % (log_id, gid)) == 1
    assert state(stack, log_id) == "active"
    assert one(stack, "SELECT handled_at IS NOT NULL FROM state_request WHERE id = %s" % request) == "1"
    # Declining twice: already handled.
    assert c.post("/logg/%d/status/avslaa" % log_id, urlencode({"request": request})).status == 409
    assert one(stack, "SELECT GROUP_CONCAT(new_value ORDER BY id) FROM log_history WHERE log_id = %d"
               " AND entity = 'state_request' AND field = 'handled'" % log_id) == "done,declined"
    assert c.get("/logg/%d/historikk" % log_id).status == 200
    # Someone with no relation to the log: nothing, and the attempt kept.
    eirik = fresh(c)
    login(eirik, stack, stack.pid("Eirik", "Brekke"))
    eid = demo_person(stack, "Eirik", "Brekke")
    denials = audit_count(stack, "log_id = %d AND person_id = %d AND outcome = 'deny'" % (log_id, eid))
    assert eirik.get("/logg/%d/status" % log_id).status == 403
    assert eirik.post("/logg/%d/status/be-om" % log_id, urlencode({"wanted": "closed"})).status == 403
    assert eirik.post("/logg/%d/status/avslaa" % log_id, urlencode({"request": request})).status == 403
    assert audit_count(stack, "log_id = %d AND person_id = %d AND outcome = 'deny'" % (log_id, eid)) \
        == denials + 3


def test_passive_and_closed_ask_why_and_are_confirmed_on_a_page_of_their_own(c, stack):
    login_holder(c, stack)
    log_id, f = create_log(c, stack)
    make_active(stack, log_id)
    name = "%s %s" % (f["subject_given_name"], f["subject_family_name"])
    # Step 1: the choice and the reason, in one form.
    page = c.get("/logg/%d/status" % log_id).text
    assert 'action="/logg/%d/status/bekreft"' % log_id in page, page
    assert re.search(r'<textarea[^>]*id="reason"[^>]*name="reason"', page), page
    # Without a reason: the page again, with what to do at the field, nothing changed.
    version = hidden(page, "version")
    r = c.post("/logg/%d/status/bekreft" % log_id, urlencode({"to": "closed", "reason": " ", "version": version}))
    assert r.status == 422, r
    assert "Skriv hvorfor" in (re.search(r'id="reason-error">([^<]*)<', r.text) or [None, ""])[1], r.text
    assert re.search(r'<input[^>]*type="radio" name="to" value="closed"[^>]* checked', r.text), r.text
    assert state(stack, log_id) == "active"
    # With a reason: a page of its own that says what is about to happen,
    # with the reason (escaped) and two ways on; nothing changed yet.
    reason = 'Tiltakene <b>virket</b> & "alle" er enige'
    page = confirm_page(c, log_id, "closed", reason)
    assert "Du er i ferd med å avslutte loggen om %s" % name in page, page
    assert "Tiltakene &lt;b&gt;virket&lt;/b&gt; &amp; &quot;alle&quot; er enige" in page
    assert hidden(page, "reason") == reason and hidden(page, "to") == "closed"
    assert re.search(r'<button[^>]*type="submit"[^>]*>Bekreft</button>', page), page
    assert re.search(r'<a[^>]*href="/logg/%d/status"[^>]*>Avbryt</a>' % log_id, page), page
    assert state(stack, log_id) == "active"
    passive = confirm_page(c, log_id, "passive", "Pause over sommeren")
    assert "Du er i ferd med å gjøre denne loggen passiv: %s" % name in passive, passive
    # The confirmation checks the reason again: a confirmation without one
    # is the first step again, nothing changed.
    r = move(c, log_id, "closed", hidden(page, "version"), reason="")
    assert r.status == 422 and "Skriv hvorfor" in r.text, r
    assert state(stack, log_id) == "active"
    # Confirmed twice (a double click): one change, and both land where the first did.
    first = confirm(c, log_id, page)
    again = confirm(c, log_id, page)
    assert first.status == 303 and again.status == 303, (first, again)
    assert first.header("location") == again.header("location") == "/logg/%d?lagret=avsluttet" % log_id
    assert state(stack, log_id) == "closed"
    assert one(stack, "SELECT COUNT(*) FROM log_history WHERE log_id = %d AND field = 'state'"
               " AND new_value = 'closed'" % log_id) == "1"
    # The reason is in the history, with the change; the audit trail holds no text.
    assert one(stack, "SELECT new_value FROM log_history WHERE log_id = %d AND field = 'state_reason'"
               % log_id) == reason
    assert one(stack, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%%virket%%'") == "0"
    rows = one(stack, "SELECT GROUP_CONCAT(CONCAT_WS(' ', outcome, IFNULL(detail, '-')) ORDER BY id)"
               " FROM audit_log WHERE action = 'log.state.change' AND log_id = %d" % log_id)
    # The confirmation without a reason (a page, allowed), the change, and
    # the second submit (refused: the log was closed by then).
    assert rows == "allow -,allow -,refused closed", rows
    # Someone else never reaches the confirmation.
    eirik = fresh(c)
    login(eirik, stack, stack.pid("Eirik", "Brekke"))
    r = eirik.post("/logg/%d/status/bekreft" % log_id, urlencode({"to": "closed", "reason": "x", "version": "1"}))
    assert r.status == 403, r


def test_a_guardians_demand_closes_the_log_and_the_holder_still_sees_its_state(c, stack):
    """DOMAIN.md §3: the guardians decide about closing. A guardian's demand
    closes the log at once, through the holder's own change of state (its
    archive copy included), with who closed it and why in the history; there
    is nothing for the holder to decline; the holder and the other guardian
    are told by e-mail; a second submit goes where the first went. The
    holder of the closed log still has its state page, with the requests
    and what came of them, and the way to reopen it."""
    login_holder(c, stack)
    log_id, f = create_log(c, stack, g2_email="far-%s@fjordvik.example" % secrets.token_hex(3))
    make_active(stack, log_id)
    holder = demo_person(stack, *HOLDER)
    gid, other = (int(x) for x in one(stack, "SELECT GROUP_CONCAT(person_id ORDER BY id SEPARATOR ' ')"
                                             " FROM log_guardian WHERE log_id = %d" % log_id).split())
    stack.sql("UPDATE notice_gate SET last_at = last_at - INTERVAL 1 DAY WHERE person_id IN (%d, %d, %d)"
              % (holder, gid, other))
    guardian = fresh(c)
    login(guardian, stack, f["g1_nin"])
    page = guardian.get("/logg/%d/status" % log_id)
    assert page.status == 200 and 'id="close-now"' in page.text, page
    assert re.search(r'<textarea[^>]*id="close_reason"[^>]*name="close_reason"', page.text), page.text
    form = re.search(r'<form method="post" action="/logg/%d/status/be-om" novalidate>(.*?)</form>' % log_id,
                     page.text, re.S).group(1)
    once = re.search(r'name="_once" value="([^"]+)"', form).group(1)
    since = int(one(stack, "SELECT COALESCE(MAX(id), 0) FROM outbox"))
    body = urlencode({"_once": once, "wanted": "closed", "close_reason": "Vi ønsker ikke loggen lenger"})
    r = guardian.post("/logg/%d/status/be-om" % log_id, body)
    assert r.status == 303 and r.header("location") == "/logg/%d/status?lagret=avsluttet-krav" % log_id, \
        (r, r.text[:3000])
    # A double click: the same answer, nothing more.
    again = guardian.post("/logg/%d/status/be-om" % log_id, body)
    assert again.status == 303 and again.header("location") == r.header("location"), again
    assert one(stack, "SELECT CONCAT(state, ' ', closed_at IS NOT NULL) FROM log WHERE id = %d" % log_id) \
        == "closed 1"
    # Closed by the guardian, with the reason, and the demand kept as a request already handled.
    assert one(stack, "SELECT CONCAT(old_value, '>', new_value, ' ', person_id) FROM log_history"
               " WHERE log_id = %d AND field = 'state' ORDER BY id DESC LIMIT 1" % log_id) == "active>closed %d" % gid
    assert one(stack, "SELECT new_value FROM log_history WHERE log_id = %d AND field = 'state_reason'"
               % log_id) == "Vi ønsker ikke loggen lenger"
    assert one(stack, "SELECT COUNT(*) FROM log_history WHERE log_id = %d AND field = 'demanded'" % log_id) == "1"
    assert one(stack, "SELECT COUNT(*) FROM state_request WHERE log_id = %d AND handled_at IS NULL" % log_id) == "0"
    assert one(stack, "SELECT CONCAT(wanted, ' ', handled_by) FROM state_request WHERE log_id = %d"
               % log_id) == "closed %d" % gid
    # The same change the holder makes: its archive copy, caused by the guardian.
    assert one(stack, "SELECT GROUP_CONCAT(CONCAT(kind, ' ', caused_by)) FROM archive_record WHERE log_id = %d"
               % log_id) == "closed %d" % gid
    # The holder and the other guardian are told; the one who closed it is not.
    told = one(stack, "SELECT GROUP_CONCAT(person_id ORDER BY person_id) FROM outbox WHERE kind = 'log_closed_demand'"
               " AND log_id = %d AND id > %d" % (log_id, since))
    assert told == ",".join(str(p) for p in sorted((holder, other))), told
    # The guardian is told what they did, on the state page they still see.
    page = guardian.get(r.header("location"))
    assert page.status == 200 and SAVED.search(page.text), page
    assert 'id="request-history"' in page.text
    # The holder: the state page of the closed log, nothing to decline, the way to reopen it.
    page = c.get("/logg/%d/status" % log_id)
    assert page.status == 200, page
    assert 'action="/logg/%d/status/avslaa"' % log_id not in page.text
    assert 'id="reopen-ask"' in page.text and 'id="request-history"' in page.text
    request = one(stack, "SELECT id FROM state_request WHERE log_id = %d" % log_id)
    assert c.post("/logg/%d/status/avslaa" % log_id, urlencode({"request": request})).status == 403
    # One allowed ask; the double click was refused by then (the log was closed) and went where the first did.
    assert audit_count(stack, "action = 'log.state.ask' AND log_id = %d AND person_id = %d AND outcome = 'allow'"
                       % (log_id, gid)) == 1
    # A demand on a closed log: nothing to close, refused.
    assert guardian.post("/logg/%d/status/be-om" % log_id, urlencode({"wanted": "closed"})).status == 403
    # A reason too long is the guardian's to correct, nothing closed.
    log2, f2 = create_log(c, stack)
    make_active(stack, log2)
    g2 = fresh(c)
    login(g2, stack, f2["g1_nin"])
    r = g2.post("/logg/%d/status/be-om" % log2, urlencode({"wanted": "closed", "close_reason": "x" * 5000}))
    assert r.status == 422 and field_error(r.text, "close_reason"), (r, r.text[:3000])
    assert one(stack, "SELECT state FROM log WHERE id = %d" % log2) == "active"
