"""test_measure.py — measures (cgi-bin/measure.c, lib/measure.c): the holder
adds a goal and measures with responsible people (staff of another unit
become actors, and see the log only once consent covers their unit), the
responsible person must be one the goal's form offers, a stale edit is a 409
that keeps what was typed, and the audit rows and history every change
leaves. Fresh logs from log_helpers.fixture_log (see there)."""
import re
from urllib.parse import urlencode

from harness import login
from log_helpers import (HOSTILE, add_goal, add_measure, as_person, audit_count, esc, field_error, fixture_log,
                         measure_form, one, stored)


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
    assert "Live Mo" in item and "Fjordvik helsestasjon" in item and "19. juni 2026" in item, item
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


def test_a_leader_or_the_administrator_is_never_made_responsible(c, stack):
    """DOMAIN.md §2: a leader never sees a log's contents. Whose only role
    in a unit is leader (or administrator) is not offered as responsible and
    is refused if posted: no actor row, no access, nothing on their page."""
    f = fixture_log(stack)
    torbjorn = one(stack, "SELECT id FROM person WHERE given_name = 'Torbjørn' AND family_name = 'Vik'")
    sindre = one(stack, "SELECT id FROM person WHERE given_name = 'Sindre' AND family_name = 'Åsheim'")
    ingrid = one(stack, "SELECT id FROM person WHERE given_name = 'Ingrid' AND family_name = 'Solberg'")
    school = one(stack, "SELECT id FROM unit WHERE name = 'Fjordvik skole'")
    login(c, stack, stack.pid("Marte", "Haugland"))
    goal = add_goal(c, f)
    page = c.get("/logg/%d/mal/%d" % (f.log, goal)).text
    for value in ("%s-%d" % (torbjorn, f.kindergarten), "%s-%s" % (sindre, school)):
        assert 'value="%s"' % value not in page, value
        r = c.post("/logg/%d/mal/%d/tiltak" % (f.log, goal), measure_form(f, 0, 0, responsible=value))
        assert r.status == 422 and field_error(r.text, "responsible") == "Velg en person fra listen.", (value, r)
    r = c.post("/logg/%d/mal/%d/tiltak" % (f.log, goal), measure_form(f, 0, 0, responsible="%s-%d"
                                                                      % (ingrid, f.kindergarten)))
    assert r.status == 422, r
    assert one(stack, "SELECT COUNT(*) FROM log_actor WHERE log_id = %d" % f.log) == "0"
    assert one(stack, "SELECT COUNT(*) FROM measure WHERE log_id = %d" % f.log) == "0"
    for who in (("Torbjørn", "Vik"), ("Sindre", "Åsheim"), ("Ingrid", "Solberg")):
        them = as_person(c, stack, *who)
        assert them.get("/logg/%d" % f.log).status == 403, who
        assert f.child_name not in them.get("/min-side").text, who
