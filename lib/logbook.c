/* logbook.c — SQL for the log and its people (log, log_guardian, log_actor,
 * person, unit, state_request), the log's state machine, and the history of
 * what it changes (history.c); deleting a draft removes its rows from every
 * table that holds one. Every query filters on the municipality. */
#include "logbook.h"

#include <string.h>

#include "arena.h"
#include "archive.h"
#include "audit.h"
#include "db.h"
#include "history.h"
#include "logpurge.h"
#include "i18n.h"
#include "session.h"

static const struct db_col item_cols[] = {
	DB_COL(struct logbook_item, id, DB_I64),
	DB_COL(struct logbook_item, state, DB_STR),
	DB_COL(struct logbook_item, given_name, DB_STR),
	DB_COL(struct logbook_item, family_name, DB_STR),
	DB_COL(struct logbook_item, unit_name, DB_STR),
	DB_COL(struct logbook_item, consent_until, DB_STR),
	DB_COL(struct logbook_item, consent_days_left, DB_INT),
	DB_COL(struct logbook_item, withdrawn, DB_BOOL),
};
static const struct db_map item_map = DB_MAP(struct logbook_item, item_cols);

int logbook_items(int64_t municipality_id, const int64_t *ids, int n, struct logbook_item **out)
{
	*out = NULL;
	if (n <= 0)
		return 0;
	struct logbook_item *rows;
	int got = db_select(
		&item_map, &rows,
		"SELECT l.id, l.state, COALESCE(l.subject_given_name, sp.given_name),"
		" COALESCE(l.subject_family_name, sp.family_name), u.name,"
		" DATE_FORMAT(l.consent_until, '%Y-%m-%d'), DATEDIFF(l.consent_until, CURRENT_DATE),"
		" l.withdrawn_at IS NOT NULL FROM log l JOIN person sp ON sp.id = l.subject_person_id JOIN "
		"unit u ON u.id = l.unit_id"
		" WHERE l.municipality_id = ? AND l.id IN"
		" (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) AS j)",
		"is", (long long)municipality_id, db_ids_json(ids, n));
	if (got <= 0)
		return got;
	/* In the caller's order: the lists are short, the rows already here. */
	struct logbook_item *sorted = arena_alloc(sizeof *sorted * (size_t)got);
	int k = 0;
	for (int i = 0; i < n && k < got; i++)
		for (int j = 0; j < got; j++)
			if (rows[j].id == ids[i]) {
				sorted[k++] = rows[j];
				break;
			}
	*out = sorted;
	return k;
}

static const struct db_col summary_cols[] = {
	DB_COL(struct logbook_summary, id, DB_I64),
	DB_COL(struct logbook_summary, state, DB_STR),
	DB_COL(struct logbook_summary, subject_kind, DB_STR),
	DB_COL(struct logbook_summary, subject_given_name, DB_STR),
	DB_COL(struct logbook_summary, subject_family_name, DB_STR),
	DB_COL(struct logbook_summary, expected_date, DB_STR),
	DB_COL(struct logbook_summary, unit_name, DB_STR),
	DB_COL(struct logbook_summary, holder_given_name, DB_STR),
	DB_COL(struct logbook_summary, holder_family_name, DB_STR),
	DB_COL(struct logbook_summary, created_at, DB_STR),
	DB_COL(struct logbook_summary, bti_level, DB_INT),
	DB_COL(struct logbook_summary, basic_info, DB_STR),
	DB_COL(struct logbook_summary, child_voice, DB_STR),
	DB_COL(struct logbook_summary, version, DB_INT),
	DB_COL(struct logbook_summary, consent_until, DB_STR),
	DB_COL(struct logbook_summary, consent_days_left, DB_INT),
	DB_COL(struct logbook_summary, withdrawn, DB_BOOL),
};
static const struct db_map summary_map = DB_MAP(struct logbook_summary, summary_cols);

int logbook_summary(int64_t municipality_id, int64_t log_id, struct logbook_summary *out)
{
	return db_select_one(
		&summary_map, out,
		"SELECT l.id, l.state, l.subject_kind, COALESCE(l.subject_given_name, s.given_name),"
		" COALESCE(l.subject_family_name, s.family_name),"
		" IF(l.subject_kind = 'pregnancy', DATE_FORMAT(l.expected_date, '%Y-%m-%d'), NULL), u.name,"
		" h.given_name, h.family_name, DATE_FORMAT(l.created_at, '%Y-%m-%d %H:%i'),"
		" COALESCE(l.bti_level, -1), l.basic_info, l.child_voice, l.version,"
		" DATE_FORMAT(l.consent_until, '%Y-%m-%d'),"
		" COALESCE(DATEDIFF(l.consent_until, CURRENT_DATE), 0), l.withdrawn_at IS NOT NULL"
		" FROM log l JOIN person s ON s.id = l.subject_person_id"
		" JOIN person h ON h.id = l.holder_person_id JOIN unit u ON u.id = l.unit_id"
		" WHERE l.municipality_id = ? AND l.id = ?",
		"ii", (long long)municipality_id, (long long)log_id);
}

static const struct db_col guardian_cols[] = {
	DB_COL(struct logbook_guardian, given_name, DB_STR),
	DB_COL(struct logbook_guardian, family_name, DB_STR),
	DB_COL(struct logbook_guardian, first_login_at, DB_STR),
};
static const struct db_map guardian_map = DB_MAP(struct logbook_guardian, guardian_cols);

int logbook_guardians(int64_t municipality_id, int64_t log_id, struct logbook_guardian **out)
{
	return db_select(
		&guardian_map, out,
		"SELECT COALESCE(g.given_name, p.given_name), COALESCE(g.family_name, p.family_name),"
		" DATE_FORMAT(p.first_login_at, '%Y-%m-%d')"
		" FROM log_guardian g JOIN person p ON p.id = g.person_id"
		" WHERE g.municipality_id = ? AND g.log_id = ? ORDER BY g.id",
		"ii", (long long)municipality_id, (long long)log_id);
}

const char *logbook_role_label(const char *role)
{
	static const struct i18n_label labels[] = {
		{ "holder", N_("Log holder") },
		{ "actor", N_("Actor") },
		{ "guardian", N_("Guardian") },
		{ "youth", N_("Young person") },
		{ "leader", N_("Leader") },
		{ "admin", N_("Administrator") },
		{ NULL },
	};
	return i18n_label(labels, role);
}

bool logbook_open(const char *state)
{
	return strcmp(state, "active") == 0 || strcmp(state, "passive") == 0;
}

const char *logbook_state_label(const char *state)
{
	if (strcmp(state, "draft") == 0)
		return _("Draft");
	if (strcmp(state, "active") == 0)
		return _("Active");
	if (strcmp(state, "passive") == 0)
		return _("Passive");
	return _("Closed");
}

const char *logbook_state_plain(const char *state)
{
	static const struct i18n_label labels[] = {
		{ "draft", N_("Not started: waiting for consent") },
		{ "active", N_("Going on") },
		{ "passive", N_("Resting for a while (passive)") },
		{ "closed", N_("Closed") },
		{ NULL },
	};
	return i18n_label(labels, state);
}

const char *logbook_action_label(const char *state)
{
	static const struct i18n_label labels[] = {
		{ "active", N_("Make the log active again") },
		{ "passive", N_("Make the log passive") },
		{ "closed", N_("Close the log") },
		{ NULL },
	};
	return i18n_label(labels, state);
}

/* --- creating a log ------------------------------------------------------ */

static const char *full_name(const struct person_new *p)
{
	return arena_printf("%s %s", p->given_name, p->family_name);
}

int logbook_create(const struct session *s, const struct logbook_new *n, int64_t *log_id)
{
	long long m = s->municipality_id;
	int64_t subject, guardian[2];
	enum person_outcome o;
	*log_id = 0;
	int rc = person_find_or_create(s, &n->subject, &subject, &o);
	for (int i = 0; rc >= 0 && i < n->nguardians; i++)
		rc = person_find_or_create(s, &n->guardians[i], &guardian[i], &o);
	if (rc < 0)
		return rc;
	rc = db_exec("INSERT INTO log (municipality_id, subject_person_id, subject_given_name, "
		     "subject_family_name,"
		     " subject_kind, expected_date, holder_person_id, unit_id, created_by, state)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft')",
		     "iissssiii", m, (long long)subject, n->subject.given_name, n->subject.family_name,
		     n->subject_kind, n->expected_date, (long long)s->person_id, (long long)n->unit_id,
		     (long long)s->person_id);
	if (rc < 0)
		return rc;
	int64_t id = db_last_id();
	if ((rc = history_record(s, id, "log", id, "state", NULL, "draft")) < 0 ||
	    (rc = history_record(s, id, "log", id, "subject", NULL, full_name(&n->subject))) < 0)
		return rc;
	for (int i = 0; i < n->nguardians; i++) {
		const struct person_new *g = &n->guardians[i];
		rc = db_exec("INSERT INTO log_guardian (municipality_id, log_id, person_id, given_name, "
			     "family_name,"
			     " email, phone) VALUES (?, ?, ?, ?, ?, ?, ?)",
			     "iiissSS", m, (long long)id, (long long)guardian[i], g->given_name,
			     g->family_name, g->email, g->phone);
		if (rc < 0 ||
		    (rc = history_record(s, id, "guardian", guardian[i], "guardian", NULL,
					 full_name(&n->guardians[i]))) < 0)
			return rc;
	}
	/* The new log's first row in the audit trail, with it or not at all. */
	struct audit_entry e = {
		.municipality_id = s->municipality_id,
		.person_id = s->person_id,
		.role = "holder",
		.log_id = id,
		.action = "log.create",
		.outcome = "allow",
	};
	if ((rc = audit_append(&e)) < 0)
		return rc;
	*log_id = id;
	return 0;
}

/* --- basic data ---------------------------------------------------------- */

static const struct db_col basic_cols[] = {
	DB_COL(struct logbook_basic, id, DB_I64),	   DB_COL(struct logbook_basic, state, DB_STR),
	DB_COL(struct logbook_basic, bti_level, DB_INT),   DB_COL(struct logbook_basic, basic_info, DB_STR),
	DB_COL(struct logbook_basic, child_voice, DB_STR), DB_COL(struct logbook_basic, version, DB_INT),
};
static const struct db_map basic_map = DB_MAP(struct logbook_basic, basic_cols);

int logbook_basic(int64_t municipality_id, int64_t log_id, struct logbook_basic *out)
{
	return db_select_one(&basic_map, out,
			     "SELECT id, state, COALESCE(bti_level, -1), basic_info, child_voice, version"
			     " FROM log WHERE municipality_id = ? AND id = ?",
			     "ii", (long long)municipality_id, (long long)log_id);
}

static const char *level_text(int level)
{
	return level < 0 ? NULL : arena_printf("%d", level);
}

int logbook_update_basic(const struct session *s, int64_t log_id, int version, int bti_level,
			 const char *basic_info, const char *child_voice, struct logbook_basic *current)
{
	long long m = s->municipality_id;
	int rc = db_select_one(&basic_map, current,
			       "SELECT id, state, COALESCE(bti_level, -1), basic_info, child_voice, version"
			       " FROM log WHERE municipality_id = ? AND id = ? FOR UPDATE",
			       "ii", m, (long long)log_id);
	if (rc <= 0)
		return rc < 0 ? rc : DB_ERROR; /* authz found it in this transaction */
	if (current->version != version)
		return 0;
	rc = db_exec("UPDATE log SET bti_level = ?, basic_info = ?, child_voice = ?, version = version + 1"
		     " WHERE municipality_id = ? AND id = ? AND version = ?",
		     "sSSiii", level_text(bti_level), basic_info, child_voice, m, (long long)log_id,
		     (long long)version);
	if (rc < 0)
		return rc;
	if ((rc = history_change(s, log_id, "log", log_id, "bti_level", level_text(current->bti_level),
				 level_text(bti_level))) < 0 ||
	    (rc = history_change(s, log_id, "log", log_id, "basic_info", current->basic_info, basic_info)) <
		    0 ||
	    (rc = history_change(s, log_id, "log", log_id, "child_voice", current->child_voice,
				 child_voice)) < 0)
		return rc;
	return 1;
}

const char *logbook_bti_label(int level)
{
	switch (level) {
	case 0:
		return _("Level 0: wondering whether there is cause for concern; talk to your nearest "
			 "leader.");
	case 1:
		return _("Level 1: measures inside one service, with the family; a log holder is appointed.");
	case 2:
		return _("Level 2: cooperation between two or more services; a log is used.");
	case 3:
		return _("Level 3: broad cooperation; check the right to an individual plan.");
	default:
		return "";
	}
}

const char *logbook_bti_plain(int level)
{
	switch (level) {
	case 0:
		return _("We are wondering whether there is reason to be concerned, "
			 "and are finding out together with you.");
	case 1:
		return _("One service works with you on this, and one person keeps the log.");
	case 2:
		return _("Two or more services work together with you. The log keeps everyone up to date.");
	case 3:
		return _("Many services work together. The child may have the right to "
			 "an individual plan with a coordinator: ask the log holder.");
	default:
		return "";
	}
}

/* --- deleting a draft ----------------------------------------------------- */

struct person_ref {
	int64_t id;
};
static const struct db_col person_ref_cols[] = { DB_COL(struct person_ref, id, DB_I64) };
static const struct db_map person_ref_map = DB_MAP(struct person_ref, person_ref_cols);

int logbook_delete_draft(const struct session *s, int64_t log_id)
{
	long long m = s->municipality_id, l = log_id;
	struct logbook_basic cur;
	int rc = db_select_one(&basic_map, &cur,
			       "SELECT id, state, COALESCE(bti_level, -1), basic_info, child_voice, version"
			       " FROM log WHERE municipality_id = ? AND id = ? FOR UPDATE",
			       "ii", m, l);
	if (rc <= 0)
		return rc < 0 ? rc : DB_ERROR; /* authz found it in this transaction */
	if (strcmp(cur.state, "draft") != 0)
		return 0;
	struct person_ref *people;
	int n = db_select(
		&person_ref_map, &people,
		"SELECT subject_person_id FROM log WHERE municipality_id = ? AND id = ?"
		" UNION SELECT person_id FROM log_guardian WHERE municipality_id = ? AND log_id = ?",
		"iiii", m, l, m, l);
	if (n < 0)
		return n;
	/* Every row of it, as a deleted log's (logpurge.h); a draft leaves no
	 * tombstone: nothing was shared from it. Then the people it registered,
	 * forgotten as a deleted log's are where nothing else names them
	 * (another log, a staff role), with what hangs off them. */
	if ((rc = logpurge_rows(s->municipality_id, log_id)) < 0)
		return rc;
	for (int i = 0; i < n; i++)
		if ((rc = logpurge_forget(s->municipality_id, people[i].id)) < 0)
			return rc;
	return 1;
}

/* --- states -------------------------------------------------------------- */

bool logbook_reason_missing(const char *to, const char *reason)
{
	return strcmp(to, "active") != 0 && (!reason || reason[strspn(reason, " \t\n")] == '\0');
}

const char *logbook_state_refusal(enum logbook_state_outcome o, const char *to, const char *from)
{
	if (o == LOGBOOK_STATE_STALE)
		return _("Someone else changed the log while you were working. Nothing was changed; "
			 "this is how it stands now.");
	if (to && from && strcmp(to, "active") == 0 && strcmp(from, "draft") == 0)
		return _("A draft becomes active when the consent to establish the log is complete, "
			 "not by hand. Nothing was changed.");
	return _("That change of state is not possible from the state the log is in. Nothing was changed.");
}

bool logbook_may_transition(const char *from, const char *to)
{
	static const struct {
		const char *from, *to;
	} allowed[] = {
		{ "active", "passive" },
		{ "passive", "active" },
		{ "active", "closed" },
		{ "passive", "closed" },
	};
	for (size_t i = 0; from && to && i < sizeof allowed / sizeof allowed[0]; i++)
		if (strcmp(from, allowed[i].from) == 0 && strcmp(to, allowed[i].to) == 0)
			return true;
	return false;
}

static int handle_request(const struct session *s, int64_t log_id, int64_t request_id, const char *how)
{
	int rc = db_exec("UPDATE state_request SET handled_at = CURRENT_TIMESTAMP(3), handled_by = ?"
			 " WHERE municipality_id = ? AND log_id = ? AND id = ? AND handled_at IS NULL",
			 "iiii", (long long)s->person_id, (long long)s->municipality_id, (long long)log_id,
			 (long long)request_id);
	if (rc <= 0)
		return rc;
	rc = history_record(s, log_id, "state_request", request_id, "handled", NULL, how);
	return rc < 0 ? rc : 1;
}

int logbook_set_state(const struct session *s, int64_t log_id, int version, const char *to,
		      int64_t request_id, const char *reason, enum logbook_state_outcome *outcome,
		      char **from)
{
	struct logbook_basic cur;
	long long m = s->municipality_id;
	int rc = db_select_one(&basic_map, &cur,
			       "SELECT id, state, COALESCE(bti_level, -1), basic_info, child_voice, version"
			       " FROM log WHERE municipality_id = ? AND id = ? FOR UPDATE",
			       "ii", m, (long long)log_id);
	if (rc <= 0)
		return rc < 0 ? rc : DB_ERROR;
	*from = cur.state;
	if (!logbook_may_transition(cur.state, to)) {
		*outcome = LOGBOOK_STATE_INVALID;
		return 0;
	}
	if (cur.version != version) {
		*outcome = LOGBOOK_STATE_STALE;
		return 0;
	}
	rc = db_exec("UPDATE log SET state = ?, version = version + 1,"
		     " closed_at = IF(? = 'closed', CURRENT_TIMESTAMP(3), closed_at)"
		     " WHERE municipality_id = ? AND id = ? AND version = ?",
		     "ssiii", to, to, m, (long long)log_id, (long long)version);
	if (rc < 0 || (rc = history_record(s, log_id, "log", log_id, "state", cur.state, to)) < 0)
		return rc;
	/* Made passive or closed: the archive's copy of the log as it is now. */
	if ((strcmp(to, "passive") == 0 || strcmp(to, "closed") == 0) &&
	    (rc = archive_queue(s, log_id, to, 0)) < 0)
		return rc;
	if (reason && *reason &&
	    (rc = history_record(s, log_id, "log", log_id, "state_reason", NULL, reason)) < 0)
		return rc;
	if (request_id > 0 && (rc = handle_request(s, log_id, request_id, "done")) < 0)
		return rc;
	*outcome = LOGBOOK_STATE_DONE;
	return 0;
}

static const struct db_col request_cols[] = {
	DB_COL(struct logbook_request, id, DB_I64),
	DB_COL(struct logbook_request, wanted, DB_STR),
	DB_COL(struct logbook_request, created_at, DB_STR),
	DB_COL(struct logbook_request, given_name, DB_STR),
	DB_COL(struct logbook_request, family_name, DB_STR),
	DB_COL(struct logbook_request, person_id, DB_I64),
};
static const struct db_map request_map = DB_MAP(struct logbook_request, request_cols);

int logbook_requests(int64_t municipality_id, int64_t log_id, struct logbook_request **out)
{
	return db_select(
		&request_map, out,
		"SELECT r.id, r.wanted, DATE_FORMAT(r.created_at, '%Y-%m-%d %H:%i'),"
		" COALESCE(g.given_name, IF(l.subject_person_id = p.id, l.subject_given_name, NULL), "
		"p.given_name),"
		" COALESCE(g.family_name, IF(l.subject_person_id = p.id, l.subject_family_name, NULL), "
		"p.family_name),"
		" r.person_id FROM state_request r JOIN person p ON p.id = r.person_id"
		" JOIN log l ON l.id = r.log_id"
		" LEFT JOIN log_guardian g ON g.log_id = r.log_id AND g.person_id = r.person_id"
		" WHERE r.municipality_id = ? AND r.log_id = ? AND r.handled_at IS NULL ORDER BY r.id",
		"ii", (long long)municipality_id, (long long)log_id);
}

int logbook_request_state(const struct session *s, int64_t log_id, const char *wanted)
{
	long long m = s->municipality_id;
	int rc = db_exec("INSERT INTO state_request (municipality_id, log_id, person_id, wanted)"
			 " SELECT ?, ?, ?, ? FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM state_request"
			 " WHERE municipality_id = ? AND log_id = ? AND person_id = ? AND wanted = ?"
			 " AND handled_at IS NULL)",
			 "iiisiiis", m, (long long)log_id, (long long)s->person_id, wanted, m,
			 (long long)log_id, (long long)s->person_id, wanted);
	if (rc <= 0)
		return rc;
	rc = history_record(s, log_id, "state_request", db_last_id(), "wanted", NULL, wanted);
	return rc < 0 ? rc : 0;
}

int logbook_decline_request(const struct session *s, int64_t log_id, int64_t request_id)
{
	return handle_request(s, log_id, request_id, "declined");
}
