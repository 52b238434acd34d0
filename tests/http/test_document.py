"""test_document.py — the uploaded consent forms (cgi-bin/document.c,
/logg/ID/samtykke/dokument/DOCID): the scan is served to the holder and to
the guardian who signed it, byte for byte, as an attachment with the sniffed
type; the other guardian, actors and strangers are refused and it is
audited; another log's path or a made-up id is not found. Logs from
test_consent.fresh_log."""
from harness import Client
from test_consent import PDF, as_person, both_establish, count, fresh_log, one


def test_the_scan_is_served_only_to_the_holder_as_an_attachment(c, stack):
    f = fresh_log(c, stack)
    log = f["log"]
    holder, g2 = both_establish(c, stack, f)
    doc = int(one(stack, "SELECT document_id FROM consent WHERE log_id = %d AND document_id IS NOT NULL" % log))
    page = holder.get("/logg/%d/samtykke" % log)
    assert 'href="/logg/%d/samtykke/dokument/%d"' % (log, doc) in page.text
    reads = count(stack, "audit_log", "log_id = %d AND action = 'log.consent.document' AND outcome = 'allow'" % log)
    r = holder.get("/logg/%d/samtykke/dokument/%d" % (log, doc))
    assert r.status == 200 and r.body == PDF, r
    assert r.header("content-type") == "application/pdf"
    assert r.header("content-disposition") == 'attachment; filename="samtykke-%d.pdf"' % doc
    assert r.header("x-content-type-options") == "nosniff"
    assert count(stack, "audit_log", "log_id = %d AND action = 'log.consent.document' AND outcome = 'allow'"
                 % log) == reads + 1
    # The other guardian, an actor and a stranger are refused, and it is
    # recorded (the guardian who signed it: test below).
    denials = count(stack, "audit_log", "log_id = %d AND action = 'log.consent.document' AND outcome = 'deny'" % log)
    for who in (g2, as_person(c, stack, stack.pid("Live", "Mo")),
                as_person(c, stack, stack.pid("Kari", "Fjelltun"))):
        r = who.get("/logg/%d/samtykke/dokument/%d" % (log, doc))
        assert r.status == 403 and PDF not in r.body, r
    assert count(stack, "audit_log", "log_id = %d AND action = 'log.consent.document' AND outcome = 'deny'"
                 % log) == denials + 3
    # Through another log's path the document is not there; nor a made-up one.
    emma = int(one(stack, "SELECT l.id FROM log l JOIN person p ON p.id = l.subject_person_id"
                   " WHERE p.given_name = 'Emma' AND p.family_name = 'Fjelltun'"))
    assert holder.get("/logg/%d/samtykke/dokument/%d" % (emma, doc)).status == 404
    assert holder.get("/logg/%d/samtykke/dokument/%d" % (log, doc + 100000)).status == 404
    assert holder.get("/logg/%d/samtykke/dokument/%dx" % (log, doc)).status == 404
    assert Client((c.host, c.port), c.name).get("/logg/%d/samtykke/dokument/%d" % (log, doc)).status == 303


def test_a_guardian_downloads_the_form_they_signed_and_no_other(c, stack):
    f = fresh_log(c, stack)
    log = f["log"]
    holder, g2 = both_establish(c, stack, f)
    g1 = as_person(c, stack, f["g1"][1])
    doc = int(one(stack, "SELECT document_id FROM consent WHERE log_id = %d AND person_id = %d"
                  " AND document_id IS NOT NULL" % (log, f["g1"][0])))
    page = g1.get("/logg/%d/samtykke" % log)
    assert 'href="/logg/%d/samtykke/dokument/%d"' % (log, doc) in page.text, page.text
    r = g1.get("/logg/%d/samtykke/dokument/%d" % (log, doc))
    assert r.status == 200 and r.body == PDF, r
    # The other guardian signed nothing on paper: the form is not theirs.
    assert 'samtykke/dokument/%d"' % doc not in g2.get("/logg/%d/samtykke" % log).text
    assert g2.get("/logg/%d/samtykke/dokument/%d" % (log, doc)).status == 403
