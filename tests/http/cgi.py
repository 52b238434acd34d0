#!/usr/bin/env python3
"""cgi.py — the fastest tests: each program binary run once as plain CGI
(no FastCGI socket: libfcgi tells), with CGI variables and a body on stdin,
the way cgit's tests drive its binary. No web server; no database either, so
they also show that pages without data work when MariaDB is away.
"""
import argparse
import hashlib
import hmac
import os
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

results = []


def check(name, cond, detail=""):
    results.append(cond)
    print(("ok - %s" if cond else "not ok - %s: " + str(detail)[:300]) % name)


def run(build, conf, prog, method, uri, body=b"", ctype="application/x-www-form-urlencoded", env=None):
    path, _, query = uri.partition("?")
    e = {"PATH": os.environ["PATH"], "STAFETT_CONF": conf, "GATEWAY_INTERFACE": "CGI/1.1",
         "REQUEST_METHOD": method, "REQUEST_URI": uri, "QUERY_STRING": query,
         "CONTENT_LENGTH": str(len(body)) if body else "", "CONTENT_TYPE": ctype if body else "",
         "REMOTE_ADDR": "127.0.0.1", "HTTP_ACCEPT_LANGUAGE": "nb"}
    e.update(env or {})
    r = subprocess.run([os.path.join(ROOT, build, "cgi-bin", prog)], input=body, env=e,
                       capture_output=True, timeout=20)
    head, _, payload = r.stdout.partition(b"\r\n\r\n")
    headers = head.decode(errors="replace").split("\r\n")
    status = int(headers[0].split()[1]) if headers and headers[0].startswith("Status:") else 0
    return status, headers, payload.decode(errors="replace"), r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="stafett-cgi-") as d:
        subprocess.run([os.path.join(ROOT, "tools", "stack"), "conf", d, "1", "2", "3"],
                       env=dict(os.environ, BUILD=args.build), check=True)
        conf = os.path.join(d, "stafett.conf")
        # The programs refuse to start without their keys (the CSRF tokens
        # of anonymous forms are keyed with the lookup key).
        hmac_key = os.urandom(32)
        with open(os.path.join(d, "keys"), "w") as f:
            f.write("aes 1 %s\nhmac %s\n" % (os.urandom(32).hex(), hmac_key.hex()))
        browser = os.urandom(32).hex()
        token = hmac.new(hmac_key, b"stafett-csrf:" + browser.encode(), hashlib.sha256).hexdigest()
        form_cookie = {"HTTP_COOKIE": "stafett-b=" + browser}

        s, h, body, r = run(args.build, conf, "front", "GET", "/nowhere")
        check("front: unknown path is 404 in CGI mode", s == 404 and "Fant ikke siden" in body, (s, r.stderr))
        check("front: every response names its charset",
              "Content-Type: text/html; charset=utf-8" in h, h)

        s, h, body, _ = run(args.build, conf, "front", "GET", "/tilgjengelighet")
        check("front: accessibility statement without a database", s == 200 and "WCAG" in body, s)

        s, h, body, _ = run(args.build, conf, "front", "GET", "/")
        check("front: front page without a database is 503", s == 503 and "Retry-After: 30" in h, (s, h))

        s, h, body, _ = run(args.build, conf, "front", "POST", "/", body=b"kommune=%zz")
        check("front: malformed body is 400", s == 400, s)

        s, h, body, _ = run(args.build, conf, "front", "POST", "/", body=b"x" * 70000)
        check("front: oversize body is 413 before reading", s == 413, s)

        s, h, body, _ = run(args.build, conf, "front", "DELETE", "/")
        check("front: DELETE is 405 with Allow", s == 405 and "Allow: GET, HEAD, POST" in h, h)

        s, h, body, _ = run(args.build, conf, "front", "POST", "/lang",
                            body=b"lang=nn&back=/x&_csrf=" + token.encode(), env=form_cookie)
        check("front: language switch sets a cookie", s == 303 and any(
            x.startswith("Set-Cookie: lang=nn;") for x in h), h)

        s, h, body, _ = run(args.build, conf, "front", "POST", "/lang", body=b"lang=nn&back=/x",
                            env=form_cookie)
        check("front: a form without its CSRF token is 403", s == 403, s)

        s, h, body, _ = run(args.build, conf, "health", "GET", "/health")
        check("health: 503 without a database", s == 503 and '"unreachable"' in body, (s, body))

        s, h, body, r = run(args.build, conf, "front", "GET", "/nowhere",
                            env={"HTTP_COOKIE": "lang=nn"})
        check("front: the server log holds no query or cookie", b"lang=nn" not in r.stderr, r.stderr)

    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
