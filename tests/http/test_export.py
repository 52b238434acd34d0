"""test_export.py — the open export (cgi-bin/export.c, GET
/logg/ID/eksport.json; lib/logdoc.c) and the importer (tools/stafett-import,
lib/logimport.c): the holder and a guardian download the whole log as JSON
valid against docs/log-export.schema.json, as an attachment with our name,
never cached; an actor, a leader, the administrator, a guardian of another
child and another municipality's staff are refused and it is audited; a
person's downloads are limited per hour; and a full log exported, imported
into a second database (another installation: its own keys) and exported
there is the same file, byte for byte. Logs made through /logg/ny
(log_helpers.create_log), goals and measures through their pages, the rest
of a full log written into the database."""
import json
import os
import secrets
import subprocess

from harness import ROOT, login
from log_helpers import (add_goal, add_measure, as_person, audit_count, create_log, demo_person, fresh,
                         login_holder, make_active, one, unit_id)

SCHEMA = os.path.join(ROOT, "docs", "log-export.schema.json")


class Fixture:
    pass


# Checks a document (stdin) against the schema (argv[1]); prints the errors.
CHECK = """
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
for e in jsonschema.Draft202012Validator(schema).iter_errors(json.load(sys.stdin)):
    print(e.message + " at " + "/".join(map(str, e.path)))
"""


def validate(doc):
    """Checks doc against the published schema with Debian's python3-jsonschema
    (under the system Python, where Debian installs it)."""
    r = subprocess.run(["/usr/bin/python3", "-c", CHECK, SCHEMA], input=json.dumps(doc), capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0 and not r.stdout.strip(), (r.stdout[:2000], r.stderr[-2000:])


def q(s):
    return s.replace("'", "''")


def full_log(c, stack):
    """An active log with a goal and two measures (made through the pages),
    an evaluation, a meeting with approved minutes and a comment, an
    agreement in two versions, a note and a glimpse of light, a message, a
    consent with its services, an actor, a state request and a declined
    handover; Norwegian letters throughout."""
    f = Fixture()
    holder = login_holder(fresh(c), stack)
    f.log, f.form = create_log(holder, stack, subject_given_name="Åsmund-%s" % secrets.token_hex(2),
                               subject_family_name="Bjørkæsen")
    make_active(stack, f.log)
    f.holder_client = holder
    f.child = "%s %s" % (f.form["subject_given_name"], f.form["subject_family_name"])
    m = f.muni = int(one(stack, "SELECT id FROM municipality WHERE slug = 'fjordvik'"))
    h = f.holder = demo_person(stack, "Marte", "Haugland")
    kg, ppt = unit_id(stack, "Solsikken barnehage"), unit_id(stack, "PPT Fjordvik")
    nils = demo_person(stack, "Nils", "Dahle")
    g1 = int(one(stack, "SELECT person_id FROM log_guardian WHERE log_id = %d ORDER BY id LIMIT 1" % f.log))
    L = f.log
    stack.sql("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until)"
              " VALUES (%d, %d, %d, CURRENT_DATE + INTERVAL 365 DAY)" % (m, L, ppt))
    cons = int(one(stack, "INSERT INTO consent (municipality_id, log_id, kind, person_id, method, given_at,"
                          " valid_until, recorded_by) VALUES (%d, %d, 'cooperate', %d, 'digital', CURRENT_DATE,"
                          " CURRENT_DATE + INTERVAL 365 DAY, %d) RETURNING id" % (m, L, g1, g1)))
    stack.sql("INSERT INTO consent_scope (consent_id, unit_id) VALUES (%d, %d), (%d, %d)" % (cons, ppt, cons, kg))
    stack.sql("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id, task) VALUES"
              " (%d, %d, %d, %d, 'Språkkartlegging og råd')" % (m, L, nils, ppt))
    f.concern = int(one(stack, "INSERT INTO concern (municipality_id, log_id, title, description, created_by)"
                               " VALUES (%d, %d, 'Språk og samspill på åpen avdeling', 'Få ord; trekker seg unna.',"
                               " %d) RETURNING id" % (m, L, h)))
    stack.sql("INSERT INTO concern_area (concern_id, area_id) SELECT %d, id FROM development_area"
              " WHERE code IN ('language', 'social') AND municipality_id IS NULL" % f.concern)
    goal = add_goal(holder, f, text="Åsmund bruker flere ord i leken")
    f.measure = "Språkgruppe to ganger i uka, med bildestøtte og sang"
    m1 = add_measure(holder, f, goal, h, kg, description=f.measure)
    m2 = add_measure(holder, f, goal, nils, ppt, description="Kartlegging hos PPT før jul")
    stack.sql("INSERT INTO evaluation (municipality_id, log_id, measure_id, category, text, by_person_id)"
              " VALUES (%d, %d, %d, 'partly', 'Bedre i små grupper; færre ord i store.', %d)" % (m, L, m1, h))
    mt = int(one(stack, "INSERT INTO meeting (municipality_id, log_id, starts_at, minutes, place, agenda,"
                        " created_by) VALUES (%d, %d, '2026-11-20 09:00:00', 60, 'Møterommet på Solsikken',"
                        " 'Oppfølging av språktiltakene', %d) RETURNING id" % (m, L, h)))
    stack.sql("INSERT INTO meeting_participant (meeting_id, person_id, municipality_id, relation, email, attended)"
              " VALUES (%d, %d, %d, 'holder', 'ansatt3@fjordvik.example', TRUE),"
              " (%d, %d, %d, 'guardian', 'mor@fjordvik.example', TRUE), (%d, %d, %d, 'actor', NULL, FALSE)"
              % (mt, h, m, mt, g1, m, mt, nils, m))
    f.decision = "Vedtak: språkgruppa fortsetter til påske; PPT kommer på besøk i januar"
    mr = int(one(stack, "INSERT INTO minutes (municipality_id, log_id, meeting_id, child_took_part,"
                        " guardians_took_part, decisions, next_meeting, approved_at, approved_by, created_by)"
                        " VALUES (%d, %d, %d, TRUE, TRUE, '%s', 'Over nyttår', NOW(3), %d, %d) RETURNING id"
                        % (m, L, mt, q(f.decision), h, h)))
    stack.sql("INSERT INTO minutes_measure (minutes_id, measure_id) VALUES (%d, %d), (%d, %d)" % (mr, m2, mr, m1))
    stack.sql("INSERT INTO minutes_entry (municipality_id, log_id, minutes_id, kind, person_id, text)"
              " VALUES (%d, %d, %d, 'comment', %d, 'Takk, dette stemmer for oss også.')" % (m, L, mr, g1))
    ag = int(one(stack, "INSERT INTO agreement (municipality_id, log_id, created_by, version) VALUES (%d, %d, %d, 2)"
                        " RETURNING id" % (m, L, h)))
    stack.sql("INSERT INTO agreement_version (agreement_id, version, municipality_id, text, parties, agreed_on,"
              " review_on, created_by) VALUES (%d, 1, %d, 'Henting kl. 15 på onsdager', 'Mor og barnehagen',"
              " '2026-11-01', NULL, %d), (%d, 2, %d, 'Henting kl. 14.30 på onsdager og fredager',"
              " 'Mor, far og barnehagen', '2026-11-15', '2027-02-01', %d)" % (ag, m, h, ag, m, h))
    stack.sql("INSERT INTO note (municipality_id, log_id, concern_id, author_person_id, text, glimpse) VALUES"
              " (%d, %d, %d, %d, 'Sang hele «Bæ, bæ, lille lam» i samlingsstunden!', TRUE),"
              " (%d, %d, NULL, %d, 'Mor ønsker å bli ringt før møtene.', FALSE)" % (m, L, f.concern, h, m, L, g1))
    msg = int(one(stack, "INSERT INTO message (municipality_id, log_id, author_person_id, text) VALUES"
                         " (%d, %d, %d, 'Hei! Møtet er flyttet til rom 2 – ønsker dere velkommen.') RETURNING id"
                         % (m, L, h)))
    stack.sql("INSERT INTO message_read (log_id, person_id, municipality_id, last_message_id) VALUES"
              " (%d, %d, %d, %d), (%d, %d, %d, %d)" % (L, h, m, msg, L, g1, m, msg))
    stack.sql("INSERT INTO state_request (municipality_id, log_id, person_id, wanted) VALUES (%d, %d, %d, 'passive')"
              % (m, L, g1))
    live, health = demo_person(stack, "Live", "Mo"), unit_id(stack, "Fjordvik helsestasjon")
    stack.sql("INSERT INTO handover (municipality_id, log_id, from_person_id, from_unit_id, to_person_id, to_unit_id,"
              " to_municipality_id, stay_as_actor, state, decline_reason, answered_at, expires_at) VALUES"
              " (%d, %d, %d, %d, %d, %d, %d, TRUE, 'declined', 'Vi har ikke kapasitet før i vår', NOW(3),"
              " NOW(3) + INTERVAL 14 DAY)" % (m, L, h, kg, live, health, m))
    return f


def test_the_holder_and_a_guardian_download_the_whole_log(c, stack):
    f = full_log(c, stack)
    allowed = audit_count(stack, "log_id = %d AND action = 'log.export' AND outcome = 'allow'" % f.log)
    page = f.holder_client.get("/logg/%d" % f.log)
    assert 'href="/logg/%d/eksport.json"' % f.log in page.text
    for who in (f.holder_client, as_guardian(c, stack, f)):
        r = who.get("/logg/%d/eksport.json" % f.log)
        assert r.status == 200, r
        assert r.header("content-type") == "application/json; charset=utf-8"
        assert r.header("content-disposition") == 'attachment; filename="stafettlogg-%d.json"' % f.log
        assert r.header("cache-control") == "no-store"
        text = r.body.decode("utf-8")
        doc = json.loads(text)
        validate(doc)
        assert doc["log"]["reference"] == f.log and doc["municipality"]["slug"] == "fjordvik"
        child = doc["people"][doc["subject"]["person"]]
        assert "%s %s" % (child["given_name"], child["family_name"]) == f.child
        assert child["nin"] == f.form["subject_nin"]
        assert f.measure in text and f.decision in text and "æ" in text and "ø" in text and "å" in text
        meeting = doc["meetings"][0]
        assert [m for m in meeting["minutes_record"]["measures"]] and len(doc["agreements"][0]["versions"]) == 2
        # No database id: the people are keys, the holder's key is not her id.
        assert doc["holder"]["person"].startswith("p") and doc["subject"]["person"] == "p1"
    assert audit_count(stack, "log_id = %d AND action = 'log.export' AND outcome = 'allow'" % f.log) == allowed + 2
    # The plain-language page offers it to the guardian too.
    assert 'href="/logg/%d/eksport.json"' % f.log in as_guardian(c, stack, f).get("/logg/%d/enkel" % f.log).text


def as_guardian(c, stack, f):
    g = fresh(c)
    r, _ = login(g, stack, f.form["g1_nin"])
    assert r.status == 303, r
    return g


def test_others_are_refused_and_it_is_audited(c, stack):
    f = full_log(c, stack)
    denied = audit_count(stack, "log_id = %d AND action = 'log.export' AND outcome = 'deny'" % f.log)
    # An actor (covered), the kindergarten's leader, the administrator, a
    # guardian of another child, another municipality's staff member.
    people = [("Nils", "Dahle"), ("Torbjørn", "Vik"), ("Ingrid", "Solberg"), ("Kari", "Fjelltun")]
    for given, family in people:
        who = as_person(c, stack, given, family)
        r = who.get("/logg/%d/eksport.json" % f.log)
        assert r.status in (403, 404) and f.child.encode() not in r.body, (given, r)
        assert r.status == 403, (given, r)
        assert 'eksport.json' not in who.get("/logg/%d" % f.log).text
    other = fresh(c)
    login(other, stack, stack.pid("Torunn", "Kvåle"), slug="nordheim")
    r = other.get("/logg/%d/eksport.json" % f.log)
    assert r.status in (403, 404) and f.child.encode() not in r.body, r
    assert audit_count(stack, "log_id = %d AND action = 'log.export' AND outcome = 'deny'" % f.log) >= denied + 4
    # Not logged in: to the front page, nothing of the log.
    r = fresh(c).get("/logg/%d/eksport.json" % f.log)
    assert r.status == 303 and f.child.encode() not in r.body


def test_a_persons_downloads_are_limited_per_hour(c, stack):
    f = full_log(c, stack)
    g = as_guardian(c, stack, f)
    statuses = [g.get("/logg/%d/eksport.json" % f.log).status for _ in range(21)]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429, statuses
    # Another person's downloads are counted apart.
    assert f.holder_client.get("/logg/%d/eksport.json" % f.log).status == 200


class SecondInstallation:
    """A second database on the stack's MariaDB, migrated with
    stafett-admin migrate under a copy of the stack's configuration that
    points at it, with an account and keys of its own, and Fjordvik as a
    municipality there (as another installation would have it)."""

    def __init__(self, stack):
        self.stack = stack
        sfx = secrets.token_hex(3)
        self.name = "stafett_rt_%s" % sfx
        self.user = "stafett_rt_%s" % sfx
        pw = secrets.token_hex(16)
        d = stack.dir
        self.conf = os.path.join(d, "stafett-%s.conf" % sfx)
        keys = os.path.join(d, "keys-%s" % sfx)
        with open(os.open(keys, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as k:
            k.write("aes 1 %s\nhmac %s\n" % (secrets.token_hex(32), secrets.token_hex(32)))
        out, section = [], None
        with open(stack.env["STAFETT_CONF"]) as f:
            for line in f.read().splitlines():
                if line.startswith("["):
                    section = line
                elif section == "[database]" and line.startswith("name ="):
                    line = "name = " + self.name
                elif section == "[database]" and line.startswith("user ="):
                    line = "user = " + self.user
                elif section == "[database]" and line.startswith("password ="):
                    line = "password = " + pw
                elif line.startswith("key_file ="):
                    line = "key_file = " + keys
                out.append(line)
        with open(os.open(self.conf, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write("\n".join(out) + "\n")
        self.admin_sql("CREATE DATABASE `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;"
                       " CREATE USER '%s'@'localhost' IDENTIFIED BY '%s';"
                       " CREATE USER '%s'@'127.0.0.1' IDENTIFIED BY '%s';"
                       % (self.name, self.user, pw, self.user, pw))
        self.tool("stafett-admin", "migrate", os.path.join(ROOT, "sql"))
        with open(os.path.join(ROOT, "sql", "grants.sql")) as f:
            self.admin_sql(f.read().replace("@DB@", self.name).replace("@USER@", self.user))
        self.tool("stafett-admin", "municipality", "fjordvik", "Fjordvik kommune", "nb", "16")

    def admin_sql(self, text, db=None):
        sock = os.path.join(self.stack.dir, "run", "mysqld.sock")
        me = os.environ.get("USER") or subprocess.check_output(["id", "-un"], text=True).strip()
        r = subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-u", me, "-N", "-B"] + ([db] if db else []),
                           input=text, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return r.stdout

    def tool(self, name, *args, stdin=None, ok=True):
        env = dict(self.stack.env, STAFETT_CONF=self.conf)
        r = subprocess.run([os.path.join(self.stack.build_dir(), "tools", name), *args], env=env,
                           input=stdin, capture_output=True)
        if ok:
            assert r.returncode == 0, (name, args[:1], r.returncode, r.stdout.decode()[-500:], r.stderr.decode()[-500:])
        return r

    def drop(self):
        self.admin_sql("DROP DATABASE `%s`; DROP USER '%s'@'localhost'; DROP USER '%s'@'127.0.0.1';"
                       % (self.name, self.user, self.user))


def test_export_import_export_is_the_same_file(c, stack):
    f = full_log(c, stack)
    first = f.holder_client.get("/logg/%d/eksport.json" % f.log)
    assert first.status == 200, first
    there = SecondInstallation(stack)
    try:
        logs = lambda: int(there.admin_sql("SELECT COUNT(*) FROM log", db=there.name))
        # A document of another version, or one naming a person it does not
        # hold, is refused with the reason, and nothing changes.
        doc = json.loads(first.body)
        for change, why in ((lambda d: d.update(version=2), b"format version 2"),
                            (lambda d: d["concerns"][0]["goals"][0]["measures"][0].update(responsible="p99"),
                             b"p99")):
            bad = json.loads(first.body)
            change(bad)
            r = there.tool("stafett-import", "fjordvik", stdin=json.dumps(bad).encode(), ok=False)
            assert r.returncode == 1 and why in r.stderr and b"nothing changed" in r.stderr, r.stderr
        assert logs() == 0
        assert int(there.admin_sql("SELECT COUNT(*) FROM person", db=there.name)) == 0
        r = there.tool("stafett-import", "fjordvik", stdin=first.body)
        # Its reference is kept: no log there ever had it.
        assert int(r.stdout) == f.log and logs() == 1
        again = there.tool("stafett-import", "--export", "fjordvik", str(f.log)).stdout
        assert again == first.body, first.body.decode()[:300]
        assert doc["people"]["p1"]["nin"] == f.form["subject_nin"]
        # The numbers are sealed there under its own keys, found by its own hash.
        assert f.form["subject_nin"] not in there.admin_sql("SELECT HEX(nin_sealed) FROM person", db=there.name)
        # A second import finds the people and units by number and name, and
        # the log gets a reference of its own there.
        r = there.tool("stafett-import", "fjordvik", stdin=first.body)
        assert int(r.stdout) != f.log and logs() == 2
        assert int(there.admin_sql("SELECT COUNT(*) FROM person", db=there.name)) == len(doc["people"])
        second = there.tool("stafett-import", "--export", "fjordvik", r.stdout.decode().strip()).stdout
        assert json.loads(second)["concerns"] == doc["concerns"]
    finally:
        there.drop()
