/* messages.c — the messages in a log (issue 12): GET /logg/ID/meldinger
 * shows the thread to whoever authz lets read the log (audited as a read,
 * "log.messages.read") and moves the viewer's read marker to the newest
 * message; POST /logg/ID/meldinger writes one (AUTHZ_ENTRY: the holder,
 * actors, guardians and the young person; "log.message.add", once), which
 * queues a notice to every other participant who may read the log (lib/
 * message.c, in the same transaction). Newest first, under the form: the
 * page opens at the top on a phone, where what is new to the reader and the
 * answer to it are, without scrolling through the older ones. Each message
 * says who wrote it and in which relation, when (Oslo time), whether it is
 * new to the reader, and who else has read it. Template: messages.html.
 * Tests: tests/http/test_messages.py. */
#include <string.h>

#include "app.h"
#include "config.h"
#include "i18n.h"
#include "logbook.h"
#include "message.h"
#include "session.h"
#include "view.h"

static const struct form_field message_fields[] = {
	{ .name = "text",
	  .type = FORM_TEXT,
	  .required = true,
	  .max_setting = "log.short_text_max",
	  .label = NC_("thread of a log", "Message"),
	  .missing = N_("Write the message.") },
	{ NULL },
};

/* The author's relation to the log, in words after their name. */
static const char *relation(const struct message *m)
{
	static const struct i18n_label words[] = {
		{ "holder", NC_("a role in the log, in a sentence", "log holder") },
		{ "actor", NC_("a role in the log, in a sentence", "actor") },
		{ "guardian", NC_("a role in the log, in a sentence", "guardian") },
		{ NULL },
	};
	if (!m->relation)
		return "";
	if (strcmp(m->relation, "subject") == 0)
		return strcmp(m->subject_kind, "pregnancy") == 0
			? _("the one the log is about")
			: C_("a role in the log, in a sentence", "the young person");
	const char *w = i18n_label(words, m->relation);
	return m->unit ? arena_printf("%s, %s", w, m->unit) : w;
}

/* "Kari Fjelltun, Live Mo": the others whose marker has reached message m. */
static const char *read_by(const struct message *m, const struct message_reader *rd, int n, int64_t viewer)
{
	const char *out = "";
	for (int i = 0; i < n; i++) {
		if (rd[i].last_id < m->id || rd[i].person_id == m->author_id || rd[i].person_id == viewer)
			continue;
		const char *name = view_name(rd[i].given_name, rd[i].family_name);
		out = *out ? arena_printf("%s, %s", out, name) : name;
	}
	return out;
}

/* The page; f is the form that came back, or NULL. */
static int page(struct req *r, int status, const struct form *f)
{
	const struct session *s = r->session;
	int64_t id = r->id[0], before = 0;
	struct logbook_summary log;
	struct message *m;
	struct message_reader *rd;
	int rc = logbook_summary(s->municipality_id, id, &log), n = 0, nr = 0;
	if (rc <= 0)
		return rc == 0 ? 404 : rc;
	/* Opening the thread is reading it to the newest message. */
	if ((rc = message_mark_read(s, id, &before)) < 0 ||
	    (n = message_list(s->municipality_id, id, MESSAGE_LIST_LIMIT, &m)) < 0 ||
	    (nr = message_readers(s->municipality_id, id, &rd)) < 0)
		return rc < 0 ? rc : n < 0 ? n : nr;
	view_log_heading(r->data, &log);
	struct tv *list = tv_list();
	int fresh = 0;
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		bool mine = m[i].author_id == s->person_id;
		bool is_new = !mine && m[i].id > before;
		fresh += is_new;
		tv_set_int(o, "id", m[i].id);
		tv_set_str(o, "text", m[i].text);
		tv_set_str(o, "at", m[i].at);
		tv_set_str(o, "name", view_name(m[i].given_name, m[i].family_name));
		tv_set_str(o, "relation", relation(&m[i]));
		tv_set_bool(o, "mine", mine);
		tv_set_bool(o, "new", is_new);
		tv_set_str(o, "read_by", read_by(&m[i], rd, nr, s->person_id));
	}
	tv_set(r->data, "messages", list);
	tv_set_int(r->data, "new_count", fresh);
	tv_set_bool(r->data, "one_new", fresh == 1);
	tv_set_bool(r->data, "older", n == MESSAGE_LIST_LIMIT);
	tv_set_int(r->data, "limit", MESSAGE_LIST_LIMIT);
	tv_set_bool(r->data, "may_write", r->az.may[AUTHZ_ENTRY]);
	tv_set_int(r->data, "max", config_int("log.short_text_max"));
	tv_set(r->data, "form", f ? view_form(f) : tv_obj());
	tv_set_str(r->data, "error_anchor_prefix", "message-"); /* the field's id (messages.html) */
	tv_set_str(r->data, "title", C_("thread of a log", "Messages"));
	return resp_page(r, status, "messages");
}

static int show(struct req *r)
{
	return page(r, 200, NULL);
}

static int add(struct req *r)
{
	if (r->in.nerrors == 0) {
		int64_t id;
		int queued;
		int rc = message_add(r->session, r->id[0], req_field(r, "text")->value, &id, &queued);
		if (rc < 0)
			return rc;
		return resp_saved(r, arena_printf("/logg/%lld/meldinger", (long long)r->id[0]), "melding");
	}
	return page(r, 422, &r->in);
}

static const struct route routes[] = {
	{ "GET", "/logg/#/meldinger", show, .login = true, .need = AUTHZ_READ, .audit = "log.messages.read" },
	{ "POST", "/logg/#/meldinger", add, .login = true, .need = AUTHZ_ENTRY, .audit = "log.message.add",
	  .fields = message_fields, .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-messages", routes };
	return app_main(argc, argv, &prog);
}
