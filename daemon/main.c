/*
 * main.c: receiptd's entry point. The same binary is the daemon (HTTP
 * thread + supervisor in the main thread) and, with --worker, an OCR
 * worker process started by the supervisor.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "store.h"
#include "supervisor.h"
#include "worker.h"
#include "banned.h"

static volatile sig_atomic_t stop_flag;
static volatile sig_atomic_t reload_flag;
static int wake_wr = -1;

static void on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGHUP)
		reload_flag = 1;
	else
		stop_flag = 1;
	if (wake_wr >= 0 && write(wake_wr, "", 1) < 0) {
		/* the supervisor wakes within a second anyway */
	}
	errno = saved;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: receiptd --config FILE [--listen ADDR:PORT] "
		"[--data-dir DIR] [--workers N]\n"
		"  --config FILE       key = value settings "
		"(etc/receiptd.conf)\n"
		"  --listen ADDR:PORT  HTTP address (default 127.0.0.1:8080)\n"
		"  --data-dir DIR      images and database (default ./var)\n"
		"  --workers N         OCR worker processes (0 = one per "
		"core)\n"
		"Flags override the file. SIGTERM or SIGINT stop the daemon;\n"
		"receipts in progress are picked up again at the next "
		"start.\n");
}

static int worker_main(int argc, char **argv)
{
	struct ocr_config oc;

	ocr_config_init(&oc);
	for (int i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--lang"))
			snprintf(oc.lang, sizeof(oc.lang), "%s", argv[i + 1]);
		if (!strcmp(argv[i], "--faded-lang"))
			snprintf(oc.faded_lang, sizeof(oc.faded_lang), "%s",
				 argv[i + 1]);
	}
	signal(SIGINT, SIG_IGN); /* the supervisor decides when we stop */
	return ocr_worker_run(3, &oc) ? 1 : 0;
}

/* Reads --config first, then lets the other flags override the file. */
static int load_config(int argc, char **argv, struct config *cfg)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "data-dir", required_argument, NULL, 'd' },
		{ "workers", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const keys[] = {
		['l'] = "listen", ['d'] = "data_dir", ['w'] = "workers"
	};
	char err[512];
	const char *file = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		if (c == 'c')
			file = optarg;
		else if (c == 'h')
			return usage(stdout), 1;
		else if (c == '?')
			return usage(stderr), 2;
	}
	if (optind < argc) {
		fprintf(stderr, "receiptd: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	if (file && config_load(cfg, file, err, sizeof(err))) {
		fprintf(stderr, "receiptd: %s\n", err);
		return 2;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		if (c == 'c' || c == 'h')
			continue;
		if (config_set(cfg, keys[c], optarg, err, sizeof(err))) {
			fprintf(stderr, "receiptd: --%s: %s\n",
				c == 'd' ? "data-dir" : keys[c], err);
			return 2;
		}
	}
	if (cfg->nkeys == 0)
		fprintf(stderr, "receiptd: warning: no api_key configured; "
				"every API call will be refused\n");
	return 0;
}

/* The self-pipe that wakes the supervisor: non-blocking on both ends so
 * neither a full pipe nor an empty one can stall a thread. */
static int make_wake_pipe(int fd[2])
{
	if (pipe(fd))
		return -1;
	for (int i = 0; i < 2; i++)
		if (fcntl(fd[i], F_SETFD, FD_CLOEXEC) ||
		    fcntl(fd[i], F_SETFL, O_NONBLOCK))
			return -1;
	return 0;
}

static int run(struct config *cfg)
{
	char dbpath[STORE_PATH_MAX];
	struct db *sup_db = NULL, *http_db = NULL;
	struct http_server *http = NULL;
	static struct supervisor sup;
	int pipefd[2], requeued = 0, rc = 1;

	if (store_init(cfg->data_dir)) {
		fprintf(stderr, "receiptd: data dir %s: %s\n", cfg->data_dir,
			strerror(errno));
		return 1;
	}
	snprintf(dbpath, sizeof(dbpath), "%s/receiptd.db", cfg->data_dir);
	if (db_open(dbpath, &sup_db) != DB_OK ||
	    db_open(dbpath, &http_db) != DB_OK) {
		fprintf(stderr, "receiptd: cannot open database %s\n", dbpath);
		goto out;
	}
	/* Receipts a previous run left half-done are simply done again. */
	if (db_queue_recover(sup_db, SUPERVISOR_MAX_ATTEMPTS, &requeued) !=
	    DB_OK) {
		fprintf(stderr, "receiptd: recovery: %s\n", db_errmsg(sup_db));
		goto out;
	}
	if (make_wake_pipe(pipefd)) {
		perror("receiptd: pipe");
		goto out;
	}
	wake_wr = pipefd[1];
	if (supervisor_init(&sup, cfg, sup_db, pipefd[0])) {
		fprintf(stderr, "receiptd: cannot start (see the log)\n");
		goto out;
	}
	sup.reload = &reload_flag;
	if (http_start(cfg, http_db, pipefd[1], &sup, &http))
		goto out;
	log_info("listening on http://%s:%u, data in %s, %d OCR workers, "
		 "%d receipts recovered",
		 cfg->listen_addr, cfg->listen_port, cfg->data_dir,
		 sup.nworkers, requeued);
	rc = supervisor_run(&sup, &stop_flag) ? 1 : 0;
	log_info("stopping");
out:
	http_stop(http);
	supervisor_shutdown(&sup);
	supervisor_release(&sup);
	db_close(http_db);
	db_close(sup_db);
	return rc;
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct sigaction sa = { 0 };
	int rc;

	ocr_pin_threads(argv);
	if (argc > 1 && !strcmp(argv[1], "--worker"))
		return worker_main(argc, argv);
	config_init(&cfg);
	rc = load_config(argc, argv, &cfg);
	if (rc)
		return rc == 1 ? 0 : rc;
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return run(&cfg);
}
