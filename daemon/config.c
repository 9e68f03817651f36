/*
 * config.c: parse `key = value` lines (# comments, blank lines) into a
 * struct config. Every value is validated here, once, so the rest of the
 * daemon can trust it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "banned.h"

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->listen_addr, sizeof(c->listen_addr), "127.0.0.1");
	c->listen_port = 8080;
	snprintf(c->data_dir, sizeof(c->data_dir), "./var");
	snprintf(c->lang, sizeof(c->lang), "deu");
	snprintf(c->faded_lang, sizeof(c->faded_lang), "Latin");
	c->max_upload_bytes = 15u * 1024 * 1024;
	c->job_timeout_s = 60;
	c->job_interval_s = CONFIG_DEFAULT_JOB_INTERVAL;
	c->points_per_eur = 1;
	c->review_below = CONFIG_DEFAULT_REVIEW_BELOW;
}

static int parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int copy_str(char *dst, size_t n, const char *src)
{
	return snprintf(dst, n, "%s", src) < (int)n && src[0] ? 0 : -1;
}

static int set_listen(struct config *c, const char *v)
{
	const char *colon = strrchr(v, ':');
	int64_t port;

	if (!colon || colon == v ||
	    (size_t)(colon - v) >= sizeof(c->listen_addr) ||
	    parse_i64(colon + 1, 1, 65535, &port))
		return -1;
	memcpy(c->listen_addr, v, (size_t)(colon - v));
	c->listen_addr[colon - v] = '\0';
	c->listen_port = (uint16_t)port;
	return 0;
}

static enum config_role role_parse(const char *s)
{
	if (!strcmp(s, "app"))
		return ROLE_APP;
	if (!strcmp(s, "staff"))
		return ROLE_STAFF;
	if (!strcmp(s, "operator"))
		return ROLE_OPERATOR;
	return ROLE_NONE;
}

/* "KEY ROLE": keys are printable ASCII without spaces, 8+ characters so
 * that nobody ships "test" as a key. */
static int add_key(struct config *c, const char *v, char *err, size_t errlen)
{
	const char *sp = strchr(v, ' ');
	struct config_key *k;
	size_t n;

	if (!sp) {
		snprintf(err, errlen, "expected 'KEY ROLE'");
		return -1;
	}
	n = (size_t)(sp - v);
	if (n < 8 || n >= CONFIG_KEY_LEN) {
		snprintf(err, errlen, "key must be 8-%d characters",
			 CONFIG_KEY_LEN - 1);
		return -1;
	}
	if (c->nkeys == CONFIG_MAX_KEYS) {
		snprintf(err, errlen, "more than %d keys", CONFIG_MAX_KEYS);
		return -1;
	}
	k = &c->keys[c->nkeys];
	while (*sp == ' ')
		sp++;
	k->role = role_parse(sp);
	if (k->role == ROLE_NONE) {
		snprintf(err, errlen,
			 "unknown role '%s' (app, staff, operator)", sp);
		return -1;
	}
	memcpy(k->key, v, n);
	k->key[n] = '\0';
	c->nkeys++;
	return 0;
}

int config_set(struct config *c, const char *key, const char *value, char *err,
	       size_t errlen)
{
	int64_t v;
	int rc = -1;

	err[0] = '\0';
	if (!strcmp(key, "listen"))
		rc = set_listen(c, value);
	else if (!strcmp(key, "data_dir"))
		rc = copy_str(c->data_dir, sizeof(c->data_dir), value);
	else if (!strcmp(key, "rules"))
		rc = copy_str(c->rules_path, sizeof(c->rules_path), value);
	else if (!strcmp(key, "lang"))
		rc = copy_str(c->lang, sizeof(c->lang), value);
	else if (!strcmp(key, "faded_lang"))
		rc = copy_str(c->faded_lang, sizeof(c->faded_lang), value);
	else if (!strcmp(key, "workers")) {
		rc = parse_i64(value, 0, CONFIG_MAX_WORKERS, &v);
		c->workers = (int)v;
	} else if (!strcmp(key, "max_upload_bytes")) {
		rc = parse_i64(value, 1024, 64LL * 1024 * 1024, &v);
		c->max_upload_bytes = (uint64_t)v;
	} else if (!strcmp(key, "job_timeout")) {
		rc = parse_i64(value, 1, 3600, &v);
		c->job_timeout_s = (int)v;
	} else if (!strcmp(key, "job_interval")) {
		rc = parse_i64(value, CONFIG_MIN_JOB_INTERVAL,
			       CONFIG_MAX_JOB_INTERVAL, &v);
		c->job_interval_s = (int)v;
	} else if (!strcmp(key, "points_per_eur")) {
		rc = parse_i64(value, 0, 1000, &v);
		c->points_per_eur = v;
	} else if (!strcmp(key, "review_below_confidence")) {
		rc = parse_i64(value, 0, 100, &v);
		c->review_below = (int)v;
	} else if (!strcmp(key, "api_key")) {
		return add_key(c, value, err, errlen);
	} else {
		snprintf(err, errlen, "unknown key");
		return -1;
	}
	if (rc)
		snprintf(err, errlen, "bad value '%s'", value);
	return rc;
}

/* Trims leading and trailing white space in place. */
static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	char line[CONFIG_MAX_LINE], why[160];
	FILE *f = fopen(path, "r");
	int lineno = 0, rc = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s, *eq, *key;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path,
				 lineno);
			rc = -1;
			break;
		}
		s = trim(line);
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected 'key = value'",
				 path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		key = trim(s);
		if (config_set(c, key, trim(eq + 1), why, sizeof(why))) {
			snprintf(err, errlen, "%s:%d: key '%s': %s", path,
				 lineno, key, why);
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

enum config_role config_role_of(const struct config *c, const char *key)
{
	size_t n = strlen(key);
	enum config_role role = ROLE_NONE;

	for (size_t i = 0; i < c->nkeys; i++) {
		const char *k = c->keys[i].key;
		size_t kn = strlen(k);
		unsigned diff = (unsigned)(kn ^ n);

		for (size_t j = 0; j < kn; j++)
			diff |= (unsigned char)k[j] ^
				(unsigned char)(j < n ? key[j] : 0);
		if (!diff)
			role = c->keys[i].role;
	}
	return role;
}

const char *config_role_name(enum config_role r)
{
	switch (r) {
	case ROLE_APP:
		return "app";
	case ROLE_STAFF:
		return "staff";
	case ROLE_OPERATOR:
		return "operator";
	case ROLE_NONE:
		break;
	}
	return "none";
}
