/* logdoc.c — SQL of logdoc.h: reads every table of a log's rows (the list
 * in logmove.c) and the people and units they name, and lays them out as
 * one JSON document. Reads only. Rows come in the order they were made
 * (time, then id); a set without an order of its own (a meeting's
 * participants, read markers, answers) in the order of the people's
 * identity numbers, so the same log gives the same bytes on any
 * installation. Database ids never leave: people are "p1", "p2", ..., units
 * "u1", ..., and every row something else refers to has a key of its own. */
#include "logdoc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "crypto.h"
#include "db.h"

/* Every row is read as text (NULL for SQL NULL), then typed by its fields. */
#define MAXCOL 20
struct srow {
	char *v[MAXCOL];
};
#define S(i)                                                                                                 \
	{                                                                                                    \
		DB_STR, offsetof(struct srow, v) + (i) * sizeof(char *)                                      \
	}
static const struct db_col scols[MAXCOL] = {
	S(0),  S(1),  S(2),  S(3),  S(4),  S(5),  S(6),	 S(7),	S(8),  S(9),
	S(10), S(11), S(12), S(13), S(14), S(15), S(16), S(17), S(18), S(19),
};
#undef S
#define SMAP(n) ((struct db_map){ sizeof(struct srow), scols, (n) })

struct person_info {
	int64_t id;
	int key;      /* 0: not yet named in the document */
	char nin[12]; /* "" when it cannot be opened (a key lost): null in the document */
	char *given, *family, *birth, *title, *email, *phone;
	bool protected_address;
};

struct ref {
	const char *entity;
	int64_t id;
	char *key;
};

struct doc {
	long long m, log;
	json_t *people, *units;
	struct person_info *pp;
	int np, pcap, nkeyed;
	int64_t *uu; /* unit ids in the order of their keys */
	int nu, ucap;
	struct ref *refs;
	int nref, rcap;
	int err;
};

/* What a column becomes in the document. */
enum ftype {
	F_SKIP, /* read for the code, not written */
	F_KEY,	/* the row's id: a key of its own ("c3"), registered for references */
	F_STR,
	F_INT,
	F_BOOL,
	F_TIME,	   /* DATETIME in UTC: "YYYY-MM-DDTHH:MM:SS.mmmZ" */
	F_DATE,	   /* DATE: as it is */
	F_PERSON,  /* a person's id: their key */
	F_CONTACT, /* e-mail or phone of the row's last F_PERSON: left out for a protected address */
	F_UNIT,	   /* a unit's id: its key */
	F_REF,	   /* another row's id: its key (field.ref names the entity) */
};

struct field {
	const char *name;
	enum ftype type;
	const char *ref; /* F_KEY: the entity (and its key's prefix); F_REF: the entity */
};

static int64_t to_i64(const char *s)
{
	return s ? strtoll(s, NULL, 10) : 0;
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* "2026-12-02 16:32:06.123" (UTC) -> "2026-12-02T16:32:06.123Z". */
static json_t *jtime(const char *s)
{
	if (!s)
		return json_null();
	if (strlen(s) < 19)
		return json_string(s);
	char out[32], frac[4] = "000";
	memcpy(out, s, 19);
	out[10] = 'T';
	for (int i = 0; s[19] == '.' && i < 3 && s[20 + i] >= '0' && s[20 + i] <= '9'; i++)
		frac[i] = s[20 + i];
	snprintf(out + 19, sizeof out - 19, ".%sZ", frac);
	return json_string(out);
}

struct prow {
	int64_t id;
	struct db_blob sealed;
	int key_id;
	char *birth, *given, *family, *title, *email, *phone;
	bool prot;
};
static const struct db_col pcols[] = {
	DB_COL(struct prow, id, DB_I64),     DB_COL(struct prow, sealed, DB_BLOB),
	DB_COL(struct prow, key_id, DB_INT), DB_COL(struct prow, birth, DB_STR),
	DB_COL(struct prow, given, DB_STR),  DB_COL(struct prow, family, DB_STR),
	DB_COL(struct prow, title, DB_STR),  DB_COL(struct prow, email, DB_STR),
	DB_COL(struct prow, phone, DB_STR),  DB_COL(struct prow, prot, DB_BOOL),
};
static const struct db_map pmap = DB_MAP(struct prow, pcols);

/* The person's record, read once. The id comes from a row of the log's,
 * read in its municipality; a person it names may be another's (staff who
 * held the log before it moved here), so the record is read by id alone. */
static struct person_info *person_load(struct doc *d, int64_t id)
{
	for (int i = 0; i < d->np; i++)
		if (d->pp[i].id == id)
			return &d->pp[i];
	struct prow r;
	int rc =
		db_select_one(&pmap, &r,
			      "SELECT id, nin_sealed, nin_key_id, birth_date, given_name, family_name, title,"
			      " email, phone, protected_address FROM person WHERE id = ?",
			      "i", (long long)id);
	if (rc <= 0) {
		d->err = rc < 0 ? rc : DB_ERROR;
		return NULL;
	}
	if (d->np == d->pcap) {
		d->pcap = d->pcap ? d->pcap * 2 : 16;
		d->pp = xrealloc(d->pp, sizeof *d->pp * (size_t)d->pcap);
	}
	struct person_info *p = &d->pp[d->np++];
	*p = (struct person_info){ .id = id,
				   .given = r.given,
				   .family = r.family,
				   .birth = r.birth,
				   .title = r.title,
				   .email = r.email,
				   .phone = r.phone,
				   .protected_address = r.prot };
	/* A number that does not open is left out rather than the whole
	 * document refused: the rest of the log is still the person's. */
	if (r.sealed.len != 11 + CRYPTO_SEAL_OVERHEAD ||
	    crypto_open(r.key_id, r.sealed.data, r.sealed.len, (unsigned char *)p->nin) < 0)
		memset(p->nin, 0, sizeof p->nin);
	p->nin[11] = '\0';
	crypto_wipe(r.sealed.data, r.sealed.len);
	return p;
}

/* The person's key, given at their first mention in the document. */
static json_t *pkey(struct doc *d, int64_t id)
{
	if (!id)
		return json_null();
	struct person_info *p = person_load(d, id);
	if (!p)
		return json_null();
	if (!p->key) {
		p->key = ++d->nkeyed;
		json_t *o = json_object();
		json_object_set_new(o, "given_name", jstr(p->given));
		json_object_set_new(o, "family_name", jstr(p->family));
		json_object_set_new(o, "nin", p->nin[0] ? json_string(p->nin) : json_null());
		json_object_set_new(o, "birth_date", jstr(p->birth));
		json_object_set_new(o, "title", jstr(p->title));
		json_object_set_new(o, "email", jstr(p->protected_address ? NULL : p->email));
		json_object_set_new(o, "phone", jstr(p->protected_address ? NULL : p->phone));
		json_object_set_new(o, "protected_address", json_boolean(p->protected_address));
		json_object_set_new(d->people, arena_printf("p%d", p->key), o);
	}
	return json_string(arena_printf("p%d", p->key));
}

struct urow {
	char *name, *kind, *slug;
};
static const struct db_col ucols[] = {
	DB_COL(struct urow, name, DB_STR),
	DB_COL(struct urow, kind, DB_STR),
	DB_COL(struct urow, slug, DB_STR),
};
static const struct db_map umap = DB_MAP(struct urow, ucols);

/* The unit's key. Like a person, a unit a row names may be another
 * municipality's (a service the consent covers there), read by id. */
static json_t *ukey(struct doc *d, int64_t id)
{
	if (!id)
		return json_null();
	for (int i = 0; i < d->nu; i++)
		if (d->uu[i] == id)
			return json_string(arena_printf("u%d", i + 1));
	struct urow r;
	int rc = db_select_one(&umap, &r,
			       "SELECT u.name, u.kind, m.slug FROM unit u JOIN municipality m"
			       " ON m.id = u.municipality_id WHERE u.id = ?",
			       "i", (long long)id);
	if (rc <= 0) {
		d->err = rc < 0 ? rc : DB_ERROR;
		return json_null();
	}
	if (d->nu == d->ucap) {
		d->ucap = d->ucap ? d->ucap * 2 : 8;
		d->uu = xrealloc(d->uu, sizeof *d->uu * (size_t)d->ucap);
	}
	d->uu[d->nu++] = id;
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(r.name));
	json_object_set_new(o, "kind", json_string(r.kind));
	json_object_set_new(o, "municipality", json_string(r.slug));
	json_object_set_new(d->units, arena_printf("u%d", d->nu), o);
	return json_string(arena_printf("u%d", d->nu));
}

static const char *ref_find(const struct doc *d, const char *entity, int64_t id)
{
	for (int i = 0; i < d->nref; i++)
		if (d->refs[i].id == id && strcmp(d->refs[i].entity, entity) == 0)
			return d->refs[i].key;
	return NULL;
}

/* A key of the row's own: the entity's prefix and its place among them. */
static const char *ref_add(struct doc *d, const char *entity, const char *prefix, int64_t id)
{
	int n = 1;
	for (int i = 0; i < d->nref; i++)
		n += strcmp(d->refs[i].entity, entity) == 0;
	if (d->nref == d->rcap) {
		d->rcap = d->rcap ? d->rcap * 2 : 64;
		d->refs = xrealloc(d->refs, sizeof *d->refs * (size_t)d->rcap);
	}
	char *key = arena_printf("%s%d", prefix, n);
	d->refs[d->nref++] = (struct ref){ entity, id, key };
	return key;
}

/* The key prefix of each entity that has keys (the entity names are
 * log_history's). */
static const char *prefix_of(const char *entity)
{
	static const char *const t[][2] = {
		{ "invitation", "i" },	    { "actor", "a" },	 { "document", "d" },
		{ "consent", "k" },	    { "concern", "c" },	 { "goal", "g" },
		{ "measure", "m" },	    { "note", "n" },	 { "state_request", "s" },
		{ "message", "ms" },	    { "meeting", "mo" }, { "minutes", "mr" },
		{ "agreement", "ag" },	    { "handover", "h" }, { "transition", "t" },
		{ "reopen_request", "ro" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i][0], entity) == 0)
			return t[i][1];
	return "x";
}

/* One row as an object of its fields. */
static json_t *row_json(struct doc *d, const struct field *f, size_t nf, const struct srow *r)
{
	json_t *o = json_object();
	int64_t last_person = 0;
	for (size_t i = 0; i < nf; i++) {
		const char *v = r->v[i];
		json_t *j = NULL;
		switch (f[i].type) {
		case F_SKIP:
			continue;
		case F_KEY:
			j = json_string(ref_add(d, f[i].ref, prefix_of(f[i].ref), to_i64(v)));
			break;
		case F_STR:
		case F_DATE:
			j = jstr(v);
			break;
		case F_INT:
			j = v ? json_integer(to_i64(v)) : json_null();
			break;
		case F_BOOL:
			j = v ? json_boolean(to_i64(v) != 0) : json_null();
			break;
		case F_TIME:
			j = jtime(v);
			break;
		case F_PERSON:
			last_person = to_i64(v);
			j = pkey(d, last_person);
			break;
		case F_CONTACT: {
			struct person_info *p = last_person ? person_load(d, last_person) : NULL;
			j = jstr(p && p->protected_address ? NULL : v);
			break;
		}
		case F_UNIT:
			j = ukey(d, to_i64(v));
			break;
		case F_REF: {
			const char *k = v ? ref_find(d, f[i].ref, to_i64(v)) : NULL;
			j = jstr(k);
			break;
		}
		}
		json_object_set_new(o, f[i].name, j);
	}
	return o;
}

/* The rows (those whose column pcol equals parent, when pcol >= 0) as an array. */
static json_t *rows_json(struct doc *d, const struct field *f, size_t nf, const struct srow *rows, int n,
			 int pcol, const char *parent)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		if (pcol < 0 || (rows[i].v[pcol] && parent && strcmp(rows[i].v[pcol], parent) == 0))
			json_array_append_new(a, row_json(d, f, nf, &rows[i]));
	return a;
}

#define NF(f) (sizeof(f) / sizeof((f)[0]))

/* A set without an order of its own: in the order of its people's numbers
 * (column col), which is the same wherever the log is. */
static int nin_col;
static int by_nin(const void *a, const void *b, void *ctx)
{
	struct doc *d = ctx;
	const struct srow *x = a, *y = b;
	struct person_info *p = person_load(d, to_i64(x->v[nin_col]));
	struct person_info *q = person_load(d, to_i64(y->v[nin_col]));
	return strcmp(p ? p->nin : "", q ? q->nin : "");
}
static void sort_by_nin(struct doc *d, struct srow *rows, int n, int col)
{
	for (int i = 0; i < n; i++)
		person_load(d, to_i64(rows[i].v[col])); /* before qsort: no reallocation inside */
	nin_col = col;
	if (n > 1)
		qsort_r(rows, (size_t)n, sizeof *rows, by_nin, d);
}

/* clang-format off */
static const struct field guardian_f[] = {
	{ "", F_SKIP }, { "person", F_PERSON }, { "given_name", F_STR }, { "family_name", F_STR },
	{ "email", F_CONTACT }, { "phone", F_CONTACT }, { "added_at", F_TIME },
};
static const struct field invitation_f[] = {
	{ "key", F_KEY, "invitation" }, { "person", F_PERSON }, { "unit", F_UNIT }, { "task", F_STR },
	{ "given_name", F_STR }, { "family_name", F_STR }, { "title", F_STR }, { "organisation", F_STR },
	{ "email", F_CONTACT }, { "phone", F_CONTACT }, { "invited_by", F_PERSON }, { "created_at", F_TIME },
	{ "expires_at", F_TIME }, { "accepted_at", F_TIME }, { "revoked_at", F_TIME },
	{ "revoked_by", F_PERSON }, { "refused_at", F_TIME },
};
static const struct field actor_f[] = {
	{ "key", F_KEY, "actor" }, { "person", F_PERSON }, { "unit", F_UNIT }, { "task", F_STR },
	{ "invitation", F_REF, "invitation" }, { "added_at", F_TIME }, { "removed_at", F_TIME },
	{ "removed_by", F_PERSON },
};
static const struct field consent_f[] = {
	{ "key", F_KEY, "consent" }, { "kind", F_STR }, { "person", F_PERSON }, { "method", F_STR },
	{ "given_on", F_DATE }, { "valid_until", F_DATE }, { "document", F_REF, "document" },
	{ "recorded_by", F_PERSON }, { "created_at", F_TIME }, { "withdrawn_at", F_TIME },
	{ "withdrawn_by", F_PERSON },
};
static const struct field service_f[] = {
	{ "", F_SKIP }, { "unit", F_UNIT }, { "valid_until", F_DATE }, { "withdrawn_at", F_TIME },
	{ "created_at", F_TIME },
};
static const struct field concern_f[] = {
	{ "key", F_KEY, "concern" }, { "title", F_STR }, { "description", F_STR },
	{ "created_by", F_PERSON }, { "created_at", F_TIME },
};
static const struct field goal_f[] = {
	{ "key", F_KEY, "goal" }, { "", F_SKIP }, { "text", F_STR }, { "created_by", F_PERSON },
	{ "created_at", F_TIME },
};
static const struct field measure_f[] = {
	{ "key", F_KEY, "measure" }, { "", F_SKIP }, { "description", F_STR },
	{ "responsible", F_PERSON }, { "responsible_unit", F_UNIT }, { "start_date", F_DATE },
	{ "deadline", F_DATE }, { "evaluation_date", F_DATE }, { "status", F_STR },
	{ "created_by", F_PERSON }, { "created_at", F_TIME },
};
static const struct field evaluation_f[] = {
	{ "", F_SKIP }, { "", F_SKIP }, { "category", F_STR }, { "text", F_STR }, { "by", F_PERSON },
	{ "created_at", F_TIME },
};
static const struct field note_f[] = {
	{ "key", F_KEY, "note" }, { "concern", F_REF, "concern" }, { "author", F_PERSON },
	{ "text", F_STR }, { "glimpse", F_BOOL }, { "created_at", F_TIME },
};
static const struct field state_request_f[] = {
	{ "key", F_KEY, "state_request" }, { "person", F_PERSON }, { "wanted", F_STR },
	{ "created_at", F_TIME }, { "handled_at", F_TIME }, { "handled_by", F_PERSON },
};
static const struct field message_f[] = {
	{ "key", F_KEY, "message" }, { "author", F_PERSON }, { "text", F_STR }, { "created_at", F_TIME },
};
static const struct field message_read_f[] = {
	{ "person", F_PERSON }, { "last_message", F_REF, "message" }, { "read_at", F_TIME },
};
static const struct field meeting_f[] = {
	{ "key", F_KEY, "meeting" }, { "starts_at", F_TIME }, { "minutes", F_INT }, { "place", F_STR },
	{ "video_url", F_STR }, { "agenda", F_STR }, { "sequence", F_INT }, { "cancelled_at", F_TIME },
	{ "created_by", F_PERSON }, { "created_at", F_TIME },
};
static const struct field participant_f[] = {
	{ "", F_SKIP }, { "person", F_PERSON }, { "relation", F_STR }, { "email", F_CONTACT },
	{ "attended", F_BOOL },
};
static const struct field minutes_f[] = {
	{ "key", F_KEY, "minutes" }, { "", F_SKIP }, { "child_took_part", F_BOOL },
	{ "guardians_took_part", F_BOOL }, { "leader_took_part", F_BOOL }, { "decisions", F_STR },
	{ "next_meeting", F_STR }, { "approved_at", F_TIME }, { "approved_by", F_PERSON },
	{ "created_by", F_PERSON }, { "created_at", F_TIME },
};
static const struct field minutes_entry_f[] = {
	{ "", F_SKIP }, { "", F_SKIP }, { "kind", F_STR }, { "person", F_PERSON }, { "text", F_STR },
	{ "created_at", F_TIME },
};
static const struct field agreement_f[] = {
	{ "key", F_KEY, "agreement" }, { "created_by", F_PERSON }, { "created_at", F_TIME },
};
static const struct field agreement_version_f[] = {
	{ "", F_SKIP }, { "version", F_INT }, { "text", F_STR }, { "parties", F_STR },
	{ "agreed_on", F_DATE }, { "review_on", F_DATE }, { "created_by", F_PERSON },
	{ "created_at", F_TIME },
};
static const struct field handover_f[] = {
	{ "key", F_KEY, "handover" }, { "from_person", F_PERSON }, { "from_unit", F_UNIT },
	{ "to_person", F_PERSON }, { "to_unit", F_UNIT }, { "to_municipality", F_STR },
	{ "stay_as_actor", F_BOOL }, { "state", F_STR }, { "decline_reason", F_STR },
	{ "offered_at", F_TIME }, { "answered_at", F_TIME }, { "expires_at", F_TIME },
};
static const struct field transition_f[] = {
	{ "key", F_KEY, "transition" }, { "kind", F_STR }, { "handover", F_REF, "handover" },
	{ "by", F_PERSON }, { "from_person", F_PERSON }, { "from_unit", F_UNIT },
	{ "from_municipality", F_STR }, { "to_person", F_PERSON }, { "to_unit", F_UNIT },
	{ "to_municipality", F_STR }, { "at", F_TIME },
};
static const struct field reopen_f[] = {
	{ "key", F_KEY, "reopen_request" }, { "requested_by", F_PERSON }, { "reason", F_STR },
	{ "state", F_STR }, { "created_at", F_TIME }, { "decided_at", F_TIME },
};
static const struct field reopen_answer_f[] = {
	{ "", F_SKIP }, { "person", F_PERSON }, { "approved", F_BOOL }, { "answered_at", F_TIME },
};
/* clang-format on */

#define SELECT(rows, n, sql)                                                                                 \
	do {                                                                                                 \
		struct db_map map_ = SMAP(n);                                                                \
		rc = db_select(&map_, &(rows), sql, "ii", d->m, d->log);                                     \
		if (rc < 0)                                                                                  \
			return rc;                                                                           \
	} while (0)

static int add_parties(struct doc *d, json_t *root)
{
	struct srow *g, *inv, *act;
	int rc, ng, ninv;
	SELECT(g, NF(guardian_f),
	       "SELECT id, person_id, given_name, family_name, email, phone, created_at FROM log_guardian"
	       " WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id");
	ng = rc;
	json_object_set_new(root, "guardians", rows_json(d, guardian_f, NF(guardian_f), g, ng, -1, NULL));
	SELECT(inv, NF(invitation_f),
	       "SELECT id, person_id, unit_id, task, given_name, family_name, title, organisation, email, "
	       "phone,"
	       " invited_by, created_at, expires_at, accepted_at, revoked_at, revoked_by, refused_at"
	       " FROM invitation WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id");
	ninv = rc;
	json_t *invitations = rows_json(d, invitation_f, NF(invitation_f), inv, ninv, -1, NULL);
	SELECT(act, NF(actor_f),
	       "SELECT id, person_id, unit_id, task, invitation_id, created_at, removed_at, removed_by"
	       " FROM log_actor WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id");
	json_object_set_new(root, "actors", rows_json(d, actor_f, NF(actor_f), act, rc, -1, NULL));
	json_object_set_new(root, "invitations", invitations);
	return 0;
}

struct docrow {
	int64_t id;
	char *media_type;
	int size;
	struct db_blob sha256, data;
	int64_t uploaded_by;
	char *created_at;
};
static const struct db_col doccols[] = {
	DB_COL(struct docrow, id, DB_I64),	   DB_COL(struct docrow, media_type, DB_STR),
	DB_COL(struct docrow, size, DB_INT),	   DB_COL(struct docrow, sha256, DB_BLOB),
	DB_COL(struct docrow, data, DB_BLOB),	   DB_COL(struct docrow, uploaded_by, DB_I64),
	DB_COL(struct docrow, created_at, DB_STR),
};
static const struct db_map docmap = DB_MAP(struct docrow, doccols);

/* The signed consent forms, their bytes in base64url. */
static int add_documents(struct doc *d, json_t *root)
{
	struct docrow *r;
	int n = db_select(&docmap, &r,
			  "SELECT id, media_type, size, sha256, data, uploaded_by, created_at FROM document"
			  " WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id",
			  "ii", d->m, d->log);
	if (n < 0)
		return n;
	json_t *a = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "key", json_string(ref_add(d, "document", "d", r[i].id)));
		json_object_set_new(o, "media_type", json_string(r[i].media_type));
		json_object_set_new(o, "size", json_integer(r[i].size));
		json_object_set_new(o, "sha256", json_string(crypto_hex(r[i].sha256.data, r[i].sha256.len)));
		json_object_set_new(o, "data",
				    json_string(crypto_b64url_encode(r[i].data.data, r[i].data.len)));
		json_object_set_new(o, "uploaded_by", pkey(d, r[i].uploaded_by));
		json_object_set_new(o, "created_at", jtime(r[i].created_at));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "documents", a);
	return 0;
}

/* Each consent with the services (units) in its scope. */
static int add_consents(struct doc *d, json_t *root)
{
	struct srow *c, *scope, *svc;
	int rc, nc, ns;
	SELECT(c, NF(consent_f),
	       "SELECT id, kind, person_id, method, given_at, valid_until, document_id, recorded_by, "
	       "created_at,"
	       " withdrawn_at, withdrawn_by FROM consent WHERE municipality_id = ? AND log_id = ?"
	       " ORDER BY created_at, id");
	nc = rc;
	SELECT(scope, 2,
	       "SELECT s.consent_id, s.unit_id FROM consent_scope s JOIN consent c ON c.id = s.consent_id"
	       " JOIN unit u ON u.id = s.unit_id JOIN municipality m ON m.id = u.municipality_id"
	       " WHERE c.municipality_id = ? AND c.log_id = ? ORDER BY m.slug, u.name, u.kind");
	ns = rc;
	json_t *a = json_array();
	for (int i = 0; i < nc; i++) {
		json_t *o = row_json(d, consent_f, NF(consent_f), &c[i]);
		json_t *units = json_array();
		for (int k = 0; k < ns; k++)
			if (strcmp(scope[k].v[0], c[i].v[0]) == 0)
				json_array_append_new(units, ukey(d, to_i64(scope[k].v[1])));
		json_object_set_new(o, "services", units);
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "consents", a);
	SELECT(svc, NF(service_f),
	       "SELECT id, unit_id, valid_until, withdrawn_at, created_at FROM consent_service"
	       " WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id");
	json_object_set_new(root, "consent_services",
			    rows_json(d, service_f, NF(service_f), svc, rc, -1, NULL));
	return 0;
}

/* Concerns, each with its development areas and goals; each goal with its
 * measures, each measure with its evaluations. */
static int add_concerns(struct doc *d, json_t *root)
{
	struct srow *c, *area, *g, *m, *e;
	int rc, nc, na, ng, nm, ne;
	SELECT(c, NF(concern_f),
	       "SELECT id, title, description, created_by, created_at FROM concern"
	       " WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id");
	nc = rc;
	SELECT(area, 2,
	       "SELECT ca.concern_id, a.code FROM concern_area ca JOIN concern c ON c.id = ca.concern_id"
	       " JOIN development_area a ON a.id = ca.area_id WHERE c.municipality_id = ? AND c.log_id = ?"
	       " ORDER BY a.code");
	na = rc;
	SELECT(g, NF(goal_f),
	       "SELECT id, concern_id, text, created_by, created_at FROM goal"
	       " WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id");
	ng = rc;
	/* The responsible person's unit: the one they act in for this log (an
	 * actor still there first), or the log's own for the holder. */
	SELECT(m, NF(measure_f),
	       "SELECT m.id, m.goal_id, m.description, m.responsible_person_id,"
	       " COALESCE((SELECT a.unit_id FROM log_actor a WHERE a.log_id = m.log_id"
	       " AND a.municipality_id = m.municipality_id AND a.person_id = m.responsible_person_id"
	       " ORDER BY a.removed_at IS NOT NULL, a.created_at, a.id LIMIT 1),"
	       " IF(l.holder_person_id = m.responsible_person_id, l.unit_id, NULL)),"
	       " m.start_date, m.deadline, m.evaluation_date, m.status, m.created_by, m.created_at"
	       " FROM measure m JOIN log l ON l.id = m.log_id WHERE m.municipality_id = ? AND m.log_id = ?"
	       " ORDER BY m.created_at, m.id");
	nm = rc;
	SELECT(e, NF(evaluation_f),
	       "SELECT id, measure_id, category, text, by_person_id, created_at FROM evaluation"
	       " WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id");
	ne = rc;
	json_t *a = json_array();
	for (int i = 0; i < nc; i++) {
		json_t *o = row_json(d, concern_f, NF(concern_f), &c[i]);
		json_t *codes = json_array();
		for (int k = 0; k < na; k++)
			if (strcmp(area[k].v[0], c[i].v[0]) == 0)
				json_array_append_new(codes, json_string(area[k].v[1]));
		json_object_set_new(o, "areas", codes);
		json_t *goals = json_array();
		for (int k = 0; k < ng; k++) {
			if (strcmp(g[k].v[1], c[i].v[0]) != 0)
				continue;
			json_t *go = row_json(d, goal_f, NF(goal_f), &g[k]);
			json_t *measures = json_array();
			for (int j = 0; j < nm; j++) {
				if (strcmp(m[j].v[1], g[k].v[0]) != 0)
					continue;
				json_t *mo = row_json(d, measure_f, NF(measure_f), &m[j]);
				json_object_set_new(
					mo, "evaluations",
					rows_json(d, evaluation_f, NF(evaluation_f), e, ne, 1, m[j].v[0]));
				json_array_append_new(measures, mo);
			}
			json_object_set_new(go, "measures", measures);
			json_array_append_new(goals, go);
		}
		json_object_set_new(o, "goals", goals);
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "concerns", a);
	return 0;
}

static int add_notes_and_messages(struct doc *d, json_t *root)
{
	struct srow *r;
	int rc;
	SELECT(r, NF(note_f),
	       "SELECT id, concern_id, author_person_id, text, glimpse, created_at FROM note"
	       " WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id");
	json_object_set_new(root, "notes", rows_json(d, note_f, NF(note_f), r, rc, -1, NULL));
	SELECT(r, NF(state_request_f),
	       "SELECT id, person_id, wanted, created_at, handled_at, handled_by FROM state_request"
	       " WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id");
	json_object_set_new(root, "state_requests",
			    rows_json(d, state_request_f, NF(state_request_f), r, rc, -1, NULL));
	SELECT(r, NF(message_f),
	       "SELECT id, author_person_id, text, created_at FROM message"
	       " WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id");
	json_object_set_new(root, "messages", rows_json(d, message_f, NF(message_f), r, rc, -1, NULL));
	SELECT(r, NF(message_read_f),
	       "SELECT person_id, last_message_id, read_at FROM message_read"
	       " WHERE municipality_id = ? AND log_id = ?");
	sort_by_nin(d, r, rc, 0);
	json_object_set_new(root, "message_reads",
			    rows_json(d, message_read_f, NF(message_read_f), r, rc, -1, NULL));
	return 0;
}

/* Meetings with their participants and minutes (the measures agreed, the
 * comments and corrections). */
static int add_meetings(struct doc *d, json_t *root)
{
	struct srow *mt, *pa, *mr, *mm, *me;
	int rc, nmt, npa, nmr, nmm, nme;
	SELECT(mt, NF(meeting_f),
	       "SELECT id, starts_at, minutes, place, video_url, agenda, sequence, cancelled_at, created_by,"
	       " created_at FROM meeting WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id");
	nmt = rc;
	SELECT(pa, NF(participant_f),
	       "SELECT p.meeting_id, p.person_id, p.relation, p.email, p.attended FROM meeting_participant p"
	       " JOIN meeting g ON g.id = p.meeting_id WHERE g.municipality_id = ? AND g.log_id = ?");
	npa = rc;
	sort_by_nin(d, pa, npa, 1);
	SELECT(mr, NF(minutes_f),
	       "SELECT id, meeting_id, child_took_part, guardians_took_part, leader_took_part, decisions,"
	       " next_meeting, approved_at, approved_by, created_by, created_at FROM minutes"
	       " WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id");
	nmr = rc;
	SELECT(mm, 2,
	       "SELECT x.minutes_id, x.measure_id FROM minutes_measure x JOIN minutes r ON r.id = "
	       "x.minutes_id"
	       " JOIN measure m ON m.id = x.measure_id WHERE r.municipality_id = ? AND r.log_id = ?");
	nmm = rc;
	SELECT(me, NF(minutes_entry_f),
	       "SELECT id, minutes_id, kind, person_id, text, created_at FROM minutes_entry"
	       " WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id");
	nme = rc;
	json_t *a = json_array();
	for (int i = 0; i < nmt; i++) {
		json_t *o = row_json(d, meeting_f, NF(meeting_f), &mt[i]);
		json_object_set_new(o, "participants",
				    rows_json(d, participant_f, NF(participant_f), pa, npa, 0, mt[i].v[0]));
		json_t *mo = json_null();
		for (int k = 0; k < nmr; k++) {
			if (strcmp(mr[k].v[1], mt[i].v[0]) != 0)
				continue;
			mo = row_json(d, minutes_f, NF(minutes_f), &mr[k]);
			/* In the document's order of the measures, which is the
			 * same wherever the log is (ids are not). */
			json_t *measures = json_array();
			for (int q = 0; q < d->nref; q++)
				for (int j = 0;
				     q < d->nref && strcmp(d->refs[q].entity, "measure") == 0 && j < nmm; j++)
					if (strcmp(mm[j].v[0], mr[k].v[0]) == 0 &&
					    to_i64(mm[j].v[1]) == d->refs[q].id)
						json_array_append_new(measures, json_string(d->refs[q].key));
			json_object_set_new(mo, "measures", measures);
			json_object_set_new(
				mo, "entries",
				rows_json(d, minutes_entry_f, NF(minutes_entry_f), me, nme, 1, mr[k].v[0]));
		}
		json_object_set_new(o, "minutes_record", mo);
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "meetings", a);
	return 0;
}

static int add_agreements(struct doc *d, json_t *root)
{
	struct srow *ag, *v;
	int rc, nag;
	SELECT(ag, NF(agreement_f),
	       "SELECT id, created_by, created_at FROM agreement WHERE municipality_id = ? AND log_id = ?"
	       " ORDER BY created_at, id");
	nag = rc;
	SELECT(v, NF(agreement_version_f),
	       "SELECT v.agreement_id, v.version, v.text, v.parties, v.agreed_on, v.review_on, v.created_by,"
	       " v.created_at FROM agreement_version v JOIN agreement a ON a.id = v.agreement_id"
	       " WHERE a.municipality_id = ? AND a.log_id = ? ORDER BY v.version");
	json_t *a = json_array();
	for (int i = 0; i < nag; i++) {
		json_t *o = row_json(d, agreement_f, NF(agreement_f), &ag[i]);
		json_object_set_new(
			o, "versions",
			rows_json(d, agreement_version_f, NF(agreement_version_f), v, rc, 0, ag[i].v[0]));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "agreements", a);
	return 0;
}

static int add_transitions(struct doc *d, json_t *root)
{
	struct srow *r, *ans;
	int rc, nr;
	SELECT(r, NF(handover_f),
	       "SELECT h.id, h.from_person_id, h.from_unit_id, h.to_person_id, h.to_unit_id, tm.slug,"
	       " h.stay_as_actor, h.state, h.decline_reason, h.offered_at, h.answered_at, h.expires_at"
	       " FROM handover h JOIN municipality tm ON tm.id = h.to_municipality_id"
	       " WHERE h.municipality_id = ? AND h.log_id = ? ORDER BY h.offered_at, h.id");
	json_object_set_new(root, "handovers", rows_json(d, handover_f, NF(handover_f), r, rc, -1, NULL));
	SELECT(r, NF(transition_f),
	       "SELECT t.id, t.kind, t.handover_id, t.by_person_id, t.from_person_id, t.from_unit_id, "
	       "fm.slug,"
	       " t.to_person_id, t.to_unit_id, tm.slug, t.at FROM log_transition t"
	       " JOIN municipality fm ON fm.id = t.from_municipality_id"
	       " JOIN municipality tm ON tm.id = t.to_municipality_id"
	       " WHERE t.municipality_id = ? AND t.log_id = ? ORDER BY t.at, t.id");
	json_object_set_new(root, "transitions",
			    rows_json(d, transition_f, NF(transition_f), r, rc, -1, NULL));
	SELECT(r, NF(reopen_f),
	       "SELECT id, requested_by, reason, state, created_at, decided_at FROM reopen_request"
	       " WHERE municipality_id = ? AND log_id = ? ORDER BY created_at, id");
	nr = rc;
	SELECT(ans, NF(reopen_answer_f),
	       "SELECT a.request_id, a.person_id, a.approved, a.answered_at FROM reopen_answer a"
	       " JOIN reopen_request r ON r.id = a.request_id WHERE r.municipality_id = ? AND r.log_id = ?");
	sort_by_nin(d, ans, rc, 1);
	json_t *a = json_array();
	for (int i = 0; i < nr; i++) {
		json_t *o = row_json(d, reopen_f, NF(reopen_f), &r[i]);
		json_object_set_new(
			o, "answers",
			rows_json(d, reopen_answer_f, NF(reopen_answer_f), ans, rc, 0, r[i].v[0]));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "reopen_requests", a);
	return 0;
}

/* Every change, field by field. The thing a row is about is named by its
 * key in the document ("ref"), or null: the log itself, or something no
 * longer there. A guardian's rows name the guardian (a person). */
static int add_history(struct doc *d, json_t *root)
{
	struct srow *r;
	int rc;
	SELECT(r, 8,
	       "SELECT id, person_id, at, entity, entity_id, field, old_value, new_value FROM log_history"
	       " WHERE municipality_id = ? AND log_id = ? ORDER BY at, id");
	json_t *a = json_array();
	for (int i = 0; i < rc; i++) {
		json_t *o = json_object();
		const char *entity = r[i].v[3];
		int64_t eid = to_i64(r[i].v[4]);
		json_object_set_new(o, "at", jtime(r[i].v[2]));
		json_object_set_new(o, "by", pkey(d, to_i64(r[i].v[1])));
		json_object_set_new(o, "entity", json_string(entity));
		json_t *ref;
		if (strcmp(entity, "log") == 0)
			ref = json_null();
		else if (strcmp(entity, "guardian") == 0)
			ref = eid ? pkey(d, eid) : json_null();
		else
			ref = jstr(ref_find(d, entity, eid));
		json_object_set_new(o, "ref", ref);
		json_object_set_new(o, "field", json_string(r[i].v[5]));
		json_object_set_new(o, "old", jstr(r[i].v[6]));
		json_object_set_new(o, "new", jstr(r[i].v[7]));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "history", a);
	return 0;
}

/* The log's own row, the municipality, the subject and the holder. */
static int add_log(struct doc *d, json_t *root)
{
	struct srow *r;
	int rc;
	SELECT(r, 20,
	       "SELECT l.id, l.subject_person_id, l.subject_given_name, l.subject_family_name, "
	       "l.subject_kind,"
	       " l.expected_date, l.holder_person_id, l.unit_id, l.created_by, l.state, l.bti_level,"
	       " l.basic_info, l.child_voice, l.consent_until, l.withdrawn_at, l.closed_at, l.created_at,"
	       " m.slug, m.name, m.default_lang FROM log l JOIN municipality m ON m.id = l.municipality_id"
	       " WHERE l.municipality_id = ? AND l.id = ?");
	if (rc == 0)
		return 0;
	const struct srow *l = &r[0];
	json_t *mu = json_object();
	json_object_set_new(mu, "slug", json_string(l->v[17]));
	json_object_set_new(mu, "name", json_string(l->v[18]));
	json_object_set_new(mu, "language", json_string(l->v[19]));
	json_object_set_new(root, "municipality", mu);

	json_t *lo = json_object();
	json_object_set_new(lo, "reference", json_integer(to_i64(l->v[0])));
	json_object_set_new(lo, "subject_kind", json_string(l->v[4]));
	json_object_set_new(lo, "expected_date", jstr(l->v[5]));
	json_object_set_new(lo, "state", json_string(l->v[9]));
	json_object_set_new(lo, "bti_level", l->v[10] ? json_integer(to_i64(l->v[10])) : json_null());
	json_object_set_new(lo, "basic_info", jstr(l->v[11]));
	json_object_set_new(lo, "child_voice", jstr(l->v[12]));
	json_object_set_new(lo, "created_at", jtime(l->v[16]));
	json_object_set_new(lo, "closed_at", jtime(l->v[15]));
	json_object_set_new(lo, "withdrawn_at", jtime(l->v[14]));
	json_object_set_new(lo, "consent_until", jstr(l->v[13]));
	json_object_set_new(root, "log", lo);
	json_object_set(root, "people", d->people);
	json_object_set(root, "units", d->units);

	json_t *subject = json_object();
	json_object_set_new(subject, "person", pkey(d, to_i64(l->v[1])));
	json_object_set_new(subject, "given_name", jstr(l->v[2]));
	json_object_set_new(subject, "family_name", jstr(l->v[3]));
	json_object_set_new(root, "subject", subject);
	/* The guardians next, so the people's keys start with the family. */
	if ((rc = add_parties(d, root)) < 0)
		return rc;
	json_t *holder = json_object();
	json_object_set_new(holder, "person", pkey(d, to_i64(l->v[6])));
	json_object_set_new(holder, "unit", ukey(d, to_i64(l->v[7])));
	json_object_set_new(root, "holder", holder);
	json_object_set_new(lo, "created_by", pkey(d, to_i64(l->v[8])));
	return 1;
}

char *logdoc_text(const json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(2));
	size_t n = text ? strlen(text) : 0;
	char *out = text ? realloc(text, n + 2) : NULL;
	if (!out) {
		free(text);
		return NULL;
	}
	out[n] = '\n';
	out[n + 1] = '\0';
	return out;
}

int logdoc_build(int64_t municipality_id, int64_t log_id, json_t **out)
{
	struct doc d = { .m = municipality_id, .log = log_id };
	json_t *root = json_object();
	json_object_set_new(root, "format", json_string("stafett-log"));
	json_object_set_new(root, "version", json_integer(1));
	/* Placed after the log's own row; filled as the rows name them. */
	d.people = json_object();
	d.units = json_object();
	int rc = add_log(&d, root);
	if (rc > 0) {
		if ((rc = add_documents(&d, root)) >= 0 && (rc = add_consents(&d, root)) >= 0 &&
		    (rc = add_concerns(&d, root)) >= 0 && (rc = add_notes_and_messages(&d, root)) >= 0 &&
		    (rc = add_meetings(&d, root)) >= 0 && (rc = add_agreements(&d, root)) >= 0 &&
		    (rc = add_transitions(&d, root)) >= 0 && (rc = add_history(&d, root)) >= 0)
			rc = d.err < 0 ? d.err : 1;
	}
	for (int i = 0; i < d.np; i++)
		crypto_wipe(d.pp[i].nin, sizeof d.pp[i].nin);
	free(d.pp);
	free(d.uu);
	free(d.refs);
	json_decref(d.people);
	json_decref(d.units);
	if (rc <= 0) {
		json_decref(root);
		return rc;
	}
	*out = root;
	return 1;
}
