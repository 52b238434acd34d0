"""test_guardians.py — the holder adds and removes a log's guardians
(cgi-bin/guardians.c, /logg/ID/foresatte; DOMAIN.md §2, §4, §8, §10): a new
guardian is registered with the number rules of the create form, reads the
log at once, has not consented, and the log's consent is recomputed (an
active log becomes read-only and the other services lose access until they
consent; the page says so before and after); the same form twice adds once;
removing one needs a reason, ends their access at once and the history
keeps it, and may complete the consent of the others; a stale removal and
the last guardian of a child are refused; the answer never tells whether a
number was registered; only the holder may do any of it (another unit's
staff, the unit's leader, the administrator and a guardian are refused and
audited)."""
import html
import re
from urllib.parse import urlencode

from harness import login, synthetic_nin
from log_helpers import (HOLDER, audit_count, create_log, demo_person, fresh, login_holder, make_active, one,
                         suffix)

ALERT = re.compile(r'<div class="ds-alert" data-color="success" role="status">(.*?)</div>', re.S)


def said(page):
    m = ALERT.search(page)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else None


def field_error(page, field):
    m = re.search(r'<p class="ds-validation-message" id="%s-error">([^<]*)</p>' % re.escape(field), page)
    return html.unescape(m.group(1)) if m else None


def once(page):
    m = re.search(r'action="/logg/\d+/foresatte"[^>]*>(.*?)</form>', page, re.S)
    assert m, page[:3000]
    return re.search(r'name="_once" value="([^"]+)"', m.group(1)).group(1)


def removal(page, name):
    """(guardian id, version, single-use token) of name's removal form."""
    m = re.search(r'<li class="guardian" id="guardian-(\d+)">\s*<h3[^>]*>%s\b(.*?)</li>' % re.escape(name), page, re.S)
    assert m, "%s has no removal form" % name
    version = re.search(r'name="version" value="(\d+)"', m.group(2)).group(1)
    token = re.search(r'name="_once" value="([^"]+)"', m.group(2)).group(1)
    return int(m.group(1)), version, token


def guardian_form(given, family, nin, **extra):
    f = {"given_name": given, "family_name": family, "nin": nin, "phone": "+47 912 34 567",
         "email": "ny.foresatt@fjordvik.example"}
    f.update(extra)
    return f


def guardians(stack, log_id):
    return one(stack, "SELECT GROUP_CONCAT(person_id ORDER BY id) FROM log_guardian WHERE log_id = %d"
               % log_id).split(",")


def consent(stack, log_id, person, holder, kind="establish"):
    """A signed consent of person, given today for a year, as the consent page records one."""
    stack.sql("INSERT INTO consent (municipality_id, log_id, kind, person_id, method, given_at, valid_until,"
              " recorded_by) SELECT municipality_id, id, '%s', %s, 'signed_form', CURRENT_DATE,"
              " CURRENT_DATE + INTERVAL 1 YEAR, %d FROM log WHERE id = %d" % (kind, person, holder, log_id))


def child_log(c, stack):
    """A fresh draft log (Marte's) of a child under the consent age with two guardians."""
    return create_log(c, stack, subject_nin=synthetic_nin(2016, 2020))


def consented_log(c, stack):
    """A fresh active log (Marte's) whose two guardians both consented to it
    and to cooperation with PPT, which covers PPT's people."""
    log_id, form = child_log(c, stack)
    holder = demo_person(stack, *HOLDER)
    ppt = int(one(stack, "SELECT id FROM unit WHERE name = 'PPT Fjordvik'"))
    for person in guardians(stack, log_id):
        consent(stack, log_id, person, holder)
        consent(stack, log_id, person, holder, "cooperate")
        stack.sql("INSERT INTO consent_scope (consent_id, unit_id) SELECT MAX(id), %d FROM consent"
                  " WHERE log_id = %d" % (ppt, log_id))
    make_active(stack, log_id)
    stack.sql("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until) SELECT municipality_id,"
              " id, %d, consent_until FROM log WHERE id = %d" % (ppt, log_id))
    return log_id, form


def test_the_holder_adds_a_guardian_who_must_then_consent(c, stack):
    login_holder(c, stack)
    log_id, form = consented_log(c, stack)
    view = c.get("/logg/%d" % log_id).text
    assert 'href="/logg/%d/foresatte"' % log_id in view
    reads = audit_count(stack, "action = 'log.guardians.read' AND log_id = %d AND outcome = 'allow'" % log_id)
    page = c.get("/logg/%d/foresatte" % log_id)
    assert page.status == 200, page
    assert audit_count(stack, "action = 'log.guardians.read' AND log_id = %d AND outcome = 'allow'"
                       % log_id) == reads + 1
    # Both guardians with their consent; what adding one means, said before it is done.
    mother = "%s %s" % (form["g1_given_name"], form["g1_family_name"])
    assert mother in page.text and 'id="consent-complete"' in page.text
    assert 'id="add-consequence"' in page.text and 'id="consent-waiting"' not in page.text
    assert one(stack, "SELECT COUNT(*) FROM consent_service WHERE log_id = %d" % log_id) == "1"

    sfx, nin = suffix(), synthetic_nin()
    f = guardian_form("Steffar-%s" % sfx, "Testesen", nin, _once=once(page.text))
    before = one(stack, "SELECT COUNT(*) FROM log_history WHERE log_id = %d" % log_id)
    r1 = c.post("/logg/%d/foresatte" % log_id, urlencode(f))
    r2 = c.post("/logg/%d/foresatte" % log_id, urlencode(f))  # the same form again: added once
    assert r1.status == 303 and r1.header("location") == "/logg/%d/foresatte?lagret=foresatt" % log_id, r1
    assert r2.status == 303 and r2.header("location") == r1.header("location"), r2
    added = one(stack, "SELECT person_id FROM log_guardian WHERE log_id = %d AND given_name = 'Steffar-%s'"
                % (log_id, sfx))
    assert len(guardians(stack, log_id)) == 3
    assert one(stack, "SELECT CONCAT(email, ' ', phone) FROM log_guardian WHERE person_id = %s AND log_id = %d"
               % (added, log_id)) == "ny.foresatt@fjordvik.example +4791234567"
    assert audit_count(stack, "action = 'log.guardian.add' AND log_id = %d AND outcome = 'allow'"
                       " AND COALESCE(detail, '') <> 'repeated'" % log_id) == 1
    # The consent is recomputed: not complete until the new guardian consents,
    # so the log is read-only and PPT's people lose their access.
    assert one(stack, "SELECT consent_until IS NULL FROM log WHERE id = %d" % log_id) == "1"
    assert one(stack, "SELECT COUNT(*) FROM consent_service WHERE log_id = %d" % log_id) == "0"
    assert one(stack, "SELECT COUNT(*) FROM log_history WHERE log_id = %d" % log_id) == str(int(before) + 2)
    assert one(stack, "SELECT new_value FROM log_history WHERE log_id = %d AND entity = 'guardian'"
               " AND entity_id = %s" % (log_id, added)) == "Steffar-%s Testesen" % sfx
    assert c.get("/logg/%d/rediger" % log_id).status == 403
    page = c.get(r1.header("location")).text
    assert said(page) == "Foresatt er lagt til.", said(page)
    waiting = re.search(r'id="consent-waiting">(.*?)</div>', page, re.S)
    assert waiting and "Steffar-%s Testesen" % sfx in waiting.group(1) and mother not in waiting.group(1)
    # The new guardian reads the log at once, and may consent.
    them = fresh(c)
    r, _ = login(them, stack, nin)
    assert r.status == 303, r
    assert them.get("/logg/%d" % log_id).status == 200
    assert them.get("/logg/%d/foresatte" % log_id).status == 403


def test_the_answer_never_tells_whether_a_number_was_registered(c, stack):
    login_holder(c, stack)
    log_id, _ = create_log(c, stack)
    siri = demo_person(stack, "Siri", "Bergli")  # a guardian of another log
    answers = []
    for given, nin in (("Kjent", stack.pid("Siri", "Bergli")), ("Ukjent", synthetic_nin())):
        page = c.get("/logg/%d/foresatte" % log_id).text
        r = c.post("/logg/%d/foresatte" % log_id,
                   urlencode(guardian_form(given, "Navnesen", nin, _once=once(page))))
        answers.append((r.status, r.header("location")))
    assert answers[0] == answers[1] == (303, "/logg/%d/foresatte?lagret=foresatt" % log_id), answers
    # Siri is attached as herself, her own record as it was; the log keeps the name typed.
    assert str(siri) in guardians(stack, log_id)
    assert one(stack, "SELECT given_name FROM person WHERE id = %d" % siri) == "Siri"
    assert one(stack, "SELECT given_name FROM log_guardian WHERE log_id = %d AND person_id = %d"
               % (log_id, siri)) == "Kjent"


def test_mistakes_and_numbers_that_cannot_be_a_new_guardian(c, stack):
    login_holder(c, stack)
    log_id, form = child_log(c, stack)
    holder = demo_person(stack, *HOLDER)
    url = "/logg/%d/foresatte" % log_id
    r = c.post(url, urlencode(guardian_form("", "", "12345678901", email="ikke-en-adresse")))
    assert r.status == 422, r
    assert field_error(r.text, "given_name") == "Skriv fornavnet til den foresatte."
    assert field_error(r.text, "nin") == "Fødselsnummeret er ikke gyldig. Sjekk sifrene."
    assert field_error(r.text, "email") == "Skriv en gyldig e-postadresse."
    assert 'value="ikke-en-adresse"' in r.text
    # The child, a guardian already, and the holder herself (refused and audited).
    cases = [(form["subject_nin"], "Dette er nummeret til den loggen gjelder. En foresatt er en annen person."),
             (form["g2_nin"], "Denne personen er allerede foresatt i loggen.")]
    for nin, message in cases:
        r = c.post(url, urlencode(guardian_form("Noen", "Andre", nin)))
        assert r.status == 422 and field_error(r.text, "nin") == message, (r, field_error(r.text, "nin"))
    refused = "action = 'log.guardian.add' AND outcome = 'refused' AND detail = 'self' AND person_id = %d" % holder
    before = audit_count(stack, refused)
    r = c.post(url, urlencode(guardian_form("Marte", "Haugland", stack.pid(*HOLDER))))
    assert r.status == 422, r
    assert field_error(r.text, "nin") == ("Du kan ikke være foresatt i en logg du er stafettholder for. "
                                          "En annen må være stafettholder.")
    assert audit_count(stack, refused) == before + 1
    assert len(guardians(stack, log_id)) == 2


def test_removing_a_guardian_ends_their_access_and_the_history_keeps_why(c, stack):
    login_holder(c, stack)
    log_id, form = child_log(c, stack)
    holder = demo_person(stack, *HOLDER)
    mother_id, father_id = guardians(stack, log_id)
    father = "%s %s" % (form["g2_given_name"], form["g2_family_name"])
    mother = "%s %s" % (form["g1_given_name"], form["g1_family_name"])
    # The mother has consented, the father not: the draft waits for him.
    consent(stack, log_id, mother_id, holder)
    assert one(stack, "SELECT state FROM log WHERE id = %d" % log_id) == "draft"
    dad = fresh(c)
    login(dad, stack, form["g2_nin"])
    assert dad.get("/logg/%d" % log_id).status == 200
    url = "/logg/%d/foresatte" % log_id
    gid, version, token = removal(c.get(url).text, father)
    # A reason is needed.
    r = c.post("%s/%d/fjern" % (url, gid), urlencode({"version": version, "reason": "", "_once": token}))
    assert r.status == 422, r
    assert field_error(r.text, "reason-%d" % gid) == "Skriv hvorfor den foresatte fjernes."
    # A stale version: told, nothing removed.
    r = c.post("%s/%d/fjern" % (url, gid), urlencode({"version": int(version) + 5, "reason": "Feil person",
                                                        "_once": token}))
    assert r.status == 409 and 'id="guardian-conflict"' in r.text, r
    assert len(guardians(stack, log_id)) == 2
    reason = "Har ikke lenger foreldreansvar <b>"
    removals = "action = 'log.guardian.remove' AND log_id = %d AND outcome = 'allow'" % log_id
    before = audit_count(stack, removals)
    r = c.post("%s/%d/fjern" % (url, gid), urlencode({"version": version, "reason": reason, "_once": token}))
    assert r.status == 303 and r.header("location") == url + "?lagret=foresatt-fjernet", r
    assert guardians(stack, log_id) == [mother_id]
    assert audit_count(stack, removals) == before + 1
    # His access ends at once; the history keeps who, and why.
    assert dad.get("/logg/%d" % log_id).status == 403
    assert one(stack, "SELECT old_value FROM log_history WHERE log_id = %d AND entity = 'guardian'"
               " AND field = 'guardian' AND new_value IS NULL" % log_id) == father
    assert one(stack, "SELECT new_value FROM log_history WHERE log_id = %d AND field = 'removal_reason'"
               % log_id) == reason
    # Only the mother's consent is needed now, and she gave it: the log is active.
    assert one(stack, "SELECT CONCAT(state, ' ', consent_until IS NOT NULL) FROM log WHERE id = %d"
               % log_id) == "active 1"
    page = c.get(url + "?lagret=foresatt-fjernet").text
    assert said(page).startswith("Den foresatte er fjernet."), said(page)
    assert father not in page and 'id="consent-complete"' in page
    # The last guardian of a child stays.
    gid, version, token = removal(page, mother)
    r = c.post("%s/%d/fjern" % (url, gid), urlencode({"version": version, "reason": "Test", "_once": token}))
    assert r.status == 409 and 'id="guardian-last"' in r.text, r
    assert guardians(stack, log_id) == [mother_id]


def test_only_the_holder_adds_or_removes_guardians(c, stack):
    login_holder(c, stack)
    log_id, form = child_log(c, stack)
    make_active(stack, log_id)
    gid, version, _ = removal(c.get("/logg/%d/foresatte" % log_id).text,
                              "%s %s" % (form["g2_given_name"], form["g2_family_name"]))
    sfx = suffix()
    # Another unit's staff, the log's unit's leader, the administrator, a guardian of the log.
    for who, pid in [("Hanne Lien", stack.pid("Hanne", "Lien")), ("Torbjørn Vik", stack.pid("Torbjørn", "Vik")),
                     ("Ingrid Solberg", stack.pid("Ingrid", "Solberg")), ("mother", form["g1_nin"])]:
        them = fresh(c)
        r, _ = login(them, stack, pid)
        assert r.status == 303, (who, r)
        denied = "action LIKE 'log.guardian%%' AND outcome = 'deny' AND log_id = %d" % log_id
        before = audit_count(stack, denied)
        r1 = them.get("/logg/%d/foresatte" % log_id)
        r2 = them.post("/logg/%d/foresatte" % log_id,
                       urlencode(guardian_form("Ulovlig-%s" % sfx, "Testesen", synthetic_nin())))
        r3 = them.post("/logg/%d/foresatte/%d/fjern" % (log_id, gid),
                       urlencode({"version": version, "reason": "Ulovlig"}))
        assert (r1.status, r2.status, r3.status) == (403, 403, 403), (who, r1, r2, r3)
        assert form["g2_given_name"] not in r1.text
        assert audit_count(stack, denied) == before + 3, who
        assert 'href="/logg/%d/foresatte"' % log_id not in them.get("/logg/%d" % log_id).text
    assert len(guardians(stack, log_id)) == 2
    assert one(stack, "SELECT COUNT(*) FROM person WHERE given_name = 'Ulovlig-%s'" % sfx) == "0"
    # Nor the holder, once the log is closed.
    stack.sql("UPDATE log SET state = 'closed', closed_at = NOW(3) WHERE id = %d" % log_id)
    assert c.get("/logg/%d/foresatte" % log_id).status == 403
    assert c.post("/logg/%d/foresatte/%d/fjern" % (log_id, gid),
                  urlencode({"version": version, "reason": "Avsluttet"})).status == 403
    assert len(guardians(stack, log_id)) == 2
