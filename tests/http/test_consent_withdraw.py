"""test_consent_withdraw.py — withdrawing consent
(cgi-bin/consent_withdraw.c, /logg/ID/samtykke/trekk): a confirmation page
first, then the POST locks the log at once: nobody but the holder opens it,
nothing is deleted, no new consent can be recorded on it; the change is in
log_history and audit_log. Logs from test_consent.fresh_log."""
from test_consent import as_person, both_establish, consent_rows, count, fresh_log, one, paper, today


def test_consent_can_be_withdrawn_in_every_state_a_closed_log_included(c, stack):
    """DOMAIN.md §3-§4: withdrawal is always possible. On a closed log the
    guardian withdraws, the log is marked withdrawn and waits for the
    archive; nothing else changes on it."""
    f = fresh_log(c, stack)
    log = f["log"]
    holder, g2 = both_establish(c, stack, f)
    g1 = as_person(c, stack, f["g1"][1])
    stack.sql("UPDATE log SET state = 'closed', closed_at = NOW(3) WHERE id = %d" % log)
    r = g1.get("/logg/%d/samtykke/trekk?kind=establish" % log)
    assert r.status == 200, r
    r = g1.post("/logg/%d/samtykke/trekk" % log, "kind=establish")
    assert r.status == 303, r
    assert one(stack, "SELECT CONCAT(state, ' ', withdrawn_at IS NOT NULL) FROM log WHERE id = %d" % log) \
        == "closed 1"
    assert count(stack, "consent", "log_id = %d AND person_id = %d AND kind = 'establish'"
                 " AND withdrawn_at IS NOT NULL" % (log, f["g1"][0])) == 1
    # Giving consent on a closed log is still not possible.
    assert g2.post("/logg/%d/samtykke/digital" % log, "kind=cooperate&unit=%d" % f["health"]).status == 403


def test_withdrawal_locks_the_log_at_once(c, stack):
    f = fresh_log(c, stack)
    log = f["log"]
    holder, g2 = both_establish(c, stack, f)
    g1 = as_person(c, stack, f["g1"][1])
    for who in (g1, g2):
        r = who.post("/logg/%d/samtykke/digital" % log, "kind=cooperate&unit=%d" % f["health"])
        assert r.status == 303, r
    actor = as_person(c, stack, stack.pid("Live", "Mo"))
    assert actor.get("/logg/%d" % log).status == 200
    # The confirmation page asks first, and only a POST withdraws.
    r = g1.get("/logg/%d/samtykke" % log)
    assert 'href="/logg/%d/samtykke/trekk?kind=establish"' % log in r.text, r.text
    r = g1.get("/logg/%d/samtykke/trekk?kind=establish" % log)
    assert r.status == 200 and 'action="/logg/%d/samtykke/trekk"' % log in r.text, r
    assert 'name="kind" value="establish"' in r.text and "<script" not in r.text
    assert one(stack, "SELECT withdrawn_at IS NULL FROM log WHERE id = %d" % log) == "1"
    r = g1.post("/logg/%d/samtykke/trekk" % log, "kind=establish")
    assert r.status == 303 and r.header("location") == "/min-side?lagret=trukket", r
    assert one(stack, "SELECT withdrawn_at IS NOT NULL FROM log WHERE id = %d" % log) == "1"
    assert count(stack, "consent", "log_id = %d AND person_id = %d AND kind = 'establish'"
                 " AND withdrawn_at IS NOT NULL AND withdrawn_by = %d" % (log, f["g1"][0], f["g1"][0])) == 1
    assert count(stack, "consent_service", "log_id = %d" % log) == 0
    # Nobody but the holder opens it now; nothing is deleted.
    for who in (g1, g2, actor):
        assert who.get("/logg/%d" % log).status == 403
        assert who.get("/logg/%d/samtykke" % log).status == 403
    assert g2.post("/logg/%d/samtykke/digital" % log, "kind=establish").status == 403
    r = holder.get("/logg/%d" % log)
    assert r.status == 200 and 'id="consent-withdrawn"' in r.text, r
    r = holder.get("/logg/%d/samtykke" % log)
    assert r.status == 200 and 'action="/logg/%d/samtykke/papir"' % log not in r.text, r
    assert consent_rows(stack, log) == 4
    assert count(stack, "log_history", "log_id = %d AND entity = 'log' AND field = 'withdrawn_at'" % log) == 1
    assert count(stack, "log_history", "log_id = %d AND entity = 'consent' AND field = 'withdrawn_at'"
                 % log) == 1
    assert count(stack, "audit_log", "log_id = %d AND action = 'consent.withdraw' AND outcome = 'allow'"
                 % log) == 1
    # The holder cannot record a new consent on a withdrawn log either.
    r = paper(holder, log, {"person": f["g1"][0], "kind": "establish", "given_at": today(stack)})
    assert r.status == 409, r
