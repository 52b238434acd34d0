"""test_errors.py — bad input gets the right answer, through the one error page."""


def assert_error_page(r, status, words):
    assert r.status == status, r
    assert r.header("content-type") == "text/html; charset=utf-8", (status, r.headers)
    assert words in r.text, (status, r.text[:500])
    assert "Referanse" in r.text


def test_unknown_path_404(c):
    assert_error_page(c.get("/finnes-ikke"), 404, "Fant ikke siden")


def test_wrong_method_405(c):
    for method in ["PUT", "DELETE", "PATCH"]:
        r = c.request(method, "/", body="")
        assert_error_page(r, 405, "Ikke tillatt")
        assert "GET" in (r.header("allow") or "") and "POST" in r.header("allow"), r.headers
    r = c.post("/tilgjengelighet", "")
    assert_error_page(r, 405, "Ikke tillatt")
    assert r.header("allow") == "GET, HEAD", r.headers


def test_malformed_encoding_400(c):
    for body in ["kommune=%zz", "kommune=%4", "=x", "kommune=a&kommune=b"]:
        assert_error_page(c.post("/", body), 400, "Noe var galt med forespørselen")
    assert_error_page(c.get("/?a=%G1"), 400, "Noe var galt med forespørselen")


def test_unknown_parameter_400(c):
    assert_error_page(c.post("/", "kommune=fjordvik&role=admin"), 400,
                      "Noe var galt med forespørselen")


def test_oversize_form_413(c):
    body = "kommune=" + "a" * (70 * 1024)
    assert_error_page(c.post("/", body), 413, "For mye data")


def test_oversize_upload_413_from_the_web_server(c):
    body = b"x" * (12 * 1024 * 1024)
    r = c.post("/", body, headers={"Content-Type": "application/octet-stream"})
    assert r.status == 413, r
    assert "For mye data" in r.text, r.text[:300]


def test_bad_content_length_400(c):
    raw = (b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
           b"Content-Length: -5\r\nConnection: close\r\n\r\n")
    assert c.raw(raw) == 400


def test_unsupported_content_type_415(c):
    r = c.post("/", '{"kommune": "fjordvik"}', headers={"Content-Type": "application/json"})
    assert_error_page(r, 415, "Innhold som ikke støttes")


def test_multipart_form_is_understood(c):
    boundary = "----stafett-test-boundary"
    body = ("--%s\r\nContent-Disposition: form-data; name=\"kommune\"\r\n\r\nfjordvik\r\n"
            "--%s\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n%s\r\n--%s--\r\n"
            % (boundary, boundary, c.csrf(), boundary))
    r = c.post("/", body, headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
    assert r.status == 303, r


def test_path_traversal_404_or_400(c):
    for path in ["/../etc/passwd", "/%2e%2e/etc/passwd", "/static/../conf/stafett.conf",
                 "/.git/HEAD", "/conf/stafett.conf"]:
        r = c.get(path)
        assert r.status in (400, 404), (path, r)
        assert "password" not in r.text


def test_head_has_no_body(c):
    r = c.request("HEAD", "/")
    assert r.status == 200 and r.body == b"", r


def test_error_page_in_nynorsk(c):
    r = c.get("/finnes-ikke", headers={"Accept-Language": "nn"})
    assert r.status == 404 and '<html lang="nn">' in r.text
    assert "Fann ikkje sida" in r.text, r.text
