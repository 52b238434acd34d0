"""test_log_state.py — a log's states (cgi-bin/log_state.c, /logg/ID/status):
the holder's transitions active -> passive -> active -> closed, a closed
log read-only (edit 403, a state change a clear 409), transitions the state
machine lacks refused with 409, a stale version 409, and a guardian's
request for passive or closed that the holder sees, does or declines; each
change in the history and the audit trail."""
import re
from urllib.parse import urlencode

from harness import login
from log_helpers import HOLDER, audit_count, create_log, demo_person, fresh, login_holder, make_active, one


def state(stack, log_id):
    return one(stack, "SELECT state FROM log WHERE id = %d" % log_id)


def log_version(c, log_id):
    page = c.get("/logg/%d/status" % log_id)
    assert page.status == 200, page
    m = re.search(r'name="version" value="(\d+)"', page.text)
    assert m, page.text[:500]
    return m.group(1)


def move(c, log_id, to, version, request=None):
    fields = {"to": to, "version": version}
    if request:
        fields["request"] = request
    return c.post("/logg/%d/status" % log_id, urlencode(fields))


def test_passive_active_closed_and_closed_is_read_only(c, stack):
    login_holder(c, stack)
    log_id, _ = create_log(c, stack)
    make_active(stack, log_id)
    holder = demo_person(stack, *HOLDER)
    page = c.get("/logg/%d/status" % log_id).text
    assert 'value="passive"' in page and 'value="closed"' in page and 'name="to" value="active"' not in page
    r = move(c, log_id, "passive", log_version(c, log_id))
    assert r.status == 303 and r.header("location") == "/logg/%d" % log_id, r
    assert state(stack, log_id) == "passive"
    assert "Passiv" in c.get("/logg/%d" % log_id).text
    assert move(c, log_id, "active", log_version(c, log_id)).status == 303
    assert state(stack, log_id) == "active"
    assert one(stack, "SELECT closed_at IS NULL FROM log WHERE id = %d" % log_id) == "1"
    assert move(c, log_id, "closed", log_version(c, log_id)).status == 303
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
    assert hist.status == 200 and "Avsluttet" in hist.text, hist
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
        r = move(c, log_id, to, version)
        assert r.status == 409, (to, r)
        assert 'id="state-notice"' in r.text and "Ingenting ble endret" in r.text, r.text
        assert state(stack, log_id) == "draft"
    make_active(stack, log_id)
    r = move(c, log_id, "active", version)
    assert r.status == 409 and state(stack, log_id) == "active"
    # A stale version: someone else changed the log first.
    stale = version
    stack.sql("UPDATE log SET version = version + 1 WHERE id = %d" % log_id)
    r = move(c, log_id, "passive", stale)
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
    request = re.search(r'name="request" value="(\d+)"', page).group(1)
    assert move(c, log_id, "passive", log_version(c, log_id), request).status == 303
    assert state(stack, log_id) == "passive"
    assert one(stack, "SELECT handled_at IS NOT NULL AND handled_by IS NOT NULL FROM state_request"
               " WHERE id = %s" % request) == "1"
    assert "Forespørsler fra foresatte" not in c.get("/logg/%d" % log_id).text
    # Asked again, to close; the holder declines.
    assert guardian.post("/logg/%d/status/be-om" % log_id, urlencode({"wanted": "closed"})).status == 303
    page = c.get("/logg/%d/status" % log_id).text
    request = re.search(r'action="/logg/%d/status/avslaa">.*?name="request" value="(\d+)"' % log_id,
                        page, re.S).group(1)
    assert c.post("/logg/%d/status/avslaa" % log_id, urlencode({"request": request})).status == 303
    assert audit_count(stack, "action = 'log.state.decline' AND log_id = %d AND outcome = 'allow'" % log_id) == 1
    assert audit_count(stack, "action = 'log.state.read' AND log_id = %d AND outcome = 'allow'"
                       " AND person_id = %d" % (log_id, gid)) == 1
    assert state(stack, log_id) == "passive"
    assert one(stack, "SELECT handled_at IS NOT NULL FROM state_request WHERE id = %s" % request) == "1"
    # Declining twice: already handled.
    assert c.post("/logg/%d/status/avslaa" % log_id, urlencode({"request": request})).status == 409
    hist = c.get("/logg/%d/historikk" % log_id).text
    assert "Avslått" in hist and "Utført" in hist
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
