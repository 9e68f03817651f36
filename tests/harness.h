/*
 * harness.h: runs the real receiptd binary for integration tests: a free
 * port on 127.0.0.1, a temp data dir and config, HTTP over libcurl, and a
 * clean stop. Every wait is bounded, so a missing or hung daemon makes the
 * tests fail with a message instead of hanging.
 */
#ifndef RD_HARNESS_H
#define RD_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

#include <curl/curl.h>
#include <jansson.h>

/* The config's keys; the daemon requires 8+ characters per key. */
#define HARNESS_APP_KEY "dev-app-key"
#define HARNESS_STAFF_KEY "dev-staff-key"
#define HARNESS_OPERATOR_KEY "dev-operator-key"

/* The generated rules file (harness_init): its version and rewards. */
#define HARNESS_RULES_VERSION "test-1"
#define HARNESS_CHEAP_REWARD "sticker" /* 1 point */
#define HARNESS_DEAR_REWARD "yacht"    /* 10,000,000 points */
#define HARNESS_TIER "member"	       /* from 0 points, factor 1 */
#define HARNESS_NEXT_TIER "gold"       /* from 1,000,000 points */
#define HARNESS_MEMBER_TIER "club"     /* membership = yes, factor 3, top */
#define HARNESS_PUNCHCARD "stamps"     /* every 10 items; matches none */
#define HARNESS_ACTIVITY "app_review"  /* once a day */
#define HARNESS_ACTIVITY_POINTS "7"
#define HARNESS_REFERRER_POINTS "20"
#define HARNESS_REFEREE_POINTS "10"
#define HARNESS_COUPON "regulars" /* 1 receipt in 30 days: a sticker */

#define HARNESS_WORKERS 2
#define HARNESS_JOB_TIMEOUT_S 30
#define HARNESS_MAX_RESPONSE (4 * 1024 * 1024)
#define HARNESS_START_TIMEOUT_MS 10000
#define HARNESS_STOP_TIMEOUT_MS 10000
#define HARNESS_FINAL_TIMEOUT_MS 30000
#define HARNESS_MAX_CHILDREN 64
/* The daemon's config takes paths of up to 255 bytes. */
#define HARNESS_PATH_LEN 256
#define HARNESS_DIR_LEN (HARNESS_PATH_LEN - 32)

struct harness {
	char dir[HARNESS_DIR_LEN]; /* temp root: config, log and data/ */
	char data_dir[HARNESS_PATH_LEN];
	char config[HARNESS_PATH_LEN];
	char rules[HARNESS_PATH_LEN];
	char log[HARNESS_PATH_LEN];
	char url[64]; /* http://127.0.0.1:PORT */
	int port;
	pid_t pid; /* daemon, also its process group; 0 when not running */
	CURL *curl;
};

/* One HTTP answer. json is the parsed body, NULL if it was not JSON. */
struct harness_resp {
	long status;
	char *body;
	size_t len;
	json_t *json;
	curl_off_t sent; /* request body bytes curl actually sent */
};

/* A request; NULL or 0 fields are left out. */
struct harness_req {
	const char *method; /* default GET, or POST when there is a body */
	const char *path;
	const char *key; /* sent as "Authorization: Bearer KEY" */
	const char *ctype;
	const char *idem_key;
	const void *body;
	size_t len;
	/* A body of `len` bytes made up by a callback: the magic bytes, then
	 * zeros. Lets a test offer a large body that the server should refuse
	 * without reading; curl only produces what the server takes. */
	const char *gen_magic;
	int chunked;
	long timeout_ms; /* whole request; 0: 10 s */
	int quiet;	 /* no stderr line when no answer came */
};

/*
 * Makes the temp dir (under $TMPDIR or /tmp) and writes a config with the
 * three dev keys, a rules file (HARNESS_RULES_VERSION), HARNESS_WORKERS
 * workers, HARNESS_JOB_TIMEOUT_S and
 * max_upload_bytes (0: the daemon's default). Picks a free port. Returns 0,
 * or -1 with a message on stderr; harness_release() is safe either way.
 */
int harness_init(struct harness *h, unsigned long long max_upload_bytes);

/*
 * Starts $RECEIPTD_BIN (default build/receiptd) with --config, --listen and
 * --data-dir in its own process group, its output in h->log (or on stderr
 * when $RECEIPTD_TEST_VERBOSE is set), and waits for GET /healthz to answer
 * 200 within HARNESS_START_TIMEOUT_MS. Returns 0, or -1 after printing why
 * and the end of the daemon's log, with the daemon stopped.
 */
int harness_start(struct harness *h);

/*
 * Sends SIGTERM and waits HARNESS_STOP_TIMEOUT_MS, then SIGKILLs the
 * daemon; then SIGKILLs whatever is left in its process group. Returns the
 * daemon's wait status for the SIGTERM, or -1 if it had to be killed.
 * *left is set to 1 if processes of the group outlived the daemon.
 */
int harness_stop(struct harness *h, int *left);

/* kill -9 of the daemon alone (a crash); then, like systemd does for a
 * dead service's cgroup, kills the rest of its process group. */
void harness_crash(struct harness *h);

/* Stops the daemon if it runs, removes the temp dir, frees everything. */
void harness_release(struct harness *h);

/* Sends req; returns 0 with *r filled (the caller releases it), or -1 when
 * no HTTP answer came (with a message on stderr unless req->quiet). */
int harness_request(struct harness *h, const struct harness_req *req,
		    struct harness_resp *r);
void harness_resp_release(struct harness_resp *r);

/* GET path with key (may be NULL); same contract as harness_request. */
int harness_get(struct harness *h, const char *path, const char *key,
		struct harness_resp *r);

/* Reads a whole file (at most 64 MiB) into a malloc'd buffer. */
int harness_read_file(const char *path, char **data, size_t *len);

/* The media type of an image from its magic bytes, or NULL. */
const char *harness_sniff(const void *data, size_t len);

/* POSTs the image file for user with the app key and the file's type. */
int harness_upload(struct harness *h, const char *user, const char *file,
		   const char *idem_key, struct harness_resp *r);

/*
 * Polls GET /v1/receipts/ID (staff key) until the status is final
 * (credited, flagged, rejected, duplicate, failed) or timeout_ms passed.
 * Returns the receipt (the caller decrefs it), or NULL on timeout or when
 * the daemon died, with the reason and the last status on stderr.
 */
json_t *harness_wait_final(struct harness *h, long long id, int timeout_ms);

/* The status of receipt id now, or "" if it could not be read; the
 * returned string lives until the next call. */
const char *harness_status(struct harness *h, long long id);

/* Fills pids with the daemon's child processes; returns their number. */
int harness_children(const struct harness *h, pid_t *pids, int max);

/* CPU time (utime + stime, in clock ticks) of pid, or -1. */
long long harness_cpu_ticks(pid_t pid);

/* Path of a fixture under $RECEIPTD_FIXTURES (default fixtures/synth). */
const char *harness_fixture(const char *name, char *buf, size_t n);

/* "total" (cents) of the truth JSON beside an image (NNN.json), or -1. */
long long harness_truth_total(const char *image);

/* Monotonic milliseconds. */
long long harness_now_ms(void);
void harness_sleep_ms(int ms);

#endif
