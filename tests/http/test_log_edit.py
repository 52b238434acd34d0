"""test_log_edit.py — editing a log (cgi-bin/log_edit.c, /logg/ID/rediger)
and its history (cgi-bin/history.c, /logg/ID/historikk): basic data, BTI
level and the child's voice; concerns with development areas; conflicting
saves from two clients (409 with both versions, the typed text kept);
bounded text; hostile strings stored verbatim and shown escaped; only the
holder edits and sees the history; every read and write is audited."""
import html
import re
from urllib.parse import urlencode

from harness import login
from log_helpers import (HOLDER, audit_count, create_log, demo_person, field_error, fresh, login_holder,
                         make_active, one, textarea, version_in)

HOSTILE = '"><script>alert(1)</script> O\'Hara æøå 😀'


def hexed(stack, sql):
    """A text column as Python text (hex: the command-line client's character set aside)."""
    h = one(stack, sql.replace("SELECT ", "SELECT HEX(", 1).replace(" FROM", ") FROM", 1))
    return bytes.fromhex(h).decode()


def area_ids(page, prefix="area-new-"):
    """{area name: id} from the checkboxes of the new-concern form."""
    return {html.unescape(name): int(i) for i, name in
            re.findall(r'<label for="%s(\d+)">([^<]*)</label>' % prefix, page)}


def basic(version, bti="2", info="", voice=""):
    return urlencode({"version": version, "bti_level": bti, "basic_info": info, "child_voice": voice})


def test_the_holder_edits_basic_data_and_sees_it_escaped(c, stack):
    login_holder(c, stack)
    log_id, _ = create_log(c, stack)
    make_active(stack, log_id)
    holder = demo_person(stack, *HOLDER)
    reads = audit_count(stack, "action = 'log.edit.read' AND log_id = %d AND outcome = 'allow'" % log_id)
    page = c.get("/logg/%d/rediger" % log_id)
    assert page.status == 200, page
    assert audit_count(stack, "action = 'log.edit.read' AND log_id = %d AND outcome = 'allow'" % log_id) \
        == reads + 1
    # The BTI levels with their meaning as help.
    assert "Nivå 2: samarbeid mellom to eller flere tjenester" in page.text
    v = version_in(page.text, "/logg/%d/rediger" % log_id)
    r = c.post("/logg/%d/rediger" % log_id, basic(v, "2", HOSTILE, "Jeg liker å tegne.\nOg å hoppe!"))
    assert r.status == 303 and r.header("location") == "/logg/%d" % log_id, r
    assert audit_count(stack, "action = 'log.update' AND log_id = %d AND person_id = %d AND outcome = 'allow'"
                       % (log_id, holder)) == 1
    assert hexed(stack, "SELECT basic_info FROM log WHERE id = %d" % log_id) == HOSTILE
    assert one(stack, "SELECT CONCAT(bti_level, ' ', version) FROM log WHERE id = %d" % log_id) \
        == "2 %d" % (int(v) + 1)
    view = c.get("/logg/%d" % log_id)
    assert "<script>alert(1)" not in view.text
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Hara æøå 😀" in view.text
    assert "Jeg liker å tegne." in view.text and "Nivå 2" in view.text
    assert 'href="/logg/%d/rediger"' % log_id in view.text and 'href="/logg/%d/historikk"' % log_id in view.text
    # Level 0 is a level, not "none"; an empty choice is "not assessed".
    v = version_in(c.get("/logg/%d/rediger" % log_id).text, "/logg/%d/rediger" % log_id)
    assert c.post("/logg/%d/rediger" % log_id, basic(v, "0", HOSTILE)).status == 303
    assert one(stack, "SELECT bti_level FROM log WHERE id = %d" % log_id) == "0"
    v = version_in(c.get("/logg/%d/rediger" % log_id).text, "/logg/%d/rediger" % log_id)
    assert c.post("/logg/%d/rediger" % log_id, basic(v, "", HOSTILE)).status == 303
    assert one(stack, "SELECT bti_level IS NULL FROM log WHERE id = %d" % log_id) == "1"
    # The history: old -> new for each changed field, escaped.
    hist = c.get("/logg/%d/historikk" % log_id)
    assert hist.status == 200, hist
    assert audit_count(stack, "action = 'log.history' AND log_id = %d AND outcome = 'allow'" % log_id) == 1
    assert "<script>alert(1)" not in hist.text
    rows = re.findall(r"<tr>\s*<th scope=\"row\">[^<]*</th>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*"
                      r"<td class=\"text old\">(.*?)</td>\s*<td class=\"text new\">(.*?)</td>", hist.text, re.S)
    def cell(text):
        return html.unescape(re.sub(r'<span class="meta">([^<]*)</span>', r"\1", text))
    fields = [(html.unescape(w), cell(o), cell(n)) for _, w, o, n in rows]
    assert ("Logg: BTI-nivå", "0", "(ingen)") in fields, fields
    assert ("Logg: BTI-nivå", "2", "0") in fields, fields
    assert ("Logg: Grunnopplysninger", "(ingen)", HOSTILE) in fields, fields
    assert ("Logg: Status", "(ingen)", "Utkast") in fields, fields
    assert "Marte Haugland" in hist.text


def test_a_stale_save_answers_409_and_keeps_what_was_typed(c, stack):
    login_holder(c, stack)
    log_id, _ = create_log(c, stack)
    make_active(stack, log_id)
    other = login_holder(fresh(c), stack)
    v1 = version_in(c.get("/logg/%d/rediger" % log_id).text, "/logg/%d/rediger" % log_id)
    v2 = version_in(other.get("/logg/%d/rediger" % log_id).text, "/logg/%d/rediger" % log_id)
    assert v1 == v2
    first, second = "Først: mor ønsker tett kontakt.", "Andre: far ønsker <b>ukentlige</b> møter."
    assert c.post("/logg/%d/rediger" % log_id, basic(v1, "1", first, "Stemme A")).status == 303
    r = other.post("/logg/%d/rediger" % log_id, basic(v2, "3", second, "Stemme B"))
    assert r.status == 409, r
    # The other person's values beside this user's typed text, both escaped.
    conflict = re.search(r'<div class="notice warning" role="alert" id="basic-conflict">(.*?)</div>', r.text, re.S)
    assert conflict and html.escape(first, quote=False) in conflict.group(1) and "Stemme A" in conflict.group(1)
    assert "Nivå 1" in conflict.group(1)
    assert textarea(r.text, "basic_info") == second and textarea(r.text, "child_voice") == "Stemme B"
    assert "&lt;b&gt;ukentlige&lt;/b&gt;" in r.text and "<b>ukentlige</b>" not in r.text
    assert re.search(r'id="bti-3"[^>]*checked', r.text)
    assert hexed(stack, "SELECT basic_info FROM log WHERE id = %d" % log_id) == first
    # The page offers the current version: saving again is a deliberate overwrite.
    v3 = version_in(r.text, "/logg/%d/rediger" % log_id)
    assert int(v3) == int(v1) + 1
    assert other.post("/logg/%d/rediger" % log_id, basic(v3, "3", second, "Stemme B")).status == 303
    assert hexed(stack, "SELECT basic_info FROM log WHERE id = %d" % log_id) == second


def test_concerns_with_development_areas(c, stack):
    login_holder(c, stack)
    log_id, _ = create_log(c, stack)
    make_active(stack, log_id)
    page = c.get("/logg/%d/rediger" % log_id).text
    areas = area_ids(page)
    assert "Språk og kommunikasjon" in areas and "Skolefravær" in areas, areas
    new = {"title": "Språket <i>utvikler</i> seg sakte", "description": "Få ord ved 3 år. 😀",
           "area": [areas["Språk og kommunikasjon"], areas["Sosial utvikling og vennskap"]]}
    r = c.post("/logg/%d/rediger/bekymring" % log_id, urlencode(new, doseq=True))
    assert r.status == 303, r
    assert audit_count(stack, "action = 'log.concern.create' AND log_id = %d AND outcome = 'allow'" % log_id) == 1
    cid = int(one(stack, "SELECT id FROM concern WHERE log_id = %d" % log_id))
    assert hexed(stack, "SELECT title FROM concern WHERE id = %d" % cid) == new["title"]
    view = c.get("/logg/%d" % log_id).text
    article = re.search(r'<article class="concern" id="concern-%d">(.*?)</article>' % cid, view, re.S).group(1)
    assert "Språket &lt;i&gt;utvikler&lt;/i&gt; seg sakte" in article and "Få ord ved 3 år. 😀" in article
    assert "<li>Språk og kommunikasjon</li>" in article and "<li>Sosial utvikling og vennskap</li>" in article
    assert "Skolefravær" not in article
    # A second concern; the interface language picks the area names.
    r = c.post("/logg/%d/rediger/bekymring" % log_id,
               urlencode({"title": "Fravær", "description": "", "area": areas["Skolefravær"]}))
    assert r.status == 303
    assert one(stack, "SELECT COUNT(*) FROM concern WHERE log_id = %d" % log_id) == "2"
    # Changing one: the areas and text move, the history keeps both.
    page = c.get("/logg/%d/rediger" % log_id).text
    v = version_in(page, "/logg/%d/rediger/bekymring/%d" % (log_id, cid))
    edit = {"version": v, "title": "Språket", "description": "Flere ord nå.",
            "area": [areas["Språk og kommunikasjon"], areas["Motorikk"]]}
    r = c.post("/logg/%d/rediger/bekymring/%d" % (log_id, cid), urlencode(edit, doseq=True))
    assert r.status == 303, r
    assert audit_count(stack, "action = 'log.concern.update' AND log_id = %d AND outcome = 'allow'" % log_id) == 1
    hist = html.unescape(c.get("/logg/%d/historikk" % log_id).text)
    assert "Språk og kommunikasjon, Sosial utvikling og vennskap" in hist
    assert "Motorikk, Språk og kommunikasjon" in hist
    assert "Språket <i>utvikler</i> seg sakte" in hist
    # A stale concern save: 409, the other's current title shown, the typed one kept.
    stale = dict(edit, title="Mitt forslag", description="Min tekst")
    r = c.post("/logg/%d/rediger/bekymring/%d" % (log_id, cid), urlencode(stale, doseq=True))
    assert r.status == 409, r
    form = re.search(r'<form class="concern" [^>]*id="concern-%d">(.*?)</form>' % cid, r.text, re.S).group(1)
    assert "Flere ord nå." in form and "Motorikk, Språk og kommunikasjon" in form
    assert 'value="Mitt forslag"' in form and "Min tekst</textarea>" in form
    assert one(stack, "SELECT title FROM concern WHERE id = %d" % cid) == "Språket"
    # Too long, and a missing title: messages at the fields, nothing saved.
    r = c.post("/logg/%d/rediger/bekymring" % log_id, urlencode({"title": "", "description": "x" * 2001}))
    assert r.status == 422, r
    assert field_error(r.text, "title-new") == "Feltet må fylles ut."
    assert field_error(r.text, "description-new") == "Bruk høyst 2000 tegn."
    assert one(stack, "SELECT COUNT(*) FROM concern WHERE log_id = %d" % log_id) == "2"
    # A concern of another log through this log's URL: not found, nothing changed.
    other_log, _ = create_log(c, stack)
    assert c.post("/logg/%d/rediger/bekymring/%d" % (other_log, cid), urlencode(edit, doseq=True)).status == 404
    # An area id the form does not have is refused.
    assert c.post("/logg/%d/rediger/bekymring" % log_id,
                  urlencode({"title": "x", "description": "", "area_999999": "1"})).status == 400
    assert c.post("/logg/%d/rediger/bekymring" % log_id,
                  urlencode({"title": "x", "description": "", "area": "999999"})).status == 400
    assert one(stack, "SELECT COUNT(*) FROM concern WHERE log_id = %d" % log_id) == "2"


def test_only_the_holder_edits_and_sees_the_history(c, stack):
    login_holder(c, stack)
    log_id, f = create_log(c, stack)
    make_active(stack, log_id)
    v = version_in(c.get("/logg/%d/rediger" % log_id).text, "/logg/%d/rediger" % log_id)
    # A guardian reads the log, but neither edits nor sees the history.
    guardian = fresh(c)
    login(guardian, stack, f["g1_nin"])
    view = guardian.get("/logg/%d" % log_id)
    assert view.status == 200, view
    assert 'href="/logg/%d/rediger"' % log_id not in view.text
    assert 'href="/logg/%d/historikk"' % log_id not in view.text
    gid = int(one(stack, "SELECT person_id FROM log_guardian WHERE log_id = %d ORDER BY id LIMIT 1" % log_id))
    denials = audit_count(stack, "log_id = %d AND person_id = %d AND outcome = 'deny'" % (log_id, gid))
    assert guardian.get("/logg/%d/rediger" % log_id).status == 403
    assert guardian.post("/logg/%d/rediger" % log_id, basic(v, "1", "x")).status == 403
    assert guardian.post("/logg/%d/rediger/bekymring" % log_id, urlencode({"title": "x"})).status == 403
    assert guardian.get("/logg/%d/historikk" % log_id).status == 403
    assert audit_count(stack, "log_id = %d AND person_id = %d AND outcome = 'deny'" % (log_id, gid)) \
        == denials + 4
    # Staff of another unit: the same answer as for a log that does not exist.
    other = fresh(c)
    login(other, stack, stack.pid("Hanne", "Lien"))
    a = other.get("/logg/%d/rediger" % log_id)
    b = other.get("/logg/999999999/rediger")
    assert a.status == b.status == 403
    def same(text):  # without the request id and the page's own path
        return re.sub(r"/logg/\d+/", "/logg/N/", re.sub(r"<code>[0-9a-f]{32}</code>", "", text))
    assert same(a.text) == same(b.text), "a refusal tells nothing of whether the log exists"
    assert one(stack, "SELECT basic_info IS NULL FROM log WHERE id = %d" % log_id) == "1"
