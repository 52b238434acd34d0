#!/usr/bin/env python3
"""with_stack.py — start the real stack, run the browser journeys in Debian's
Chromium (tests/browser/run.mjs, Playwright), stop the stack."""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
import harness  # noqa: E402

stack = harness.Stack(build=os.environ.get("BUILD", "build"), apache=False)
try:
    people = {"%s %s" % (g, f): pid for (g, f, _), pid in stack.people().items()}
    # MAIL_DIR: where the development SMTP server keeps what the mailer sent.
    env = dict(os.environ, BASE_URL="http://%s:%d" % stack.nginx, DEMO_PEOPLE=json.dumps(people),
               MAIL_DIR=stack.maildir)
    rc = subprocess.call(["node", os.path.join(HERE, "run.mjs")], env=env)
finally:
    stack.stop()
sys.exit(rc)
