#!/usr/bin/env python3
"""run.py — the HTTP tests: start the real stack, run every test_*.py against
nginx and against Apache, check the logs, stop the stack.

Each test is a function test_NAME(client) or test_NAME(client, stack) that
raises AssertionError on failure. Usage: run.py [--build DIR] [--no-apache]
[--only SUBSTRING] (of a test's or a test_db* binary's name). Ends with the line "N passed, N failed".
"""
import argparse
import glob
import importlib.util
import inspect
import os
import re
import subprocess
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

# Lines that mean a program or server misbehaved, whatever the test saw.
BAD_LOG = re.compile(r"AddressSanitizer|LeakSanitizer|runtime error:|\[alert\]|\[crit\]|\[emerg\]|"
                     r"out of memory|Segmentation fault")


def load_tests(only):
    tests = []
    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "test_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for fname, fn in inspect.getmembers(mod, inspect.isfunction):
            if fname.startswith("test_") and fn.__module__ == name:
                full = "%s.%s" % (name, fname)
                if not only or only in full:
                    tests.append((full, fn, fn.__code__.co_firstlineno))
    tests.sort(key=lambda t: (t[0].split(".")[0], t[2]))
    return tests


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--no-apache", action="store_true")
    ap.add_argument("--only")
    args = ap.parse_args()
    tests = load_tests(args.only)
    passed = failed = 0
    stack = harness.Stack(build=args.build, apache=not args.no_apache)
    try:
        # The unit tests of the database layer, against this stack's MariaDB.
        for binary in sorted(glob.glob(os.path.join(harness.ROOT, args.build, "tests", "unit", "test_db*"))):
            if args.only and args.only not in os.path.basename(binary):
                continue  # --only test_db_authz runs that unit test alone
            env = dict(stack.env, CMOCKA_MESSAGE_OUTPUT="TAP")
            r = subprocess.run([binary], env=env, capture_output=True, text=True, cwd=harness.ROOT)
            for line in r.stdout.splitlines():
                if line.startswith("ok "):
                    passed += 1
                    print("ok - unit %s: %s" % (os.path.basename(binary), line))
                elif line.startswith("not ok "):
                    failed += 1
                    print("not ok - unit %s: %s" % (os.path.basename(binary), line))
            if "not ok" in r.stdout:
                print(r.stdout[-3000:] + r.stderr[-6000:])  # cmocka's reasons
            if r.returncode != 0 and "not ok" not in r.stdout:
                failed += 1
                print("not ok - unit %s exited %d\n%s%s" % (os.path.basename(binary), r.returncode,
                                                            r.stdout[-2000:], r.stderr[-2000:]))
        servers = [("nginx", stack.nginx)] + ([] if args.no_apache else [("apache", stack.apache)])
        for server, addr in servers:
            for name, fn, _ in tests:
                client = harness.Client(addr, server)
                try:
                    if len(inspect.signature(fn).parameters) == 2:
                        fn(client, stack)
                    else:
                        fn(client)
                    passed += 1
                    print("ok - %s: %s" % (server, name))
                except Exception as e:  # noqa: BLE001 — any exception fails the test
                    failed += 1
                    print("not ok - %s: %s: %s" % (server, name, e))
                    if isinstance(e, AssertionError):
                        # Where it failed: an assert without a message says nothing else.
                        frame = traceback.extract_tb(e.__traceback__)[-1]
                        print("    at %s:%d: %s" % (os.path.relpath(frame.filename, harness.ROOT),
                                                    frame.lineno, frame.line))
                    else:
                        traceback.print_exc()
        # No identity number of the demo or test people in any log of the
        # web servers or the programs (demo.log is the list of them, and the
        # development provider's log is the provider's).
        numbers = set(stack.people().values()) | harness.NUMBERS
        leaked = [(f, n) for f, text in stack.logs().items() if f != "demo.log" and not f.startswith("oidc")
                  for n in numbers if n in text]
        if leaked:
            failed += 1
            print("not ok - no identity number in the logs")
            for f, n in leaked[:20]:
                print("    %s: %s..." % (f, n[:6]))
        else:
            passed += 1
            print("ok - no identity number in the logs (%d numbers, %d files)" % (len(numbers), len(stack.logs())))
        # No delivered mail of the whole suite names a child (subjects' full
        # names), holds an identity number or quotes a message (the longer
        # ones: a short one like "Hei" is in every greeting).
        def texts(sql):
            return [bytes.fromhex(h).decode("utf-8") for h in stack.sql(sql).split()]
        secrets_ = [("child", n) for n in texts("SELECT HEX(CONCAT(p.given_name, ' ', p.family_name)) FROM log l"
                                                " JOIN person p ON p.id = l.subject_person_id")]
        secrets_ += [("message", t) for t in texts("SELECT HEX(text) FROM message WHERE CHAR_LENGTH(text) >= 12")]
        secrets_ += [("number", n) for n in numbers]
        mails = stack.mails()
        found = [(m.file, kind, value) for m in mails for kind, value in secrets_
                 if value in m.text or value in m.html or value.encode() in m.raw]
        if found:
            failed += 1
            print("not ok - no child's name, number or message in any delivered mail (%d mails)" % len(mails))
            for f, kind, value in found[:20]:
                print("    %s: a %s (%s...)" % (f, kind, value[:6]))
        else:
            passed += 1
            print("ok - no child's name, number or message in any delivered mail (%d mails, %d values)"
                  % (len(mails), len(secrets_)))
        # The audit trail is intact after everything the suite did to it.
        v = stack.admin("verify-audit")
        if v.returncode == 0 and "intact" in v.stdout:
            passed += 1
            print("ok - verify-audit: %s" % v.stdout.strip())
        else:
            failed += 1
            print("not ok - verify-audit: %s %s" % (v.stdout.strip(), v.stderr.strip()))
        bad = [(f, line) for f, text in stack.logs().items() for line in text.splitlines()
               if BAD_LOG.search(line)]
        if bad:
            failed += 1
            print("not ok - logs are clean")
            for f, line in bad[:20]:
                print("    %s: %s" % (f, line))
        else:
            passed += 1
            print("ok - logs are clean")
    finally:
        keep = failed > 0 and os.environ.get("KEEP_STACK")
        if failed:
            for f, text in stack.logs().items():
                if f.endswith(".log") and text.strip() and "access" not in f:
                    print("--- %s (last lines)" % f)
                    print("\n".join(text.splitlines()[-15:]))
        stack.stop(keep=bool(keep))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
