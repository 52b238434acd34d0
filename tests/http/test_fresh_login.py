"""test_fresh_login.py — a sensitive step's fresh authentication (SECURITY.md
9 and 21; lib/app.h req_fresh and req_offer_fresh, lib/login.c, lib/oidc.c,
templates/fresh_login.html), shown on the step that uses it now: withdrawing
one's own consent (cgi-bin/consent_withdraw.c). A session keeps its login's
auth_time; older than [login] fresh_minutes (10), the step's page offers
"Bekreft med ID-porten" instead of its button and its POST is refused; the
confirmation is a login with max_age=0 that the real provider (tools/oidc)
answers with its login page again, even with a single sign-on session, and
a new auth_time; then the page it came from, and its form works. The
hostile provider's tokens without auth_time or with an old one are in
test_login_attacks.py."""
import urllib.parse

from harness import Client, onward, split_url
from test_consent import both_establish, count, fresh_log, one


def at_provider(op, authorize, pid):
    """Plays the browser at the provider with op's cookies (its single
    sign-on session stays between logins). The callback's path, and
    whether the provider showed its login page on the way."""
    path = split_url(authorize)[1]
    asked = False
    r = op.get(path)
    for _ in range(10):
        if r.status == 200 and 'name="pid"' in r.text:  # the provider's login page
            asked = True
            r = op.post(path, "pid=" + pid, csrf=False)
            continue
        assert r.status in (302, 303), (r, r.text[:300])
        loc = r.header("location")
        if loc.startswith("/"):
            loc = op.base + loc
        if not loc.startswith(op.base):
            return split_url(loc)[1], asked
        path = split_url(loc)[1]
        r = op.get(path)
    raise AssertionError("the provider never sent the browser back")


def browser_at(c, stack, pid):
    """A new browser logged in as pid, and its cookies at the provider."""
    b = Client((c.host, c.port), c.name)
    r = b.post("/", "kommune=fjordvik")
    assert r.status == 303, r
    authorize = onward(b.post("/login", "kommune=fjordvik"))
    op = Client(split_url(authorize)[0], "op")
    callback, asked = at_provider(op, authorize, pid)
    assert asked, "a first login shows the provider's login page"
    r = b.get(callback)
    assert r.status == 303 and r.header("location") == "/min-side", r
    return b, op


def auth_age(stack, person):
    """Seconds since the auth_time of the person's newest session."""
    return int(one(stack, "SELECT TIMESTAMPDIFF(SECOND, auth_time, NOW()) FROM session"
                          " WHERE person_id = %d ORDER BY created_at DESC LIMIT 1" % person))


def age_login(stack, person, minutes):
    stack.sql("UPDATE session SET auth_time = NOW() - INTERVAL %d MINUTE WHERE person_id = %d"
              % (minutes, person))


def withdrawable(c, stack):
    """A log whose guardians both consented; the first guardian's browser
    (logged in just now) and provider cookies, and the log's facts."""
    f = fresh_log(c, stack)
    both_establish(c, stack, f)
    g1, op = browser_at(c, stack, f["g1"][1])
    return f, g1, op


def withdraw_button(log):
    return 'action="/logg/%d/samtykke/trekk"' % log


def test_a_login_just_made_is_fresh_and_keeps_its_auth_time(c, stack):
    """Normal logins keep working: the session has the provider's auth_time,
    and the step's page has its button (the tests' own logins are fresh)."""
    f, g1, _ = withdrawable(c, stack)
    assert 0 <= auth_age(stack, f["g1"][0]) < 60
    r = g1.get("/logg/%d/samtykke/trekk?kind=cooperate" % f["log"])
    assert r.status == 200 and withdraw_button(f["log"]) in r.text, r
    assert 'id="fresh-login"' not in r.text


def test_an_old_login_is_asked_to_confirm_and_its_post_refused(c, stack):
    f, g1, _ = withdrawable(c, stack)
    log, g1_id = f["log"], f["g1"][0]
    # Nine minutes: still fresh at ten.
    age_login(stack, g1_id, 9)
    r = g1.get("/logg/%d/samtykke/trekk?kind=establish" % log)
    assert r.status == 200 and withdraw_button(log) in r.text, r
    # Eleven: the page offers the confirmation instead of its button.
    age_login(stack, g1_id, 11)
    r = g1.get("/logg/%d/samtykke/trekk?kind=establish" % log)
    assert r.status == 200 and withdraw_button(log) not in r.text, r
    assert 'id="fresh-login"' in r.text and 'action="/login"' in r.text, r.text
    assert 'name="kommune" value="fjordvik"' in r.text and 'name="fresh" value="1"' in r.text
    assert 'name="tilbake" value="/logg/%d/samtykke/trekk?kind=establish"' % log in r.text
    assert "Bekreft med ID-porten" in r.text and "logge inn med ID-porten en gang til" in r.text, r.text
    # A form kept from before, sent now: refused, audited, nothing withdrawn.
    r = g1.post("/logg/%d/samtykke/trekk" % log, "kind=establish")
    assert r.status == 403 and 'id="fresh-login"' in r.text, r
    assert one(stack, "SELECT withdrawn_at IS NULL FROM log WHERE id = %d" % log) == "1"
    assert count(stack, "consent", "log_id = %d AND withdrawn_at IS NOT NULL" % log) == 0
    assert count(stack, "audit_log", "log_id = %d AND action = 'consent.withdraw' AND outcome = 'refused'"
                 " AND detail = 'login not fresh' AND person_id = %d" % (log, g1_id)) == 1
    # A session from before auth_time was kept is never fresh.
    stack.sql("UPDATE session SET auth_time = NULL WHERE person_id = %d" % g1_id)
    r = g1.get("/logg/%d/samtykke/trekk?kind=establish" % log)
    assert r.status == 200 and 'id="fresh-login"' in r.text, r


def test_the_fresh_login_asks_the_provider_again_and_comes_back(c, stack):
    f, g1, op = withdrawable(c, stack)
    log, g1_id = f["log"], f["g1"][0]
    age_login(stack, g1_id, 11)
    # Without max_age the provider's single sign-on session answers at once
    # (no login page): a plain login cannot stand for a fresh one.
    authorize = onward(g1.post("/login", "kommune=fjordvik"))
    assert "max_age" not in authorize and "prompt" not in authorize, authorize
    _, asked = at_provider(op, authorize, f["g1"][1])
    assert not asked, "the provider's single sign-on session answers a plain login"
    # The page's own form: max_age=0 and prompt=login, the provider's login
    # page again in the same browser, then back to the page.
    age_login(stack, g1_id, 11)
    old_cookie = g1.cookies["stafett"]
    r = g1.get("/logg/%d/samtykke/trekk?kind=establish" % log)
    assert 'id="fresh-login"' in r.text, r
    back = "/logg/%d/samtykke/trekk?kind=establish" % log
    authorize = onward(g1.post("/login", "kommune=fjordvik&fresh=1&tilbake=" + urllib.parse.quote(back, safe="")))
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize).query)
    assert q["max_age"] == ["0"] and q["prompt"] == ["login"], q
    assert one(stack, "SELECT COUNT(*) FROM login_attempt WHERE fresh AND return_to = '%s'" % back) == "1"
    callback, asked = at_provider(op, authorize, f["g1"][1])
    assert asked, "max_age=0: the provider asks the person to log in again"
    r = g1.get(callback)
    assert r.status == 303 and r.header("location") == back + "&lagret=bekreftet", r
    assert g1.cookies["stafett"] != old_cookie, "a new session after the fresh login"
    assert 0 <= auth_age(stack, g1_id) < 60, "the session's auth_time is the new login's"
    assert count(stack, "audit_log", "action = 'login' AND detail = 'fresh' AND person_id = %d" % g1_id) == 1
    r = g1.get(r.header("location"))
    assert r.status == 200 and withdraw_button(log) in r.text and 'id="fresh-login"' not in r.text, r
    assert "Du har bekreftet hvem du er med ID-porten" in r.text, r.text
    r = g1.post("/logg/%d/samtykke/trekk" % log, "kind=establish")
    assert r.status == 303 and r.header("location") == "/min-side?lagret=trukket", r
    assert one(stack, "SELECT withdrawn_at IS NOT NULL FROM log WHERE id = %d" % log) == "1"


def test_a_fresh_login_returns_only_to_a_page_of_ours(c, stack):
    """tilbake is a path of ours with at most a plain query
    (app_return_target); anything else is dropped and the login goes on to
    the person's own page."""
    f, g1, op = withdrawable(c, stack)
    for bad in ("//evil.example/x", "https://evil.example/", "/logg/1?x=%2F%2Fevil", "/logg/1#x"):
        authorize = onward(g1.post("/login", "kommune=fjordvik&fresh=1&tilbake=" + urllib.parse.quote(bad, safe="")))
        callback, asked = at_provider(op, authorize, f["g1"][1])
        assert asked
        r = g1.get(callback)
        assert r.status == 303 and r.header("location") == "/min-side?lagret=bekreftet", (bad, r)
