"""test_consent.py — giving and recording consent (cgi-bin/consent.c,
lib/consent.c): a paper form recorded by the holder with its scan and a
guardian's own digital consent make a draft active; uploads are sniffed and
bounded; an expired consent makes the log read-only until renewed; widening
the cooperation reaches a service only when every guardian has named it;
the log page warns ahead of expiry; every change is in log_history and
audit_log. Withdrawing is test_consent_withdraw.py, the scan
test_document.py; both use this file's helpers.

The suite runs behind nginx and then Apache on one database, so every test
makes its own log with two new guardians (synthetic numbers, month + 80)."""
import re
import secrets

from harness import Client, login, synthetic_nin

# A whole PDF: its one object, binary bytes and what looks like a multipart
# boundary, and the startxref that points at the object.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n\x00\xff binary \r\n--x\r\nstartxref\n9\n%%EOF\n"
# A whole PNG of one pixel: signature, IHDR, IDAT and IEND, each with its CRC.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
       b"\x00\x00\x00\nIDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND\xaeB`\x82")
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def one(stack, sql):
    return stack.sql(sql).strip()


def count(stack, table, where):
    return int(one(stack, "SELECT COUNT(*) FROM %s WHERE %s" % (table, where)))


def unit_id(stack, name):
    return int(one(stack, "SELECT id FROM unit WHERE name = '%s'" % name))


def person_id(stack, given, family):
    return int(one(stack, "SELECT id FROM person WHERE given_name = '%s' AND family_name = '%s'"
                   % (given, family)))


def as_person(c, stack, nin):
    """A new browser logged in as nin."""
    b = Client((c.host, c.port), c.name)
    r, _ = login(b, stack, nin)
    assert r.status == 303, r
    return b


def fresh_log(c, stack):
    """A draft log in Solsikken barnehage held by Marte Haugland, for a
    child born 2020 with two new guardians who can log in (registered
    through the unit leader's own form, then their staff role removed), and
    Live Mo (health station) as an actor. Returns the ids and numbers."""
    sfx = secrets.token_hex(3)
    kindergarten = unit_id(stack, "Solsikken barnehage")
    leader = as_person(c, stack, stack.pid("Torbjørn", "Vik"))
    people = {}
    for key, given, year in (("child", "Barn", 2020), ("g1", "Mor", 1988), ("g2", "Far", 1986)):
        nin = synthetic_nin(year, year)
        family = "Samtykke-%s" % sfx
        from urllib.parse import urlencode
        r = leader.post("/enhet/%d/ansatt" % kindergarten, urlencode({
            "given_name": given, "family_name": family, "nin": nin, "title": "Forelder",
            "email": "samtykke@fjordvik.example", "phone": ""}))
        assert r.status == 303, r
        # By the registration (its names as typed): a number drawn twice in the suite is one
        # person, whose own record keeps the names it was first registered with.
        people[key] = (int(one(stack, "SELECT person_id FROM staff_role WHERE given_name = '%s'"
                                      " AND family_name = '%s'" % (given, family))), nin)
    ids = ",".join(str(p[0]) for p in people.values())
    stack.sql("DELETE FROM staff_role WHERE person_id IN (%s)" % ids)
    muni = int(one(stack, "SELECT id FROM municipality WHERE slug = 'fjordvik'"))
    holder = person_id(stack, "Marte", "Haugland")
    actor = person_id(stack, "Live", "Mo")
    health = unit_id(stack, "Fjordvik helsestasjon")
    log = int(one(stack, "INSERT INTO log (municipality_id, subject_person_id, subject_kind, holder_person_id,"
                  " unit_id, state) VALUES (%d, %d, 'child', %d, %d, 'draft'); SELECT LAST_INSERT_ID()"
                  % (muni, people["child"][0], holder, kindergarten)))
    stack.sql("INSERT INTO log_guardian (municipality_id, log_id, person_id) VALUES (%d, %d, %d), (%d, %d, %d);"
              "INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id) VALUES (%d, %d, %d, %d)"
              % (muni, log, people["g1"][0], muni, log, people["g2"][0], muni, log, actor, health))
    return {"log": log, "g1": people["g1"], "g2": people["g2"], "kindergarten": kindergarten,
            "health": health, "ppt": unit_id(stack, "PPT Fjordvik"), "family": family}


def multipart(c, fields, filename="skjema.pdf", data=PDF, ctype="application/pdf"):
    """A multipart/form-data body as a browser sends the paper form, with
    this browser's CSRF token; returns (body, headers)."""
    boundary = "----stafett" + secrets.token_hex(8)
    out = b""
    pairs = [(name, v) for name, value in fields.items() for v in (value if isinstance(value, list) else [value])]
    for name, value in pairs + [("_csrf", c.csrf())]:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                % (boundary, name, value)).encode()
    if data is not None:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"document\"; filename=\"%s\"\r\n"
                "Content-Type: %s\r\n\r\n" % (boundary, filename, ctype)).encode() + data + b"\r\n"
    out += ("--%s--\r\n" % boundary).encode()
    return out, {"Content-Type": "multipart/form-data; boundary=" + boundary}


def paper(c, log, fields, **kw):
    body, headers = multipart(c, fields, **kw)
    return c.request("POST", "/logg/%d/samtykke/papir" % log, body=body, headers=headers)


def today(stack):
    return one(stack, "SELECT CURRENT_DATE")


def consent_rows(stack, log):
    return count(stack, "consent", "log_id = %d" % log)


def both_establish(c, stack, f):
    """The holder records g1's paper form; g2 consents digitally. Returns
    the holder's and g2's browsers."""
    holder = as_person(c, stack, stack.pid("Marte", "Haugland"))
    r = paper(holder, f["log"], {"person": f["g1"][0], "kind": "establish", "given_at": today(stack)})
    assert r.status == 303 and r.header("location") == "/logg/%d/samtykke?lagret=samtykke" % f["log"], r
    g2 = as_person(c, stack, f["g2"][1])
    r = g2.post("/logg/%d/samtykke/digital" % f["log"], "kind=establish")
    assert r.status == 303, r
    return holder, g2


def test_paper_and_digital_consent_make_a_draft_active(c, stack):
    f = fresh_log(c, stack)
    log = f["log"]
    holder = as_person(c, stack, stack.pid("Marte", "Haugland"))
    r = holder.get("/logg/%d/samtykke" % log)
    assert r.status == 200, r
    assert "Mor Samtykke" in r.text and "Far Samtykke" in r.text
    assert 'enctype="multipart/form-data"' in r.text and 'action="/logg/%d/samtykke/papir"' % log in r.text
    assert 'action="/logg/%d/samtykke/digital"' % log not in r.text  # the holder gives no consent
    assert 'id="consent-waiting"' in r.text
    # Reading the consent page is a read of the log: audited, and on the list the guardians see.
    assert count(stack, "audit_log", "log_id = %d AND action = 'log.consent' AND outcome = 'allow'"
                 " AND role = 'holder'" % log) == 1
    # The actor sees nothing of a draft, not even with a valid cooperation consent.
    actor = as_person(c, stack, stack.pid("Live", "Mo"))
    assert actor.get("/logg/%d" % log).status == 403
    assert actor.get("/logg/%d/samtykke" % log).status == 403

    audits = count(stack, "audit_log", "log_id = %d AND action = 'consent.paper' AND outcome = 'allow'" % log)
    r = paper(holder, log, {"person": f["g1"][0], "kind": "establish", "given_at": today(stack)})
    assert r.status == 303, r
    assert count(stack, "audit_log", "log_id = %d AND action = 'consent.paper' AND outcome = 'allow'"
                 % log) == audits + 1
    row = one(stack, "SELECT CONCAT_WS(' ', c.method, c.kind, c.given_at = CURRENT_DATE,"
              " c.valid_until = DATE_ADD(CURRENT_DATE, INTERVAL 2 YEAR), d.media_type, d.size,"
              " HEX(d.sha256) = UPPER(SHA2(d.data, 256)), c.recorded_by = l.holder_person_id)"
              " FROM consent c JOIN document d ON d.id = c.document_id JOIN log l ON l.id = c.log_id"
              " WHERE c.log_id = %d" % log)
    assert row == "signed_form establish 1 1 application/pdf %d 1 1" % len(PDF), row
    # One guardian is not enough: still a draft, nothing shared.
    assert one(stack, "SELECT CONCAT_WS(' ', state, consent_until IS NULL) FROM log WHERE id = %d"
               % log) == "draft 1"

    g2 = as_person(c, stack, f["g2"][1])
    r = g2.get("/logg/%d/samtykke" % log)
    assert r.status == 200 and 'action="/logg/%d/samtykke/digital"' % log in r.text, r
    assert 'action="/logg/%d/samtykke/papir"' % log not in r.text
    assert "/samtykke/dokument/" not in r.text  # the scan is the holder's
    r = g2.post("/logg/%d/samtykke/digital" % log, "kind=establish")
    assert r.status == 303 and r.header("location").startswith("/logg/%d/samtykke?kvittering=" % log), r
    assert one(stack, "SELECT CONCAT_WS(' ', state, consent_until = DATE_ADD(CURRENT_DATE, INTERVAL 2 YEAR))"
               " FROM log WHERE id = %d" % log) == "active 1"
    assert one(stack, "SELECT CONCAT_WS(' ', method, person_id, recorded_by) FROM consent WHERE log_id = %d"
               " AND method = 'digital'" % log) == "digital %d %d" % (f["g2"][0], f["g2"][0])
    # The history says who changed what, and the audit trail has every step.
    assert count(stack, "log_history", "log_id = %d AND entity = 'log' AND field = 'state'"
                 " AND old_value = 'draft' AND new_value = 'active' AND person_id = %d" % (log, f["g2"][0])) == 1
    assert count(stack, "log_history", "log_id = %d AND entity = 'consent' AND field = 'method'" % log) == 2
    assert count(stack, "audit_log", "log_id = %d AND action = 'consent.digital' AND outcome = 'allow'"
                 " AND person_id = %d AND role = 'guardian'" % (log, f["g2"][0])) == 1
    # The log page shows the consent as valid, to the holder and the guardian.
    r = holder.get("/logg/%d" % log)
    assert r.status == 200 and 'id="consent-valid"' in r.text and 'href="/logg/%d/samtykke"' % log in r.text
    r = g2.get("/logg/%d/samtykke" % log)
    assert r.text.count("consent-given") == 2, r.text


def test_an_upload_that_is_not_pdf_jpeg_or_png_is_a_field_message(c, stack):
    f = fresh_log(c, stack)
    log = f["log"]
    holder = as_person(c, stack, stack.pid("Marte", "Haugland"))
    docs = count(stack, "document", "log_id = %d" % log)
    fields = {"person": f["g1"][0], "kind": "establish", "given_at": today(stack)}
    r = paper(holder, log, fields, filename="skjema.pdf", data=HTML, ctype="application/pdf")
    assert r.status == 422, r
    assert re.search(r'<p class="ds-validation-message"[^>]* id="paper-document-error">[^<]+</p>', r.text), r.text
    assert 'aria-invalid="true" aria-describedby="paper-document-error"' in r.text
    # What was typed comes back; nothing was stored.
    assert 'value="%s"' % today(stack) in r.text
    assert consent_rows(stack, log) == 0 and count(stack, "document", "log_id = %d" % log) == docs
    # No file at all, and a PNG with a lying name and type: the sniff decides.
    r = paper(holder, log, fields, data=None)
    assert r.status == 422 and 'id="paper-document-error"' in r.text, r
    r = paper(holder, log, fields, filename="x.html", data=PNG, ctype="text/html")
    assert r.status == 303, r
    assert one(stack, "SELECT d.media_type FROM consent c JOIN document d ON d.id = c.document_id"
               " WHERE c.log_id = %d" % log) == "image/png"
    # A date in the future and a valid-until beyond the municipality's two years.
    r = paper(holder, log, dict(fields, given_at="2999-01-01"))
    assert r.status == 422 and 'id="paper-given-error"' in r.text, r
    assert '<a class="ds-link" href="#paper-given">' in r.text, "the summary links to the paper form's field"
    r = paper(holder, log, dict(fields, valid_until="2999-01-01"))
    assert r.status == 422 and 'id="paper-until-error"' in r.text, r
    # Cooperation without a service, and a person who is not a guardian here.
    r = paper(holder, log, dict(fields, kind="cooperate"))
    assert r.status == 422 and 'id="paper-scope-error"' in r.text, r
    assert '<a class="ds-link" href="#paper-scope">' in r.text and 'id="paper-scope"' in r.text
    r = paper(holder, log, dict(fields, person=person_id(stack, "Kari", "Fjelltun")))
    assert r.status == 422 and 'id="paper-person-error"' in r.text, r
    assert consent_rows(stack, log) == 1
    # A unit that is not a field of the form is a bad request.
    r = paper(holder, log, dict(fields, unit_999999999=1))
    assert r.status == 400, r
    # A service that is not one of the municipality's: a message, not a consent.
    r = paper(holder, log, dict(fields, kind="cooperate", unit=999999999))
    assert r.status == 422 and 'id="paper-scope-error"' in r.text, r
    # A scan of a few megabytes is fine (more than a form's http.max_body);
    # more than http.max_upload is refused before the program reads it.
    big = PDF + b"\x00" * (3 << 20)
    r = paper(holder, log, dict(fields, kind="cooperate", unit=f["health"]), data=big)
    assert r.status == 303, r
    assert one(stack, "SELECT MAX(size) FROM document WHERE log_id = %d" % log) == str(len(big))
    r = paper(holder, log, fields, data=PDF + b"\x00" * (10 << 20))
    assert r.status == 413, r
    assert consent_rows(stack, log) == 2


def test_expired_consent_makes_the_log_read_only_until_renewed(c, stack):
    f = fresh_log(c, stack)
    log = f["log"]
    holder, g2 = both_establish(c, stack, f)
    # Two years pass: the consents and so the log's consent end yesterday.
    stack.sql("UPDATE consent SET given_at = DATE_SUB(CURRENT_DATE, INTERVAL 2 YEAR),"
              " valid_until = DATE_SUB(CURRENT_DATE, INTERVAL 1 DAY) WHERE log_id = %d;"
              "UPDATE log SET consent_until = DATE_SUB(CURRENT_DATE, INTERVAL 1 DAY) WHERE id = %d" % (log, log))
    r = holder.get("/logg/%d" % log)
    assert r.status == 200 and 'id="consent-read-only"' in r.text, r
    assert 'id="consent-valid"' not in r.text
    r = g2.get("/logg/%d/samtykke" % log)
    assert r.status == 200 and r.text.count("consent-expired") == 2, r
    # Renewal stays possible: g2 digitally, then the holder g1's new paper form.
    r = g2.post("/logg/%d/samtykke/digital" % log, "kind=establish")
    assert r.status == 303, r
    assert holder.get("/logg/%d" % log).text.count('id="consent-read-only"') == 1  # g1's has still expired
    r = paper(holder, log, {"person": f["g1"][0], "kind": "establish", "given_at": today(stack),
                            "valid_until": one(stack, "SELECT DATE_ADD(CURRENT_DATE, INTERVAL 20 DAY)")})
    assert r.status == 303, r
    assert one(stack, "SELECT consent_until = DATE_ADD(CURRENT_DATE, INTERVAL 20 DAY) FROM log WHERE id = %d"
               % log) == "1"
    r = holder.get("/logg/%d" % log)
    assert 'id="consent-read-only"' not in r.text and 'id="consent-expiring"' in r.text, r.text
    assert count(stack, "log_history", "log_id = %d AND entity = 'log' AND field = 'consent_until'" % log) >= 2


def test_widening_reaches_a_service_only_when_every_guardian_names_it(c, stack):
    f = fresh_log(c, stack)
    log = f["log"]
    holder, g2 = both_establish(c, stack, f)
    g1 = as_person(c, stack, f["g1"][1])
    actor = as_person(c, stack, stack.pid("Live", "Mo"))
    ppt = as_person(c, stack, stack.pid("Nils", "Dahle"))
    muni = one(stack, "SELECT municipality_id FROM log WHERE id = %d" % log)
    stack.sql("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id) VALUES (%s, %d, %d, %d)"
              % (muni, log, person_id(stack, "Nils", "Dahle"), f["ppt"]))
    for who in (g1, g2):
        r = who.post("/logg/%d/samtykke/digital" % log, "kind=cooperate&unit=%d" % f["kindergarten"])
        assert r.status == 303, r
    assert actor.get("/logg/%d" % log).status == 403
    # g1 widens to the health station and PPT: not yet enough.
    r = g1.post("/logg/%d/samtykke/digital" % log, "kind=cooperate&unit=%d&unit=%d&unit=%d"
                % (f["kindergarten"], f["health"], f["ppt"]))
    assert r.status == 303, r
    assert actor.get("/logg/%d" % log).status == 403 and ppt.get("/logg/%d" % log).status == 403
    # The holder records g2's paper form naming the health station: now it is covered, PPT is not.
    r = paper(holder, log, {"person": f["g2"][0], "kind": "cooperate", "given_at": today(stack),
                            "unit": [f["kindergarten"], f["health"]]})
    assert r.status == 303, r
    assert actor.get("/logg/%d" % log).status == 200
    assert ppt.get("/logg/%d" % log).status == 403
    rows = one(stack, "SELECT GROUP_CONCAT(unit_id ORDER BY unit_id) FROM consent_service WHERE log_id = %d" % log)
    assert rows == ",".join(str(u) for u in sorted([f["kindergarten"], f["health"]])), rows
    assert one(stack, "SELECT COUNT(*) = SUM(valid_until = DATE_ADD(CURRENT_DATE, INTERVAL 2 YEAR))"
               " FROM consent_service WHERE log_id = %d" % log) == "1"
    # The status shows each guardian's scope by name.
    r = holder.get("/logg/%d/samtykke" % log)
    assert "Fjordvik helsestasjon" in r.text and "PPT Fjordvik" in r.text
    # Withdrawing one guardian's cooperation takes the services away again, not the log.
    r = g2.post("/logg/%d/samtykke/trekk" % log, "kind=cooperate")
    assert r.status == 303 and r.header("location") == "/logg/%d/samtykke?lagret=trukket" % log, r
    assert actor.get("/logg/%d" % log).status == 403
    assert count(stack, "consent_service", "log_id = %d" % log) == 0
    assert g2.get("/logg/%d" % log).status == 200
    assert count(stack, "log_history", "log_id = %d AND entity = 'consent' AND field = 'scope'" % log) == 4
    assert count(stack, "audit_log", "log_id = %d AND action IN ('consent.paper', 'consent.digital',"
                 " 'consent.withdraw') AND outcome = 'allow'" % log) == 7


def test_the_log_page_warns_ahead_of_expiry(c, stack):
    """The demo: Jonas Bergli's consents end in 20 days (within
    consent.warn_days, 30), Emma Fjelltun's in well over a year."""
    jonas = int(one(stack, "SELECT l.id FROM log l JOIN person p ON p.id = l.subject_person_id"
                    " WHERE p.given_name = 'Jonas' AND p.family_name = 'Bergli'"))
    emma = int(one(stack, "SELECT l.id FROM log l JOIN person p ON p.id = l.subject_person_id"
                   " WHERE p.given_name = 'Emma' AND p.family_name = 'Fjelltun'"))
    assert one(stack, "SELECT DATEDIFF(consent_until, CURRENT_DATE) FROM log WHERE id = %d" % jonas) == "20"
    siri = as_person(c, stack, stack.pid("Siri", "Bergli"))
    r = siri.get("/logg/%d" % jonas)
    assert r.status == 200 and 'id="consent-expiring"' in r.text, r
    assert 'id="consent-read-only"' not in r.text and 'id="consent-valid"' not in r.text
    r = siri.get("/logg/%d/samtykke" % jonas)
    assert r.status == 200 and r.text.count('<tr class="consent-expiring">') == 4, r  # two guardians, two kinds
    kari = as_person(c, stack, stack.pid("Kari", "Fjelltun"))
    r = kari.get("/logg/%d" % emma)
    assert r.status == 200 and 'id="consent-valid"' in r.text and 'id="consent-expiring"' not in r.text, r


def test_a_scan_must_be_a_pdf_jpeg_or_png_by_its_structure(c, stack):
    """Not only its first bytes: a file that starts like a PDF or a PNG but
    is not one is refused at the field, and nothing is stored."""
    f = fresh_log(c, stack)
    log = f["log"]
    holder = as_person(c, stack, stack.pid("Marte", "Haugland"))
    docs = count(stack, "document", "log_id = %d" % log)
    fields = {"person": f["g1"][0], "kind": "establish", "given_at": today(stack)}
    for fake in (b"%PDF-1.4\n<script>alert(1)</script>", b"\x89PNG\r\n\x1a\n" + HTML,
                 b"\xff\xd8\xff\xe0" + HTML, PNG[:-12]):
        r = paper(holder, log, fields, data=fake)
        assert r.status == 422 and 'id="paper-document-error"' in r.text, (fake[:12], r)
    assert count(stack, "document", "log_id = %d" % log) == docs and consent_rows(stack, log) == 0
    r = paper(holder, log, fields, data=PNG)
    assert r.status == 303, r


def test_a_holder_who_is_a_guardian_gives_no_consent_on_their_own_log(c, stack):
    """The holder who is also registered as one of the guardians neither
    consents digitally on the log they hold nor records a paper consent on
    it (for themself or the other guardian): someone else must."""
    f = fresh_log(c, stack)
    log = f["log"]
    marte = person_id(stack, "Marte", "Haugland")
    muni = one(stack, "SELECT municipality_id FROM log WHERE id = %d" % log)
    stack.sql("INSERT INTO log_guardian (municipality_id, log_id, person_id) VALUES (%s, %d, %d)"
              % (muni, log, marte))
    holder = as_person(c, stack, stack.pid("Marte", "Haugland"))
    try:
        denials = count(stack, "audit_log", "log_id = %d AND outcome = 'deny' AND person_id = %d" % (log, marte))
        assert holder.post("/logg/%d/samtykke/digital" % log, "kind=establish").status == 403
        for who in (marte, f["g2"][0]):
            r = paper(holder, log, {"person": who, "kind": "establish", "given_at": today(stack)})
            assert r.status == 403, r
        assert consent_rows(stack, log) == 0
        assert count(stack, "audit_log", "log_id = %d AND outcome = 'deny' AND person_id = %d"
                     % (log, marte)) == denials + 3
        # The guardians themselves still consent, each for themself only.
        g2 = as_person(c, stack, f["g2"][1])
        assert g2.post("/logg/%d/samtykke/digital" % log, "kind=establish").status == 303
        assert count(stack, "consent", "log_id = %d AND person_id = %d AND recorded_by = %d"
                     % (log, f["g2"][0], f["g2"][0])) == 1
        assert g2.post("/logg/%d/samtykke/digital" % log,
                       "kind=establish&person=%d" % f["g1"][0]).status == 400
    finally:
        stack.sql("DELETE FROM log_guardian WHERE log_id = %d AND person_id = %d" % (log, marte))


# --- informed consent: the texts, the two steps and the receipts ----------

MONTHS_NO = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
             "november", "desember"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]


def choose_language(browser, lang):
    """The person's own choice of language (it beats the browser's)."""
    r = browser.post("/lang", "lang=%s&back=/min-side" % lang)
    assert r.status == 303, r


def long_date(iso, en=False):
    """2028-12-02 as a page writes it: "2. desember 2028" (nb, nn) or "2 December 2028"."""
    y, m, d = (int(x) for x in iso[:10].split("-"))
    return "%d %s %d" % (d, MONTHS_EN[m - 1], y) if en else "%d. %s %d" % (d, MONTHS_NO[m - 1], y)


def recorded_when(stack, consent_id, en=False):
    """When the consent was recorded, stored in UTC, as the clock in Oslo
    showed it: "2. desember 2026 kl. 10.14" (or "2 December 2026 at 10:14")."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo
    utc = one(stack, "SELECT DATE_FORMAT(created_at, '%%Y-%%m-%%d %%H:%%i') FROM consent WHERE id = %d"
              % consent_id)
    t = datetime.strptime(utc, "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc).astimezone(ZoneInfo("Europe/Oslo"))
    if en:
        return "%d %s %d at %02d:%02d" % (t.day, MONTHS_EN[t.month - 1], t.year, t.hour, t.minute)
    return "%d. %s %d kl. %02d.%02d" % (t.day, MONTHS_NO[t.month - 1], t.year, t.hour, t.minute)


def consent_ends(stack):
    """The day a consent given today ends, by Fjordvik's setting (ISO)."""
    return one(stack, "SELECT DATE_ADD(CURRENT_DATE, INTERVAL consent_valid_years YEAR) FROM municipality"
               " WHERE slug = 'fjordvik'")


def element(html, id_):
    """The markup inside the element with this id (up to its own end tag)."""
    m = re.search(r'<(\w+)\b[^>]*\bid="%s"[^>]*>' % re.escape(id_), html)
    assert m, "no element with id %s" % id_
    end = html.index("</%s>" % m.group(1), m.end())
    return html[m.end():end]


def words(markup):
    """The text of some markup as a reader gets it: no tags, one space between words."""
    import html as h
    return " ".join(h.unescape(re.sub(r"<[^>]+>", " ", markup)).split()).replace(" .", ".").replace(" ,", ",")


def latest_consent(stack, log, person, kind):
    return int(one(stack, "SELECT MAX(id) FROM consent WHERE log_id = %d AND person_id = %d AND kind = '%s'"
                   % (log, person, kind)))


def test_a_guardian_is_told_what_each_consent_means_one_step_at_a_time(c, stack):
    """Step 1 (to establish the log) and step 2 (to cooperation with the
    services chosen) are two pages with their own texts, in that order: what
    the log is for, who sees it (the services at work, by name), until when
    (the municipality's setting), that consent can be withdrawn and what
    then happens, and whom to ask. A receipt with the Oslo time follows each
    as a status message, and stays findable on the page and from /min-side."""
    f = fresh_log(c, stack)
    log, child = f["log"], "Barn " + f["family"]
    until = long_date(consent_ends(stack))
    g1 = as_person(c, stack, f["g1"][1])
    r = g1.get("/logg/%d/samtykke" % log)
    assert r.status == 200, r
    step = element(r.text, "consent-step-1")
    text = words(step)
    assert 'id="consent-step-2"' not in r.text and 'id="consent-receipt"' not in r.text
    assert text.startswith("Steg 1 av 2: Samtykke til å opprette stafettloggen"), text
    assert "En stafettlogg er en elektronisk loggbok rundt barnet ditt, %s," % child in text
    # Shared with whom: the holder's unit and the actor's service by name, with their people.
    assert "Stafettholderen Marte Haugland (Pedagogisk leder) i Solsikken barnehage har ansvaret" in text, text
    for name in ("Solsikken barnehage", "Fjordvik helsestasjon", "Live Mo, Helsesykepleier"):
        assert name in text, name
    assert "Samtykket gjelder til %s, om du ikke trekker det tilbake før." % until in text
    assert ("Du kan når som helst trekke samtykket tilbake, her på samtykkesiden. Det gjelder med en gang:"
            " loggen blir låst, en kopi blir arkivert i kommunens arkiv, og så blir loggen slettet.") in text
    email = one(stack, "SELECT email FROM person WHERE given_name = 'Marte' AND family_name = 'Haugland'")
    assert "Spør stafettholderen: Marte Haugland, Solsikken barnehage, e-post %s." % email in text
    assert 'href="mailto:%s"' % email.replace("@", "%40") in step or 'href="mailto:%s"' % email in step
    # Step 1's form gives the consent to establish and nothing else; step 2 cannot be jumped to.
    assert 'name="kind" value="establish"' in step and 'name="unit"' not in r.text
    r = g1.get("/logg/%d/samtykke?steg=2" % log)
    assert 'id="consent-step-1"' in r.text and 'id="consent-step-2"' not in r.text
    # The holder consents to nothing: no steps for them.
    holder = as_person(c, stack, stack.pid("Marte", "Haugland"))
    assert 'id="consent-step-1"' not in holder.get("/logg/%d/samtykke" % log).text

    r = g1.post("/logg/%d/samtykke/digital" % log, "kind=establish")
    est = latest_consent(stack, log, f["g1"][0], "establish")
    assert r.status == 303 and r.header("location") == "/logg/%d/samtykke?kvittering=%d" % (log, est), r
    r = g1.get(r.header("location"))
    assert re.search(r'<div class="ds-alert" data-color="success" role="status" id="consent-receipt">', r.text)
    assert words(element(r.text, "consent-receipt")) == (
        "Du samtykket %s til at det blir opprettet en stafettlogg for %s. Samtykket gjelder til %s."
        % (recorded_when(stack, est), child, until))
    # Then step 2, on its own.
    step = element(r.text, "consent-step-2")
    text = words(step)
    assert 'id="consent-step-1"' not in r.text
    assert text.startswith("Steg 2 av 2: Samtykke til samarbeid og informasjonsdeling"), text
    assert "Disse tjenestene arbeider med barnet nå: Solsikken barnehage" in text and "Fjordvik helsestasjon" in text
    assert "Samtykket gjelder til %s" % until in text
    assert ("Da mister de andre tjenestene tilgangen til loggen med en gang, og loggen fortsetter hos"
            " stafettholderen. Trekker du tilbake samtykket til selve loggen (steg 1), blir loggen låst,"
            " arkivert i kommunens arkiv og så slettet.") in text
    assert "Spør stafettholderen: Marte Haugland" in text
    assert 'name="kind" value="cooperate"' in step
    # Every service to choose, none ticked for them; those at work now say so.
    assert re.search(r'value="%d">\s*<label[^>]*>Fjordvik helsestasjon <span class="meta">\([^)]*,'
                     r' arbeider med loggen nå\)' % f["health"], step), step
    assert re.search(r'value="%d">\s*<label[^>]*>PPT Fjordvik <span class="meta">\([^,)]*\)' % f["ppt"], step)
    assert " checked" not in step
    # Without a service: the message at the list, and the error summary links to it.
    r = g1.post("/logg/%d/samtykke/digital" % log, "kind=cooperate")
    assert r.status == 422 and 'id="digital-scope-error"' in r.text and 'id="unit"' in r.text, r
    assert 'id="consent-step-2"' in r.text
    r = g1.post("/logg/%d/samtykke/digital" % log, "kind=cooperate&unit=%d&unit=%d" % (f["kindergarten"], f["health"]))
    coop = latest_consent(stack, log, f["g1"][0], "cooperate")
    assert r.status == 303 and r.header("location") == "/logg/%d/samtykke?kvittering=%d" % (log, coop), r
    r = g1.get(r.header("location"))
    assert words(element(r.text, "consent-receipt")) == (
        "Du samtykket %s til samarbeid og deling av opplysninger med disse tjenestene: Fjordvik helsestasjon,"
        " Solsikken barnehage. Samtykket gjelder til %s." % (recorded_when(stack, coop), until))
    assert 'id="consent-steps-done"' in r.text and 'id="consent-step-2"' not in r.text
    # Step 2 again (to widen): the services chosen before are ticked.
    r = g1.get("/logg/%d/samtykke?steg=2" % log)
    step = element(r.text, "consent-step-2")
    assert re.search(r'value="%d" checked' % f["health"], step) and not re.search(r'value="%d" checked' % f["ppt"], step)

    # Later: no status message, but both receipts on the consent page, and /min-side links to them.
    r = g1.get("/logg/%d/samtykke" % log)
    assert 'id="consent-receipt"' not in r.text and 'id="kvitteringer"' in r.text
    assert words(element(r.text, "kvittering-%d" % est)).startswith(
        "Du samtykket %s til at det blir opprettet en stafettlogg for %s." % (recorded_when(stack, est), child))
    assert words(element(r.text, "kvittering-%d" % coop)).startswith(
        "Du samtykket %s til samarbeid og deling av opplysninger" % recorded_when(stack, coop))
    r = g1.get("/min-side")
    assert 'href="/logg/%d/samtykke#kvitteringer"' % log in r.text, r.text
    # A signed form the holder records is on its signer's receipts too; another's receipt id shows nothing.
    r = paper(holder, log, {"person": f["g2"][0], "kind": "establish", "given_at": today(stack)})
    assert r.status == 303, r
    g2 = as_person(c, stack, f["g2"][1])
    paper_id = latest_consent(stack, log, f["g2"][0], "establish")
    r = g2.get("/logg/%d/samtykke?kvittering=%d" % (log, est))
    assert r.status == 200 and 'id="consent-receipt"' not in r.text, r
    assert words(element(r.text, "kvittering-%d" % paper_id)) == (
        "Du samtykket på et signert skjema datert %s til at det blir opprettet en stafettlogg for %s."
        " Samtykket gjelder til %s. Stafettholderen registrerte det %s."
        % (long_date(today(stack)), child, until, recorded_when(stack, paper_id)))
    assert "kvittering-%d" % est not in r.text
    # g2 is at step 2 now; the log became active with both establishing consents.
    assert 'id="consent-step-2"' in r.text
    assert one(stack, "SELECT state FROM log WHERE id = %d" % log) == "active"


def test_the_consent_steps_and_receipt_in_nynorsk(c, stack):
    f = fresh_log(c, stack)
    log, child = f["log"], "Barn " + f["family"]
    until = long_date(consent_ends(stack))
    g1 = as_person(c, stack, f["g1"][1])
    choose_language(g1, "nn")
    r = g1.get("/logg/%d/samtykke" % log)
    assert '<html lang="nn"' in r.text, r.text[:200]
    text = words(element(r.text, "consent-step-1"))
    assert text.startswith("Steg 1 av 2: Samtykke til å opprette stafettloggen"), text
    assert "Ein stafettlogg er ei elektronisk loggbok rundt barnet ditt, %s," % child in text
    assert "Stafetthaldaren Marte Haugland (Pedagogisk leder) i Solsikken barnehage har ansvaret" in text
    assert "Fjordvik helsestasjon" in text and "Live Mo" in text
    assert "Samtykket gjeld til %s, om du ikkje trekkjer det tilbake før." % until in text
    assert ("loggen blir låst, ein kopi blir arkivert i arkivet til kommunen, og så blir loggen sletta.") in text
    assert "Spør stafetthaldaren: Marte Haugland, Solsikken barnehage" in text
    r = g1.post("/logg/%d/samtykke/digital" % log, "kind=establish")
    est = latest_consent(stack, log, f["g1"][0], "establish")
    r = g1.get(r.header("location"))
    assert words(element(r.text, "consent-receipt")) == (
        "Du samtykte %s til at det blir oppretta ein stafettlogg for %s. Samtykket gjeld til %s."
        % (recorded_when(stack, est), child, until))
    text = words(element(r.text, "consent-step-2"))
    assert text.startswith("Steg 2 av 2: Samtykke til samarbeid og informasjonsdeling"), text
    assert "Desse tenestene arbeider med barnet no: Solsikken barnehage" in text
    assert "Då mistar dei andre tenestene tilgangen til loggen med ein gong" in text
    assert "blir loggen låst, arkivert i arkivet til kommunen og så sletta." in text
    r = g1.post("/logg/%d/samtykke/digital" % log, "kind=cooperate&unit=%d" % f["health"])
    coop = latest_consent(stack, log, f["g1"][0], "cooperate")
    r = g1.get(r.header("location"))
    assert words(element(r.text, "consent-receipt")) == (
        "Du samtykte %s til samarbeid og deling av opplysningar med desse tenestene: Fjordvik helsestasjon."
        " Samtykket gjeld til %s." % (recorded_when(stack, coop), until))
    # Found again later.
    r = g1.get("/logg/%d/samtykke" % log)
    assert 'id="consent-receipt"' not in r.text
    assert words(element(r.text, "kvittering-%d" % est)).startswith("Du samtykte %s" % recorded_when(stack, est))
    assert words(element(r.text, "receipts-h")) == "Samtykka dine og kvitteringar"


def test_the_consent_steps_in_english(c, stack):
    f = fresh_log(c, stack)
    log, child = f["log"], "Barn " + f["family"]
    until = long_date(consent_ends(stack), en=True)
    g1 = as_person(c, stack, f["g1"][1])
    choose_language(g1, "en")
    r = g1.get("/logg/%d/samtykke" % log)
    assert '<html lang="en"' in r.text, r.text[:200]
    text = words(element(r.text, "consent-step-1"))
    assert text.startswith("Step 1 of 2: Consent to establish the log"), text
    assert "around your child, %s," % child in text and "Fjordvik helsestasjon" in text
    assert "The consent lasts until %s" % until in text
    assert "a copy is kept in the municipality's archive, and then the log is deleted" in text
    assert "Ask the log holder: Marte Haugland, Solsikken barnehage" in text
    r = g1.post("/logg/%d/samtykke/digital" % log, "kind=establish")
    est = latest_consent(stack, log, f["g1"][0], "establish")
    r = g1.get(r.header("location"))
    assert words(element(r.text, "consent-receipt")) == (
        "You consented %s to a log being established for %s. The consent is valid until %s."
        % (recorded_when(stack, est, en=True), child, until))
    assert words(element(r.text, "consent-step-2")).startswith(
        "Step 2 of 2: Consent to cooperation and information sharing")


def self_log(c, stack, kind, year):
    """A draft log held by Marte Haugland whose subject consents for
    themself: a pregnant woman, or a young person over Fjordvik's consent
    age (15). Returns (log id, the subject's person id and number)."""
    from urllib.parse import urlencode
    kindergarten = unit_id(stack, "Solsikken barnehage")
    leader = as_person(c, stack, stack.pid("Torbjørn", "Vik"))
    nin, family = synthetic_nin(year, year), "Selv-%s" % secrets.token_hex(3)
    r = leader.post("/enhet/%d/ansatt" % kindergarten, urlencode({
        "given_name": "Ung", "family_name": family, "nin": nin, "title": "Elev",
        "email": "selv@fjordvik.example", "phone": ""}))
    assert r.status == 303, r
    person = person_id(stack, "Ung", family)
    stack.sql("DELETE FROM staff_role WHERE person_id = %d" % person)
    muni = int(one(stack, "SELECT id FROM municipality WHERE slug = 'fjordvik'"))
    log = int(one(stack, "INSERT INTO log (municipality_id, subject_person_id, subject_kind, holder_person_id,"
                  " unit_id, state, expected_date) VALUES (%d, %d, '%s', %d, %d, 'draft', %s);"
                  " SELECT LAST_INSERT_ID()"
                  % (muni, person, kind, person_id(stack, "Marte", "Haugland"), kindergarten,
                     "DATE_ADD(CURRENT_DATE, INTERVAL 4 MONTH)" if kind == "pregnancy" else "NULL")))
    return log, person, nin


def test_a_pregnant_woman_and_a_young_person_are_told_in_their_own_words(c, stack):
    """The pregnant woman consents for herself, and so does a young person at
    the consent age: the texts and the receipt speak to "du"/"deg", never of
    "barnet ditt"."""
    for kind, year, about, receipt in (
            ("pregnancy", 1995, "rundt deg og svangerskapet ditt når du trenger hjelp over tid",
             "til at det blir opprettet en stafettlogg for deg i svangerskapet."),
            ("youth", 2008, "rundt deg når du trenger hjelp over tid",
             "til at det blir opprettet en stafettlogg for deg.")):
        log, person, nin = self_log(c, stack, kind, year)
        me = as_person(c, stack, nin)
        r = me.get("/logg/%d/samtykke" % log)
        assert r.status == 200, (kind, r)
        text = words(element(r.text, "consent-step-1"))
        assert about in text and "Du ser loggen med din egen innlogging." in text, (kind, text)
        assert "barnet ditt" not in text and "foresatte" not in text, (kind, text)
        assert "Hjelpen til deg fortsetter uten loggen." in text
        r = me.post("/logg/%d/samtykke/digital" % log, "kind=establish")
        assert r.status == 303, (kind, r)
        est = latest_consent(stack, log, person, "establish")
        r = me.get(r.header("location"))
        assert words(element(r.text, "consent-receipt")).startswith(
            "Du samtykket %s %s" % (recorded_when(stack, est), receipt)), (kind, r.text)
        text = words(element(r.text, "consent-step-2"))
        assert "Disse tjenestene arbeider med deg nå" in text and "barnet" not in text, (kind, text)
        assert one(stack, "SELECT state FROM log WHERE id = %d" % log) == "active"


def test_the_consent_texts_say_the_same_in_each_language(c):
    """A municipality adjusts the texts (templates/consent_text_*.html): each
    language's version must use the same values and speak to the same
    people (voice.*), so none of the three is forgotten when another changes."""
    import os
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "templates")
    for name in ("consent_text_establish.html", "consent_text_cooperation.html"):
        src = open(os.path.join(here, name), encoding="utf-8").read()
        tags = {}
        for lang in ("nb", "nn", "en"):
            m = re.search(r"\{\{#if lang_%s\}\}(.*?)\n\{\{/if\}\}\n" % lang, src, re.S)
            assert m, (name, lang)
            found = re.findall(r"\{\{([^!}][^}]*)\}\}", m.group(1))
            tags[lang] = {re.sub(r"^#(if|unless) ", "", t) for t in found
                          if not t.startswith(("t ", "/")) and t != "else"}
        assert tags["nb"] == tags["nn"] == tags["en"], (name, tags)
