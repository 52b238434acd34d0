/* view_home.h — "my page" (cgi-bin/home.c) as template values: who I am;
 * the logs I hold, am responsible for a measure in, am a guardian, subject
 * or actor of (lib/mylogs.c: decided by authz, the list's read audited), a
 * guardian's and a young person's own logs in everyday words, those whose
 * consent was withdrawn (and why they are not deleted yet); the measures I
 * am responsible for; the logs offered to me; the units I lead and the
 * administration, each only if authz allows it. */
#ifndef STAFETT_VIEW_HOME_H
#define STAFETT_VIEW_HOME_H

struct session;
struct tv;

/* 0, or a negative db.h code. */
int view_home(const struct session *s, struct tv *data);

#endif
