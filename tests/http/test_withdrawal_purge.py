"""test_withdrawal_purge.py — withdrawal that deletes (issue 15, SECURITY.md
A8 item 71): a full log made through the pages (an uploaded consent form,
concern, goal, measure, note, message, a meeting with minutes) whose consent
a guardian withdraws; the archive job delivers its copy, the development
archive (tools/archive-sink) acknowledges it, and the log is deleted
(lib/logpurge.c). Then every text and binary column of every table (as the
database administrator, through information_schema) and every file under
the stack's data folder (the database's files, encrypted at rest by
tools/stack; the logs; temporary files; the mail the development SMTP
server kept) is searched for the child's name and identity number and a
guardian's: only the delivered archive copy holds them. The guardian's own
name is in the mail sent to them (in production it has left for their
mailbox); the child's never is. With the archive's folder unwritable,
nothing is deleted and the holder and the guardian are told why."""
import os
import re
import stat
import subprocess
import time
from urllib.parse import urlencode

from harness import login, synthetic_nin
from log_helpers import add_goal, add_measure, create_log, fresh, one, unit_id
from test_consent import PDF, paper, today
from test_meetings import plan_form


class Log:
    pass


def person_of(stack, log, given):
    return int(one(stack, "SELECT p.id FROM log_guardian g JOIN person p ON p.id = g.person_id"
                          " WHERE g.log_id = %d AND p.given_name = '%s'" % (log, given)))


def as_nin(c, stack, nin):
    b = fresh(c)
    r, _ = login(b, stack, nin)
    assert r.status == 303, r
    return b


def consented_log(c, stack):
    """A log created by Marte Haugland through /logg/ny for a new child with
    two new guardians: the first's signed form uploaded by the holder (a PDF
    that names the child), the second's consent given digitally, both
    consenting to the health station, where Live Mo is an actor."""
    f = Log()
    f.stack = stack
    f.holder = fresh(c)
    login(f.holder, stack, stack.pid("Marte", "Haugland"))
    f.log, form = create_log(f.holder, stack, subject_nin=synthetic_nin(2019, 2020))
    f.child_name = "%s %s" % (form["subject_given_name"], form["subject_family_name"])
    f.child, f.child_nin = form["subject_given_name"], form["subject_nin"]
    f.g1_name, f.g1_nin, f.g2_nin = form["g1_given_name"], form["g1_nin"], form["g2_nin"]
    f.g1 = person_of(stack, f.log, f.g1_name)
    f.g2 = person_of(stack, f.log, form["g2_given_name"])
    f.child_id = int(one(stack, "SELECT subject_person_id FROM log WHERE id = %d" % f.log))
    f.muni = int(one(stack, "SELECT id FROM municipality WHERE slug = 'fjordvik'"))
    f.health = unit_id(stack, "Fjordvik helsestasjon")
    f.live = int(one(stack, "SELECT id FROM person WHERE given_name = 'Live' AND family_name = 'Mo'"))
    signed = PDF.replace(b"endobj\n", b"endobj\n% Samtykke for " + f.child_name.encode() + b"\n")
    r = paper(f.holder, f.log, {"person": f.g1, "kind": "establish", "given_at": today(stack)}, data=signed)
    assert r.status == 303, (r, r.text[:2000])
    f.g1c, f.g2c = as_nin(c, stack, f.g1_nin), as_nin(c, stack, f.g2_nin)
    assert f.g2c.post("/logg/%d/samtykke/digital" % f.log, "kind=establish").status == 303
    for g in (f.g1c, f.g2c):
        r = g.post("/logg/%d/samtykke/digital" % f.log, "kind=cooperate&unit=%d" % f.health)
        assert r.status == 303, r
    assert one(stack, "SELECT state FROM log WHERE id = %d" % f.log) == "active"
    stack.sql("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id) VALUES (%d, %d, %d, %d)"
              % (f.muni, f.log, f.live, f.health))
    return f


def fill(f):
    """Everything a log holds, written through the pages, the child named in each."""
    stack, h, name = f.stack, f.holder, f.child_name
    r = h.post("/logg/%d/rediger/bekymring" % f.log,
               urlencode({"title": "Språket til %s" % name, "description": "%s sier få ord" % name}))
    assert r.status == 303, (r, r.text[:2000])
    f.concern = int(one(stack, "SELECT MAX(id) FROM concern WHERE log_id = %d" % f.log))
    goal = add_goal(h, f, text="%s skal bruke flere ord" % name)
    measure = add_measure(h, f, goal, f.live, f.health, description="Språkgruppe for %s" % name)
    r = f.g2c.post("/logg/%d/notat" % f.log, urlencode({"text": "%s sa sitt første ord!" % name, "glimpse": "1"}))
    assert r.status == 303, r
    r = f.g1c.post("/logg/%d/meldinger" % f.log, urlencode({"text": "Hei! %s har det fint nå." % name}))
    assert r.status == 303, r
    r = h.post("/logg/%d/mote" % f.log, plan_form(f, people=(f.g1, f.live)))
    assert r.status == 303, (r, r.text[:2000])
    meeting = int(re.search(r"/mote/(\d+)", r.header("location")).group(1))
    stack.sql("UPDATE meeting SET starts_at = UTC_TIMESTAMP() - INTERVAL 2 HOUR WHERE id = %d" % meeting)
    r = h.post("/logg/%d/mote/%d/referat" % (f.log, meeting), urlencode([
        ("version", "0"), ("attended", str(f.g1)), ("attended", str(f.live)), ("child_took_part", "1"),
        ("guardians_took_part", "1"), ("decisions", "%s fortsetter i språkgruppa." % name),
        ("measures", str(measure)), ("next_meeting", "Etter påske")]))
    assert r.status == 303, (r, r.text[:2000])
    for table in ("document", "consent", "concern", "goal", "measure", "note", "message", "meeting", "minutes",
                  "log_history", "log_guardian", "log_actor"):
        assert int(one(stack, "SELECT COUNT(*) FROM %s WHERE log_id = %d" % (table, f.log))) > 0, table


def withdraw(f):
    r = f.g1c.post("/logg/%d/samtykke/trekk" % f.log, "kind=establish")
    assert r.status == 303, (r, r.text[:2000])


def wait_for(what, timeout=120, interval=0.5):
    end = time.time() + timeout
    while time.time() < end:
        v = what()
        if v:
            return v
        time.sleep(interval)
    return what()


def record_state(stack, log):
    return one(stack, "SELECT CONCAT_WS(' ', state, last_error, attempts) FROM archive_record"
                      " WHERE log_id = %d AND kind = 'withdrawn' ORDER BY id DESC LIMIT 1" % log)


TEXT_TYPES = ("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "binary", "varbinary",
              "tinyblob", "blob", "mediumblob", "longblob", "json", "enum", "set")


def tables_holding(stack, needles):
    """Every (table.column, needle) where a row's value holds the needle's bytes."""
    cols = [line.split("\t") for line in stack.sql(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = DATABASE()"
        " AND data_type IN (%s) ORDER BY table_name, ordinal_position"
        % ", ".join("'%s'" % t for t in TEXT_TYPES)).splitlines()]
    assert len(cols) > 50, cols
    parts = []
    for table, column in cols:
        for i, needle in enumerate(needles):
            hexed = needle.encode().hex()
            parts.append("SELECT '%s.%s', %d FROM `%s` WHERE INSTR(CAST(`%s` AS BINARY), UNHEX('%s')) > 0 LIMIT 1"
                         % (table, column, i, table, column, hexed))
    found = []
    for k in range(0, len(parts), 200):
        out = stack.sql(" UNION ALL ".join("(%s)" % p for p in parts[k:k + 200]))
        found += [(line.split("\t")[0], needles[int(line.split("\t")[1])]) for line in out.splitlines()]
    return found


def files_holding(root, needles, skip=()):
    """Every (path, needle) of a file under root (but skip) holding a needle's bytes."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip]
        for name in files:
            path = os.path.join(folder, name)
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    continue
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError:
                continue
            found += [(os.path.relpath(path, root), n) for n in needles if n.encode() in data]
    return found


def test_a_withdrawn_log_is_deleted_once_archived_and_nothing_but_the_archive_holds_it(c, stack):
    f = consented_log(c, stack)
    fill(f)
    withdraw(f)
    gone = wait_for(lambda: one(stack, "SELECT COUNT(*) FROM log WHERE id = %d" % f.log) == "0")
    assert gone, "not deleted: the withdrawn record is %r" % record_state(stack, f.log)
    # The tombstone names the archive's copy; the record is acknowledged.
    assert one(stack, "SELECT CONCAT_WS(' ', t.reason, t.archive_reference = a.archive_reference, a.state)"
                      " FROM log_tombstone t JOIN archive_record a ON a.id = t.archive_record_id"
                      " WHERE t.log_id = %d" % f.log) == "withdrawn 1 acknowledged"
    # The child and both guardians (no other log) are gone, the one who withdrew too: the
    # archive record that named her as who caused it names nobody now; the staff stay.
    assert one(stack, "SELECT COUNT(*) FROM person WHERE id IN (%d, %d, %d)" % (f.child_id, f.g1, f.g2)) == "0"
    assert one(stack, "SELECT COUNT(*) FROM archive_record WHERE log_id = %d AND caused_by IS NOT NULL"
               % f.log) == "0"
    assert one(stack, "SELECT COUNT(*) FROM person WHERE id = %d" % f.live) == "1"
    # The trail stays whole.
    r = stack.admin("verify-audit")
    assert r.returncode == 0 and "intact" in r.stdout, (r.stdout, r.stderr)
    assert int(one(stack, "SELECT COUNT(*) FROM audit_log WHERE log_id = %d AND action = 'log.purge'" % f.log)) == 1

    child = [f.child_name, f.child, f.child_nin]
    guardian = [f.g1_name, f.g1_nin, f.g2_nin]
    # Every column of every table.
    assert tables_holding(stack, child + guardian) == []
    # Every file under the data folder but the archive's: the database's
    # files (encrypted at rest), the logs, temporary files, the mail.
    archive = os.path.join(stack.dir, "archive")
    mail = os.path.join(stack.dir, "mail")
    assert files_holding(stack.dir, child + guardian, skip=(archive, mail)) == []
    # The mail went to the guardians (their names, never the child's).
    assert files_holding(mail, child + [f.g1_nin, f.g2_nin]) == []
    # The delivered archive copy is where the log is now.
    assert _pdf_names(archive, f.child_name), os.listdir(os.path.join(archive, "fjordvik"))


def _pdf_names(folder, name):
    """The PDF/A holds its text compressed: pdftotext finds the child's name in one."""
    for root, _, files in os.walk(folder):
        for n in files:
            if n.endswith(".pdf"):
                out = subprocess.run(["pdftotext", os.path.join(root, n), "-"], capture_output=True, text=True)
                if name in out.stdout:
                    return True
    return False


def unwritable(folder):
    """The archive's folder made unwritable: 0500, or for root (whom modes
    do not stop) a file where the folder was."""
    if os.geteuid() != 0:
        os.chmod(folder, 0o500)
        return
    os.rename(folder, folder + ".away")
    with open(folder, "w") as fh:
        fh.write("not a folder\n")


def writable(folder):
    if os.geteuid() != 0:
        os.chmod(folder, 0o700)
        return
    os.unlink(folder)
    os.rename(folder + ".away", folder)


def test_with_the_archive_unwritable_nothing_is_deleted_and_the_page_says_why(c, stack):
    f = consented_log(c, stack)
    r = f.g1c.post("/logg/%d/meldinger" % f.log, urlencode({"text": "Hei fra %s" % f.g1_name}))
    assert r.status == 303, r
    folder = os.path.join(stack.dir, "archive", "fjordvik")
    unwritable(folder)
    try:
        withdraw(f)
        failed = wait_for(lambda: len(record_state(stack, f.log).split()) == 3, 60)
        assert failed, record_state(stack, f.log)
        # Nothing is deleted.
        assert one(stack, "SELECT COUNT(*) FROM log WHERE id = %d" % f.log) == "1"
        assert one(stack, "SELECT COUNT(*) FROM message WHERE log_id = %d" % f.log) == "1"
        assert one(stack, "SELECT COUNT(*) FROM person WHERE id IN (%d, %d, %d)" % (f.child_id, f.g1, f.g2)) == "3"
        assert one(stack, "SELECT COUNT(*) FROM log_tombstone WHERE log_id = %d" % f.log) == "0"
        # The holder sees why on the log page, the guardian on their own page.
        page = f.holder.get("/logg/%d" % f.log)
        assert page.status == 200 and 'id="purge-wait"' in page.text, page
        said = re.search(r'id="purge-wait">([^<]*)<', page.text).group(1)
        assert "slettes" in said and "arkiv" in said, said
        mine = f.g1c.get("/min-side")
        assert mine.status == 200 and 'id="purge-wait-%d"' % f.log in mine.text, mine.text[:3000]
        theirs = re.search(r'id="purge-wait-%d">([^<]*)<' % f.log, mine.text).group(1)
        assert theirs == said, (theirs, said)
    finally:
        writable(folder)
    # Once the archive can take it, the log goes.
    assert wait_for(lambda: one(stack, "SELECT COUNT(*) FROM log WHERE id = %d" % f.log) == "0"), \
        record_state(stack, f.log)
