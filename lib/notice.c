/* notice.c — the notices of notice.h: who is told, asked of consent.c,
 * guardian.c, measure.c and authz.c; queued through outbox.c. Reads
 * log_actor and invitation for an invited actor's address, and person for
 * a log's subject's own. */
#include "notice.h"

#include <stdbool.h>

#include "arena.h"
#include "authz.h"
#include "consent.h"
#include "db.h"
#include "guardian.h"
#include "log.h"
#include "mail.h"
#include "measure.h"
#include "outbox.h"
#include "session.h"

static void count(struct notice_count *n, enum outbox_notice o)
{
	switch (o) {
	case OUTBOX_QUEUED:
		n->queued++;
		break;
	case OUTBOX_NO_ADDRESS:
		n->no_address++;
		break;
	case OUTBOX_DECLINED:
		n->declined++;
		break;
	case OUTBOX_DUPLICATE:
		n->duplicate++;
		break;
	case OUTBOX_THROTTLED: /* these notices are not gated */
		break;
	}
}

/* Whether PERSON_ID may do A on LOG_ID (ITEM_ID: the measure of
 * AUTHZ_EVALUATE, else 0) now, asked as them, without an audit row: a
 * notice is not an access. 1 yes, 0 no, or a negative db.h code. */
static int may(int64_t municipality_id, int64_t person_id, int64_t log_id, int64_t item_id,
	       enum authz_action a)
{
	struct session as = { .municipality_id = municipality_id, .person_id = person_id };
	struct authz az;
	int rc = authz_check_item(&as, log_id, item_id, a, &az);
	return rc < 0 ? rc : az.allow;
}

/* --- consent asked for ---------------------------------------------------- */

/* The address typed for PERSON_ID as a guardian of the log (else their
 * own), or NULL: not a guardian of it, or no address typed. */
static const char *guardian_address(const struct guardian *g, int ng, int64_t person_id)
{
	for (int i = 0; i < ng; i++)
		if (g[i].person_id == person_id)
			return g[i].email;
	return NULL;
}

int notice_consent_asked(const struct session *s, int64_t log_id, int64_t person_id, struct notice_count *n)
{
	struct consent_person *req;
	struct guardian *g;
	int64_t m = s->municipality_id;
	int nreq = consent_required(m, log_id, &req);
	if (nreq <= 0)
		return nreq;
	int ng = req[0].subject ? 0 : guardian_list(m, log_id, &g);
	if (ng < 0)
		return ng;
	const char *path = arena_printf("/logg/%lld/samtykke", (long long)log_id);
	for (int i = 0; i < nreq; i++) {
		int64_t p = req[i].person_id;
		if (person_id && p != person_id)
			continue;
		int rc = may(m, p, log_id, 0, AUTHZ_CONSENT);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			n->not_now++;
			continue;
		}
		enum outbox_notice o;
		/* The subject at their own address, without their name (outbox.h). */
		rc = outbox_notify(m, p, log_id, "log_created",
				   req[i].subject ? NULL : guardian_address(g, ng, p), path, false, NULL, &o);
		if (rc < 0)
			return rc;
		count(n, o);
	}
	return 0;
}

/* --- a measure given --------------------------------------------------------- */

struct address_row {
	char *email;
};
static const struct db_col address_cols[] = { DB_COL(struct address_row, email, DB_STR) };
static const struct db_map address_map = DB_MAP(struct address_row, address_cols);

/* The address the holder typed when they invited PERSON_ID into the log
 * (their latest current actor row that came by an invitation), or NULL:
 * then the person's own. */
static const char *actor_address(int64_t municipality_id, int64_t log_id, int64_t person_id)
{
	struct address_row r;
	int rc = db_select_one(&address_map, &r,
			       "SELECT i.email FROM log_actor a JOIN invitation i ON i.id = a.invitation_id"
			       " AND i.municipality_id = a.municipality_id"
			       " WHERE a.municipality_id = ? AND a.log_id = ? AND a.person_id = ?"
			       " AND a.removed_at IS NULL ORDER BY a.id DESC LIMIT 1",
			       "iii", (long long)municipality_id, (long long)log_id, (long long)person_id);
	return rc == 1 ? r.email : NULL;
}

/* A notice of KIND about the measure to PERSON_ID, if they may do A on it. */
static int measure_notice(int64_t municipality_id, int64_t log_id, int64_t measure_id, int64_t person_id,
			  enum authz_action a, const char *kind, const char *dedupe, struct notice_count *n)
{
	int rc = may(municipality_id, person_id, log_id, a == AUTHZ_EVALUATE ? measure_id : 0, a);
	if (rc <= 0) {
		n->not_now += rc == 0;
		return rc;
	}
	enum outbox_notice o;
	const char *path = arena_printf("/logg/%lld/tiltak/%lld", (long long)log_id, (long long)measure_id);
	rc = outbox_notify(municipality_id, person_id, log_id, kind,
			   actor_address(municipality_id, log_id, person_id), path, false, dedupe, &o);
	if (rc < 0)
		return rc;
	count(n, o);
	return 0;
}

int notice_measure_given(const struct session *s, int64_t log_id, int64_t measure_id, int64_t person_id,
			 struct notice_count *n)
{
	if (person_id == s->person_id)
		return 0;
	return measure_notice(s->municipality_id, log_id, measure_id, person_id, AUTHZ_READ, "measure_given",
			      NULL, n);
}

/* --- evaluations due ------------------------------------------------------------ */

struct due_ctx {
	const struct measure_due *m;
	struct notice_count *n;
};

static int due_one(void *ctx)
{
	const struct due_ctx *c = ctx;
	const struct measure_due *m = c->m;
	const char *dedupe = arena_printf("evaluation_due:%lld:%s:%lld", (long long)m->id, m->evaluation_date,
					  (long long)m->responsible_person_id);
	return measure_notice(m->municipality_id, m->log_id, m->id, m->responsible_person_id, AUTHZ_EVALUATE,
			      "evaluation_due", dedupe, c->n);
}

int notice_evaluations_due(const char *today, int *due, struct notice_count *n)
{
	struct measure_due *m;
	int got = measure_due(today, &m);
	*due = got > 0 ? got : 0;
	for (int i = 0; i < got; i++) {
		struct due_ctx c = { &m[i], n };
		int rc = db_transaction(due_one, &c);
		if (rc < 0) {
			log_error("notice: the evaluation of measure %lld could not be queued (%d)",
				  (long long)m[i].id, rc);
			return rc;
		}
	}
	return got < 0 ? got : 0;
}
