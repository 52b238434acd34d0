/* app.h — what a program in cgi-bin/ is: a table of routes served over
 * FastCGI (or once, as plain CGI, when started without a FastCGI socket).
 * app.c owns the request lifecycle: parse and bound the input, choose the
 * language, call the handler, render errors, send headers, free the arena. */
#ifndef STAFETT_APP_H
#define STAFETT_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "http.h"
#include "tmpl.h"

struct req {
	/* The request, validated before any handler runs. */
	const char *method;	/* GET, HEAD (served as GET) or POST */
	const char *path;	/* decoded, starts with '/' */
	const char *request_id; /* 32 hex characters, also in every log line */
	const char *lang;	/* nb, nn or en */
	const char *remote_addr;
	bool https;
	struct params query;
	struct params form; /* POST body: urlencoded or multipart */
	struct params cookies;
	struct tv *data;	 /* template data; app.c fills the common keys */
	struct session *session; /* the logged-in person, NULL if anonymous (session.h) */

	/* The response. */
	int status;
	const char *content_type;
	struct buf headers; /* extra "Name: value\r\n" lines */
	struct buf body;
	bool responded;

	/* Internal. */
	char **envp;
};

typedef int (*handler_fn)(struct req *r);

struct route {
	const char *method; /* "GET" (also serves HEAD) or "POST" */
	const char *path;   /* exact, or a prefix when it ends in '*' */
	handler_fn fn;
	/* A POST from the identity provider's server, not from a browser: it
	 * carries no CSRF token and proves itself with a signed token instead. */
	bool from_provider;
};

struct program {
	const char *name;
	const struct route *routes; /* terminated by {NULL} */
	size_t max_body;	    /* 0: the http.max_body setting; APP_MAX_UPLOAD: http.max_upload */
};
/* max_body of a program that takes uploaded files (a scanned form). */
#define APP_MAX_UPLOAD ((size_t)-1)

/* A handler returns 0 once it has responded, an HTTP status >= 400 for the
 * error page, or a negative db.h code (gone or busy: 503; other: 500). */
int app_main(int argc, char **argv, const struct program *prog);

const char *req_env(const struct req *r, const char *name);
const char *req_cookie(const struct req *r, const char *name);

/* Renders PAGE inside the layout with r->data. */
int resp_page(struct req *r, int status, const char *page);
int resp_text(struct req *r, int status, const char *content_type, const char *text);
/* A body of len bytes as they are (a served document, which may hold NUL). */
int resp_bytes(struct req *r, int status, const char *content_type, const void *data, size_t len);
/* 303 See Other to a local path (must start with a single '/'). */
int resp_redirect(struct req *r, const char *path);
/* On to a URL we built ourselves (the identity provider's), after a POST:
 * a page that refreshes to it at once (see app.c for why not a 303). */
int resp_redirect_external(struct req *r, const char *url);
/* Renders the error page for status; returns 0. */
int resp_error(struct req *r, int status);
/* A header line; names and values with CR or LF are refused (logged). */
void resp_header(struct req *r, const char *name, const char *value);
/* max_age < 0: until the browser closes; 0: delete the cookie. */
void resp_cookie(struct req *r, const char *name, const char *value, long max_age);

/* The id in a path such as "/logg/123/innsyn" after PREFIX ("/logg/"): a
 * plain positive number of at most 15 digits, with *rest pointing after it;
 * 0 if there is none (answered 404 like an unknown page). */
int64_t app_path_id(const char *path, const char *prefix, const char **rest);

/* True if path is a safe local redirect target: "/x", not "//x" nor "/\x". */
bool app_local_path(const char *path);

#endif
