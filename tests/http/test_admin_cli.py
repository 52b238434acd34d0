"""test_admin_cli.py — the operator's first steps with stafett-admin: a new
municipality and its administrator, whose number is stored only sealed."""
import random
import string
import subprocess
import os

from harness import synthetic_nin


def admin(stack, *args, stdin=""):
    return subprocess.run([os.path.join(stack.build_dir(), "tools", "stafett-admin"), *args], input=stdin,
                          env=stack.env, capture_output=True, text=True)


def test_municipality_and_administrator(c, stack):
    slug = "testvik-" + "".join(random.choice(string.ascii_lowercase) for _ in range(8))
    r = admin(stack, "municipality", slug, "Testvik kommune", "nn", "16")
    assert r.returncode == 0, r.stderr
    assert admin(stack, "municipality", slug, "Testvik kommune", "nn", "16").returncode == 1  # only once
    assert admin(stack, "municipality", "Bad Slug", "X", "nb", "15").returncode == 1
    assert admin(stack, "municipality", slug + "x", "X", "nb", "17").returncode == 1
    r = admin(stack, "administrator", slug, "Gunn", "Testesen", stdin="12345678901\n")
    assert r.returncode == 1 and "not a valid identity number" in r.stderr, r.stderr
    nin = synthetic_nin(1977, 1977)
    r = admin(stack, "administrator", slug, "Gunn", "Testesen", stdin=nin + "\n")
    assert r.returncode == 0, r.stderr
    assert nin not in r.stdout + r.stderr
    row = stack.sql("SELECT p.given_name, r.role, r.unit_id IS NULL FROM staff_role r JOIN person p ON p.id = r.person_id "
                    "JOIN municipality m ON m.id = r.municipality_id WHERE m.slug = '%s'" % slug)
    assert row.split() == ["Gunn", "admin", "1"], row
    # Sealed, never in clear: no column of the person holds the number.
    dump = stack.sql("SELECT HEX(CONCAT_WS('|', p.nin_sealed, p.nin_hmac, p.given_name, p.family_name)) "
                     "FROM person p JOIN municipality m ON m.id = p.municipality_id WHERE m.slug = '%s'" % slug)
    assert dump.strip() and nin.encode().hex().upper() not in dump
    # The new municipality is on the front page.
    assert "Testvik kommune" in c.get("/").text
