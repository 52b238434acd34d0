"""test_settings.py — the municipality's settings for its administrator
(cgi-bin/settings.c, /admin/innstillinger): consent age, how long a consent
lasts, the default language, how long a closed log is kept, how early an
evaluation is due; shown as stored, saved with the municipality's version
(a stale form is told and overwrites nothing; the same form twice saves
once), each change in the audit trail, mistakes at their fields; the values
then used: the default language for a Norwegian page, the evaluation days on
"my logs"; nobody but the administrator reads or changes them.

Fjordvik's settings are shared by every test: each test puts them back."""
import html
import re
from urllib.parse import urlencode

from harness import login
from log_helpers import audit_count, fresh, one

ALERT = re.compile(r'<div class="ds-alert" data-color="success" role="status">(.*?)</div>', re.S)
DEMO = {"consent_age": "15", "consent_valid_years": "2", "default_lang": "nb", "retention_years": "5",
        "evaluation_warn_days": "14"}
COLUMNS = "consent_age, consent_valid_years, default_lang, retention_years, evaluation_warn_days"


def stored(stack):
    row = one(stack, "SELECT CONCAT_WS(' ', %s, version) FROM municipality WHERE slug = 'fjordvik'" % COLUMNS)
    values = row.split()
    return dict(zip(COLUMNS.split(", "), values[:5])), int(values[5])


def put_back(stack):
    stack.sql("UPDATE municipality SET consent_age = 15, consent_valid_years = 2, default_lang = 'nb',"
              " retention_years = 5, evaluation_warn_days = 14, version = version + 1 WHERE slug = 'fjordvik'")


def as_admin(c, stack):
    login(c, stack, stack.pid("Ingrid", "Solberg"))
    return c


def form_of(page):
    """What the settings form holds: text fields' values, checked radios, the version and single-use token."""
    m = re.search(r'<form method="post" action="/admin/innstillinger"[^>]*>(.*?)</form>', page, re.S)
    assert m, page[:3000]
    f = m.group(1)
    out = {}
    for name in ("version", "consent_valid_years", "retention_years", "evaluation_warn_days", "_once"):
        v = re.search(r'name="%s" value="([^"]*)"' % name, f)
        assert v, (name, f[:2000])
        out[name] = html.unescape(v.group(1))
    for name in ("consent_age", "default_lang"):
        checked = re.findall(r'name="%s" value="([^"]+)" checked' % name, f)
        out[name] = checked[0] if checked else None
    return out


def field_error(page, field):
    m = re.search(r'<p class="ds-validation-message" id="%s-error">([^<]*)</p>' % re.escape(field), page)
    return html.unescape(m.group(1)) if m else None


def said(page):
    m = ALERT.search(page)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else None


def due_days(page):
    """The days "my logs" says an evaluation is due before its date."""
    m = re.search(r"til forfall når[^<]*?(\d+)\.", page)
    assert m, "no due days on the page"
    return int(m.group(1))


def test_the_administrator_sees_and_saves_the_settings(c, stack):
    put_back(stack)
    try:
        as_admin(c, stack)
        assert 'href="/admin/innstillinger"' in c.get("/admin").text
        reads = audit_count(stack, "action = 'admin.settings.read' AND outcome = 'allow'")
        r = c.get("/admin/innstillinger")
        assert r.status == 200, r
        assert audit_count(stack, "action = 'admin.settings.read' AND outcome = 'allow'") == reads + 1
        f = form_of(r.text)
        _, version = stored(stack)
        assert {k: f[k] for k in DEMO} == DEMO and f["version"] == str(version), f
        assert "Samtykkealder" in r.text and said(r.text) is None
        # A Bokmål municipality: a browser that asks for Nynorsk gets it.
        assert '<html lang="nn"' in c.get("/admin", headers={"Accept-Language": "nn"}).text
        # Marte's "my logs" counts evaluations due 14 days ahead.
        marte = fresh(c)
        login(marte, stack, stack.pid("Marte", "Haugland"))
        assert due_days(marte.get("/min-side").text) == 14

        saves = audit_count(stack, "action = 'admin.settings.save' AND outcome = 'allow'")
        new = dict(f, consent_age="16", consent_valid_years="3", default_lang="nn", retention_years="7",
                   evaluation_warn_days="21")
        r = c.post("/admin/innstillinger", urlencode(new))
        assert r.status == 303 and r.header("location") == "/admin/innstillinger?lagret=innstillinger", r
        values, v2 = stored(stack)
        assert values == {"consent_age": "16", "consent_valid_years": "3", "default_lang": "nn",
                          "retention_years": "7", "evaluation_warn_days": "21"}, values
        assert v2 == version + 1
        assert audit_count(stack, "action = 'admin.settings.save' AND outcome = 'allow'") == saves + 1
        for detail in ("consent_age: 15 -> 16", "consent_valid_years: 2 -> 3", "default_lang: nb -> nn",
                       "retention_years: 5 -> 7", "evaluation_warn_days: 14 -> 21"):
            assert audit_count(stack, "action = 'admin.settings.change' AND detail = '%s'" % detail) >= 1, detail
        # The page says it is saved, and shows what is stored now; the
        # municipality now writes Nynorsk, so a Norwegian browser gets it.
        page = c.get(r.header("location")).text
        assert said(page) == "Innstillingane er lagra.", said(page)
        assert '<html lang="nn"' in page
        f2 = form_of(page)
        assert (f2["consent_age"], f2["default_lang"], f2["consent_valid_years"]) == ("16", "nn", "3")
        # ... unless the person chose a language, or the browser asks for
        # English or Nynorsk (a Bokmål municipality does not outweigh that).
        assert '<html lang="en"' in c.get("/admin", headers={"Accept-Language": "en"}).text
        c.cookies["lang"] = "nb"
        assert '<html lang="nb"' in c.get("/admin").text
        del c.cookies["lang"]
        # The evaluation days are now the municipality's 21.
        assert due_days(marte.get("/min-side").text) == 21
    finally:
        put_back(stack)


def test_a_stale_form_is_told_and_overwrites_nothing(c, stack):
    put_back(stack)
    try:
        as_admin(c, stack)
        other = as_admin(fresh(c), stack)
        f1, f2 = form_of(c.get("/admin/innstillinger").text), form_of(other.get("/admin/innstillinger").text)
        assert f1["version"] == f2["version"]
        r = c.post("/admin/innstillinger", urlencode(dict(f1, retention_years="8")))
        assert r.status == 303, r
        r = other.post("/admin/innstillinger", urlencode(dict(f2, retention_years="3", evaluation_warn_days="30")))
        assert r.status == 409, r
        # What is stored now, beside the choices typed, which the form keeps.
        conflict = re.search(r'id="settings-conflict">(.*?)</div>', r.text, re.S)
        assert conflict and "8" in conflict.group(1), r.text[:3000]
        kept = form_of(r.text)
        assert (kept["retention_years"], kept["evaluation_warn_days"]) == ("3", "30")
        values, version = stored(stack)
        assert (values["retention_years"], values["evaluation_warn_days"]) == ("8", "14")
        assert said(r.text) is None
        # Saving again is a deliberate overwrite with the version the page now holds.
        assert kept["version"] == str(version)
        assert other.post("/admin/innstillinger", urlencode(kept)).status == 303
        assert stored(stack)[0]["retention_years"] == "3"
    finally:
        put_back(stack)


def test_the_same_form_twice_saves_once(c, stack):
    put_back(stack)
    try:
        as_admin(c, stack)
        f = form_of(c.get("/admin/innstillinger").text)
        body = urlencode(dict(f, evaluation_warn_days="10"))
        changes = audit_count(stack, "action = 'admin.settings.change'")
        r1 = c.post("/admin/innstillinger", body)
        r2 = c.post("/admin/innstillinger", body)
        assert r1.status == 303 and r2.status == 303, (r1, r2)
        assert r1.header("location") == r2.header("location") == "/admin/innstillinger?lagret=innstillinger"
        _, version = stored(stack)
        assert version == int(f["version"]) + 1
        assert audit_count(stack, "action = 'admin.settings.change'") == changes + 1
    finally:
        put_back(stack)


def test_mistakes_come_back_at_their_fields(c, stack):
    put_back(stack)
    try:
        as_admin(c, stack)
        f = form_of(c.get("/admin/innstillinger").text)
        _, version = stored(stack)
        bad = dict(f, consent_age="17", consent_valid_years="9", default_lang="en", retention_years="",
                   evaluation_warn_days="-1")
        r = c.post("/admin/innstillinger", urlencode(bad))
        assert r.status == 422, r
        assert field_error(r.text, "consent_age") == "Velg ett av alternativene."
        assert field_error(r.text, "consent_valid_years") == "Skriv et helt tall mellom 1 og 5."
        assert field_error(r.text, "default_lang") == "Velg ett av alternativene."
        assert field_error(r.text, "retention_years") == "Skriv hvor mange år en avsluttet logg skal tas vare på."
        assert field_error(r.text, "evaluation_warn_days") == "Skriv et helt tall mellom 0 og 90."
        kept = form_of(r.text)
        assert (kept["consent_valid_years"], kept["evaluation_warn_days"]) == ("9", "-1")
        assert stored(stack) == (dict(DEMO), version)
    finally:
        put_back(stack)


def test_only_the_administrator_has_the_settings(c, stack):
    put_back(stack)
    try:
        _, version = stored(stack)
        body = urlencode(dict(DEMO, version=str(version), consent_age="16"))
        for given, family in [("Sindre", "Åsheim"), ("Hanne", "Lien"), ("Kari", "Fjelltun")]:
            who = fresh(c)
            login(who, stack, stack.pid(given, family))
            me = int(one(stack, "SELECT id FROM person WHERE given_name = '%s' AND family_name = '%s'"
                         % (given, family)))
            denied = "action LIKE 'admin.settings.%%' AND outcome = 'deny' AND person_id = %d" % me
            before = audit_count(stack, denied)
            r1 = who.get("/admin/innstillinger")
            r2 = who.post("/admin/innstillinger", body)
            assert (r1.status, r2.status) == (403, 403), (given, r1, r2)
            assert "Samtykkealder" not in r1.text
            assert audit_count(stack, denied) == before + 2
        assert stored(stack) == (dict(DEMO), version)
        anon = fresh(c)
        r = anon.get("/admin/innstillinger")
        assert r.status == 303 and r.header("location") == "/", r
        assert anon.post("/admin/innstillinger", body).status == 403
        assert stored(stack) == (dict(DEMO), version)
    finally:
        put_back(stack)
