/* view_purge.c — view_purge.h: a withdrawn log's archive copy as the reason
 * it is still here. The archive's own view (each record's state) is the
 * holder's on the log page; this is the one sentence both the holder and
 * the guardians are given. */
#include "view_purge.h"

#include <string.h>

#include "i18n.h"
#include "logpurge.h"
#include "tmpl.h"

int view_purge_wait(int64_t municipality_id, int64_t log_id, struct tv *out)
{
	struct logpurge_wait w;
	int rc = logpurge_waiting(municipality_id, log_id, &w);
	if (rc < 0)
		return rc;
	const char *why;
	bool failed = false;
	if (!w.state)
		why = _("The copy for the archive has not been made yet.");
	else if (strcmp(w.state, "acknowledged") == 0)
		why = _("The archive has confirmed its copy: the log is deleted shortly.");
	else if (w.last_error && strcmp(w.last_error, "archive-rejected") == 0)
		failed = true,
		why = _("The municipality's archive did not accept the copy, so nothing is deleted."
			" The copy is sent again.");
	else if (w.last_error)
		failed = true,
		why = _("The municipality's archive cannot be reached right now, so nothing is"
			" deleted. Stafett tries again by itself.");
	else if (strcmp(w.state, "delivered") == 0)
		why = _("The copy has been sent to the archive, which has not confirmed it yet.");
	else
		why = _("The copy is waiting to be sent to the archive.");
	struct tv *o = tv_obj();
	tv_set_str(o, "why", why);
	tv_set_bool(o, "failed", failed);
	tv_set(out, "purge", o);
	return 0;
}
