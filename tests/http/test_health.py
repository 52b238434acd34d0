"""test_health.py — GET /health, and the stack surviving a database outage."""
import json

import harness


def test_health_ok(c):
    r = c.get("/health")
    assert r.status == 200, r
    assert json.loads(r.text) == {"status": "ok", "database": "ok"}
    assert r.header("content-type") == "application/json; charset=utf-8"


def test_database_outage_503_then_recovery(c, stack):
    stack.run("db-stop")
    try:
        r = c.get("/health")
        assert r.status == 503, r
        assert json.loads(r.text)["database"] == "unreachable"
        r = c.get("/")
        assert r.status == 503, r
        assert "Midlertidig utilgjengelig" in r.text, r.text[:400]
        assert r.header("retry-after") == "30", r.headers
        # Pages that need no database keep working.
        assert c.get("/tilgjengelighet").status == 200
    finally:
        stack.run("db-start")
    # No program is restarted by hand: the next requests reconnect.
    r = harness.wait_for(lambda: (lambda x: x if x.status == 200 else None)(c.get("/")), timeout=20)
    assert r is not None and r.status == 200, "front page did not recover"
    assert c.get("/health").status == 200
