/*
 * config.h: receiptd's configuration: a file of `key = value` lines, with
 * command-line flags layered on top. Errors name the file, line and key,
 * because a daemon that refuses to start must say exactly why.
 */
#ifndef RD_CONFIG_H
#define RD_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_KEYS 32
#define CONFIG_KEY_LEN 128
#define CONFIG_PATH_LEN 256
#define CONFIG_MAX_LINE 1024
#define CONFIG_MAX_WORKERS 64
#define CONFIG_MIN_JOB_INTERVAL 1
#define CONFIG_MAX_JOB_INTERVAL (7 * 86400) /* expiry at least weekly */
#define CONFIG_DEFAULT_JOB_INTERVAL 3600
/* review_below_confidence: on 500 faded and harsh phone photos, 11 of
 * the 32 misread totals go to review, and 14 of the 468 read right; on
 * the 47 real receipts, 3. Higher catches more and costs staff more
 * (docs/api.md, "Review of unsure totals"). */
#define CONFIG_DEFAULT_REVIEW_BELOW 50

enum config_role {
	ROLE_NONE = 0,
	ROLE_APP,
	ROLE_STAFF,
	ROLE_OPERATOR,
};

struct config_key {
	char key[CONFIG_KEY_LEN];
	enum config_role role;
};

struct config {
	char listen_addr[64]; /* dotted IPv4 */
	uint16_t listen_port;
	char data_dir[CONFIG_PATH_LEN];
	int workers; /* 0 = one per core */
	char lang[64];
	/* The model darkened pages' date words are read a last time with
	 * (ocr_config.faded_lang): "Latin" by default, "none" for none. */
	char faded_lang[64];
	uint64_t max_upload_bytes;
	int job_timeout_s;
	/* How often the programme's periodic job (expiry, coupons) runs,
	 * in seconds, CONFIG_MIN_JOB_INTERVAL .. CONFIG_MAX_JOB_INTERVAL;
	 * it also runs once at start. */
	int job_interval_s;
	int64_t points_per_eur;
	/* Receipts whose total nothing else printed backs, read with a
	 * confidence under this many per cent, go to review (ledger.h's
	 * review_below); 0 credits them. */
	int review_below;
	char rules_path[CONFIG_PATH_LEN]; /* "" = points_per_eur alone */
	struct config_key keys[CONFIG_MAX_KEYS];
	size_t nkeys;
};

/* Defaults: 127.0.0.1:8080, ./var, workers 0, deu, 15 MiB, job timeout
 * 60 s, job interval 3600 s, 1 point per EUR, review below 50 %. */
void config_init(struct config *c);

/*
 * Reads path into c (on top of what c holds). Returns 0, or -1 with a one
 * line message in err ("FILE:LINE: key 'x': ...") and c partly updated:
 * the caller exits on error, so there is nothing to roll back.
 */
int config_load(struct config *c, const char *path, char *err, size_t errlen);

/* Applies one setting by key name (as from the file or a flag). Returns 0
 * or -1 with the reason in err. */
int config_set(struct config *c, const char *key, const char *value, char *err,
	       size_t errlen);

/* The role of an API key, ROLE_NONE if unknown. Constant time per key so
 * a timing probe learns nothing about key prefixes. */
enum config_role config_role_of(const struct config *c, const char *key);

const char *config_role_name(enum config_role r);

#endif
