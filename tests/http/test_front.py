"""test_front.py — the front page (cgi-bin/front.c) over the real stack."""
import re
import urllib.parse


def form(**fields):
    return urllib.parse.urlencode(fields)


def test_front_page_lists_municipalities(c):
    r = c.get("/")
    assert r.status == 200, r
    assert r.header("content-type") == "text/html; charset=utf-8", r.headers
    assert '<html lang="nb">' in r.text
    assert "Velg kommunen din" in r.text, r.text
    assert '<option value="fjordvik">Fjordvik kommune</option>' in r.text
    assert '<option value="nordheim">Nordheim herad</option>' in r.text
    assert 'href="/tilgjengelighet"' in r.text


def test_security_headers_on_every_page(c):
    for path in ["/", "/tilgjengelighet", "/no-such-page"]:
        r = c.get(path)
        csp = r.header("content-security-policy") or ""
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, (path, csp)
        assert r.header("x-content-type-options") == "nosniff", path
        assert r.header("referrer-policy") == "no-referrer", path
        assert r.header("cache-control") == "no-store", path
        assert "x-powered-by" not in r.headers, path
        server = r.header("server") or ""
        assert not re.search(r"\d", server), "server version leaked: %r" % server


def test_choose_municipality_then_redirect(c):
    r = c.post("/", form(kommune="fjordvik"))
    assert r.status == 303, r
    assert r.header("location") == "/", r.headers
    assert "HttpOnly" in r.header("set-cookie") and "SameSite=Lax" in r.header("set-cookie")
    r = c.get("/")
    assert r.status == 200
    assert "<h2 id=\"chosen-h\">Fjordvik kommune</h2>" in r.text, r.text
    assert '<option value="fjordvik" selected>' in r.text


def test_unknown_municipality_is_a_field_message(c):
    hostile = '"><script>alert(1)</script>'
    r = c.post("/", form(kommune=hostile))
    assert r.status == 422, r
    assert "Velg en kommune fra listen." in r.text, r.text
    assert 'aria-invalid="true"' in r.text
    assert "<script>alert(1)</script>" not in r.text


def test_missing_municipality_is_required(c):
    r = c.post("/", form(kommune=""))
    assert r.status == 422, r
    assert "Feltet må fylles ut." in r.text, r.text


def test_language_from_accept_language(c):
    r = c.get("/", headers={"Accept-Language": "nn-NO,nn;q=0.9"})
    assert '<html lang="nn">' in r.text, r.text[:300]
    assert "Vel kommunen din" in r.text
    r = c.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in r.text and "Choose your municipality" in r.text


def test_language_choice_beats_the_browser(c):
    r = c.post("/lang", form(lang="nn", back="/tilgjengelighet"))
    assert r.status == 303 and r.header("location") == "/tilgjengelighet", r
    r = c.get("/tilgjengelighet", headers={"Accept-Language": "en"})
    assert '<html lang="nn">' in r.text
    assert "Tilgjengelegheitserklæring" in r.text, r.text


def test_language_switch_refuses_foreign_redirect(c):
    r = c.post("/lang", form(lang="en", back="//evil.example/"))
    assert r.status == 303 and r.header("location") == "/", r.headers


def test_accessibility_statement(c):
    r = c.get("/tilgjengelighet")
    assert r.status == 200
    assert "WCAG" in r.text and "<h1>Tilgjengelighetserklæring</h1>" in r.text, r.text


def test_static_stylesheet(c):
    r = c.get("/static/stafett.css")
    assert r.status == 200, r
    assert r.header("content-type").startswith("text/css"), r.headers


def test_a_post_from_the_same_host_by_another_scheme_is_refused(c):
    """The Origin check compares the scheme as well as the host: an https
    page is another site than this http one (and the other way round)."""
    host = "%s:%d" % (c.host, c.port)
    r = c.post("/", "kommune=fjordvik", headers={"Origin": "https://" + host})
    assert r.status == 403, r
    r = c.post("/", "kommune=fjordvik", headers={"Origin": "http://" + host})
    assert r.status == 303, r
