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
    assert '<p class="ds-validation-message" data-size="sm" id="kommune-error">Velg kommunen din.</p>' in r.text, r.text


def test_a_form_with_mistakes_opens_with_a_summary_that_links_to_each_field(c):
    """Designsystemet's error summary: first in main, focused on load (autofocus,
    no script), a link per mistake to its field, the title starting "Feil:"."""
    r = c.post("/", form(kommune=""))
    assert r.status == 422, r
    assert re.search(r"<title>Feil: [^<]+</title>", r.text), r.text
    summary = re.search(r'<div class="ds-error-summary" id="error-summary" tabindex="-1" autofocus[^>]*>(.*?)</div>',
                        r.text, re.S)
    assert summary, r.text
    assert '<a class="ds-link" href="#kommune">Velg kommunen din.</a>' in summary.group(1), summary.group(1)
    assert 'id="kommune"' in r.text
    # A page without mistakes has neither.
    r = c.get("/")
    assert "ds-error-summary" not in r.text and "<title>Feil:" not in r.text


def test_language_buttons_in_the_header_name_each_language_in_itself(c):
    r = c.get("/")
    header = re.search(r"<header.*?</header>", r.text, re.S).group(0)
    assert 'name="lang" value="nn" lang="nn">Nynorsk</button>' in header, header
    assert 'name="lang" value="en" lang="en">English</button>' in header, header
    assert 'value="nb" lang="nb">Bokmål' not in header  # the page's own language is not offered
    footer = re.search(r"<footer.*?</footer>", r.text, re.S).group(0)
    assert '<option value="nn" lang="nn">Nynorsk</option>' in footer, footer


def test_the_chosen_municipality_is_named_in_the_header(c):
    c.post("/", form(kommune="fjordvik"))
    r = c.get("/")
    header = re.search(r"<header.*?</header>", r.text, re.S).group(0)
    assert '<span class="brand-place">Fjordvik kommune</span>' in header, header


def test_language_change_on_a_page_that_came_back_from_a_post_lands_on_its_form(c):
    """The page of a refused POST has no address of its own: the language
    choice returns to the page the form is on."""
    r = c.post("/", form(kommune=""))
    assert '<input type="hidden" name="back" value="/">' in r.text, r.text


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


def test_the_accessibility_statement_follows_the_official_template(c, stack):
    """What Uutilsynet's template asks of a statement: its date, the status
    of conformity with WCAG 2.1 AA, the known shortcomings, how it was made
    (tested), where to give feedback (the municipality's address from the
    configuration) and how to complain; in Bokmål, Nynorsk and English."""
    date = stack.admin_default("accessibility.statement_date")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date), date
    y, m, d = (int(x) for x in date.split("-"))
    months = {"nb": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
                     "oktober", "november", "desember"]}
    words = {
        "nb": ["Tilgjengelighetserklæring", "%d. %s %d" % (d, months["nb"][m - 1], y), "WCAG 2.1", "AA",
               "delvis i samsvar", "Kjente mangler", "skann", "axe-core", "390", "tastatur",
               "Tilbakemelding", "Tilsynet for universell utforming av ikt", "Diskrimineringsnemnda"],
        "nn": ["Tilgjengelegheitserklæring", "%d. %s %d" % (d, months["nb"][m - 1], y), "WCAG 2.1",
               "delvis i samsvar", "Kjende manglar", "axe-core", "Tilbakemelding",
               "Tilsynet for universell utforming av ikt", "Diskrimineringsnemnda"],
        "en": ["Accessibility statement", "WCAG 2.1", "partly in conformity", "Known shortcomings", "axe-core",
               "Feedback", "Tilsynet for universell utforming av ikt", "Diskrimineringsnemnda"],
    }
    for lang, expected in words.items():
        c.cookies["lang"] = lang
        r = c.get("/tilgjengelighet")
        assert r.status == 200 and '<html lang="%s"' % lang in r.text, r
        main = r.text.split('id="main"')[1]
        for w in expected:
            assert w in main, (lang, w)
        # The sections, each its own heading, in the template's order.
        ids = re.findall(r'<h2[^>]* id="([a-z-]+)"', main)
        assert ids == ["status-h", "gaps-h", "method-h", "feedback-h", "complaints-h", "measures-h"], ids
        assert 'href="mailto:postmottak@fjordvik.example"' in main, main
        assert 'href="https://www.uutilsynet.no/"' in main and 'href="https://www.diskrimineringsnemnda.no/"' in main
        assert '<time datetime="%s">' % date in main
    c.cookies.pop("lang", None)


def test_static_stylesheet(c):
    r = c.get("/static/stafett.css")
    assert r.status == 200, r
    assert r.header("content-type").startswith("text/css"), r.headers


def test_designsystemet_is_served_and_every_page_uses_it(c):
    for path, needle in [("/static/ds/designsystemet.css", ".ds-error-summary"),
                         ("/static/ds/theme.css", "--ds-color-focus-outer")]:
        r = c.get(path)
        assert r.status == 200 and r.header("content-type").startswith("text/css"), (path, r)
        assert needle in r.text, path
    r = c.get("/")
    for href in ("/static/ds/theme.css", "/static/ds/designsystemet.css", "/static/stafett.css"):
        assert '<link rel="stylesheet" href="%s">' % href in r.text, r.text


def test_a_post_from_the_same_host_by_another_scheme_is_refused(c):
    """The Origin check compares the scheme as well as the host: an https
    page is another site than this http one (and the other way round)."""
    host = "%s:%d" % (c.host, c.port)
    r = c.post("/", "kommune=fjordvik", headers={"Origin": "https://" + host})
    assert r.status == 403, r
    r = c.post("/", "kommune=fjordvik", headers={"Origin": "http://" + host})
    assert r.status == 303, r
