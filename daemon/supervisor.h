/*
 * supervisor.h: the single writer. It owns the OCR worker processes, hands
 * them queued receipts from the database, and settles each result through
 * the ledger. A worker that dies or overruns its time limit is killed and
 * respawned; its job is retried, then failed with a reason. The
 * loyalty programme (rules file) lives here and is reloaded on SIGHUP.
 */
#ifndef RD_SUPERVISOR_H
#define RD_SUPERVISOR_H

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "db.h"
#include "ledger.h"

/* First try plus two retries. */
#define SUPERVISOR_MAX_ATTEMPTS 3

struct sup_worker {
	pid_t pid;	 /* 0 when not running */
	int fd;		 /* supervisor's end of the socketpair, -1 if none */
	int64_t job;	 /* receipt id in progress, 0 when idle */
	int attempts;	 /* of that job, including this one */
	long started_ms; /* when the job was sent */
	long spawned_ms; /* for respawn back-off */
};

struct sup_program {
	struct sup_program *prev;
	struct rules rules;
};

struct supervisor {
	struct sup_worker w[CONFIG_MAX_WORKERS];
	int nworkers;
	long job_timeout_ms;
	/* How often the programme's periodic job (expiry, coupons) runs
	 * (config job_interval); also once at start. */
	long job_interval_ms;
	char exe[512]; /* our own binary, re-executed as a worker */
	char lang[64];
	char faded_lang[64];
	struct db *db; /* the supervisor's own connection */
	struct ledger_rules rules;
	struct rules *program; /* NULL: points_per_eur alone */
	/* Every programme loaded, newest first, kept until release: the
	 * HTTP thread may still read one a reload replaced. */
	struct sup_program *programs;
	/* The current programme for the HTTP thread (NULL: none). */
	_Atomic(const struct rules *) current;
	char rules_path[CONFIG_PATH_LEN];
	volatile sig_atomic_t *reload; /* set by SIGHUP; may be NULL */
	int wake_fd;		       /* read end: a byte means "new work" */
	atomic_int up;		       /* workers running, read by /readyz */
	long jobs_ms;		       /* when the periodic job last ran */
};

/*
 * Prepares n workers (not yet started) that will run `exe --worker --lang
 * LANG --faded-lang FADED` with their socket on fd 3. Returns 0 or -1.
 */
int supervisor_init(struct supervisor *s, const struct config *cfg,
		    struct db *db, int wake_fd);

/*
 * Reads the rules file again (SIGHUP). A valid file replaces the programme
 * for the next settlement and request; an invalid one is logged and
 * changes nothing. The replaced programme stays allocated.
 * Returns 0 or -1.
 */
int supervisor_reload(struct supervisor *s);

/*
 * Runs until *stop is set: spawns workers, dispatches jobs, settles
 * results, enforces time limits. Returns 0 on a clean stop.
 */
int supervisor_run(struct supervisor *s, volatile sig_atomic_t *stop);

/* The current programme, for any thread; NULL without a rules file.
 * Valid until supervisor_release(). */
const struct rules *supervisor_program(const struct supervisor *s);

/* Frees every programme loaded. */
void supervisor_release(struct supervisor *s);

/* Stops all workers (close, then SIGKILL after a grace period) and reaps
 * them. In-flight jobs stay `processing` and are recovered at start. */
void supervisor_shutdown(struct supervisor *s);

#endif
