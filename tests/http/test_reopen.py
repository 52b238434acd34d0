"""test_reopen.py — reopening a closed log (cgi-bin/reopen.c, lib/reopen.c,
DOMAIN.md §3): the holder of a closed log still has its state page and asks
there (or at /logg/ID/gjenapne) with a reason; each guardian is asked by
e-mail (a notice that names no child); one guardian's approval leaves the log
closed and its actor still sees nothing of it; the second's makes it active
again, closed_at cleared, and the actor sees its contents; a refusal ends the
request and the holder sees who refused and why; an actor, a leader, a
guardian of another child and the holder are refused the answer, a guardian
the asking; a double submit does one thing; a stale form (a request
decided, withdrawn or answered already; a log no longer closed) is a 409
that changes nothing; each step in the history and the audit trail. Fresh
logs made through the pages (log_helpers.create_log), closed by hand."""
import html
import re
from urllib.parse import urlencode

import secrets

from harness import login, synthetic_nin
from log_helpers import (HOLDER, Fixture, as_person, audit_count, create_log, demo_person, field_error, fresh,
                         make_active, one, unit_id)

SAVED = re.compile(r'<div class="ds-alert" data-color="success" role="status">(.*?)</div>', re.S)


def setup(c, stack):
    """A fresh closed log made through the pages (so every number in it is
    sealed for real, as the archive's copy needs): a child of six, two
    guardians each with an address typed on the log, Live Mo an actor for
    the health station, which the consent covers, and one concern. The
    holder's client and the log."""
    f = Fixture()
    holder = as_person(c, stack, *HOLDER)
    f.sfx = secrets.token_hex(3)
    f.log, form = create_log(holder, stack, subject_nin=synthetic_nin(2019, 2020),
                             g1_email="mor-%s@fjordvik.example" % f.sfx, g2_email="far-%s@fjordvik.example" % f.sfx)
    f.g1_nin, f.g2_nin = form["g1_nin"], form["g2_nin"]
    f.g1_name = "%s %s" % (form["g1_given_name"], form["g1_family_name"])
    make_active(stack, f.log)
    f.muni = int(one(stack, "SELECT municipality_id FROM log WHERE id = %d" % f.log))
    f.holder = demo_person(stack, *HOLDER)
    f.live = demo_person(stack, "Live", "Mo")
    f.health = unit_id(stack, "Fjordvik helsestasjon")
    f.kindergarten = unit_id(stack, "Solsikken barnehage")
    f.g1, f.g2 = (int(x) for x in stack.sql("SELECT person_id FROM log_guardian WHERE log_id = %d ORDER BY id"
                                            % f.log).split())
    stack.sql("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until)"
              " VALUES (%d, %d, %d, CURRENT_DATE + INTERVAL 365 DAY)" % (f.muni, f.log, f.health))
    stack.sql("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id) VALUES (%d, %d, %d, %d)"
              % (f.muni, f.log, f.live, f.health))
    f.concern_title = "Språk %s" % f.sfx
    stack.sql("INSERT INTO concern (municipality_id, log_id, title, created_by) VALUES (%d, %d, '%s', %d)"
              % (f.muni, f.log, f.concern_title, f.holder))
    stack.sql("UPDATE log SET state = 'closed', closed_at = CURRENT_TIMESTAMP(3) WHERE id = %d" % f.log)
    # The suite writes to these people from other logs too: as if the notice interval had passed.
    stack.sql("UPDATE notice_gate SET last_at = last_at - INTERVAL 1 DAY WHERE person_id IN (%d, %d, %d)"
              % (f.holder, f.g1, f.g2))
    return holder, f


def guardian(c, stack, nin):
    them = fresh(c)
    r, _ = login(them, stack, nin)
    assert r.status == 303, r
    return them


def url(f, rest=""):
    return "/logg/%d/gjenapne%s" % (f.log, rest)


def once(page):
    m = re.search(r'name="_once" value="([^"]+)"', page)
    assert m, page[:3000]
    return m.group(1)


def form_of(page, action):
    """The hidden fields of the form posting to action, as the browser sends them."""
    m = re.search(r'<form method="post" action="%s"[^>]*>(.*?)</form>' % re.escape(action), page, re.S)
    assert m, "no form to %s in %s" % (action, page[:4000])
    return dict((n, html.unescape(v)) for n, v in
                re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', m.group(1)))


def said(c, r):
    page = c.get(r.header("location").split("#")[0]).text
    m = SAVED.search(page)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else None


def state(stack, f):
    return one(stack, "SELECT CONCAT(state, ' ', closed_at IS NOT NULL) FROM log WHERE id = %d" % f.log)


def ask(c, f, reason="Nye bekymringer fra skolen, vi trenger loggen igjen"):
    page = c.get("/logg/%d/status" % f.log)
    assert page.status == 200 and 'id="reopen-ask"' in page.text, page
    fields = form_of(page.text, url(f))
    fields["reason"] = reason
    return c.post(url(f), urlencode(fields)), fields


def answer_form(c, f):
    page = c.get(url(f))
    assert page.status == 200 and 'id="reopen-answer"' in page.text, (page, page.text[:3000])
    return form_of(page.text, url(f, "/svar"))


def answer(c, f, fields, what, reason=""):
    return c.post(url(f, "/svar"), urlencode(dict(fields, answer=what, reason=reason)))


def leader_of(stack, unit):
    given, family = one(stack, "SELECT p.given_name, p.family_name FROM staff_role s"
                               " JOIN person p ON p.id = s.person_id WHERE s.role = 'leader' AND s.unit_id = %d"
                               " ORDER BY p.id LIMIT 1" % unit).split("\t")
    return given, family


def test_both_guardians_approve_and_only_then_staff_see_the_log(c, stack):
    holder, f = setup(c, stack)
    live = as_person(c, stack, "Live", "Mo")
    # Closed: the holder still reads it and has its state page; the actor sees nothing.
    assert holder.get("/logg/%d" % f.log).status == 200
    assert live.get("/logg/%d" % f.log).status == 403
    page = holder.get("/logg/%d/status" % f.log)
    assert page.status == 200 and 'id="reopen-ask"' in page.text and 'action="/logg/%d/status/avslaa"' % f.log \
        not in page.text, page
    # Without a reason: the page again with what to do at the field; nothing asked.
    fields = form_of(page.text, url(f))
    r = holder.post(url(f), urlencode(dict(fields, reason="  ")))
    assert r.status == 422 and field_error(r.text, "reason"), (r, r.text[:3000])
    assert one(stack, "SELECT COUNT(*) FROM reopen_request WHERE log_id = %d" % f.log) == "0"
    since = int(one(stack, "SELECT COALESCE(MAX(id), 0) FROM outbox"))
    r, fields = ask(holder, f)
    assert r.status == 303 and r.header("location") == url(f, "?lagret=gjenapning-spurt"), (r, r.text[:2000])
    # Twice (a double click): one request, and the second lands where the first did.
    again = holder.post(url(f), urlencode(fields))
    assert again.status == 303 and again.header("location") == r.header("location"), again
    assert one(stack, "SELECT COUNT(*) FROM reopen_request WHERE log_id = %d AND state = 'asked'" % f.log) == "1"
    # Asked again from a fresh form while one is open: 409, nothing new.
    page = holder.get(url(f)).text
    assert 'id="reopen-ask"' not in page and 'id="reopen-withdraw"' in page
    assert holder.post(url(f), urlencode({"reason": "En gang til", "_once": once(page)})).status == 409
    assert one(stack, "SELECT COUNT(*) FROM reopen_request WHERE log_id = %d" % f.log) == "1"
    # Each guardian is asked by e-mail at the address on the log; nobody else.
    asked = stack.sql("SELECT person_id, rcpt FROM outbox WHERE kind = 'reopen_asked' AND log_id = %d AND id > %d"
                      " ORDER BY person_id" % (f.log, since)).splitlines()
    assert sorted(asked) == sorted(["%d\tmor-%s@fjordvik.example" % (f.g1, f.sfx),
                                    "%d\tfar-%s@fjordvik.example" % (f.g2, f.sfx)]), asked
    # Kari approves from the log's page of reopening: still closed, the actor still sees nothing.
    mor = guardian(c, stack, f.g1_nin)
    view = mor.get("/logg/%d" % f.log)
    assert view.status == 200 and 'href="%s"' % url(f) in view.text, view
    page = mor.get(url(f)).text
    assert "Nye bekymringer fra skolen" in page
    fields = answer_form(mor, f)
    r = answer(mor, f, fields, "approve")
    assert r.status == 303 and r.header("location") == url(f, "?lagret=gjenapning-godkjent"), (r, r.text[:2000])
    assert answer(mor, f, fields, "approve").header("location") == r.header("location")
    assert state(stack, f) == "closed 1"
    assert live.get("/logg/%d" % f.log).status == 403
    # A second answer from a fresh form: already answered, 409, nothing changed.
    page = mor.get(url(f)).text
    assert 'id="reopen-answered"' in page and 'id="reopen-answer"' not in page
    r = mor.post(url(f, "/svar"), urlencode({"request": fields["request"], "answer": "refuse"}))
    assert r.status == 409, r
    assert one(stack, "SELECT GROUP_CONCAT(approved) FROM reopen_answer WHERE request_id = %s"
               % fields["request"]) == "1"
    # Per approves: the log is active again, closed_at cleared, and the actor sees its contents.
    far = guardian(c, stack, f.g2_nin)
    r = answer(far, f, answer_form(far, f), "approve")
    assert r.status == 303 and r.header("location") == "/logg/%d?lagret=gjenapnet" % f.log, (r, r.text[:2000])
    assert state(stack, f) == "active 0"
    assert one(stack, "SELECT CONCAT(state, ' ', decided_at IS NOT NULL) FROM reopen_request WHERE id = %s"
               % fields["request"]) == "approved 1"
    view = live.get("/logg/%d" % f.log)
    assert view.status == 200 and f.concern_title in view.text, view
    # A transition like the others: the archive's copy as it was reopened, caused by the last approval.
    assert one(stack, "SELECT GROUP_CONCAT(caused_by) FROM archive_record WHERE log_id = %d AND kind = 'reopened'"
               % f.log) == str(f.g2)
    # The holder is told; the history tells each step; the audit trail each access.
    assert one(stack, "SELECT COUNT(*) FROM outbox WHERE kind = 'reopen_decided' AND person_id = %d AND log_id = %d"
               % (f.holder, f.log)) == "1"
    assert one(stack, "SELECT GROUP_CONCAT(field ORDER BY id) FROM log_history WHERE log_id = %d"
               " AND entity = 'reopen_request'" % f.log) == "asked,approved,approved"
    assert one(stack, "SELECT CONCAT(old_value, '>', new_value, ' ', person_id) FROM log_history WHERE log_id = %d"
               " AND field = 'state' ORDER BY id DESC LIMIT 1" % f.log) == "closed>active %d" % f.g2
    hist = holder.get("/logg/%d/historikk" % f.log)
    assert hist.status == 200 and "Nye bekymringer fra skolen" in hist.text
    assert audit_count(stack, "action = 'log.reopen.answer' AND log_id = %d AND outcome = 'allow'" % f.log) == 4
    assert audit_count(stack, "action = 'log.reopen.ask' AND log_id = %d AND outcome = 'allow'" % f.log) == 4
    # Answering a log that is open again (a form kept in another tab): 409, nothing changed.
    r = far.post(url(f, "/svar"), urlencode({"request": fields["request"], "answer": "refuse"}))
    assert r.status == 409 and state(stack, f) == "active 0", r
    # Asking to reopen an open log: 409 too.
    assert holder.post(url(f), urlencode({"reason": "x"})).status == 409


def test_a_refusal_ends_the_request_and_the_holder_sees_why(c, stack):
    holder, f = setup(c, stack)
    r, _ = ask(holder, f, "Barnet har flyttet tilbake")
    assert r.status == 303, r
    mor = guardian(c, stack, f.g1_nin)
    far = guardian(c, stack, f.g2_nin)
    far_form = answer_form(far, f)
    r = answer(mor, f, answer_form(mor, f), "refuse", "Vi vil <b>ikke</b> dele mer nå")
    assert r.status == 303 and r.header("location") == url(f, "?lagret=gjenapning-avslatt"), (r, r.text[:2000])
    assert state(stack, f) == "closed 1"
    assert one(stack, "SELECT state FROM reopen_request WHERE log_id = %d" % f.log) == "refused"
    # The holder sees who refused and the reason, escaped.
    page = holder.get(url(f)).text
    assert 'id="refuse-reason"' in page and "Vi vil &lt;b&gt;ikke&lt;/b&gt; dele mer nå" in page
    assert f.g1_name in page and 'id="reopen-ask"' in page
    assert one(stack, "SELECT COUNT(*) FROM outbox WHERE kind = 'reopen_decided' AND person_id = %d AND log_id = %d"
               % (f.holder, f.log)) == "1"
    # Per's form, opened before the refusal: the request is decided, 409, nothing changed.
    r = answer(far, f, far_form, "approve")
    assert r.status == 409 and state(stack, f) == "closed 1", r
    assert one(stack, "SELECT COUNT(*) FROM reopen_answer a JOIN reopen_request r ON r.id = a.request_id"
               " WHERE r.log_id = %d" % f.log) == "1"
    # Asked again, then withdrawn by the holder; the guardians' old forms are stale.
    r, _ = ask(holder, f, "Nytt forsøk")
    assert r.status == 303, r
    mor_form = answer_form(mor, f)
    page = holder.get(url(f)).text
    r = holder.post(url(f, "/trekk"), urlencode(form_of(page, url(f, "/trekk"))))
    assert r.status == 303 and r.header("location") == url(f, "?lagret=gjenapning-trukket"), r
    assert one(stack, "SELECT GROUP_CONCAT(state ORDER BY id) FROM reopen_request WHERE log_id = %d"
               % f.log) == "refused,withdrawn"
    assert answer(mor, f, mor_form, "approve").status == 409
    assert state(stack, f) == "closed 1"


def test_who_may_not_answer_or_ask(c, stack):
    holder, f = setup(c, stack)
    r, _ = ask(holder, f)
    assert r.status == 303, r
    request = one(stack, "SELECT id FROM reopen_request WHERE log_id = %d" % f.log)
    body = urlencode({"request": request, "answer": "approve"})
    leader = leader_of(stack, f.kindergarten)
    for who in (("Live", "Mo"), leader, ("Siri", "Bergli"), ("Eirik", "Brekke")):
        them = as_person(c, stack, *who)
        pid = demo_person(stack, *who)
        before = audit_count(stack, "log_id = %d AND person_id = %d AND outcome = 'deny'" % (f.log, pid))
        assert them.post(url(f, "/svar"), body).status == 403, who
        assert them.post(url(f), urlencode({"reason": "x"})).status == 403, who
        assert them.get(url(f)).status == 403, who
        assert audit_count(stack, "log_id = %d AND person_id = %d AND outcome = 'deny'" % (f.log, pid)) \
            == before + 3, who
    # The holder does not answer their own question; a guardian does not ask.
    assert holder.post(url(f, "/svar"), body).status == 403
    mor = guardian(c, stack, f.g1_nin)
    assert mor.post(url(f), urlencode({"reason": "x"})).status == 403
    assert mor.post(url(f, "/trekk"), urlencode({"request": request})).status == 403
    # A guardian whose consent the log does not rest on (the subject has
    # come of age and consents for themself) is not asked: refused.
    stack.sql("UPDATE person SET birth_date = '2000-01-01' WHERE id = (SELECT subject_person_id FROM log"
              " WHERE id = %d)" % f.log)
    r = mor.post(url(f, "/svar"), body)
    assert r.status == 403, r
    assert audit_count(stack, "action = 'log.reopen.answer' AND log_id = %d AND outcome = 'refused'"
                       " AND detail = 'not asked'" % f.log) == 1
    assert one(stack, "SELECT COUNT(*) FROM reopen_answer WHERE request_id = %s" % request) == "0"
    assert state(stack, f) == "closed 1"
