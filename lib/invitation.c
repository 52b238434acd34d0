/* invitation.c — SQL and rules of invitation.h: invitation and
 * invitation_token rows, log_actor rows made and removed, in the caller's
 * transaction, with history rows and mail queued through outbox.c. Reads
 * log, person, staff_role, unit, consent_service, log_guardian,
 * municipality and outbox; every query filters on the municipality (a
 * link's token finds its municipality first). */
#include "invitation.h"

#include <string.h>

#include "arena.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "history.h"
#include "i18n.h"
#include "outbox.h"
#include "ratelimit.h"
#include "session.h"

/* Invitations one person may send in a day (SECURITY.md 84). */
#define INVITATIONS_PER_DAY 50

/* --- who may be invited ------------------------------------------------- */

static const struct db_col staff_cols[] = {
	DB_COL(struct invitation_staff, role_id, DB_I64),
	DB_COL(struct invitation_staff, given_name, DB_STR),
	DB_COL(struct invitation_staff, family_name, DB_STR),
	DB_COL(struct invitation_staff, unit_name, DB_STR),
	DB_COL(struct invitation_staff, email, DB_STR),
};
static const struct db_map staff_map = DB_MAP(struct invitation_staff, staff_cols);

int invitation_staff(int64_t municipality_id, int64_t log_id, struct invitation_staff **out)
{
	long long m = municipality_id, l = log_id;
	return db_select(&staff_map, out,
			 "SELECT r.id, p.given_name, p.family_name, u.name, p.email FROM staff_role r"
			 " JOIN person p ON p.id = r.person_id JOIN unit u ON u.id = r.unit_id AND u.active"
			 " JOIN log l ON l.id = ? AND l.municipality_id = r.municipality_id"
			 " WHERE r.municipality_id = ? AND r.role = 'staff' AND r.cleared_at IS NOT NULL"
			 " AND r.person_id <> l.holder_person_id"
			 " AND NOT EXISTS (SELECT 1 FROM log_actor a WHERE a.log_id = l.id"
			 "  AND a.person_id = r.person_id AND a.unit_id = r.unit_id AND a.removed_at IS NULL)"
			 " ORDER BY u.name, p.family_name, p.given_name, r.id",
			 "ii", l, m);
}

static const struct db_col service_cols[] = {
	DB_COL(struct invitation_service, unit_id, DB_I64),
	DB_COL(struct invitation_service, name, DB_STR),
	DB_COL(struct invitation_service, covered, DB_BOOL),
};
static const struct db_map service_map = DB_MAP(struct invitation_service, service_cols);

/* A valid, not withdrawn consent_service row for the unit (the same test
 * authz makes of an actor). */
/* clang-format off */
#define COVERED(log, unit) \
	"EXISTS (SELECT 1 FROM consent_service c WHERE c.log_id = " log " AND c.unit_id = " unit \
	" AND c.valid_until >= CURRENT_DATE AND c.withdrawn_at IS NULL)"
/* clang-format on */

int invitation_services(int64_t municipality_id, int64_t log_id, struct invitation_service **out)
{
	return db_select(
		&service_map, out,
		"SELECT u.id, u.name, " COVERED(
			"?", "u.id") " FROM unit u"
				     " WHERE u.municipality_id = ? AND u.active ORDER BY u.name, u.id",
		"ii", (long long)log_id, (long long)municipality_id);
}

/* --- creating, resending, revoking --------------------------------------- */

/* What the log and the invited person are to each other. */
struct relation {
	int64_t holder;
	int64_t subject;
	bool guardian;
	bool manager_only; /* a leader or administrator without a cleared staff role */
	bool already;	   /* a current actor for the unit, or invited and not answered */
	bool covered;
};
static const struct db_col relation_cols[] = {
	DB_COL(struct relation, holder, DB_I64),    DB_COL(struct relation, subject, DB_I64),
	DB_COL(struct relation, guardian, DB_BOOL), DB_COL(struct relation, manager_only, DB_BOOL),
	DB_COL(struct relation, already, DB_BOOL),  DB_COL(struct relation, covered, DB_BOOL),
};
static const struct db_map relation_map = DB_MAP(struct relation, relation_cols);

/* The log's row is locked: two invitations to one log happen in turn. */
static int relation_of(const struct session *s, int64_t log_id, int64_t person, int64_t unit,
		       struct relation *r)
{
	long long m = s->municipality_id, l = log_id, p = person, u = unit;
	int rc = db_select_one(
		&relation_map, r,
		"SELECT l.holder_person_id, l.subject_person_id,"
		" EXISTS (SELECT 1 FROM log_guardian g WHERE g.log_id = l.id AND g.person_id = ?),"
		" EXISTS (SELECT 1 FROM staff_role x WHERE x.person_id = ? AND x.municipality_id = "
		"l.municipality_id"
		"  AND x.role IN ('leader', 'admin'))"
		" AND NOT EXISTS (SELECT 1 FROM staff_role x WHERE x.person_id = ?"
		"  AND x.municipality_id = l.municipality_id AND x.role = 'staff' AND x.cleared_at IS NOT "
		"NULL),"
		" EXISTS (SELECT 1 FROM log_actor a WHERE a.log_id = l.id AND a.person_id = ? AND a.unit_id "
		"= ?"
		"  AND a.removed_at IS NULL)"
		" OR EXISTS (SELECT 1 FROM invitation i WHERE i.log_id = l.id AND i.person_id = ?"
		"  AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > "
		"CURRENT_TIMESTAMP(3)),"
		" " COVERED("l.id", "?") " FROM log l WHERE l.municipality_id = ? AND l.id = ? FOR UPDATE",
		"iiiiiiiii", p, p, p, p, u, p, u, m, l);
	return rc == 0 ? DB_ERROR : rc; /* authz found the log in this transaction */
}

struct staff_pick {
	int64_t person_id;
	int64_t unit_id;
	char *given_name;
	char *family_name;
	char *title;
	char *email;
	char *phone;
	char *unit_name;
};
static const struct db_col pick_cols[] = {
	DB_COL(struct staff_pick, person_id, DB_I64),  DB_COL(struct staff_pick, unit_id, DB_I64),
	DB_COL(struct staff_pick, given_name, DB_STR), DB_COL(struct staff_pick, family_name, DB_STR),
	DB_COL(struct staff_pick, title, DB_STR),      DB_COL(struct staff_pick, email, DB_STR),
	DB_COL(struct staff_pick, phone, DB_STR),      DB_COL(struct staff_pick, unit_name, DB_STR),
};
static const struct db_map pick_map = DB_MAP(struct staff_pick, pick_cols);

/* A cleared staff role of an active unit of the municipality: 1, 0, < 0. */
static int staff_pick(const struct session *s, int64_t role_id, struct staff_pick *out)
{
	return db_select_one(&pick_map, out,
			     "SELECT r.person_id, r.unit_id, p.given_name, p.family_name, p.title, p.email,"
			     " p.phone, u.name FROM staff_role r JOIN person p ON p.id = r.person_id"
			     " JOIN unit u ON u.id = r.unit_id AND u.active"
			     " WHERE r.municipality_id = ? AND r.id = ? AND r.role = 'staff'"
			     " AND r.cleared_at IS NOT NULL",
			     "ii", (long long)s->municipality_id, (long long)role_id);
}

struct who_row {
	char *name;
	char *municipality;
};
static const struct db_col who_cols[] = {
	DB_COL(struct who_row, name, DB_STR),
	DB_COL(struct who_row, municipality, DB_STR),
};
static const struct db_map who_map = DB_MAP(struct who_row, who_cols);

/* A new token for the invitation: its hash stored, the link queued in a
 * mail to the address, the invitation pointed at that mail. */
static int send_link(const struct session *s, int64_t log_id, int64_t invitation_id, int64_t person_id,
		     const char *to, const char *to_name, const char *expires_at)
{
	unsigned char raw[32], hash[32];
	if (crypto_random(raw, sizeof raw) < 0)
		return DB_ERROR;
	char *token = crypto_b64url_encode(raw, sizeof raw);
	crypto_wipe(raw, sizeof raw);
	crypto_sha256(token, strlen(token), hash);
	int rc = db_exec("INSERT INTO invitation_token (token_hash, invitation_id) VALUES (?, ?)", "bi", hash,
			 sizeof hash, (long long)invitation_id);
	if (rc < 0)
		return rc;
	struct who_row w;
	rc = db_select_one(
		&who_map, &w,
		"SELECT CONCAT(p.given_name, ' ', p.family_name), m.name FROM person p"
		" JOIN municipality m ON m.id = p.municipality_id WHERE p.municipality_id = ? AND p.id = ?",
		"ii", (long long)s->municipality_id, (long long)s->person_id);
	if (rc <= 0)
		return rc == 0 ? DB_ERROR : rc;
	const char *lang = outbox_lang(s->municipality_id, person_id);
	if (!lang)
		return DB_ERROR;
	int64_t mail_id;
	struct outbox_mail m = {
		.municipality_id = s->municipality_id,
		.person_id = person_id,
		.log_id = log_id,
		.kind = "invitation",
		.to = to,
		.lang = lang,
		.params = outbox_params("to_name", to_name, "inviter", w.name, "municipality", w.municipality,
					"link", arena_printf("/invitasjon/%s", token), "expires", expires_at,
					(const char *)NULL),
	};
	if ((rc = outbox_queue(&m, &mail_id)) < 0)
		return rc;
	return db_exec("UPDATE invitation SET outbox_id = ? WHERE id = ?", "ii", (long long)mail_id,
		       (long long)invitation_id) < 0
		? DB_ERROR
		: 0;
}

struct expiry_row {
	char *at;
};
static const struct db_col expiry_cols[] = { DB_COL(struct expiry_row, at, DB_STR) };
static const struct db_map expiry_map = DB_MAP(struct expiry_row, expiry_cols);

static int expiry_of(int64_t invitation_id, char **at)
{
	struct expiry_row e;
	int rc =
		db_select_one(&expiry_map, &e,
			      "SELECT DATE_FORMAT(expires_at, '%Y-%m-%d %H:%i') FROM invitation WHERE id = ?",
			      "i", (long long)invitation_id);
	*at = rc == 1 ? e.at : NULL;
	return rc == 1 ? 0 : rc == 0 ? DB_ERROR : rc;
}

/* The person the invitation is for, and the unit: from the directory, or
 * found or registered by number (person_find_or_create audits the look-up). */
static int invited_person(const struct session *s, const struct invitation_new *in, struct staff_pick *who,
			  enum invitation_outcome *o)
{
	if (in->staff_role_id > 0) {
		int rc = staff_pick(s, in->staff_role_id, who);
		if (rc <= 0) {
			*o = INVITATION_NO_SUCH_STAFF;
			return rc;
		}
		return 1;
	}
	struct unit_row {
		int64_t id;
	} u;
	static const struct db_col unit_cols[] = { DB_COL(struct unit_row, id, DB_I64) };
	static const struct db_map unit_map = DB_MAP(struct unit_row, unit_cols);
	int rc = db_select_one(&unit_map, &u,
			       "SELECT id FROM unit WHERE municipality_id = ? AND id = ? AND active", "ii",
			       (long long)s->municipality_id, (long long)in->unit_id);
	if (rc <= 0) {
		*o = INVITATION_NO_SUCH_UNIT;
		return rc;
	}
	enum person_outcome po;
	if ((rc = person_find_or_create(s, &in->person, &who->person_id, &po)) < 0)
		return rc;
	who->unit_id = u.id;
	who->given_name = (char *)in->person.given_name;
	who->family_name = (char *)in->person.family_name;
	who->title = (char *)in->person.title;
	who->email = (char *)in->person.email;
	who->phone = (char *)in->person.phone;
	return 1;
}

const char *invitation_refusal(enum invitation_outcome o, const char **field)
{
	static const struct {
		enum invitation_outcome o;
		const char *field, *message;
	} texts[] = {
		{ INVITATION_NOT_COVERED, "service",
		  N_("The consent to cooperation does not cover this service. Ask the guardians to widen the "
		     "consent to this service first; nothing was sent.") },
		{ INVITATION_NO_ADDRESS, "email",
		  N_("We have no e-mail address for this staff member. Write the address the invitation goes "
		     "to.") },
		{ INVITATION_NO_SUCH_STAFF, "staff", N_("Choose a staff member from the list.") },
		{ INVITATION_NO_SUCH_UNIT, "unit", N_("Choose a service from the list.") },
		{ INVITATION_SELF, "person", N_("You hold the log yourself. Invite someone else.") },
		{ INVITATION_SUBJECT, "person",
		  N_("This is the number of the one the log is about. Invite someone else.") },
		{ INVITATION_GUARDIAN, "person",
		  N_("This person is a guardian in the log and reads it already.") },
		{ INVITATION_MANAGER, "person",
		  N_("This person is a leader or administrator in the municipality. Leaders see how logs go, "
		     "never what is in them, so they cannot take part in one.") },
		{ INVITATION_ALREADY, "person",
		  N_("This person takes part in the log already, or has an invitation that is not answered "
		     "yet. See the list below.") },
		{ INVITATION_LIMIT, "task",
		  N_("You have sent as many invitations as one person may in a day. Try again tomorrow.") },
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (texts[i].o == o) {
			*field = texts[i].field;
			return _(texts[i].message);
		}
	*field = "task";
	return _("The invitation could not be sent. Try again.");
}

int invitation_create(const struct session *s, int64_t log_id, const struct invitation_new *in, int64_t *id,
		      enum invitation_outcome *o)
{
	struct staff_pick who = { 0 };
	int rc = invited_person(s, in, &who, o);
	if (rc <= 0)
		return rc;
	const char *to = in->email && *in->email ? in->email : who.email;
	if (!to || !*to) {
		*o = INVITATION_NO_ADDRESS;
		return 0;
	}
	struct relation r;
	if ((rc = relation_of(s, log_id, who.person_id, who.unit_id, &r)) < 0)
		return rc;
	*o = who.person_id == r.holder || who.person_id == s->person_id ? INVITATION_SELF
		: who.person_id == r.subject				? INVITATION_SUBJECT
		: r.guardian						? INVITATION_GUARDIAN
		: r.manager_only					? INVITATION_MANAGER
		: r.already						? INVITATION_ALREADY
		: !r.covered						? INVITATION_NOT_COVERED
									: INVITATION_DONE;
	if (*o != INVITATION_DONE)
		return 0;
	if ((rc = ratelimit_hit("invite", arena_printf("%lld", (long long)s->person_id), INVITATIONS_PER_DAY,
				86400)) <= 0) {
		*o = INVITATION_LIMIT;
		return rc < 0 ? rc : 0;
	}
	long long m = s->municipality_id, l = log_id;
	rc = db_exec("INSERT INTO invitation (municipality_id, log_id, person_id, unit_id, task, given_name,"
		     " family_name, title, organisation, email, phone, invited_by, expires_at)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP(3) + INTERVAL ? DAY)",
		     "iiiisssSSsSii", m, l, (long long)who.person_id, (long long)who.unit_id, in->task,
		     who.given_name, who.family_name, who.title, in->organisation, to, who.phone,
		     (long long)s->person_id, config_int("mail.invitation_days"));
	if (rc < 0)
		return rc;
	*id = db_last_id();
	char *expires;
	if ((rc = expiry_of(*id, &expires)) < 0)
		return rc;
	const char *name = arena_printf("%s %s", who.given_name, who.family_name);
	if ((rc = history_record(s, log_id, "invitation", *id, "invited", NULL, name)) < 0)
		return rc;
	return send_link(s, log_id, *id, who.person_id, to, name, expires);
}

struct open_row {
	int64_t person_id;
	char *email;
	char *name;
	int version;
	bool answered;
};
static const struct db_col open_cols[] = {
	DB_COL(struct open_row, person_id, DB_I64), DB_COL(struct open_row, email, DB_STR),
	DB_COL(struct open_row, name, DB_STR),	    DB_COL(struct open_row, version, DB_INT),
	DB_COL(struct open_row, answered, DB_BOOL),
};
static const struct db_map open_map = DB_MAP(struct open_row, open_cols);

/* The invitation locked, or *o says why not. 1 found and open, 0 not. */
static int open_invitation(const struct session *s, int64_t log_id, int64_t id, int version,
			   struct open_row *r, enum invitation_outcome *o)
{
	int rc = db_select_one(&open_map, r,
			       "SELECT person_id, email, CONCAT(given_name, ' ', family_name), version,"
			       " accepted_at IS NOT NULL OR revoked_at IS NOT NULL FROM invitation"
			       " WHERE municipality_id = ? AND log_id = ? AND id = ? FOR UPDATE",
			       "iii", (long long)s->municipality_id, (long long)log_id, (long long)id);
	if (rc <= 0) {
		*o = INVITATION_NOT_FOUND;
		return rc;
	}
	*o = r->answered ? INVITATION_ANSWERED : r->version != version ? INVITATION_STALE : INVITATION_DONE;
	return *o == INVITATION_DONE;
}

/* Every link of the invitation so far dies. */
static int spend_tokens(int64_t invitation_id)
{
	return db_exec("UPDATE invitation_token SET replaced_at = CURRENT_TIMESTAMP(3)"
		       " WHERE invitation_id = ? AND replaced_at IS NULL",
		       "i", (long long)invitation_id);
}

int invitation_resend(const struct session *s, int64_t log_id, int64_t invitation_id, int version,
		      enum invitation_outcome *o)
{
	struct open_row r;
	int rc = open_invitation(s, log_id, invitation_id, version, &r, o);
	if (rc <= 0)
		return rc;
	if ((rc = ratelimit_hit("invite", arena_printf("%lld", (long long)s->person_id), INVITATIONS_PER_DAY,
				86400)) <= 0) {
		*o = INVITATION_LIMIT;
		return rc < 0 ? rc : 0;
	}
	if ((rc = spend_tokens(invitation_id)) < 0)
		return rc;
	rc = db_exec(
		"UPDATE invitation SET expires_at = CURRENT_TIMESTAMP(3) + INTERVAL ? DAY, refused_at = NULL,"
		" version = version + 1 WHERE id = ?",
		"ii", config_int("mail.invitation_days"), (long long)invitation_id);
	if (rc < 0)
		return rc;
	char *expires;
	if ((rc = expiry_of(invitation_id, &expires)) < 0 ||
	    (rc = history_record(s, log_id, "invitation", invitation_id, "resent", NULL, r.name)) < 0)
		return rc;
	return send_link(s, log_id, invitation_id, r.person_id, r.email, r.name, expires);
}

int invitation_revoke(const struct session *s, int64_t log_id, int64_t invitation_id, int version,
		      enum invitation_outcome *o)
{
	struct open_row r;
	int rc = open_invitation(s, log_id, invitation_id, version, &r, o);
	if (rc <= 0)
		return rc;
	if ((rc = spend_tokens(invitation_id)) < 0)
		return rc;
	rc = db_exec("UPDATE invitation SET revoked_at = CURRENT_TIMESTAMP(3), revoked_by = ?, version = "
		     "version + 1"
		     " WHERE id = ?",
		     "ii", (long long)s->person_id, (long long)invitation_id);
	if (rc < 0)
		return rc;
	return history_record(s, log_id, "invitation", invitation_id, "revoked", r.name, NULL);
}

/* --- the holder's lists -------------------------------------------------- */

static const struct db_col list_cols[] = {
	DB_COL(struct invitation, id, DB_I64),		 DB_COL(struct invitation, given_name, DB_STR),
	DB_COL(struct invitation, family_name, DB_STR),	 DB_COL(struct invitation, title, DB_STR),
	DB_COL(struct invitation, organisation, DB_STR), DB_COL(struct invitation, email, DB_STR),
	DB_COL(struct invitation, phone, DB_STR),	 DB_COL(struct invitation, unit_name, DB_STR),
	DB_COL(struct invitation, task, DB_STR),	 DB_COL(struct invitation, created_at, DB_STR),
	DB_COL(struct invitation, expires_at, DB_STR),	 DB_COL(struct invitation, accepted_at, DB_STR),
	DB_COL(struct invitation, revoked_at, DB_STR),	 DB_COL(struct invitation, refused_at, DB_STR),
	DB_COL(struct invitation, state, DB_STR),	 DB_COL(struct invitation, mail_reply, DB_STR),
	DB_COL(struct invitation, version, DB_INT),
};
static const struct db_map list_map = DB_MAP(struct invitation, list_cols);

int invitation_list(int64_t municipality_id, int64_t log_id, struct invitation **out)
{
	return db_select(
		&list_map, out,
		"SELECT i.id, i.given_name, i.family_name, i.title, i.organisation, i.email, i.phone, "
		"u.name, i.task,"
		" DATE_FORMAT(i.created_at, '%Y-%m-%d %H:%i'), DATE_FORMAT(i.expires_at, '%Y-%m-%d %H:%i'),"
		" DATE_FORMAT(i.accepted_at, '%Y-%m-%d %H:%i'), DATE_FORMAT(i.revoked_at, '%Y-%m-%d %H:%i'),"
		" DATE_FORMAT(i.refused_at, '%Y-%m-%d %H:%i'),"
		" CASE WHEN i.accepted_at IS NOT NULL THEN 'accepted' WHEN i.revoked_at IS NOT NULL THEN "
		"'revoked'"
		"  WHEN o.state = 'bounced' THEN 'bounced' WHEN o.state = 'failed' THEN 'failed'"
		"  WHEN i.expires_at <= CURRENT_TIMESTAMP(3) THEN 'expired'"
		"  WHEN o.state = 'sent' THEN 'delivered' ELSE 'sent' END,"
		" CASE WHEN o.state IN ('bounced', 'failed') THEN o.smtp_reply END, i.version"
		" FROM invitation i JOIN unit u ON u.id = i.unit_id LEFT JOIN outbox o ON o.id = i.outbox_id"
		" WHERE i.municipality_id = ? AND i.log_id = ? ORDER BY i.created_at DESC, i.id DESC",
		"ii", (long long)municipality_id, (long long)log_id);
}

const char *invitation_state_label(const char *state)
{
	static const struct i18n_label labels[] = {
		{ "sent", N_("Sent: waiting for the mail server") },
		{ "delivered", N_("Delivered to the mail server: not answered yet") },
		{ "accepted", N_("Accepted") },
		{ "expired", N_("Expired: not answered in time") },
		{ "revoked", N_("Withdrawn") },
		{ "bounced", N_("Came back: the address does not work") },
		{ "failed", N_("Could not be sent: the mail server did not answer") },
		{ NULL },
	};
	return i18n_label(labels, state);
}

static const struct db_col actor_cols[] = {
	DB_COL(struct invitation_actor, id, DB_I64),
	DB_COL(struct invitation_actor, person_id, DB_I64),
	DB_COL(struct invitation_actor, given_name, DB_STR),
	DB_COL(struct invitation_actor, family_name, DB_STR),
	DB_COL(struct invitation_actor, title, DB_STR),
	DB_COL(struct invitation_actor, organisation, DB_STR),
	DB_COL(struct invitation_actor, email, DB_STR),
	DB_COL(struct invitation_actor, phone, DB_STR),
	DB_COL(struct invitation_actor, unit_name, DB_STR),
	DB_COL(struct invitation_actor, task, DB_STR),
	DB_COL(struct invitation_actor, since, DB_STR),
	DB_COL(struct invitation_actor, removed_at, DB_STR),
	DB_COL(struct invitation_actor, version, DB_INT),
};
static const struct db_map actor_map = DB_MAP(struct invitation_actor, actor_cols);

int invitation_actors(int64_t municipality_id, int64_t log_id, struct invitation_actor **out)
{
	return db_select(
		&actor_map, out,
		"SELECT a.id, a.person_id, COALESCE(i.given_name, p.given_name), COALESCE(i.family_name, "
		"p.family_name),"
		" COALESCE(i.title, p.title), i.organisation, COALESCE(i.email, p.email), COALESCE(i.phone, "
		"p.phone),"
		" u.name, a.task, DATE_FORMAT(a.created_at, '%Y-%m-%d %H:%i'),"
		" DATE_FORMAT(a.removed_at, '%Y-%m-%d %H:%i'), a.version"
		" FROM log_actor a JOIN person p ON p.id = a.person_id JOIN unit u ON u.id = a.unit_id"
		" JOIN log l ON l.id = a.log_id LEFT JOIN invitation i ON i.id = a.invitation_id"
		" WHERE a.municipality_id = ? AND a.log_id = ?"
		" AND NOT (a.person_id = l.holder_person_id AND a.unit_id = l.unit_id)"
		" ORDER BY a.removed_at IS NOT NULL, u.name, 3, 4, a.id",
		"ii", (long long)municipality_id, (long long)log_id);
}

struct remove_row {
	char *name;
	int version;
	bool removed;
};
static const struct db_col remove_cols[] = {
	DB_COL(struct remove_row, name, DB_STR),
	DB_COL(struct remove_row, version, DB_INT),
	DB_COL(struct remove_row, removed, DB_BOOL),
};
static const struct db_map remove_map = DB_MAP(struct remove_row, remove_cols);

int invitation_remove_actor(const struct session *s, int64_t log_id, int64_t actor_id, int version,
			    const char *reason, enum actor_outcome *o)
{
	struct remove_row r;
	int rc = db_select_one(
		&remove_map, &r,
		"SELECT CONCAT(p.given_name, ' ', p.family_name), a.version, a.removed_at IS NOT NULL"
		" FROM log_actor a JOIN person p ON p.id = a.person_id JOIN log l ON l.id = a.log_id"
		" WHERE a.municipality_id = ? AND a.log_id = ? AND a.id = ?"
		" AND NOT (a.person_id = l.holder_person_id AND a.unit_id = l.unit_id) FOR UPDATE",
		"iii", (long long)s->municipality_id, (long long)log_id, (long long)actor_id);
	if (rc <= 0 || r.removed) {
		*o = ACTOR_NOT_FOUND;
		return rc < 0 ? rc : 0;
	}
	if (r.version != version) {
		*o = ACTOR_STALE;
		return 0;
	}
	rc = db_exec("UPDATE log_actor SET removed_at = CURRENT_TIMESTAMP(3), removed_by = ?, version = "
		     "version + 1"
		     " WHERE id = ?",
		     "ii", (long long)s->person_id, (long long)actor_id);
	if (rc < 0)
		return rc;
	*o = ACTOR_REMOVED;
	if ((rc = history_record(s, log_id, "actor", actor_id, "actor", r.name, NULL)) < 0)
		return rc;
	return history_record(s, log_id, "actor", actor_id, "removal_reason", NULL, reason);
}

/* --- the invited person's side ------------------------------------------- */

struct link_row {
	int64_t id;
	int64_t municipality_id;
	int64_t log_id;
	int64_t person_id;
	char *slug;
	char *municipality_name;
	char *inviter_name;
	char *expires_at;
	bool replaced;
	bool accepted;
	bool revoked;
	bool expired;
	bool closed;
};
static const struct db_col link_cols[] = {
	DB_COL(struct link_row, id, DB_I64),	       DB_COL(struct link_row, municipality_id, DB_I64),
	DB_COL(struct link_row, log_id, DB_I64),       DB_COL(struct link_row, person_id, DB_I64),
	DB_COL(struct link_row, slug, DB_STR),	       DB_COL(struct link_row, municipality_name, DB_STR),
	DB_COL(struct link_row, inviter_name, DB_STR), DB_COL(struct link_row, expires_at, DB_STR),
	DB_COL(struct link_row, replaced, DB_BOOL),    DB_COL(struct link_row, accepted, DB_BOOL),
	DB_COL(struct link_row, revoked, DB_BOOL),     DB_COL(struct link_row, expired, DB_BOOL),
	DB_COL(struct link_row, closed, DB_BOOL),
};
static const struct db_map link_map = DB_MAP(struct link_row, link_cols);

/* clang-format off */
#define LINK_COLUMNS \
	"SELECT i.id, i.municipality_id, i.log_id, i.person_id, m.slug, m.name," \
	" CONCAT(p.given_name, ' ', p.family_name), DATE_FORMAT(i.expires_at, '%Y-%m-%d %H:%i')," \
	" t.replaced_at IS NOT NULL, i.accepted_at IS NOT NULL, i.revoked_at IS NOT NULL," \
	" i.expires_at <= CURRENT_TIMESTAMP(3), l.state = 'closed' OR l.withdrawn_at IS NOT NULL" \
	" FROM invitation_token t JOIN invitation i ON i.id = t.invitation_id" \
	" JOIN municipality m ON m.id = i.municipality_id JOIN person p ON p.id = i.invited_by" \
	" JOIN log l ON l.id = i.log_id WHERE t.token_hash = ?"
/* clang-format on */

static bool token_shaped(const char *t)
{
	if (!t || strlen(t) != INVITATION_TOKEN_LEN)
		return false;
	for (const char *p = t; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_'))
			return false;
	return true;
}

int invitation_by_token(const char *token, bool lock, struct invitation_link *out)
{
	*out = (struct invitation_link){ .state = LINK_UNKNOWN };
	if (!token_shaped(token))
		return 0;
	unsigned char hash[32];
	crypto_sha256(token, strlen(token), hash);
	struct link_row r;
	int rc = lock ? db_select_one(&link_map, &r, LINK_COLUMNS " FOR UPDATE", "b", hash, sizeof hash)
		      : db_select_one(&link_map, &r, LINK_COLUMNS, "b", hash, sizeof hash);
	if (rc <= 0)
		return rc;
	*out = (struct invitation_link){
		.state = r.accepted  ? LINK_ACCEPTED
			: r.revoked  ? LINK_REVOKED
			: r.replaced ? LINK_REPLACED
			: r.closed   ? LINK_CLOSED
			: r.expired  ? LINK_EXPIRED
				     : LINK_VALID,
		.id = r.id,
		.municipality_id = r.municipality_id,
		.log_id = r.log_id,
		.person_id = r.person_id,
		.municipality_slug = r.slug,
		.municipality_name = r.municipality_name,
		.inviter_name = r.inviter_name,
		.expires_at = r.expires_at,
	};
	return 0;
}

struct accept_row {
	int64_t unit_id;
	char *task;
	char *name;
	bool covered;
	int64_t actor_id; /* a row for (person, unit) from before, removed or not */
};
static const struct db_col accept_cols[] = {
	DB_COL(struct accept_row, unit_id, DB_I64),  DB_COL(struct accept_row, task, DB_STR),
	DB_COL(struct accept_row, name, DB_STR),     DB_COL(struct accept_row, covered, DB_BOOL),
	DB_COL(struct accept_row, actor_id, DB_I64),
};
static const struct db_map accept_map = DB_MAP(struct accept_row, accept_cols);

int invitation_accept(const struct session *s, const struct invitation_link *l, enum accept_outcome *o)
{
	*o = ACCEPT_NOT_VALID;
	if (l->state != LINK_VALID || l->municipality_id != s->municipality_id ||
	    l->person_id != s->person_id)
		return 0;
	struct accept_row r;
	int rc = db_select_one(
		&accept_map, &r,
		"SELECT i.unit_id, i.task, CONCAT(i.given_name, ' ', i.family_name),"
		" " COVERED("i.log_id",
			    "i.unit_id") ","
					 " (SELECT a.id FROM log_actor a WHERE a.log_id = i.log_id AND "
					 "a.person_id = i.person_id"
					 "  AND a.unit_id = i.unit_id)"
					 " FROM invitation i WHERE i.municipality_id = ? AND i.id = ?",
		"ii", (long long)s->municipality_id, (long long)l->id);
	if (rc <= 0)
		return rc == 0 ? DB_ERROR : rc; /* found and locked by invitation_by_token */
	if (!r.covered) {
		*o = ACCEPT_NOT_COVERED;
		return 0;
	}
	long long m = s->municipality_id, log = l->log_id, inv = l->id;
	if (r.actor_id > 0)
		rc = db_exec("UPDATE log_actor SET removed_at = NULL, removed_by = NULL, task = ?, "
			     "invitation_id = ?,"
			     " version = version + 1 WHERE id = ?",
			     "sii", r.task, inv, (long long)r.actor_id);
	else
		rc = db_exec("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id, task, "
			     "invitation_id)"
			     " VALUES (?, ?, ?, ?, ?, ?)",
			     "iiiisi", m, log, (long long)s->person_id, (long long)r.unit_id, r.task, inv);
	if (rc < 0)
		return rc;
	int64_t actor_id = r.actor_id > 0 ? r.actor_id : db_last_id();
	if ((rc = db_exec("UPDATE invitation SET accepted_at = CURRENT_TIMESTAMP(3), version = version + 1"
			  " WHERE id = ?",
			  "i", inv)) < 0 ||
	    (rc = spend_tokens(l->id)) < 0)
		return rc;
	*o = ACCEPT_DONE;
	if ((rc = history_record(s, log, "actor", actor_id, "accepted", NULL, r.name)) < 0)
		return rc;
	return history_record(s, log, "actor", actor_id, "task", NULL, r.task);
}

struct holder_row {
	int64_t holder;
	int64_t inviter;
};
static const struct db_col holder_cols[] = {
	DB_COL(struct holder_row, holder, DB_I64),
	DB_COL(struct holder_row, inviter, DB_I64),
};
static const struct db_map holder_map = DB_MAP(struct holder_row, holder_cols);

int invitation_refused(const struct invitation_link *l)
{
	int rc = db_exec("UPDATE invitation SET refused_at = CURRENT_TIMESTAMP(3) WHERE id = ?", "i",
			 (long long)l->id);
	if (rc < 0)
		return rc;
	struct holder_row h;
	rc = db_select_one(
		&holder_map, &h,
		"SELECT l.holder_person_id, i.invited_by FROM invitation i JOIN log l ON l.id = i.log_id"
		" WHERE i.municipality_id = ? AND i.id = ?",
		"ii", (long long)l->municipality_id, (long long)l->id);
	if (rc <= 0)
		return rc == 0 ? DB_ERROR : rc;
	/* The holder now, who sees the invitation's state on the actors page. */
	enum outbox_notice n;
	return outbox_notify(l->municipality_id, h.holder, l->log_id, "invitation_refused", NULL,
			     arena_printf("/logg/%lld/aktor", (long long)l->log_id), false, NULL, &n);
}
