"""test_audit.py — the audit trail as an operator and an attacker with the
database administrator's account see it: `stafett-admin verify-audit` finds
an edited, deleted or re-hashed row, an edited, added or deleted item of a
list's row, and a moved head; the application's account may only SELECT and
INSERT on audit_log and audit_log_item. Every change is undone, so the other
tests find the trail intact.
"""
import datetime
import hashlib
import re


def canonical(fields):
    """The bytes lib/audit.h documents: each field then 0x1F; NULL is 0x00."""
    return b"".join((b"\x00" if f is None else str(f).encode()) + b"\x1f" for f in fields)


def head(stack):
    last_hash, count = stack.sql("SELECT HEX(last_hash), count FROM audit_head WHERE id = 1").split()
    return bytes.fromhex(last_hash), int(count)


def append_row(stack, action, detail=None):
    """Appends one row computed here from the documentation, as the
    application would; verify-audit must accept it."""
    prev, count = head(stack)
    now = datetime.datetime.now(datetime.timezone.utc)
    at = now.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (now.microsecond // 1000)
    rid = hashlib.md5(at.encode()).hexdigest()  # any 32 hex characters
    row_id = count + 1
    fields = [row_id, None, at, None, "system", None, action, "ok", detail, rid]
    digest = hashlib.sha256(prev + canonical(fields)).hexdigest()
    stack.sql("START TRANSACTION;"
              "INSERT INTO audit_log (id, at, role, action, outcome, detail, request_id, prev_hash, hash)"
              " VALUES (%d, '%s', 'system', '%s', 'ok', %s, '%s', UNHEX('%s'), UNHEX('%s'));"
              "UPDATE audit_head SET last_hash = UNHEX('%s'), count = %d WHERE id = 1;"
              "COMMIT;" % (row_id, at, action, "NULL" if detail is None else "'%s'" % detail, rid,
                           prev.hex(), digest, digest, row_id))
    return row_id


def verify(stack):
    r = stack.admin("verify-audit")
    return r.returncode, r.stdout.strip()


def assert_intact(stack):
    rows = int(stack.sql("SELECT COUNT(*) FROM audit_log"))
    code, out = verify(stack)
    assert (code, out) == (0, "audit trail intact: %d rows" % rows), (code, out)


def assert_broken_at(stack, row_id):
    code, out = verify(stack)
    assert (code, out) == (1, "audit trail broken at row %d" % row_id), (code, out)


COLUMNS = ("id, municipality_id, at, person_id, role, log_id, action, outcome, detail, request_id,"
           " prev_hash, hash")


def saved_row(stack, row_id):
    """The row as an INSERT that puts back exactly its bytes."""
    def literal(col):  # ids as numbers, everything else as its bytes in hex
        if col.endswith("id") and col != "request_id":
            return "IFNULL(%s, 'NULL')" % col
        return "IF(%s IS NULL, 'NULL', CONCAT('UNHEX(''', HEX(%s), ''')'))" % (col, col)
    values = stack.sql("SELECT %s FROM audit_log WHERE id = %d" % (
        ", ".join(literal(col) for col in COLUMNS.split(", ")), row_id)).rstrip("\n").split("\t")
    return "INSERT INTO audit_log (%s) VALUES (%s)" % (COLUMNS, ", ".join(values))


def test_verify_audit_finds_every_kind_of_tampering(c, stack):
    # Some traffic, then rows written here by the documented recipe, so there
    # is a chain to break even when this file runs alone (--only test_audit).
    assert c.get("/").status == 200
    first = append_row(stack, "test.audit", "from python")
    middle = append_row(stack, "test.audit")
    append_row(stack, "test.audit", "last")
    assert_intact(stack)
    restore = saved_row(stack, middle)

    # An edited field.
    stack.sql("UPDATE audit_log SET action = 'x' WHERE id = %d" % first)
    try:
        assert_broken_at(stack, first)
    finally:
        stack.sql("UPDATE audit_log SET action = 'test.audit' WHERE id = %d" % first)
    assert_intact(stack)

    # NULL and empty text are different values.
    stack.sql("UPDATE audit_log SET detail = '' WHERE id = %d" % middle)
    try:
        assert_broken_at(stack, middle)
    finally:
        stack.sql("DELETE FROM audit_log WHERE id = %d; %s" % (middle, restore))
    assert_intact(stack)

    # An edited row whose own hash was recomputed: the next row gives it away.
    prev = bytes.fromhex(stack.sql("SELECT HEX(prev_hash) FROM audit_log WHERE id = %d" % middle).strip())
    at, rid = stack.sql("SELECT CAST(at AS CHAR), request_id FROM audit_log WHERE id = %d" % middle).split("\t")
    forged = hashlib.sha256(prev + canonical(
        [middle, None, at, None, "system", None, "test.forged", "ok", None, rid.strip()])).hexdigest()
    stack.sql("UPDATE audit_log SET action = 'test.forged', hash = UNHEX('%s') WHERE id = %d" % (forged, middle))
    try:
        assert_broken_at(stack, middle + 1)
    finally:
        stack.sql("DELETE FROM audit_log WHERE id = %d; %s" % (middle, restore))
    assert_intact(stack)

    # A deleted row leaves a gap.
    stack.sql("DELETE FROM audit_log WHERE id = %d" % middle)
    try:
        assert_broken_at(stack, middle + 1)
    finally:
        stack.sql(restore)
    assert_intact(stack)

    # A row cut off the end: only the head tells.
    stack.sql("UPDATE audit_head SET count = count + 1 WHERE id = 1")
    try:
        code, out = verify(stack)
        assert code == 1 and out.startswith("audit trail broken at the head"), (code, out)
    finally:
        stack.sql("UPDATE audit_head SET count = count - 1 WHERE id = 1")
    assert_intact(stack)


def test_the_application_may_only_read_and_append_the_trail(c, stack):
    user = stack.admin("config", "database.user").stdout.strip()
    db = stack.admin("config", "database.name").stdout.strip()
    assert user and db
    for host in ("localhost", "127.0.0.1"):
        grants = stack.sql("SHOW GRANTS FOR '%s'@'%s'" % (user, host)).splitlines()
        on = {}
        for line in grants:
            m = re.match(r"GRANT (.+?) ON (\S+) TO ", line)
            assert m, line
            on[m.group(2)] = m.group(1)
        # Nothing server-wide or database-wide that would reach audit_log anyway.
        assert on.pop("*.*", "USAGE") == "USAGE", grants
        assert "`%s`.*" % db not in on, grants
        assert on["`%s`.`audit_log`" % db] == "SELECT, INSERT", grants
        assert on["`%s`.`audit_log_item`" % db] == "SELECT, INSERT", grants
        assert on["`%s`.`audit_head`" % db] == "SELECT, UPDATE", grants


def test_a_lists_items_are_part_of_its_row(c, stack):
    """"My logs" is one row with an item per log listed. The stored hash is
    the one the documentation gives (items in log id order, each "id 0x1E
    role 0x1E" after the fields), and every change to the items is found."""
    from harness import login
    login(c, stack, stack.pid("Marte", "Haugland"))
    assert c.get("/min-side").status == 200
    row_id = int(stack.sql("SELECT MAX(id) FROM audit_log WHERE action = 'log.list'"))
    items = [line.split("\t") for line in stack.sql(
        "SELECT log_id, role FROM audit_log_item WHERE audit_id = %d ORDER BY log_id" % row_id).splitlines()]
    assert len(items) >= 2, items  # the demo holder has logs
    cols = stack.sql("SELECT id, IFNULL(municipality_id, '<null>'), CAST(at AS CHAR), IFNULL(person_id, '<null>'), role,"
                     " IFNULL(log_id, '<null>'), action, outcome, IFNULL(detail, '<null>'), request_id, HEX(prev_hash),"
                     " HEX(hash) FROM audit_log WHERE id = %d" % row_id).rstrip("\n").split("\t")
    fields = [None if v == "<null>" else v for v in cols[:10]]
    text = canonical(fields) + b"".join(b"%s\x1e%s\x1e" % (i.encode(), r.encode()) for i, r in items)
    assert hashlib.sha256(bytes.fromhex(cols[10]) + text).hexdigest().upper() == cols[11], (fields, items)
    assert_intact(stack)
    first, role = items[0]
    tampering = [
        ("DELETE FROM audit_log_item WHERE audit_id = %d AND log_id = %s" % (row_id, first),
         "INSERT INTO audit_log_item (audit_id, log_id, role) VALUES (%d, %s, '%s')" % (row_id, first, role)),
        ("UPDATE audit_log_item SET role = 'holder2' WHERE audit_id = %d AND log_id = %s" % (row_id, first),
         "UPDATE audit_log_item SET role = '%s' WHERE audit_id = %d AND log_id = %s" % (role, row_id, first)),
        ("INSERT INTO audit_log_item (audit_id, log_id, role) VALUES (%d, 999999999, 'holder')" % row_id,
         "DELETE FROM audit_log_item WHERE audit_id = %d AND log_id = 999999999" % row_id),
    ]
    for change, undo in tampering:
        stack.sql(change)
        try:
            assert_broken_at(stack, row_id)
        finally:
            stack.sql(undo)
        assert_intact(stack)
