/* config.c — the settings table and its ini loader.
 * The table below is the one list of settings; conf/stafett.conf.example
 * documents each, and a unit test checks the two agree. */
#include "config.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "log.h"

struct setting {
	const char *name; /* section.key */
	const char *def;
	char *value; /* xmalloc'd when set from the file */
};

static struct setting settings[] = {
	{ "site.name", "Stafett" },
	{ "site.public_url", "http://127.0.0.1:8080" },
	{ "site.default_lang", "nb" },
	{ "paths.templates", "/usr/share/stafett/templates" },
	{ "paths.locale", "/usr/share/stafett/locale" },
	{ "paths.run", "/run/stafett" },
	{ "paths.var", "/var/lib/stafett" },
	{ "database.socket", "" },
	{ "database.host", "127.0.0.1" },
	{ "database.port", "3306" },
	{ "database.name", "stafett" },
	{ "database.user", "stafett" },
	{ "database.password", "" },
	{ "database.connect_timeout", "2" },
	{ "database.read_timeout", "10" },
	{ "database.write_timeout", "10" },
	{ "database_admin.socket", "" },
	{ "database_admin.host", "" },
	{ "database_admin.port", "0" },
	{ "database_admin.user", "" },
	{ "database_admin.password", "" },
	{ "http.max_body", "65536" },
	{ "http.max_upload", "10485760" },
	{ "log.syslog", "false" },
	{ "crypto.key_file", "/etc/stafett/keys" },
	{ "session.idle_minutes", "15" },
	{ "session.absolute_hours", "8" },
	{ "session.secure_cookie", "true" },
	{ "login.per_address_per_hour", "600" },
	{ "login.per_person_per_hour", "10" },
	{ "login.fresh_minutes", "10" },
	{ "log.text_max", "2000" },
	{ "log.short_text_max", "500" },
	{ "consent.warn_days", "30" },
	{ "accessibility.contact_email", "" },
	{ "accessibility.statement_date", "2026-12-02" },
	{ "mail.from_address", "stafett@kommune.example" },
	{ "mail.from_name", "Stafett" },
	{ "mail.server", "smtp://127.0.0.1:2525" },
	{ "mail.tls", "starttls" },
	{ "mail.username", "" },
	{ "mail.password", "" },
	{ "handover.offer_days", "14" },
	{ "archive.lease_seconds", "300" },
	{ "archive.retry_first_seconds", "60" },
	{ "archive.retry_max_seconds", "3600" },
	{ "mail.invitation_days", "7" },
	{ "mail.notice_interval_minutes", "60" },
	{ "mail.lease_seconds", "120" },
	{ "mail.retry_first_seconds", "30" },
	{ "mail.retry_max_seconds", "3600" },
	{ "mail.give_up_hours", "72" },
	{ "mail.timeout_seconds", "30" },
	{ "server.listen", "127.0.0.1" },
	{ "server.port", "8080" },
	{ "server.apache_port", "8081" },
	{ "server.workers", "2" },
	{ "server.db_port", "3307" },
	{ "server.oidc_port", "9000" },
	{ "server.smtp_port", "2525" },
};

#define NSETTINGS (sizeof settings / sizeof settings[0])

static char *loaded_path;

static struct setting *find(const char *name)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].name, name) == 0)
			return &settings[i];
	return NULL;
}

static int on_entry(void *user, const char *section, const char *key, const char *value)
{
	(void)user;
	char name[128];
	if ((size_t)snprintf(name, sizeof name, "%s.%s", section, key) >= sizeof name)
		return 0;
	/* Renamed settings, still read under their old names. */
	if (strcmp(name, "site.base_url") == 0) {
		log_warn("config: [site] base_url is now called public_url; please rename it");
		snprintf(name, sizeof name, "site.public_url");
	}
	struct setting *s = find(name);
	if (!s) {
		log_error("config: unknown setting %s", name);
		return 0;
	}
	free(s->value);
	s->value = xstrdup(value);
	return 1;
}

int config_load(const char *path)
{
	if (!path)
		path = getenv("STAFETT_CONF");
	if (!path || !*path)
		path = "/etc/stafett/stafett.conf";
	for (size_t i = 0; i < NSETTINGS; i++) {
		free(settings[i].value);
		settings[i].value = NULL;
	}
	free(loaded_path);
	loaded_path = xstrdup(path);
	int rc = ini_parse(path, on_entry, NULL);
	if (rc < 0) {
		log_error("config: cannot read %s", path);
		return -1;
	}
	if (rc > 0) {
		log_error("config: %s: error on line %d", path, rc);
		return -1;
	}
	return 0;
}

const char *config_path(void)
{
	return loaded_path ? loaded_path : "";
}

const char *config_str(const char *name)
{
	struct setting *s = find(name);
	if (!s) {
		log_error("config: no setting named %s", name);
		abort();
	}
	return s->value ? s->value : s->def;
}

long long config_int(const char *name)
{
	return strtoll(config_str(name), NULL, 10);
}

bool config_bool(const char *name)
{
	const char *v = config_str(name);
	return strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "1") == 0 || strcmp(v, "on") == 0;
}

void config_dump(void)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		printf("%s=%s\n", settings[i].name, config_str(settings[i].name));
}
