/* mylogs.c — "my logs" in three plain statements: the related logs decided
 * by authz (authz_related), their lines (logbook_items), the figures of
 * their open measures with the person's own (measure_figures); then the
 * holder's consent warnings among them, and the list's audit row. */
#include "mylogs.h"

#include "arena.h"
#include "audit.h"
#include "consent.h"
#include "session.h"

int mylogs_load(const struct session *s, int warn_days, struct mylogs *out)
{
	*out = (struct mylogs){ 0 };
	struct authz_entry *rel;
	int nrel = authz_related(s, AUTHZ_READ, MYLOGS_LIMIT, &rel);
	if (nrel < 0)
		return nrel;
	/* The logs the person reads, and those whose readers alone they may
	 * still see (their consent withdrawn): both listed, both audited. */
	size_t cap = (size_t)(nrel > 0 ? nrel : 1);
	int64_t *ids = arena_alloc(sizeof *ids * cap);
	int nids = 0;
	for (int i = 0; i < nrel; i++)
		if (rel[i].az.allow || rel[i].az.may[AUTHZ_READERS])
			ids[nids++] = rel[i].log_id;
	struct logbook_item *items;
	int n = logbook_items(s->municipality_id, ids, nids, &items);
	if (n < 0)
		return n;
	const struct authz **az = arena_alloc(sizeof *az * cap);
	struct logbook_item *read = arena_alloc(sizeof *read * cap);
	out->withdrawn = arena_alloc(sizeof *out->withdrawn * cap);
	int nread = 0;
	for (int i = 0, k = 0; i < n; i++) {
		/* the same logs in the same order, unless one went away meanwhile */
		while (rel[k].log_id != items[i].id)
			k++;
		if (rel[k].az.allow) {
			az[nread] = &rel[k].az;
			ids[nread] = items[i].id;
			read[nread++] = items[i];
		} else {
			out->withdrawn[out->nwithdrawn++] = items[i];
		}
	}
	struct measure_figures *fig = arena_alloc(sizeof *fig * cap);
	out->nmine = measure_figures(s, ids, nread, fig, MYLOGS_MEASURES_LIMIT, &out->mine);
	if (out->nmine < 0)
		return out->nmine;
	out->logs = arena_alloc(sizeof *out->logs * cap);
	out->warnings = arena_alloc(sizeof *out->warnings * cap);
	struct audit_item *audit = arena_alloc(sizeof *audit * (size_t)(n > 0 ? n : 1));
	for (int i = 0; i < nread; i++) {
		const struct logbook_item *l = &read[i];
		struct mylogs_log *m = &out->logs[out->n++];
		*m = (struct mylogs_log){
			.item = *l,
			.az = *az[i],
			.figures = fig[i],
			.consent_expiring =
				consent_renew_soon(l->consent_until, l->consent_days_left, warn_days),
		};
		audit[i] = (struct audit_item){ l->id, authz_role_name(m->az.role) };
		if (m->az.role != AUTHZ_HOLDER ||
		    !consent_warn_holder(l->state, l->withdrawn, l->consent_until, l->consent_days_left,
					 warn_days))
			continue;
		/* Soonest first: an insertion into the few warnings there are. */
		int j = out->nwarnings++;
		for (; j > 0 && out->warnings[j - 1]->item.consent_days_left > l->consent_days_left; j--)
			out->warnings[j] = out->warnings[j - 1];
		out->warnings[j] = m;
	}
	for (int i = 0; i < out->nwithdrawn; i++) {
		int k = 0;
		while (rel[k].log_id != out->withdrawn[i].id)
			k++;
		audit[nread + i] =
			(struct audit_item){ out->withdrawn[i].id, authz_role_name(rel[k].az.role) };
	}
	/* The list is one read of every log on it: one audit row, an item each. */
	return authz_audit_list(s, audit, (size_t)n);
}

const struct mylogs_log *mylogs_find(const struct mylogs *m, int64_t log_id)
{
	for (int i = 0; i < m->n; i++)
		if (m->logs[i].item.id == log_id)
			return &m->logs[i];
	return NULL;
}
