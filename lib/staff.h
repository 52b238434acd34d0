/* staff.h — the municipality's units and the people who work in them, created
 * top-down (DOMAIN.md §2 and §8): units and their leaders by the administrator,
 * staff by the leader, who also clears them to create logs; and the flow of a
 * unit's logs for its leader. SQL only; access is decided by authz.h before
 * any of these is called, and every query filters on the municipality. */
#ifndef STAFETT_STAFF_H
#define STAFETT_STAFF_H

#include <stdbool.h>
#include <stdint.h>

struct staff_unit {
	int64_t id;
	char *name;
	char *kind; /* one of staff_unit_kinds */
	bool active;
	char *elsewhere; /* staff_consent_units: another municipality's name, else NULL */
};

/* unit.kind's values, NULL-terminated, in the order a form offers them. */
extern const char *const staff_unit_kinds[];
/* The interface name of a kind ("school" -> "Skole"); "" for an unknown one. */
const char *staff_kind_label(const char *kind);

/* The municipality's units by name; the count, or a negative db.h code. */
int staff_units(int64_t municipality_id, struct staff_unit **out);
/* The services a consent to cooperation may name: the municipality's
 * active units by name, then those of the installation's other active
 * municipalities (elsewhere set), for a child who moves there (a handover
 * between municipalities needs the receiving unit covered). Unit names
 * are not personal data. The count or < 0. */
int staff_consent_units(int64_t municipality_id, struct staff_unit **out);
/* 1 found, 0 none in this municipality, or a negative db.h code. */
int staff_unit(int64_t municipality_id, int64_t unit_id, struct staff_unit *out);
/* The units where the person has ROLE ("leader", "staff"), by name:
 * candidates the caller passes through authz. The count or < 0. */
int staff_units_of(int64_t municipality_id, int64_t person_id, const char *role, struct staff_unit **out);

struct staff_member {
	int64_t role_id; /* staff_role.id */
	int64_t unit_id;
	char *given_name;
	char *family_name;
	char *title; /* may be NULL */
	char *role;  /* "staff" or "leader" */
	bool cleared;
	bool never_logged_in; /* "registered, never logged in" (DOMAIN.md §10) */
	int version;	      /* staff_role.version, for staff_set_cleared */
	char *appointed_by;   /* who registered or appointed them, NULL if not recorded */
	char *cleared_by;     /* who cleared them, NULL if not cleared */
};

/* Everyone with a role in the unit: leaders first, then by family and given
 * name, each with the names, title and contact details they were
 * registered with here (person.h: a person's own record is not rewritten by
 * someone else's registration). The count, or a negative db.h code. */
int staff_of_unit(int64_t municipality_id, int64_t unit_id, struct staff_member **out);
/* The leaders of every unit of the municipality, by unit name; count or < 0. */
int staff_leaders(int64_t municipality_id, struct staff_member **out);

/* A person as a leader or the administrator types them in. */
struct staff_person {
	const char *given_name;
	const char *family_name;
	const char *nin; /* 11 digits, valid (form.h FORM_NIN) */
	const char *title;
	const char *email;
	const char *phone; /* "" or NULL: none */
};

enum staff_outcome {
	STAFF_DONE,
	STAFF_NO_UNIT, /* no such unit in the municipality */
	STAFF_ALREADY, /* the person already has this role in the unit */
	STAFF_SELF,    /* the session's own person: nobody appoints or clears themself */
	STAFF_NO_ROLE, /* no such staff member in the unit */
	STAFF_STALE,   /* the staff member was changed since the version given */
};

struct session;
/* Gives the person with p->nin ROLE ("staff" or "leader") in the unit, as
 * registered by the session's person (appointed_by), with the names, title
 * and contact details as typed kept on the role. The person is found by
 * number or created (person_find_or_create: whatever name is typed, so the
 * answer never tells whether a number is registered, and a found person's
 * own record is left as it is). Nobody appoints themself (SECURITY.md 29).
 * 0 with *outcome STAFF_DONE, STAFF_NO_UNIT, STAFF_ALREADY or STAFF_SELF
 * (nothing written but the look-up's audit row), or a negative db.h code.
 * Call inside the caller's transaction. */
int staff_register(const struct session *s, int64_t unit_id, const char *role, const struct staff_person *p,
		   enum staff_outcome *outcome);

/* Clears a staff member of the unit to create logs (cleared true, recording
 * by_person) or withdraws it, if the staff_role row still has VERSION; the
 * version goes up by one either way. Nobody clears themself. 0 with
 * *outcome STAFF_DONE, STAFF_NO_ROLE, STAFF_SELF or STAFF_STALE (nothing
 * written), or a negative db.h code. */
int staff_set_cleared(int64_t municipality_id, int64_t unit_id, int64_t role_id, int version, bool cleared,
		      int64_t by_person, enum staff_outcome *outcome);

/* A new active unit. 0 with *id set, DB_DUPLICATE if the municipality has a
 * unit of that name, or another negative db.h code. kind must be one of
 * staff_unit_kinds. */
int staff_create_unit(int64_t municipality_id, const char *name, const char *kind, int64_t *id);

/* The flow of a unit's logs (DOMAIN.md §2, §6): what a leader may see, and
 * nothing more: numbers, states, dates and who holds each log (staff of the
 * unit); never the child's or a guardian's name, never a content. */
struct staff_flow {
	int draft, active, passive, closed;
};
struct staff_flow_log {
	int64_t id;
	char *state;
	char *created_at; /* YYYY-MM-DD HH:MM (UTC), as updated_at */
	char *updated_at;
	char *holder_given_name;
	char *holder_family_name;
	int passive_days;      /* since it was made passive; -1: not passive, or not recorded when */
	char *consent_until;   /* YYYY-MM-DD, NULL without a complete establishing consent */
	int consent_days_left; /* consent_until - today; 0 when consent_until is NULL */
	bool withdrawn;	       /* its consent was withdrawn: it waits for the archive */
};
/* The number of the unit's logs in each state. 0, or a negative db.h code. */
int staff_flow_counts(int64_t municipality_id, int64_t unit_id, struct staff_flow *out);
/* The unit's logs, most recently changed first, at most limit; count or < 0. */
int staff_flow_logs(int64_t municipality_id, int64_t unit_id, int limit, struct staff_flow_log **out);

#endif
