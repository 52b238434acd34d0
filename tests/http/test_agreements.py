"""test_agreements.py — agreements in a log (cgi-bin/agreement.c,
lib/agreement.c): the holder writes one down and changes it, which makes a
new version and keeps the old; a stale form is told, not saved; the log
page, the plain-language page and the history show them; everyone who reads
the log reads them; nobody else writes them."""
from urllib.parse import urlencode

from log_helpers import (as_person, audit_count, field_error, fixture_log, login_holder, one, version_in)


def agreement(text="Foreldrene henter Emma kl. 14 på fredager", parties="Foreldrene og barnehagen",
              agreed_on="2026-11-30", review_on="2027-01-15"):
    return {"text": text, "parties": parties, "agreed_on": agreed_on, "review_on": review_on}


def test_an_agreement_written_down_changed_as_a_new_version_and_shown(client, stack):
    f = fixture_log(stack)
    login_holder(client, stack)
    r = client.post("/logg/%d/avtale" % f.log, urlencode(agreement()))
    assert r.status == 303 and "?lagret=avtale#avtale-" in r.header("location"), r
    aid = int(r.header("location").rsplit("-", 1)[1])
    page = client.get(r.header("location").split("#")[0])  # a browser keeps the fragment to itself
    assert "Avtalen er lagret" in page.text and "Foreldrene henter Emma kl. 14" in page.text
    assert "15. januar 2027" in page.text
    action = "/logg/%d/avtale/%d" % (f.log, aid)
    version = version_in(page.text, action)
    changed = agreement(text="Foreldrene henter Emma kl. 15 på fredager", review_on="")
    r = client.post(action, urlencode(dict(changed, version=version)))
    assert r.status == 303 and "?lagret=avtale-endret" in r.header("location"), r
    page = client.get(r.header("location").split("#")[0]).text
    assert "kl. 15" in page and "Eldre versjoner" in page and "kl. 14" in page  # the old one kept
    assert one(stack, "SELECT COUNT(*) FROM agreement_version WHERE agreement_id = %d" % aid) == "2"
    # The same form again (the version of before): told, nothing saved.
    r = client.post(action, urlencode(dict(agreement(text="Noe helt annet"), version=version)))
    assert r.status == 409 and 'id="agreement-conflict"' in r.text, r
    assert one(stack, "SELECT COUNT(*) FROM agreement_version WHERE agreement_id = %d" % aid) == "2"
    # The log page, the plain-language page (the guardian's) and the history.
    log = client.get("/logg/%d" % f.log).text
    assert "Foreldrene henter Emma kl. 15" in log and 'id="log-avtale-%d"' % aid in log
    kari = as_person(client, stack, "Kari", "Fjelltun")
    plain = kari.get("/logg/%d/enkel" % f.log).text
    assert "Foreldrene henter Emma kl. 15" in plain and "Avtalt av" in plain
    assert kari.get("/logg/%d/avtale" % f.log).status == 200
    hist = client.get("/logg/%d/historikk" % f.log).text
    assert "skrev ned en avtale" in hist and "endret hva en avtale sier" in hist, hist[:3000]
    assert audit_count(stack, "log_id = %d AND action = 'log.agreement.change' AND outcome = 'allow'"
                       % f.log) >= 1


def test_mistakes_come_back_at_the_field_with_what_was_typed(client, stack):
    f = fixture_log(stack)
    login_holder(client, stack)
    r = client.post("/logg/%d/avtale" % f.log,
                    urlencode(agreement(parties="", agreed_on="2026-12-01", review_on="2026-11-01")))
    assert r.status == 422, r
    assert field_error(r.text, "new-parties"), r.text[:2000]
    assert "Foreldrene henter Emma kl. 14" in r.text
    assert one(stack, "SELECT COUNT(*) FROM agreement WHERE log_id = %d" % f.log) == "0"
    r = client.post("/logg/%d/avtale" % f.log, urlencode(agreement(agreed_on="2026-12-01", review_on="2026-11-01")))
    assert r.status == 422 and field_error(r.text, "new-review_on"), r


def test_only_the_holder_writes_agreements(client, stack):
    f = fixture_log(stack)
    stack.sql("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id) VALUES (%d, %d, %d, %d)"
              % (f.muni, f.log, f.live, f.health))
    for given, family, reads in (("Kari", "Fjelltun", True), ("Live", "Mo", True), ("Torbjørn", "Vik", False),
                                 ("Ingrid", "Solberg", False), ("Hanne", "Lien", False)):
        c = as_person(client, stack, given, family)
        assert c.get("/logg/%d/avtale" % f.log).status == (200 if reads else 403), (given, family)
        assert c.post("/logg/%d/avtale" % f.log, urlencode(agreement())).status == 403, (given, family)
    assert one(stack, "SELECT COUNT(*) FROM agreement WHERE log_id = %d" % f.log) == "0"
