"""log_helpers.py — shared by the tests of the programs that work on one
log. Fresh logs made through /logg/ny by a cleared staff member (create_log:
test_log_create.py, test_log_edit.py, test_concern.py, test_history.py,
test_log_state.py), with synthetic people unique per run (the suite runs
behind nginx and Apache on one database); fresh active logs made directly in
the database (fixture_log: test_goal.py, test_measure.py, test_evaluation.py,
test_note.py, test_home.py, test_log_view.py), with the goals and measures
added through the pages; and small readers of pages and tables."""
import hashlib
import html
import re
import secrets
from urllib.parse import urlencode

from harness import Client, login, synthetic_nin

HOLDER = ("Marte", "Haugland")  # cleared staff of Solsikken barnehage
KINDERGARTEN = "Solsikken barnehage"


def suffix():
    return secrets.token_hex(3)


def fresh(c):
    return Client((c.host, c.port), c.name)


def one(stack, sql):
    return stack.sql(sql).strip()


def audit_count(stack, where):
    return int(one(stack, "SELECT COUNT(*) FROM audit_log WHERE " + where))


def demo_person(stack, given, family):
    return int(one(stack, "SELECT id FROM person WHERE given_name = '%s' AND family_name = '%s'"
                   % (given, family)))


def unit_id(stack, name):
    return int(one(stack, "SELECT id FROM unit WHERE name = '%s'" % name))


def field_error(page, field):
    m = re.search(r'<p class="ds-validation-message"[^>]* id="%s-error">([^<]*)</p>' % re.escape(field), page)
    return html.unescape(m.group(1)) if m else None


def log_form(stack, **over):
    """A valid create form: a child with two guardians, in the kindergarten."""
    sfx = suffix()
    fields = {
        "unit": str(unit_id(stack, KINDERGARTEN)),
        "subject_kind": "child",
        "subject_given_name": "Barn-%s" % sfx, "subject_family_name": "Testesen",
        "subject_nin": synthetic_nin(),
        "expected_date": "",
        "g1_given_name": "Mor-%s" % sfx, "g1_family_name": "Testesen", "g1_nin": synthetic_nin(),
        "g1_phone": "+47 911 22 333", "g1_email": "mor@fjordvik.example",
        "g2_given_name": "Far-%s" % sfx, "g2_family_name": "Testesen", "g2_nin": synthetic_nin(),
        "g2_phone": "", "g2_email": "",
    }
    fields.update(over)
    return fields


def login_holder(c, stack):
    login(c, stack, stack.pid(*HOLDER))
    return c


def create_log(c, stack, **over):
    """Creates a log as the logged-in client; (log id, the form sent)."""
    fields = log_form(stack, **over)
    r = c.post("/logg/ny", urlencode(fields))
    assert r.status == 303, (r, r.text[:2000])
    m = re.fullmatch(r"/logg/(\d+)\?lagret=logg", r.header("location"))
    assert m, r.header("location")
    return int(m.group(1)), fields


def make_active(stack, log_id, state="active"):
    """As the consent would: complete consent valid for a year, and the state."""
    stack.sql("UPDATE log SET state = '%s', consent_until = DATE_ADD(CURRENT_DATE, INTERVAL 1 YEAR)"
              " WHERE id = %d" % (state, log_id))


def version_in(page, action):
    """The version in the form that posts to action."""
    m = re.search(r'action="%s"[^>]*>(.*?)</form>' % re.escape(action), page, re.S)
    assert m, "no form for %s" % action
    v = re.search(r'name="version" value="(\d+)"', m.group(1))
    assert v, m.group(1)[:500]
    return v.group(1)


def textarea(page, name):
    m = re.search(r'<textarea [^>]*\bid="%s"[^>]*>(.*?)</textarea>' % re.escape(name), page, re.S)
    assert m, "no textarea %s" % name
    return html.unescape(m.group(1))


def hexed(stack, sql):
    """A text column as Python text (hex: the command-line client's character set aside)."""
    h = one(stack, sql.replace("SELECT ", "SELECT HEX(", 1).replace(" FROM", ") FROM", 1))
    return bytes.fromhex(h).decode()


def basic(version, bti="2", info="", voice=""):
    """The basic-data form of /logg/ID/rediger."""
    return urlencode({"version": version, "bti_level": bti, "basic_info": info, "child_voice": voice})


# Fresh active logs for goals, measures, evaluations, notes and "my logs":
# each test makes its own (fixture_log) for a synthetic child, held by Marte
# Haugland, with Kari Fjelltun as guardian, a concern, and consent covering
# the health station and PPT. Siri Bergli is a guardian of another child.

HOSTILE = "\"><script>alert(1)</script> O'Hara 😀 æøå ÆØÅ"


def stored(stack, column, table, row_id):
    """A text column exactly as stored (through HEX: the client's character
    set cannot change it on the way)."""
    return bytes.fromhex(one(stack, "SELECT HEX(%s) FROM %s WHERE id = %d" % (column, table, row_id))
                         ).decode("utf-8")


def esc(s):
    """As the templates escape text: & < > " and '."""
    return html.escape(s, quote=True).replace("&#x27;", "&#39;")


class Fixture:
    pass


def fixture_log(stack, covered=("Fjordvik helsestasjon", "PPT Fjordvik")):
    """A fresh active log (consent until a year from now) for a new synthetic
    child, held by Marte Haugland of Solsikken barnehage, Kari Fjelltun its
    guardian, one concern, consent covering the named units."""
    f = Fixture()
    f.sfx = secrets.token_hex(4)
    f.muni = int(one(stack, "SELECT id FROM municipality WHERE slug = 'fjordvik'"))
    f.holder = demo_person(stack, "Marte", "Haugland")
    f.kindergarten = unit_id(stack, "Solsikken barnehage")
    f.health = unit_id(stack, "Fjordvik helsestasjon")
    f.ppt = unit_id(stack, "PPT Fjordvik")
    f.live = demo_person(stack, "Live", "Mo")
    f.nils = demo_person(stack, "Nils", "Dahle")
    f.kari = demo_person(stack, "Kari", "Fjelltun")
    f.child_name = "Testbarn Målesen-%s" % f.sfx
    # The child never logs in: a sealed number is not needed, only a unique hash.
    f.child = int(one(stack, (
        "INSERT INTO person (municipality_id, nin_sealed, nin_key_id, nin_hmac, birth_date, given_name,"
        " family_name) VALUES (%d, UNHEX(SHA2(UUID(), 256)), 1, UNHEX(SHA2(UUID(), 256)), '2019-05-05',"
        " 'Testbarn', 'Målesen-%s') RETURNING id") % (f.muni, f.sfx)))
    f.log = int(one(stack, (
        "INSERT INTO log (municipality_id, subject_person_id, subject_kind, holder_person_id, unit_id,"
        " state, consent_until, bti_level) VALUES (%d, %d, 'child', %d, %d, 'active',"
        " CURRENT_DATE + INTERVAL 365 DAY, 2) RETURNING id") % (f.muni, f.child, f.holder, f.kindergarten)))
    stack.sql("INSERT INTO log_guardian (municipality_id, log_id, person_id) VALUES (%d, %d, %d)"
              % (f.muni, f.log, f.kari))
    f.concern_title = "Språk %s" % f.sfx
    f.concern = int(one(stack, (
        "INSERT INTO concern (municipality_id, log_id, title, created_by) VALUES (%d, %d, '%s', %d)"
        " RETURNING id") % (f.muni, f.log, f.concern_title, f.holder)))
    for name in covered:
        stack.sql("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until)"
                  " VALUES (%d, %d, %d, CURRENT_DATE + INTERVAL 365 DAY)" % (f.muni, f.log, unit_id(stack, name)))
    return f


def as_person(c, stack, given, family):
    them = fresh(c)
    r, _ = login(them, stack, stack.pid(given, family))
    assert r.status == 303, r
    return them


def add_goal(c, f, text="Emma skal bruke flere ord"):
    r = c.post("/logg/%d/mal" % f.log, urlencode({"concern_id": f.concern, "text": text}))
    assert r.status == 303, r
    m = re.fullmatch(r"/logg/%d\?lagret=mal#mal-(\d+)" % f.log, r.header("location"))
    assert m, r.header("location")
    return int(m.group(1))


def measure_form(f, person_id, unit_id, description="Språkgruppe to ganger i uka", **extra):
    fields = {"description": description, "responsible": "%d-%d" % (person_id, unit_id),
              "start_date": "2026-01-05", "deadline": "2026-06-19", "evaluation_date": "2026-03-02",
              "status": "ongoing"}
    fields.update(extra)
    return urlencode(fields)


def add_measure(c, f, goal, person_id, unit_id, **kw):
    r = c.post("/logg/%d/mal/%d/tiltak" % (f.log, goal), measure_form(f, person_id, unit_id, **kw))
    assert r.status == 303, (r, r.text[:3000])
    m = re.fullmatch(r"/logg/%d\?lagret=tiltak#tiltak-(\d+)" % f.log, r.header("location"))
    assert m, r.header("location")
    return int(m.group(1))


def append_reads(stack, reads):
    """Appends reads of logs to the audit trail at the moments given, as
    lib/audit.c would have written them then: each row hashed onto the
    chain by the recipe audit.h documents, so verify-audit still finds it
    intact. reads: (municipality, person, role, log, at) with at the UTC
    moment "YYYY-MM-DD HH:MM:SS.mmm"; action log.read, allowed."""
    prev, count = stack.sql("SELECT HEX(last_hash), count FROM audit_head WHERE id = 1").split()
    prev, count = bytes.fromhex(prev), int(count)
    statements = ["START TRANSACTION"]
    for muni, person, role, log, at in reads:
        count += 1
        rid = hashlib.md5(("%d %s" % (count, at)).encode()).hexdigest()  # any 32 hex characters
        fields = [count, muni, at, person, role, log, "log.read", "allow", None, rid]
        text = b"".join((b"\x00" if v is None else str(v).encode()) + b"\x1f" for v in fields)
        digest = hashlib.sha256(prev + text).digest()
        statements.append(
            "INSERT INTO audit_log (id, municipality_id, at, person_id, role, log_id, action, outcome,"
            " detail, request_id, prev_hash, hash) VALUES (%d, %d, '%s', %d, '%s', %d, 'log.read', 'allow',"
            " NULL, '%s', UNHEX('%s'), UNHEX('%s'))" % (count, muni, at, person, role, log, rid, prev.hex(),
                                                       digest.hex()))
        prev = digest
    statements.append("UPDATE audit_head SET last_hash = UNHEX('%s'), count = %d WHERE id = 1" % (prev.hex(), count))
    statements.append("COMMIT")
    stack.sql(";".join(statements))


def history(page):
    """The entries of a history page: (time, sentence, details, before,
    after) as a reader sees them, tags gone, text unescaped."""
    def text(s):
        return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", s or ""))).strip()
    out = []
    for li in re.findall(r'<li class="history-entry">(.*?)</li>', page, re.S):
        when = re.search(r"<time[^>]*>(.*?)</time>", li, re.S)
        what = re.search(r'<p class="[^"]*\bwhat\b[^"]*">(.*?)</p>', li, re.S)
        details = re.search(r'<dl class="details">(.*?)</dl>', li, re.S)
        pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", details.group(1), re.S) if details else []
        old = re.search(r'<dd class="text old">(.*?)</dd>', li, re.S)
        new = re.search(r'<dd class="text new">(.*?)</dd>', li, re.S)
        out.append((text(when and when.group(1)), text(what and what.group(1)),
                    [(text(k), text(v)) for k, v in pairs],
                    html.unescape(old.group(1)) if old else None, html.unescape(new.group(1)) if new else None))
    return out
