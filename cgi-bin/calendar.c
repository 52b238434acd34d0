/* calendar.c — my calendar (issue 13, lib/calendar.h):
 *   GET  /kalender                 this month as a grid of weeks, today
 *        /kalender?maaned=2026-12  marked, each day with its meetings,
 *                                  deadlines and evaluation dates; or
 *        /kalender?visning=liste   the coming year's items as a list; the
 *                                  children's names where the person may
 *                                  read the log (the read audited as a
 *                                  list, as "my logs" is), a leader's
 *                                  meetings by the log's number alone
 *   POST /kalender                 make, renew or stop one's calendar feed
 *                                  (.once): the new address is shown once,
 *                                  on the page the form goes back to (it
 *                                  rides there in a short-lived cookie, not
 *                                  in the address bar)
 *   GET  /kalender/TOKEN.ics       the feed, without a login: no child's
 *                                  name, no number, no free text; ETag and
 *                                  If-None-Match (304), private caching; an
 *                                  unknown or revoked token is 404, and one
 *                                  address trying 100 wrong ones in an hour
 *                                  gets 429; the access logs show
 *                                  /kalender/- (conf/). Each fetch is one
 *                                  audit row of the person's own data,
 *                                  "calendar.feed.read", not a log read.
 * Template: calendar.html. Tests: tests/http/test_calendar.py. */
#include <string.h>

#include "app.h"
#include "calendar.h"
#include "config.h"
#include "crypto.h"
#include "i18n.h"
#include "ratelimit.h"
#include "session.h"
#include "view_calendar.h"

#define COOKIE "stafett-kalender"
/* Wrong tokens from one address in an hour before it is held back, as for
 * invitations (cgi-bin/invitation.c). */
#define WRONG_PER_HOUR 100
/* How long a calendar program may keep the feed before asking again. */
#define FEED_MAX_AGE "private, max-age=900"

static const char *const views[] = { "maaned", "liste", NULL };
static const char *const feed_actions[] = { "new", "revoke", NULL };

/* clang-format off */
static const struct form_field show_fields[] = {
	{ .name = "maaned", .type = FORM_LINE, .max_len = 7 },
	{ .name = "visning", .type = FORM_CHOICE, .choices = views },
	{ NULL },
};
static const struct form_field feed_fields[] = {
	{ .name = "feed", .type = FORM_CHOICE, .required = true, .choices = feed_actions,
	  .label = N_("Calendar feed"), .missing = N_("Choose what to do with your calendar feed.") },
	{ NULL },
};
/* clang-format on */

/* "YYYY-MM-01" of the month asked for ("YYYY-MM"), or NULL. */
static const char *month_first(const char *m)
{
	if (strlen(m) != 7 || m[4] != '-' || strspn(m, "0123456789-") != 7 || strchr(m + 5, '-'))
		return NULL;
	int y = (m[0] - '0') * 1000 + (m[1] - '0') * 100 + (m[2] - '0') * 10 + (m[3] - '0');
	int mo = (m[5] - '0') * 10 + (m[6] - '0');
	return y >= 2000 && y <= 2100 && mo >= 1 && mo <= 12 ? arena_printf("%s-01", m) : NULL;
}

/* The feed's part of the page: whether there is one, and its address the
 * one time it is shown (the cookie the POST left, if it is still the
 * person's live feed). */
static int feed_state(struct req *r)
{
	char *since;
	int rc = calendar_feed_live(r->session, &since);
	if (rc < 0)
		return rc;
	tv_set_bool(r->data, "has_feed", rc == 1);
	tv_set_str(r->data, "feed_since", since ? since : "");
	const char *token = req_cookie(r, COOKIE);
	if (!token)
		return 0;
	resp_cookie(r, COOKIE, "", 0);
	if ((rc = calendar_feed_is(r->session, token)) < 0)
		return rc;
	if (rc == 1)
		tv_set_str(r->data, "feed_url",
			   arena_printf("%s/kalender/%s.ics", config_str("site.public_url"), token));
	return 0;
}

static int show(struct req *r)
{
	if (r->in.nerrors)
		return 404;
	const char *today = calendar_today(), *asked = req_field(r, "maaned")->value;
	bool list = strcmp(req_field(r, "visning")->value, "liste") == 0;
	const char *first = *asked ? month_first(asked) : arena_printf("%.7s-01", today ? today : "");
	if (!today || (!list && !first))
		return today ? 404 : 500;
	const char *from = list ? today : first;
	const char *to = calendar_add_days(list ? today : first, list ? 366 : 31);
	if (!list && to)
		to = arena_printf("%.7s-01", to); /* the first of the next month */
	if (!to)
		return 500;
	struct calendar c;
	int rc = calendar_load(r->session, from, to, true, &c);
	if (rc < 0 || (rc = feed_state(r)) < 0)
		return rc;
	if (list)
		view_calendar_list(r->data, &c, today);
	else
		view_calendar_month(r->data, &c, first, today);
	tv_set_bool(r->data, "list", list);
	tv_set_str(r->data, "today", today);
	tv_set_str(r->data, "title", C_("calendar", "My calendar"));
	return resp_page(r, 200, "calendar");
}

static int feed(struct req *r)
{
	if (r->in.nerrors)
		return 400; /* the page's buttons always send one */
	if (strcmp(req_field(r, "feed")->value, "revoke") == 0) {
		int rc = calendar_feed_revoke(r->session);
		if (rc < 0)
			return rc;
		return resp_saved(r, "/kalender#abonnement", "kalender-stoppet");
	}
	char *token;
	bool renewed;
	int rc = calendar_feed_new(r->session, &token, &renewed);
	if (rc < 0)
		return rc;
	/* For the page the browser goes on to, which shows it once. */
	resp_cookie(r, COOKIE, token, 600);
	return resp_saved(r, "/kalender#abonnement", renewed ? "kalender-fornyet" : "kalender-ny");
}

/* Whether If-None-Match names etag (or is "*"). */
static bool not_modified(struct req *r, const char *etag)
{
	const char *inm = req_env(r, "HTTP_IF_NONE_MATCH");
	return *inm && (strcmp(inm, "*") == 0 || strstr(inm, etag));
}

static int ics(struct req *r)
{
	const char *rest = r->path + strlen("/kalender/");
	size_t n = strlen(rest);
	r->path = "/kalender/-"; /* the token is a secret: no line of our log shows it */
	struct calendar_feed_owner o;
	const char *token = n > 4 && strcmp(rest + n - 4, ".ics") == 0 ? arena_strndup(rest, n - 4) : NULL;
	int rc = token ? calendar_feed_find(token, &o) : 0;
	if (rc < 0)
		return rc;
	if (rc == 0) {
		/* Each wrong one counted at once (this route runs outside a
		 * transaction); after a hundred in an hour the answer is 429.
		 * A right one is not held back: nobody guesses 256 bits, and a
		 * calendar program fetching its feed costs one statement less. */
		if ((rc = ratelimit_hit("feed-token", r->remote_addr, WRONG_PER_HOUR, 3600)) < 0)
			return rc;
		return rc == 0 ? 429 : 404;
	}
	/* In the language of the person's mail, as their invitations are. */
	i18n_set(o.lang);
	struct session who = { .municipality_id = o.municipality_id, .person_id = o.person_id };
	const char *today = calendar_today();
	const char *from = today ? calendar_add_days(today, -31) : NULL;
	const char *to = today ? calendar_add_days(today, 366) : NULL;
	struct calendar c;
	if (!from || !to)
		return 500;
	if ((rc = calendar_load(&who, from, to, false, &c)) < 0 || (rc = calendar_feed_fetched(&o)) < 0)
		return rc;
	/* What the text would show, hashed: the ETag, and whether the text
	 * kept with the feed still is the text (sql/011), so libical writes
	 * it only when something in it has changed. */
	unsigned char hash[32];
	view_calendar_feed_hash(&c, hash);
	const char *etag = arena_printf("\"%.32s\"", crypto_hex(hash, sizeof hash));
	resp_header(r, "ETag", etag);
	r->cache_control = FEED_MAX_AGE;
	if (not_modified(r, etag))
		return resp_bytes(r, 304, "text/calendar; charset=utf-8", "", 0);
	struct db_blob kept = { NULL, 0 };
	if (o.text_hash.len == sizeof hash && memcmp(o.text_hash.data, hash, sizeof hash) == 0 &&
	    (rc = calendar_feed_text(&o, &kept)) < 0)
		return rc;
	if (kept.len)
		return resp_bytes(r, 200, "text/calendar; charset=utf-8", kept.data, kept.len);
	struct buf body = { 0 };
	if (view_calendar_feed(&body, &c) < 0)
		return 500;
	if ((rc = calendar_feed_keep(&o, hash, body.data, body.len)) < 0)
		return rc;
	return resp_bytes(r, 200, "text/calendar; charset=utf-8", body.data, body.len);
}

static const struct route routes[] = {
	{ "GET", "/kalender", show, .login = true, .fields = show_fields },
	{ "POST", "/kalender", feed, .login = true, .fields = feed_fields, .once = true },
	{ "GET", "/kalender/*", ics },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-calendar", routes };
	return app_main(argc, argv, &prog);
}
