/* municipality.h — the tenants of an installation: listing and lookup, and
 * the settings its administrator keeps (DOMAIN.md §2, §4, §6, §9). Access is
 * decided by authz.h (AUTHZ_MUNI_ADMIN) before the settings are changed. */
#ifndef STAFETT_MUNICIPALITY_H
#define STAFETT_MUNICIPALITY_H

#include <stdint.h>

struct municipality {
	int64_t id;
	char *slug;
	char *name;
	char *default_lang;
};

/* Active municipalities by name; the count, or a negative db.h code. */
int municipality_list(struct municipality **out);
/* 1 found, 0 unknown or inactive, or a negative db.h code. */
int municipality_by_slug(const char *slug, struct municipality *out);
int municipality_by_id(int64_t id, struct municipality *out);

/* The municipality's OpenID Connect client at ID-porten (or the development
 * provider): the secret is decrypted into the arena. 1 found, 0 none
 * registered, or a negative db.h code. */
struct municipality_oidc {
	char *issuer;
	char *client_id;
	char *secret;
};
int municipality_oidc(int64_t municipality_id, struct municipality_oidc *out);
/* The municipality whose client at ISSUER is CLIENT_ID: 1, 0 none, or < 0. */
int municipality_by_client(const char *issuer, const char *client_id, struct municipality *out);

/* What the municipality decides for itself, with the limits its page and
 * the database both hold it to. */
#define MUNICIPALITY_CONSENT_YEARS_MIN 1
#define MUNICIPALITY_CONSENT_YEARS_MAX 5
#define MUNICIPALITY_RETENTION_MIN 1
#define MUNICIPALITY_RETENTION_MAX 10
#define MUNICIPALITY_EVALUATION_DAYS_MAX 90
struct municipality_settings {
	int consent_age;	  /* 15 or 16: a young person consents for themself from it */
	int consent_valid_years;  /* how long a consent lasts */
	char *default_lang;	  /* nb or nn: the written form a page is in unless the person chooses */
	int retention_years;	  /* a closed log is kept this long (the archive has its copy) */
	int evaluation_warn_days; /* an evaluation counts as due this many days before its date */
	int version;
};
/* The choices of default_lang, NULL-terminated. */
extern const char *const municipality_langs[];

/* The settings of an active municipality: 1, 0 none, or a negative db.h code. */
int municipality_settings(int64_t municipality_id, struct municipality_settings *out);
/* Saves *in if the municipality still has in->version, recording each
 * changed value in the audit trail (action "admin.settings.change", detail "name:
 * old -> new", by the session's person). 1 saved, 0 stale (*current holds
 * what is stored now; nothing written), or < 0. The caller has checked the
 * values against the limits above. */
struct session;
int municipality_save_settings(const struct session *s, const struct municipality_settings *in,
			       struct municipality_settings *current);

#endif
