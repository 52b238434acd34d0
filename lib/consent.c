/* consent.c — the rules of consent.h: recording, withdrawing, and what
 * follows from the consent rows (log.consent_until, draft -> active,
 * log.withdrawn_at, consent_service), in the caller's transaction with the
 * history of every change; and what a person is told before and after
 * consenting (the terms, the services at work, their receipts). Reads and
 * writes consent, consent_scope, consent_service and log; reads person,
 * log_guardian, log_actor, municipality, unit. Every query filters on the
 * municipality. */
#include "consent.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "archive.h"
#include "db.h"
#include "history.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"

/* The log row, locked for the change, with today's date and the
 * municipality's rules (dates as YYYY-MM-DD text compare as dates). */
struct log_row {
	char *state;
	char *consent_until;
	bool withdrawn;
	char *today;
	int valid_years;
};
static const struct db_col log_cols[] = {
	DB_COL(struct log_row, state, DB_STR),	     DB_COL(struct log_row, consent_until, DB_STR),
	DB_COL(struct log_row, withdrawn, DB_BOOL),  DB_COL(struct log_row, today, DB_STR),
	DB_COL(struct log_row, valid_years, DB_INT),
};
static const struct db_map log_map = DB_MAP(struct log_row, log_cols);

static int lock_log(int64_t muni, int64_t log_id, struct log_row *out)
{
	return db_select_one(
		&log_map, out,
		"SELECT l.state, DATE_FORMAT(l.consent_until, '%Y-%m-%d'), l.withdrawn_at IS NOT NULL,"
		" DATE_FORMAT(CURRENT_DATE, '%Y-%m-%d'), m.consent_valid_years"
		" FROM log l JOIN municipality m ON m.id = l.municipality_id"
		" WHERE l.municipality_id = ? AND l.id = ? FOR UPDATE",
		"ii", (long long)muni, (long long)log_id);
}

static const struct db_col person_cols[] = {
	DB_COL(struct consent_person, person_id, DB_I64),
	DB_COL(struct consent_person, given_name, DB_STR),
	DB_COL(struct consent_person, family_name, DB_STR),
	DB_COL(struct consent_person, subject, DB_BOOL),
};
static const struct db_map person_map = DB_MAP(struct consent_person, person_cols);

int consent_required(int64_t municipality_id, int64_t log_id, struct consent_person **out)
{
	long long m = municipality_id, l = log_id;
	int n = db_select(&person_map, out,
			  "SELECT p.id, COALESCE(l.subject_given_name, p.given_name),"
			  " COALESCE(l.subject_family_name, p.family_name), TRUE"
			  " FROM log l JOIN person p ON p.id = l.subject_person_id"
			  " JOIN municipality mu ON mu.id = l.municipality_id"
			  " WHERE l.municipality_id = ? AND l.id = ? AND (l.subject_kind = 'pregnancy'"
			  "  OR p.birth_date <= DATE_SUB(CURRENT_DATE, INTERVAL mu.consent_age YEAR))",
			  "ii", m, l);
	if (n != 0)
		return n;
	return db_select(
		&person_map, out,
		"SELECT p.id, COALESCE(g.given_name, p.given_name), COALESCE(g.family_name, p.family_name),"
		" FALSE"
		" FROM log_guardian g JOIN person p ON p.id = g.person_id"
		" WHERE g.municipality_id = ? AND g.log_id = ? ORDER BY g.id",
		"ii", m, l);
}

/* Every consent row of a log, each person's latest of each kind first. */
struct row {
	int64_t id;
	int64_t person_id;
	char *kind;
	char *method;
	char *given_at;
	char *valid_until;
	char *withdrawn_at;
	bool expired;
	bool expiring;
	char *scope;
	int64_t document_id;
};
static const struct db_col row_cols[] = {
	DB_COL(struct row, id, DB_I64),		  DB_COL(struct row, person_id, DB_I64),
	DB_COL(struct row, kind, DB_STR),	  DB_COL(struct row, method, DB_STR),
	DB_COL(struct row, given_at, DB_STR),	  DB_COL(struct row, valid_until, DB_STR),
	DB_COL(struct row, withdrawn_at, DB_STR), DB_COL(struct row, expired, DB_BOOL),
	DB_COL(struct row, expiring, DB_BOOL),	  DB_COL(struct row, scope, DB_STR),
	DB_COL(struct row, document_id, DB_I64),
};
static const struct db_map row_map = DB_MAP(struct row, row_cols);

static int consent_rows(int64_t muni, int64_t log_id, int warn_days, struct row **out)
{
	return db_select(
		&row_map, out,
		"SELECT c.id, c.person_id, c.kind, c.method, DATE_FORMAT(c.given_at, '%Y-%m-%d'),"
		" DATE_FORMAT(c.valid_until, '%Y-%m-%d'), DATE_FORMAT(c.withdrawn_at, '%Y-%m-%d %H:%i'),"
		" c.valid_until < CURRENT_DATE,"
		" c.valid_until <= DATE_ADD(CURRENT_DATE, INTERVAL ? DAY),"
		" (SELECT GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', ')"
		"  FROM consent_scope cs JOIN unit u ON u.id = cs.unit_id WHERE cs.consent_id = c.id),"
		" c.document_id"
		" FROM consent c WHERE c.municipality_id = ? AND c.log_id = ?"
		" ORDER BY c.person_id, c.kind, c.given_at DESC, c.id DESC",
		"iii", (long long)warn_days, (long long)muni, (long long)log_id);
}

/* The person's latest row of kind among rows, or NULL. */
static const struct row *latest(const struct row *rows, int n, int64_t person, const char *kind)
{
	for (int i = 0; i < n; i++)
		if (rows[i].person_id == person && strcmp(rows[i].kind, kind) == 0)
			return &rows[i];
	return NULL;
}

/* Counts: its person's latest of its kind, not withdrawn, not expired. */
static bool counts(const struct row *c)
{
	return c && !c->withdrawn_at && !c->expired;
}

struct id_row {
	int64_t id;
};
static const struct db_col id_cols[] = { DB_COL(struct id_row, id, DB_I64) };
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

static bool has_id(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* consent_service for the log: the units every required consenter's valid
 * cooperation consent covers (the intersection), until the earliest date. */
static int derive_services(int64_t muni, int64_t log_id, bool withdrawn, const struct consent_person *req,
			   int nreq, const struct row *rows, int nrows)
{
	int rc = db_exec("DELETE FROM consent_service WHERE municipality_id = ? AND log_id = ?", "ii",
			 (long long)muni, (long long)log_id);
	if (rc < 0 || withdrawn || nreq == 0)
		return rc < 0 ? rc : 0;
	int64_t *units = NULL;
	size_t nunits = 0;
	const char *until = NULL;
	for (int i = 0; i < nreq; i++) {
		const struct row *c = latest(rows, nrows, req[i].person_id, "cooperate");
		if (!counts(c))
			return 0;
		struct id_row *scope;
		int n = db_select(&id_map, &scope, "SELECT unit_id FROM consent_scope WHERE consent_id = ?",
				  "i", (long long)c->id);
		if (n < 0)
			return n;
		if (i == 0) {
			units = arena_alloc(((size_t)n + 1) * sizeof *units);
			for (int k = 0; k < n; k++)
				units[nunits++] = scope[k].id;
		} else {
			size_t kept = 0;
			for (size_t k = 0; k < nunits; k++) {
				bool in = false;
				for (int j = 0; j < n && !in; j++)
					in = scope[j].id == units[k];
				if (in)
					units[kept++] = units[k];
			}
			nunits = kept;
		}
		if (!until || strcmp(c->valid_until, until) < 0)
			until = c->valid_until;
	}
	for (size_t k = 0; k < nunits; k++) {
		if (has_id(units, k, units[k]))
			continue;
		rc = db_exec("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until)"
			     " VALUES (?, ?, ?, ?)",
			     "iiis", (long long)muni, (long long)log_id, (long long)units[k], until);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int consent_recompute(const struct session *s, int64_t log_id)
{
	int64_t muni = s->municipality_id;
	struct log_row l;
	struct consent_person *req;
	struct row *rows;
	int rc = lock_log(muni, log_id, &l);
	if (rc <= 0)
		return rc < 0 ? rc : DB_ERROR;
	int nreq = consent_required(muni, log_id, &req);
	if (nreq < 0)
		return nreq;
	int nrows = consent_rows(muni, log_id, 0, &rows);
	if (nrows < 0)
		return nrows;

	/* (a) the establishing consent: complete when every required consenter
	 * has one standing (an expired one still dates the log's expiry). */
	const char *until = NULL;
	bool complete = nreq > 0;
	for (int i = 0; i < nreq && complete; i++) {
		const struct row *c = latest(rows, nrows, req[i].person_id, "establish");
		if (!c || c->withdrawn_at)
			complete = false;
		else if (!until || strcmp(c->valid_until, until) < 0)
			until = c->valid_until;
	}
	if (!complete)
		until = NULL;
	if (history_changed(l.consent_until, until)) {
		if ((rc = db_exec("UPDATE log SET consent_until = ? WHERE municipality_id = ? AND id = ?",
				  "sii", until, (long long)muni, (long long)log_id)) < 0 ||
		    (rc = history_change(s, log_id, "log", log_id, "consent_until", l.consent_until, until)) <
			    0)
			return rc;
	}
	/* (b) a draft becomes active once the consent is complete and valid. */
	if (strcmp(l.state, "draft") == 0 && !l.withdrawn && until && strcmp(until, l.today) >= 0) {
		if ((rc = db_exec("UPDATE log SET state = 'active', version = version + 1"
				  " WHERE municipality_id = ? AND id = ?",
				  "ii", (long long)muni, (long long)log_id)) < 0 ||
		    (rc = history_record(s, log_id, "log", log_id, "state", "draft", "active")) < 0)
			return rc;
	}
	/* (d) the services the cooperation consent covers. */
	return derive_services(muni, log_id, l.withdrawn, req, nreq, rows, nrows);
}

static const struct consent_person *find_person(const struct consent_person *req, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (req[i].person_id == id)
			return &req[i];
	return NULL;
}

struct dates {
	char *given;
	char *until;
	char *oldest; /* given_at may not be before: today - the valid years */
	char *latest; /* valid_until may not be after: given + the valid years */
};
static const struct db_col dates_cols[] = {
	DB_COL(struct dates, given, DB_STR),
	DB_COL(struct dates, until, DB_STR),
	DB_COL(struct dates, oldest, DB_STR),
	DB_COL(struct dates, latest, DB_STR),
};
static const struct db_map dates_map = DB_MAP(struct dates, dates_cols);

/* The dates of a consent, defaults filled in, checked. */
static int check_dates(const struct log_row *l, const struct consent_input *in, struct dates *d,
		       enum consent_outcome *o)
{
	const char *given = in->given_at ? in->given_at : l->today;
	int rc = db_select_one(&dates_map, d,
			       "SELECT DATE_FORMAT(?, '%Y-%m-%d'),"
			       " DATE_FORMAT(COALESCE(?, DATE_ADD(?, INTERVAL ? YEAR)), '%Y-%m-%d'),"
			       " DATE_FORMAT(DATE_SUB(CURRENT_DATE, INTERVAL ? YEAR), '%Y-%m-%d'),"
			       " DATE_FORMAT(DATE_ADD(?, INTERVAL ? YEAR), '%Y-%m-%d')",
			       "sssiisi", given, in->valid_until, given, (long long)l->valid_years,
			       (long long)l->valid_years, given, (long long)l->valid_years);
	if (rc <= 0)
		return rc < 0 ? rc : DB_ERROR;
	if (!d->given || strcmp(d->given, l->today) > 0 || strcmp(d->given, d->oldest) < 0)
		*o = CONSENT_BAD_GIVEN;
	else if (!d->until || strcmp(d->until, l->today) < 0 || strcmp(d->until, d->latest) > 0)
		*o = CONSENT_BAD_UNTIL;
	return 0;
}

struct name_row {
	char *name;
};
static const struct db_col name_cols[] = { DB_COL(struct name_row, name, DB_STR) };
static const struct db_map name_map = DB_MAP(struct name_row, name_cols);

/* Each unit one the consent may name (staff_consent_units: active, of this
 * municipality or another active one), listed once; their names for the
 * history (another municipality's with its name), or *o = CONSENT_BAD_SCOPE. */
static int check_scope(int64_t muni, const struct consent_input *in, struct buf *names,
		       enum consent_outcome *o)
{
	if (in->nunits == 0) {
		*o = CONSENT_BAD_SCOPE;
		return 0;
	}
	for (size_t i = 0; i < in->nunits; i++) {
		struct name_row u;
		int rc = db_select_one(
			&name_map, &u,
			"SELECT IF(u.municipality_id = ?, u.name, CONCAT(u.name, ' (', k.name, ')'))"
			" FROM unit u JOIN municipality k ON k.id = u.municipality_id"
			" WHERE u.id = ? AND u.active AND (u.municipality_id = ? OR k.active)",
			"iii", (long long)muni, (long long)in->units[i], (long long)muni);
		if (rc < 0)
			return rc;
		if (rc == 0 || has_id(in->units, i, in->units[i])) {
			*o = CONSENT_BAD_SCOPE;
			return 0;
		}
		if (i > 0)
			buf_adds(names, ", ");
		buf_adds(names, u.name);
	}
	return 0;
}

static int record_history(const struct session *s, int64_t log_id, int64_t id, const struct consent_person *p,
			  const struct consent_input *in, const struct dates *d, const char *scope)
{
	const char *fields[][2] = {
		{ "person", arena_printf("%s %s", p->given_name, p->family_name) },
		{ "kind", in->kind },
		{ "method", in->method },
		{ "given_at", d->given },
		{ "valid_until", d->until },
		{ "scope", scope },
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (!fields[i][1])
			continue;
		int rc = history_record(s, log_id, "consent", id, fields[i][0], NULL, fields[i][1]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int consent_give(const struct session *s, int64_t log_id, const struct consent_input *in,
		 enum consent_outcome *o)
{
	int64_t muni = s->municipality_id;
	bool cooperate = strcmp(in->kind, "cooperate") == 0;
	struct log_row l;
	struct consent_person *req;
	*o = CONSENT_DONE;
	int rc = lock_log(muni, log_id, &l);
	if (rc < 0)
		return rc;
	if (rc == 0 || l.withdrawn || strcmp(l.state, "closed") == 0) {
		*o = CONSENT_LOCKED;
		return 0;
	}
	int nreq = consent_required(muni, log_id, &req);
	if (nreq < 0)
		return nreq;
	const struct consent_person *p = find_person(req, nreq, in->person_id);
	if (!p) {
		*o = CONSENT_NOT_CONSENTER;
		return 0;
	}
	struct dates d;
	struct buf names = { 0 };
	if ((rc = check_dates(&l, in, &d, o)) < 0 ||
	    (cooperate && *o == CONSENT_DONE && (rc = check_scope(muni, in, &names, o)) < 0))
		return rc;
	if (*o != CONSENT_DONE)
		return 0;
	rc = db_exec("INSERT INTO consent (municipality_id, log_id, kind, person_id, method, given_at,"
		     " valid_until, document_id, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		     "iisisssIi", (long long)muni, (long long)log_id, in->kind, (long long)in->person_id,
		     in->method, d.given, d.until, (long long)in->document_id, (long long)s->person_id);
	if (rc < 0)
		return rc;
	int64_t id = db_last_id();
	for (size_t i = 0; cooperate && i < in->nunits; i++) {
		rc = db_exec("INSERT INTO consent_scope (consent_id, unit_id) VALUES (?, ?)", "ii",
			     (long long)id, (long long)in->units[i]);
		if (rc < 0)
			return rc;
	}
	const char *scope = cooperate ? names.data : NULL;
	if ((rc = record_history(s, log_id, id, p, in, &d, scope)) < 0)
		return rc;
	return consent_recompute(s, log_id);
}

int consent_withdraw(const struct session *s, int64_t log_id, int64_t person_id, const char *kind,
		     enum consent_outcome *o)
{
	int64_t muni = s->municipality_id;
	struct log_row l;
	struct consent_person *req;
	struct id_row *ids;
	*o = CONSENT_DONE;
	int rc = lock_log(muni, log_id, &l);
	if (rc < 0)
		return rc;
	/* In every state, a closed log included (DOMAIN.md §3, §4): only a log
	 * already withdrawn has nothing left to withdraw. */
	if (rc == 0 || l.withdrawn) {
		*o = CONSENT_LOCKED;
		return 0;
	}
	int n = db_select(&id_map, &ids,
			  "SELECT id FROM consent WHERE municipality_id = ? AND log_id = ? AND person_id = ?"
			  " AND kind = ? AND withdrawn_at IS NULL ORDER BY id",
			  "iiis", (long long)muni, (long long)log_id, (long long)person_id, kind);
	if (n < 0)
		return n;
	if (n == 0) {
		*o = CONSENT_NONE;
		return 0;
	}
	for (int i = 0; i < n; i++) {
		if ((rc = db_exec("UPDATE consent SET withdrawn_at = CURRENT_TIMESTAMP(3), withdrawn_by = ?,"
				  " version = version + 1 WHERE municipality_id = ? AND id = ?",
				  "iii", (long long)s->person_id, (long long)muni, (long long)ids[i].id)) <
			    0 ||
		    (rc = history_record(s, log_id, "consent", ids[i].id, "withdrawn_at", NULL, l.today)) < 0)
			return rc;
	}
	int nreq = consent_required(muni, log_id, &req);
	if (nreq < 0)
		return nreq;
	/* (c) without the consent to establish it, the log is locked at once
	 * and waits for the archive. */
	if (strcmp(kind, "establish") == 0 && find_person(req, nreq, person_id)) {
		if ((rc = db_exec("UPDATE log SET withdrawn_at = CURRENT_TIMESTAMP(3), version = version + 1"
				  " WHERE municipality_id = ? AND id = ?",
				  "ii", (long long)muni, (long long)log_id)) < 0 ||
		    (rc = history_record(s, log_id, "log", log_id, "withdrawn_at", NULL, l.today)) < 0 ||
		    (rc = archive_queue(s, log_id, "withdrawn", 0)) < 0)
			return rc;
	}
	return consent_recompute(s, log_id);
}

int consent_status(int64_t municipality_id, int64_t log_id, int warn_days, struct consent_status **out)
{
	static const char *const kinds[] = { "establish", "cooperate" };
	struct consent_person *req;
	struct row *rows;
	int nreq = consent_required(municipality_id, log_id, &req);
	if (nreq < 0)
		return nreq;
	int nrows = consent_rows(municipality_id, log_id, warn_days, &rows);
	if (nrows < 0)
		return nrows;
	struct consent_status *st = arena_alloc(((size_t)nreq * 2 + 1) * sizeof *st);
	int n = 0;
	for (int i = 0; i < nreq; i++) {
		for (int k = 0; k < 2; k++) {
			const struct row *c = latest(rows, nrows, req[i].person_id, kinds[k]);
			struct consent_status *x = &st[n++];
			*x = (struct consent_status){ .who = req[i], .kind = kinds[k] };
			if (!c)
				continue;
			x->state = c->withdrawn_at ? CONSENT_STATE_WITHDRAWN
				: c->expired	   ? CONSENT_STATE_EXPIRED
				: c->expiring	   ? CONSENT_STATE_EXPIRING
						   : CONSENT_STATE_GIVEN;
			x->id = c->id;
			x->method = c->method;
			x->given_at = c->given_at;
			x->valid_until = c->valid_until;
			x->withdrawn_at = c->withdrawn_at;
			x->scope = c->scope;
			x->document_id = c->document_id;
		}
	}
	*out = st;
	return n;
}

static const struct db_col terms_cols[] = {
	DB_COL(struct consent_terms, holder_given_name, DB_STR),
	DB_COL(struct consent_terms, holder_family_name, DB_STR),
	DB_COL(struct consent_terms, holder_title, DB_STR),
	DB_COL(struct consent_terms, holder_email, DB_STR),
	DB_COL(struct consent_terms, holder_phone, DB_STR),
	DB_COL(struct consent_terms, unit_name, DB_STR),
	DB_COL(struct consent_terms, municipality, DB_STR),
	DB_COL(struct consent_terms, consent_age, DB_INT),
	DB_COL(struct consent_terms, valid_years, DB_INT),
	DB_COL(struct consent_terms, valid_until, DB_STR),
};
static const struct db_map terms_map = DB_MAP(struct consent_terms, terms_cols);

int consent_terms(int64_t municipality_id, int64_t log_id, struct consent_terms *out)
{
	/* valid_until as check_dates() fills it in for a consent given today. */
	return db_select_one(
		&terms_map, out,
		"SELECT h.given_name, h.family_name, NULLIF(h.title, ''),"
		" NULLIF(h.email, ''), NULLIF(h.phone, ''), u.name, m.name, m.consent_age,"
		" m.consent_valid_years,"
		" DATE_FORMAT(DATE_ADD(CURRENT_DATE, INTERVAL m.consent_valid_years YEAR), '%Y-%m-%d')"
		" FROM log l JOIN person h ON h.id = l.holder_person_id JOIN unit u ON u.id = l.unit_id"
		" JOIN municipality m ON m.id = l.municipality_id"
		" WHERE l.municipality_id = ? AND l.id = ?",
		"ii", (long long)municipality_id, (long long)log_id);
}

static const struct db_col party_cols[] = {
	DB_COL(struct consent_party, unit_id, DB_I64),	   DB_COL(struct consent_party, unit_name, DB_STR),
	DB_COL(struct consent_party, unit_kind, DB_STR),   DB_COL(struct consent_party, given_name, DB_STR),
	DB_COL(struct consent_party, family_name, DB_STR), DB_COL(struct consent_party, title, DB_STR),
	DB_COL(struct consent_party, holder, DB_BOOL),
};
static const struct db_map party_map = DB_MAP(struct consent_party, party_cols);

int consent_parties(int64_t municipality_id, int64_t log_id, struct consent_party **out)
{
	long long m = municipality_id, l = log_id;
	return db_select(
		&party_map, out,
		"SELECT u.id, u.name, u.kind, p.given_name, p.family_name, NULLIF(p.title, ''), TRUE"
		" FROM log l JOIN unit u ON u.id = l.unit_id JOIN person p ON p.id = l.holder_person_id"
		" WHERE l.municipality_id = ? AND l.id = ?"
		" UNION ALL"
		" SELECT u.id, u.name, u.kind, p.given_name, p.family_name, NULLIF(p.title, ''), FALSE"
		" FROM log_actor a JOIN log l ON l.id = a.log_id JOIN unit u ON u.id = a.unit_id"
		" JOIN person p ON p.id = a.person_id"
		" WHERE a.municipality_id = ? AND a.log_id = ? AND a.removed_at IS NULL"
		"  AND NOT (a.person_id = l.holder_person_id AND a.unit_id = l.unit_id)"
		" ORDER BY 7 DESC, 2, 5, 4",
		"iiii", m, l, m, l);
}

int consent_scope_units(int64_t municipality_id, int64_t consent_id, int64_t **out)
{
	struct id_row *rows;
	int n = db_select(&id_map, &rows,
			  "SELECT cs.unit_id FROM consent_scope cs JOIN consent c ON c.id = cs.consent_id"
			  " WHERE c.municipality_id = ? AND c.id = ?",
			  "ii", (long long)municipality_id, (long long)consent_id);
	if (n < 0)
		return n;
	int64_t *ids = arena_alloc(((size_t)n + 1) * sizeof *ids);
	for (int i = 0; i < n; i++)
		ids[i] = rows[i].id;
	*out = ids;
	return n;
}

static const struct db_col receipt_cols[] = {
	DB_COL(struct consent_receipt, id, DB_I64),
	DB_COL(struct consent_receipt, kind, DB_STR),
	DB_COL(struct consent_receipt, method, DB_STR),
	DB_COL(struct consent_receipt, given_at, DB_STR),
	DB_COL(struct consent_receipt, recorded_at, DB_STR),
	DB_COL(struct consent_receipt, valid_until, DB_STR),
	DB_COL(struct consent_receipt, withdrawn_at, DB_STR),
	DB_COL(struct consent_receipt, scope, DB_STR),
};
static const struct db_map receipt_map = DB_MAP(struct consent_receipt, receipt_cols);

int consent_receipts(int64_t municipality_id, int64_t log_id, int64_t person_id, struct consent_receipt **out)
{
	return db_select(
		&receipt_map, out,
		"SELECT c.id, c.kind, c.method, DATE_FORMAT(c.given_at, '%Y-%m-%d'),"
		" DATE_FORMAT(c.created_at, '%Y-%m-%d %H:%i'), DATE_FORMAT(c.valid_until, '%Y-%m-%d'),"
		" DATE_FORMAT(c.withdrawn_at, '%Y-%m-%d %H:%i'),"
		" (SELECT GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', ')"
		"  FROM consent_scope cs JOIN unit u ON u.id = cs.unit_id WHERE cs.consent_id = c.id)"
		" FROM consent c WHERE c.municipality_id = ? AND c.log_id = ? AND c.person_id = ?"
		" ORDER BY c.created_at DESC, c.id DESC",
		"iii", (long long)municipality_id, (long long)log_id, (long long)person_id);
}

bool consent_lapsed(const char *state, bool has_until, int days_left)
{
	return strcmp(state, "draft") != 0 && (!has_until || days_left < 0);
}

struct consent_summary consent_summary_of(const struct logbook_summary *log, int warn_days)
{
	bool has = log->consent_until != NULL;
	int left = has ? log->consent_days_left : 0;
	return (struct consent_summary){
		.state = log->state,
		.consent_until = log->consent_until,
		.withdrawn = log->withdrawn,
		.complete = has && left >= 0,
		.expiring = has && left >= 0 && left <= warn_days,
		.expired = has && left < 0,
		.lapsed = consent_lapsed(log->state, has, left),
		.days_left = left,
	};
}

bool consent_renew_soon(const char *consent_until, int days_left, int warn_days)
{
	return consent_until && days_left <= warn_days;
}

bool consent_warn_holder(const char *state, bool withdrawn, const char *consent_until, int days_left,
			 int warn_days)
{
	return logbook_open(state) && !withdrawn && consent_renew_soon(consent_until, days_left, warn_days);
}

const char *consent_kind_label(const char *kind)
{
	if (strcmp(kind, "establish") == 0)
		return _("Consent to establish the log");
	if (strcmp(kind, "cooperate") == 0)
		return _("Consent to cooperation and information sharing");
	return "";
}

const char *consent_method_label(const char *method)
{
	if (method && strcmp(method, "signed_form") == 0)
		return _("Signed form");
	if (method && strcmp(method, "digital") == 0)
		return _("Digitally, logged in");
	return "";
}

const char *consent_state_label(enum consent_state state)
{
	switch (state) {
	case CONSENT_STATE_NONE:
		return _("Not given");
	case CONSENT_STATE_GIVEN:
		return _("Given");
	case CONSENT_STATE_EXPIRING:
		return _("Given, expires soon");
	case CONSENT_STATE_EXPIRED:
		return _("Expired");
	case CONSENT_STATE_WITHDRAWN:
		return _("Withdrawn");
	}
	return "";
}
