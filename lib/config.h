/* config.h — settings from an ini file (libinih). Every setting has a default
 * and a line of documentation in conf/stafett.conf.example; an unknown key is
 * an error, so a misspelt setting is never silently ignored. */
#ifndef STAFETT_CONFIG_H
#define STAFETT_CONFIG_H

#include <stdbool.h>

/* Loads PATH, or $STAFETT_CONF, or /etc/stafett/stafett.conf. 0 or -1 (logged). */
int config_load(const char *path);
/* "section.key" → value (never NULL for a known key); aborts on an unknown name,
 * which is a programming error. */
const char *config_str(const char *name);
long long config_int(const char *name);
bool config_bool(const char *name);
/* Prints every known key as "section.key=value" (for tools/stafett-config). */
void config_dump(void);
const char *config_path(void);

#endif
