"""test_measure.py — goals, measures and evaluations (cgi-bin/measure.c,
lib/measure.c): the holder adds goals and measures with responsible people
(staff of another unit become actors), the responsible actor evaluates their
own measure and no other, a stale edit is a 409 that keeps what was typed,
over-long and hostile text, and the audit rows every request leaves.

The suite runs behind nginx and Apache on one database: each test makes a
fresh active log of its own (fixture_log, shared with test_note.py and
test_my_logs.py) for a synthetic child, held by Marte Haugland, with Kari
Fjelltun as guardian, a concern, and consent covering the health station
and PPT. Siri Bergli is a guardian of another child."""
import html
import re
import secrets
from urllib.parse import urlencode

from harness import Client, login

HOSTILE = "\"><script>alert(1)</script> O'Hara 😀 æøå ÆØÅ"


def one(stack, sql):
    return stack.sql(sql).strip()


def stored(stack, column, table, row_id):
    """A text column exactly as stored (through HEX: the client's character
    set cannot change it on the way)."""
    return bytes.fromhex(one(stack, "SELECT HEX(%s) FROM %s WHERE id = %d" % (column, table, row_id))
                         ).decode("utf-8")


def audit_count(stack, where):
    return int(one(stack, "SELECT COUNT(*) FROM audit_log WHERE " + where))


def person(stack, given, family):
    return int(one(stack, "SELECT id FROM person WHERE given_name = '%s' AND family_name = '%s'"
                   % (given, family)))


def unit(stack, name):
    return int(one(stack, "SELECT id FROM unit WHERE name = '%s'" % name))


def esc(s):
    """As the templates escape text: & < > " and '."""
    return html.escape(s, quote=True).replace("&#x27;", "&#39;")


def fresh(c):
    return Client((c.host, c.port), c.name)


def field_error(page, field):
    m = re.search(r'<p class="error" id="%s-error">([^<]*)</p>' % re.escape(field), page)
    return html.unescape(m.group(1)) if m else None


class Fixture:
    pass


def fixture_log(stack, covered=("Fjordvik helsestasjon", "PPT Fjordvik")):
    """A fresh active log (consent until a year from now) for a new synthetic
    child, held by Marte Haugland of Solsikken barnehage, Kari Fjelltun its
    guardian, one concern, consent covering the named units."""
    f = Fixture()
    f.sfx = secrets.token_hex(4)
    f.muni = int(one(stack, "SELECT id FROM municipality WHERE slug = 'fjordvik'"))
    f.holder = person(stack, "Marte", "Haugland")
    f.kindergarten = unit(stack, "Solsikken barnehage")
    f.health = unit(stack, "Fjordvik helsestasjon")
    f.ppt = unit(stack, "PPT Fjordvik")
    f.live = person(stack, "Live", "Mo")
    f.nils = person(stack, "Nils", "Dahle")
    f.kari = person(stack, "Kari", "Fjelltun")
    f.child_name = "Testbarn Målesen-%s" % f.sfx
    # The child never logs in: a sealed number is not needed, only a unique hash.
    f.child = int(one(stack, (
        "INSERT INTO person (municipality_id, nin_sealed, nin_key_id, nin_hmac, birth_date, given_name,"
        " family_name) VALUES (%d, UNHEX(SHA2(UUID(), 256)), 1, UNHEX(SHA2(UUID(), 256)), '2019-05-05',"
        " 'Testbarn', 'Målesen-%s') RETURNING id") % (f.muni, f.sfx)))
    f.log = int(one(stack, (
        "INSERT INTO log (municipality_id, subject_person_id, subject_kind, holder_person_id, unit_id,"
        " state, consent_until, bti_level) VALUES (%d, %d, 'child', %d, %d, 'active',"
        " CURRENT_DATE + INTERVAL 365 DAY, 2) RETURNING id") % (f.muni, f.child, f.holder, f.kindergarten)))
    stack.sql("INSERT INTO log_guardian (municipality_id, log_id, person_id) VALUES (%d, %d, %d)"
              % (f.muni, f.log, f.kari))
    f.concern_title = "Språk %s" % f.sfx
    f.concern = int(one(stack, (
        "INSERT INTO concern (municipality_id, log_id, title, created_by) VALUES (%d, %d, '%s', %d)"
        " RETURNING id") % (f.muni, f.log, f.concern_title, f.holder)))
    for name in covered:
        stack.sql("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until)"
                  " VALUES (%d, %d, %d, CURRENT_DATE + INTERVAL 365 DAY)" % (f.muni, f.log, unit(stack, name)))
    return f


def as_person(c, stack, given, family):
    them = fresh(c)
    r, _ = login(them, stack, stack.pid(given, family))
    assert r.status == 303, r
    return them


def add_goal(c, f, text="Emma skal bruke flere ord"):
    r = c.post("/logg/%d/mal" % f.log, urlencode({"concern_id": f.concern, "text": text}))
    assert r.status == 303, r
    m = re.fullmatch(r"/logg/%d#mal-(\d+)" % f.log, r.header("location"))
    assert m, r.header("location")
    return int(m.group(1))


def measure_form(f, person_id, unit_id, description="Språkgruppe to ganger i uka", **extra):
    fields = {"description": description, "responsible": "%d-%d" % (person_id, unit_id),
              "start_date": "2026-01-05", "deadline": "2026-06-19", "evaluation_date": "2026-03-02",
              "status": "ongoing"}
    fields.update(extra)
    return urlencode(fields)


def add_measure(c, f, goal, person_id, unit_id, **kw):
    r = c.post("/logg/%d/mal/%d/tiltak" % (f.log, goal), measure_form(f, person_id, unit_id, **kw))
    assert r.status == 303, (r, r.text[:3000])
    m = re.fullmatch(r"/logg/%d#tiltak-(\d+)" % f.log, r.header("location"))
    assert m, r.header("location")
    return int(m.group(1))


def test_the_holder_adds_a_goal_and_measures_with_responsible_actors(c, stack):
    f = fixture_log(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    page = c.get("/logg/%d" % f.log)
    assert page.status == 200, page
    assert f.concern_title in page.text and 'action="/logg/%d/mal"' % f.log in page.text
    adds = audit_count(stack, "log_id = %d AND action = 'goal.add' AND outcome = 'allow'" % f.log)
    goal = add_goal(c, f)
    assert audit_count(stack, "log_id = %d AND action = 'goal.add' AND outcome = 'allow'" % f.log) == adds + 1
    assert one(stack, "SELECT CONCAT(concern_id, '|', text) FROM goal WHERE id = %d" % goal) \
        == "%d|Emma skal bruke flere ord" % f.concern
    # The goal's page offers the holder, and every staff member with their unit.
    r = c.get("/logg/%d/mal/%d" % (f.log, goal))
    assert r.status == 200, r
    assert 'value="%d-%d"' % (f.holder, f.kindergarten) in r.text
    assert 'value="%d-%d"' % (f.live, f.health) in r.text and 'value="%d-%d"' % (f.nils, f.ppt) in r.text
    assert one(stack, "SELECT COUNT(*) FROM log_actor WHERE log_id = %d" % f.log) == "0"
    # Live Mo of the health station: not yet an actor, she becomes one with her unit.
    m1 = add_measure(c, f, goal, f.live, f.health)
    assert one(stack, "SELECT CONCAT(person_id, '|', unit_id, '|', removed_at IS NULL) FROM log_actor"
               " WHERE log_id = %d" % f.log) == "%d|%d|1" % (f.live, f.health)
    assert one(stack, "SELECT CONCAT_WS('|', goal_id, description, responsible_person_id, start_date, deadline,"
               " evaluation_date, status, version) FROM measure WHERE id = %d" % m1) \
        == "%d|Språkgruppe to ganger i uka|%d|2026-01-05|2026-06-19|2026-03-02|ongoing|1" % (goal, f.live)
    # The holder herself: no actor row for her.
    m2 = add_measure(c, f, goal, f.holder, f.kindergarten, description="Samtale med foreldrene")
    assert one(stack, "SELECT COUNT(*) FROM log_actor WHERE log_id = %d" % f.log) == "1"
    # Every change is in the history, and every write in the audit trail.
    assert int(one(stack, "SELECT COUNT(*) FROM log_history WHERE log_id = %d AND entity = 'measure'"
                   " AND entity_id IN (%d, %d)" % (f.log, m1, m2))) >= 10
    assert one(stack, "SELECT COUNT(*) FROM log_history WHERE log_id = %d AND entity = 'actor'" % f.log) == "1"
    assert audit_count(stack, "log_id = %d AND action = 'measure.add' AND outcome = 'allow'" % f.log) == 2
    # The log page: goal, measures, who, when, status, and the way to each.
    page = c.get("/logg/%d" % f.log).text
    assert 'id="mal-%d"' % goal in page and 'id="tiltak-%d"' % m1 in page and 'id="tiltak-%d"' % m2 in page
    item = page[page.index('id="tiltak-%d"' % m1):]
    item = item[:item.index("</li>")]
    assert "Live Mo" in item and "Fjordvik helsestasjon" in item and "2026-06-19" in item, item
    assert "Pågår" in item and "Ikke evaluert ennå." in item, item
    assert 'href="/logg/%d/tiltak/%d"' % (f.log, m1) in item
    # Live Mo now sees the log (consent covers her unit) and her measure.
    live = as_person(c, stack, "Live", "Mo")
    r = live.get("/logg/%d" % f.log)
    assert r.status == 200 and "Språkgruppe to ganger i uka" in r.text, r
    assert 'action="/logg/%d/mal"' % f.log not in r.text  # no goal form for an actor


def test_a_staff_member_whose_unit_consent_does_not_cover_becomes_an_actor_without_access(c, stack):
    f = fixture_log(stack, covered=("Fjordvik helsestasjon",))
    login(c, stack, stack.pid("Marte", "Haugland"))
    goal = add_goal(c, f)
    add_measure(c, f, goal, f.nils, f.ppt)
    assert one(stack, "SELECT unit_id FROM log_actor WHERE log_id = %d AND person_id = %d"
               % (f.log, f.nils)) == str(f.ppt)
    nils = as_person(c, stack, "Nils", "Dahle")
    assert nils.get("/logg/%d" % f.log).status == 403
    # Covered from now on: he sees it.
    stack.sql("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until)"
              " VALUES (%d, %d, %d, CURRENT_DATE + INTERVAL 30 DAY)" % (f.muni, f.log, f.ppt))
    assert nils.get("/logg/%d" % f.log).status == 200


def test_the_responsible_actor_evaluates_their_own_measure_and_no_other(c, stack):
    f = fixture_log(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    goal = add_goal(c, f)
    mine = add_measure(c, f, goal, f.live, f.health, description="Helsesamtale")
    other = add_measure(c, f, goal, f.nils, f.ppt, description="Kartlegging")
    live = as_person(c, stack, "Live", "Mo")
    r = live.get("/logg/%d/tiltak/%d" % (f.log, mine))
    assert r.status == 200 and 'action="/logg/%d/tiltak/%d/evaluering"' % (f.log, mine) in r.text, r
    assert 'action="/logg/%d/tiltak/%d"' % (f.log, mine) not in r.text  # no edit form
    assert audit_count(stack, "log_id = %d AND action = 'log.measure' AND outcome = 'allow'"
                       " AND person_id = %d" % (f.log, f.live)) == 1
    r = live.post("/logg/%d/tiltak/%d/evaluering" % (f.log, mine),
                  urlencode({"category": "partly", "text": "Bedre, men ikke i mål"}))
    assert r.status == 303, r
    assert one(stack, "SELECT CONCAT_WS('|', category, text, by_person_id) FROM evaluation"
               " WHERE measure_id = %d" % mine) == "partly|Bedre, men ikke i mål|%d" % f.live
    assert audit_count(stack, "log_id = %d AND action = 'measure.evaluate' AND outcome = 'allow'"
                       " AND person_id = %d" % (f.log, f.live)) == 1
    # The latest evaluation is on the log page.
    page = live.get("/logg/%d" % f.log).text
    item = page[page.index('id="tiltak-%d"' % mine):]
    assert "Delvis nådd" in item[:item.index("</li>")] and "Bedre, men ikke i mål" in item[:item.index("</li>")]
    # Not another's measure: 403, nothing written, the denial kept.
    r = live.get("/logg/%d/tiltak/%d" % (f.log, other))
    assert r.status == 200 and "/evaluering" not in r.text
    denials = audit_count(stack, "log_id = %d AND action = 'measure.evaluate' AND outcome = 'deny'" % f.log)
    r = live.post("/logg/%d/tiltak/%d/evaluering" % (f.log, other), urlencode({"category": "achieved"}))
    assert r.status == 403, r
    assert one(stack, "SELECT COUNT(*) FROM evaluation WHERE measure_id = %d" % other) == "0"
    assert audit_count(stack, "log_id = %d AND action = 'measure.evaluate' AND outcome = 'deny'"
                       % f.log) == denials + 1
    assert audit_count(stack, "log_id = %d AND action = 'measure.evaluate' AND outcome = 'allow'"
                       " AND person_id = %d" % (f.log, f.live)) == 1
    # An actor neither adds goals nor edits measures.
    assert live.post("/logg/%d/mal" % f.log, urlencode({"concern_id": f.concern, "text": "x"})).status == 403
    assert live.post("/logg/%d/tiltak/%d" % (f.log, mine),
                     measure_form(f, f.live, f.health, version=1)).status == 403
    # A guardian reads the measure but evaluates nothing.
    kari = as_person(c, stack, "Kari", "Fjelltun")
    r = kari.get("/logg/%d/tiltak/%d" % (f.log, mine))
    assert r.status == 200 and "/evaluering" not in r.text and "Helsesamtale" in r.text
    assert kari.post("/logg/%d/tiltak/%d/evaluering" % (f.log, mine),
                     urlencode({"category": "achieved"})).status == 403
    # The holder evaluates any measure.
    r = c.post("/logg/%d/tiltak/%d/evaluering" % (f.log, other), urlencode({"category": "ended"}))
    assert r.status == 303, r
    assert one(stack, "SELECT category FROM evaluation WHERE measure_id = %d" % other) == "ended"


def test_a_stale_edit_is_409_showing_theirs_and_keeping_mine(c, stack):
    f = fixture_log(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    goal = add_goal(c, f)
    m = add_measure(c, f, goal, f.live, f.health, description="Opprinnelig")
    r = c.get("/logg/%d/tiltak/%d" % (f.log, m))
    assert r.status == 200 and 'name="version" value="1"' in r.text
    # Someone else saves first.
    stack.sql("UPDATE measure SET description = 'Endret av en annen', status = 'completed',"
              " version = version + 1 WHERE id = %d" % m)
    mine = "Mitt forslag " + HOSTILE
    r = c.post("/logg/%d/tiltak/%d" % (f.log, m),
               measure_form(f, f.live, f.health, description=mine, version=1, status="stopped"))
    assert r.status == 409, r
    assert "Endret av en annen" in r.text and "Fullført" in r.text  # theirs
    assert ">%s</textarea>" % esc(mine) in r.text, r.text  # mine, escaped
    assert re.search(r'<option value="stopped" selected>', r.text)
    assert 'name="version" value="2"' in r.text
    assert one(stack, "SELECT CONCAT(description, '|', version) FROM measure WHERE id = %d" % m) \
        == "Endret av en annen|2"
    # Saved again, knowingly, over the current version.
    r = c.post("/logg/%d/tiltak/%d" % (f.log, m),
               measure_form(f, f.live, f.health, description=mine, version=2, status="stopped"))
    assert r.status == 303, r
    assert stored(stack, "description", "measure", m) == mine
    assert one(stack, "SELECT CONCAT(old_value, '|', new_value) FROM log_history WHERE entity = 'measure'"
               " AND entity_id = %d AND field = 'status' ORDER BY id DESC LIMIT 1" % m) == "completed|stopped"
    # A stale goal edit too.
    stack.sql("UPDATE goal SET text = 'Annet mål', version = version + 1 WHERE id = %d" % goal)
    r = c.post("/logg/%d/mal/%d" % (f.log, goal), urlencode({"text": "Mitt mål", "version": 1}))
    assert r.status == 409 and "Annet mål" in r.text and ">Mitt mål</textarea>" in r.text, r


def test_over_long_text_is_a_field_message_and_hostile_text_comes_back_verbatim(c, stack):
    f = fixture_log(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    long_goal = "å" * 2001
    r = c.post("/logg/%d/mal" % f.log, urlencode({"concern_id": f.concern, "text": long_goal}))
    assert r.status == 422, r
    assert field_error(r.text, "text") == "Bruk høyst 2000 tegn.", r.text
    assert ">%s</textarea>" % long_goal in r.text
    assert re.search(r'id="text"[^>]*aria-invalid="true"', r.text)
    assert one(stack, "SELECT COUNT(*) FROM goal WHERE log_id = %d" % f.log) == "0"
    goal = add_goal(c, f, text=HOSTILE)
    r = c.post("/logg/%d/mal/%d/tiltak" % (f.log, goal),
               measure_form(f, f.live, f.health, description="x" * 2001, deadline="2025-01-01"))
    assert r.status == 422, r
    assert field_error(r.text, "description") == "Bruk høyst 2000 tegn."
    assert field_error(r.text, "deadline"), r.text  # before the start
    assert re.search(r'<option value="%d-%d" selected>' % (f.live, f.health), r.text)
    m = add_measure(c, f, goal, f.live, f.health, description=HOSTILE)
    assert stored(stack, "text", "goal", goal) == HOSTILE
    assert stored(stack, "description", "measure", m) == HOSTILE
    page = c.get("/logg/%d" % f.log).text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "😀 æøå ÆØÅ" in page
    assert esc(HOSTILE) in page
    r = c.post("/logg/%d/tiltak/%d/evaluering" % (f.log, m),
               urlencode({"category": "achieved", "text": "e" * 501}))
    assert r.status == 422 and field_error(r.text, "eval-text") == "Bruk høyst 500 tegn.", r
    assert ">%s</textarea>" % ("e" * 501) in r.text
    r = c.post("/logg/%d/tiltak/%d/evaluering" % (f.log, m), urlencode({"category": "achieved",
                                                                      "text": HOSTILE}))
    assert r.status == 303
    ev = int(one(stack, "SELECT MAX(id) FROM evaluation WHERE measure_id = %d" % m))
    assert stored(stack, "text", "evaluation", ev) == HOSTILE
    page = c.get("/logg/%d/tiltak/%d" % (f.log, m)).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_responsible_person_is_one_the_form_offers(c, stack):
    f = fixture_log(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    goal = add_goal(c, f)
    # A guardian, a staff member with a unit not theirs, and garbage.
    for value in ("%d-%d" % (f.kari, f.kindergarten), "%d-%d" % (f.live, f.ppt), "abc", "1-"):
        r = c.post("/logg/%d/mal/%d/tiltak" % (f.log, goal),
                   measure_form(f, 0, 0, responsible=value))
        assert r.status == 422 and field_error(r.text, "responsible") == "Velg en person fra listen.", \
            (value, r)
    assert one(stack, "SELECT COUNT(*) FROM measure WHERE log_id = %d" % f.log) == "0"
    assert one(stack, "SELECT COUNT(*) FROM log_actor WHERE log_id = %d" % f.log) == "0"
    # A goal of another log through this log's path: not found.
    g = fixture_log(stack)
    other_goal = int(one(stack, "INSERT INTO goal (municipality_id, log_id, concern_id, text, created_by)"
                         " VALUES (%d, %d, %d, 'x', %d) RETURNING id" % (g.muni, g.log, g.concern, g.holder)))
    assert c.post("/logg/%d/mal/%d/tiltak" % (f.log, other_goal),
                  measure_form(f, f.holder, f.kindergarten)).status == 404
    # Role or owner slipped into the form: refused.
    assert c.post("/logg/%d/mal" % f.log, urlencode({"concern_id": f.concern, "text": "x",
                                                    "created_by": f.kari})).status == 400


def test_a_guardian_of_another_child_is_refused_every_write(c, stack):
    f = fixture_log(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    goal = add_goal(c, f)
    m = add_measure(c, f, goal, f.live, f.health)
    siri = as_person(c, stack, "Siri", "Bergli")
    before = audit_count(stack, "log_id = %d AND outcome = 'deny'" % f.log)
    posts = [
        ("/logg/%d/mal" % f.log, urlencode({"concern_id": f.concern, "text": "x"})),
        ("/logg/%d/mal/%d" % (f.log, goal), urlencode({"text": "x", "version": 1})),
        ("/logg/%d/mal/%d/tiltak" % (f.log, goal), measure_form(f, f.live, f.health)),
        ("/logg/%d/tiltak/%d" % (f.log, m), measure_form(f, f.live, f.health, version=1)),
        ("/logg/%d/tiltak/%d/evaluering" % (f.log, m), urlencode({"category": "achieved"})),
    ]
    for path, body in posts:
        r = siri.post(path, body)
        assert r.status == 403, (path, r)
        assert f.child_name not in r.text
    for path in ("/logg/%d/mal" % f.log, "/logg/%d/mal/%d" % (f.log, goal), "/logg/%d/tiltak/%d" % (f.log, m)):
        assert siri.get(path).status == 403, path
    assert audit_count(stack, "log_id = %d AND outcome = 'deny'" % f.log) == before + len(posts) + 3
    assert one(stack, "SELECT COUNT(*) FROM goal WHERE log_id = %d" % f.log) == "1"
    assert one(stack, "SELECT COUNT(*) FROM evaluation WHERE log_id = %d" % f.log) == "0"
