"""test_mail.py — mail for real: the outbox, the mailer (tools/stafett-mailer.c)
and a real SMTP server on loopback (tools/smtp-sink, which keeps what it
accepts under VAR/mail/). A queued mail arrives as a proper message (From, To
and Subject in RFC 2047 words, Date, Message-ID, Auto-Submitted, text and HTML
in the recipient's language, a link that opens Stafett); a 550 from the server
is a bounce recorded in the outbox; and the fault test: with the SMTP server
down, 50 mails queued, the mailer backing off, then killed while the server
holds its DATA, every message is delivered exactly once, counted at the
server by Message-ID. Mail is queued with `stafett-admin mail-test`, as an
operator would (the other tests queue it through the programs)."""
import collections
import email.utils
import os
import re
import subprocess
import time

from harness import mail_link, wait_for, wait_mail

NAME = "Kåre Ødegård"


def queue(stack, to, *args):
    r = stack.admin("mail-test", to, *args)
    assert r.returncode == 0, r.stderr
    m = re.search(r"outbox (\d+)", r.stdout)
    assert m, r.stdout
    return int(m.group(1))


def row(stack, outbox_id):
    """state, attempts, smtp_code, smtp_reply, whether the values are erased, message_id"""
    out = stack.sql("SELECT state, attempts, IFNULL(smtp_code, ''), IFNULL(smtp_reply, ''),"
                    " params_sealed IS NULL AND params_key_id IS NULL, message_id"
                    " FROM outbox WHERE id = %d" % outbox_id)
    state, attempts, code, reply, erased, mid = out.rstrip("\n").split("\t")
    return state, int(attempts), code, reply, erased == "1", mid


def log(stack, name):
    return stack.logs().get(name, "")


def test_a_queued_mail_is_delivered_as_a_proper_message(c, stack):
    before = len(stack.mails())
    to = "kare.%s@fjordvik.example" % c.name
    outbox_id = queue(stack, to, NAME, "nn")
    m = wait_mail(stack, to=to, since=before)
    state, attempts, code, reply, erased, mid = wait_for(
        lambda: (lambda r: r if r[0] != "pending" else None)(row(stack, outbox_id)))
    assert (state, attempts, code) == ("sent", 1, "250"), (state, attempts, code, reply)
    assert reply.startswith("250 ") and m.file in reply, reply  # the server's own answer
    assert erased, "the sealed values are erased once the server has the mail"
    # The headers, as a mail program reads them.
    msg = m.msg
    frm = msg["From"].addresses[0]
    assert (frm.display_name, frm.addr_spec) == ("Stafett", "stafett@fjordvik.example")
    rcpt = msg["To"].addresses[0]
    assert (rcpt.display_name, rcpt.addr_spec) == (NAME, to)
    raw_headers = m.raw.split(b"\r\n\r\n", 1)[0].decode("ascii")  # 7-bit: the words are encoded
    assert re.search(r"(?m)^To: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <%s>\r?$" % re.escape(to), raw_headers), raw_headers
    assert re.search(r"(?m)^Subject: =\?UTF-8\?B\?", raw_headers), raw_headers
    assert msg["Subject"] == "Ei testmelding frå Stafett"
    assert m.message_id == "<%s>" % mid and mid.endswith("@fjordvik.example")
    assert msg["Auto-Submitted"] == "auto-generated"
    sent = email.utils.parsedate_to_datetime(msg["Date"])
    assert sent.utcoffset().total_seconds() == 0 and abs(time.time() - sent.timestamp()) < 120, msg["Date"]
    assert all(len(line) <= 78 for line in raw_headers.split("\r\n")), raw_headers
    # multipart/alternative: text, then HTML, both in the recipient's language (Nynorsk).
    assert msg.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in msg.iter_parts()]
    assert parts == ["text/plain", "text/html"], parts
    assert all(p.get_content_charset() == "utf-8" for p in msg.iter_parts())
    assert "Hei Kåre Ødegård," in m.text, m.text
    assert "Dette er ei testmelding frå Stafett." in m.text, m.text
    assert '<html lang="nn">' in m.html and "Dette er ei testmelding frå Stafett." in m.html, m.html
    assert "<p>Hei Kåre Ødegård,</p>" in m.html, m.html
    # Its link opens Stafett.
    path = mail_link(stack, m)
    assert path == "/", path
    assert c.get(path).status == 200
    # Once at the server; the mailer's log says the id and the code, never who.
    assert [x.message_id for x in stack.mails()].count(m.message_id) == 1
    assert "outbox %d: sent (250)" % outbox_id in log(stack, "stafett-mailer.log")
    for f in ("stafett-mailer.log", "smtp-sink.log"):
        text = log(stack, f)
        assert to not in text and "Kåre" not in text and "testmelding" not in text, f
    assert m.message_id in log(stack, "smtp-sink.log")


def test_mail_test_refuses_a_header_injection(c, stack):
    if c.name != "nginx":
        return
    for bad in ("kare@fjordvik.example\r\nBcc: x@example.com", "kare", "<kare@fjordvik.example>"):
        r = stack.admin("mail-test", bad)
        assert r.returncode != 0 and "plain address" in r.stderr, (bad, r.stdout, r.stderr)
    r = stack.admin("mail-test", "kare@fjordvik.example", "Kåre", "sv")
    assert r.returncode != 0


def test_a_550_is_a_bounce_recorded_in_the_outbox(c, stack):
    before = [m.file for m in stack.mails()]
    outbox_id = queue(stack, "ingen.%s@avvist.example" % c.name, NAME)
    r = wait_for(lambda: (lambda x: x if x[0] != "pending" else None)(row(stack, outbox_id)))
    state, attempts, code, reply, erased, _ = r
    assert (state, attempts, code) == ("bounced", 1, "550"), r
    assert reply.startswith("550 5.1.1"), reply
    assert erased
    assert "outbox %d: bounced (550)" % outbox_id in log(stack, "stafett-mailer.log")
    # Not tried again, and the server kept nothing for it.
    time.sleep(1.5)
    assert row(stack, outbox_id)[:2] == ("bounced", 1)
    assert not any(m.to.endswith("@avvist.example") for m in stack.mails() if m.file not in before)


def test_smtp_down_slow_and_a_killed_mailer_lose_and_double_nothing(c, stack):
    """The issue's fault test, with the test stack's settings (retry after
    1 s doubling up to 4 s, a lease of 10 s): the server is away for a minute
    while 50 mails are queued and the mailer backs off; it comes back holding the
    answer to DATA (VAR/mail/.slow), and the mailer is killed (SIGKILL) while
    it waits for that answer; its supervisor starts it again. The held mail
    was never acknowledged, so the server keeps nothing of that try; once
    its lease has run out the new mailer sends it again, with the same
    bytes."""
    if c.name != "nginx":
        return  # one stack, one mailer: once is the test
    started = time.time()
    slow = os.path.join(stack.maildir, ".slow")
    stack.run("mail-stop")
    try:
        ids = [queue(stack, "fault%02d@fjordvik.example" % i, "Fault %d" % i) for i in range(50)]
        in_ids = "id IN (%s)" % ",".join(map(str, ids))

        def count(where):
            return int(stack.sql("SELECT COUNT(*) FROM outbox WHERE %s AND %s" % (in_ids, where)))

        # No server: each mail is tried, fails to connect, and waits longer each time.
        assert wait_for(lambda: count("attempts >= 4") == 50, timeout=40), \
            stack.sql("SELECT id, attempts FROM outbox WHERE " + in_ids)
        assert count("state = 'pending' AND smtp_code IS NULL AND smtp_reply LIKE 'Couldn%connect%'") == 50
        assert count("next_at > created_at") == 50
        assert "deferred" in log(stack, "stafett-mailer.log")
        # Away for a whole minute, as an outage of the relay would be.
        time.sleep(max(0.0, 60.0 - (time.time() - started)))
        down = time.time() - started
        with open(slow, "w") as f:
            f.write("8")
    finally:
        stack.run("mail-start")
    # The server holds the first mail it gets; the mailer is killed while it waits.
    held = wait_for(lambda: re.search(r"slow: holding the answer to DATA of (<[^>]+>)", log(stack, "smtp-sink.log")),
                    timeout=20)
    assert held, log(stack, "smtp-sink.log")[-2000:]
    held = held.group(1)
    os.remove(slow)
    killed_pid = open(os.path.join(stack.dir, "run", "stafett-mailer.pid")).read().strip()
    stack.run("mailer-kill")
    assert wait_for(lambda: "the client left before the answer: %s not kept" % held in log(stack, "smtp-sink.log"),
                    timeout=15), log(stack, "smtp-sink.log")[-2000:]
    # Restarted by its supervisor, the mailer sends everything, the held one after its lease.
    assert wait_for(lambda: count("state = 'sent'") == 50, timeout=45), \
        stack.sql("SELECT id, state, attempts, smtp_code, lease_until FROM outbox WHERE state <> 'sent' AND " + in_ids)
    new_pid = open(os.path.join(stack.dir, "run", "stafett-mailer.pid")).read().strip()
    assert new_pid != killed_pid
    # Counted at the server by Message-ID: each of the 50 exactly once.
    mids = set("<%s>" % m for m in stack.sql("SELECT message_id FROM outbox WHERE " + in_ids).split())
    assert len(mids) == 50 and held in mids
    seen = collections.Counter(m.message_id for m in stack.mails() if m.message_id in mids)
    assert set(seen) == mids and set(seen.values()) == {1}, [k for k, v in seen.items() if v != 1]
    # The held one is the same message, sent again: its bytes do not change between attempts.
    again = next(m for m in stack.mails() if m.message_id == held)
    assert again.to.startswith("fault") and again.msg["Date"]
    assert count("params_sealed IS NULL AND params_key_id IS NULL AND smtp_code = 250 AND lease_until IS NULL") == 50
    held_row = stack.sql("SELECT attempts FROM outbox WHERE message_id = '%s'" % held[1:-1]).strip()
    assert int(held_row) >= 5, held_row  # four refused connections, the killed try, the one that went
    assert log(stack, "stafett-mailer.log").count("info: started") >= 2
    took = time.time() - started
    assert took < 150, "the fault test took %.0f s" % took
    print("    fault test: server down %.1f s, all 50 delivered once after %.1f s" % (down, took))


def mailer_with(stack, **mail):
    """Runs `stafett-mailer --once` with the stack's settings but these
    [mail] ones; (exit code, its log)."""
    with open(os.path.join(stack.dir, "stafett.conf")) as f:
        text = f.read()
    head, _, rest = text.partition("\n[mail]\n")
    section, sep, tail = rest.partition("\n[")
    for key, value in mail.items():
        section = re.sub(r"(?m)^%s = .*$" % key, "%s = %s" % (key, value), section)
    path = os.path.join(stack.dir, "mailer-test.conf")
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write(head + "\n[mail]\n" + section + sep + tail)
    r = subprocess.run([os.path.join(stack.build_dir(), "tools", "stafett-mailer"), "--once"],
                       env=dict(stack.env, STAFETT_CONF=path), capture_output=True, text=True, timeout=60)
    return r.returncode, r.stderr


def test_mail_in_clear_only_on_this_machine(c, stack):
    if c.name != "nginx":
        return
    code, err = mailer_with(stack, server="smtp://mail.fjordvik.example:25", tls="none")
    assert code == 78, (code, err)
    assert "tls = none is only for a server on this machine" in err and "mail.fjordvik.example" in err, err
    code, err = mailer_with(stack, tls="sometimes")
    assert code == 78 and "tls is starttls, tls or none" in err, (code, err)
    code, err = mailer_with(stack, server="http://127.0.0.1:25")
    assert code == 78 and "not an smtp:// or smtps:// URL" in err, (code, err)


def test_starttls_required_means_nothing_in_clear(c, stack):
    """tls = starttls to a server that offers no STARTTLS (the sink): nothing
    is sent, the TLS failure is logged (SECURITY.md 78) and the mail waits;
    the stack's own mailer (tls = none, to this machine) sends it after."""
    if c.name != "nginx":
        return
    stack.run("mailer-stop")
    try:
        before = len(stack.mails())
        to = "tls.check@fjordvik.example"
        outbox_id = queue(stack, to)
        code, err = mailer_with(stack, tls="starttls")
        assert code == 0, (code, err)
        assert "outbox %d: TLS with the SMTP server failed" % outbox_id in err, err
        assert "deferred" in err and to not in err, err
        state, attempts, smtp_code, reply, erased, _ = row(stack, outbox_id)
        assert (state, attempts, smtp_code, erased) == ("pending", 1, "", False), (state, attempts, smtp_code)
        assert "SSL" in reply, reply
        assert not any(m.to == to for m in stack.mails()[before:])
    finally:
        stack.run("mailer-start")
    wait_mail(stack, to=to, since=before)
    assert wait_for(lambda: row(stack, outbox_id)[:2] == ("sent", 2))
