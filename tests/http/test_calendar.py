"""test_calendar.py — my calendar and its feed (cgi-bin/calendar.c,
lib/calendar.c, lib/view_calendar.c) against the real stack: the month grid
and the list put a meeting, a deadline and an evaluation date on their day
in Oslo (a meeting at 00:30 on the 1st is on the 1st, not on the day before
as it is in UTC); someone outside the log sees none of it; a leader invited
to a meeting sees it without the child's name; the feed is made, shown
once, renewed and stopped from the page, read line by line (unfolded): its
UIDs and SEQUENCE, DTSTART in Europe/Oslo across the March and October clock
changes, all-day dates for measures, no child's name or number anywhere,
the person's mail language, ETag and If-None-Match (304), private caching;
a renewed or stopped feed's old address answers 404, wrong addresses 429
after 100, every fetch is audited as the person's own data, and no token
reaches a log file. Meetings are made directly in the database, as the
comments of sql/010 describe, so this file does not depend on the meeting
pages."""
import datetime
import html
import re
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from log_helpers import (add_goal, add_measure, as_person, audit_count, demo_person, fixture_log, fresh,
                         login_holder, one)

OSLO = ZoneInfo("Europe/Oslo")
UTC = datetime.timezone.utc


def utc_of_oslo(y, m, d, hh, mm):
    """The UTC moment of an Oslo wall time, as the meeting table keeps it."""
    return datetime.datetime(y, m, d, hh, mm, tzinfo=OSLO).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def meeting(stack, f, starts_at, people, minutes=60, sequence=0, place="Møterom Solsikken", cancelled=False):
    """A meeting of f's log at the UTC moment starts_at, people (person id,
    relation) invited; its id."""
    mid = int(one(stack, (
        "INSERT INTO meeting (municipality_id, log_id, starts_at, minutes, place, agenda, sequence,"
        " cancelled_at, created_by) VALUES (%d, %d, '%s', %d, '%s', 'Hvordan går det med %s?', %d, %s, %d)"
        " RETURNING id") % (f.muni, f.log, starts_at, minutes, place, f.child_name, sequence,
                            "CURRENT_TIMESTAMP(3)" if cancelled else "NULL", f.holder)))
    for person, relation in people:
        stack.sql("INSERT INTO meeting_participant (meeting_id, person_id, municipality_id, relation)"
                  " VALUES (%d, %d, %d, '%s')" % (mid, person, f.muni, relation))
    return mid


def month_ahead(n):
    """(year, month) n months after this one in Oslo."""
    today = datetime.datetime.now(OSLO).date()
    k = today.year * 12 + today.month - 1 + n
    return k // 12, k % 12 + 1


def cell(page, date):
    """The month grid's cell of a date ("" if the grid has none)."""
    m = re.search(r'<td class="day[^"]*" id="dag-%s"[^>]*>(.*?)</td>' % date, page, re.S)
    return m.group(1) if m else ""


def list_day(page, date):
    m = re.search(r'<li class="calendar-day[^"]*" id="dag-%s"[^>]*>(.*?)</ul>\s*</li>' % date, page, re.S)
    return m.group(1) if m else ""


def unfold(text):
    """The content lines of an iCalendar text (RFC 5545 3.1): CRLF lines, a
    line that starts with a space or a tab continuing the one before."""
    assert "\r\n" in text and "\n" not in text.replace("\r\n", ""), "lines must end in CRLF"
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def events(text):
    """Each VEVENT as {NAME: value} and {NAME: params} (the last of a name)."""
    out, cur = [], None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            cur = {}
        elif line == "END:VEVENT":
            out.append(cur)
            cur = None
        elif cur is not None and ":" in line:
            head, _, value = line.partition(":")
            name, _, params = head.partition(";")
            cur[name] = value
            cur[name + ";"] = params
    return out


def by_uid(evs, uid):
    found = [e for e in evs if e["UID"] == uid]
    assert len(found) == 1, (uid, [e["UID"] for e in evs])
    return found[0]


def fixture(stack, client):
    """A fresh log held by Marte Haugland (logged in on client) with a goal
    and a measure she is responsible for, its deadline on the 15th and its
    evaluation on the 20th of the month after next; and a meeting at 00:30
    Oslo time on the 1st of that month, Kari Fjelltun (guardian) invited."""
    f = fixture_log(stack)
    login_holder(client, stack)
    y, m = month_ahead(2)
    f.y, f.m = y, m
    f.first = "%04d-%02d-01" % (y, m)
    f.deadline, f.evaluation = "%04d-%02d-15" % (y, m), "%04d-%02d-20" % (y, m)
    goal = add_goal(client, f)
    f.measure_text = "Lesetrening med %s" % f.sfx
    f.measure = add_measure(client, f, goal, f.holder, f.kindergarten, description=f.measure_text,
                            start_date="2026-01-05", deadline=f.deadline, evaluation_date=f.evaluation)
    f.at = utc_of_oslo(y, m, 1, 0, 30)
    assert f.at[:10] < f.first, f.at  # the day before, in UTC
    f.meeting = meeting(stack, f, f.at, [(f.holder, "holder"), (f.kari, "guardian")])
    f.cancelled = meeting(stack, f, utc_of_oslo(y, m, 2, 10, 0), [(f.holder, "holder")], cancelled=True)
    return f


def test_the_month_and_the_list_show_each_thing_on_its_day_in_oslo(client, stack):
    f = fixture(stack, client)
    page = client.get("/kalender?maaned=%04d-%02d" % (f.y, f.m))
    assert page.status == 200, page
    text = page.text
    # The grid: whole weeks from Monday, today marked if it is there.
    assert re.search(r'<table class="ds-table month-grid" id="month" aria-labelledby="month-h">', text)
    first = cell(text, f.first)
    assert 'id="kalender-mote-%d"' % f.meeting in first, first
    assert 'href="/logg/%d/mote/%d"' % (f.log, f.meeting) in first
    assert "00.30" in first and "01.30" in first and html.escape("Testbarn Målesen-" + f.sfx) in first, first
    day_before = (datetime.date(f.y, f.m, 1) - datetime.timedelta(days=1)).isoformat()
    assert 'kalender-mote-%d"' % f.meeting not in cell(text, day_before)
    assert 'id="kalender-frist-%d"' % f.measure in cell(text, f.deadline)
    assert 'href="/logg/%d/tiltak/%d"' % (f.log, f.measure) in cell(text, f.deadline)
    assert 'id="kalender-evaluering-%d"' % f.measure in cell(text, f.evaluation)
    assert 'kalender-mote-%d"' % f.cancelled not in text, "a cancelled meeting is not in the calendar"
    assert "Frist for tiltak" in text and "Evaluering av tiltak" in text
    # The previous month does not have the meeting on its last day, which is
    # where its UTC date would put it.
    prev = client.get("/kalender?maaned=%s" % day_before[:7]).text
    assert 'kalender-mote-%d"' % f.meeting not in prev
    # Links to the months around it; this month has today marked.
    assert 'href="/kalender?maaned=%s"' % day_before[:7] in text
    now = client.get("/kalender").text
    today = datetime.datetime.now(OSLO).date().isoformat()
    assert re.search(r'<td class="day[^"]* today[^"]*" id="dag-%s" aria-current="date">' % today, now), today
    # The list: the coming items in date order.
    lst = client.get("/kalender?visning=liste").text
    days = re.findall(r'<li class="calendar-day[^"]*" id="dag-(\d{4}-\d\d-\d\d)"', lst)
    assert days == sorted(days) and len(days) == len(set(days)), days
    assert 'kalender-mote-%d"' % f.meeting in list_day(lst, f.first)
    assert 'kalender-frist-%d"' % f.measure in list_day(lst, f.deadline)
    assert html.escape(f.measure_text) in list_day(lst, f.deadline)
    assert 'kalender-evaluering-%d"' % f.measure in list_day(lst, f.evaluation)
    # The page named the child: a read of the log, audited as a list.
    assert int(one(stack, "SELECT COUNT(*) FROM audit_log a JOIN audit_log_item i ON i.audit_id = a.id"
                   " WHERE a.action = 'log.list' AND a.person_id = %d AND i.log_id = %d AND i.role = 'holder'"
                   % (f.holder, f.log))) >= 3
    # In English, the same days.
    en = client.get("/kalender?maaned=%04d-%02d" % (f.y, f.m), headers={"Cookie": "lang=en; " + "; ".join(
        "%s=%s" % kv for kv in client.cookies.items())}).text
    assert "Deadline for a measure" in en and 'kalender-mote-%d"' % f.meeting in cell(en, f.first)
    # A month that is not one.
    for bad in ("2026-13", "26-12", "2026-1", "x"):
        assert client.get("/kalender?maaned=" + bad).status == 404, bad
    assert client.get("/kalender?uke=3").status == 400


def test_the_guardian_sees_the_meeting_someone_else_nothing_and_a_leader_no_name(client, stack):
    f = fixture(stack, client)
    month = "/kalender?maaned=%04d-%02d" % (f.y, f.m)
    # The guardian is invited: the meeting, with her child's name; not the
    # measure, which is not hers.
    kari = as_person(client, stack, "Kari", "Fjelltun").get(month).text
    assert 'kalender-mote-%d"' % f.meeting in cell(kari, f.first)
    assert html.escape(f.child_name) in kari
    assert 'kalender-frist-%d"' % f.measure not in kari
    # A guardian of another child: none of it.
    siri = as_person(client, stack, "Siri", "Bergli").get(month).text
    for thing in ('kalender-mote-%d"' % f.meeting, 'kalender-frist-%d"' % f.measure, f.sfx):
        assert thing not in siri, thing
    # Invited, but no longer allowed to read (a removed actor): nothing.
    live = demo_person(stack, "Live", "Mo")
    stack.sql("INSERT INTO meeting_participant (meeting_id, person_id, municipality_id, relation)"
              " VALUES (%d, %d, %d, 'actor')" % (f.meeting, live, f.muni))
    assert 'kalender-mote-%d"' % f.meeting not in as_person(client, stack, "Live", "Mo").get(month).text
    # The kindergarten's leader, invited: the meeting by the log's number.
    leader = int(one(stack, "SELECT person_id FROM staff_role WHERE unit_id = %d AND role = 'leader' LIMIT 1"
                     % f.kindergarten))
    given, family = one(stack, "SELECT given_name, family_name FROM person WHERE id = %d" % leader).split("\t")
    stack.sql("INSERT INTO meeting_participant (meeting_id, person_id, municipality_id, relation)"
              " VALUES (%d, %d, %d, 'leader')" % (f.meeting, leader, f.muni))
    before = audit_count(stack, "person_id = %d AND action = 'log.list'" % leader)
    page = as_person(client, stack, given, family).get(month)
    assert page.status == 200
    got = cell(page.text, f.first)
    assert 'kalender-mote-%d"' % f.meeting in got and "Logg nr. %d" % f.log in got, got
    assert "/logg/%d" % f.log not in page.text, "no link into a log the leader may not read"
    for secret in (f.sfx, "Testbarn", "Målesen", html.escape("Målesen"), f.measure_text):
        assert secret not in page.text, secret
    assert audit_count(stack, "person_id = %d AND action = 'log.list'" % leader) == before


def feed_url(c):
    """Makes (or renews) the logged-in person's feed from the page; its
    path, shown once on the page the form goes back to."""
    r = c.post("/kalender", urlencode({"feed": "new"}))
    assert r.status == 303 and r.header("location").startswith("/kalender?lagret=kalender-"), r
    page = c.get(r.header("location").split("#")[0])  # a browser keeps the fragment to itself
    m = re.search(r'<input class="ds-input" id="feed-url" type="text" readonly value="([^"]+)"', page.text)
    assert m, page.text[:3000]
    url = html.unescape(m.group(1))
    path = re.fullmatch(r"https?://[^/]+(/kalender/[A-Za-z0-9_-]{43}\.ics)", url)
    assert path, url
    # Once: the next view of the page no longer shows it.
    assert 'id="feed-url"' not in c.get("/kalender").text
    return path.group(1)


def test_the_feed_names_no_one_and_keeps_oslo_time_across_the_clock_changes(client, stack):
    f = fixture(stack, client)
    stack.sql("UPDATE calendar_feed SET revoked_at = CURRENT_TIMESTAMP(3) WHERE person_id = %d" % f.holder)
    stack.sql("UPDATE person SET mail_lang = NULL WHERE id = %d" % f.holder)
    # Meetings at 09:00 Oslo time just before and after the next clock
    # changes (the last Sundays of March and October).
    today = datetime.datetime.now(OSLO).date()
    changes = []
    for month in (3, 10):
        year = today.year if (today.month, today.day) < (month, 20) else today.year + 1
        last = max(datetime.date(year, month, d) for d in range(25, 32) if datetime.date(year, month, d).weekday() == 6)
        for day in (last - datetime.timedelta(days=1), last + datetime.timedelta(days=1)):
            mid = meeting(stack, f, utc_of_oslo(day.year, day.month, day.day, 9, 0), [(f.holder, "holder")],
                          sequence=2)
            changes.append((mid, day))
    # The UTC hours differ (08:00 in winter, 07:00 in summer), the Oslo wall time does not.
    hours = {one(stack, "SELECT HOUR(starts_at) FROM meeting WHERE id = %d" % mid) for mid, _ in changes}
    assert hours == {"7", "8"}, hours
    path = feed_url(client)
    anyone = fresh(client)
    r = anyone.get(path)
    assert r.status == 200, r
    assert r.header("content-type") == "text/calendar; charset=utf-8", r.headers
    assert r.header("cache-control").startswith("private, max-age="), r.headers
    etag = r.header("etag")
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag or ""), etag
    text = r.body.decode("utf-8")
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and "VERSION:2.0" in lines and not any(
        l.startswith("METHOD") for l in lines), lines[:10]
    assert "TZID:Europe/Oslo" in lines
    evs = events(text)
    host = "fjordvik.example"
    m = by_uid(evs, "meeting-%d@%s" % (f.meeting, host))
    assert m["DTSTART;"] == "TZID=Europe/Oslo" and m["DTSTART"] == "%04d%02d01T003000" % (f.y, f.m), m
    assert m["DTEND"] == "%04d%02d01T013000" % (f.y, f.m) and m["SEQUENCE"] == "0", m
    assert m["SUMMARY"] == "Møte i stafettlogg nr. %d" % f.log, m
    assert m["URL"].endswith("/logg/%d/mote/%d" % (f.log, f.meeting)), m
    for mid, day in changes:
        e = by_uid(evs, "meeting-%d@%s" % (mid, host))
        assert e["DTSTART;"] == "TZID=Europe/Oslo" and e["DTSTART"] == day.strftime("%Y%m%dT090000"), e
        assert e["SEQUENCE"] == "2", e
    d = by_uid(evs, "measure-%d-deadline@%s" % (f.measure, host))
    assert d["DTSTART;"] == "VALUE=DATE" and d["DTSTART"] == f.deadline.replace("-", ""), d
    assert d["SUMMARY"] == "Frist for tiltak i stafettlogg nr. %d" % f.log, d
    assert d["URL"].endswith("/logg/%d/tiltak/%d" % (f.log, f.measure)), d
    e = by_uid(evs, "measure-%d-evaluation@%s" % (f.measure, host))
    assert e["DTSTART"] == f.evaluation.replace("-", "") and "Evaluering" in e["SUMMARY"], e
    assert not [x for x in evs if x["UID"] == "meeting-%d@%s" % (f.cancelled, host)]
    # No child's name, no number, nothing anyone typed.
    names = stack.sql("SELECT DISTINCT p.given_name, p.family_name FROM log l JOIN person p"
                      " ON p.id = l.subject_person_id").split()
    for secret in set(names) | {f.child_name, f.measure_text, "Møterom", "Hvordan går det"}:
        assert secret not in text, secret
    assert not re.search(r"(?<!\d)\d{11}(?!\d)", text), "an identity number?"
    # The text is kept with the feed (sql/011), as served, its hash the ETag.
    kept = one(stack, "SELECT HEX(text), LOWER(HEX(text_hash)) FROM calendar_feed WHERE person_id = %d"
               " AND revoked_at IS NULL" % f.holder).split("\t")
    assert bytes.fromhex(kept[0]) == r.body and etag == '"%s"' % kept[1][:32], kept[1]
    # The same again: 304 with no body, while nothing changed.
    r = anyone.get(path, headers={"If-None-Match": etag})
    assert r.status == 304 and r.body == b"" and r.header("etag") == etag, r
    # A change (the meeting moved) is a new ETag, and the old one gets it whole.
    stack.sql("UPDATE meeting SET starts_at = starts_at + INTERVAL 1 HOUR, sequence = sequence + 1"
              " WHERE id = %d" % f.meeting)
    r = anyone.get(path, headers={"If-None-Match": etag})
    assert r.status == 200 and r.header("etag") != etag, r
    assert by_uid(events(r.text), "meeting-%d@%s" % (f.meeting, host))["SEQUENCE"] == "1"
    # In the person's mail language.
    stack.sql("UPDATE person SET mail_lang = 'en' WHERE id = %d" % f.holder)
    try:
        en = events(anyone.get(path).text)
        assert by_uid(en, "meeting-%d@%s" % (f.meeting, host))["SUMMARY"] == "Meeting in log no. %d" % f.log
    finally:
        stack.sql("UPDATE person SET mail_lang = NULL WHERE id = %d" % f.holder)
    # Each fetch is one row of the person's own data, naming no log.
    assert audit_count(stack, "person_id = %d AND action = 'calendar.feed.read' AND log_id IS NULL" % f.holder) >= 4
    # The token is in no log file: the servers write /kalender/- for it.
    token = path.split("/")[-1][:-4]
    leaked = [n for n, t in stack.logs().items() if token in t]
    assert not leaked, leaked
    assert any("/kalender/-" in t for n, t in stack.logs().items() if "access" in n)


def test_renewing_kills_the_old_address_and_stopping_kills_the_feed(client, stack):
    login_holder(client, stack)
    holder = demo_person(stack, "Marte", "Haugland")
    stack.sql("UPDATE calendar_feed SET revoked_at = CURRENT_TIMESTAMP(3) WHERE person_id = %d" % holder)
    assert 'id="feed-new"' in client.get("/kalender").text
    old = feed_url(client)
    anyone = fresh(client)
    assert anyone.get(old).status == 200
    page = client.get("/kalender").text
    assert 'id="feed-renew"' in page and 'id="feed-revoke"' in page
    new = feed_url(client)
    assert new != old
    assert anyone.get(old).status == 404
    assert anyone.get(new).status == 200
    assert one(stack, "SELECT COUNT(*) FROM calendar_feed WHERE person_id = %d AND revoked_at IS NULL" % holder) == "1"
    r = client.post("/kalender", urlencode({"feed": "revoke"}))
    assert r.status == 303 and r.header("location") == "/kalender?lagret=kalender-stoppet#abonnement", r
    assert "Kalenderabonnementet ditt er stoppet" in client.get(r.header("location").split("#")[0]).text
    assert anyone.get(new).status == 404
    assert 'id="feed-new"' in client.get("/kalender").text
    for action in ("new", "renew", "revoke"):
        assert audit_count(stack, "person_id = %d AND action = 'calendar.feed.%s'" % (holder, action)) >= 1
    # Only the stored hash: no token in the table.
    assert one(stack, "SELECT LENGTH(token_hash) FROM calendar_feed WHERE person_id = %d LIMIT 1" % holder) == "32"
    # Not for the anonymous, and not without the page's token.
    assert fresh(client).post("/kalender", urlencode({"feed": "new"})).status == 403
    assert client.post("/kalender", urlencode({"feed": "new"}), csrf=False).status == 403
    assert client.post("/kalender", urlencode({"feed": "x"})).status == 400
    stack.sql("DELETE FROM rate_limit")


def test_wrong_feed_addresses_are_held_back(client, stack):
    c = fresh(client)
    stack.sql("DELETE FROM rate_limit")
    try:
        statuses = [c.get("/kalender/%s%d.ics" % ("A" * 42, i % 10)).status for i in range(101)]
        assert statuses[:100] == [404] * 100 and statuses[100] == 429, statuses[95:]
        assert c.get("/kalender/" + "B" * 43 + ".ics").status == 429
    finally:
        # The counter is per address, and the rest of the suite comes from this one.
        stack.sql("DELETE FROM rate_limit")
    assert c.get("/kalender/ikke-en-kalender").status == 404
    stack.sql("DELETE FROM rate_limit")
