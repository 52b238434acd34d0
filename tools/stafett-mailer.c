/* stafett-mailer — sends the mail the programs queue in the outbox
 * (lib/outbox.h) over SMTP with libcurl, one message per connection.
 *   stafett-mailer [--once] [--poll SECONDS]
 * Claims due mail with a lease, renders each with view_mail (the same bytes
 * at every attempt), sends it to [mail] server and records the server's
 * last answer in the outbox: 2xx sent, 5xx to the recipient or the message
 * bounced, anything else (no connection, 4xx) tried again later. A mailer
 * killed mid-send leaves its mail to the next claim when the lease runs
 * out; the server never said 250 for it, so it is sent once. The log says
 * outbox ids, codes and outcomes, never an address, a name or a body.
 * SIGTERM: finishes the message in hand, lets the rest go, exits. --once:
 * sends what is due, then exits (tests, jobs). Exit 78 (EX_CONFIG) when
 * the [mail] settings are refused: a supervisor does not restart it. */
#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "i18n.h"
#include "job.h"
#include "log.h"
#include "mail.h"
#include "outbox.h"
#include "tmpl.h"
#include "view_mail.h"

enum { BATCH = 10, EX_CONFIG = 78, REPLY_MAX = 300 };

/* The SMTP settings, checked once at start. */
static struct {
	char *url; /* smtp://host:port/EHLO-NAME or smtps://... */
	long use_ssl;
	const char *from; /* <address> */
	const char *username, *password;
	long timeout, total;
} smtp;

static const char *owner; /* host:pid:random, the lease's owner */

static bool loopback(const char *host)
{
	return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "localhost") == 0 ||
		strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0;
}

/* Reads [mail] into smtp; -1 (logged) when they may not be used: an
 * unknown tls, a server that is no SMTP URL, tls = none to another machine
 * (mail would cross the network in clear). */
static int smtp_settings(void)
{
	const char *server = config_str("mail.server"), *tls = config_str("mail.tls");
	const char *from = config_str("mail.from_address");
	if (!mail_address_ok(from)) {
		log_error("[mail] from_address is not a plain address");
		return -1;
	}
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *path = NULL;
	int rc = -1;
	if (!u || curl_url_set(u, CURLUPART_URL, server, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    (strcmp(scheme, "smtp") != 0 && strcmp(scheme, "smtps") != 0)) {
		log_error("[mail] server is not an smtp:// or smtps:// URL");
		goto out;
	}
	if (strcmp(tls, "starttls") == 0) {
		smtp.use_ssl = CURLUSESSL_ALL; /* STARTTLS, or nothing is sent */
	} else if (strcmp(tls, "tls") == 0) {
		smtp.use_ssl = CURLUSESSL_ALL;
		curl_url_set(u, CURLUPART_SCHEME, "smtps", 0);
	} else if (strcmp(tls, "none") == 0) {
		if (strcmp(scheme, "smtp") != 0 || !loopback(host)) {
			log_error("[mail] tls = none is only for a server on this machine "
				  "(127.0.0.1, localhost, ::1); %s is not: use starttls or tls",
				  host);
			goto out;
		}
		smtp.use_ssl = CURLUSESSL_NONE;
	} else {
		log_error("[mail] tls is starttls, tls or none, not %s", tls);
		goto out;
	}
	/* The URL's path is the name we greet the server with (EHLO): the
	 * sender's domain unless the setting names one. */
	if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK || strlen(path) <= 1)
		curl_url_set(u, CURLUPART_PATH, strchr(from, '@') + 1, 0);
	char *url = NULL;
	if (curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK)
		goto out;
	smtp.url = xstrdup(url);
	curl_free(url);
	smtp.from = xstrdup(arena_printf("<%s>", from));
	smtp.username = config_str("mail.username");
	smtp.password = config_str("mail.password");
	smtp.timeout = config_int("mail.timeout_seconds");
	/* A send ends before its lease does, so no other mailer can take a
	 * mail that is still on its way. */
	smtp.total = config_int("mail.lease_seconds") - 1;
	if (smtp.timeout < 1 || smtp.total < 1) {
		log_error("[mail] timeout_seconds and lease_seconds must be at least 1 and 2");
		goto out;
	}
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

/* What one send saw: the server's last line, and the command it answered. */
struct exchange {
	char reply[REPLY_MAX + 1];
	char command[12];
	bool quitting;
	const char *body;
	size_t len, pos;
};

static size_t read_body(char *dst, size_t size, size_t nmemb, void *p)
{
	struct exchange *x = p;
	size_t n = size * nmemb, left = x->len - x->pos;
	if (n > left)
		n = left;
	memcpy(dst, x->body + x->pos, n);
	x->pos += n;
	return n;
}

/* libcurl's trace, of which only the SMTP dialogue is kept: the last line
 * the server said and the first word of the command it answered (never its
 * arguments: addresses, credentials). The QUIT libcurl sends after a
 * refusal, and its answer, are not what the mail's outcome was. */
static int trace(CURL *h, curl_infotype type, char *data, size_t size, void *p)
{
	(void)h;
	struct exchange *x = p;
	if (type == CURLINFO_HEADER_IN && !x->quitting) {
		while (size > 0 && (data[size - 1] == '\n' || data[size - 1] == '\r'))
			size--;
		size_t start = size;
		while (start > 0 && data[start - 1] != '\n')
			start--;
		if (size > start) {
			size_t n = size - start < REPLY_MAX ? size - start : REPLY_MAX;
			memcpy(x->reply, data + start, n);
			x->reply[n] = '\0';
		}
	} else if (type == CURLINFO_HEADER_OUT) {
		char word[sizeof x->command];
		size_t k = 0;
		while (k < size && k + 1 < sizeof word && isalpha((unsigned char)data[k])) {
			word[k] = (char)toupper((unsigned char)data[k]);
			k++;
		}
		word[k] = '\0';
		if (strcmp(word, "QUIT") == 0)
			x->quitting = true;
		else
			memcpy(x->command, word, sizeof word);
	}
	return 0;
}

static bool tls_failure(CURLcode res)
{
	switch (res) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_USE_SSL_FAILED:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ENGINE_INITFAILED:
		return true;
	default:
		return false;
	}
}

enum outcome { SENT, BOUNCED, DEFERRED };

struct result {
	enum outcome outcome;
	int code;
	const char *reply;
};

/* Sends one message; what the server answered. */
static struct result send_message(int64_t id, const char *rcpt, const struct buf *msg)
{
	struct exchange x = { .body = msg->data, .len = msg->len };
	char err[CURL_ERROR_SIZE] = "";
	struct curl_slist *to = curl_slist_append(NULL, arena_printf("<%s>", rcpt));
	CURL *h = curl_easy_init();
	if (!h || !to) {
		log_error("outbox %lld: libcurl could not start", (long long)id);
		curl_slist_free_all(to);
		return (struct result){ DEFERRED, 0, "the mailer could not start libcurl" };
	}
	curl_easy_setopt(h, CURLOPT_URL, smtp.url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_USE_SSL, smtp.use_ssl);
	curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (*smtp.username) {
		curl_easy_setopt(h, CURLOPT_USERNAME, smtp.username);
		curl_easy_setopt(h, CURLOPT_PASSWORD, smtp.password);
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, smtp.from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, to);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_body);
	curl_easy_setopt(h, CURLOPT_READDATA, &x);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg->len);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, smtp.timeout);
	curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, smtp.timeout);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, smtp.total);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L); /* for the trace alone: it writes nothing */
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, trace);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, &x);
	CURLcode res = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	/* The code of the line kept, where there is one: the answer to the
	 * command, not to a QUIT after it. */
	if (strspn(x.reply, "0123456789") == 3)
		code = strtol(x.reply, NULL, 10);
	/* The answer, read before the cleanup's QUIT is traced over it. */
	struct result r = { DEFERRED, (int)code, arena_strdup(x.reply) };
	char command[sizeof x.command];
	memcpy(command, x.command, sizeof command);
	curl_easy_cleanup(h);
	curl_slist_free_all(to);

	if (res == CURLE_OK && code / 100 == 2) {
		r.outcome = SENT;
	} else if (code / 100 == 5 && (strcmp(command, "RCPT") == 0 || strcmp(command, "DATA") == 0)) {
		/* Refused for good: the recipient, or the message itself. */
		r.outcome = BOUNCED;
	} else if (code / 100 == 5) {
		/* Refused before the recipient: our settings (the sender, the
		 * authentication), not this mail's fault. Tried again. */
		log_error("outbox %lld: the SMTP server refused %s with %ld: check the [mail] settings",
			  (long long)id, *command ? command : "the connection", code);
	} else if (tls_failure(res)) {
		log_error("outbox %lld: TLS with the SMTP server failed: %s (%s)", (long long)id,
			  curl_easy_strerror(res), err);
	}
	if (r.outcome == DEFERRED && code / 100 != 4 && code / 100 != 5) {
		/* No answer that says why: what libcurl saw instead. */
		r.code = 0;
		r.reply = arena_printf("%s%s%s", curl_easy_strerror(res), *command ? " after " : "", command);
	}
	return r;
}

/* Records the outcome; retried while the database is away (a mail the
 * server has but the outbox does not know as sent would go out again once
 * the lease runs out). 1 recorded, 0 not ours any more, < 0 failed. */
static int record(const struct outbox_due *d, const struct result *r, bool *gave_up)
{
	int rc = DB_GONE;
	for (long long tries = 0; tries < config_int("mail.lease_seconds"); tries++) {
		if (tries > 0) {
			sleep(1);
			db_request_end();
			if (db_request_begin() < 0)
				continue;
		}
		*gave_up = false;
		switch (r->outcome) {
		case SENT:
			rc = outbox_sent(d->id, owner, r->code, r->reply);
			break;
		case BOUNCED:
			rc = outbox_bounced(d->id, owner, r->code, r->reply);
			break;
		case DEFERRED:
			rc = outbox_deferred(d->id, owner, d->attempts, r->code, r->reply, gave_up);
			break;
		}
		if (rc != DB_GONE && rc != DB_BUSY)
			break;
	}
	return rc;
}

/* Renders, sends and records one claimed mail; its outcome, or -1 when it
 * was not sent (no longer ours, the database away). */
static int deliver(const struct outbox_due *d)
{
	int rc = outbox_renew(d->id, owner);
	if (rc <= 0) {
		if (rc < 0)
			log_warn("outbox %lld: not sent, the lease could not be renewed: %s",
				 (long long)d->id, db_error());
		return -1;
	}
	const char *params = outbox_open_params(d);
	struct buf msg = { 0 };
	struct view_mail vm = {
		.kind = d->kind,
		.lang = d->lang,
		.message_id = d->message_id,
		.rcpt = d->rcpt,
		.created_at = d->created_at,
		.params = params,
	};
	struct result r;
	if (!params || view_mail_render(&vm, &msg) < 0)
		r = (struct result){ DEFERRED, 0, "not rendered: see the mailer's log" };
	else
		r = send_message(d->id, d->rcpt, &msg);
	crypto_wipe(msg.data, msg.len); /* the link of an invitation */
	bool gave_up = false;
	rc = record(d, &r, &gave_up);
	if (rc < 0) {
		log_error("outbox %lld: %s but not recorded (%s); it may be sent again", (long long)d->id,
			  r.outcome == SENT ? "sent" : "not sent", db_error());
		return -1;
	}
	if (rc == 0) {
		log_warn("outbox %lld: another mailer took it while it was being sent", (long long)d->id);
		return -1;
	}
	if (r.outcome == SENT)
		log_info("outbox %lld: sent (%d)", (long long)d->id, r.code);
	else if (r.outcome == BOUNCED)
		log_warn("outbox %lld: bounced (%d)", (long long)d->id, r.code);
	else if (gave_up)
		log_error("outbox %lld: given up after %d attempts (%d)", (long long)d->id, d->attempts,
			  r.code);
	else
		log_warn("outbox %lld: deferred (%d: %s), attempt %d, next in %lld s", (long long)d->id,
			 r.code, r.code ? "see the outbox" : r.reply, d->attempts,
			 outbox_retry_delay(d->attempts));
	return (int)r.outcome;
}

/* One claim and its mail. The number claimed and how many went out or
 * bounced (not deferred), or a negative code. */
static int batch(void *ctx, int *done)
{
	(void)ctx;
	*done = 0;
	struct outbox_due *rows;
	int n = outbox_claim(owner, BATCH, &rows);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		if (job_stopping()) {
			outbox_release(rows[i].id, owner);
			continue;
		}
		int o = deliver(&rows[i]);
		if (o == SENT || o == BOUNCED)
			(*done)++;
	}
	return n;
}

static int usage(void)
{
	fputs("usage: stafett-mailer [--once] [--poll SECONDS]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	bool once = false;
	double poll = 1.0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0) {
			once = true;
		} else if (strcmp(argv[i], "--poll") == 0 && i + 1 < argc) {
			char *end;
			poll = strtod(argv[++i], &end);
			if (*end || !(poll >= 0.05 && poll <= 60))
				return usage();
		} else {
			return usage();
		}
	}
	log_init("stafett-mailer", false);
	if (config_load(NULL) < 0)
		return EX_CONFIG;
	log_init("stafett-mailer", config_bool("log.syslog"));
	/* The times a mail shows are Oslo's, as on the pages. */
	setenv("TZ", "Europe/Oslo", 1);
	tzset();
	if (i18n_init(config_str("paths.locale")) < 0)
		log_warn("translations unavailable; mail in message ids");
	if (crypto_load_keys(config_str("crypto.key_file")) < 0)
		return EX_CONFIG;
	if (tmpl_init(config_str("paths.templates")) < 0) {
		log_error("templates: %s", tmpl_error());
		return EX_CONFIG;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || smtp_settings() < 0) {
		log_error("not started: the mail settings above must be corrected");
		return EX_CONFIG;
	}
	owner = job_owner();

	job_signals();
	if (db_connect("database") < 0)
		log_warn("database unavailable at start: %s", db_error());
	log_info("started: %s, tls %s, %s", once ? "once" : "polling", config_str("mail.tls"),
		 smtp.use_ssl == CURLUSESSL_ALL ? "TLS required" : "no TLS (this machine only)");
	/* --once: until nothing is due, or a whole batch was deferred (the
	 * server is away: the rest would be too). */
	struct job j = { .queue = "the outbox", .once = once, .poll = poll, .batch = batch };
	int status = job_loop(&j);
	db_close();
	curl_global_cleanup();
	return status;
}
