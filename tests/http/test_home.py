"""test_home.py — "my logs" (cgi-bin/home.c, /min-side: authz_related,
logbook_items, measure_figures): the holder sees each log with its next
deadline, the evaluations due and the consent's end; the actor sees the log
and the measure they are responsible for; a guardian sees the child's log;
every listed log is audited as log.list; and the query plan uses indexes.
Fresh logs from log_helpers.fixture_log (see there)."""
import datetime
import os
import re
import subprocess
from urllib.parse import urlencode

from harness import ROOT, login
from log_helpers import add_goal, add_measure, as_person, fixture_log, one


def listed(stack, log, person):
    """How often PERSON's "my logs" has listed LOG (the items of log.list rows)."""
    return int(one(stack, "SELECT COUNT(*) FROM audit_log_item i JOIN audit_log a ON a.id = i.audit_id"
                   " WHERE i.log_id = %d AND a.action = 'log.list' AND a.person_id = %d" % (log, person)))


def row(page, log):
    m = re.search(r'<tr id="min-logg-%d">(.*?)</tr>' % log, page, re.S)
    assert m, "log %d is not on the page" % log
    return m.group(1)


def family_item(page, log):
    """A log in the list a guardian or young person sees (no table)."""
    m = re.search(r'<li class="family-log" id="min-logg-%d">(.*?)</li>' % log, page, re.S)
    assert m, "log %d is not in the family list" % log
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(1))).strip()


def cell(row_html, cls):
    m = re.search(r'<td class="%s"[^>]*>(.*?)</td>' % cls, row_html, re.S)
    assert m, cls
    return re.sub(r"<[^>]+>", "", m.group(1)).strip()


def test_my_logs_show_deadlines_evaluations_due_and_consent(c, stack):
    f = fixture_log(stack)
    today = datetime.date.fromisoformat(one(stack, "SELECT CURRENT_DATE"))
    day = lambda n: (today + datetime.timedelta(days=n)).isoformat()  # noqa: E731
    short = lambda n: (today + datetime.timedelta(days=n)).strftime("%d.%m.%Y")  # noqa: E731 (as a table shows a date)
    consent_until = datetime.date.fromisoformat(one(stack, "SELECT consent_until FROM log WHERE id = %d"
                                                    % f.log)).strftime("%d.%m.%Y")
    login(c, stack, stack.pid("Marte", "Haugland"))
    # Nothing planned yet: no deadline, nothing due.
    r = row(c.get("/min-side").text, f.log)
    assert cell(r, "deadline") == "ingen" and cell(r, "num due") == "0", r
    assert consent_until in cell(r, "consent") and "Stafettholder" in r and f.child_name in r
    goal = add_goal(c, f)
    # Live's: evaluation in 5 days (due), deadline in 40. Nils's: in 60 and 20.
    live_m = add_measure(c, f, goal, f.live, f.health, description="Helsesamtale", start_date=day(-10),
                         evaluation_date=day(5), deadline=day(40))
    add_measure(c, f, goal, f.nils, f.ppt, description="Kartlegging", start_date=day(-10),
                evaluation_date=day(60), deadline=day(20))
    # A completed one with an early deadline counts for nothing.
    add_measure(c, f, goal, f.holder, f.kindergarten, description="Ferdig", start_date=day(-10),
                evaluation_date=day(-3), deadline=day(1), status="completed")
    lists = listed(stack, f.log, f.holder)
    r = row(c.get("/min-side").text, f.log)
    assert cell(r, "deadline") == short(20) and cell(r, "num due") == "1", r
    assert listed(stack, f.log, f.holder) == lists + 1, (lists, listed(stack, f.log, f.holder))
    # Live Mo: the log as an actor, and her measure, due for evaluation.
    live = as_person(c, stack, "Live", "Mo")
    page = live.get("/min-side").text
    r = row(page, f.log)
    assert "Aktør" in r and "mine tiltak: 1" in r, r
    m = re.search(r'<li id="mitt-tiltak-%d">(.*?)</li>' % live_m, page, re.S)
    assert m and "Helsesamtale" in m.group(1) and "Evaluering til forfall" in m.group(1), page
    assert 'href="/logg/%d/tiltak/%d"' % (f.log, live_m) in m.group(1)
    assert "Kartlegging" not in page  # not hers
    assert listed(stack, f.log, f.live) == 1
    # Evaluated: no longer due.
    r = live.post("/logg/%d/tiltak/%d/evaluering" % (f.log, live_m), urlencode({"category": "partly"}))
    assert r.status == 303
    page = live.get("/min-side").text
    assert cell(row(page, f.log), "num due") == "0"
    assert "Evaluering til forfall" not in re.search(r'<li id="mitt-tiltak-%d">(.*?)</li>' % live_m,
                                                     page, re.S).group(1)
    # The guardian sees the child's log; Siri Bergli does not.
    kari = as_person(c, stack, "Kari", "Fjelltun")
    assert f.child_name in family_item(kari.get("/min-side").text, f.log)
    siri = as_person(c, stack, "Siri", "Bergli")
    assert 'id="min-logg-%d"' % f.log not in siri.get("/min-side").text
    # The holder's own open measures, soonest deadline first and one without last,
    # whatever order they were made in.
    undated = add_measure(c, f, goal, f.holder, f.kindergarten, description="Uten frist", deadline="")
    later = add_measure(c, f, goal, f.holder, f.kindergarten, description="Senere", deadline=day(30))
    sooner = add_measure(c, f, goal, f.holder, f.kindergarten, description="Snart", deadline=day(10))
    page = c.get("/min-side").text
    order = [int(x) for x in re.findall(r'<li id="mitt-tiltak-(\d+)">', page)
             if int(x) in (sooner, later, undated)]  # the demo data has hers in other logs
    assert order == [sooner, later, undated], (order, sooner, later, undated)


def test_a_log_the_person_may_no_longer_read_is_not_listed(c, stack):
    f = fixture_log(stack, covered=("PPT Fjordvik",))
    login(c, stack, stack.pid("Marte", "Haugland"))
    goal = add_goal(c, f)
    m = add_measure(c, f, goal, f.live, f.health)
    # Live Mo is responsible, but consent does not cover her unit: not listed,
    # neither the log nor her measure, and nothing audited as listed.
    live = as_person(c, stack, "Live", "Mo")
    page = live.get("/min-side").text
    assert 'id="min-logg-%d"' % f.log not in page and 'id="mitt-tiltak-%d"' % m not in page
    assert f.child_name not in page
    assert listed(stack, f.log, f.live) == 0


def test_consent_running_out_is_flagged(c, stack):
    f, g = fixture_log(stack), fixture_log(stack)
    stack.sql("UPDATE log SET consent_until = CURRENT_DATE + INTERVAL 10 DAY WHERE id = %d" % f.log)
    login(c, stack, stack.pid("Marte", "Haugland"))
    page = c.get("/min-side").text
    assert "forny snart" in cell(row(page, f.log), "consent")
    assert "forny snart" not in cell(row(page, g.log), "consent")
    # The holder is warned at the top, with the log linked; not of the other.
    warning = re.search(r'<div class="[^"]*notice warning"[^>]* role="status">(.*?)</div>', page, re.S)
    assert warning and 'href="/logg/%d"' % f.log in warning.group(1), page
    assert 'href="/logg/%d"' % g.log not in warning.group(1)
    # The guardian sees the flag in her list, but the warning is the holder's to act on.
    kari = as_person(c, stack, "Kari", "Fjelltun")
    page = kari.get("/min-side").text
    assert "Samtykket går ut" in family_item(page, f.log), family_item(page, f.log)
    assert 'role="status"' not in page or 'href="/logg/%d"' % f.log not in \
        re.search(r'<div class="[^"]*notice warning"[^>]* role="status">(.*?)</div>', page, re.S).group(1)


def test_a_guardians_page_speaks_plain_words(c, stack):
    f = fixture_log(stack)
    today = datetime.date.fromisoformat(one(stack, "SELECT CURRENT_DATE"))
    day = lambda n: (today + datetime.timedelta(days=n)).isoformat()  # noqa: E731
    months = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
              "november", "desember"]
    long_date = lambda n: "%d. %s %d" % ((today + datetime.timedelta(days=n)).day,  # noqa: E731
                                         months[(today + datetime.timedelta(days=n)).month - 1],
                                         (today + datetime.timedelta(days=n)).year)
    login(c, stack, stack.pid("Marte", "Haugland"))
    goal = add_goal(c, f)
    add_measure(c, f, goal, f.live, f.health, description="Helsesamtale", start_date=day(-10),
                evaluation_date=day(5), deadline=day(20))
    kari = as_person(c, stack, "Kari", "Fjelltun")
    page = kari.get("/min-side").text
    item = family_item(page, f.log)
    assert f.child_name in item and "Pågår" in item, item
    assert "Neste tiltak skal være gjort innen %s" % long_date(20) in item, item
    assert "Snart skal dere sammen se på hvordan det går med ett tiltak" in item, item
    consent_until = datetime.date.fromisoformat(one(stack, "SELECT consent_until FROM log WHERE id = %d" % f.log))
    assert "Samtykket gjelder til %d. %s %d" % (consent_until.day, months[consent_until.month - 1],
                                                 consent_until.year) in item, item
    # None of the staff's words: no column of "evaluations due", no roles, no rule of days.
    for jargon in ("Evalueringer til forfall", "Evaluering til forfall", "forfall", "· Foresatt", "Aktør",
                   "mine tiltak", 'class="ds-table', 'id="logs-h"'):
        assert jargon not in page, jargon
    # The holder's page keeps the table the staff work from.
    page = c.get("/min-side").text
    assert "Evalueringer til forfall" in page and 'id="min-logg-%d"' % f.log in page
    assert 'class="family-log" id="min-logg-%d"' % f.log not in page


def bulk(stack, muni, holder):
    """Once per stack: 3,000 logs, each with an actor and a guardian, with
    6,000 measures and 3,000 evaluations
    in a unit of their own (nobody else's page shows them), so the optimizer
    plans as it would for a real municipality, not for a handful of rows."""
    if one(stack, "SELECT COUNT(*) FROM unit WHERE name = 'Planbarnehagen'") != "0":
        return
    stack.sql("""
        INSERT INTO unit (municipality_id, kind, name) VALUES ({m}, 'other', 'Planbarnehagen');
        SET @u = LAST_INSERT_ID();
        INSERT INTO log (municipality_id, subject_person_id, subject_kind, holder_person_id, unit_id, state,
          consent_until) SELECT {m}, {h}, 'child', {h}, @u, 'active', CURRENT_DATE + INTERVAL 100 DAY
          FROM seq_1_to_3000;
        SET @first = LAST_INSERT_ID();
        INSERT INTO concern (municipality_id, log_id, title, created_by) VALUES ({m}, @first, 'Plan', {h});
        INSERT INTO goal (municipality_id, log_id, concern_id, text, created_by)
          VALUES ({m}, @first, LAST_INSERT_ID(), 'Plan', {h});
        SET @goal = LAST_INSERT_ID();
        INSERT INTO measure (municipality_id, log_id, goal_id, description, responsible_person_id, deadline,
          evaluation_date, status, created_by) SELECT {m}, @first + (seq % 3000), @goal, 'Plan', {h},
          CURRENT_DATE + INTERVAL (seq % 90) DAY, CURRENT_DATE + INTERVAL (seq % 30) DAY, 'ongoing', {h}
          FROM seq_1_to_6000;
        INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id)
          SELECT {m}, id, {h}, @u FROM log WHERE unit_id = @u;
        INSERT INTO log_guardian (municipality_id, log_id, person_id)
          SELECT {m}, id, {h} FROM log WHERE unit_id = @u;
        INSERT INTO evaluation (municipality_id, log_id, measure_id, category, by_person_id)
          SELECT {m}, log_id, id, 'partly', {h} FROM measure WHERE goal_id = @goal AND id % 2 = 0;
        ANALYZE TABLE log, measure, log_guardian, log_actor, evaluation, person, unit;
    """.format(m=muni, h=holder))


def test_the_overview_uses_indexes(c, stack):
    """Every table the statements of "my logs" and of the log page read is
    reached through an index, never by a full scan, so their cost follows the
    person's own logs, not the number of logs in the database (the issue's
    100,000-log figure). The plans are EXPLAINs of the very statements the
    programs run, with their parameters (stafett-generate --plans)."""
    f = fixture_log(stack)
    # A holder of their own for the bulk rows: the demo people's pages stay small.
    holder = int(one(stack, (
        "INSERT INTO person (municipality_id, nin_sealed, nin_key_id, nin_hmac, given_name, family_name)"
        " VALUES (%d, UNHEX(SHA2(UUID(), 256)), 1, UNHEX(SHA2(UUID(), 256)), 'Plan', 'Holder')"
        " RETURNING id") % f.muni))
    bulk(stack, f.muni, holder)
    for person_id in (f.holder, f.live, f.kari):
        r = subprocess.run([os.path.join(ROOT, stack.build, "tools", "stafett-generate"), "--plans",
                            str(person_id), str(f.log)], env=stack.env, capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
        assert r.stdout.endswith("0 tables read whole\n"), r.stdout
        tables = {line.split()[2] for line in r.stdout.splitlines() if line.startswith("  ") and len(line.split()) > 3}
        assert tables >= {"log", "log_guardian", "log_actor", "l", "m", "e", "concern", "n"}, r.stdout
