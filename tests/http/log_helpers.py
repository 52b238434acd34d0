"""log_helpers.py — shared by test_log_create.py, test_log_edit.py and
test_log_state.py: fresh logs made through /logg/ny by a cleared staff
member, with synthetic people unique per run (the suite runs behind nginx
and Apache on one database), and small readers of pages and tables."""
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
    m = re.search(r'<p class="error" id="%s-error">([^<]*)</p>' % re.escape(field), page)
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
    m = re.fullmatch(r"/logg/(\d+)", r.header("location"))
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
    m = re.search(r'<textarea id="%s"[^>]*>(.*?)</textarea>' % re.escape(name), page, re.S)
    assert m, "no textarea %s" % name
    return html.unescape(m.group(1))
