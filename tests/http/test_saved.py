"""test_saved.py — every save says what was saved (lib/app.c, resp_saved):
after a POST that goes back to a page (303), the page shows a status
message that screen readers announce (<div class="ds-alert"
data-color="success" role="status">), from a short code in the address
(?lagret=notat: never anything personal), in the reader's language; an
unknown code, or one on a page that answers with an error, shows nothing and
is no bad request. Across programs: notes, glimpses of light, goals,
measures, evaluations, concerns, basic data, a unit's staff, the
administrator's units. The state change's message is in test_log_state.py,
a deleted draft's in test_log_delete.py."""
import html
import re
from urllib.parse import urlencode

from harness import login, synthetic_nin
from log_helpers import (add_goal, add_measure, as_person, basic, create_log, fixture_log, login_holder,
                         make_active, suffix, unit_id, version_in)

ALERT = re.compile(r'<div class="ds-alert" data-color="success" role="status">(.*?)</div>', re.S)


def said(page):
    """The status message of a page as its text, or None."""
    m = ALERT.search(page)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else None


def after(c, r, lang=None):
    """Follows a save's 303 to the page it names: that page's text. The
    address carries a short code and nothing else."""
    assert r.status == 303, (r, r.text[:2000])
    loc = r.header("location")
    assert re.fullmatch(r"/[a-z0-9/-]*\?lagret=[a-z-]{1,20}(#[a-z0-9-]+)?", loc), loc
    chosen = c.cookies.pop("lang", None)
    if lang:
        c.cookies["lang"] = lang  # as the language choice on our pages sets it
    page = c.get(loc.split("#")[0])
    c.cookies.pop("lang", None)
    if chosen:
        c.cookies["lang"] = chosen
    assert page.status == 200, page
    return page.text


def test_notes_goals_measures_and_evaluations_say_what_was_saved(c, stack):
    f = fixture_log(stack)
    kari = as_person(c, stack, "Kari", "Fjelltun")
    r = kari.post("/logg/%d/notat" % f.log, urlencode({"text": "Hun sov godt i natt"}))
    assert said(after(kari, r)) == "Notatet er lagret."
    r = kari.post("/logg/%d/notat" % f.log, urlencode({"text": "Hun lo hele dagen", "glimpse": "1"}))
    assert said(after(kari, r)) == "Lysglimtet er lagret."
    r = kari.post("/logg/%d/notat" % f.log, urlencode({"text": "Ny natt"}))
    assert said(after(kari, r, "nn")) == "Notatet er lagra."
    assert said(after(kari, r, "en")) == "The note is saved."
    # The page without the code says nothing.
    assert said(kari.get("/logg/%d" % f.log).text) is None
    login(c, stack, stack.pid("Marte", "Haugland"))
    r = c.post("/logg/%d/mal" % f.log, urlencode({"concern_id": f.concern, "text": "Sove hele natten"}))
    assert said(after(c, r)) == "Målet er lagret."
    goal = add_goal(c, f)
    r = c.post("/logg/%d/mal/%d/tiltak" % (f.log, goal),
               urlencode({"description": "Kveldsrutine", "responsible": "%d-%d" % (f.live, f.health),
                          "status": "ongoing"}))
    assert said(after(c, r)) == "Tiltaket er lagret."
    measure = add_measure(c, f, goal, f.live, f.health)
    r = c.post("/logg/%d/tiltak/%d/evaluering" % (f.log, measure), urlencode({"category": "partly"}))
    assert said(after(c, r)) == "Evalueringen er lagret."


def test_concerns_and_basic_data_say_what_was_saved(c, stack):
    login_holder(c, stack)
    log_id, _ = create_log(c, stack)
    make_active(stack, log_id)
    r = c.post("/logg/%d/rediger/bekymring" % log_id, urlencode({"title": "Søvn"}))
    assert said(after(c, r)) == "Bekymringen er lagret."
    v = version_in(c.get("/logg/%d/rediger" % log_id).text, "/logg/%d/rediger" % log_id)
    r = c.post("/logg/%d/rediger" % log_id, basic(v, "1"))
    assert said(after(c, r)) == "Grunnopplysningene er lagret."


def test_a_leader_and_the_administrator_are_told_what_was_saved(c, stack):
    login(c, stack, stack.pid("Sindre", "Åsheim"))  # leader of Fjordvik skole
    school = unit_id(stack, "Fjordvik skole")
    sfx = suffix()
    r = c.post("/enhet/%d/ansatt" % school, urlencode({
        "given_name": "Lærer", "family_name": "Lagresen-%s" % sfx, "nin": synthetic_nin(), "title": "Lærer",
        "email": "laerer@fjordvik.example", "phone": ""}))
    assert said(after(c, r)) == "Den ansatte er registrert."
    admin = as_person(c, stack, "Ingrid", "Solberg")
    r = admin.post("/admin/enhet", urlencode({"name": "Lagret skole %s" % sfx, "kind": "school"}))
    assert said(after(admin, r)) == "Enheten er opprettet."


def test_an_unknown_code_says_nothing_and_is_no_bad_request(c, stack):
    f = fixture_log(stack)
    kari = as_person(c, stack, "Kari", "Fjelltun")
    for path in ("/logg/%d?lagret=tull" % f.log, "/logg/%d?lagret=" % f.log, "/min-side?lagret=%3Cb%3E",
                 "/logg/%d/innsyn?lagret=tull" % f.log):  # innsyn has a form of its own (?side=N)
        page = kari.get(path)
        assert page.status == 200, (path, page)
        assert said(page.text) is None and "ds-alert" not in page.text, path
    # A known code with the page's own parameter beside it.
    page = kari.get("/logg/%d/innsyn?side=1&lagret=notat" % f.log)
    assert page.status == 200 and said(page.text) == "Notatet er lagret.", page
    # Not on a page that refuses: the message is about a page that was shown.
    other = fixture_log(stack)
    stack.sql("DELETE FROM log_guardian WHERE log_id = %d" % other.log)
    page = kari.get("/logg/%d?lagret=notat" % other.log)
    assert page.status == 403 and said(page.text) is None, page
