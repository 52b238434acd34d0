"""test_pdf.py — the log as a PDF/A (cgi-bin/log_pdf.c, /logg/ID/pdf): the
holder downloads it as an attachment with a fixed name, never cached; its
text (pdftotext) holds the measures, the minutes' decisions and æ ø å, in
the municipality's Bokmål; it is PDF/A-2b as far as Debian's tools can tell
(the XMP read out of the file says pdfaid:part 2 and conformance B, every
font embedded per pdffonts, an sRGB output intent in the catalog, qpdf
--check clean); a guardian with a protected address is named but their
phone and e-mail are not in it; an actor, a guardian, the leader, the
administrator and another municipality's staff are refused (403) and it is
audited. The log is made through the pages (create, goal, measures) and the
meeting and its minutes in the database, as other tests do."""
import os
import re
import subprocess
import tempfile
from types import SimpleNamespace

from harness import login
from log_helpers import (add_goal, add_measure, as_person, audit_count, create_log, demo_person, fresh,
                         login_holder, make_active, one, suffix, unit_id)
from test_meetings import nordheim_kari


def utf8(text):
    """A text as an SQL literal that survives the command-line client's character set."""
    return "CONVERT(X'%s' USING utf8mb4)" % text.encode("utf-8").hex()


def full_log(c, stack):
    """A log held by Marte Haugland with a concern, a goal, two measures with
    Norwegian letters, a held meeting with approved minutes, and two
    guardians: the first with a protected address."""
    sfx = suffix()
    login_holder(c, stack)
    hidden_phone, hidden_mail = "+47 913 57 246", "skjermet-%s@fjordvik.example" % sfx
    shown_mail = "synlig-%s@fjordvik.example" % sfx
    log, form = create_log(c, stack, g1_phone=hidden_phone, g1_email=hidden_mail, g2_phone="+47 922 33 444",
                           g2_email=shown_mail, subject_given_name="Åse-%s" % sfx)
    make_active(stack, log)
    muni = int(one(stack, "SELECT municipality_id FROM log WHERE id = %d" % log))
    holder = demo_person(stack, "Marte", "Haugland")
    g1 = int(one(stack, "SELECT person_id FROM log_guardian WHERE log_id = %d ORDER BY id LIMIT 1" % log))
    stack.sql("UPDATE person SET protected_address = TRUE, phone = '%s', email = '%s' WHERE id = %d"
              % (hidden_phone, hidden_mail, g1))
    concern = int(one(stack, "INSERT INTO concern (municipality_id, log_id, title, description, created_by)"
                             " VALUES (%d, %d, %s, %s, %d) RETURNING id"
                             % (muni, log, utf8("Språk og samspill %s" % sfx),
                                utf8("Ærlig talt: Øver lite, trekker seg unna leken på grønn avdeling."), holder)))
    f = SimpleNamespace(log=log, concern=concern)
    goal = add_goal(c, f, text="Åse bruker flere ord i leken")
    kindergarten = unit_id(stack, "Solsikken barnehage")
    measures = ["Språkgruppe med bærekraftige bøker %s" % sfx, "Lesestund på grønn avdeling, øving %s" % sfx]
    ids = [add_measure(c, f, goal, holder, kindergarten, description=m) for m in measures]
    meeting = int(one(stack, "INSERT INTO meeting (municipality_id, log_id, starts_at, minutes, place, created_by)"
                             " VALUES (%d, %d, UTC_TIMESTAMP() - INTERVAL 1 DAY, 60, %s, %d) RETURNING id"
                             % (muni, log, utf8("Møterommet"), holder)))
    decision = "Vi øker språkgruppa til tre dager i uka, så får vi se %s" % sfx
    minutes = int(one(stack, "INSERT INTO minutes (municipality_id, log_id, meeting_id, child_took_part, decisions,"
                             " approved_at, approved_by, created_by) VALUES (%d, %d, %d, TRUE, %s, UTC_TIMESTAMP(3),"
                             " %d, %d) RETURNING id" % (muni, log, meeting, utf8(decision), holder, holder)))
    stack.sql("INSERT INTO minutes_measure (minutes_id, measure_id) VALUES (%d, %d)" % (minutes, ids[0]))
    return SimpleNamespace(log=log, form=form, measures=measures, decision=decision, hidden_phone=hidden_phone,
                           hidden_mail=hidden_mail, shown_mail=shown_mail, sfx=sfx)


def run(*argv):
    r = subprocess.run(argv, capture_output=True, text=True)
    assert r.returncode == 0, (argv, r.stderr)
    return r.stdout


def qpdf_object(path, ref, stream=False):
    args = ["qpdf", "--show-object=" + ref]
    if stream:
        args.append("--filtered-stream-data")
    return run(*(args + [path]))


def test_the_holder_downloads_a_pdfa_with_everything_and_no_protected_contact(c, stack):
    f = full_log(c, stack)
    page = c.get("/logg/%d" % f.log)
    assert 'href="/logg/%d/pdf"' % f.log in page.text
    allowed = audit_count(stack, "log_id = %d AND action = 'log.pdf' AND outcome = 'allow'" % f.log)
    r = c.get("/logg/%d/pdf" % f.log)
    assert r.status == 200, r
    assert r.header("content-type") == "application/pdf"
    assert r.header("content-disposition") == 'attachment; filename="stafettlogg-%d.pdf"' % f.log
    assert "no-store" in r.header("cache-control")
    assert r.body.startswith(b"%PDF-")
    assert audit_count(stack, "log_id = %d AND action = 'log.pdf' AND outcome = 'allow'" % f.log) == allowed + 1

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "log.pdf")
        with open(path, "wb") as out:
            out.write(r.body)
        text = run("pdftotext", "-layout", path, "-")
        flat = re.sub(r"\s+", " ", text)
        # The parts of the log, in Bokmål, with the Norwegian letters.
        assert "Stafettlogg for Åse-%s" % f.sfx in flat
        assert "Stafettlogg nr. %d" % f.log in flat
        for m in f.measures:
            assert m in flat, m
        assert f.decision in flat
        assert "Åse bruker flere ord i leken" in flat
        assert "Ærlig talt: Øver lite, trekker seg unna leken på grønn avdeling." in flat
        assert "Språk og samspill %s" % f.sfx in flat
        assert all(ch in text for ch in "æøåÆØÅ")
        for word in ("Foresatte", "Samtykke", "Tiltak", "Møter", "Ansvarlig", "Frist", "Side 1 av"):
            assert word in flat, word
        # The guardian with a protected address: named, no phone, no e-mail.
        assert f.form["g1_given_name"] in flat
        assert "Skjermet adresse" in flat
        assert f.hidden_mail not in flat and "913 57 246" not in flat and "91357246" not in flat.replace(" ", "")
        # The other guardian's contact is there.
        assert f.shown_mail in flat

        # PDF/A-2b: the XMP out of the file.
        trailer = qpdf_object(path, "trailer")
        root = re.search(r"/Root (\d+) 0 R", trailer).group(1)
        catalog = qpdf_object(path, root)
        meta = re.search(r"/Metadata (\d+) 0 R", catalog).group(1)
        xmp = qpdf_object(path, meta, stream=True)
        assert re.search(r"pdfaid:part\s*=\s*['\"]2['\"]|<pdfaid:part>2</pdfaid:part>", xmp), xmp
        assert re.search(r"pdfaid:conformance\s*=\s*['\"]B['\"]|<pdfaid:conformance>B</pdfaid:conformance>", xmp)
        # An output intent in the catalog, with an sRGB profile.
        assert "/OutputIntents" in catalog
        intent = re.search(r"/OutputIntents \[ (\d+) 0 R", catalog).group(1)
        intent_obj = qpdf_object(path, intent)
        assert "/GTS_PDFA1" in intent_obj and "/DestOutputProfile" in intent_obj, intent_obj
        # Every font embedded.
        fonts = run("pdffonts", path).splitlines()[2:]
        assert fonts, "no fonts"
        for line in fonts:
            cols = line.split()
            # name type [type] encoding emb sub uni object ID: "emb" is the 5th from the end.
            assert cols[-5] == "yes", line
        assert any("DejaVuSerif" in line for line in fonts) and any("DejaVuSans" in line for line in fonts)
        # qpdf finds nothing wrong.
        check = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
        assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout
        info = run("pdfinfo", path)
        assert re.search(r"Pages:\s+\d+", info)
        assert "Stafettlogg nr. %d" % f.log in info  # the title: no names
        assert "Åse" not in info


def test_who_may_not_download_is_refused_and_it_is_audited(c, stack):
    f = full_log(c, stack)
    log = f.log
    muni = int(one(stack, "SELECT municipality_id FROM log WHERE id = %d" % log))
    nils = demo_person(stack, "Nils", "Dahle")
    stack.sql("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until)"
              " VALUES (%d, %d, %d, CURRENT_DATE + INTERVAL 365 DAY)" % (muni, log, unit_id(stack, "PPT Fjordvik")))
    stack.sql("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id) VALUES (%d, %d, %d, %d)"
              % (muni, log, nils, unit_id(stack, "PPT Fjordvik")))
    guardian = fresh(c)
    r, _ = login(guardian, stack, f.form["g2_nin"])
    assert r.status == 303, r
    others = [
        ("actor", as_person(c, stack, "Nils", "Dahle")),
        ("guardian", guardian),
        ("leader", as_person(c, stack, "Torbjørn", "Vik")),
        ("administrator", as_person(c, stack, "Ingrid", "Solberg")),
        ("another municipality", nordheim_kari(c, stack)),
    ]
    denied = audit_count(stack, "log_id = %d AND action = 'log.pdf' AND outcome = 'deny'" % log)
    for who, client in others:
        r = client.get("/logg/%d/pdf" % log)
        assert r.status == 403, (who, r)
        assert not r.body.startswith(b"%PDF"), who
    assert audit_count(stack, "log_id = %d AND action = 'log.pdf' AND outcome = 'deny'" % log) == denied + len(others)
    # The log page offers the download to the holder only.
    page = guardian.get("/logg/%d" % log)
    assert page.status == 200 and 'href="/logg/%d/pdf"' % log not in page.text
