"""test_sessions.py — "your sessions" (cgi-bin/sessions.c): a person sees
where they are logged in and ends the sessions they do not recognise, and
only their own; the times in Oslo time."""
import datetime
import re
import zoneinfo

from harness import Client, login

HANDLE = re.compile(r'name="handle" value="([0-9a-f]{16})"')


def browser(c):
    return Client((c.host, c.port), c.name)


def test_see_and_end_another_session(c, stack):
    pid = stack.pid("Per", "Fjelltun")
    laptop, phone = c, browser(c)
    login(laptop, stack, pid)
    login(phone, stack, pid)
    r = laptop.get("/okter")
    assert r.status == 200 and "Avslutt alle andre økter" in r.text, r.text
    handles = HANDLE.findall(r.text)
    assert len(handles) >= 1, r.text
    before = int(stack.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'session.end'"))
    # The phone's session is one of the others; end them one by one until it is gone.
    for h in handles:
        assert laptop.post("/okter/avslutt", "handle=" + h).status == 303
    assert phone.get("/min-side").status == 303  # the phone is logged out
    assert laptop.get("/min-side").status == 200  # this session stays
    assert int(stack.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'session.end'")) > before


def test_end_all_others_and_never_someone_elses(c, stack):
    kari, kari2, per = c, browser(c), browser(c)
    login(kari, stack, stack.pid("Kari", "Fjelltun"))
    login(kari2, stack, stack.pid("Kari", "Fjelltun"))
    login(per, stack, stack.pid("Per", "Fjelltun"))
    # Per's session handle, typed into Kari's form, ends nothing.
    per_handle = stack.sql("SELECT LOWER(LEFT(HEX(id_hash), 16)) FROM session WHERE id_hash = UNHEX(SHA2('%s', 256))"
                           % per.cookies["stafett"]).strip()
    assert kari.post("/okter/avslutt", "handle=" + per_handle).status == 303
    assert per.get("/min-side").status == 200
    assert kari.post("/okter/avslutt", "handle=others").status == 303
    assert kari2.get("/min-side").status == 303
    assert kari.get("/min-side").status == 200 and per.get("/min-side").status == 200
    # Malformed handles are a bad request, not an error.
    assert kari.post("/okter/avslutt", "handle=zz%27%20OR%201").status == 303
    assert kari.post("/okter/avslutt", "handle=" + "a" * 40).status == 400


def test_anonymous_has_no_sessions_page(c):
    assert c.get("/okter").status == 303


def test_sessions_show_oslo_time(c, stack):
    """When each session began and was last used, in Oslo's time (Python's
    own tzdata says what the clock showed); no "UTC" left on the page."""
    login(c, stack, stack.pid("Per", "Fjelltun"))
    r = c.get("/okter")
    assert r.status == 200, r
    began = stack.sql("SELECT DATE_FORMAT(created_at, '%%Y-%%m-%%d %%H:%%i') FROM session"
                      " WHERE id_hash = UNHEX(SHA2('%s', 256))" % c.cookies["stafett"]).strip()
    utc = datetime.datetime.strptime(began, "%Y-%m-%d %H:%M").replace(tzinfo=datetime.timezone.utc)
    oslo = utc.astimezone(zoneinfo.ZoneInfo("Europe/Oslo"))
    assert re.search(r"<td[^>]*>%s</td>" % re.escape(oslo.strftime("%d.%m.%Y kl. %H.%M")), r.text), (oslo, r.text)
    assert "UTC" not in r.text and began not in r.text
    c.cookies["lang"] = "en"
    assert re.search(r"<td[^>]*>%s</td>" % re.escape(oslo.strftime("%d/%m/%Y %H:%M")), c.get("/okter").text)
