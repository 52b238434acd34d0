"""test_login_attacks.py — ID tokens a real provider would never send: a
hostile provider (evil_op.mjs) registered as a municipality's ID-porten
answers the token request with a token broken in one way per test. Each is
refused with the "start again" page, no session, and an audit row naming the
reason; the unbroken control token passes validation and reaches the person
lookup (whose number matches nobody: 403). A fresh login (a sensitive
step's, max_age=0) is refused an ID token without auth_time or with one from
before the login began."""
import atexit
import json
import os
import subprocess
import urllib.parse

from harness import Client, free_ports, onward, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
_op = {}


def evil_op(stack):
    """Starts the hostile provider once per stack and registers it as the
    provider of the invented municipality 'evilvik'."""
    if _op.get("stack") is stack:
        return _op["addr"]
    port = free_ports(1)[0]
    proc = subprocess.Popen(["node", os.path.join(HERE, "evil_op.mjs"), str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    atexit.register(proc.terminate)
    op = Client(("127.0.0.1", port), "evil")
    assert wait_for(lambda: _alive(op)), "the hostile provider did not start"
    stack.sql("INSERT IGNORE INTO municipality (slug, name) VALUES ('evilvik', 'Evilvik kommune')")
    r = subprocess.run([os.path.join(stack.build_dir(), "tools", "stafett-admin"), "oidc-client", "evilvik",
                        "http://127.0.0.1:%d" % port, "evilvik", "-"],
                       input="evil-secret\n", env=stack.env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    _op.update(stack=stack, addr=("127.0.0.1", port))
    return _op["addr"]


def _alive(op):
    try:
        return op.get("/.well-known/openid-configuration").status == 200
    except OSError:
        return False


def attempt(c, stack, scenario, fresh=False):
    """One login at evilvik whose token is broken as SCENARIO; the callback's
    response. fresh: the login a sensitive step asks for (max_age=0)."""
    op = Client(evil_op(stack), "evil")
    c.post("/", "kommune=evilvik")
    r = c.post("/login", "kommune=evilvik" + ("&fresh=1" if fresh else ""))
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(onward(r)).query)
    assert q["client_id"] == ["evilvik"], q
    assert (q.get("max_age"), q.get("prompt")) == ((["0"], ["login"]) if fresh else (None, None)), q
    op.request("POST", "/control", body=json.dumps({"scenario": scenario, "nonce": q["nonce"][0],
                                                     "client_id": "evilvik"}),
               headers={"Content-Type": "application/json"})
    return c.get("/login/callback?code=anything&state=" + urllib.parse.quote(q["state"][0]))


def refused(c, stack, scenario, reason, page="Innloggingen ble ikke fullført", fresh=False):
    where = "action = 'login.failed' AND detail = '%s'" % reason
    before = int(stack.sql("SELECT COUNT(*) FROM audit_log WHERE " + where))
    r = attempt(c, stack, scenario, fresh)
    assert r.status == 400, (scenario, r)
    assert page in r.text, r.text[:300]
    assert "stafett" not in c.cookies, c.cookies
    assert int(stack.sql("SELECT COUNT(*) FROM audit_log WHERE " + where)) == before + 1, (scenario, reason)


def test_control_token_passes_validation(c, stack):
    r = attempt(c, stack, "ok")
    assert r.status == 403 and "Du er ikke registrert" in r.text, r


def test_wrong_nonce(c, stack):
    refused(c, stack, "wrong_nonce", "wrong nonce")


def test_expired_token(c, stack):
    refused(c, stack, "expired", "token expired")


def test_issued_in_the_future(c, stack):
    refused(c, stack, "iat_future", "iat missing or in the future")


def test_wrong_audience(c, stack):
    refused(c, stack, "wrong_aud", "wrong audience")


def test_wrong_issuer(c, stack):
    refused(c, stack, "wrong_iss", "wrong issuer")


def test_unknown_kid(c, stack):
    refused(c, stack, "unknown_kid", "unknown kid")


def test_signed_by_another_key(c, stack):
    refused(c, stack, "other_key", "signature does not verify")


def test_alg_none(c, stack):
    refused(c, stack, "alg_none", "algorithm is not RS256")


def test_hs256_with_the_public_key_as_secret(c, stack):
    refused(c, stack, "hs256", "algorithm is not RS256")


def test_assurance_level_below_high(c, stack):
    refused(c, stack, "acr_substantial", "assurance level is not high")


def test_pid_missing_or_invalid(c, stack):
    """A token that holds everything but a valid number: the page says the
    number was not accepted, not "the back button or waited too long"."""
    for scenario in ("no_pid", "bad_pid"):
        refused(c, stack, scenario, "pid missing or not a valid identity number",
                page="Fødselsnummeret ditt ble ikke godtatt")


def test_auth_time_missing(c, stack):
    """Every ID token says when the person logged in (ID-porten's do): the
    session keeps it, and a sensitive step asks for it."""
    for fresh in (False, True):
        refused(c, stack, "no_auth_time", "auth_time missing", fresh=fresh)


def test_auth_time_in_the_future(c, stack):
    refused(c, stack, "auth_time_future", "auth_time in the future")


def test_fresh_login_refuses_an_old_authentication(c, stack):
    """SECURITY.md 9: a fresh login asked for max_age=0; a provider that
    answers with its single sign-on session of an hour ago (or a browser
    that dropped the parameters on the way) is refused by auth_time."""
    refused(c, stack, "old_auth_time", "authentication not fresh (auth_time before the login began)",
            fresh=True)


def test_an_old_authentication_is_a_login_when_no_fresh_one_was_asked(c, stack):
    """Single sign-on: without max_age, an hour-old authentication at the
    provider is an ordinary login (here it reaches the person lookup); and a
    fresh login whose auth_time is new passes."""
    r = attempt(c, stack, "old_auth_time")
    assert r.status == 403 and "Du er ikke registrert" in r.text, r
    r = attempt(c, stack, "ok", fresh=True)
    assert r.status == 403 and "Du er ikke registrert" in r.text, r


def backchannel_session(stack, sid):
    """A session at evilvik whose provider session is sid, made as the
    database administrator (nobody can log in there: its provider is hostile)."""
    import os as _os
    token = _os.urandom(32).hex()
    stack.sql("INSERT INTO person (municipality_id, nin_sealed, nin_key_id, nin_hmac, given_name, family_name) "
              "SELECT id, UNHEX(SHA2(RAND(), 256)), 1, UNHEX(SHA2(RAND(), 256)), 'Eva', 'Testesen' "
              "FROM municipality WHERE slug = 'evilvik'")
    stack.sql("INSERT INTO session (id_hash, municipality_id, person_id, csrf, oidc_sid, given_name, family_name, "
              "municipality_slug) SELECT UNHEX(SHA2('%s', 256)), p.municipality_id, MAX(p.id), REPEAT('0', 64), '%s', "
              "'Eva', 'Testesen', 'evilvik' FROM person p "
              "JOIN municipality m ON m.id = p.municipality_id WHERE m.slug = 'evilvik' GROUP BY p.municipality_id"
              % (token, sid))
    return token


def logout_token(stack, scenario, sid):
    op = Client(evil_op(stack), "evil")
    op.request("POST", "/control", body=json.dumps({"scenario": scenario, "sid": sid, "client_id": "evilvik"}),
               headers={"Content-Type": "application/json"})
    r = op.request("POST", "/logout_token", body="{}", headers={"Content-Type": "application/json"})
    return json.loads(r.text)["logout_token"]


def test_back_channel_logout(c, stack):
    evil_op(stack)
    sid = "sid-" + os.urandom(8).hex()
    c.cookies.update({"stafett": backchannel_session(stack, sid), "kommune": "evilvik"})
    assert c.get("/min-side").status == 200
    provider = Client((c.host, c.port), "provider")  # the provider's server: no cookies, no CSRF token
    for scenario in ["no_event", "with_nonce", "wrong_aud", "other_key", "alg_none"]:
        r = provider.post("/logout/backchannel", "logout_token=" + logout_token(stack, scenario, sid), csrf=False)
        assert r.status == 400, (scenario, r)
        assert c.get("/min-side").status == 200, scenario
    assert provider.post("/logout/backchannel", "logout_token=abc", csrf=False).status == 400
    r = provider.post("/logout/backchannel", "logout_token=" + logout_token(stack, "ok", sid), csrf=False)
    assert r.status == 200 and r.header("cache-control") == "no-store", r
    assert c.get("/min-side").status == 303
