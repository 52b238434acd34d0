/* logimport.c — SQL of logimport.h: writes person (through person.c), unit,
 * log and every table of a log's rows (the list in logmove.c), in the
 * municipality named, in the document's order, so the log exported again
 * from here is the same document. */
#include "logimport.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "nin.h"
#include "person.h"

struct kv {
	const char *key;
	int64_t id;
};

struct imp {
	long long m, log;
	const char *section; /* what is being read, for the message */
	const char *bad;     /* the first thing wrong with the document */
	struct kv *k;	     /* the document's keys (p1, u1, c1, ...) and the rows they became */
	int nk, kcap;
};

struct id_row {
	int64_t id;
};
static const struct db_col id_cols[] = { DB_COL(struct id_row, id, DB_I64) };
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

static void bad(struct imp *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(struct imp *x, const char *fmt, ...)
{
	if (x->bad)
		return;
	char text[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	x->bad = arena_printf("%s: %s", x->section, text);
}

static void key_add(struct imp *x, const char *key, int64_t id)
{
	if (!key) {
		bad(x, "a row without its key");
		return;
	}
	for (int i = 0; i < x->nk; i++)
		if (strcmp(x->k[i].key, key) == 0) {
			bad(x, "the key %s is given twice", key);
			return;
		}
	if (x->nk == x->kcap) {
		x->kcap = x->kcap ? x->kcap * 2 : 64;
		struct kv *k = arena_alloc(sizeof *k * (size_t)x->kcap);
		if (x->nk)
			memcpy(k, x->k, sizeof *k * (size_t)x->nk);
		x->k = k;
	}
	x->k[x->nk++] = (struct kv){ arena_strdup(key), id };
}

static const char *str(json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

/* The row a key of the document became; 0 for null. A key the document
 * does not have is a document that fails its own checks. */
static long long ref(struct imp *x, json_t *o, const char *name)
{
	const char *key = str(o, name);
	if (!key)
		return 0;
	for (int i = 0; i < x->nk; i++)
		if (strcmp(x->k[i].key, key) == 0)
			return x->k[i].id;
	bad(x, "\"%s\" names %s, which is not in the document", name, key);
	return 0;
}

/* "2026-12-02T16:39:41.211Z" -> "2026-12-02 16:39:41.211" (UTC), NULL for null. */
static const char *tm(struct imp *x, json_t *o, const char *name)
{
	const char *s = str(o, name);
	if (!s)
		return NULL;
	if (strlen(s) != 24 || s[10] != 'T' || s[23] != 'Z') {
		bad(x, "\"%s\" is not a time as YYYY-MM-DDTHH:MM:SS.mmmZ", name);
		return NULL;
	}
	char *t = arena_strndup(s, 23);
	t[10] = ' ';
	return t;
}

static long long flag(json_t *o, const char *name)
{
	return json_is_true(json_object_get(o, name));
}

/* A whole number that may be null, as text for the statement. */
static const char *num(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);
	return json_is_integer(v) ? arena_printf("%lld", (long long)json_integer_value(v)) : NULL;
}

static json_t *arr(struct imp *x, json_t *o, const char *name)
{
	json_t *a = json_object_get(o, name);
	if (!json_is_array(a)) {
		bad(x, "\"%s\" is not a list", name);
		return json_array(); /* leaked only on a failed import, which ends the program */
	}
	return a;
}

/* The outcome of one statement: a refused row stops the import. */
static int done(struct imp *x, int rc)
{
	if (x->bad)
		return DB_ERROR;
	if (rc < 0) {
		if (!x->bad)
			x->bad = arena_printf("%s: the database refused a row (%s)", x->section, db_error());
		return rc;
	}
	return 0;
}

static long long municipality_or(struct imp *x, const char *slug)
{
	struct id_row r;
	if (slug && db_select_one(&id_map, &r, "SELECT id FROM municipality WHERE slug = ?", "s", slug) == 1)
		return r.id;
	return x->m;
}

static int import_people(struct imp *x, json_t *doc)
{
	x->section = "people";
	json_t *people = json_object_get(doc, "people");
	if (!json_is_object(people)) {
		bad(x, "missing");
		return DB_ERROR;
	}
	const char *key;
	json_t *p;
	json_object_foreach(people, key, p)
	{
		const char *nin = str(p, "nin");
		if (!nin || strlen(nin) != 11 || !nin_valid(nin)) {
			bad(x, "%s has no valid identity number", key);
			return DB_ERROR;
		}
		struct person found = { 0 };
		int rc = person_by_nin(x->m, nin, &found);
		int64_t id = found.id;
		if (rc == 0) {
			struct person_new n = { .given_name = str(p, "given_name"),
						.family_name = str(p, "family_name"),
						.nin = nin,
						.title = str(p, "title"),
						.email = str(p, "email"),
						.phone = str(p, "phone") };
			if (!n.given_name || !n.family_name) {
				bad(x, "%s has no name", key);
				return DB_ERROR;
			}
			rc = person_create(x->m, &n, &id);
			if (rc >= 0 && flag(p, "protected_address"))
				rc = db_exec("UPDATE person SET protected_address = TRUE WHERE "
					     "municipality_id = ? AND id = ?",
					     "ii", x->m, (long long)id);
		}
		if (done(x, rc) < 0)
			return DB_ERROR;
		key_add(x, key, id);
	}
	return done(x, 0);
}

static int import_units(struct imp *x, json_t *doc)
{
	x->section = "units";
	json_t *units = json_object_get(doc, "units");
	if (!json_is_object(units)) {
		bad(x, "missing");
		return DB_ERROR;
	}
	const char *key;
	json_t *u;
	json_object_foreach(units, key, u)
	{
		/* Another municipality's service where that municipality is here
		 * too; otherwise the importing municipality's. */
		long long m = municipality_or(x, str(u, "municipality"));
		struct id_row r;
		int rc = db_select_one(&id_map, &r,
				       "SELECT id FROM unit WHERE municipality_id = ? AND name = ?", "is", m,
				       str(u, "name"));
		if (rc == 0) {
			rc = db_exec("INSERT INTO unit (municipality_id, kind, name) VALUES (?, ?, ?)", "iss",
				     m, str(u, "kind"), str(u, "name"));
			r.id = db_last_id();
		}
		if (done(x, rc) < 0)
			return DB_ERROR;
		key_add(x, key, r.id);
	}
	return done(x, 0);
}

/* The log's row, with its own reference when no log here ever had it (a
 * deleted log's tombstone and archive records keep theirs). */
static int import_log(struct imp *x, json_t *doc)
{
	x->section = "log";
	json_t *l = json_object_get(doc, "log"), *s = json_object_get(doc, "subject"),
	       *h = json_object_get(doc, "holder");
	if (!json_is_object(l) || !json_is_object(s) || !json_is_object(h)) {
		bad(x, "the log, its subject or its holder is missing");
		return DB_ERROR;
	}
	long long want = json_integer_value(json_object_get(l, "reference"));
	struct id_row r;
	int rc = want > 0
		? db_select_one(&id_map, &r,
				"SELECT id FROM log WHERE id = ? UNION SELECT log_id FROM log_tombstone"
				" WHERE log_id = ? UNION SELECT log_id FROM archive_record WHERE log_id = ?",
				"iii", want, want, want)
		: 1;
	if (rc < 0)
		return done(x, rc);
	long long subject = ref(x, s, "person"), holder = ref(x, h, "person"), unit = ref(x, h, "unit");
	const char *created = tm(x, l, "created_at");
	rc = db_exec(
		"INSERT INTO log (id, municipality_id, subject_person_id, subject_given_name,"
		" subject_family_name, subject_kind, expected_date, holder_person_id, unit_id, created_by,"
		" state, bti_level, basic_info, child_voice, consent_until, withdrawn_at, closed_at,"
		" created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"IiissssiiIsssssssss", rc == 0 ? want : 0LL, x->m, subject, str(s, "given_name"),
		str(s, "family_name"), str(l, "subject_kind"), str(l, "expected_date"), holder, unit,
		ref(x, l, "created_by"), str(l, "state"), num(l, "bti_level"), str(l, "basic_info"),
		str(l, "child_voice"), str(l, "consent_until"), tm(x, l, "withdrawn_at"),
		tm(x, l, "closed_at"), created, created);
	if (done(x, rc) < 0)
		return DB_ERROR;
	x->log = db_last_id();
	return 0;
}

#define EACH(a, i, o) for (size_t i = 0; i < json_array_size(a) && ((o) = json_array_get(a, i)); i++)

static int import_parties(struct imp *x, json_t *doc)
{
	json_t *o;
	x->section = "guardians";
	json_t *a = arr(x, doc, "guardians");
	EACH(a, i, o)
	{
		int rc = db_exec("INSERT INTO log_guardian (municipality_id, log_id, person_id, given_name,"
				 " family_name, email, phone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				 "iiisssss", x->m, x->log, ref(x, o, "person"), str(o, "given_name"),
				 str(o, "family_name"), str(o, "email"), str(o, "phone"),
				 tm(x, o, "added_at"));
		if (done(x, rc) < 0)
			return DB_ERROR;
	}
	x->section = "invitations";
	a = arr(x, doc, "invitations");
	EACH(a, i, o)
	{
		int rc = db_exec(
			"INSERT INTO invitation (municipality_id, log_id, person_id, unit_id, task,"
			" given_name, family_name, title, organisation, email, phone, invited_by, created_at,"
			" expires_at, accepted_at, revoked_at, revoked_by, refused_at)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"iiiisssssssissssIs", x->m, x->log, ref(x, o, "person"), ref(x, o, "unit"),
			str(o, "task"), str(o, "given_name"), str(o, "family_name"), str(o, "title"),
			str(o, "organisation"), str(o, "email"), str(o, "phone"), ref(x, o, "invited_by"),
			tm(x, o, "created_at"), tm(x, o, "expires_at"), tm(x, o, "accepted_at"),
			tm(x, o, "revoked_at"), ref(x, o, "revoked_by"), tm(x, o, "refused_at"));
		if (done(x, rc) < 0)
			return DB_ERROR;
		key_add(x, str(o, "key"), db_last_id());
	}
	x->section = "actors";
	a = arr(x, doc, "actors");
	EACH(a, i, o)
	{
		int rc = db_exec("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id, task,"
				 " invitation_id, created_at, removed_at, removed_by) VALUES (?, ?, ?, ?, ?, "
				 "?, ?, ?, ?)",
				 "iiiisIssI", x->m, x->log, ref(x, o, "person"), ref(x, o, "unit"),
				 str(o, "task"), ref(x, o, "invitation"), tm(x, o, "added_at"),
				 tm(x, o, "removed_at"), ref(x, o, "removed_by"));
		if (done(x, rc) < 0)
			return DB_ERROR;
		key_add(x, str(o, "key"), db_last_id());
	}
	return 0;
}

static int import_consents(struct imp *x, json_t *doc)
{
	json_t *o, *u;
	x->section = "documents";
	json_t *a = arr(x, doc, "documents");
	EACH(a, i, o)
	{
		const char *data = str(o, "data"), *sha = str(o, "sha256");
		size_t len = 0;
		unsigned char *bytes = data ? crypto_b64url_decode(data, strlen(data), &len) : NULL;
		unsigned char md[32];
		if (bytes)
			crypto_sha256(bytes, len, md);
		if (!bytes || !sha || strcmp(crypto_hex(md, sizeof md), sha) != 0 ||
		    (long long)len != json_integer_value(json_object_get(o, "size"))) {
			bad(x, "%s: its bytes do not match its size and SHA-256", str(o, "key"));
			return DB_ERROR;
		}
		int rc = db_exec(
			"INSERT INTO document (municipality_id, log_id, media_type, size, sha256, data,"
			" uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			"iisibbis", x->m, x->log, str(o, "media_type"), (long long)len, md, sizeof md, bytes,
			len, ref(x, o, "uploaded_by"), tm(x, o, "created_at"));
		if (done(x, rc) < 0)
			return DB_ERROR;
		key_add(x, str(o, "key"), db_last_id());
	}
	x->section = "consents";
	a = arr(x, doc, "consents");
	EACH(a, i, o)
	{
		int rc = db_exec(
			"INSERT INTO consent (municipality_id, log_id, kind, person_id, method, given_at,"
			" valid_until, document_id, recorded_by, created_at, withdrawn_at, withdrawn_by)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"iisisssIissI", x->m, x->log, str(o, "kind"), ref(x, o, "person"), str(o, "method"),
			str(o, "given_on"), str(o, "valid_until"), ref(x, o, "document"),
			ref(x, o, "recorded_by"), tm(x, o, "created_at"), tm(x, o, "withdrawn_at"),
			ref(x, o, "withdrawn_by"));
		if (done(x, rc) < 0)
			return DB_ERROR;
		long long id = db_last_id();
		key_add(x, str(o, "key"), id);
		json_t *services = arr(x, o, "services");
		EACH(services, k, u)
		{
			json_t *holder = json_pack("{so}", "unit", json_incref(u));
			long long unit = ref(x, holder, "unit");
			json_decref(holder);
			rc = db_exec("INSERT INTO consent_scope (consent_id, unit_id) VALUES (?, ?)", "ii",
				     id, unit);
			if (done(x, rc) < 0)
				return DB_ERROR;
		}
	}
	x->section = "consent_services";
	a = arr(x, doc, "consent_services");
	EACH(a, i, o)
	{
		int rc = db_exec("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until,"
				 " withdrawn_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
				 "iiisss", x->m, x->log, ref(x, o, "unit"), str(o, "valid_until"),
				 tm(x, o, "withdrawn_at"), tm(x, o, "created_at"));
		if (done(x, rc) < 0)
			return DB_ERROR;
	}
	return 0;
}

static int import_measures(struct imp *x, json_t *goal, long long goal_id)
{
	json_t *o, *e;
	json_t *a = arr(x, goal, "measures");
	EACH(a, i, o)
	{
		const char *created = tm(x, o, "created_at");
		int rc = db_exec(
			"INSERT INTO measure (municipality_id, log_id, goal_id, description,"
			" responsible_person_id, start_date, deadline, evaluation_date, status, created_by,"
			" created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"iiisissssiss", x->m, x->log, goal_id, str(o, "description"),
			ref(x, o, "responsible"), str(o, "start_date"), str(o, "deadline"),
			str(o, "evaluation_date"), str(o, "status"), ref(x, o, "created_by"), created,
			created);
		if (done(x, rc) < 0)
			return DB_ERROR;
		long long id = db_last_id();
		key_add(x, str(o, "key"), id);
		json_t *evals = arr(x, o, "evaluations");
		EACH(evals, k, e)
		{
			rc = db_exec(
				"INSERT INTO evaluation (municipality_id, log_id, measure_id, category, text,"
				" by_person_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
				"iiissis", x->m, x->log, id, str(e, "category"), str(e, "text"),
				ref(x, e, "by"), tm(x, e, "created_at"));
			if (done(x, rc) < 0)
				return DB_ERROR;
		}
	}
	return 0;
}

static int import_concerns(struct imp *x, json_t *doc)
{
	json_t *o, *g, *c;
	x->section = "concerns";
	json_t *a = arr(x, doc, "concerns");
	EACH(a, i, o)
	{
		const char *created = tm(x, o, "created_at");
		int rc = db_exec(
			"INSERT INTO concern (municipality_id, log_id, title, description, created_by,"
			" created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			"iississ", x->m, x->log, str(o, "title"), str(o, "description"),
			ref(x, o, "created_by"), created, created);
		if (done(x, rc) < 0)
			return DB_ERROR;
		long long id = db_last_id();
		key_add(x, str(o, "key"), id);
		json_t *areas = arr(x, o, "areas");
		EACH(areas, k, c)
		{
			rc = db_exec("INSERT INTO concern_area (concern_id, area_id) SELECT ?, id FROM "
				     "development_area"
				     " WHERE code = ? AND (municipality_id = ? OR municipality_id IS NULL)"
				     " ORDER BY municipality_id IS NULL LIMIT 1",
				     "isi", id, json_string_value(c), x->m);
			if (rc == 0)
				bad(x, "no development area here has the code %s", json_string_value(c));
			if (done(x, rc) < 0)
				return DB_ERROR;
		}
		json_t *goals = arr(x, o, "goals");
		EACH(goals, k, g)
		{
			rc = db_exec("INSERT INTO goal (municipality_id, log_id, concern_id, text, "
				     "created_by, created_at)"
				     " VALUES (?, ?, ?, ?, ?, ?)",
				     "iiisis", x->m, x->log, id, str(g, "text"), ref(x, g, "created_by"),
				     tm(x, g, "created_at"));
			if (done(x, rc) < 0)
				return DB_ERROR;
			long long goal_id = db_last_id();
			key_add(x, str(g, "key"), goal_id);
			if (import_measures(x, g, goal_id) < 0)
				return DB_ERROR;
		}
	}
	return 0;
}

static int import_notes_and_messages(struct imp *x, json_t *doc)
{
	json_t *o;
	x->section = "notes";
	json_t *a = arr(x, doc, "notes");
	EACH(a, i, o)
	{
		int rc = db_exec(
			"INSERT INTO note (municipality_id, log_id, concern_id, author_person_id, text,"
			" glimpse, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			"iiIisis", x->m, x->log, ref(x, o, "concern"), ref(x, o, "author"), str(o, "text"),
			flag(o, "glimpse"), tm(x, o, "created_at"));
		if (done(x, rc) < 0)
			return DB_ERROR;
		key_add(x, str(o, "key"), db_last_id());
	}
	x->section = "state_requests";
	a = arr(x, doc, "state_requests");
	EACH(a, i, o)
	{
		int rc = db_exec(
			"INSERT INTO state_request (municipality_id, log_id, person_id, wanted, created_at,"
			" handled_at, handled_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
			"iiisssI", x->m, x->log, ref(x, o, "person"), str(o, "wanted"),
			tm(x, o, "created_at"), tm(x, o, "handled_at"), ref(x, o, "handled_by"));
		if (done(x, rc) < 0)
			return DB_ERROR;
		key_add(x, str(o, "key"), db_last_id());
	}
	x->section = "messages";
	a = arr(x, doc, "messages");
	EACH(a, i, o)
	{
		int rc = db_exec(
			"INSERT INTO message (municipality_id, log_id, author_person_id, text, created_at)"
			" VALUES (?, ?, ?, ?, ?)",
			"iiiss", x->m, x->log, ref(x, o, "author"), str(o, "text"), tm(x, o, "created_at"));
		if (done(x, rc) < 0)
			return DB_ERROR;
		key_add(x, str(o, "key"), db_last_id());
	}
	x->section = "message_reads";
	a = arr(x, doc, "message_reads");
	EACH(a, i, o)
	{
		int rc = db_exec(
			"INSERT INTO message_read (log_id, person_id, municipality_id, last_message_id,"
			" read_at) VALUES (?, ?, ?, ?, ?)",
			"iiiis", x->log, ref(x, o, "person"), x->m, ref(x, o, "last_message"),
			tm(x, o, "read_at"));
		if (done(x, rc) < 0)
			return DB_ERROR;
	}
	return 0;
}

static int import_minutes(struct imp *x, json_t *mo, long long meeting)
{
	json_t *o;
	const char *created = tm(x, mo, "created_at");
	int rc = db_exec(
		"INSERT INTO minutes (municipality_id, log_id, meeting_id, child_took_part,"
		" guardians_took_part, leader_took_part, decisions, next_meeting, approved_at, approved_by,"
		" created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"iiiiiisssIiss", x->m, x->log, meeting, flag(mo, "child_took_part"),
		flag(mo, "guardians_took_part"), flag(mo, "leader_took_part"), str(mo, "decisions"),
		str(mo, "next_meeting"), tm(x, mo, "approved_at"), ref(x, mo, "approved_by"),
		ref(x, mo, "created_by"), created, created);
	if (done(x, rc) < 0)
		return DB_ERROR;
	long long id = db_last_id();
	key_add(x, str(mo, "key"), id);
	json_t *a = arr(x, mo, "measures");
	EACH(a, i, o)
	{
		json_t *holder = json_pack("{sO}", "measure", o);
		long long measure = ref(x, holder, "measure");
		json_decref(holder);
		rc = db_exec("INSERT INTO minutes_measure (minutes_id, measure_id) VALUES (?, ?)", "ii", id,
			     measure);
		if (done(x, rc) < 0)
			return DB_ERROR;
	}
	a = arr(x, mo, "entries");
	EACH(a, i, o)
	{
		rc = db_exec("INSERT INTO minutes_entry (municipality_id, log_id, minutes_id, kind, "
			     "person_id, text,"
			     " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			     "iiisiss", x->m, x->log, id, str(o, "kind"), ref(x, o, "person"), str(o, "text"),
			     tm(x, o, "created_at"));
		if (done(x, rc) < 0)
			return DB_ERROR;
	}
	return 0;
}

static int import_meetings(struct imp *x, json_t *doc)
{
	json_t *o, *p;
	x->section = "meetings";
	json_t *a = arr(x, doc, "meetings");
	EACH(a, i, o)
	{
		const char *created = tm(x, o, "created_at");
		int rc = db_exec(
			"INSERT INTO meeting (municipality_id, log_id, starts_at, minutes, place, video_url,"
			" agenda, sequence, cancelled_at, created_by, created_at, updated_at)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"iisssssssiss", x->m, x->log, tm(x, o, "starts_at"), num(o, "minutes"),
			str(o, "place"), str(o, "video_url"), str(o, "agenda"), num(o, "sequence"),
			tm(x, o, "cancelled_at"), ref(x, o, "created_by"), created, created);
		if (done(x, rc) < 0)
			return DB_ERROR;
		long long id = db_last_id();
		key_add(x, str(o, "key"), id);
		json_t *parts = arr(x, o, "participants");
		EACH(parts, k, p)
		{
			json_t *att = json_object_get(p, "attended");
			rc = db_exec("INSERT INTO meeting_participant (meeting_id, person_id, "
				     "municipality_id, relation,"
				     " email, attended) VALUES (?, ?, ?, ?, ?, ?)",
				     "iiisss", id, ref(x, p, "person"), x->m, str(p, "relation"),
				     str(p, "email"),
				     json_is_boolean(att) ? (json_is_true(att) ? "1" : "0") : NULL);
			if (done(x, rc) < 0)
				return DB_ERROR;
		}
		json_t *mo = json_object_get(o, "minutes_record");
		if (json_is_object(mo) && import_minutes(x, mo, id) < 0)
			return DB_ERROR;
	}
	return 0;
}

static int import_agreements(struct imp *x, json_t *doc)
{
	json_t *o, *v;
	x->section = "agreements";
	json_t *a = arr(x, doc, "agreements");
	EACH(a, i, o)
	{
		json_t *versions = arr(x, o, "versions");
		long long newest = 1;
		EACH(versions, k, v)
		if (json_integer_value(json_object_get(v, "version")) > newest)
			newest = json_integer_value(json_object_get(v, "version"));
		int rc = db_exec(
			"INSERT INTO agreement (municipality_id, log_id, created_by, created_at, version)"
			" VALUES (?, ?, ?, ?, ?)",
			"iiisi", x->m, x->log, ref(x, o, "created_by"), tm(x, o, "created_at"), newest);
		if (done(x, rc) < 0)
			return DB_ERROR;
		long long id = db_last_id();
		key_add(x, str(o, "key"), id);
		EACH(versions, k, v)
		{
			rc = db_exec("INSERT INTO agreement_version (agreement_id, version, municipality_id, "
				     "text, parties,"
				     " agreed_on, review_on, created_by, created_at) VALUES (?, ?, ?, ?, ?, "
				     "?, ?, ?, ?)",
				     "isissssis", id, num(v, "version"), x->m, str(v, "text"),
				     str(v, "parties"), str(v, "agreed_on"), str(v, "review_on"),
				     ref(x, v, "created_by"), tm(x, v, "created_at"));
			if (done(x, rc) < 0)
				return DB_ERROR;
		}
	}
	return 0;
}

static int import_transitions(struct imp *x, json_t *doc)
{
	json_t *o, *an;
	x->section = "handovers";
	json_t *a = arr(x, doc, "handovers");
	EACH(a, i, o)
	{
		int rc = db_exec(
			"INSERT INTO handover (municipality_id, log_id, from_person_id, from_unit_id,"
			" to_person_id, to_unit_id, to_municipality_id, stay_as_actor, state, decline_reason,"
			" offered_at, answered_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			"?)",
			"iiiiiiiisssss", x->m, x->log, ref(x, o, "from_person"), ref(x, o, "from_unit"),
			ref(x, o, "to_person"), ref(x, o, "to_unit"),
			municipality_or(x, str(o, "to_municipality")), flag(o, "stay_as_actor"),
			str(o, "state"), str(o, "decline_reason"), tm(x, o, "offered_at"),
			tm(x, o, "answered_at"), tm(x, o, "expires_at"));
		if (done(x, rc) < 0)
			return DB_ERROR;
		key_add(x, str(o, "key"), db_last_id());
	}
	/* The transitions were archived where they happened: this installation
	 * does not make archive records of them again. */
	x->section = "transitions";
	a = arr(x, doc, "transitions");
	EACH(a, i, o)
	{
		int rc = db_exec(
			"INSERT INTO log_transition (municipality_id, log_id, kind, handover_id, "
			"by_person_id,"
			" from_person_id, from_unit_id, from_municipality_id, to_person_id, to_unit_id,"
			" to_municipality_id, at, archive_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
			" 'archived')",
			"iisIiiiiiiis", x->m, x->log, str(o, "kind"), ref(x, o, "handover"), ref(x, o, "by"),
			ref(x, o, "from_person"), ref(x, o, "from_unit"),
			municipality_or(x, str(o, "from_municipality")), ref(x, o, "to_person"),
			ref(x, o, "to_unit"), municipality_or(x, str(o, "to_municipality")), tm(x, o, "at"));
		if (done(x, rc) < 0)
			return DB_ERROR;
		key_add(x, str(o, "key"), db_last_id());
	}
	x->section = "reopen_requests";
	a = arr(x, doc, "reopen_requests");
	EACH(a, i, o)
	{
		int rc = db_exec(
			"INSERT INTO reopen_request (municipality_id, log_id, requested_by, reason, state,"
			" created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			"iiissss", x->m, x->log, ref(x, o, "requested_by"), str(o, "reason"), str(o, "state"),
			tm(x, o, "created_at"), tm(x, o, "decided_at"));
		if (done(x, rc) < 0)
			return DB_ERROR;
		long long id = db_last_id();
		key_add(x, str(o, "key"), id);
		json_t *answers = arr(x, o, "answers");
		EACH(answers, k, an)
		{
			rc = db_exec(
				"INSERT INTO reopen_answer (request_id, person_id, municipality_id, approved,"
				" answered_at) VALUES (?, ?, ?, ?, ?)",
				"iiiis", id, ref(x, an, "person"), x->m, flag(an, "approved"),
				tm(x, an, "answered_at"));
			if (done(x, rc) < 0)
				return DB_ERROR;
		}
	}
	return 0;
}

/* The history: the thing a row is about is the row its key became (the
 * log itself for "log"; 0 when the document names nothing). */
static int import_history(struct imp *x, json_t *doc)
{
	json_t *o;
	x->section = "history";
	json_t *a = arr(x, doc, "history");
	EACH(a, i, o)
	{
		const char *entity = str(o, "entity");
		long long about = entity && strcmp(entity, "log") == 0 ? x->log : ref(x, o, "ref");
		int rc = db_exec(
			"INSERT INTO log_history (municipality_id, log_id, person_id, at, entity, entity_id,"
			" field, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"iiississs", x->m, x->log, ref(x, o, "by"), tm(x, o, "at"), entity, about,
			str(o, "field"), str(o, "old"), str(o, "new"));
		if (done(x, rc) < 0)
			return DB_ERROR;
	}
	return 0;
}

static int import_all(void *ctx)
{
	struct imp *x = ((void **)ctx)[0];
	json_t *doc = ((void **)ctx)[1];
	if (import_people(x, doc) < 0 || import_units(x, doc) < 0 || import_log(x, doc) < 0 ||
	    import_parties(x, doc) < 0 || import_consents(x, doc) < 0 || import_concerns(x, doc) < 0 ||
	    import_notes_and_messages(x, doc) < 0 || import_meetings(x, doc) < 0 ||
	    import_agreements(x, doc) < 0 || import_transitions(x, doc) < 0 || import_history(x, doc) < 0)
		return DB_ERROR;
	struct audit_entry e = { .municipality_id = x->m,
				 .role = "system",
				 .log_id = x->log,
				 .action = "log.import",
				 .outcome = "ok" };
	return audit_append(&e);
}

int logimport_run(const char *slug, json_t *doc, int64_t *log_id, const char **why)
{
	struct imp x = { .section = "document" };
	const char *format = str(doc, "format");
	json_t *version = json_object_get(doc, "version");
	if (!format || strcmp(format, "stafett-log") != 0 || !json_is_integer(version)) {
		*why = "not a Stafett log (\"format\": \"stafett-log\" with a \"version\")";
		return DB_ERROR;
	}
	if (json_integer_value(version) != 1) {
		*why = arena_printf("format version %lld is not one this installation reads (it reads 1)",
				    (long long)json_integer_value(version));
		return DB_ERROR;
	}
	struct id_row r;
	int rc = db_select_one(&id_map, &r, "SELECT id FROM municipality WHERE slug = ?", "s", slug);
	if (rc <= 0) {
		*why = rc < 0 ? "the database did not answer" : arena_printf("no municipality %s here", slug);
		return rc < 0 ? rc : DB_ERROR;
	}
	x.m = r.id;
	void *ctx[2] = { &x, doc };
	rc = db_transaction(import_all, ctx);
	if (rc < 0) {
		*why = x.bad ? x.bad : arena_printf("the database refused it (%s)", db_error());
		return rc;
	}
	*log_id = x.log;
	return 0;
}
