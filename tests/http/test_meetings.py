"""test_meetings.py — the meetings of a log and their minutes (cgi-bin/meeting.c,
cgi-bin/minutes.c, lib/meeting.c, lib/minutes.c), against the real mailer and
the development SMTP server: a meeting planned, moved and cancelled sends
every participant three mails, each with a text/calendar part that this file
parses line by line with the standard library (unfolded, parameters split)
and checks: METHOD REQUEST, REQUEST, CANCEL, one UID, a rising SEQUENCE,
DTSTART;TZID=Europe/Oslo at the wall time typed (across the March and October
clock changes, with the UTC the database keeps), DTEND, ORGANIZER, one
ATTENDEE per participant and the Europe/Oslo VTIMEZONE; no mail and no
calendar names the child or holds a number. Minutes written, commented,
approved, then a change refused (409) and a correction added beside them;
the log page, the page in plain words and the history show it all. Who may
not plan, move or write minutes is refused; a double submit plans one
meeting and sends one set of mails. Fresh logs from log_helpers.fixture_log."""
import html
import os
import re
import subprocess
from urllib.parse import urlencode

from harness import login, wait_for
from log_helpers import (add_goal, add_measure, as_person, audit_count, field_error, fixture_log, fresh, history,
                         one, unit_id)

ALERT = re.compile(r'<div class="ds-alert" data-color="success" role="status">(.*?)</div>', re.S)


def said(page):
    m = ALERT.search(page)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else None


# --- iCalendar, read as RFC 5545 says, with the standard library alone -------

def unfold(text):
    """The content lines: CRLF followed by a space or a tab continues a line."""
    assert "\r\n" in text, "iCalendar lines end in CRLF"
    return [line for line in re.sub(r"\r\n[ \t]", "", text).split("\r\n") if line]


def split_outside_quotes(s, sep):
    out, cur, quoted = [], "", False
    for ch in s:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def content_line(line):
    """NAME;P1=v;P2="v":value -> (NAME, {P1: v, P2: v}, value)."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            head, value = line[:i], line[i + 1:]
            break
    else:
        raise AssertionError("no value in %r" % line)
    parts = split_outside_quotes(head, ";")
    params = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        params[k.upper()] = v.strip('"')
    return parts[0].upper(), params, value


def parse_ics(text):
    """{"METHOD": ..., "VTIMEZONE": [props...], "VEVENT": [props...]} with
    props as (name, params, value); components by their outermost name."""
    cal = {"props": [], "VTIMEZONE": [], "VEVENT": []}
    stack = []
    for line in unfold(text):
        name, params, value = content_line(line)
        if name == "BEGIN":
            stack.append(value)
            continue
        if name == "END":
            assert stack and stack[-1] == value, (stack, value)
            stack.pop()
            continue
        where = stack[1] if len(stack) > 1 else "props"
        if where in ("VTIMEZONE", "VEVENT"):
            cal[where].append((name, params, value))
        elif len(stack) == 1:
            cal["props"].append((name, params, value))
    assert not stack
    return cal


def prop(props, name):
    found = [p for p in props if p[0] == name]
    assert len(found) == 1, (name, found)
    return found[0]


def calendar_of(mail):
    """The text/calendar part of a mail, decoded, and its method parameter."""
    parts = [p for p in mail.msg.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in mail.msg.walk()]
    return parts[0].get_content(), parts[0].get_param("method")


# --- the log and its people --------------------------------------------------

def setup(stack):
    """A fresh log held by Marte Haugland with Kari Fjelltun its guardian (at
    an address typed on the log) and Live Mo an actor for the health station,
    which the consent covers; Torbjørn Vik leads the log's unit."""
    f = fixture_log(stack)
    f.stack = stack
    stack.sql("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id) VALUES (%d, %d, %d, %d)"
              % (f.muni, f.log, f.live, f.health))
    f.kari_address = "kari-%s@fjordvik.example" % f.sfx
    stack.sql("UPDATE log_guardian SET email = '%s' WHERE log_id = %d AND person_id = %d"
              % (f.kari_address, f.log, f.kari))
    f.torbjorn = int(one(stack, "SELECT id FROM person WHERE given_name = 'Torbjørn' AND family_name = 'Vik'"))
    return f


def address(stack, person):
    return one(stack, "SELECT email FROM person WHERE id = %d" % person)


def plan_form(f, date="2027-03-28", time="10:00", people=None, **over):
    fields = [("date", date), ("time", time), ("length", "60"), ("place", "Møterommet, Solsikken barnehage"),
              ("video_url", ""), ("agenda", "Hvordan det går med språket til %s" % f.child_name)]
    fields = [(k, over.pop(k, v)) for k, v in fields]
    for p in (people if people is not None else (f.kari, f.live, f.torbjorn)):
        fields.append(("people", str(p)))
    fields += list(over.items())
    return urlencode(fields)


def plan(c, f, **kw):
    r = c.post("/logg/%d/mote" % f.log, plan_form(f, **kw))
    assert r.status == 303, (r, r.text[:3000])
    m = re.fullmatch(r"/logg/%d/mote/(\d+)\?lagret=mote" % f.log, r.header("location"))
    assert m, r.header("location")
    return int(m.group(1))


def version_of(stack, meeting):
    return one(stack, "SELECT version FROM meeting WHERE id = %d" % meeting)


def meeting_mails(stack, since, uid, count, timeout=40):
    """The mails after the first `since` whose calendar has this UID (or one
    that starts with it, when it ends in @), once there are count of them:
    [(mail, calendar text, method parameter)]."""
    def find():
        got = []
        for m in stack.mails()[since:]:
            if not any(p.get_content_type() == "text/calendar" for p in m.msg.walk()):
                continue
            text, method = calendar_of(m)
            uids = [line[4:] for line in unfold(text) if line.startswith("UID:")]
            if any(u == uid or uid.endswith("@") and u.startswith(uid) for u in uids):
                got.append((m, text, method))
        return got if len(got) >= count else None
    got = wait_for(find, timeout=timeout, interval=0.3)
    assert got, "fewer than %d mails of %s arrived" % (count, uid)
    return got


def test_planned_moved_and_cancelled_each_participant_gets_three_calendars(c, stack):
    f = setup(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    page = c.get("/logg/%d/mote" % f.log)
    assert page.status == 200, page
    for p in (f.kari, f.live, f.torbjorn):
        assert 'id="people-%d"' % p in page.text, p
    assert 'id="people-%d"' % f.holder not in page.text  # the holder organises and takes part
    since = len(stack.mails())
    # 10:00 on the Sunday the clocks go forward: summer time, 08:00 UTC.
    meeting = plan(c, f, date="2027-03-28", time="10:00")
    assert one(stack, "SELECT DATE_FORMAT(starts_at, '%%Y-%%m-%%d %%H:%%i') FROM meeting WHERE id = %d"
               % meeting) == "2027-03-28 08:00"
    shown = c.get("/logg/%d/mote/%d?lagret=mote" % (f.log, meeting)).text
    assert said(shown) == "Møtet er planlagt. Alle inviterte som har e-postadresse, får invitasjonen.", said(shown)
    assert "28. mars 2027 kl. 10.00" in shown
    # Moved to 10:00 on the Sunday they go back: winter time, 09:00 UTC.
    r = c.post("/logg/%d/mote/%d" % (f.log, meeting), urlencode({
        "version": version_of(stack, meeting), "date": "2027-10-31", "time": "10:00", "length": "90",
        "place": "Helsestasjonen", "video_url": "https://video.example/rom-1", "agenda": ""}))
    assert r.status == 303 and r.header("location") == "/logg/%d/mote/%d?lagret=mote-flyttet" % (f.log, meeting), r
    assert one(stack, "SELECT DATE_FORMAT(starts_at, '%%Y-%%m-%%d %%H:%%i') FROM meeting WHERE id = %d"
               % meeting) == "2027-10-31 09:00"
    r = c.post("/logg/%d/mote/%d/avlys" % (f.log, meeting), urlencode({"version": version_of(stack, meeting)}))
    assert r.status == 303 and r.header("location").endswith("?lagret=mote-avlyst"), r
    assert one(stack, "SELECT sequence FROM meeting WHERE id = %d" % meeting) == "2"

    participants = {f.holder: address(stack, f.holder), f.kari: f.kari_address, f.live: address(stack, f.live),
                    f.torbjorn: address(stack, f.torbjorn)}
    first = meeting_mails(stack, since, "meeting-%d@" % meeting, 1)[0][1]
    uid = prop(parse_ics(first)["VEVENT"], "UID")[2]
    assert re.fullmatch(r"meeting-%d@[a-z0-9.-]+" % meeting, uid), uid
    got = meeting_mails(stack, since, uid, 3 * len(participants))
    assert len(got) == 3 * len(participants), [m.file for m, _, _ in got]
    by_person = {}
    for m, text, method in got:
        by_person.setdefault(m.to.lower(), []).append((m, text, method))
    assert sorted(by_person) == sorted(a.lower() for a in participants.values()), sorted(by_person)
    wanted = [("REQUEST", 0, "20270328T100000", "20270328T110000", "CONFIRMED"),
              ("REQUEST", 1, "20271031T100000", "20271031T113000", "CONFIRMED"),
              ("CANCEL", 2, "20271031T100000", "20271031T113000", "CANCELLED")]
    child = f.child_name
    numbers = [one(stack, "SELECT HEX(nin_hmac) FROM person WHERE id = %d" % f.child)]
    for to, mails in by_person.items():
        mails.sort(key=lambda x: int(prop(parse_ics(x[1])["VEVENT"], "SEQUENCE")[2]))
        for (m, text, method), (w_method, w_seq, w_start, w_end, w_status) in zip(mails, wanted):
            cal = parse_ics(text)
            assert prop(cal["props"], "METHOD")[2] == w_method == method.upper(), (to, method)
            assert prop(cal["props"], "VERSION")[2] == "2.0"
            ev = cal["VEVENT"]
            assert prop(ev, "UID")[2] == uid
            assert int(prop(ev, "SEQUENCE")[2]) == w_seq
            name, params, value = prop(ev, "DTSTART")
            assert params == {"TZID": "Europe/Oslo"} and value == w_start, (params, value)
            name, params, value = prop(ev, "DTEND")
            assert params == {"TZID": "Europe/Oslo"} and value == w_end, (params, value)
            assert prop(ev, "STATUS")[2] == w_status
            assert prop(ev, "SUMMARY")[2] == "Møte i stafettlogg nr. %d" % f.log, prop(ev, "SUMMARY")
            organizer = prop(ev, "ORGANIZER")
            assert organizer[2].lower() == "mailto:" + participants[f.holder].lower(), organizer
            assert organizer[1].get("CN") == "Marte Haugland", organizer
            attendees = sorted(v.lower() for n, p, v in ev if n == "ATTENDEE")
            assert attendees == sorted("mailto:" + a.lower() for a in participants.values()), attendees
            tz = cal["VTIMEZONE"]
            assert ("TZID", {}, "Europe/Oslo") in tz, tz
            assert ("TZOFFSETTO", {}, "+0200") in tz and ("TZOFFSETTO", {}, "+0100") in tz, tz
            location = prop(ev, "LOCATION")[2]
            assert location == ("Møterommet\\, Solsikken barnehage" if w_seq == 0 else "Helsestasjonen"), location
            # The calendar names no child, holds no number and not the agenda.
            unfolded = "\n".join(unfold(text))
            assert child not in unfolded and "Testbarn" not in unfolded and "språket" not in unfolded
            assert not any(n in unfolded for n in numbers)
            # The mail says when and where in Oslo time, and never whom it is about.
            assert child not in m.text and child not in m.html and "Testbarn" not in m.text
            assert "språket" not in m.text and "Målesen" not in str(m.msg["Subject"])
            when = "28. mars 2027 kl. 10.00" if w_seq == 0 else "31. oktober 2027 kl. 10.00"
            assert when in m.text, (to, m.text)
            # A leader gets the invitation, never a way into the log.
            leader = to == participants[f.torbjorn].lower()
            assert ("/logg/%d/mote/%d" % (f.log, meeting) in m.text) == (not leader and w_method != "CANCEL")
            assert (not [p for p in ev if p[0] == "URL"]) == leader
        assert [str(m.msg["Subject"]) for m, _, _ in mails] == [
            "Du er invitert til et møte i Stafett", "Et møte i Stafett har fått nytt tidspunkt",
            "Et møte i Stafett er avlyst"], to
    # The guardian's typed address, not her own record's, got hers.
    assert f.kari_address.lower() in by_person
    # The history says what happened, in Oslo time.
    sentences = [h[1] for h in history(c.get("/logg/%d/historikk" % f.log).text)]
    assert "Marte Haugland planla et møte 28. mars 2027 kl. 10.00 og sendte invitasjonene" in sentences, sentences
    assert ("Marte Haugland flyttet møtet 28. mars 2027 kl. 10.00 til 31. oktober 2027 kl. 10.00 og sendte det "
            "nye tidspunktet") in sentences, sentences
    assert "Marte Haugland avlyste møtet 31. oktober 2027 kl. 10.00 og ga beskjed til alle som var invitert" \
        in sentences, sentences


def test_the_clock_changes_come_out_as_typed(c, stack):
    """Just after and just before the last Sundays of March and October."""
    f = setup(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    cases = [("2027-03-27", "10:00", "2027-03-27 09:00", "20270327T100000"),  # Saturday: winter time
             ("2027-03-28", "03:00", "2027-03-28 01:00", "20270328T030000"),  # the first summer hour
             ("2027-03-28", "10:00", "2027-03-28 08:00", "20270328T100000"),
             ("2027-10-30", "10:00", "2027-10-30 08:00", "20271030T100000"),  # Saturday: summer time
             ("2027-10-31", "10:00", "2027-10-31 09:00", "20271031T100000")]
    since = len(stack.mails())
    made = []
    for date, time, utc, wall in cases:
        meeting = plan(c, f, date=date, time=time, people=(f.kari,))
        assert one(stack, "SELECT DATE_FORMAT(starts_at, '%%Y-%%m-%%d %%H:%%i') FROM meeting WHERE id = %d"
                   % meeting) == utc, (date, time)
        made.append((meeting, wall))
    for meeting, wall in made:
        [(m, text, method)] = meeting_mails(stack, since, "meeting-%d@" % meeting, 1)[:1]
        ev = parse_ics(text)["VEVENT"]
        assert prop(ev, "DTSTART")[1:] == ({"TZID": "Europe/Oslo"}, wall), prop(ev, "DTSTART")
    # The hour the clocks skip does not exist: told at the field, nothing planned.
    count = one(stack, "SELECT COUNT(*) FROM meeting WHERE log_id = %d" % f.log)
    r = c.post("/logg/%d/mote" % f.log, plan_form(f, date="2027-03-28", time="02:30"))
    assert r.status == 422 and field_error(r.text, "time") == \
        "Det klokkeslettet finnes ikke i Norge: klokka stilles fram den natta.", r.text[:2000]
    assert one(stack, "SELECT COUNT(*) FROM meeting WHERE log_id = %d" % f.log) == count


def test_mistakes_come_back_at_their_fields_and_the_past_is_refused(c, stack):
    f = setup(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    r = c.post("/logg/%d/mote" % f.log, plan_form(f, date="", time="", place="", people=()))
    assert r.status == 422, r
    assert field_error(r.text, "date") == "Skriv datoen for møtet."
    assert field_error(r.text, "time") == "Skriv når møtet begynner, for eksempel 14:30."
    assert field_error(r.text, "place") == "Skriv hvor møtet er, eller en videolenke."
    assert field_error(r.text, "people") == "Velg hvem som skal inviteres."
    assert '<a class="ds-link" href="#people-%d">' % f.kari in r.text  # the summary leads to the first box
    assert "Hvordan det går med språket" in r.text  # what was typed is kept
    r = c.post("/logg/%d/mote" % f.log, plan_form(f, date="2020-01-06", video_url="video.example/x"))
    assert r.status == 422
    assert field_error(r.text, "video_url") == "Skriv hele videolenken, som begynner med https://."
    r = c.post("/logg/%d/mote" % f.log, plan_form(f, date="2020-01-06"))
    assert r.status == 422 and field_error(r.text, "date") == "Møtet må være fram i tid. Velg et senere tidspunkt."
    assert re.search(r'id="people-%d"[^>]* checked' % f.live, r.text)  # the boxes ticked stay ticked
    # Someone who is not one of the log's people is not invited.
    other = int(one(stack, "SELECT id FROM person WHERE given_name = 'Siri' AND family_name = 'Bergli'"))
    r = c.post("/logg/%d/mote" % f.log, plan_form(f, people=(f.kari, other)))
    assert r.status == 422 and field_error(r.text, "people") == "Velg blant dem som er med i loggen."
    assert one(stack, "SELECT COUNT(*) FROM meeting WHERE log_id = %d" % f.log) == "0"


def test_a_double_submit_plans_one_meeting_and_sends_one_set(c, stack):
    """And an invitation is not a notice: Live Mo, who chose no "something
    new" mails, gets hers all the same, in the language she chose."""
    f = setup(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    page = c.get("/logg/%d/mote" % f.log).text
    token = re.search(r'name="_once" value="([^"]+)"', page).group(1)
    body = plan_form(f, _once=token)
    stack.sql("UPDATE person SET email_notices = FALSE, mail_lang = 'nn' WHERE id = %d" % f.live)
    try:
        r1, r2 = c.post("/logg/%d/mote" % f.log, body), c.post("/logg/%d/mote" % f.log, body)
    finally:
        stack.sql("UPDATE person SET email_notices = TRUE, mail_lang = NULL WHERE id = %d" % f.live)
    assert one(stack, "SELECT lang FROM outbox WHERE log_id = %d AND kind = 'meeting_planned' AND person_id = %d"
               % (f.log, f.live)) == "nn"
    meeting = int(one(stack, "SELECT id FROM meeting WHERE log_id = %d" % f.log))
    got = meeting_mails(stack, 0, "meeting-%d@" % meeting, 4)
    [(mail, text, _)] = [g for g in got if g[0].to == address(stack, f.live)]
    assert "inviterer deg til eit møte om ein stafettlogg i Fjordvik kommune" in mail.text, mail.text
    assert prop(parse_ics(text)["VEVENT"], "DESCRIPTION")[2].startswith("Sakslista og kven som er inviterte")
    assert r1.status == 303 and r2.status == 303 and r1.header("location") == r2.header("location"), (r1, r2)
    assert one(stack, "SELECT COUNT(*) FROM meeting WHERE log_id = %d" % f.log) == "1"
    assert one(stack, "SELECT COUNT(*) FROM meeting_participant p JOIN meeting m ON m.id = p.meeting_id"
                      " WHERE m.log_id = %d" % f.log) == "4"
    assert one(stack, "SELECT COUNT(*) FROM outbox WHERE log_id = %d AND kind = 'meeting_planned'" % f.log) == "4"
    assert audit_count(stack, "log_id = %d AND action = 'meeting.plan' AND detail = 'repeated'" % f.log) == 1


def test_a_stale_form_is_told_and_changes_nothing(c, stack):
    f = setup(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    meeting = plan(c, f, people=(f.kari,))
    old = version_of(stack, meeting)
    body = {"version": old, "date": "2027-04-01", "time": "09:00", "length": "60", "place": "Skolen",
            "video_url": "", "agenda": ""}
    assert c.post("/logg/%d/mote/%d" % (f.log, meeting), urlencode(body)).status == 303
    r = c.post("/logg/%d/mote/%d" % (f.log, meeting), urlencode(dict(body, date="2027-05-01")))
    assert r.status == 409 and 'id="meeting-conflict"' in r.text, r
    r = c.post("/logg/%d/mote/%d/avlys" % (f.log, meeting), urlencode({"version": old}))
    assert r.status == 409 and 'id="meeting-conflict"' in r.text, r
    assert one(stack, "SELECT cancelled_at IS NULL AND sequence = 1 FROM meeting WHERE id = %d" % meeting) == "1"


def minutes_url(f, meeting, rest=""):
    return "/logg/%d/mote/%d/referat%s" % (f.log, meeting, rest)


def test_minutes_written_commented_approved_locked_and_corrected(c, stack):
    f = setup(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    goal = add_goal(c, f)
    measure = add_measure(c, f, goal, f.live, f.health)
    meeting = plan(c, f)
    form = [("version", "0"), ("attended", str(f.kari)), ("attended", str(f.live)), ("child_took_part", "1"),
            ("guardians_took_part", "1"), ("decisions", "Språkgruppa fortsetter, og vi ser på det igjen i mai."),
            ("measures", str(measure)), ("next_meeting", "Etter påske, samme sted")]
    # Not before the meeting has begun.
    r = c.post(minutes_url(f, meeting), urlencode(form))
    assert r.status == 409 and "Møtet har ikke begynt" in r.text, r
    stack.sql("UPDATE meeting SET starts_at = UTC_TIMESTAMP() - INTERVAL 2 HOUR WHERE id = %d" % meeting)
    page = c.get(minutes_url(f, meeting))
    assert page.status == 200 and 'id="decisions"' in page.text and 'id="measures-%d"' % measure in page.text
    r = c.post(minutes_url(f, meeting), urlencode([(k, v) for k, v in form if k != "decisions"]))
    assert r.status == 422 and field_error(r.text, "decisions") == "Skriv hva som ble bestemt på møtet."
    r = c.post(minutes_url(f, meeting), urlencode(form))
    assert r.status == 303 and r.header("location") == minutes_url(f, meeting, "?lagret=referat"), r
    assert one(stack, "SELECT GROUP_CONCAT(person_id, ':', COALESCE(attended, 'x') ORDER BY person_id)"
                      " FROM meeting_participant WHERE meeting_id = %d" % meeting) == ",".join(
        "%d:%s" % (p, "1" if p in (f.kari, f.live) else "0") for p in sorted((f.holder, f.kari, f.live, f.torbjorn)))
    minutes = int(one(stack, "SELECT id FROM minutes WHERE meeting_id = %d" % meeting))
    assert one(stack, "SELECT measure_id FROM minutes_measure WHERE minutes_id = %d" % minutes) == str(measure)
    # A second "first" write is stale.
    r = c.post(minutes_url(f, meeting), urlencode(form))
    assert r.status == 409 and 'id="minutes-conflict"' in r.text, r

    # The guardian comments; an actor too; the leader may not read them.
    kari = as_person(c, stack, "Kari", "Fjelltun")
    page = kari.get(minutes_url(f, meeting))
    assert page.status == 200 and "Språkgruppa fortsetter" in page.text and 'id="comment-text"' in page.text
    assert 'id="decisions"' not in page.text and "referat/godkjenn" not in page.text
    r = kari.post(minutes_url(f, meeting, "/kommentar"), urlencode({"text": "Takk, det stemmer for oss."}))
    assert r.status == 303 and "lagret=referat-kommentar" in r.header("location"), r
    assert kari.post(minutes_url(f, meeting), urlencode(dict(form, version="1"))).status == 403
    leader = as_person(c, stack, "Torbjørn", "Vik")
    assert leader.get(minutes_url(f, meeting)).status == 403

    # Approved: locked. A change is refused with 409 and the page says what to do.
    r = c.post(minutes_url(f, meeting, "/godkjenn"), urlencode({"version": "1"}))
    assert r.status == 303 and r.header("location") == minutes_url(f, meeting, "?lagret=referat-godkjent"), r
    changed = [(k, "Noe annet" if k == "decisions" else ("2" if k == "version" else v)) for k, v in form]
    r = c.post(minutes_url(f, meeting), urlencode(changed))
    assert r.status == 409 and 'id="minutes-locked"' in r.text, r
    assert "legger du til en rettelse nedenfor" in r.text
    assert one(stack, "SELECT decisions FROM minutes WHERE id = %d" % minutes).startswith("Språkgruppa")
    assert c.post(minutes_url(f, meeting, "/godkjenn"), urlencode({"version": "2"})).status == 409
    # The correction is a new entry, the holder's.
    assert kari.post(minutes_url(f, meeting, "/rettelse"), urlencode({"text": "Feil"})).status == 403
    r = c.post(minutes_url(f, meeting, "/rettelse"), urlencode({"text": "Neste møte er etter vinterferien."}))
    assert r.status == 303 and "lagret=referat-rettelse" in r.header("location"), r
    assert one(stack, "SELECT GROUP_CONCAT(kind ORDER BY id) FROM minutes_entry WHERE minutes_id = %d"
               % minutes) == "comment,correction"
    page = c.get(minutes_url(f, meeting)).text
    assert 'id="minutes-approved"' in page and "Neste møte er etter vinterferien." in page
    assert "Takk, det stemmer for oss." in page and 'id="decisions"' not in page

    # The log page lists it as held with approved minutes; the plain page says what was decided.
    log_page = c.get("/logg/%d" % f.log).text
    item = re.search(r'<li id="meeting-%d">(.*?)</li>' % meeting, log_page, re.S)
    assert item and "referatet er godkjent" in item.group(1), item and item.group(1)
    assert 'id="meetings-held"' in log_page
    plain = kari.get("/logg/%d/enkel" % f.log).text
    item = re.search(r'<li id="enkel-mote-%d">(.*?)</li>\n' % meeting, plain, re.S)
    assert item and "Vi møttes" in item.group(1) and "Språkgruppa fortsetter" in item.group(1), plain[-4000:]
    assert "Språkgruppe to ganger i uka" in item.group(1)  # the measure agreed
    sentences = [h[1] for h in history(c.get("/logg/%d/historikk" % f.log).text)]
    for s in ("Marte Haugland skrev referatet fra et møte", "Kari Fjelltun kommenterte referatet fra et møte",
              "Marte Haugland la til en rettelse i det godkjente referatet fra et møte"):
        assert s in sentences, (s, sentences)
    assert any(s.startswith("Marte Haugland godkjente referatet fra møtet ") and s.endswith(": det er låst")
               for s in sentences), sentences


def test_a_coming_meeting_is_on_the_log_page_and_in_plain_words(c, stack):
    f = setup(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    assert 'id="plan-meeting"' in c.get("/logg/%d" % f.log).text
    meeting = plan(c, f, date="2027-09-14", time="13:15")
    item = re.search(r'<li id="meeting-%d">(.*?)</li>' % meeting, c.get("/logg/%d" % f.log).text, re.S)
    assert item and "14. september 2027 kl. 13.15" in item.group(1), item
    live = as_person(c, stack, "Live", "Mo")
    page = live.get("/logg/%d" % f.log).text
    assert 'id="meeting-%d"' % meeting in page and 'id="plan-meeting"' not in page
    plain = live.get("/logg/%d/enkel" % f.log).text
    assert re.search(r'id="enkel-mote-%d"><p>Vi møtes <time>14\. september 2027 kl\. 13\.15</time>' % meeting, plain)
    shown = live.get("/logg/%d/mote/%d" % (f.log, meeting))
    assert shown.status == 200 and "Hvordan det går med språket" in shown.text
    assert 'action="/logg/%d/mote/%d/avlys"' % (f.log, meeting) not in shown.text


def nordheim_kari(c, stack):
    """Kari Fjelltun's number logged in to Nordheim, where she is registered
    too (as in test_messages.py)."""
    if one(stack, "SELECT COUNT(*) FROM person p JOIN municipality m ON m.id = p.municipality_id"
                  " WHERE m.slug = 'nordheim' AND p.family_name = 'Fjelltun-Nordheim'") == "0":
        r = subprocess.run([os.path.join(stack.build_dir(), "tools", "stafett-admin"), "administrator", "nordheim",
                            "Kari", "Fjelltun-Nordheim"], input=stack.pid("Kari", "Fjelltun") + "\n", env=stack.env,
                           capture_output=True, text=True)
        assert r.returncode == 0 or "already" in r.stderr, r.stderr
    other = fresh(c)
    r, _ = login(other, stack, stack.pid("Kari", "Fjelltun"), slug="nordheim")
    assert r.status == 303, r
    return other


def test_who_may_not_plan_move_or_write_minutes_is_refused(c, stack):
    f = setup(stack)
    login(c, stack, stack.pid("Marte", "Haugland"))
    meeting = plan(c, f, people=(f.kari, f.live))
    held = plan(c, f, people=(f.kari,))
    stack.sql("UPDATE meeting SET starts_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE id = %d" % held)
    version = version_of(stack, meeting)
    move = urlencode({"version": version, "date": "2027-06-01", "time": "09:00", "length": "60", "place": "Her",
                      "video_url": "", "agenda": ""})
    minutes = urlencode({"version": "0", "decisions": "Noe"})
    people = [("Live", "Mo", True), ("Kari", "Fjelltun", True), ("Torbjørn", "Vik", False),
              ("Ingrid", "Solberg", False)]
    clients = [(as_person(c, stack, g, fam), g, reads) for g, fam, reads in people]
    clients.append((nordheim_kari(c, stack), "Kari i Nordheim", False))
    for them, who, reads in clients:
        denied = audit_count(stack, "log_id = %d AND outcome = 'deny'" % f.log)
        assert them.get("/logg/%d/mote" % f.log).status == 403, who
        assert them.post("/logg/%d/mote" % f.log, plan_form(f)).status == 403, who
        assert them.post("/logg/%d/mote/%d" % (f.log, meeting), move).status == 403, who
        assert them.post("/logg/%d/mote/%d/avlys" % (f.log, meeting), urlencode({"version": version})).status == 403
        assert them.post(minutes_url(f, held), minutes).status == 403, who
        shown = them.get("/logg/%d/mote/%d" % (f.log, meeting))
        assert shown.status == (200 if reads else 403), (who, shown)
        assert (shown.status == 200) or "Hvordan det går" not in shown.text
        assert audit_count(stack, "log_id = %d AND outcome = 'deny'" % f.log) == denied + 5 + (not reads), who
    assert one(stack, "SELECT COUNT(*) FROM meeting WHERE log_id = %d" % f.log) == "2"
    assert version_of(stack, meeting) == version
    assert one(stack, "SELECT COUNT(*) FROM minutes WHERE log_id = %d" % f.log) == "0"


def test_a_deleted_draft_takes_its_meetings(c, stack):
    from log_helpers import create_log
    login(c, stack, stack.pid("Marte", "Haugland"))
    log, fields = create_log(c, stack)
    f = type("F", (), {})()
    f.log, f.child_name = log, fields["subject_given_name"]
    guardian = int(one(stack, "SELECT person_id FROM log_guardian WHERE log_id = %d ORDER BY person_id LIMIT 1"
                       % log))
    meeting = plan(c, f, people=(guardian,))
    assert one(stack, "SELECT COUNT(*) FROM outbox WHERE log_id = %d AND kind = 'meeting_planned'" % log) != "0"
    page = c.get("/logg/%d/slett" % log).text
    m = re.search(r'<form method="post" action="(/logg/\d+/slett)">(.*?)</form>', page, re.S)
    assert m, page[:3000]
    r = c.post(m.group(1), urlencode(dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                                                     m.group(2)))))
    assert r.status == 303, (r, page[:500])
    assert one(stack, "SELECT COUNT(*) FROM meeting WHERE id = %d" % meeting) == "0"
    assert one(stack, "SELECT COUNT(*) FROM meeting_participant WHERE meeting_id = %d" % meeting) == "0"


def test_the_young_person_is_invited_without_their_name(c, stack):
    """A young person above the consent age reads their own log and may be
    invited; their invitation and every calendar name them by address alone
    (whoever else reads that inbox or calendar learns nothing of whom the
    log is about)."""
    f = setup(stack)
    youth_address = "ung-%s@fjordvik.example" % f.sfx
    stack.sql("UPDATE person SET birth_date = '2006-02-02', email = '%s' WHERE id = %d" % (youth_address, f.child))
    stack.sql("UPDATE log SET subject_kind = 'youth' WHERE id = %d" % f.log)
    login(c, stack, stack.pid("Marte", "Haugland"))
    assert 'id="people-%d"' % f.child in c.get("/logg/%d/mote" % f.log).text
    since = len(stack.mails())
    meeting = plan(c, f, people=(f.child, f.kari))
    got = meeting_mails(stack, since, "meeting-%d@" % meeting, 3)
    [(mail, text, _)] = [g for g in got if g[0].to == youth_address]
    assert re.match(r"Hei,\s", mail.text), repr(mail.text[:200])
    for _, text, _ in got:
        [attendee] = [p for p in parse_ics(text)["VEVENT"] if p[0] == "ATTENDEE" and p[2] == "mailto:" + youth_address]
        assert "CN" not in attendee[1], attendee
        assert "Testbarn" not in text and "Målesen" not in text
