/*
 * supervisor.c: worker processes, job dispatch and settlement. Everything
 * here runs in the daemon's main thread, which is the only one that writes
 * decisions and money.
 *
 * Workers are started with fork + exec of our own binary: the HTTP server's
 * threads exist by the time a worker is respawned, and after fork in a
 * threaded process only exec is safe.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "ocr.h"
#include "supervisor.h"
#include "worker.h"
#include "banned.h"

#define WORKER_FD 3
/* A worker sends its whole answer at once; a stalled one is dead. */
#define RECV_TIMEOUT_S 10
/* A worker that dies at start (say, missing language data) is not
 * restarted in a tight loop. */
#define RESPAWN_BACKOFF_MS 1000
#define POLL_MAX_MS 1000

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int supervisor_init(struct supervisor *s, const struct config *cfg,
		    struct db *db, int wake_fd)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	ssize_t n;

	memset(s, 0, sizeof(*s));
	atomic_init(&s->current, NULL);
	s->nworkers =
		cfg->workers ? cfg->workers : (int)(cores > 0 ? cores : 1);
	if (s->nworkers > CONFIG_MAX_WORKERS)
		s->nworkers = CONFIG_MAX_WORKERS;
	s->job_timeout_ms = cfg->job_timeout_s * 1000L;
	s->job_interval_ms = cfg->job_interval_s * 1000L;
	snprintf(s->lang, sizeof(s->lang), "%s", cfg->lang);
	snprintf(s->faded_lang, sizeof(s->faded_lang), "%s", cfg->faded_lang);
	s->db = db;
	s->wake_fd = wake_fd;
	ledger_rules_init(&s->rules);
	s->rules.points_per_eur = cfg->points_per_eur;
	s->rules.review_below = cfg->review_below;
	snprintf(s->rules_path, sizeof(s->rules_path), "%s", cfg->rules_path);
	if (s->rules_path[0] && supervisor_reload(s) != 0)
		return -1;
	n = readlink("/proc/self/exe", s->exe, sizeof(s->exe) - 1);
	if (n <= 0 || (size_t)n >= sizeof(s->exe) - 1)
		return -1;
	s->exe[n] = '\0';
	for (int i = 0; i < s->nworkers; i++)
		s->w[i].fd = -1;
	return 0;
}

int supervisor_reload(struct supervisor *s)
{
	struct sup_program *np = malloc(sizeof(*np));
	struct rules *p = np != NULL ? &np->rules : NULL;
	char err[512];

	if (p == NULL || rules_load(s->rules_path, p, err, sizeof(err))) {
		log_warn("rules not (re)loaded: %s", p ? err : "out of memory");
		free(np);
		return -1;
	}
	np->prev = s->programs;
	s->programs = np;
	s->program = p;
	s->rules.program = p;
	memcpy(s->rules.currency, p->currency, sizeof(p->currency));
	atomic_store(&s->current, p);
	log_info("rules %s: version %s, %zu rules, %zu tiers", s->rules_path,
		 p->version, p->nrules, p->ntiers);
	return 0;
}

const struct rules *supervisor_program(const struct supervisor *s)
{
	return atomic_load(&s->current);
}

void supervisor_release(struct supervisor *s)
{
	atomic_store(&s->current, NULL);
	while (s->programs != NULL) {
		struct sup_program *prev = s->programs->prev;

		free(s->programs);
		s->programs = prev;
	}
	s->program = NULL;
	s->rules.program = NULL;
}

static int spawn(struct supervisor *s, struct sup_worker *w)
{
	char *argv[] = { "receiptd",	 "--worker",	"--lang", s->lang,
			 "--faded-lang", s->faded_lang, NULL };
	struct timeval tv = { RECV_TIMEOUT_S, 0 };
	int sv[2];

	w->spawned_ms = now_ms();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	w->pid = fork();
	if (w->pid < 0) {
		w->pid = 0;
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (w->pid == 0) { /* only async-signal-safe calls until exec */
		if (sv[1] == WORKER_FD)
			fcntl(WORKER_FD, F_SETFD, 0);
		else if (dup2(sv[1], WORKER_FD) < 0)
			_exit(127);
		execv(s->exe, argv);
		_exit(127);
	}
	close(sv[1]);
	setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	w->fd = sv[0];
	w->job = 0;
	s->up++;
	return 0;
}

/* Records a final decision that is not a credit (rejected, failed). */
static void decide(struct supervisor *s, int64_t id, enum db_status st,
		   const char *reason)
{
	char reasons[96];
	struct db_outcome o = { st, 0, reasons, 0 };
	int rc;

	if (st == DB_FAILED) {
		rc = db_queue_fail(s->db, id, reason);
	} else {
		/* reason is one of our fixed identifiers: no escaping needed */
		snprintf(reasons, sizeof(reasons), "[\"%s\"]", reason);
		rc = db_receipt_set_outcome(s->db, id, &o);
	}
	if (rc != DB_OK)
		log_warn("receipt %lld: cannot record %s: %s", (long long)id,
			 db_status_name(st), db_errmsg(s->db));
	else
		log_info("receipt %lld: %s (%s)", (long long)id,
			 db_status_name(st), reason);
}

/* The worker is gone: retry its job or give up on it. */
static void lost_worker(struct supervisor *s, struct sup_worker *w,
			const char *reason)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	w->pid = 0;
	s->up--;
	if (!w->job)
		return;
	if (w->attempts >= SUPERVISOR_MAX_ATTEMPTS)
		decide(s, w->job, DB_FAILED, reason);
	else if (db_queue_requeue(s->db, w->job) != DB_OK)
		log_warn("receipt %lld: requeue failed: %s", (long long)w->job,
			 db_errmsg(s->db));
	else
		log_warn("receipt %lld: %s, retrying (attempt %d of %d)",
			 (long long)w->job, reason, w->attempts,
			 SUPERVISOR_MAX_ATTEMPTS);
	w->job = 0;
}

static void kill_worker(struct supervisor *s, struct sup_worker *w,
			const char *reason)
{
	if (w->pid > 0) {
		kill(w->pid, SIGKILL);
		waitpid(w->pid, NULL, 0);
	}
	lost_worker(s, w, reason);
}

/* Reaps workers that died by themselves (crash, OOM kill, SIGKILL). */
static void reap(struct supervisor *s)
{
	pid_t pid;

	while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
		for (int i = 0; i < s->nworkers; i++)
			if (s->w[i].pid == pid)
				lost_worker(s, &s->w[i], "worker_crashed");
}

/* The day receipt id was uploaded (YYYY-MM-DD into ref, "" if unknown):
 * the parser treats a receipt dated later as misread. */
static const char *upload_date(struct supervisor *s, int64_t id, char ref[11])
{
	static struct db_receipt rec; /* large; one settlement at a time */

	ref[0] = '\0';
	if (db_receipt_get(s->db, id, &rec) == DB_OK) {
		if (strlen(rec.created_at) >= 10)
			snprintf(ref, 11, "%.10s", rec.created_at);
		db_receipt_release(&rec);
	}
	return ref;
}

static void settle(struct supervisor *s, int64_t id, int rc,
		   const struct ocr_result *res)
{
	static struct receipt r; /* large; one settlement at a time */
	struct ledger_outcome out;
	char ref[11];

	if (rc != OCR_OK) {
		decide(s, id, DB_REJECTED, ocr_errcode(rc));
		return;
	}
	if (res->nwords == 0) {
		decide(s, id, DB_REJECTED, "no_text");
		return;
	}
	if (ocr_result_parse_at(res, upload_date(s, id, ref), &r) !=
	    PARSER_OK) {
		decide(s, id, DB_REJECTED, "unparsable_text");
		return;
	}
	rc = ledger_settle(s->db, id, &r, NULL, &s->rules, &out);
	if (rc == LEDGER_ERR_BUSY || rc == LEDGER_ERR_CONFLICT) {
		db_queue_requeue(s->db, id); /* the retry decides */
		return;
	}
	if (rc != LEDGER_OK) {
		/* Retrying cannot help; fail it visibly rather than leave it
		 * processing until the next restart. */
		log_warn("receipt %lld: settle failed (%d): %s", (long long)id,
			 rc, db_errmsg(s->db));
		decide(s, id, DB_FAILED, "settle_failed");
		return;
	}
	log_info("receipt %lld: %s, %lld points%s%s (ocr %ld ms)",
		 (long long)id, db_status_name(out.status),
		 (long long)out.points, out.nreasons ? ", " : "",
		 out.nreasons ? out.reasons[0] : "", res->ocr_ms);
}

static void dispatch(struct supervisor *s)
{
	for (int i = 0; i < s->nworkers; i++) {
		struct sup_worker *w = &s->w[i];
		struct db_job job;

		if (w->pid <= 0 || w->job)
			continue;
		if (db_queue_claim(s->db, &job) != DB_OK)
			return; /* queue empty (or busy: next round) */
		w->job = job.receipt_id;
		w->attempts = job.attempts;
		w->started_ms = now_ms();
		if (ocr_ipc_send_job(w->fd, job.receipt_id, job.image_path))
			kill_worker(s, w, "worker_crashed");
	}
}

static void collect(struct supervisor *s, struct sup_worker *w)
{
	struct ocr_result res;
	int64_t id;
	int rc;

	if (ocr_ipc_recv_result(w->fd, &id, &rc, &res) || id != w->job) {
		kill_worker(s, w, "worker_crashed");
		return;
	}
	w->job = 0;
	settle(s, id, rc, &res);
	ocr_result_release(&res);
}

static void enforce_limits(struct supervisor *s, long now)
{
	for (int i = 0; i < s->nworkers; i++) {
		struct sup_worker *w = &s->w[i];

		if (w->pid > 0 && w->job &&
		    now - w->started_ms > s->job_timeout_ms) {
			log_warn(
				"receipt %lld: OCR over %ld ms, killing worker",
				(long long)w->job, s->job_timeout_ms);
			kill_worker(s, w, "ocr_timeout");
		}
		if (w->pid <= 0 && now - w->spawned_ms >= RESPAWN_BACKOFF_MS &&
		    spawn(s, w) != 0)
			log_warn("cannot start OCR worker: %s",
				 strerror(errno));
	}
}

/* The programme's periodic job: expiry, then coupons. Both are
 * idempotent, so a restart that runs them again early does no harm. */
static void tick(struct supervisor *s, long now)
{
	struct ledger_job job;

	if (s->jobs_ms != 0 && now - s->jobs_ms < s->job_interval_ms)
		return;
	s->jobs_ms = now;
	if (s->program == NULL)
		return;
	s->rules.now = 0;
	if (ledger_expire(s->db, &s->rules, &job) != LEDGER_OK)
		log_warn("expiry job: %s", db_errmsg(s->db));
	else if (job.points > 0)
		log_info("expiry: %lld points of %lld users (earned before %s)",
			 (long long)job.points, (long long)job.users,
			 job.cutoff);
	if (ledger_coupons(s->db, &s->rules, &job) != LEDGER_OK)
		log_warn("coupon job: %s", db_errmsg(s->db));
	else if (job.vouchers > 0)
		log_info("coupons: %lld vouchers to %lld users",
			 (long long)job.vouchers, (long long)job.users);
}

int supervisor_run(struct supervisor *s, volatile sig_atomic_t *stop)
{
	struct pollfd pfd[CONFIG_MAX_WORKERS + 1];

	while (!*stop) {
		char drain[64];
		int n;

		if (s->reload != NULL && *s->reload) {
			*s->reload = 0;
			if (s->rules_path[0])
				supervisor_reload(s);
		}
		reap(s);
		enforce_limits(s, now_ms());
		dispatch(s);
		tick(s, now_ms());
		for (int i = 0; i < s->nworkers; i++) {
			pfd[i].fd = s->w[i].job ? s->w[i].fd : -1;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		pfd[s->nworkers] = (struct pollfd){ s->wake_fd, POLLIN, 0 };
		n = poll(pfd, (nfds_t)s->nworkers + 1, POLL_MAX_MS);
		if (n < 0 && errno != EINTR)
			return -1;
		if (n <= 0)
			continue;
		if (pfd[s->nworkers].revents)
			while (read(s->wake_fd, drain, sizeof(drain)) > 0)
				;
		for (int i = 0; i < s->nworkers; i++)
			if (pfd[i].fd >= 0 && pfd[i].revents)
				collect(s, &s->w[i]);
	}
	return 0;
}

void supervisor_shutdown(struct supervisor *s)
{
	long deadline = now_ms() + 2000;

	for (int i = 0; i < s->nworkers; i++)
		if (s->w[i].fd >= 0) {
			close(s->w[i].fd);
			s->w[i].fd = -1;
		}
	for (int i = 0; i < s->nworkers; i++) {
		struct sup_worker *w = &s->w[i];

		while (w->pid > 0 && now_ms() < deadline &&
		       waitpid(w->pid, NULL, WNOHANG) == 0)
			usleep(20000);
		if (w->pid > 0 && waitpid(w->pid, NULL, WNOHANG) == 0) {
			kill(w->pid, SIGKILL);
			waitpid(w->pid, NULL, 0);
		}
		w->pid = 0;
	}
	s->up = 0;
}
