"""harness.py — the real local stack for the HTTP tests, and a small client.

Starts tools/stack on free loopback ports in a fresh folder (its own MariaDB,
the FastCGI programs, nginx and Apache), and stops it again. Python standard
library only, so nothing but Debian's python3 is needed.
"""
import email.parser
import email.policy
import html
import http.client
import os
import random
import re
import shutil
import socket
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


class Stack:
    """A running stack; .nginx and .apache are (host, port) pairs."""

    def __init__(self, build="build", apache=True, demo=True):
        self.build = build
        self.dir = tempfile.mkdtemp(prefix="stafett-test-")
        os.chmod(self.dir, 0o755)  # Apache's workers (www-data) must reach the sockets
        http_port, apache_port, db_port, oidc_port, smtp_port = free_ports(5)
        # The mailer looks for due mail five times a second, so a test waits little.
        self.env = dict(os.environ, BUILD=build, STAFETT_CONF=os.path.join(self.dir, "stafett.conf"),
                        STAFETT_MAILER_POLL="0.2")
        self.run("conf", self.dir, str(http_port), str(apache_port), str(db_port), str(oidc_port),
                 str(smtp_port))
        self.oidc = ("127.0.0.1", oidc_port)
        self.smtp = ("127.0.0.1", smtp_port)
        self.public_url = "http://127.0.0.1:%d" % http_port
        self.maildir = os.path.join(self.dir, "mail")
        # The suite logs in many times from one address, and as the same
        # people; the limits themselves are tested by filling their counters
        # (test_login.py).
        conf = os.path.join(self.dir, "stafett.conf")
        with open(conf) as f:
            text = f.read()
        with open(conf, "w") as f:
            text = re.sub(r"(?m)^per_(address|person)_per_hour = .*$", r"per_\1_per_hour = 1000", text)
            # Short leases and back-off, so the mail tests see a retry and a
            # crashed mailer's mail sent again within seconds.
            for key, value in (("lease_seconds", 10), ("retry_first_seconds", 1), ("retry_max_seconds", 4),
                               ("timeout_seconds", 10)):
                text = re.sub(r"(?m)^%s = .*$" % key, "%s = %d" % (key, value), text)
            f.write(text)
        args = ["start"] + (["--apache"] if apache else []) + ([] if demo else ["--no-demo"])
        self.run(*args)
        self.nginx = ("127.0.0.1", http_port)
        self.apache = ("127.0.0.1", apache_port) if apache else None
        self.logdir = os.path.join(self.dir, "log")

    def run(self, *args):
        r = subprocess.run([os.path.join(ROOT, "tools", "stack"), *args], env=self.env,
                           cwd=ROOT, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("tools/stack %s failed:\n%s%s" % (" ".join(args), r.stdout, r.stderr))
        return r

    def build_dir(self):
        return os.path.join(ROOT, self.build)

    def admin_default(self, name):
        """A setting as a municipality gets it from conf/stafett.conf.example."""
        env = dict(self.env, STAFETT_CONF=os.path.join(ROOT, "conf", "stafett.conf.example"))
        r = subprocess.run([os.path.join(ROOT, self.build, "tools", "stafett-admin"), "config", name],
                           env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    def admin(self, *args):
        return subprocess.run([os.path.join(ROOT, self.build, "tools", "stafett-admin"), *args],
                              env=self.env, capture_output=True, text=True)

    def sql(self, statement):
        """Runs SQL as the database administrator (for test set-up and checks)."""
        sock = os.path.join(self.dir, "run", "mysqld.sock")
        r = subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-u", os.environ.get("USER") or
                            subprocess.check_output(["id", "-un"], text=True).strip(),
                            "-N", "-B", "stafett", "-e", statement],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        return r.stdout

    def people(self):
        """The demo people: (given, family, role) -> synthetic identity number."""
        out = {}
        with open(os.path.join(self.logdir, "demo.log")) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 4 and re.fullmatch(r"\d{11}", parts[-1]):
                    out[(parts[0], parts[1], parts[2])] = parts[-1]
        return out

    def pid(self, given, family):
        return next(v for (g, f, _), v in self.people().items() if g == given and f == family)

    def logs(self):
        out = {}
        for name in sorted(os.listdir(self.logdir)):
            with open(os.path.join(self.logdir, name), errors="replace") as f:
                out[name] = f.read()
        return out

    def mails(self):
        """Every message the development SMTP server has kept, oldest first,
        parsed with the email package: Mail objects (.file, .message_id, .msg)."""
        out = []
        if not os.path.isdir(self.maildir):
            return out
        for name in sorted(os.listdir(self.maildir)):
            if re.fullmatch(r"\d{6}\.eml", name):
                with open(os.path.join(self.maildir, name), "rb") as f:
                    out.append(Mail(name, f.read()))
        return out

    def stop(self, keep=False):
        try:
            self.run("stop")
        finally:
            if not keep:
                shutil.rmtree(self.dir, ignore_errors=True)


class Mail:
    """A delivered message: .file (NNNNNN.eml), .raw (its bytes), .msg (an
    email.message.EmailMessage, headers decoded), .message_id (with <>),
    .to (the address alone), .text and .html (the parts, decoded)."""

    def __init__(self, name, raw):
        self.file = name
        self.raw = raw
        self.msg = email.parser.BytesParser(policy=email.policy.default).parsebytes(raw)
        self.message_id = str(self.msg["Message-ID"] or "").strip()
        to = self.msg["To"]
        self.to = to.addresses[0].addr_spec if to is not None and to.addresses else ""
        text = self.msg.get_body(("plain",))
        page = self.msg.get_body(("html",))
        self.text = text.get_content() if text is not None else ""
        self.html = page.get_content() if page is not None else ""

    def __repr__(self):
        return "<Mail %s %s>" % (self.file, self.message_id)


def wait_mail(stack, to=None, since=0, timeout=20.0):
    """The first message to address `to` (any, if None) among those the SMTP
    server kept after the first `since` (e.g. len(stack.mails()) taken before
    the action that sends it); waits for it, or fails."""
    def find():
        for m in stack.mails()[since:]:
            if to is None or m.to.lower() == to.lower():
                return m
        return None
    m = wait_for(find, timeout=timeout, interval=0.2)
    assert m is not None, "no mail to %s within %g s (%d kept)" % (to, timeout, len(stack.mails()))
    return m


def mail_link(stack, mail):
    """The path of the first link to the stack (its public_url) in a
    message's text part, ready for Client.get."""
    m = re.search(re.escape(stack.public_url) + r"(/[^\s<>\"]*)", mail.text)
    assert m, "no link to %s in %s" % (stack.public_url, mail.file)
    return m.group(1)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", errors="replace")

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return "<%d %r>" % (self.status, self.text[:200])


class Client:
    CSRF = re.compile(r'name="_csrf" value="([0-9a-f]{64})"')

    def __init__(self, addr, name):
        self.host, self.port = addr
        self.name = name
        self.cookies = {}
        self._csrf = None  # (cookies it was issued for, token)

    def request(self, method, path, body=None, headers=None, cookies=True):
        h = {"Accept-Language": "nb-NO,nb;q=0.9"}
        if cookies and self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        h.update(headers or {})
        if isinstance(body, str):
            body = body.encode()
        if body is not None and "Content-Type" not in h:
            h["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            data = r.read()
            headers_ = {}
            for k, v in r.getheaders():
                k = k.lower()
                headers_[k] = headers_[k] + "\n" + v if k in headers_ else v
            for line in r.headers.get_all("Set-Cookie") or []:
                name, _, rest = line.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
            resp = Response(r.status, headers_, data)
            m = self.CSRF.search(resp.text)
            if m:
                self._csrf = (dict(self.cookies), m.group(1))
            return resp
        finally:
            conn.close()

    @property
    def base(self):
        return "http://%s:%d" % (self.host, self.port)

    def csrf(self):
        """The CSRF token for this browser's forms, as a page would give it."""
        if not self._csrf or self._csrf[0] != self.cookies:
            r = self.get("/")
            if r.status == 303:  # logged in: the front page sends us on
                self.get(r.header("location"))
        return self._csrf[1]

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body="", csrf=True, **kw):
        """A form POST; like a browser submitting our page, it carries the
        page's CSRF token unless csrf=False (or the body is not urlencoded)."""
        ctype = (kw.get("headers") or {}).get("Content-Type", "application/x-www-form-urlencoded")
        if csrf and isinstance(body, str) and ctype == "application/x-www-form-urlencoded" \
                and "_csrf=" not in body:
            body = body + ("&" if body else "") + "_csrf=" + self.csrf()
        return self.request("POST", path, body=body, **kw)

    def raw(self, data, timeout=10):
        """Sends bytes as they are and returns the status code (0 if none)."""
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        try:
            s.sendall(data)
            buf = b""
            while b"\r\n" not in buf:
                chunk = s.recv(4096)
                if not chunk:
                    break
                buf += chunk
            parts = buf.split(b" ", 2)
            return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        finally:
            s.close()


def onward(r):
    """Where a response sends the browser: a 303's Location, or the URL of a
    page that refreshes at once (how we leave for the identity provider)."""
    if r.status in (302, 303):
        return r.header("location")
    m = re.search(r'<meta http-equiv="refresh" content="0;url=([^"]+)">', r.text)
    assert r.status == 200 and m, r
    return html.unescape(m.group(1))


def split_url(url):
    """http://host:port/path?q -> ((host, port), "/path?q")."""
    m = re.fullmatch(r"http://([^:/]+):(\d+)(/.*)", url)
    assert m, url
    return (m.group(1), int(m.group(2))), m.group(3)


def at_provider(authorize, pid):
    """Plays the browser at the identity provider: opens the authorization
    URL, types the number on its login page, follows its redirects. Returns
    the path of the callback it sends the browser back to us with."""
    addr, path = split_url(authorize)
    op = Client(addr, "op")
    r = op.get(path)
    for _ in range(10):
        if r.status == 200 and 'name="pid"' in r.text:  # the provider's login page
            r = op.post(path, "pid=" + pid, csrf=False)
            continue
        assert r.status in (302, 303), (r, r.text[:300])
        loc = r.header("location")
        if loc.startswith("/"):
            loc = op.base + loc
        if not loc.startswith(op.base):
            return split_url(loc)[1]
        path = split_url(loc)[1]
        r = op.get(path)
    raise AssertionError("the provider never sent the browser back")


def login(c, stack, pid, slug="fjordvik", lang=None):
    """Logs client c in through the real provider as pid, like a browser:
    choose the municipality, start the login, type the number at the
    provider, follow the redirects back. Returns the callback's response and
    the authorization URL Stafett sent the browser to."""
    headers = {"Accept-Language": lang} if lang else None
    r = c.post("/", "kommune=" + slug, headers=headers)
    assert r.status == 303, r
    authorize = onward(c.post("/login", "kommune=" + slug, headers=headers))
    return c.get(at_provider(authorize, pid), headers=headers), authorize


_RNG = random.SystemRandom()

# Every identity number the tests made up, for the check that none of them
# reaches a log file (run.py).
NUMBERS = set()


def synthetic_nin(born_from=1960, born_to=1999, remainder=0, day=None, month=None, year=None):
    """A random synthetic identity number (month + 80) for someone born in
    those years, with both control digits right: individual numbers 000-499
    for births in 1900-1999, 500-749 from 2000 (test data is never real).
    remainder 1-3 makes one of the numbers issued from 2032, whose first
    control digit's weighted sum (that digit included) leaves that remainder
    modulo 11 instead of 0; day, month and year pin the birth date."""
    while True:
        y = year or _RNG.randint(born_from, born_to)
        lo, hi = (0, 499) if y < 2000 else (500, 749)
        d = [int(x) for x in "%02d%02d%02d%03d" % (day or _RNG.randint(1, 28), (month or _RNG.randint(1, 12)) + 80,
                                                   y % 100, _RNG.randint(lo, hi))]
        first = [3, 7, 6, 1, 8, 9, 4, 5, 2]
        k1 = (remainder - sum(w * x for w, x in zip(first, d))) % 11
        if k1 == 10:
            continue
        d.append(k1)
        k2 = 11 - sum(w * x for w, x in zip([5, 4, 3, 2, 7, 6, 5, 4, 3, 2], d)) % 11
        d.append(0 if k2 == 11 else k2)
        if d[10] != 10:
            NUMBERS.add("".join(map(str, d)))
            return "".join(map(str, d))


def wait_for(fn, timeout=15.0, interval=0.2):
    end = time.time() + timeout
    last = None
    while time.time() < end:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    return last
