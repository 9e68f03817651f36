/*
 * ledger_jobs.c: the programme's periodic work: points expiring oldest
 * first, and coupons for regulars. Both are safe to run any number of
 * times (a later run at the same clock writes nothing), so the daemon
 * runs them on a timer and operators and tests run them on demand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledger_int.h"
#include "banned.h"

#define DAY_S 86400
/* Users are collected before writing, in slices of this many. */
#define USERS_GROW 256
/* Customers per commit: one fsync per batch, and the write lock is let
 * go between batches so that intake never waits long. */
#define JOB_BATCH 256

struct users {
	char (*id)[DB_USER_ID_MAX + 1];
	size_t n, cap;
};

static int add_user(const char *user_id, int64_t points, void *arg)
{
	struct users *u = arg;

	(void)points;
	if (u->n == u->cap) {
		size_t cap = u->cap + USERS_GROW;
		void *p = realloc(u->id, cap * sizeof(*u->id));

		if (p == NULL)
			return LEDGER_ERR_NOMEM;
		u->id = p;
		u->cap = cap;
	}
	snprintf(u->id[u->n++], sizeof(*u->id), "%s", user_id);
	return 0;
}

/* The customers with at least min_points, read before any write. */
static int list_users(struct db *db, int64_t min_points, struct users *u)
{
	int rc;

	memset(u, 0, sizeof(*u));
	rc = db_ledger_users(db, min_points, add_user, u);
	return rc < 0 && rc >= DB_ERR ? ledger_from_db(rc) : rc;
}

/*
 * Batches the per-customer transactions of a job (each a savepoint
 * inside): call before customer i; the last call, with i == n, commits
 * what is open. On an error everything open is rolled back; the jobs are
 * idempotent, so the next run does that batch again.
 */
static int job_batch(struct db *db, size_t i, size_t n, int rc)
{
	int open = i > 0 && (rc != LEDGER_OK || i % JOB_BATCH == 0 || i == n);

	if (open && rc == LEDGER_OK)
		rc = ledger_from_db(db_commit(db));
	if (open && rc != LEDGER_OK)
		db_rollback(db);
	if (rc == LEDGER_OK && i < n && i % JOB_BATCH == 0)
		rc = ledger_from_db(db_begin(db));
	return rc;
}

static time_t now_of(const struct ledger_rules *rules)
{
	return rules->now ? rules->now : time(NULL);
}

static void stamp_at(time_t t, char out[DB_TIME_LEN])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	if (strftime(out, DB_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

/* One customer's expiry, in its own transaction. *points gets what
 * expired (0: nothing due). */
static int expire_one(struct db *db, const char *user, const char *cutoff,
		      const struct ledger_rules *rules, const char *now,
		      int64_t *points)
{
	char account[DB_ACCOUNT_MAX + 1], key[DB_IDEM_KEY_MAX + 1];
	struct db_line line = { "expiry", 0 };
	struct db_txn t = { .kind = "expiry" };
	struct db_expirable e;
	int64_t balance = 0, due, txn_id;
	int rc;

	*points = 0;
	rc = ledger_account(user, account, sizeof(account));
	if (rc != LEDGER_OK)
		return rc;
	rc = ledger_from_db(db_begin(db));
	if (rc != LEDGER_OK)
		return rc;
	rc = ledger_from_db(db_ledger_expirable(db, account, cutoff, &e));
	if (rc == LEDGER_OK)
		rc = ledger_from_db(db_ledger_balance(db, account, &balance));
	due = e.earned - e.consumed;
	if (due > balance) /* cannot happen; the balance is the bound */
		due = balance;
	if (rc == LEDGER_OK && due > 0) {
		snprintf(key, sizeof(key), "expiry:%s:%s", user, cutoff);
		line.points = -due;
		t.account = account;
		t.points = -due;
		t.rule = "expiry";
		t.idem_key = key;
		t.rules_version = rules->program->version;
		t.created_at = now;
		t.lines = &line;
		t.nlines = 1;
		rc = ledger_from_db(db_ledger_post(db, &t, &txn_id));
	}
	if (rc == LEDGER_OK)
		rc = ledger_from_db(db_commit(db));
	if (rc != LEDGER_OK) {
		db_rollback(db);
		return rc;
	}
	*points = due > 0 ? due : 0;
	return LEDGER_OK;
}

int ledger_expire(struct db *db, const struct ledger_rules *rules,
		  struct ledger_job *out)
{
	const struct rules *p = rules->program;
	struct users u;
	int64_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	ledger_stamp(rules, 0, 0, out->now);
	if (p == NULL || p->expiry_months <= 0)
		return LEDGER_OK;
	ledger_stamp(rules, p->expiry_months, 0, out->cutoff);
	rc = list_users(db, 1, &u);
	for (size_t i = 0; rc == LEDGER_OK && i < u.n; i++) {
		rc = job_batch(db, i, u.n, rc);
		if (rc == LEDGER_OK)
			rc = expire_one(db, u.id[i], out->cutoff, rules,
					out->now, &n);
		if (rc == LEDGER_OK && n > 0) {
			out->users++;
			out->points += n;
		}
	}
	if (u.n > 0)
		rc = job_batch(db, u.n, u.n, rc);
	free(u.id);
	return rc;
}

/* True when the user is in the coupon's segment as of now. */
static int in_segment(struct db *db, const char *user,
		      const struct rules_coupon *c,
		      const struct ledger_rules *rules, int *rc)
{
	char since[DB_TIME_LEN];
	struct ledger_tier_status ts;
	int64_t visits = 0, spend = 0;

	stamp_at(now_of(rules) - (time_t)c->days * DAY_S, since);
	*rc = ledger_from_db(
		db_ledger_visits(db, user, since, &visits, &spend));
	if (*rc != LEDGER_OK || visits < c->min_visits || spend < c->min_spend)
		return 0;
	if (c->tier < 0)
		return 1;
	*rc = ledger_tier(db, user, rules, &ts);
	return *rc == LEDGER_OK && ts.tier >= c->tier;
}

static int issue_coupon(struct db *db, const char *user,
			const struct rules_coupon *c,
			const struct ledger_rules *rules, const char *now,
			int *issued)
{
	time_t t = now_of(rules);
	long long period = (long long)(t / ((time_t)c->period_days * DAY_S));
	struct db_voucher v;
	int rc = LEDGER_ERR_CONFLICT;

	*issued = 0;
	memset(&v, 0, sizeof(v));
	snprintf(v.user_id, sizeof(v.user_id), "%s", user);
	snprintf(v.source, sizeof(v.source), "coupon");
	snprintf(v.rule, sizeof(v.rule), "%s", c->name);
	snprintf(v.reward, sizeof(v.reward), "%s", c->reward);
	snprintf(v.issued_at, sizeof(v.issued_at), "%s", now);
	snprintf(v.idem_key, sizeof(v.idem_key), "coupon:%s:%s:%lld", c->name,
		 user, period);
	if (c->valid_days > 0)
		stamp_at(t + (time_t)c->valid_days * DAY_S, v.expires_at);
	v.value = c->value;
	/* A clash of random codes is retried; the key clash is DB_EXISTS. */
	for (int i = 0; i < 4 && rc == LEDGER_ERR_CONFLICT; i++) {
		rc = ledger_voucher_code(v.code, sizeof(v.code));
		if (rc != LEDGER_OK)
			break;
		rc = db_voucher_add(db, &v);
		if (rc == DB_EXISTS)
			return LEDGER_OK;
		rc = ledger_from_db(rc);
	}
	*issued = rc == LEDGER_OK;
	return rc;
}

int ledger_coupons(struct db *db, const struct ledger_rules *rules,
		   struct ledger_job *out)
{
	const struct rules *p = rules->program;
	struct users u = { 0 };
	int rc = LEDGER_OK;

	memset(out, 0, sizeof(*out));
	ledger_stamp(rules, 0, 0, out->now);
	if (p == NULL || p->ncoupons == 0)
		return LEDGER_OK;
	rc = list_users(db, 0, &u);
	for (size_t i = 0; rc == LEDGER_OK && i < u.n; i++) {
		int64_t before = out->vouchers;

		rc = job_batch(db, i, u.n, rc);
		/* One savepoint per customer: the segment reads and the
		 * vouchers see the same ledger. */
		if (rc == LEDGER_OK)
			rc = ledger_from_db(db_begin(db));
		for (size_t k = 0; rc == LEDGER_OK && k < p->ncoupons; k++) {
			int issued = 0;

			if (in_segment(db, u.id[i], &p->coupon[k], rules, &rc))
				rc = issue_coupon(db, u.id[i], &p->coupon[k],
						  rules, out->now, &issued);
			out->vouchers += issued;
		}
		if (rc == LEDGER_OK)
			rc = ledger_from_db(db_commit(db));
		if (rc != LEDGER_OK)
			db_rollback(db);
		if (out->vouchers > before)
			out->users++;
	}
	if (u.n > 0)
		rc = job_batch(db, u.n, u.n, rc);
	free(u.id);
	return rc;
}
