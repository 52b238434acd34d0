/* municipality.h — the tenants of an installation: listing and lookup. */
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

#endif
