"""test_unit.py — a leader's unit page (cgi-bin/unit.c, /enhet/ID): the flow
of the unit's logs (never a name), its staff, registering a staff member
who then logs in, clearing one to create logs (a stale version is a 409),
mistakes at their fields, who is refused (staff, guardians, other leaders,
the administrator, anonymous) and units elsewhere refused like units that do
not exist; with the audit rows every allowed and denied request leaves.
The administrator's page is test_admin.py, which uses this file's helpers.

The suite runs behind nginx and then Apache on one database, so every test
makes its own people and units (a random suffix, synthetic identity numbers)
and puts back what it changes of the demo data."""
import re
import secrets

from harness import Client, login, synthetic_nin


def suffix():
    return secrets.token_hex(3)


def fresh(c):
    return Client((c.host, c.port), c.name)


def one(stack, sql):
    return stack.sql(sql).strip()


def unit_id(stack, name):
    return int(one(stack, "SELECT id FROM unit WHERE name = '%s'" % name))


def person_id(stack, given, family):
    return int(one(stack, "SELECT id FROM person WHERE given_name = '%s' AND family_name = '%s'"
                   % (given, family)))


def audit_count(stack, where):
    return int(one(stack, "SELECT COUNT(*) FROM audit_log WHERE " + where))


def person_form(given, family, nin, **extra):
    fields = {"given_name": given, "family_name": family, "nin": nin, "title": "Lærer",
              "email": "test@fjordvik.example", "phone": "+47 900 00 000"}
    fields.update(extra)
    from urllib.parse import urlencode
    return urlencode(fields)


def staff_row(page, name):
    """(staff_role id, version, what its button does) of name's row on a unit page."""
    for row in page.split("<tr>"):
        if ('<th scope="row">%s' % name) in row and 'name="staff_role"' in row:
            role = re.search(r'name="staff_role" value="(\d+)"', row).group(1)
            version = re.search(r'name="version" value="(\d+)"', row).group(1)
            action = re.search(r'name="set" value="(clear|unclear)"', row).group(1)
            return int(role), int(version), action
    raise AssertionError("no staff row for %s" % name)


def beside(page, name):
    """What a page says right after a person's name: up to the end of its
    table heading or list item (where "registered, never logged in" stands)."""
    m = re.search(re.escape(name) + r"(.*?)</(th|li)>", page, re.S)
    assert m, "%s is not on the page" % name
    return m.group(1)


def field_error(page, field):
    m = re.search(r'<p class="ds-validation-message"[^>]* id="%s-error">([^<]*)</p>' % field, page)
    return m.group(1) if m else None


def strip_ids(text):
    """A page without its request id and without any unit id in it."""
    text = re.sub(r"<code>[0-9a-f]{32}</code>", "", text)
    return re.sub(r"/enhet/\d+", "/enhet/N", text)


SCHOOL = "Fjordvik skole"
CHILDREN_AND_GUARDIANS = ["Jonas", "Bergli", "Sofie", "Lundegård", "Nora", "Kvamme", "Siri", "Nordvik",
                          "Anne", "Tone"]


def test_a_leader_sees_the_flow_of_their_unit(c, stack):
    school = unit_id(stack, SCHOOL)
    login(c, stack, stack.pid("Sindre", "Åsheim"))
    home = c.get("/min-side")
    assert home.status == 200 and 'href="/enhet/%d"' % school in home.text, home.text
    assert 'href="/admin"' not in home.text
    reads = audit_count(stack, "action = 'unit.read' AND outcome = 'allow' AND detail = 'unit %d'" % school)
    r = c.get("/enhet/%d" % school)
    assert r.status == 200, r
    assert audit_count(stack, "action = 'unit.read' AND outcome = 'allow' AND detail = 'unit %d'"
                       % school) == reads + 1
    # The numbers per state are the database's, and every log is listed by number.
    for state in ("draft", "active", "passive", "closed"):
        n = int(one(stack, "SELECT COUNT(*) FROM log WHERE unit_id = %d AND state = '%s'" % (school, state)))
        assert re.search(r'id="count-%s"[^>]*>%d<' % (state, n), r.text), (state, n)
    ids = one(stack, "SELECT GROUP_CONCAT(id) FROM log WHERE unit_id = %d" % school).split(",")
    assert len(ids) >= 3
    for i in ids:
        assert '<th scope="row">%s</th>' % i in r.text, i
    assert "Aktiv" in r.text and "Passiv" in r.text and "Avsluttet" in r.text
    # The flow, never a child's or a guardian's name.
    for name in CHILDREN_AND_GUARDIANS:
        assert name not in r.text, name
    # The staff of the unit, with their clearance.
    assert "Hanne Lien" in r.text and "Eirik Brekke" in r.text and "Sindre Åsheim" in r.text
    assert staff_row(r.text, "Hanne Lien")[2] == "unclear"
    # The leader of another unit does not see this one's staff.
    assert "Marte Haugland" not in r.text


def test_a_leader_registers_a_staff_member_who_then_logs_in(c, stack):
    school = unit_id(stack, SCHOOL)
    sfx, nin = suffix(), synthetic_nin()
    given, family = "Ansatt", "Testesen-%s" % sfx
    login(c, stack, stack.pid("Sindre", "Åsheim"))
    writes = audit_count(stack, "action = 'unit.staff.register' AND outcome = 'allow'")
    r = c.post("/enhet/%d/ansatt" % school, person_form(given, family, nin))
    assert r.status == 303 and r.header("location") == "/enhet/%d?lagret=ansatt" % school, r
    assert audit_count(stack, "action = 'unit.staff.register' AND outcome = 'allow'") == writes + 1
    pid = person_id(stack, given, family)
    assert one(stack, "SELECT CONCAT(role, ' ', cleared_at IS NULL, ' ', unit_id) FROM staff_role"
               " WHERE person_id = %d" % pid) == "staff 1 %d" % school
    assert one(stack, "SELECT CONCAT(title, ' ', email, ' ', phone, ' ', birth_date, ' ',"
               " first_login_at IS NULL) FROM person WHERE id = %d" % pid) \
        == "Lærer test@fjordvik.example +4790000000 19%s-%s-%s 1" % (nin[4:6], "%02d" % (int(nin[2:4]) - 80),
                                                                    nin[0:2])
    # The number is kept only sealed: nowhere in clear, not in any log line.
    assert one(stack, "SELECT COUNT(*) FROM person WHERE nin_sealed LIKE '%%%s%%'" % nin) == "0"
    assert nin not in "".join(stack.logs().values())
    page = c.get("/enhet/%d" % school).text
    assert "(registrert, aldri logget inn)" in beside(page, "%s %s" % (given, family))
    assert staff_row(page, "%s %s" % (given, family))[2] == "clear"

    # The new staff member logs in with that number; the label goes.
    them = fresh(c)
    r, _ = login(them, stack, nin)
    assert r.status == 303 and r.header("location") == "/min-side", r
    page = c.get("/enhet/%d" % school).text
    assert "aldri logget inn" not in beside(page, "%s %s" % (given, family)), beside(page, "%s %s" % (given, family))
    # Staff of the unit, but not its leader: no way in to the unit's page.
    assert them.get("/enhet/%d" % school).status == 403


def test_mistakes_come_back_at_their_fields(c, stack):
    school = unit_id(stack, SCHOOL)
    sfx = suffix()
    given = "Feil-%s" % sfx
    login(c, stack, stack.pid("Sindre", "Åsheim"))
    bad_nin = "12345678901"
    r = c.post("/enhet/%d/ansatt" % school,
               person_form(given, "", bad_nin, email="ikke-en-adresse", phone=""))
    assert r.status == 422, r
    assert field_error(r.text, "nin") == "Fødselsnummeret er ikke gyldig. Sjekk sifrene.", r.text
    assert field_error(r.text, "family_name") == "Skriv etternavnet til personen."
    assert field_error(r.text, "email") == "Skriv en gyldig e-postadresse."
    assert field_error(r.text, "given_name") is None and field_error(r.text, "phone") is None
    # What was typed is kept, and each message is tied to its field.
    assert 'value="%s"' % given in r.text and 'value="%s"' % bad_nin in r.text
    assert 'value="ikke-en-adresse"' in r.text
    assert re.search(r'id="nin"[^>]*aria-invalid="true" aria-describedby="nin-hint nin-error"', r.text)
    assert re.search(r'id="family_name"[^>]*aria-invalid="true" aria-describedby="family_name-error"', r.text)
    assert not re.search(r'id="given_name"[^>]*aria-invalid', r.text)
    # The summary at the top links to the fields that need correcting, in order.
    assert re.findall(r'<a class="ds-link" href="#([a-z_]+)">', r.text)[:3] == ["family_name", "nin", "email"], \
        re.findall(r'<a class="ds-link" href="#([a-z_]+)">', r.text)
    # The rest of the page is there too, and nothing was written.
    assert "Hanne Lien" in r.text and 'id="count-active"' in r.text
    assert one(stack, "SELECT COUNT(*) FROM person WHERE given_name = '%s'" % given) == "0"
    # Too long, and a field the form does not have (a role slipped in): the
    # first is a message, the second a refused request.
    r = c.post("/enhet/%d/ansatt" % school, person_form("x" * 101, "Testesen", synthetic_nin()))
    assert r.status == 422 and field_error(r.text, "given_name") == "Bruk høyst 100 tegn.", \
        field_error(r.text, "given_name")
    r = c.post("/enhet/%d/ansatt" % school, person_form(given, "Testesen", synthetic_nin(), role="leader"))
    assert r.status == 400, r
    assert one(stack, "SELECT COUNT(*) FROM person WHERE given_name = '%s'" % given) == "0"


def test_a_duplicate_or_a_number_of_someone_else_is_a_field_message(c, stack):
    school = unit_id(stack, SCHOOL)
    login(c, stack, stack.pid("Sindre", "Åsheim"))
    # Hanne Lien is staff here already (her name in other letter case is hers).
    hanne = stack.pid("Hanne", "Lien")
    before = one(stack, "SELECT COUNT(*) FROM staff_role")
    r = c.post("/enhet/%d/ansatt" % school, person_form("hanne", "LIEN", hanne))
    assert r.status == 422, r
    assert field_error(r.text, "nin") == "Denne personen er allerede registrert som ansatt i enheten.", r.text
    assert 'value="hanne"' in r.text
    # A guardian's number typed with another name: the answer is the one an
    # unregistered number gets (registered, as typed), so it tells nothing of
    # who is registered; the guardian's own record is not touched.
    siri = person_id(stack, "Siri", "Bergli")
    record = "SELECT CONCAT_WS('|', given_name, family_name, title, phone, email, version) FROM person WHERE id = %d"
    before_siri = one(stack, record % siri)
    sfx = suffix()
    r = c.post("/enhet/%d/ansatt" % school, person_form("Annen", "Navn-%s" % sfx, stack.pid("Siri", "Bergli")))
    assert r.status == 303, r
    page = c.get("/enhet/%d" % school).text
    assert "Annen Navn-%s" % sfx in page and "Siri" not in page and "Bergli" not in page
    assert one(stack, record % siri) == before_siri
    stack.sql("DELETE FROM staff_role WHERE person_id = %d AND unit_id = %d" % (siri, school))
    assert one(stack, "SELECT COUNT(*) FROM staff_role") == before
    # Someone who works in two units: registered by each leader, one person,
    # whose record the second registration does not rewrite; each unit shows
    # what its leader typed.
    sfx, nin = suffix(), synthetic_nin()
    family = "Tounit-%s" % sfx
    r = c.post("/enhet/%d/ansatt" % school, person_form("Delt", family, nin, phone=""))
    assert r.status == 303, r
    other = fresh(c)
    login(other, stack, stack.pid("Torbjørn", "Vik"))
    kindergarten = unit_id(stack, "Solsikken barnehage")
    r = other.post("/enhet/%d/ansatt" % kindergarten,
                   person_form("DELT", family.upper(), nin, title="Assistent", phone="90000001"))
    assert r.status == 303, r
    assert one(stack, "SELECT COUNT(*) FROM person WHERE family_name = '%s'" % family) == "1"
    assert one(stack, "SELECT CONCAT_WS(' ', given_name, title, IFNULL(phone, '-')) FROM person"
               " WHERE family_name = '%s'" % family) == "Delt Lærer -"
    assert "Assistent" in other.get("/enhet/%d" % kindergarten).text
    assert one(stack, "SELECT GROUP_CONCAT(s.unit_id ORDER BY s.unit_id) FROM staff_role s JOIN person p"
               " ON p.id = s.person_id WHERE p.family_name = '%s' AND s.role = 'staff'" % family) \
        == ",".join(str(u) for u in sorted([school, kindergarten]))


def test_the_leader_clears_eirik_brekke_and_a_stale_version_is_409(c, stack):
    school = unit_id(stack, SCHOOL)
    eirik = person_id(stack, "Eirik", "Brekke")
    sindre = person_id(stack, "Sindre", "Åsheim")
    may_create = ("SELECT EXISTS (SELECT 1 FROM staff_role s JOIN unit u ON u.id = s.unit_id"
                  " WHERE s.person_id = %d AND s.unit_id = %d AND s.role = 'staff'"
                  " AND s.cleared_at IS NOT NULL AND u.active)" % (eirik, school))
    login(c, stack, stack.pid("Sindre", "Åsheim"))
    path = "/enhet/%d/klarering" % school
    role, version, action = staff_row(c.get("/enhet/%d" % school).text, "Eirik Brekke")
    if action == "unclear":  # left cleared by an earlier run: start from the demo's state
        assert c.post(path, "staff_role=%d&version=%d&set=unclear" % (role, version)).status == 303
        role, version, action = staff_row(c.get("/enhet/%d" % school).text, "Eirik Brekke")
    assert action == "clear" and one(stack, may_create) == "0"
    clears = audit_count(stack, "action = 'unit.staff.clear' AND outcome = 'allow' AND person_id = %d" % sindre)

    r = c.post(path, "staff_role=%d&version=%d&set=clear" % (role, version))
    assert r.status == 303 and r.header("location") == "/enhet/%d?lagret=klarert" % school, r
    assert one(stack, may_create) == "1"
    assert one(stack, "SELECT CONCAT(cleared_by, ' ', version) FROM staff_role WHERE id = %d" % role) \
        == "%d %d" % (sindre, version + 1)
    assert audit_count(stack, "action = 'unit.staff.clear' AND outcome = 'allow' AND person_id = %d"
                       % sindre) == clears + 1
    page = c.get("/enhet/%d" % school).text
    assert staff_row(page, "Eirik Brekke") == (role, version + 1, "unclear")
    assert "Ja, godkjent" in page

    # Another tab still shows the old version: 409, a clear page, no change.
    r = c.post(path, "staff_role=%d&version=%d&set=unclear" % (role, version))
    assert r.status == 409, r
    assert "Noen andre endret denne ansatte mens du arbeidet" in r.text, r.text
    assert staff_row(r.text, "Eirik Brekke") == (role, version + 1, "unclear")
    assert one(stack, may_create) == "1"
    # A staff role of another unit (Marte's, in the kindergarten) is not this unit's.
    marte = one(stack, "SELECT CONCAT(s.id, ' ', s.version) FROM staff_role s JOIN person p"
                " ON p.id = s.person_id WHERE p.given_name = 'Marte' AND s.role = 'staff'").split()
    r = c.post(path, "staff_role=%s&version=%s&set=unclear" % tuple(marte))
    assert r.status == 404, r
    assert one(stack, "SELECT cleared_at IS NOT NULL FROM staff_role WHERE id = %s" % marte[0]) == "1"
    # Hidden fields that our page never sends: refused as a bad request.
    assert c.post(path, "staff_role=%d&version=x&set=clear" % role).status == 400
    assert c.post(path, "staff_role=%d&version=%d&set=admin" % (role, version + 1)).status == 400

    # Withdrawn again with the current version: Eirik is as the demo made him.
    r = c.post(path, "staff_role=%d&version=%d&set=unclear" % (role, version + 1))
    assert r.status == 303, r
    assert one(stack, may_create) == "0"
    assert one(stack, "SELECT cleared_by IS NULL FROM staff_role WHERE id = %d" % role) == "1"


def test_staff_guardians_and_other_leaders_are_refused(c, stack):
    school = unit_id(stack, SCHOOL)
    role, version = one(stack, "SELECT CONCAT(s.id, ' ', s.version) FROM staff_role s JOIN person p"
                        " ON p.id = s.person_id WHERE p.given_name = 'Eirik' AND p.family_name = 'Brekke'"
                        " AND s.role = 'staff'").split()
    cleared = "SELECT cleared_at IS NULL FROM staff_role WHERE id = %s" % role
    assert one(stack, cleared) == "1"
    for given, family, relation in [("Hanne", "Lien", "none"), ("Siri", "Bergli", "none"),
                                    ("Torbjørn", "Vik", "none"), ("Ingrid", "Solberg", "admin")]:
        who = fresh(c)
        login(who, stack, stack.pid(given, family))
        me = person_id(stack, given, family)
        denied = "outcome = 'deny' AND person_id = %d AND detail = 'unit %d' AND role = '%s'" % (me, school,
                                                                                              relation)
        before = audit_count(stack, denied)
        nin, sfx = synthetic_nin(), suffix()
        r1 = who.get("/enhet/%d" % school)
        r2 = who.post("/enhet/%d/ansatt" % school, person_form("Inntrenger", "Testesen-" + sfx, nin))
        r3 = who.post("/enhet/%d/klarering" % school, "staff_role=%s&version=%s&set=clear" % (role, version))
        assert (r1.status, r2.status, r3.status) == (403, 403, 403), (given, r1, r2, r3)
        assert "Eirik" not in r1.text and 'name="staff_role"' not in r1.text, given
        assert audit_count(stack, denied) == before + 3, given
        assert one(stack, "SELECT COUNT(*) FROM person WHERE family_name = 'Testesen-%s'" % sfx) == "0"
        assert one(stack, cleared) == "1"
        assert 'href="/enhet/%d"' % school not in who.get("/min-side").text
    assert audit_count(stack, "action IN ('unit.read', 'unit.staff.register', 'unit.staff.clear')"
                       " AND outcome = 'deny' AND detail = 'unit %d'" % school) >= 12
    # Anonymous: sent to the front page; a post is refused and recorded.
    anon = fresh(c)
    r = anon.get("/enhet/%d" % school)
    assert r.status == 303 and r.header("location") == "/", r
    before = audit_count(stack, "role = 'anonymous' AND action = 'unit.staff.clear'")
    assert anon.post("/enhet/%d/klarering" % school,
                     "staff_role=%s&version=%s&set=clear" % (role, version)).status == 403
    assert audit_count(stack, "role = 'anonymous' AND action = 'unit.staff.clear'") == before + 1


def test_units_elsewhere_are_refused_like_units_that_do_not_exist(c, stack):
    name = "Nordheim skule %s" % suffix()
    stack.sql("INSERT INTO unit (municipality_id, kind, name) SELECT id, 'school', '%s' FROM municipality"
              " WHERE slug = 'nordheim'" % name)
    other = unit_id(stack, name)
    missing = int(one(stack, "SELECT MAX(id) + 1000 FROM unit"))
    login(c, stack, stack.pid("Sindre", "Åsheim"))
    denied = "action = 'unit.read' AND outcome = 'deny' AND role = 'none' AND detail = 'unit %d'"
    before = [audit_count(stack, denied % unit) for unit in (other, missing)]
    r1, r2 = c.get("/enhet/%d" % other), c.get("/enhet/%d" % missing)
    assert r1.status == 403 and r2.status == 403, (r1, r2)
    assert strip_ids(r1.text) == strip_ids(r2.text)
    assert name not in r1.text
    assert [audit_count(stack, denied % unit) for unit in (other, missing)] == [n + 1 for n in before]
    # Not a number, or not a page of the unit: not found.
    for path in ("/enhet/abc", "/enhet/0", "/enhet/%d/ukjent" % unit_id(stack, SCHOOL)):
        assert c.get(path).status == 404, path


def test_a_leader_neither_registers_nor_clears_themself(c, stack):
    """SECURITY.md 29: a leader who is also staff of the unit cannot
    register or clear themself; both are refused and audited, and the page
    says who registered and who cleared each staff member."""
    school = unit_id(stack, SCHOOL)
    sindre = person_id(stack, "Sindre", "Åsheim")
    login(c, stack, stack.pid("Sindre", "Åsheim"))
    refused = "action LIKE 'unit.staff.%%' AND outcome = 'refused' AND detail = 'self' AND person_id = %d" % sindre
    before = audit_count(stack, refused)
    r = c.post("/enhet/%d/ansatt" % school, person_form("Sindre", "Åsheim", stack.pid("Sindre", "Åsheim")))
    assert r.status == 422, r
    assert field_error(r.text, "nin") == "Du kan ikke registrere deg selv. En annen må gjøre det.", r.text
    assert one(stack, "SELECT COUNT(*) FROM staff_role WHERE person_id = %d AND role = 'staff'" % sindre) == "0"
    # Made staff of the school by someone else (here, directly): still not
    # cleared by himself.
    muni = one(stack, "SELECT municipality_id FROM unit WHERE id = %d" % school)
    role = int(one(stack, "INSERT INTO staff_role (municipality_id, person_id, unit_id, role) VALUES (%s, %d, %d,"
                   " 'staff') RETURNING id" % (muni, sindre, school)))
    try:
        page = c.get("/enhet/%d" % school).text
        _, version, action = staff_row(page, "Sindre Åsheim")
        assert action == "clear"
        r = c.post("/enhet/%d/klarering" % school, "staff_role=%d&version=%d&set=clear" % (role, version))
        assert r.status == 409, r
        assert "Du kan ikke godkjenne deg selv" in r.text, r.text
        assert one(stack, "SELECT cleared_at IS NULL FROM staff_role WHERE id = %d" % role) == "1"
        assert audit_count(stack, refused) == before + 2
    finally:
        stack.sql("DELETE FROM staff_role WHERE id = %d" % role)
    # Whom Sindre registers, the page says so.
    sfx, nin = suffix(), synthetic_nin()
    assert c.post("/enhet/%d/ansatt" % school, person_form("Ny", "Ansatt-%s" % sfx, nin)).status == 303
    page = c.get("/enhet/%d" % school).text
    assert "registrert av Sindre Åsheim" in page[page.index("Ny Ansatt-%s" % sfx):][:400], page


def test_invisible_and_direction_characters_are_refused_in_names(c, stack):
    school = unit_id(stack, SCHOOL)
    login(c, stack, stack.pid("Sindre", "Åsheim"))
    for ch in ("\u200b", "\u200f", "\u202e", "\u2066", "\u2069"):
        r = c.post("/enhet/%d/ansatt" % school, person_form("Ola" + ch, "Nordmann", synthetic_nin()))
        assert r.status == 422 and field_error(r.text, "given_name"), (hex(ord(ch)), r)


MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember"]


def long_date(iso):
    """2026-12-22 as a Bokmål page writes it: 22. desember 2026."""
    y, m, d = (int(x) for x in iso.split("-"))
    return "%d. %s %d" % (d, MONTHS[m - 1], y)


def flow_row(page, log_id):
    """The cells of a log's row in the flow, as text."""
    m = re.search(r'<tr id="flow-%d">(.*?)</tr>' % log_id, page, re.S)
    assert m, "no row for log %d" % log_id
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", m.group(1), re.S)]


def attention(page, what):
    m = re.search(r'<li id="attention-%s">[^<]*?(\d+)</li>' % what, page)
    assert m, "no %s figure" % what
    return int(m.group(1))


def test_the_leader_sees_holders_passive_days_overdue_evaluations_and_expiring_consents(c, stack):
    """DOMAIN.md §2, §6: the flow says who holds each log, how long a passive
    log has been so, how many evaluations are past their date and which
    consents run out within the warning days: numbers, dates and the holder
    (staff of the unit), never the child's name nor what a log holds."""
    from log_helpers import fixture_log
    f = fixture_log(stack)
    # The consent runs out in 10 days; one measure's evaluation was due 3
    # days ago and nobody has evaluated it; another's is in the future.
    stack.sql("UPDATE log SET consent_until = CURRENT_DATE + INTERVAL 10 DAY WHERE id = %d" % f.log)
    goal = int(one(stack, "INSERT INTO goal (municipality_id, log_id, concern_id, text, created_by) VALUES"
                   " (%d, %d, %d, 'Mål %s', %d) RETURNING id" % (f.muni, f.log, f.concern, f.sfx, f.holder)))
    for days, text in ((-3, "Hemmelig tiltak %s" % f.sfx), (20, "Senere tiltak %s" % f.sfx)):
        stack.sql("INSERT INTO measure (municipality_id, log_id, goal_id, description, responsible_person_id,"
                  " evaluation_date, status, created_by) VALUES (%d, %d, %d, '%s', %d,"
                  " CURRENT_DATE + INTERVAL %d DAY, 'ongoing', %d)"
                  % (f.muni, f.log, goal, text, f.holder, days, f.holder))
    login(c, stack, stack.pid("Torbjørn", "Vik"))
    page = c.get("/enhet/%d" % f.kindergarten)
    assert page.status == 200, page
    until = one(stack, "SELECT consent_until FROM log WHERE id = %d" % f.log)
    row = flow_row(page.text, f.log)
    assert row[:6] == [str(f.log), "Aktiv", "Marte Haugland", "", "1", long_date(until)], row
    # Never the child, the guardian, the concern or a measure.
    for secret in (f.child_name, "Målesen", "Kari Fjelltun", f.concern_title, "Hemmelig tiltak", "Mål %s" % f.sfx):
        assert secret not in page.text, secret
    overdue, expiring = attention(page.text, "overdue"), attention(page.text, "expiring")
    # Evaluated now: no longer overdue. Made passive: the days count from the history.
    measure = int(one(stack, "SELECT id FROM measure WHERE description = 'Hemmelig tiltak %s'" % f.sfx))
    stack.sql("INSERT INTO evaluation (municipality_id, log_id, measure_id, category, by_person_id)"
              " VALUES (%d, %d, %d, 'partly', %d)" % (f.muni, f.log, measure, f.holder))
    stack.sql("UPDATE log SET state = 'passive' WHERE id = %d" % f.log)
    stack.sql("INSERT INTO log_history (municipality_id, log_id, person_id, at, entity, entity_id, field,"
              " old_value, new_value) VALUES (%d, %d, %d, NOW(3) - INTERVAL 12 DAY, 'log', %d, 'state',"
              " 'active', 'passive')" % (f.muni, f.log, f.holder, f.log))
    page = c.get("/enhet/%d" % f.kindergarten).text
    row = flow_row(page, f.log)
    assert row[:6] == [str(f.log), "Passiv", "Marte Haugland", "12", "0", long_date(until)], row
    assert attention(page, "overdue") == overdue - 1 and attention(page, "expiring") == expiring
    assert attention(page, "longest") >= 12
    assert attention(page, "passive") == int(one(stack, "SELECT COUNT(*) FROM log WHERE unit_id = %d"
                                                        " AND state = 'passive'" % f.kindergarten))
    # A closed log warns of no consent.
    stack.sql("UPDATE log SET state = 'closed' WHERE id = %d" % f.log)
    page = c.get("/enhet/%d" % f.kindergarten).text
    assert flow_row(page, f.log)[5] == "" and attention(page, "expiring") == expiring - 1


def test_the_demo_school_shows_its_figures(c, stack):
    """`make run`: the school's leader sees Sofie Lundegård's log passive for
    47 days, Jonas Bergli's overdue evaluation and his consent running out,
    by log number and holder."""
    school = unit_id(stack, SCHOOL)
    sofie, jonas = (int(one(stack, "SELECT l.id FROM log l JOIN person p ON p.id = l.subject_person_id"
                              " WHERE p.family_name = '%s'" % name)) for name in ("Lundegård", "Bergli"))
    login(c, stack, stack.pid("Sindre", "Åsheim"))
    page = c.get("/enhet/%d" % school).text
    assert flow_row(page, sofie)[1:4] == ["Passiv", "Hanne Lien", "47"], flow_row(page, sofie)
    row = flow_row(page, jonas)
    assert row[1:3] == ["Aktiv", "Hanne Lien"] and int(row[4]) >= 1 and row[5], row
    assert attention(page, "longest") >= 47 and attention(page, "overdue") >= 1 and attention(page, "expiring") >= 1
