#!/usr/bin/env python3
"""with_stack.py — start the real stack, run the browser journeys in Debian's
Chromium (tests/browser/run.mjs, Playwright), stop the stack."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
import harness  # noqa: E402

stack = harness.Stack(build=os.environ.get("BUILD", "build"), apache=False)
try:
    env = dict(os.environ, BASE_URL="http://%s:%d" % stack.nginx)
    rc = subprocess.call(["node", os.path.join(HERE, "run.mjs")], env=env)
finally:
    stack.stop()
sys.exit(rc)
