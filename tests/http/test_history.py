"""test_history.py — who sees a log's history (cgi-bin/history.c,
/logg/ID/historikk) and edits the log: only the holder; a guardian who reads
the log is offered neither and is refused both (the basic data, a concern,
the history), each refusal audited; staff of another unit get the same
answer as for a log that does not exist. What the history lists is checked
where the changes are made (test_log_edit.py, test_concern.py,
test_log_state.py)."""
import re
from urllib.parse import urlencode

from harness import login
from log_helpers import audit_count, basic, create_log, fresh, login_holder, make_active, one, version_in


def test_only_the_holder_edits_and_sees_the_history(c, stack):
    login_holder(c, stack)
    log_id, f = create_log(c, stack)
    make_active(stack, log_id)
    v = version_in(c.get("/logg/%d/rediger" % log_id).text, "/logg/%d/rediger" % log_id)
    # A guardian reads the log, but neither edits nor sees the history.
    guardian = fresh(c)
    login(guardian, stack, f["g1_nin"])
    view = guardian.get("/logg/%d" % log_id)
    assert view.status == 200, view
    assert 'href="/logg/%d/rediger"' % log_id not in view.text
    assert 'href="/logg/%d/historikk"' % log_id not in view.text
    gid = int(one(stack, "SELECT person_id FROM log_guardian WHERE log_id = %d ORDER BY id LIMIT 1" % log_id))
    denials = audit_count(stack, "log_id = %d AND person_id = %d AND outcome = 'deny'" % (log_id, gid))
    assert guardian.get("/logg/%d/rediger" % log_id).status == 403
    assert guardian.post("/logg/%d/rediger" % log_id, basic(v, "1", "x")).status == 403
    assert guardian.post("/logg/%d/rediger/bekymring" % log_id, urlencode({"title": "x"})).status == 403
    assert guardian.get("/logg/%d/historikk" % log_id).status == 403
    assert audit_count(stack, "log_id = %d AND person_id = %d AND outcome = 'deny'" % (log_id, gid)) \
        == denials + 4
    # Staff of another unit: the same answer as for a log that does not exist.
    other = fresh(c)
    login(other, stack, stack.pid("Hanne", "Lien"))
    a = other.get("/logg/%d/rediger" % log_id)
    b = other.get("/logg/999999999/rediger")
    assert a.status == b.status == 403
    def same(text):  # without the request id and the page's own path
        return re.sub(r"/logg/\d+/", "/logg/N/", re.sub(r"<code>[0-9a-f]{32}</code>", "", text))
    assert same(a.text) == same(b.text), "a refusal tells nothing of whether the log exists"
    assert one(stack, "SELECT basic_info IS NULL FROM log WHERE id = %d" % log_id) == "1"
