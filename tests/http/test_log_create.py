"""test_log_create.py — creating a log (cgi-bin/log_create.c, /logg/ny):
a cleared staff member opens a draft with the subject and each guardian;
only cleared staff may; mistakes come back at their fields with what was
typed; hostile strings are stored verbatim and shown escaped; every
creation and refusal leaves its audit row."""
import re
from urllib.parse import urlencode

from harness import Client, login
from log_helpers import (HOLDER, KINDERGARTEN, audit_count, create_log, demo_person, field_error, fresh,
                         log_form, login_holder, one, synthetic_nin, unit_id)

HOSTILE = '"><script>alert(1)</script>'


def test_a_cleared_staff_member_creates_a_log_with_two_guardians(c, stack):
    login_holder(c, stack)
    home = c.get("/min-side")
    assert 'href="/logg/ny"' in home.text, home.text
    page = c.get("/logg/ny")
    assert page.status == 200 and KINDERGARTEN in page.text, page
    assert 'name="g2_nin"' in page.text and 'name="_csrf"' in page.text
    holder = demo_person(stack, *HOLDER)
    creates = audit_count(stack, "action = 'log.create' AND outcome = 'allow' AND person_id = %d" % holder)
    log_id, f = create_log(c, stack, subject_given_name=HOSTILE, subject_family_name="O'Hara",
                           g1_given_name="Åse 😀 Ærlig", g2_family_name="Øyen-Ås")
    row = one(stack, "SELECT CONCAT_WS(' ', state, subject_kind, holder_person_id, unit_id, created_by,"
              " bti_level IS NULL) FROM log WHERE id = %d" % log_id)
    assert row == "draft child %d %d %d 1" % (holder, unit_id(stack, KINDERGARTEN), holder), row
    # The names exactly as typed, each guardian on their own row.
    assert one(stack, "SELECT CONCAT(p.given_name, '|', p.family_name) FROM log l JOIN person p"
               " ON p.id = l.subject_person_id WHERE l.id = %d" % log_id) == HOSTILE + "|O'Hara"
    # (as hex: the command-line client's character set is not the question)
    guardians = one(stack, "SELECT HEX(GROUP_CONCAT(CONCAT(p.given_name, '|', p.family_name, '|',"
                    " COALESCE(p.phone, '-'), '|', COALESCE(p.email, '-')) ORDER BY g.id SEPARATOR ';'))"
                    " FROM log_guardian g JOIN person p ON p.id = g.person_id WHERE g.log_id = %d" % log_id)
    want = "Åse 😀 Ærlig|Testesen|+4791122333|mor@fjordvik.example;%s|Øyen-Ås|-|-" % f["g2_given_name"]
    assert bytes.fromhex(guardians).decode() == want, bytes.fromhex(guardians).decode()
    # Numbers only sealed: nowhere in clear.
    for nin in (f["subject_nin"], f["g1_nin"], f["g2_nin"]):
        assert one(stack, "SELECT COUNT(*) FROM person WHERE nin_sealed LIKE '%%%s%%'" % nin) == "0"
        assert nin not in "".join(stack.logs().values())
    # Audited and in the history.
    assert audit_count(stack, "action = 'log.create' AND outcome = 'allow' AND person_id = %d"
                       % holder) == creates + 1
    assert audit_count(stack, "action = 'log.create' AND log_id = %d AND role = 'holder'" % log_id) == 1
    assert one(stack, "SELECT GROUP_CONCAT(CONCAT(field, '=', new_value) ORDER BY id) FROM log_history"
               " WHERE log_id = %d AND field = 'state'" % log_id) == "state=draft"
    # The log page shows it escaped, never as markup.
    reads = audit_count(stack, "action = 'log.read' AND log_id = %d" % log_id)
    r = c.get("/logg/%d" % log_id)
    assert r.status == 200, r
    assert audit_count(stack, "action = 'log.read' AND log_id = %d" % log_id) == reads + 1
    assert "<script>alert(1)" not in r.text
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "O&#39;Hara" in r.text and "Åse 😀 Ærlig Testesen" in r.text and "Øyen-Ås" in r.text
    assert "Utkast" in r.text


def test_bad_numbers_and_missing_fields_come_back_at_their_fields(c, stack):
    login_holder(c, stack)
    f = log_form(stack, subject_nin="12345678901", g1_nin="1234", g2_family_name="", g1_email="ikke-epost")
    r = c.post("/logg/ny", urlencode(f))
    assert r.status == 422, r
    assert field_error(r.text, "subject_nin") == "Fødselsnummeret er ikke gyldig. Sjekk sifrene.", r.text
    assert field_error(r.text, "g1_nin") == "Fødselsnummeret må ha 11 sifre.", field_error(r.text, "g1_nin")
    assert field_error(r.text, "g2_family_name") == "Skriv etternavnet til den foresatte.", field_error(r.text, "g2_family_name")
    assert field_error(r.text, "g1_email") == "Skriv en gyldig e-postadresse.", field_error(r.text, "g1_email")
    assert field_error(r.text, "subject_given_name") is None, field_error(r.text, "subject_given_name")
    # Everything typed is kept, and each message is tied to its field.
    for name in ("subject_given_name", "g1_given_name", "g2_given_name", "g2_nin"):
        assert 'value="%s"' % f[name] in r.text, name
    assert 'value="12345678901"' in r.text and 'value="ikke-epost"' in r.text, "typed values"
    assert re.search(r'id="subject_nin"[^>]*aria-invalid="true" aria-describedby="subject_nin-hint '
                     r'subject_nin-error"', r.text), re.findall(r'<input id="subject_nin"[^>]*>', r.text)
    # The summary at the top links each mistake to its field, in the form's order.
    links = re.findall(r'<li><a class="ds-link" href="#([a-z0-9_]+)">([^<]+)</a></li>', r.text)
    assert [a for a, _ in links] == ["subject_nin", "g1_nin", "g1_email", "g2_family_name"], links
    assert r.text.count("<title>Feil: ") == 1, "title"
    assert one(stack, "SELECT COUNT(*) FROM person WHERE given_name IN ('%s', '%s', '%s')"
               % (f["subject_given_name"], f["g1_given_name"], f["g2_given_name"])) == "0", "nothing stored"


def test_an_empty_name_is_answered_with_what_to_write_for_whom_the_log_is_about(c, stack):
    """Not "the field is required": what to write, and about whom."""
    login_holder(c, stack)
    r = c.post("/logg/ny", urlencode(log_form(stack, subject_given_name="", subject_nin="")))
    assert r.status == 422, r
    assert field_error(r.text, "subject_given_name") == "Skriv fornavnet til barnet.", r.text
    assert field_error(r.text, "subject_nin") == "Skriv fødselsnummeret til barnet, 11 sifre."
    assert '<a class="ds-link" href="#subject_given_name">Skriv fornavnet til barnet.</a>' in r.text
    empty = {k: "" for k in log_form(stack) if k.startswith("g")}
    r = c.post("/logg/ny", urlencode(log_form(stack, subject_kind="pregnancy", subject_family_name="",
                                              expected_date="2027-03-01", **empty)))
    assert field_error(r.text, "subject_family_name") == "Skriv etternavnet til den gravide.", r.text
    r = c.post("/logg/ny", urlencode(log_form(stack, subject_kind="", subject_given_name="")))
    assert field_error(r.text, "subject_kind") == "Velg hvem loggen gjelder.", r.text
    assert '<a class="ds-link" href="#subject_kind">' in r.text and 'id="subject_kind"' in r.text
    c.post("/lang", urlencode({"lang": "nn", "back": "/logg/ny"}))
    r = c.post("/logg/ny", urlencode(log_form(stack, subject_given_name="")))
    assert field_error(r.text, "subject_given_name") == "Skriv førenamnet til barnet.", r.text


def test_a_child_needs_a_guardian_and_nobody_is_given_twice(c, stack):
    login_holder(c, stack)
    nin = synthetic_nin()
    f = log_form(stack, g1_nin=nin, g2_nin=nin)
    r = c.post("/logg/ny", urlencode(f))
    assert r.status == 422 and field_error(r.text, "g2_nin") == \
        "Samme nummer er oppgitt for to personer. Sjekk numrene.", field_error(r.text, "g2_nin")
    f = log_form(stack)
    f["g1_nin"] = f["subject_nin"]
    r = c.post("/logg/ny", urlencode(f))
    assert r.status == 422 and field_error(r.text, "g1_nin"), r
    empty = {k: "" for k in f if k.startswith("g")}
    r = c.post("/logg/ny", urlencode(log_form(stack, **empty)))
    assert r.status == 422 and field_error(r.text, "g1_nin") == "Skriv fødselsnummeret til den foresatte, 11 sifre.", r
    assert field_error(r.text, "g2_nin") is None
    assert one(stack, "SELECT COUNT(*) FROM person WHERE given_name = '%s'" % f["subject_given_name"]) == "0"


def test_a_pregnancy_needs_an_expected_date_and_no_guardian(c, stack):
    login_holder(c, stack)
    empty = {k: "" for k in log_form(stack) if k.startswith("g")}
    f = log_form(stack, subject_kind="pregnancy", **empty)
    r = c.post("/logg/ny", urlencode(f))
    assert r.status == 422 and field_error(r.text, "expected_date") == "Skriv termindatoen.", r
    assert re.search(r'id="kind-pregnancy"[^>]*checked', r.text)
    log_id, _ = create_log(c, stack, subject_kind="pregnancy", expected_date="2027-03-01", **empty)
    assert one(stack, "SELECT CONCAT(subject_kind, ' ', expected_date) FROM log WHERE id = %d" % log_id) \
        == "pregnancy 2027-03-01"
    assert one(stack, "SELECT COUNT(*) FROM log_guardian WHERE log_id = %d" % log_id) == "0"


def test_a_young_person_at_the_consent_age_needs_no_guardian_and_one_below_it_does(c, stack):
    login_holder(c, stack)
    empty = {k: "" for k in log_form(stack) if k.startswith("g")}
    # Born 2005-2008: well past Fjordvik's consent age (15). They consent themself.
    log_id, f = create_log(c, stack, subject_kind="youth", subject_nin=synthetic_nin(2005, 2008), **empty)
    assert one(stack, "SELECT CONCAT(subject_kind, ' ', state) FROM log WHERE id = %d" % log_id) == "youth draft"
    assert one(stack, "SELECT COUNT(*) FROM log_guardian WHERE log_id = %d" % log_id) == "0"
    consent = c.get("/logg/%d/samtykke" % log_id)
    assert consent.status == 200 and f["subject_given_name"] in consent.text, consent
    # Born 2015-2018: under the consent age, so someone must consent for them.
    f = log_form(stack, subject_kind="youth", subject_nin=synthetic_nin(2015, 2018), **empty)
    creates = audit_count(stack, "action = 'log.create'")
    r = c.post("/logg/ny", urlencode(f))
    assert r.status == 422, r
    assert field_error(r.text, "g1_given_name") == \
        "Den som er under samtykkealderen, trenger en foresatt i loggen: registrer minst én.", r.text
    assert field_error(r.text, "g1_nin") == "Skriv fødselsnummeret til den foresatte, 11 sifre."
    assert re.search(r'id="kind-youth"[^>]*checked', r.text) and f["subject_given_name"] in r.text
    # Nothing of it was kept: no log, no person, no audit row of a creation.
    assert one(stack, "SELECT COUNT(*) FROM person WHERE given_name = '%s'" % f["subject_given_name"]) == "0"
    assert audit_count(stack, "action = 'log.create'") == creates
    # With a guardian it is created.
    log_id, _ = create_log(c, stack, subject_kind="youth", subject_nin=synthetic_nin(2015, 2018))
    assert one(stack, "SELECT COUNT(*) FROM log_guardian WHERE log_id = %d" % log_id) == "2"


def test_over_long_text_and_unknown_fields(c, stack):
    login_holder(c, stack)
    f = log_form(stack, subject_given_name="x" * 101)
    r = c.post("/logg/ny", urlencode(f))
    assert r.status == 422 and field_error(r.text, "subject_given_name") == "Bruk høyst 100 tegn.", r
    f = log_form(stack, holder="1")
    assert c.post("/logg/ny", urlencode(f)).status == 400
    assert one(stack, "SELECT COUNT(*) FROM person WHERE given_name = '%s'" % f["g1_given_name"]) == "0"


def test_a_registered_number_is_attached_whatever_the_name_and_the_answer_tells_nothing(c, stack):
    """A number is the person: typed with another name than the one
    registered, the log is still made, exactly as for an unregistered
    number, so the answer reveals nothing of who is registered. The log shows
    the name the holder typed; the registered person's own record (names,
    phone, e-mail) is not touched by someone else's form."""
    login_holder(c, stack)
    kari = stack.pid("Kari", "Fjelltun")
    kari_id = demo_person(stack, "Kari", "Fjelltun")
    record = "SELECT CONCAT_WS('|', given_name, family_name, phone, email, version) FROM person WHERE id = %d" % kari_id
    before = one(stack, record)
    log_id, f = create_log(c, stack, g1_nin=kari, g1_given_name="Karin", g1_family_name="Feilnavn",
                           g1_phone="+47 999 99 999", g1_email="ny@fjordvik.example")
    assert one(stack, "SELECT GROUP_CONCAT(person_id) FROM log_guardian WHERE log_id = %d AND person_id = %d"
               % (log_id, kari_id)) == str(kari_id)
    assert one(stack, record) == before
    page = c.get("/logg/%d" % log_id).text
    assert "Karin Feilnavn" in page and "Fjelltun" not in page.replace(f["subject_family_name"], "")
    # An unregistered number in the same place: the same answer.
    other, _ = create_log(c, stack)
    assert other != log_id
    # The name as registered attaches the same person too.
    people = one(stack, "SELECT COUNT(*) FROM person")
    log2, f2 = create_log(c, stack, g1_nin=kari, g1_given_name="kari", g1_family_name="fjelltun",
                          g2_given_name="", g2_family_name="", g2_nin="")
    assert one(stack, "SELECT GROUP_CONCAT(person_id) FROM log_guardian WHERE log_id = %d" % log2) == str(kari_id)
    assert int(one(stack, "SELECT COUNT(*) FROM person")) == int(people) + 1  # the child only


def test_every_lookup_by_number_is_audited_even_when_the_request_fails(c, stack):
    login_holder(c, stack)
    marte = demo_person(stack, "Marte", "Haugland")
    lookups = "action = 'person.lookup' AND person_id = %d" % marte
    before = audit_count(stack, lookups)
    create_log(c, stack)  # the child and two guardians
    assert audit_count(stack, lookups) == before + 3
    # A young person below the consent age without a guardian: refused at the
    # field after the number was looked up; the log is gone, the look-up kept.
    f = log_form(stack, subject_kind="youth", subject_nin=synthetic_nin(2015, 2015),
                 g1_given_name="", g1_family_name="", g1_nin="", g1_phone="", g1_email="",
                 g2_given_name="", g2_family_name="", g2_nin="")
    r = c.post("/logg/ny", urlencode(f))
    assert r.status == 422, r
    assert one(stack, "SELECT COUNT(*) FROM person WHERE given_name = '%s'" % f["subject_given_name"]) == "0"
    assert audit_count(stack, lookups) == before + 4
    # The rows hold no number and no name: the person by internal id, or "new".
    details = stack.sql("SELECT DISTINCT COALESCE(detail, '') FROM audit_log WHERE " + lookups).split()
    assert all(d == "new" or d == "person" or d.isdigit() for d in details), details


def test_the_same_form_sent_twice_makes_one_log(c, stack):
    """SECURITY.md R6: the form carries a token used once; a second post of
    it, one after the other or at the same time, goes to the log the first
    made instead of making another."""
    login_holder(c, stack)
    page = c.get("/logg/ny").text
    once = re.search(r'name="_once" value="([^"]+)"', page)
    assert once, "the form has no single-use token"
    f = log_form(stack)
    f["_once"] = once.group(1)
    r1 = c.post("/logg/ny", urlencode(f))
    r2 = c.post("/logg/ny", urlencode(f))
    assert r1.status == 303 and r2.status == 303, (r1, r2)
    assert r1.header("location") == r2.header("location")
    assert one(stack, "SELECT COUNT(*) FROM person WHERE given_name = '%s'" % f["subject_given_name"]) == "1"
    # Two at once: one log, and neither answer is an error.
    import threading
    f = log_form(stack)
    f["_once"] = re.search(r'name="_once" value="([^"]+)"', c.get("/logg/ny").text).group(1)
    answers = []

    def post():
        answers.append(fresh_client_post(c, f))
    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a.status for a in answers) == [303, 303], answers
    assert one(stack, "SELECT COUNT(*) FROM log l JOIN person p ON p.id = l.subject_person_id"
               " WHERE p.given_name = '%s'" % f["subject_given_name"]) == "1"
    # A token made up, or another person's, is not taken.
    f = log_form(stack)
    f["_once"] = "x" * 40
    assert c.post("/logg/ny", urlencode(f)).status == 400
    other = fresh(c)
    login(other, stack, stack.pid("Hanne", "Lien"))
    f["_once"] = re.search(r'name="_once" value="([^"]+)"', other.get("/logg/ny").text).group(1)
    assert c.post("/logg/ny", urlencode(f)).status == 400


def fresh_client_post(c, f):
    """The same browser (its cookies) on a connection of its own."""
    other = Client((c.host, c.port), c.name)
    other.cookies = dict(c.cookies)
    return other.post("/logg/ny", urlencode(f))


def test_only_cleared_staff_may_create_a_log(c, stack):
    eirik = demo_person(stack, "Eirik", "Brekke")
    login(c, stack, stack.pid("Eirik", "Brekke"))
    assert 'href="/logg/ny"' not in c.get("/min-side").text
    denials = audit_count(stack, "action = 'log.create' AND outcome = 'deny' AND person_id = %d" % eirik)
    assert c.get("/logg/ny").status == 403
    f = log_form(stack, unit=str(unit_id(stack, "Fjordvik skole")))
    assert c.post("/logg/ny", urlencode(f)).status == 403
    assert audit_count(stack, "action = 'log.create' AND outcome = 'deny' AND person_id = %d"
                       % eirik) == denials + 2
    assert one(stack, "SELECT COUNT(*) FROM person WHERE given_name = '%s'" % f["subject_given_name"]) == "0"
    # Cleared, but not in the unit asked for: a field message, nothing made.
    other = fresh(c)
    login_holder(other, stack)
    r = other.post("/logg/ny", urlencode(log_form(stack, unit=str(unit_id(stack, "Fjordvik skole")))))
    assert r.status == 422 and field_error(r.text, "unit"), r
    # Anonymous: nothing.
    anon = fresh(c)
    assert anon.get("/logg/ny").status == 303
    assert anon.post("/logg/ny", urlencode(log_form(stack))).status == 403
