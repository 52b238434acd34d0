"""test_login.py — login with the real OpenID Connect provider (tools/oidc),
sessions, CSRF, logout, rate limits, and where each person lands: their own
page after login, the front page when anonymous (cgi-bin/login.c, home.c).
The log page itself is test_log_view.py; the hostile provider's attacks are
in test_login_attacks.py."""
import re
import urllib.parse

from harness import Client, at_provider, login, onward


def session_cookie(c):
    return c.cookies.get("stafett")


def audit_count(stack, where):
    return int(stack.sql("SELECT COUNT(*) FROM audit_log WHERE " + where).strip())


def fresh(c):
    return Client((c.host, c.port), c.name)


def test_login_round_trip_in_bokmal(c, stack):
    before = c.cookies.get("stafett-b")
    r, authorize = login(c, stack, stack.pid("Kari", "Fjelltun"))
    assert r.status == 303 and r.header("location") == "/min-side", r
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize).query)
    assert q["response_type"] == ["code"] and q["scope"] == ["openid"], q
    assert q["code_challenge_method"] == ["S256"] and len(q["code_challenge"][0]) == 43, q
    assert q["acr_values"] == ["idporten-loa-high"] and q["ui_locales"] == ["nb"], q
    assert len(q["state"][0]) >= 43 and len(q["nonce"][0]) >= 43, q
    assert q["redirect_uri"] == ["%s/login/callback" % c.base], q
    cookie = [x for x in r.header("set-cookie").split("\n") if x.startswith("stafett=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie, cookie
    assert re.fullmatch(r"[0-9a-f]{64}", session_cookie(c)), c.cookies
    assert session_cookie(c) != before
    r = c.get("/min-side")
    assert r.status == 200, r
    assert "Kari Fjelltun" in r.text and "Emma Fjelltun" in r.text, r.text
    assert "Min side" in r.text and "Logg ut" in r.text
    assert r.header("cache-control") == "no-store"
    # Nothing of the login in the access log: no code, no state, no number.
    access = stack.logs().get("nginx-access.log", "")
    assert "code=" not in access and "state=" not in access
    logs = "".join(v for k, v in stack.logs().items() if k != "demo.log")
    assert stack.pid("Kari", "Fjelltun") not in logs


def test_login_round_trip_in_nynorsk(c, stack):
    r, authorize = login(c, stack, stack.pid("Per", "Fjelltun"), lang="nn")
    assert r.status == 303, r
    assert "ui_locales=nn" in authorize, authorize
    r = c.get("/min-side", headers={"Accept-Language": "nn"})
    assert r.status == 200 and '<html lang="nn">' in r.text, r
    assert "Per Fjelltun" in r.text and "Emma Fjelltun" in r.text
    assert "Logg ut" in r.text


def test_anonymous_is_sent_to_the_front_page(c):
    for path in ["/min-side", "/logg/1", "/logg/1/innsyn"]:
        r = c.get(path)
        assert r.status == 303 and r.header("location") == "/", (path, r)


RETURN = "stafett-tilbake"  # the cookie that remembers the page opened while logged out


def emma_log(stack):
    return int(stack.sql("SELECT l.id FROM log l JOIN person p ON p.id = l.subject_person_id"
                         " WHERE p.given_name = 'Emma' AND p.family_name = 'Fjelltun'").strip())


def test_a_link_opened_while_logged_out_returns_there_after_login(c, stack):
    log = emma_log(stack)
    for path in ["/logg/%d" % log, "/logg/%d/innsyn" % log]:
        them = fresh(c)
        r = them.get(path + "?side=1")
        assert r.status == 303 and r.header("location") == "/", r
        # Only the path, kept for a short while: no query, nothing personal.
        assert them.cookies.get(RETURN) == path, them.cookies
        cookie = [x for x in r.header("set-cookie").split("\n") if x.startswith(RETURN + "=")][0]
        assert "HttpOnly" in cookie and "Max-Age=600" in cookie, cookie
        r, _ = login(them, stack, stack.pid("Kari", "Fjelltun"))
        assert r.status == 303 and r.header("location") == path, r
        # Kept with the login's state, not in the browser any more.
        assert not them.cookies.get(RETURN), them.cookies
        assert them.get(path).status == 200
        # Used once: the next login lands on one's own page.
        them.post("/logout", "")
        r, _ = login(them, stack, stack.pid("Kari", "Fjelltun"))
        assert r.header("location") == "/min-side", r
    # Nothing of the path in the access log's query strings or in our logs.
    assert stack.pid("Kari", "Fjelltun") not in "".join(v for k, v in stack.logs().items() if k != "demo.log")


def test_only_a_local_path_is_a_place_to_return_to(c, stack):
    for evil in ["//evil.example", "https://evil.example/", "/\\evil.example", "/logg/1//evil",
                 "javascript:alert(1)", "/logg/%0d%0aSet-Cookie:x", "/" + "a" * 300]:
        them = fresh(c)
        them.cookies[RETURN] = evil
        r, _ = login(them, stack, stack.pid("Kari", "Fjelltun"))
        assert r.status == 303 and r.header("location") == "/min-side", (evil, r)
    # The same from the start: a path that is not one of ours is not remembered.
    them = fresh(c)
    r = them.get("//evil.example")
    assert r.status in (303, 400, 404), r
    assert not them.cookies.get(RETURN), them.cookies


def test_a_number_that_matches_nobody(c, stack):
    before = audit_count(stack, "action = 'login.failed' AND detail = 'pid matches nobody in the municipality'")
    r, _ = login(c, stack, "01818010083")
    assert r.status == 403, r
    assert "Du er ikke registrert" in r.text, r.text
    assert "stafett" not in c.cookies
    assert audit_count(stack, "action = 'login.failed' AND detail = 'pid matches nobody in the municipality'") \
        == before + 1


def test_tampered_or_missing_state_and_code(c, stack):
    c.post("/", "kommune=fjordvik")
    r = c.post("/login", "kommune=fjordvik")
    state = urllib.parse.parse_qs(urllib.parse.urlsplit(onward(r)).query)["state"][0]
    tampered = state[:-2] + ("AA" if not state.endswith("AA") else "BB")
    r = c.get("/login/callback?code=abc&state=" + tampered)
    assert r.status == 400 and "Innloggingen ble ikke fullført" in r.text, r
    assert "stafett" not in c.cookies
    assert c.get("/login/callback?state=" + state).status == 400  # no code
    assert c.get("/login/callback?code=abc").status == 400  # no state
    # The right state from another browser (the login was started elsewhere).
    assert fresh(c).get("/login/callback?code=abc&state=" + state).status == 400


def test_replayed_authorization_code(c, stack):
    c.post("/", "kommune=fjordvik")
    callback = at_provider(onward(c.post("/login", "kommune=fjordvik")), stack.pid("Kari", "Fjelltun"))
    first = c.get(callback)
    assert first.status == 303, first
    again = c.get(callback)
    assert again.status == 400, again
    assert audit_count(stack, "detail LIKE 'state already used%'") >= 1
    # The same code from another browser: refused too.
    assert fresh(c).get(callback).status == 400


def test_csrf_is_required_on_every_post(c, stack):
    login(c, stack, stack.pid("Kari", "Fjelltun"))
    r = c.post("/logout", "", csrf=False)
    assert r.status == 403, r
    r = c.post("/logout", "_csrf=" + "0" * 64)
    assert r.status == 403, r
    assert c.get("/min-side").status == 200  # still logged in
    # A token from before the login (the anonymous one) is stale now.
    anon = fresh(c)
    stale = anon.csrf()
    r = c.post("/lang", "lang=nn&back=/&_csrf=" + stale)
    assert r.status == 403, r
    # A cross-site form post is refused even with the right token.
    r = c.post("/lang", "lang=nn&back=/", headers={"Origin": "http://evil.example"})
    assert r.status == 403, r
    r = c.post("/lang", "lang=nn&back=/", headers={"Origin": c.base})
    assert r.status == 303, r


def test_logout_ends_the_session_here_and_at_the_provider(c, stack):
    """The ID token (which names the person) goes to the provider's
    end-session endpoint in a form POST that a button sends (no JavaScript
    needed), never in a URL, where the browser's history would keep it."""
    login(c, stack, stack.pid("Kari", "Fjelltun"))
    old = session_cookie(c)
    r = c.post("/logout", "")
    assert r.status == 200, r
    assert "id_token_hint" not in (r.header("location") or "") and "refresh" not in r.text.lower()
    form = re.search(r'<form method="post" action="(http://127\.0\.0\.1:%d/[^"]*)"[^>]*>(.*?)</form>'
                     % stack.oidc[1], r.text, re.S)
    assert form, r.text
    assert "?" not in form.group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', form.group(2)))
    assert fields["post_logout_redirect_uri"] == "%s/logget-ut" % c.base, fields
    assert fields["id_token_hint"].count(".") == 2
    assert re.search(r'<button [^>]*type="submit"', form.group(2))
    assert r.header("clear-site-data") == '"cache", "cookies", "storage"', r.header("clear-site-data")
    # The provider takes it by POST.
    body = urllib.parse.urlencode(fields).encode()
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", stack.oidc[1], timeout=10)
    conn.request("POST", urllib.parse.urlsplit(form.group(1)).path, body=body,
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    resp = conn.getresponse()
    assert resp.status < 400, (resp.status, resp.read()[:2000], form.group(1))
    conn.close()
    # The old cookie, replayed, is nobody.
    c.cookies["stafett"] = old
    r = c.get("/min-side")
    assert r.status == 303 and r.header("location") == "/", r
    assert c.get("/logget-ut").status == 200


def test_idle_session_expires(c, stack):
    login(c, stack, stack.pid("Kari", "Fjelltun"))
    assert c.get("/min-side").status == 200
    stack.sql("UPDATE session SET last_seen_at = NOW(3) - INTERVAL 31 MINUTE "
              "WHERE id_hash = UNHEX(SHA2('%s', 256))" % session_cookie(c))
    r = c.get("/min-side")
    assert r.status == 303 and r.header("location") == "/", r
    r = c.get("/")
    assert r.status == 200
    assert stack.sql("SELECT COUNT(*) FROM session WHERE id_hash = UNHEX(SHA2('%s', 256))"
                     % session_cookie(c)).strip() in ("0", "")


def test_absolute_session_lifetime(c, stack):
    login(c, stack, stack.pid("Kari", "Fjelltun"))
    stack.sql("UPDATE session SET created_at = NOW(3) - INTERVAL 9 HOUR "
              "WHERE id_hash = UNHEX(SHA2('%s', 256))" % session_cookie(c))
    assert c.get("/min-side").status == 303


def test_session_cookie_from_another_municipality(c, stack):
    login(c, stack, stack.pid("Kari", "Fjelltun"))
    c.cookies["kommune"] = "nordheim"
    r = c.get("/min-side")
    assert r.status == 303 and r.header("location") == "/", r
    c.cookies["kommune"] = "fjordvik"
    assert c.get("/min-side").status == 200


def test_front_channel_logout(c, stack):
    login(c, stack, stack.pid("Kari", "Fjelltun"))
    sid = stack.sql("SELECT oidc_sid FROM session WHERE id_hash = UNHEX(SHA2('%s', 256))"
                    % session_cookie(c)).strip()
    assert sid, "the provider's sid is kept"
    r = fresh(c).get("/logout/frontchannel?iss=%s&sid=%s" % (
        urllib.parse.quote("http://127.0.0.1:%d" % stack.oidc[1], safe=""), sid))
    assert r.status == 200 and r.header("cache-control") == "no-store", r
    assert c.get("/min-side").status == 303


def test_login_attempts_are_rate_limited(c, stack):
    limit = int(stack.admin("config", "login.per_address_per_hour").stdout)
    bucket = "SHA2(CONCAT('login-address', CHAR(0), '127.0.0.1'), 256)"
    stack.sql("INSERT INTO rate_limit (bucket, window_start, hits) VALUES (UNHEX(%s), NOW(), %d) "
              "ON DUPLICATE KEY UPDATE window_start = NOW(), hits = %d" % (bucket, limit - 2, limit - 2))
    try:
        c.post("/", "kommune=fjordvik")
        assert c.post("/login", "kommune=fjordvik").status == 200
        assert c.post("/login", "kommune=fjordvik").status == 200
        r = c.post("/login", "kommune=fjordvik")
        assert r.status == 429 and "For mange forsøk" in r.text, r
        assert c.get("/login/callback?code=a&state=b").status == 429
    finally:
        stack.sql("DELETE FROM rate_limit WHERE bucket = UNHEX(%s)" % bucket)
    assert c.post("/login", "kommune=fjordvik").status == 200


def test_logins_are_rate_limited_per_person(c, stack):
    """The per-person counter is keyed by the number's keyed hash (the HMAC
    key of the key file), so the table never holds the number itself."""
    import hashlib
    import hmac
    import os
    with open(os.path.join(stack.dir, "keys")) as f:
        key = bytes.fromhex(next(l.split()[1] for l in f if l.startswith("hmac ")))
    pid = stack.pid("Per", "Fjelltun")
    person = hmac.new(key, pid.encode(), hashlib.sha256).hexdigest()
    bucket = "SHA2(CONCAT('login-person', CHAR(0), '%s'), 256)" % person
    limit = int(stack.admin("config", "login.per_person_per_hour").stdout)
    stack.sql("INSERT INTO rate_limit (bucket, window_start, hits) VALUES (UNHEX(%s), NOW(), %d) "
              "ON DUPLICATE KEY UPDATE window_start = NOW(), hits = %d" % (bucket, limit, limit))
    try:
        before = audit_count(stack, "action = 'login.limited'")
        r, _ = login(c, stack, pid)
        assert r.status == 429 and "For mange forsøk" in r.text, r
        assert "stafett" not in c.cookies
        assert audit_count(stack, "action = 'login.limited'") == before + 1
        # Another person from the same address is not held back.
        other = fresh(c)
        r, _ = login(other, stack, stack.pid("Kari", "Fjelltun"))
        assert r.status == 303, r
    finally:
        stack.sql("DELETE FROM rate_limit WHERE bucket = UNHEX(%s)" % bucket)


def test_a_number_issued_from_2032_logs_in(c, stack):
    """From 2032 the first control digit is no longer unique (DOMAIN.md §10):
    a person with such a number is registered and logs in."""
    from harness import synthetic_nin
    from urllib.parse import urlencode
    nin = synthetic_nin(remainder=2)
    family = "Totretti-%s" % nin[-4:]
    leader = fresh(c)
    login(leader, stack, stack.pid("Sindre", "Åsheim"))
    school = stack.sql("SELECT id FROM unit WHERE name = 'Fjordvik skole'").strip()
    r = leader.post("/enhet/%s/ansatt" % school, urlencode({
        "given_name": "Ny", "family_name": family, "nin": nin, "title": "Lærer",
        "email": "ny@fjordvik.example", "phone": ""}))
    assert r.status == 303, r
    r, _ = login(c, stack, nin)
    assert r.status == 303 and r.header("location") == "/min-side", r


def test_a_number_born_in_the_future_gets_a_page_that_says_so(c, stack):
    import datetime
    from harness import synthetic_nin
    day = datetime.date.today() + datetime.timedelta(days=3)
    nin = synthetic_nin(day=day.day, month=day.month, year=day.year)
    before = audit_count(stack, "action = 'login.failed' AND detail LIKE 'pid%'")
    r, _ = login(c, stack, nin)
    assert r.status == 400, r
    assert "fødselsnummeret" in r.text and "tilbakeknappen" not in r.text, r.text
    assert "stafett" not in c.cookies
    assert audit_count(stack, "action = 'login.failed' AND detail LIKE 'pid%'") == before + 1


def test_a_login_counts_once_against_the_address(c, stack):
    bucket = "UNHEX(SHA2(CONCAT('login-address', CHAR(0), '127.0.0.1'), 256))"

    def hits():
        return int(stack.sql("SELECT IFNULL(MAX(hits), 0) FROM rate_limit WHERE bucket = %s" % bucket).strip())
    before = hits()
    r, _ = login(c, stack, stack.pid("Kari", "Fjelltun"))
    assert r.status == 303, r
    assert hits() == before + 1
    # The limits: enough for a morning of 200 staff behind one municipal
    # address, few enough per person to stop guessing.
    assert int(stack.admin_default("login.per_address_per_hour")) >= 400
    assert int(stack.admin_default("login.per_person_per_hour")) <= 20


def test_sessions_end_after_15_idle_minutes_and_every_page_says_when(c, stack):
    assert stack.admin_default("session.idle_minutes") == "15"
    login(c, stack, stack.pid("Kari", "Fjelltun"))
    page = c.get("/min-side").text
    m = re.search(r'id="session-ends"[^>]*>(.*?)<', page, re.S)
    assert m and re.search(r"\b\d\d\.\d\d\b", m.group(1)), page[:3000]
