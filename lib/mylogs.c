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
	int64_t *ids = arena_alloc(sizeof *ids * (size_t)(nrel > 0 ? nrel : 1));
	int nids = 0;
	for (int i = 0; i < nrel; i++)
		if (rel[i].az.allow)
			ids[nids++] = rel[i].log_id;
	struct logbook_item *items;
	int n = logbook_items(s->municipality_id, ids, nids, &items);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		ids[i] = items[i].id; /* the same logs, unless one went away meanwhile */
	size_t size = (size_t)(n > 0 ? n : 1);
	struct measure_figures *fig = arena_alloc(sizeof *fig * size);
	out->nmine = measure_figures(s, ids, n, fig, MYLOGS_MEASURES_LIMIT, &out->mine);
	if (out->nmine < 0)
		return out->nmine;
	out->logs = arena_alloc(sizeof *out->logs * size);
	out->warnings = arena_alloc(sizeof *out->warnings * size);
	struct audit_item *audit = arena_alloc(sizeof *audit * size);
	for (int i = 0, k = 0; i < n; i++) {
		const struct logbook_item *l = &items[i];
		while (rel[k].log_id != l->id)
			k++;
		struct mylogs_log *m = &out->logs[out->n++];
		*m = (struct mylogs_log){
			.item = *l,
			.az = rel[k].az,
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
