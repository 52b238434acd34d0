/* stafett-import — reads a log's exported JSON document (GET
 * /logg/ID/eksport.json; docs/log-export.schema.json) into a municipality
 * of this installation, in one transaction, and prints the new log's id.
 *   stafett-import SLUG [FILE]     the document from FILE, or standard input
 *   stafett-import --export SLUG ID   print log ID of the municipality as the
 *                                  download gives it (an operator moving logs
 *                                  out, and the round-trip test); audited
 * A document of an unknown format version, or one that fails its own
 * checks, is refused with the reason, and nothing is changed. Uses the
 * application's database account (lib/logimport.c). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "logdoc.h"
#include "logimport.h"

struct id_row {
	int64_t id;
};

/* The document of log ID of municipality SLUG on standard output, its
 * reading in the audit trail like any other. */
static int export_log(const char *slug, const char *id_text)
{
	static const struct db_col cols[] = { DB_COL(struct id_row, id, DB_I64) };
	static const struct db_map map = DB_MAP(struct id_row, cols);
	struct id_row m;
	long long id = strtoll(id_text, NULL, 10);
	if (db_select_one(&map, &m, "SELECT id FROM municipality WHERE slug = ?", "s", slug) != 1) {
		fprintf(stderr, "stafett-import: no municipality %s here\n", slug);
		return 1;
	}
	json_t *doc = NULL;
	struct audit_entry e = { .municipality_id = m.id,
				 .role = "system",
				 .log_id = id,
				 .action = "log.export",
				 .outcome = "ok" };
	int rc = db_begin();
	if (rc >= 0 && (rc = logdoc_build(m.id, id, &doc)) == 1 && (rc = audit_append(&e)) >= 0)
		rc = db_commit();
	else
		db_rollback();
	if (rc < 0 || !doc) {
		fprintf(stderr, "stafett-import: %s\n",
			rc < 0 ? db_error() : "no such log in the municipality");
		json_decref(doc);
		return 1;
	}
	char *text = logdoc_text(doc);
	json_decref(doc);
	if (!text)
		return 1;
	fputs(text, stdout);
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	log_init("stafett-import", false);
	bool export = argc == 4 && strcmp(argv[1], "--export") == 0;
	if (!export && (argc < 2 || argc > 3 || argv[1][0] == '-')) {
		fputs("usage: stafett-import SLUG [FILE]   (the document on standard input without FILE)\n"
		      "       stafett-import --export SLUG ID\n",
		      stderr);
		return 2;
	}
	if (export) {
		if (config_load(NULL) < 0 || crypto_load_keys(config_str("crypto.key_file")) < 0)
			return 1;
		if (db_connect("database") < 0) {
			fprintf(stderr, "stafett-import: cannot connect to the database: %s\n", db_error());
			return 1;
		}
		return export_log(argv[2], argv[3]);
	}
	json_error_t err;
	json_t *doc = argc == 3 && strcmp(argv[2], "-") != 0 ? json_load_file(argv[2], 0, &err)
							     : json_loadf(stdin, 0, &err);
	if (!doc) {
		fprintf(stderr, "stafett-import: not a JSON document: %s (line %d)\n", err.text, err.line);
		return 1;
	}
	if (config_load(NULL) < 0 || crypto_load_keys(config_str("crypto.key_file")) < 0)
		return 1;
	if (db_connect("database") < 0) {
		fprintf(stderr, "stafett-import: cannot connect to the database: %s\n", db_error());
		return 1;
	}
	int64_t id;
	const char *why = NULL;
	int rc = logimport_run(argv[1], doc, &id, &why);
	json_decref(doc);
	if (rc < 0) {
		fprintf(stderr, "stafett-import: refused, nothing changed: %s\n",
			why ? why : "unknown error");
		return 1;
	}
	printf("%lld\n", (long long)id);
	return 0;
}
