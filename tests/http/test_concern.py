"""test_concern.py — a log's concerns (cgi-bin/concern.c,
/logg/ID/rediger/bekymring and .../bekymring/CID): added and changed with
their development areas (named in the interface's language), hostile text
stored verbatim and shown escaped, the history keeping both versions, a
stale save a 409 that keeps what was typed, bounded text, a concern of
another log not found, an area the form does not have refused; every write
audited."""
import html
import re
from urllib.parse import urlencode

from log_helpers import audit_count, create_log, field_error, hexed, login_holder, make_active, one, version_in


def area_ids(page, prefix="area-new-"):
    """{area name: id} from the checkboxes of the new-concern form."""
    return {html.unescape(name): int(i) for i, name in
            re.findall(r'<label[^>]* for="%s(\d+)">([^<]*)</label>' % prefix, page)}


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
    assert field_error(r.text, "title-new") == "Skriv en kort overskrift for bekymringen."
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
