"""test_admin.py — the administrator's page (cgi-bin/admin.c, /admin): units
created and leaders appointed (DOMAIN.md §2, §8), mistakes at their fields,
the new leader logging in to their unit, the administrator kept out of the
units' work; nobody else has the administration; every request audited.
Helpers from test_unit.py."""
import re

from harness import login, synthetic_nin
from test_unit import SCHOOL, audit_count, beside, field_error, fresh, one, person_form, person_id, suffix, unit_id


def test_the_administrator_creates_a_unit_and_appoints_its_leader(c, stack):
    sfx = suffix()
    unit = "Testbarnehage %s" % sfx
    login(c, stack, stack.pid("Ingrid", "Solberg"))
    home = c.get("/min-side").text
    assert 'href="/admin"' in home and "/enhet/" not in home
    r = c.get("/admin")
    assert r.status == 200, r
    assert "Solsikken barnehage" in r.text and "Torbjørn Vik" in r.text and "Sindre Åsheim" in r.text
    allowed = audit_count(stack, "action LIKE 'admin.%' AND outcome = 'allow'")

    r = c.post("/admin/enhet", "name=%s&kind=kindergarten" % unit.replace(" ", "+"))
    assert r.status == 303 and r.header("location") == "/admin?lagret=enhet", r
    uid = unit_id(stack, unit)
    assert one(stack, "SELECT CONCAT(kind, ' ', active) FROM unit WHERE id = %d" % uid) == "kindergarten 1"
    page = c.get("/admin").text
    assert unit in page and "Ingen leder ennå" in page
    # The same name again, and no kind: messages at the fields.
    r = c.post("/admin/enhet", "name=%s&kind=" % unit.replace(" ", "+"))
    assert r.status == 422, r
    assert field_error(r.text, "unit-kind") == "Velg hva slags enhet det er."
    r = c.post("/admin/enhet", "name=%s&kind=school" % unit.replace(" ", "+"))
    assert r.status == 422, r
    assert field_error(r.text, "unit-name") == "Kommunen har allerede en enhet med dette navnet.", r.text
    assert 'value="%s"' % unit in r.text and re.search(r'<option value="school" selected>', r.text)
    assert one(stack, "SELECT COUNT(*) FROM unit WHERE name = '%s'" % unit) == "1"

    # The leader: a unit that is not the municipality's is a message too.
    nin, family = synthetic_nin(), "Leder-%s" % sfx
    nordheim = int(one(stack, "SELECT MIN(u.id) FROM unit u JOIN municipality m ON m.id = u.municipality_id"
                       " WHERE m.slug = 'nordheim'") or 0) or 999999999
    r = c.post("/admin/leder", "unit=%d&" % nordheim + person_form("Ny", family, nin))
    assert r.status == 422, r
    assert field_error(r.text, "unit") == "Velg en enhet fra listen."
    assert one(stack, "SELECT COUNT(*) FROM person WHERE family_name = '%s'" % family) == "0"
    r = c.post("/admin/leder", "unit=%d&" % uid + person_form("Ny", family, nin))
    assert r.status == 303 and r.header("location") == "/admin?lagret=leder", r
    leader = person_id(stack, "Ny", family)
    assert one(stack, "SELECT CONCAT(role, ' ', unit_id) FROM staff_role WHERE person_id = %d" % leader) \
        == "leader %d" % uid
    page = c.get("/admin").text
    assert "(registrert, aldri logget inn)" in beside(page, "Ny %s" % family)
    assert page.index(unit) < page.index("Ny %s" % family) < page.index(unit) + 400
    r = c.post("/admin/leder", "unit=%d&" % uid + person_form("Ny", family, nin))
    assert r.status == 422 and field_error(r.text, "nin") == "Denne personen er allerede leder for enheten."
    assert audit_count(stack, "action LIKE 'admin.%' AND outcome = 'allow'") == allowed + 8
    # The administrator manages units, not what happens in them.
    assert c.get("/enhet/%d" % uid).status == 403

    # The new leader logs in and opens the unit: no logs yet, nobody but them.
    them = fresh(c)
    r, _ = login(them, stack, nin)
    assert r.status == 303, r
    home = them.get("/min-side").text
    assert 'href="/enhet/%d"' % uid in home and unit in home
    r = them.get("/enhet/%d" % uid)
    assert r.status == 200, r
    assert 'id="count-total">0<' in r.text and "Enheten har ingen logger ennå." in r.text
    assert "Ny %s" % family in r.text
    assert them.get("/admin").status == 403
    assert "aldri logget inn" not in beside(c.get("/admin").text, "Ny %s" % family)


def test_only_the_administrator_has_the_administration(c, stack):
    sfx = suffix()
    for given, family in [("Sindre", "Åsheim"), ("Hanne", "Lien"), ("Kari", "Fjelltun")]:
        who = fresh(c)
        login(who, stack, stack.pid(given, family))
        me = person_id(stack, given, family)
        denied = "action LIKE 'admin.%%' AND outcome = 'deny' AND person_id = %d" % me
        before = audit_count(stack, denied)
        unit = "Ulovlig %s %s" % (given, sfx)
        r1 = who.get("/admin")
        r2 = who.post("/admin/enhet", "name=%s&kind=school" % unit.replace(" ", "+"))
        r3 = who.post("/admin/leder", "unit=%d&" % unit_id(stack, SCHOOL)
                      + person_form("Ulovlig", "Leder-" + sfx, synthetic_nin()))
        assert (r1.status, r2.status, r3.status) == (403, 403, 403), (given, r1, r2, r3)
        assert "Solsikken" not in r1.text
        assert audit_count(stack, denied) == before + 3
        assert 'href="/admin"' not in who.get("/min-side").text
    assert one(stack, "SELECT COUNT(*) FROM unit WHERE name LIKE 'Ulovlig %%%s'" % sfx) == "0"
    assert one(stack, "SELECT COUNT(*) FROM person WHERE family_name = 'Leder-%s'" % sfx) == "0"
    anon = fresh(c)
    r = anon.get("/admin")
    assert r.status == 303 and r.header("location") == "/", r


def test_nobody_appoints_themself_and_the_page_says_who_appointed_whom(c, stack):
    """SECURITY.md 29, separation of duties: the administrator cannot make
    herself a leader (refused and audited), and the page names who
    appointed each leader."""
    sfx = suffix()
    unit = "Selvbarnehage %s" % sfx
    login(c, stack, stack.pid("Ingrid", "Solberg"))
    ingrid = person_id(stack, "Ingrid", "Solberg")
    assert c.post("/admin/enhet", "name=%s&kind=kindergarten" % unit.replace(" ", "+")).status == 303
    uid = unit_id(stack, unit)
    refused = audit_count(stack, "action = 'admin.leader.appoint' AND outcome = 'refused' AND detail = 'self'"
                          " AND person_id = %d" % ingrid)
    r = c.post("/admin/leder", "unit=%d&" % uid + person_form("Ingrid", "Solberg", stack.pid("Ingrid", "Solberg")))
    assert r.status == 422, r
    assert field_error(r.text, "nin") == ("Du kan ikke utnevne deg selv. En annen må gjøre det."), r.text
    assert one(stack, "SELECT COUNT(*) FROM staff_role WHERE person_id = %d AND unit_id = %d" % (ingrid, uid)) == "0"
    assert audit_count(stack, "action = 'admin.leader.appoint' AND outcome = 'refused' AND detail = 'self'"
                       " AND person_id = %d" % ingrid) == refused + 1
    # Someone else: appointed, and the page says by whom.
    nin, family = synthetic_nin(), "Utnevnt-%s" % sfx
    assert c.post("/admin/leder", "unit=%d&" % uid + person_form("Ny", family, nin)).status == 303
    leader = person_id(stack, "Ny", family)
    assert one(stack, "SELECT appointed_by FROM staff_role WHERE person_id = %d" % leader) == str(ingrid)
    page = c.get("/admin").text
    assert "utnevnt av Ingrid Solberg" in page[page.index("Ny %s" % family):][:300], page
