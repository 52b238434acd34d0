"""test_log_delete.py — a draft deleted by the staff member who created it
(cgi-bin/log_delete.c, /logg/ID/slett; lib/logbook.c logbook_delete_draft):
a page of its own that says what goes, then everything of the log goes (its
rows in every table that has a log_id, the people who were only in it),
while a guardian who is a person elsewhere stays and the audit trail keeps
its rows (they name no one); the creator lands on their page, told what was
done; a second submit goes there too. Refused, and audited, for everyone
else: another staff member, a holder who did not create it, a guardian, the
unit's leader, the administrator; and for the creator once the log is no
longer a draft."""
import re
from urllib.parse import urlencode

from harness import login
from log_helpers import HOLDER, as_person, audit_count, create_log, demo_person, fresh, login_holder, make_active, one

SAVED = re.compile(r'<div class="ds-alert" data-color="success" role="status">(.*?)</div>', re.S)


def tables_with_log_id(stack):
    return one(stack, "SELECT GROUP_CONCAT(table_name) FROM information_schema.columns"
               " WHERE table_schema = DATABASE() AND column_name = 'log_id'").split(",")


def rows_of(stack, log_id):
    """{table: rows} of every table with a log_id column (and log itself) that holds a row of the log."""
    out = {}
    for t in tables_with_log_id(stack) + ["log"]:
        col = "id" if t == "log" else "log_id"
        n = int(one(stack, "SELECT COUNT(*) FROM `%s` WHERE %s = %d" % (t, col, log_id)))
        if n:
            out[t] = n
    return out


def delete_form(page):
    m = re.search(r'<form method="post" action="(/logg/\d+/slett)">(.*?)</form>', page, re.S)
    assert m, page[:3000]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', m.group(2)))
    return m.group(1), urlencode(fields)


def test_the_creator_deletes_a_draft_and_nothing_of_it_is_left_but_the_audit_trail(c, stack):
    login_holder(c, stack)
    kari_nin = stack.pid("Kari", "Fjelltun")  # a guardian of another log: a person elsewhere
    log_id, f = create_log(c, stack, g2_nin=kari_nin, g2_given_name="Kari", g2_family_name="Fjelltun")
    kari = demo_person(stack, "Kari", "Fjelltun")
    subject = int(one(stack, "SELECT subject_person_id FROM log WHERE id = %d" % log_id))
    mother = int(one(stack, "SELECT person_id FROM log_guardian WHERE log_id = %d AND person_id <> %d"
                     % (log_id, kari)))
    # Some contents: a concern, a note, Kari's own consent (the other's is
    # missing, so it stays a draft).
    assert c.post("/logg/%d/rediger/bekymring" % log_id, urlencode({"title": "Søvn"})).status == 303
    assert c.post("/logg/%d/notat" % log_id, urlencode({"text": "Første møte holdt"})).status == 303
    stack.sql("INSERT INTO consent (municipality_id, log_id, kind, person_id, method, given_at, valid_until,"
              " recorded_by) SELECT municipality_id, id, 'establish', %d, 'digital', CURRENT_DATE,"
              " CURRENT_DATE + INTERVAL 1 YEAR, %d FROM log WHERE id = %d" % (kari, kari, log_id))
    k = as_person(c, stack, "Kari", "Fjelltun")
    assert one(stack, "SELECT state FROM log WHERE id = %d" % log_id) == "draft"
    before = rows_of(stack, log_id)
    assert {"log", "log_guardian", "concern", "note", "consent", "log_history"} <= set(before), before
    # The log page offers it to the creator, on a page of its own.
    view = c.get("/logg/%d" % log_id).text
    assert 'href="/logg/%d/slett"' % log_id in view, view
    page = c.get("/logg/%d/slett" % log_id)
    assert page.status == 200, page
    name = "%s %s" % (f["subject_given_name"], f["subject_family_name"])
    assert "Du er i ferd med å slette utkastet til loggen om %s" % name in page.text, page.text
    assert re.search(r'<button[^>]*type="submit"[^>]*>Slett utkastet</button>', page.text), page.text
    assert re.search(r'<a[^>]*href="/logg/%d"[^>]*>Avbryt</a>' % log_id, page.text), page.text
    def contents(rows):
        return {t: n for t, n in rows.items() if not t.startswith("audit_")}
    assert contents(rows_of(stack, log_id)) == contents(before)  # looking changes nothing (but is audited)
    action, body = delete_form(page.text)
    first = c.post(action, body)
    again = c.post(action, body)  # a double click
    assert first.status == 303 and first.header("location") == "/min-side?lagret=slettet", first
    assert again.status == 303 and again.header("location") == "/min-side?lagret=slettet", again
    home = c.get("/min-side?lagret=slettet").text
    m = SAVED.search(home)
    assert m and "Utkastet er slettet." in m.group(1), home[:3000]
    assert 'href="/logg/%d"' % log_id not in home
    # Nothing of the log in any table but the audit trail's.
    left = rows_of(stack, log_id)
    assert set(left) <= {"audit_log", "audit_log_item"} and left.get("audit_log"), left
    # The child and the new guardian were only in this log: gone. Kari stays.
    assert one(stack, "SELECT COUNT(*) FROM person WHERE id IN (%d, %d)" % (subject, mother)) == "0"
    assert one(stack, "SELECT COUNT(*) FROM person WHERE id = %d" % kari) == "1"
    assert k.get("/min-side").status == 200
    # The audit trail says who deleted it, once, and holds no name.
    holder = demo_person(stack, *HOLDER)
    assert audit_count(stack, "action = 'log.delete' AND log_id = %d AND person_id = %d AND outcome = 'allow'"
                       " AND detail IS NULL" % (log_id, holder)) == 1
    assert one(stack, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%%%s%%'" % f["subject_given_name"]) == "0"
    # The log is now like any log that does not exist.
    assert c.get("/logg/%d" % log_id).status == 403
    assert c.get("/logg/%d/slett" % log_id).status == 403


def test_only_the_creator_may_delete_and_only_a_draft(c, stack):
    login_holder(c, stack)
    log_id, f = create_log(c, stack)
    others = [("Eirik", "Brekke"),  # staff of another unit, cleared
              ("Torbjørn", "Vik"),  # the leader of the log's unit
              ("Ingrid", "Solberg")]  # the administrator
    for given, family in others:
        them = as_person(c, stack, given, family)
        pid = demo_person(stack, given, family)
        denials = audit_count(stack, "action LIKE 'log.delete%%' AND log_id = %d AND person_id = %d"
                              " AND outcome = 'deny'" % (log_id, pid))
        assert them.get("/logg/%d/slett" % log_id).status == 403, given
        assert them.post("/logg/%d/slett" % log_id, "").status == 403, given
        assert audit_count(stack, "action LIKE 'log.delete%%' AND log_id = %d AND person_id = %d"
                           " AND outcome = 'deny'" % (log_id, pid)) == denials + 2, given
    # A guardian of the draft reads it, and that is all.
    guardian = fresh(c)
    r, _ = login(guardian, stack, f["g1_nin"])
    assert r.status == 303, r
    view = guardian.get("/logg/%d" % log_id)
    assert view.status == 200 and 'href="/logg/%d/slett"' % log_id not in view.text, view
    assert guardian.get("/logg/%d/slett" % log_id).status == 403
    assert guardian.post("/logg/%d/slett" % log_id, "").status == 403
    assert one(stack, "SELECT state FROM log WHERE id = %d" % log_id) == "draft"
    # A holder who did not create it: the log handed to Hanne Lien.
    hanne = demo_person(stack, "Hanne", "Lien")
    stack.sql("UPDATE log SET holder_person_id = %d WHERE id = %d" % (hanne, log_id))
    h = as_person(c, stack, "Hanne", "Lien")
    assert h.get("/logg/%d" % log_id).status == 200
    assert 'href="/logg/%d/slett"' % log_id not in h.get("/logg/%d" % log_id).text
    assert h.post("/logg/%d/slett" % log_id, "").status == 403
    # Nor its creator, while another holds it.
    assert c.post("/logg/%d/slett" % log_id, "").status == 403
    holder = demo_person(stack, *HOLDER)
    stack.sql("UPDATE log SET holder_person_id = %d WHERE id = %d" % (holder, log_id))
    # Once it is no longer a draft, not even its creator.
    make_active(stack, log_id)
    assert 'href="/logg/%d/slett"' % log_id not in c.get("/logg/%d" % log_id).text
    assert c.get("/logg/%d/slett" % log_id).status == 403
    assert c.post("/logg/%d/slett" % log_id, "").status == 403
    assert one(stack, "SELECT COUNT(*) FROM log WHERE id = %d" % log_id) == "1"
