"""test_archive.py — archive records and their delivery (lib/archive.c, the
job tools/stafett-archive.c, the folder drop lib/archive_folder.c, the
metadata lib/noark.c), against the real stack: its supervised archive job
and the development archive system (tools/archive-sink), which acknowledges
what lands in each municipality's folder VAR/archive/SLUG. A handover and a
closing each make a record with a public title without names; the job
delivers the PDF/A and the Noark 5 XML (valid against
tests/archive/noark-record.xsd), the archive acknowledges, the record shows
as archived with the archive's reference on the log page, the PDF's SHA-256
and size are the record's, the snapshot is erased. With the folder made
unwritable the record stays queued with its reason in words on the page,
nothing of it in the folder; once writable again it is delivered (by the job
run directly with --once). A withdrawal makes a 'withdrawn' record."""
import hashlib
import os
import re
import subprocess
from urllib.parse import urlencode

from harness import ROOT, wait_for
from log_helpers import as_person, demo_person, fixture_log, one
from test_consent import as_person as consent_person, both_establish, fresh_log
from test_handover import SCHOOL, offered
from test_log_state import change

XSD = os.path.join(ROOT, "tests", "archive", "noark-record.xsd")


def folder(stack, slug="fjordvik"):
    return os.path.join(stack.dir, "archive", slug)


def records(stack, log_id):
    """The log's records, oldest first: dicts of their columns."""
    cols = ("id", "kind", "state", "last_error", "archive_reference", "snapshot_erased", "sha256", "size", "pdfa",
            "delivered_as", "caused_by", "unit_id", "public_title", "screening", "lang", "document_date")
    out = []
    for line in stack.sql(
            "SELECT id, kind, state, COALESCE(last_error, ''), COALESCE(archive_reference, ''), snapshot IS NULL,"
            " LOWER(HEX(COALESCE(pdf_sha256, ''))), COALESCE(pdf_size, 0), pdfa, COALESCE(delivered_as, ''),"
            " caused_by, unit_id, HEX(public_title), screening, lang, document_date"
            " FROM archive_record WHERE log_id = %d ORDER BY id" % log_id).splitlines():
        row = dict(zip(cols, line.split("\t")))
        row["public_title"] = bytes.fromhex(row["public_title"]).decode()
        out.append(row)
    return out


def record(stack, rid):
    return next(r for r in records(stack, int(one(stack, "SELECT log_id FROM archive_record WHERE id = %d" % rid)))
                if int(r["id"]) == rid)


def wait_record(stack, rid, pred, timeout=60):
    r = wait_for(lambda: (lambda x: x if pred(x) else None)(record(stack, rid)), timeout=timeout, interval=0.3)
    assert r is not None, "archive record %d: %r" % (rid, record(stack, rid))
    return r


def run_job(stack, *args):
    r = subprocess.run([os.path.join(ROOT, stack.build, "tools", "stafett-archive"), "--once", *args],
                       env=stack.env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r


def oslo_today():
    return subprocess.check_output(["date", "+%Y-%m-%d"], env=dict(os.environ, TZ="Europe/Oslo"), text=True).strip()


def xml_text(path, tag):
    with open(path, encoding="utf-8") as f:
        m = re.search(r"<%s(?: [^>]*)?>([^<]*)</%s>" % (tag, tag), f.read())
    return m.group(1) if m else None


def check_delivered(stack, r, secrets):
    """The files of an acknowledged record in its folder: the PDF's checksum
    and size are the record's, the XML validates and names nobody of the
    log in its public fields, the acknowledgement's reference is the
    record's."""
    base = os.path.join(folder(stack), r["delivered_as"])
    assert r["delivered_as"] == "stafett-%s" % r["id"]
    with open(base + ".pdf", "rb") as f:
        pdf = f.read()
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == r["sha256"] and len(pdf) == int(r["size"]), r
    v = subprocess.run(["xmllint", "--noout", "--schema", XSD, base + ".xml"], capture_output=True, text=True)
    assert v.returncode == 0, v.stderr
    assert xml_text(base + ".xml", "sjekksum") == r["sha256"]
    assert xml_text(base + ".xml", "filstoerrelse") == r["size"]
    assert xml_text(base + ".xml", "noekkel") == "stafettlogg-%d" % int(one(
        stack, "SELECT log_id FROM archive_record WHERE id = %s" % r["id"]))
    assert xml_text(base + ".xml", "offentligTittel") is not None
    with open(base + ".xml", encoding="utf-8") as f:
        xml = f.read()
    for s in secrets:
        assert s not in xml, s
    assert xml_text(base + ".kvittering.xml", "arkivreferanse") == r["archive_reference"]
    # The PDF is the log: its text has the child's name.
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", base + ".pdf", "-"], capture_output=True).stdout.decode()
    assert secrets[0] in text, text[:500]
    return pdf


def test_a_handover_makes_a_record_the_archive_acknowledges(client, stack):
    f = fixture_log(stack, covered=SCHOOL)
    hanne = demo_person(stack, "Hanne", "Lien")
    them, hid, version = offered(client, f, stack)
    r = them.post("/logg/%d/overlevering/%d/godta" % (f.log, hid), urlencode({"version": version}))
    assert r.status == 303, r
    rows = records(stack, f.log)
    assert len(rows) == 1, rows
    rec = rows[0]
    transition = int(one(stack, "SELECT id FROM log_transition WHERE log_id = %d" % f.log))
    assert one(stack, "SELECT transition_id FROM archive_record WHERE id = %s" % rec["id"]) == str(transition)
    # Who caused it, the unit that held the log, today in Oslo, a title
    # without names, the screening, the municipality's language.
    assert rec["kind"] == "handover" and int(rec["caused_by"]) == hanne and int(rec["unit_id"]) == f.kindergarten
    assert rec["document_date"] == oslo_today()
    assert rec["public_title"] == "Stafettlogg %d – overlevert" % f.log
    assert rec["screening"] == "Offl. § 13 jf. fvl. § 13" and rec["lang"] == "nb"
    # Only the sealed snapshot holds the log.
    assert one(stack, "SELECT COALESCE(INSTR(snapshot, UNHEX('%s')), 0) FROM archive_record WHERE id = %s"
               % (f.child_name.encode().hex(), rec["id"])) == "0"
    # The supervised job delivers; the archive acknowledges.
    done = wait_record(stack, int(rec["id"]), lambda x: x["state"] == "acknowledged")
    assert done["snapshot_erased"] == "1" and done["last_error"] == "" and done["pdfa"] == "1", done
    assert re.fullmatch(r"\d{4}/\d{6}", done["archive_reference"]), done
    check_delivered(stack, done, (f.child_name, "Kari Fjelltun"))
    # The new holder sees it on the log page, archived with its reference.
    page = them.get("/logg/%d" % f.log)
    assert page.status == 200
    item = re.search(r'<li id="arkiv-%s"[^>]*data-state="acknowledged">(.*?)</li>' % rec["id"], page.text, re.S)
    assert item and done["archive_reference"] in item.group(1), page.text[-3000:]
    # A guardian (who may not see the log's history) does not.
    kari = as_person(client, stack, "Kari", "Fjelltun")
    assert 'id="arkiv-%s"' % rec["id"] not in kari.get("/logg/%d" % f.log).text


def test_closing_and_passive_make_records(client, stack):
    f = fixture_log(stack)
    holder = as_person(client, stack, "Marte", "Haugland")
    change(holder, f.log, "passive")
    change(holder, f.log, "closed")
    rows = records(stack, f.log)
    assert [r["kind"] for r in rows] == ["passive", "closed"], rows
    assert [r["public_title"] for r in rows] == ["Stafettlogg %d – satt passiv" % f.log,
                                                 "Stafettlogg %d – avsluttet" % f.log]
    assert all(int(r["caused_by"]) == f.holder and int(r["unit_id"]) == f.kindergarten for r in rows)
    closed = wait_record(stack, int(rows[1]["id"]), lambda x: x["state"] == "acknowledged")
    check_delivered(stack, closed, (f.child_name,))
    page = holder.get("/logg/%d" % f.log).text
    assert 'id="arkiv-%s"' % rows[0]["id"] in page and 'id="arkiv-%s"' % rows[1]["id"] in page


def locked(path, on):
    """The folder unwritable (0500) or writable again (0700). Root writes
    through a mode, so as root the folder is made immutable too."""
    if os.geteuid() == 0 and not on:
        subprocess.run(["chattr", "-i", path], check=True)
    os.chmod(path, 0o500 if on else 0o700)
    if os.geteuid() == 0 and on:
        subprocess.run(["chattr", "+i", path], check=True)


def test_an_unwritable_folder_keeps_the_record_queued_with_its_reason(client, stack):
    f = fixture_log(stack)
    holder = as_person(client, stack, "Marte", "Haugland")
    where = folder(stack)
    locked(where, True)
    try:
        change(holder, f.log, "closed")
        rid = int(records(stack, f.log)[0]["id"])
        rec = wait_record(stack, rid, lambda x: x["last_error"] == "folder-unwritable")
        assert rec["state"] == "queued" and rec["snapshot_erased"] == "0" and rec["delivered_as"] == "", rec
        # Nothing of it in the folder, not even a temporary file.
        assert not [n for n in os.listdir(where) if "stafett-%d." % rid in n], os.listdir(where)
        # Tried again and again, with the same reason.
        wait_record(stack, rid, lambda x: int(one(stack, "SELECT attempts FROM archive_record WHERE id = %d"
                                                         % rid)) >= 2)
        page = holder.get("/logg/%d" % f.log).text
        item = re.search(r'<li id="arkiv-%d"[^>]*data-state="queued">(.*?)</li>' % rid, page, re.S)
        assert item and "archive-reason" in item.group(1), page[-3000:]
        # The job's log names the record and the reason, nothing of the log.
        log = stack.logs().get("stafett-archive.log", "")
        assert "archive record %d: not delivered: folder-unwritable" % rid in log
        assert f.child_name not in log
    finally:
        locked(where, False)
    # Writable again: the job, run directly as if the back-off had passed,
    # delivers it (or the supervised one already has); the archive
    # acknowledges.
    run_job(stack, "--later", "3600")
    done = wait_record(stack, rid, lambda x: x["state"] == "acknowledged")
    check_delivered(stack, done, (f.child_name,))
    assert not [n for n in os.listdir(where) if n.startswith(".stafett-%d." % rid)]


def test_a_withdrawn_consent_makes_a_withdrawn_record(c, stack):
    f = fresh_log(c, stack)
    log = f["log"]
    both_establish(c, stack, f)
    g1 = consent_person(c, stack, f["g1"][1])
    r = g1.post("/logg/%d/samtykke/trekk" % log, "kind=establish")
    assert r.status == 303, r
    rows = [x for x in records(stack, log) if x["kind"] == "withdrawn"]
    assert len(rows) == 1 and int(rows[0]["caused_by"]) == f["g1"][0], rows
    assert rows[0]["public_title"] == "Stafettlogg %d – samtykket trukket tilbake" % log
    assert int(rows[0]["unit_id"]) == int(one(stack, "SELECT unit_id FROM log WHERE id = %d" % log)) or \
        one(stack, "SELECT COUNT(*) FROM log WHERE id = %d" % log) == "0"
    # Delivered and acknowledged like the others (the deletion that follows
    # is tested in test_withdrawal_purge.py).
    wait_record(stack, int(rows[0]["id"]), lambda x: x["state"] == "acknowledged")


def test_the_stack_registers_each_demo_municipality_s_folder(client, stack):
    rows = stack.sql("SELECT m.slug, a.channel, a.folder FROM municipality_archive a"
                     " JOIN municipality m ON m.id = a.municipality_id ORDER BY m.slug").splitlines()
    slugs = [r.split("\t")[0] for r in rows]
    # The demo municipalities (others the tests add have none until an operator sets one).
    assert {"fjordvik", "nordheim"} <= set(slugs), slugs
    for r in rows:
        slug, channel, path = r.split("\t")
        if slug not in ("fjordvik", "nordheim"):
            continue
        assert channel == "folder" and path == folder(stack, slug) and os.path.isdir(path)
        assert os.stat(path).st_mode & 0o777 == 0o700
