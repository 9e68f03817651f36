/*
 * bench_ledger.c: ledger credits per second under the full grocery
 * programme (single writer, commits batched), against plain single-row
 * INSERT transactions into the same SQLite file with the same durability
 * (WAL, synchronous=FULL), measured in alternating rounds of one run so
 * that machine load hits both alike. Prints one line per figure and the
 * ratio, and for reference the ledger with one commit per credit; `make
 * bench` runs it.
 *
 * usage: bench_ledger [ROUNDS [CREDITS_PER_ROUND [BATCH]]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "dedup.h"
#include "ledger.h"
#include "rules.h"
#include "banned.h"

#define DEFAULT_ROUNDS 5
#define DEFAULT_PER_ROUND 400
#define DEFAULT_BATCH 64
#define NUSERS 50
#define TARGET 0.8
#define MAX_ROUNDS 100

static const char *const items[] = { "MEIN KAFFEE 500G", "BANANEN",
				     "VOLLMILCH 1L",	 "TOMATEN",
				     "ESPRESSO BOHNEN",	 "BROT",
				     "APFEL ELSTAR",	 "BUTTER" };

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* CPU the batched credits used (ours, not the disk's): what decides
 * the ratio when fsync is fast. */
static double cpu_ledger;

static void die(const char *what, int rc)
{
	fprintf(stderr, "bench_ledger: %s failed (%d)\n", what, rc);
	exit(1);
}

/* A realistic basket: 3-8 items, some matching the programme's rules. */
static void basket(struct receipt *r, unsigned n)
{
	int64_t total = 0;

	receipt_init(r);
	memcpy(r->store, "rewe", sizeof("rewe"));
	memcpy(r->date, "2026-03-16", sizeof("2026-03-16"));
	memcpy(r->time, "10:15", sizeof("10:15"));
	memcpy(r->currency, "EUR", sizeof("EUR"));
	snprintf(r->receipt_number, sizeof(r->receipt_number), "%u", n);
	for (unsigned i = 0; i < 3 + n % 6; i++) {
		int64_t amount =
			99 + (int64_t)((n * 7919u + i * 104729u) % 900);

		if (receipt_add_item(r, items[(n + i) % 8], 1, amount,
				     RECEIPT_UNKNOWN, amount, RECEIPT_ITEM))
			die("receipt_add_item", -1);
		total += amount;
	}
	r->total = total;
}

/* Queues n receipts (intake, not timed) and returns the first id. */
static int64_t queue(struct db *db, unsigned first, unsigned n)
{
	char sha[FRAUD_SHA256_HEX_LEN], img[32], user[16];
	struct db_receipt_new q = { .image_path = "/bench/x.jpg",
				    .content_type = "image/jpeg" };
	int64_t id = 0, first_id = 0;
	int rc = db_begin(db);

	for (unsigned i = 0; rc == DB_OK && i < n; i++) {
		snprintf(img, sizeof(img), "bench-%u", first + i);
		snprintf(user, sizeof(user), "u%u", (first + i) % NUSERS);
		fraud_sha256(img, strlen(img), sha);
		q.user_id = user;
		q.image_sha256 = sha;
		rc = db_receipt_insert(db, &q, &id);
		if (first_id == 0)
			first_id = id;
	}
	if (rc == DB_OK)
		rc = db_commit(db);
	if (rc != DB_OK)
		die("queue", rc);
	return first_id;
}

/* Settles n queued receipts, batch of them per commit. */
static double credit_round(struct db *db, const struct ledger_rules *rules,
			   unsigned first, unsigned n, unsigned batch)
{
	static struct receipt r;
	struct ledger_outcome out;
	int64_t id = queue(db, first, n);
	double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	double t0 = now_s();

	for (unsigned i = 0; i < n; i += batch) {
		int rc = db_begin(db);

		for (unsigned k = i; rc == DB_OK && k < i + batch && k < n;
		     k++) {
			basket(&r, first + k);
			rc = ledger_settle(db, id + k, &r, NULL, rules, &out);
			if (rc == LEDGER_OK && out.status != DB_CREDITED)
				die("credit status", (int)out.status);
		}
		if (rc == DB_OK)
			rc = db_commit(db);
		if (rc != DB_OK)
			die("ledger_settle", rc);
	}
	if (batch > 1)
		cpu_ledger += clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	return now_s() - t0;
}

/* n single-row INSERT transactions (autocommit) on the raw handle. */
static double insert_round(sqlite3 *h, unsigned first, unsigned n)
{
	sqlite3_stmt *st = NULL;
	double t0 = now_s();

	if (sqlite3_prepare_v2(h,
			       "INSERT INTO bench_plain (user_id, points,"
			       " created_at) VALUES (?, ?, strftime("
			       "'%Y-%m-%dT%H:%M:%SZ', 'now'))",
			       -1, &st, NULL) != SQLITE_OK)
		die("prepare", sqlite3_errcode(h));
	for (unsigned i = 0; i < n; i++) {
		char user[16];

		snprintf(user, sizeof(user), "u%u", (first + i) % NUSERS);
		sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, (first + i) % 97);
		if (sqlite3_step(st) != SQLITE_DONE)
			die("insert", sqlite3_errcode(h));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return now_s() - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static unsigned arg(int argc, char **argv, int i, unsigned dflt)
{
	long v = argc > i ? strtol(argv[i], NULL, 10) : 0;

	return v > 0 && v < 1000000 ? (unsigned)v : dflt;
}

int main(int argc, char **argv)
{
	static struct rules prog;
	unsigned rounds = arg(argc, argv, 1, DEFAULT_ROUNDS);

	if (rounds > MAX_ROUNDS)
		rounds = MAX_ROUNDS;
	unsigned per = arg(argc, argv, 2, DEFAULT_PER_ROUND);
	unsigned batch = arg(argc, argv, 3, DEFAULT_BATCH);
	const char *tmp = getenv("TMPDIR");
	char dir[256], path[300], err[320];
	struct ledger_rules rules;
	double t_ledger = 0, t_plain = 0, t_single = 0, ledger_rate, plain_rate;
	struct db *db = NULL;
	sqlite3 *h = NULL;
	double ratio[MAX_ROUNDS];

	snprintf(dir, sizeof(dir), "%s/receiptd-bench-XXXXXX",
		 tmp != NULL && tmp[0] ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		die("mkdtemp", -1);
	snprintf(path, sizeof(path), "%s/bench.db", dir);
	if (rules_load("etc/grocery.rules", &prog, err, sizeof(err))) {
		fprintf(stderr, "bench_ledger: %s\n", err);
		return 1;
	}
	ledger_rules_init(&rules);
	rules.program = &prog;
	rules.now = 1773655200; /* 2026-03-16T10:00:00Z */
	if (db_open(path, &db) != DB_OK)
		die("db_open", -1);
	/* The baseline's connection: same file, same durability. */
	if (sqlite3_open(path, &h) != SQLITE_OK ||
	    sqlite3_exec(h,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "PRAGMA busy_timeout=5000;"
			 "CREATE TABLE bench_plain (id INTEGER PRIMARY KEY,"
			 " user_id TEXT NOT NULL, points INTEGER NOT NULL,"
			 " created_at TEXT NOT NULL)",
			 NULL, NULL, NULL) != SQLITE_OK)
		die("baseline setup", sqlite3_errcode(h));
	for (unsigned i = 0; i < rounds; i++) {
		double tp = insert_round(h, i * per, per);
		double tl = credit_round(db, &rules, i * per, per, batch);

		t_plain += tp;
		t_ledger += tl;
		ratio[i] = tp / tl; /* same count: the rate ratio */
		/* For reference: one commit per credit. */
		t_single +=
			credit_round(db, &rules, (rounds + i) * per, per, 1);
	}
	qsort(ratio, rounds, sizeof(*ratio), cmp_double);
	ledger_rate = rounds * per / t_ledger;
	plain_rate = rounds * per / t_plain;
	printf("ledger: %.0f credits/s (grocery rules, %u per commit, "
	       "WAL, synchronous=FULL)\n",
	       ledger_rate, batch);
	printf("ledger CPU: %.0f us per credit (the bound when fsync is "
	       "fast)\n",
	       cpu_ledger * 1e6 / (rounds * per));
	printf("plain INSERT: %.0f transactions/s (one row each, same file "
	       "and settings)\n",
	       plain_rate);
	printf("ledger, one commit per credit: %.0f credits/s (%.2fx)\n",
	       rounds * per / t_single, rounds * per / t_single / plain_rate);
	printf("per round (fsync speed varies on shared disks): min %.2fx, "
	       "median %.2fx, max %.2fx\n",
	       ratio[0], ratio[rounds / 2], ratio[rounds - 1]);
	printf("ledger vs plain INSERT: %.2fx (target >= %.1fx)%s\n",
	       ledger_rate / plain_rate, TARGET,
	       ledger_rate / plain_rate >= TARGET ? "" : "  BELOW TARGET");
	sqlite3_close(h);
	db_close(db);
	snprintf(err, sizeof(err), "%s-wal", path);
	unlink(err);
	snprintf(err, sizeof(err), "%s-shm", path);
	unlink(err);
	unlink(path);
	rmdir(dir);
	return 0;
}
