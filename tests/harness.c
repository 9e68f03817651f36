/*
 * harness.c: starts, talks to and stops the real receiptd for the
 * integration tests (see harness.h). Linux only: it reads /proc and makes
 * the test process a child subreaper so that it can reap orphaned workers.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "harness.h"
#include "banned.h"

#define HARNESS_MAX_FILE (64 * 1024 * 1024)
#define HARNESS_CONNECT_TIMEOUT_MS 2000L
#define HARNESS_REQUEST_TIMEOUT_MS 10000L
#define HARNESS_PROBE_TIMEOUT_MS 1000L
#define HARNESS_POLL_MS 50
#define HARNESS_LOG_TAIL 2048
#define HARNESS_MAX_FD 1024

/* Set once a start timed out: the other tests then fail at once instead
 * of each waiting HARNESS_START_TIMEOUT_MS for the same hung binary. */
static int harness_hung;

long long harness_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void harness_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int harness_free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int fd, port = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &alen) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* The test programme: the flat 1 point per EUR the upload tests check
 * (the first tier adds nothing, the punch card matches no item), a tier
 * out of reach, a paid membership tier above it and a catalogue with one reward anyone can afford and one
 * nobody can; an activity, referral points, expiry after 24 months and
 * a coupon for anyone with a receipt in the last 30 days (issued only
 * when a test runs the coupon job). */
static int write_rules(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs("[program]\nversion = " HARNESS_RULES_VERSION "\n"
	      "expiry_months = 24\nreferral_referrer = " HARNESS_REFERRER_POINTS
	      "\nreferral_referee = " HARNESS_REFEREE_POINTS "\n\n"
	      "[rule base]\nkind = base\npoints_per_eur = 1\n\n"
	      "[rule " HARNESS_PUNCHCARD "]\nkind = punchcard\n"
	      "match = *no-such-item*\nevery = 10\n"
	      "reward = " HARNESS_CHEAP_REWARD "\n\n"
	      "[tier " HARNESS_TIER "]\nmin_points = 0\nfactor = 1\n\n"
	      "[tier " HARNESS_NEXT_TIER "]\nmin_points = 1000000\n"
	      "factor = 1.5\n\n"
	      "[tier " HARNESS_MEMBER_TIER "]\nmembership = yes\n"
	      "min_points = 2000000\nfactor = 3\n\n"
	      "[reward " HARNESS_CHEAP_REWARD "]\npoints = 1\n"
	      "text = One point\n\n"
	      "[reward " HARNESS_DEAR_REWARD "]\npoints = 10000000\n"
	      "text = Ten million points\n\n"
	      "[activity " HARNESS_ACTIVITY
	      "]\npoints = " HARNESS_ACTIVITY_POINTS "\ncap_day = 1\n\n"
	      "[coupon " HARNESS_COUPON "]\ndays = 30\nmin_visits = 1\n"
	      "reward = " HARNESS_CHEAP_REWARD "\nvalid_days = 14\n",
	      f);
	return fclose(f) ? -1 : 0;
}

int harness_init(struct harness *h, unsigned long long max_upload_bytes)
{
	const char *tmp = getenv("TMPDIR");
	FILE *f = NULL;
	int n, rc = -1;

	memset(h, 0, sizeof(*h));
	/* Orphaned workers of a killed daemon become ours to reap. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	n = snprintf(h->dir, sizeof(h->dir), "%s/receiptd-test.XXXXXX",
		     tmp && tmp[0] ? tmp : "/tmp");
	if (n < 0 || (size_t)n >= sizeof(h->dir) || !mkdtemp(h->dir)) {
		fprintf(stderr, "harness: mkdtemp %s: %s\n", h->dir,
			strerror(errno));
		h->dir[0] = '\0';
		goto out;
	}
	snprintf(h->data_dir, sizeof(h->data_dir), "%s/data", h->dir);
	snprintf(h->config, sizeof(h->config), "%s/receiptd.conf", h->dir);
	snprintf(h->log, sizeof(h->log), "%s/receiptd.log", h->dir);
	h->port = harness_free_port();
	snprintf(h->url, sizeof(h->url), "http://127.0.0.1:%d", h->port);
	if (h->port <= 0 || mkdir(h->data_dir, 0700) < 0)
		goto out;
	snprintf(h->rules, sizeof(h->rules), "%s/test.rules", h->dir);
	if (write_rules(h->rules))
		goto out;
	f = fopen(h->config, "w");
	if (!f)
		goto out;
	fprintf(f,
		"listen = 127.0.0.1:%d\ndata_dir = %s\nworkers = %d\n"
		"job_timeout = %d\npoints_per_eur = 1\nrules = %s\n"
		"api_key = " HARNESS_APP_KEY " app\n"
		"api_key = " HARNESS_STAFF_KEY " staff\n"
		"api_key = " HARNESS_OPERATOR_KEY " operator\n",
		h->port, h->data_dir, HARNESS_WORKERS, HARNESS_JOB_TIMEOUT_S,
		h->rules);
	if (max_upload_bytes)
		fprintf(f, "max_upload_bytes = %llu\n", max_upload_bytes);
	n = fclose(f);
	f = NULL;
	if (n != 0)
		goto out;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		goto out;
	h->curl = curl_easy_init();
	if (h->curl)
		rc = 0;
	else
		curl_global_cleanup();
out:
	if (f)
		fclose(f);
	if (rc < 0)
		fprintf(stderr, "harness: cannot set up %s\n", h->dir);
	return rc;
}

static void harness_log_tail(const struct harness *h)
{
	char buf[HARNESS_LOG_TAIL + 1];
	size_t n;
	FILE *f = fopen(h->log, "r");

	if (!f)
		return;
	if (fseek(f, -HARNESS_LOG_TAIL, SEEK_END) < 0)
		rewind(f);
	n = fread(buf, 1, HARNESS_LOG_TAIL, f);
	buf[n] = '\0';
	fclose(f);
	if (n)
		fprintf(stderr, "harness: end of %s:\n%s%s", h->log, buf,
			buf[n - 1] == '\n' ? "" : "\n");
}

/* In the child: only plain system calls until exec. */
static void harness_exec(const struct harness *h, const char *bin, char *listen,
			 int verbose)
{
	char *argv[8];
	int fd, i;

	setpgid(0, 0);
	argv[0] = (char *)bin;
	argv[1] = "--config";
	argv[2] = (char *)h->config;
	argv[3] = "--listen";
	argv[4] = listen;
	argv[5] = "--data-dir";
	argv[6] = (char *)h->data_dir;
	argv[7] = NULL;
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		dup2(fd, 0);
	if (!verbose) {
		fd = open(h->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
	}
	/* The daemon must not hold the test's curl sockets. */
	for (i = 3; i < HARNESS_MAX_FD; i++)
		close(i);
	execv(bin, argv);
	_exit(127);
}

/* Reaps every exited child of ours in the daemon's process group. */
static void harness_reap_group(pid_t pgid)
{
	while (waitpid(-pgid, NULL, WNOHANG) > 0)
		;
}

/* Kills and reaps what is left of a dead daemon's process group. */
static void harness_kill_group(pid_t pgid)
{
	if (kill(-pgid, SIGKILL) < 0)
		return;
	while (waitpid(-pgid, NULL, 0) > 0)
		;
}

/* 1 if the daemon exited (reaped, *st set), 0 if it still runs. */
static int harness_exited(struct harness *h, int *st)
{
	pid_t p = waitpid(h->pid, st, WNOHANG);

	return p == h->pid || (p < 0 && errno == ECHILD);
}

int harness_start(struct harness *h)
{
	const char *bin = getenv("RECEIPTD_BIN");
	struct harness_req req = { .path = "/healthz",
				   .timeout_ms = HARNESS_PROBE_TIMEOUT_MS,
				   .quiet = 1 };
	struct harness_resp r;
	char listen[64];
	long long deadline;
	int st = 0, verbose;

	if (!bin || !bin[0])
		bin = "build/receiptd";
	if (harness_hung) {
		fprintf(stderr,
			"harness: %s hung at an earlier start; not "
			"waiting for it again\n",
			bin);
		return -1;
	}
	if (access(bin, X_OK) < 0) {
		fprintf(stderr,
			"harness: %s: %s (build it: make build/receiptd, or "
			"set RECEIPTD_BIN)\n",
			bin, strerror(errno));
		return -1;
	}
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", h->port);
	verbose = getenv("RECEIPTD_TEST_VERBOSE") != NULL;
	fflush(NULL);
	h->pid = fork();
	if (h->pid < 0) {
		h->pid = 0;
		return -1;
	}
	if (h->pid == 0)
		harness_exec(h, bin, listen, verbose);
	setpgid(h->pid, h->pid);
	deadline = harness_now_ms() + HARNESS_START_TIMEOUT_MS;
	while (harness_now_ms() < deadline) {
		if (harness_exited(h, &st)) {
			fprintf(stderr, "harness: %s exited at start (%s %d)\n",
				bin, WIFSIGNALED(st) ? "signal" : "status",
				WIFSIGNALED(st) ? WTERMSIG(st)
						: WEXITSTATUS(st));
			harness_log_tail(h);
			harness_kill_group(h->pid);
			h->pid = 0;
			return -1;
		}
		if (harness_request(h, &req, &r) == 0) {
			st = (int)r.status;
			harness_resp_release(&r);
			if (st == 200)
				return 0;
		}
		harness_sleep_ms(HARNESS_POLL_MS);
	}
	fprintf(stderr,
		"harness: %s: no 200 from GET /healthz on %s in %d ms\n", bin,
		h->url, HARNESS_START_TIMEOUT_MS);
	harness_log_tail(h);
	harness_crash(h);
	harness_hung = 1;
	return -1;
}

int harness_stop(struct harness *h, int *left)
{
	long long deadline = harness_now_ms() + HARNESS_STOP_TIMEOUT_MS;
	pid_t pgid = h->pid;
	int st = 0, rc = -1;

	if (left)
		*left = 0;
	if (!pgid)
		return 0;
	kill(pgid, SIGTERM);
	while (!harness_exited(h, &st) && harness_now_ms() < deadline)
		harness_sleep_ms(10);
	if (harness_now_ms() < deadline) {
		rc = st;
	} else {
		fprintf(stderr, "harness: daemon ignored SIGTERM for %d ms\n",
			HARNESS_STOP_TIMEOUT_MS);
		kill(pgid, SIGKILL);
		waitpid(pgid, NULL, 0);
	}
	h->pid = 0;
	/* Workers should leave with the daemon; give them a moment. */
	deadline = harness_now_ms() + 2000;
	for (;;) {
		harness_reap_group(pgid);
		if (kill(-pgid, 0) < 0 || harness_now_ms() >= deadline)
			break;
		harness_sleep_ms(10);
	}
	if (kill(-pgid, 0) == 0) {
		if (left)
			*left = 1;
		harness_kill_group(pgid);
	}
	return rc;
}

void harness_crash(struct harness *h)
{
	pid_t pgid = h->pid;

	if (pgid) {
		kill(pgid, SIGKILL);
		waitpid(pgid, NULL, 0);
	}
	h->pid = 0;
	if (pgid)
		harness_kill_group(pgid);
}

static int harness_rm(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void harness_release(struct harness *h)
{
	if (h->pid)
		harness_stop(h, NULL);
	if (h->dir[0] && getenv("RECEIPTD_TEST_KEEP"))
		fprintf(stderr, "harness: kept %s\n", h->dir);
	else if (h->dir[0])
		nftw(h->dir, harness_rm, 16, FTW_DEPTH | FTW_PHYS);
	if (h->curl) {
		curl_easy_cleanup(h->curl);
		curl_global_cleanup();
	}
	memset(h, 0, sizeof(*h));
}

static size_t harness_write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct harness_resp *r = arg;
	size_t len = size * n;
	char *d;

	if (len > HARNESS_MAX_RESPONSE - r->len)
		return 0;
	d = realloc(r->body, r->len + len + 1);
	if (!d)
		return 0;
	memcpy(d + r->len, p, len);
	r->body = d;
	r->len += len;
	r->body[r->len] = '\0';
	return len;
}

/* Produces gen_magic then zeros, up to len bytes in all. */
struct harness_gen {
	const char *magic;
	size_t len, pos;
};

static size_t harness_read_cb(char *buf, size_t size, size_t n, void *arg)
{
	struct harness_gen *g = arg;
	size_t want = size * n, mlen = strlen(g->magic), i;

	if (want > g->len - g->pos)
		want = g->len - g->pos;
	for (i = 0; i < want; i++, g->pos++)
		buf[i] = g->pos < mlen ? g->magic[g->pos] : 0;
	return want;
}

static struct curl_slist *harness_add(struct curl_slist *l, const char *name,
				      const char *val)
{
	char line[512];
	struct curl_slist *t;

	snprintf(line, sizeof(line), "%s%s", name, val);
	t = curl_slist_append(l, line);
	if (!t)
		curl_slist_free_all(l);
	return t;
}

static struct curl_slist *harness_headers(const struct harness_req *q)
{
	struct curl_slist *l = curl_slist_append(NULL, "Accept: */*");
	int has_body = q->body || q->gen_magic;

	if (l && q->key)
		l = harness_add(l, "Authorization: Bearer ", q->key);
	/* "Content-Type:" with nothing after it makes curl send none. */
	if (l && has_body)
		l = harness_add(l, "Content-Type:", q->ctype ? q->ctype : "");
	if (l && q->idem_key)
		l = harness_add(l, "Idempotency-Key: ", q->idem_key);
	if (l && q->chunked)
		l = harness_add(l, "Transfer-Encoding: chunked", "");
	return l;
}

int harness_request(struct harness *h, const struct harness_req *q,
		    struct harness_resp *r)
{
	char url[512], err[CURL_ERROR_SIZE] = "";
	struct harness_gen gen = { q->gen_magic, q->len, 0 };
	struct curl_slist *hl = harness_headers(q);
	CURLcode cc;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (!hl)
		goto out;
	snprintf(url, sizeof(url), "%s%s", h->url, q->path);
	curl_easy_reset(h->curl);
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS,
			 HARNESS_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS,
			 q->timeout_ms ? q->timeout_ms
				       : HARNESS_REQUEST_TIMEOUT_MS);
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, harness_write_cb);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hl);
	if (q->body) {
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, q->body);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)q->len);
	} else if (q->gen_magic) {
		curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(h->curl, CURLOPT_READFUNCTION,
				 harness_read_cb);
		curl_easy_setopt(h->curl, CURLOPT_READDATA, &gen);
		if (!q->chunked)
			curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE,
					 (curl_off_t)q->len);
	}
	if (q->method)
		curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, q->method);
	cc = curl_easy_perform(h->curl);
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(h->curl, CURLINFO_SIZE_UPLOAD_T, &r->sent);
	/* A server may answer (413) and close before taking the whole body;
	 * the answer counts even though curl reports the failed send. */
	if (cc != CURLE_OK && r->status == 0) {
		if (!q->quiet)
			fprintf(stderr, "harness: %s %s: %s\n",
				q->method ? q->method : "request", q->path,
				err[0] ? err : curl_easy_strerror(cc));
		goto out;
	}
	if (r->body)
		r->json = json_loadb(r->body, r->len, 0, NULL);
	rc = 0;
out:
	curl_slist_free_all(hl);
	if (rc < 0)
		harness_resp_release(r);
	return rc;
}

void harness_resp_release(struct harness_resp *r)
{
	json_decref(r->json);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

int harness_get(struct harness *h, const char *path, const char *key,
		struct harness_resp *r)
{
	struct harness_req q = { .path = path, .key = key };

	return harness_request(h, &q, r);
}

/* GET for the pollers: no stderr line per refused connection. */
static int harness_get_quiet(struct harness *h, const char *path,
			     const char *key, struct harness_resp *r)
{
	struct harness_req q = { .path = path, .key = key, .quiet = 1 };

	return harness_request(h, &q, r);
}

int harness_read_file(const char *path, char **data, size_t *len)
{
	struct stat st;
	FILE *f = fopen(path, "rb");
	char *d = NULL;
	int rc = -1;

	*data = NULL;
	*len = 0;
	if (!f || fstat(fileno(f), &st) < 0 || st.st_size > HARNESS_MAX_FILE)
		goto out;
	d = malloc((size_t)st.st_size + 1);
	if (!d || fread(d, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		goto out;
	d[st.st_size] = '\0';
	*data = d;
	*len = (size_t)st.st_size;
	d = NULL;
	rc = 0;
out:
	if (rc < 0)
		fprintf(stderr, "harness: cannot read %s\n", path);
	free(d);
	if (f)
		fclose(f);
	return rc;
}

const char *harness_sniff(const void *data, size_t n)
{
	const unsigned char *m = data;

	if (n >= 3 && m[0] == 0xff && m[1] == 0xd8 && m[2] == 0xff)
		return "image/jpeg";
	if (n >= 8 && !memcmp(m, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (n >= 4 && (!memcmp(m, "II*\0", 4) || !memcmp(m, "MM\0*", 4)))
		return "image/tiff";
	if (n >= 12 && !memcmp(m, "RIFF", 4) && !memcmp(m + 8, "WEBP", 4))
		return "image/webp";
	return NULL;
}

int harness_upload(struct harness *h, const char *user, const char *file,
		   const char *idem_key, struct harness_resp *r)
{
	struct harness_req q = { .key = HARNESS_APP_KEY, .idem_key = idem_key };
	char path[256], *data;
	size_t len;
	int rc;

	memset(r, 0, sizeof(*r));
	if (harness_read_file(file, &data, &len) < 0)
		return -1;
	snprintf(path, sizeof(path), "/v1/users/%s/receipts", user);
	q.path = path;
	q.body = data;
	q.len = len;
	q.ctype = harness_sniff(data, len);
	rc = harness_request(h, &q, r);
	free(data);
	return rc;
}

static int harness_is_final(const char *s)
{
	static const char *const final[] = {
		"credited",  "flagged", "rejected",
		"duplicate", "failed",	"reversed"
	};
	size_t i;

	for (i = 0; s && i < sizeof(final) / sizeof(final[0]); i++)
		if (!strcmp(s, final[i]))
			return 1;
	return 0;
}

const char *harness_status(struct harness *h, long long id)
{
	static char status[32];
	struct harness_resp r;
	char path[64];
	const char *s;

	status[0] = '\0';
	snprintf(path, sizeof(path), "/v1/receipts/%lld", id);
	if (harness_get_quiet(h, path, HARNESS_STAFF_KEY, &r) < 0)
		return status;
	s = json_string_value(json_object_get(r.json, "status"));
	if (r.status == 200 && s)
		snprintf(status, sizeof(status), "%s", s);
	harness_resp_release(&r);
	return status;
}

json_t *harness_wait_final(struct harness *h, long long id, int timeout_ms)
{
	long long deadline = harness_now_ms() + timeout_ms;
	struct harness_resp r = { 0 };
	char path[64], last[48] = "(no answer)";
	const char *s;
	json_t *out;
	int st;

	snprintf(path, sizeof(path), "/v1/receipts/%lld", id);
	while (harness_now_ms() < deadline) {
		if (h->pid && harness_exited(h, &st)) {
			harness_kill_group(h->pid);
			h->pid = 0;
			fprintf(stderr,
				"harness: receipt %lld: daemon died "
				"(wait status %d)\n",
				id, st);
			harness_log_tail(h);
			return NULL;
		}
		if (harness_get_quiet(h, path, HARNESS_STAFF_KEY, &r) == 0) {
			s = json_string_value(
				json_object_get(r.json, "status"));
			snprintf(last, sizeof(last), "HTTP %ld %s", r.status,
				 s ? s : "");
			if (r.status == 200 && harness_is_final(s)) {
				out = json_incref(r.json);
				harness_resp_release(&r);
				return out;
			}
			harness_resp_release(&r);
		}
		harness_sleep_ms(HARNESS_POLL_MS);
	}
	fprintf(stderr, "harness: receipt %lld not final after %d ms: %s\n", id,
		timeout_ms, last);
	return NULL;
}

/* Reads field idx (1-based, as in proc(5); idx >= 3) of /proc/pid/stat. */
static int harness_stat_field(pid_t pid, int idx, long long *out)
{
	char path[64], buf[1024], *p, *end;
	size_t n;
	int i;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* comm may hold spaces and parens: fields restart after the last ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	p++;
	for (i = 3; i < idx && *p; i++) {
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
	}
	errno = 0;
	*out = strtoll(p, &end, 10);
	return end == p || errno ? -1 : 0;
}

int harness_children(const struct harness *h, pid_t *pids, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long long ppid;
	char *end;
	long pid;
	int n = 0;

	if (!d || !h->pid)
		goto out;
	while (n < max && (e = readdir(d)) != NULL) {
		pid = strtol(e->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		if (harness_stat_field((pid_t)pid, 4, &ppid) == 0 &&
		    ppid == h->pid)
			pids[n++] = (pid_t)pid;
	}
out:
	if (d)
		closedir(d);
	return n;
}

long long harness_cpu_ticks(pid_t pid)
{
	long long ut, st;

	if (harness_stat_field(pid, 14, &ut) < 0 ||
	    harness_stat_field(pid, 15, &st) < 0)
		return -1;
	return ut + st;
}

const char *harness_fixture(const char *name, char *buf, size_t n)
{
	const char *dir = getenv("RECEIPTD_FIXTURES");

	snprintf(buf, n, "%s/%s", dir && dir[0] ? dir : "fixtures/synth", name);
	return buf;
}

long long harness_truth_total(const char *image)
{
	char path[HARNESS_PATH_LEN];
	const char *dot = strrchr(image, '.');
	json_t *t, *v;
	long long total = -1;

	if (!dot)
		return -1;
	snprintf(path, sizeof(path), "%.*s.json", (int)(dot - image), image);
	t = json_load_file(path, 0, NULL);
	v = json_object_get(t, "total");
	if (json_is_integer(v))
		total = json_integer_value(v);
	json_decref(t);
	return total;
}
