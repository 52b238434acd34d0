"""test_stack.py — the stack's promises: migrations are idempotent, the
supervisor restarts a worker that dies, the database account is limited,
and a deployment as the README describes it starts and routes to every
program of cgi-bin/ (conf/systemd/stafett.target and both route maps)."""
import glob
import os
import re
import signal
import subprocess
import time

import harness


def workers(stack, name):
    with open(os.path.join(stack.dir, "run", name + ".pid")) as f:
        watcher = int(f.read().strip())
    out = subprocess.run(["pgrep", "-P", str(watcher)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_migrations_twice_change_nothing(c, stack):
    before = stack.sql("SELECT name, checksum FROM schema_migration ORDER BY name")
    tables = stack.sql("SELECT table_name FROM information_schema.tables"
                       " WHERE table_schema = 'stafett' ORDER BY table_name")
    r = stack.admin("migrate", os.path.join(harness.ROOT, "sql"))
    assert r.returncode == 0, r.stderr
    assert "0 migration(s) applied" in r.stdout, r.stdout
    assert stack.sql("SELECT name, checksum FROM schema_migration ORDER BY name") == before
    assert stack.sql("SELECT table_name FROM information_schema.tables"
                     " WHERE table_schema = 'stafett' ORDER BY table_name") == tables
    assert "001_core.sql" in before and "002_identity.sql" in before


def test_demo_data_loads_once(c, stack):
    people = stack.sql("SELECT COUNT(*) FROM person")
    r = stack.admin("demo")
    assert r.returncode == 0 and "already loaded" in r.stdout, (r.stdout, r.stderr)
    assert stack.sql("SELECT COUNT(*) FROM person") == people
    states = stack.sql("SELECT DISTINCT state FROM log ORDER BY state").split()
    assert states == ["draft", "active", "passive", "closed"], states


def test_application_account_has_no_ddl(c, stack):
    grants = stack.sql("SHOW GRANTS FOR 'stafett'@'localhost'")
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON `stafett`.`log` TO" in grants, grants
    assert "GRANT SELECT, INSERT ON `stafett`.`audit_log` TO" in grants, grants
    assert "ON `stafett`.*" not in grants, grants
    for word in ["ALL PRIVILEGES", "CREATE", "DROP", "ALTER", "FILE", "SUPER"]:
        assert word not in grants, grants
    # Every table the application can touch is named in sql/grants.sql.
    tables = stack.sql("SELECT table_name FROM information_schema.tables"
                       " WHERE table_schema = 'stafett' AND table_name <> 'schema_migration'").split()
    for t in tables:
        assert "`stafett`.`%s` TO" % t in grants, "no grant for table %s" % t


def test_supervisor_restarts_a_worker_that_dies(c, stack):
    before = workers(stack, "front")
    assert len(before) == 2, before
    os.kill(before[0], signal.SIGKILL)
    # The other worker goes on answering while the dead one is replaced.
    assert c.get("/tilgjengelighet").status == 200
    after = harness.wait_for(lambda: (lambda w: w if len(w) == 2 and before[0] not in w else None)(
        workers(stack, "front")), timeout=10)
    assert after, "multiwatch did not restart the worker: %r" % workers(stack, "front")
    time.sleep(0.2)
    for _ in range(4):
        assert c.get("/").status == 200


def test_every_program_is_started_and_routed_by_both_servers(c, stack):
    """Each cgi-bin/NAME.c is a stafett-fcgi@NAME.service that
    stafett.target wants, and has its socket /run/stafett/NAME.sock in the
    nginx and the Apache route map; neither names a program that is not
    there. No running stack needed: these are the files a deployment copies."""
    programs = {os.path.splitext(os.path.basename(p))[0]
                for p in glob.glob(os.path.join(harness.ROOT, "cgi-bin", "*.c"))}
    assert programs, "no cgi-bin/*.c under %s" % harness.ROOT

    def read(*path):
        with open(os.path.join(harness.ROOT, "conf", *path), encoding="utf-8") as f:
            return f.read()

    wanted = set()
    for line in read("systemd", "stafett.target").splitlines():
        if line.startswith("Wants="):
            wanted.update(re.findall(r"\bstafett-fcgi@(\S+)\.service", line))
    assert wanted == programs, ("stafett.target: missing %s, not a program %s"
                                % (sorted(programs - wanted), sorted(wanted - programs)))
    for server in ("nginx", "apache"):
        text = read(server, "stafett-locations.conf")
        sockets = set(re.findall(r"/run/stafett/([^\s/|;\"]*)\.sock", text))
        assert sockets == programs, ("%s map: missing %s, not a program %s"
                                     % (server, sorted(programs - sockets), sorted(sockets - programs)))
