/*
 * test_ledger_random.c: thousands of credits, duplicates, reversals,
 * redemptions, activities, referrals, coupons and expiries in random
 * order, with the clock moving on, on a real SQLite file under the
 * shipped grocery programme. After every step the ledger's invariants
 * are checked with plain SQL. The seed is printed; LEDGER_RANDOM_SEED
 * and LEDGER_RANDOM_STEPS override it and the number of steps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "db.h"
#include "dedup.h"
#include "ledger.h"
#include "ledger_fx.h"
#include "banned.h"

#define DEFAULT_SEED 20261202u
#define DEFAULT_STEPS 3000
#define NUSERS 8     /* customers from the start */
#define MAX_USERS 64 /* and newcomers, brought by referrals */
#define MAX_RECEIPTS 4096

static const char *const activities[] = { "profile_completed", "review_written",
					  "social_share", "no_such_activity" };
static const char *const rewards[] = { "free_coffee", "voucher_5eur" };

/*
 * Each invariant is a count of violations that must be 0. ?1 is the
 * last transaction checked before: what concerns one transaction is
 * checked once, when it is new; balances and sums are checked whole.
 */
static const char *const invariants[] = {
	/* all postings sum to zero, and each transaction's two do */
	"SELECT coalesce(sum(amount), 0) + 0 * ?1 FROM ledger_posting",
	"SELECT count(*) FROM (SELECT txn_id FROM ledger_posting"
	" WHERE txn_id > ?1 GROUP BY txn_id"
	" HAVING sum(amount) <> 0 OR count(*) <> 2)",
	/* no customer balance is negative */
	"SELECT count(*) + 0 * ?1 FROM ledger_balance"
	" WHERE account LIKE 'user:%' AND points < 0",
	/* the cached balance is the sum of the postings */
	"SELECT count(*) + 0 * ?1 FROM ledger_balance b WHERE points IS NOT"
	" (SELECT coalesce(sum(amount), 0) FROM ledger_posting p"
	" WHERE p.account = b.account)",
	"SELECT count(*) FROM ledger_posting p WHERE p.txn_id > ?1 AND NOT"
	" EXISTS (SELECT 1 FROM ledger_balance b WHERE b.account = p.account)",
	/* each receipt is credited at most once, a credit reversed once */
	"SELECT count(*) FROM ledger_txn t WHERE t.id > ?1"
	" AND t.kind = 'credit' AND EXISTS (SELECT 1 FROM ledger_txn o"
	" WHERE o.kind = 'credit' AND o.receipt_id = t.receipt_id"
	" AND o.id <> t.id)",
	"SELECT count(*) FROM ledger_txn t WHERE t.id > ?1"
	" AND t.kind = 'reversal' AND EXISTS (SELECT 1 FROM ledger_txn o"
	" WHERE o.reverses = t.reverses AND o.id <> t.id)",
	/* a credit belongs to a credited receipt */
	"SELECT count(*) FROM ledger_txn t JOIN receipts r"
	" ON r.id = t.receipt_id WHERE t.id > ?1 AND t.kind = 'credit'"
	" AND r.status <> 'credited'",
	/* lines add up to their transaction's customer leg */
	"SELECT count(*) FROM ledger_posting p WHERE p.txn_id > ?1"
	" AND p.account <> 'program' AND EXISTS (SELECT 1 FROM ledger_line l"
	" WHERE l.txn_id = p.txn_id) AND p.amount <> (SELECT sum(points)"
	" FROM ledger_line l WHERE l.txn_id = p.txn_id)",
};

struct sim {
	struct fx *f;
	sqlite3 *check; /* a second, read-only connection */
	unsigned seed;
	int64_t receipt[MAX_RECEIPTS];
	char image[MAX_RECEIPTS][24];
	size_t nreceipts;
	long counts[8];
	int64_t checked; /* the last transaction checked */
	char user[MAX_USERS][16];
	unsigned nusers;
};

static unsigned next(struct sim *s)
{
	/* xorshift32: the sequence must not depend on libc's rand(). */
	s->seed ^= s->seed << 13;
	s->seed ^= s->seed >> 17;
	s->seed ^= s->seed << 5;
	return s->seed;
}

static unsigned pick(struct sim *s, unsigned n)
{
	return next(s) % n;
}

static int64_t raw_max_txn(struct sim *s)
{
	sqlite3_stmt *st = NULL;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(s->check,
					    "SELECT coalesce(max(id), 0)"
					    " FROM ledger_txn",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void check(struct sim *s, long step, const char *what)
{
	for (size_t i = 0; i < sizeof(invariants) / sizeof(*invariants); i++) {
		sqlite3_stmt *st = NULL;
		int64_t v;

		assert_int_equal(sqlite3_prepare_v2(s->check, invariants[i], -1,
						    &st, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_bind_int64(st, 1, s->checked),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (v != 0)
			fail_msg("step %ld (%s): invariant %zu broken (%lld)",
				 step, what, i, (long long)v);
	}
	s->checked = raw_max_txn(s);
}

/* Either a new receipt or, now and then, a copy of an earlier image. */
static void op_credit(struct sim *s)
{
	const char *user = s->user[pick(s, s->nusers)];
	struct ledger_outcome out;
	struct receipt *r;
	char num[24];
	size_t i = s->nreceipts;
	int copy = i > 0 && pick(s, 10) == 0;

	if (i >= MAX_RECEIPTS)
		return;
	if (copy)
		memcpy(s->image[i], s->image[pick(s, (unsigned)i)],
		       sizeof(s->image[i]));
	else
		snprintf(s->image[i], sizeof(s->image[i]), "img-%zu", i);
	s->receipt[i] = upload(s->f, user, s->image[i]);
	snprintf(num, sizeof(num), "n%zu", i);
	r = pick(s, 2) ? coffee_receipt(s->f, 100 + pick(s, 30000), num,
					pick(s, 4))
		       : parsed(s->f,
				pick(s, 20) ? (int64_t)pick(s, 90000)
					    : RECEIPT_UNKNOWN,
				num);
	settle(s->f, s->receipt[i], r, &out);
	if (copy)
		assert_int_equal(out.status, DB_DUPLICATE);
	s->nreceipts++;
	/* Settling again is a replay that changes nothing. */
	if (pick(s, 8) == 0) {
		settle(s->f, s->receipt[i], r, &out);
		assert_int_equal(out.already, 1);
	}
	s->counts[0]++;
}

static void op_reverse(struct sim *s)
{
	struct ledger_reversal rv;
	int rc;

	if (s->nreceipts == 0)
		return;
	rc = ledger_reverse(
		s->f->db, s->receipt[pick(s, (unsigned)s->nreceipts)],
		pick(s, 2) ? "fraud" : "duplicate", &s->f->rules, &rv);
	assert_true(rc == LEDGER_OK || rc == LEDGER_ERR_STATE ||
		    rc == LEDGER_ERR_FUNDS);
	if (rc == LEDGER_OK)
		assert_true(rv.points > 0 && rv.points <= rv.credited);
	s->counts[1]++;
}

static void op_redeem(struct sim *s)
{
	struct ledger_redemption red;
	char key[16];
	int rc;

	snprintf(key, sizeof(key), "k%u", pick(s, 200));
	rc = ledger_redeem(s->f->db, s->user[pick(s, s->nusers)],
			   rewards[pick(s, 2)], key, &s->f->rules, &red);
	assert_true(rc == LEDGER_OK || rc == LEDGER_ERR_FUNDS ||
		    rc == LEDGER_ERR_MISMATCH);
	if (rc == LEDGER_OK)
		assert_true(red.balance >= 0);
	s->counts[2]++;
}

static void op_activity(struct sim *s)
{
	struct ledger_activity a;
	char key[16];
	int rc;

	snprintf(key, sizeof(key), "a%u", pick(s, 300));
	rc = ledger_activity(s->f->db, s->user[pick(s, s->nusers)],
			     activities[pick(s, 4)], key, &s->f->rules, &a);
	assert_true(rc == LEDGER_OK || rc == LEDGER_ERR_CAP ||
		    rc == LEDGER_ERR_NOTFOUND || rc == LEDGER_ERR_MISMATCH);
	s->counts[3]++;
}

/* Mostly a newcomer brought by a customer (paid with the newcomer's
 * first receipt); else any pair, which is often refused. */
static void op_referral(struct sim *s)
{
	const char *by = s->user[pick(s, s->nusers)];
	const char *who = s->user[pick(s, s->nusers)];
	int rc;

	if (s->nusers < MAX_USERS && pick(s, 2)) {
		snprintf(s->user[s->nusers], sizeof(s->user[0]), "n%u",
			 s->nusers);
		who = s->user[s->nusers++];
	}
	rc = ledger_referral(s->f->db, who, by);

	assert_true(rc == LEDGER_OK || rc == LEDGER_ERR_CYCLE ||
		    rc == LEDGER_ERR_EXISTS || rc == LEDGER_ERR_STATE);
	s->counts[4]++;
}

static void op_expire(struct sim *s)
{
	struct ledger_job job, again;

	assert_int_equal(ledger_expire(s->f->db, &s->f->rules, &job),
			 LEDGER_OK);
	assert_int_equal(ledger_expire(s->f->db, &s->f->rules, &again),
			 LEDGER_OK);
	assert_int_equal(again.points, 0); /* idempotent */
	s->counts[5]++;
}

static void op_coupons(struct sim *s)
{
	struct ledger_job job;

	assert_int_equal(ledger_coupons(s->f->db, &s->f->rules, &job),
			 LEDGER_OK);
	s->counts[6]++;
}

static unsigned env_uint(const char *name, unsigned dflt)
{
	const char *v = getenv(name);
	char *end = NULL;
	unsigned long x;

	if (v == NULL || v[0] == '\0')
		return dflt;
	x = strtoul(v, &end, 10);
	return end != NULL && *end == '\0' && x > 0 && x < 0xffffffffUL
		       ? (unsigned)x
		       : dflt;
}

static void test_ledger_random__invariants_hold_after_every_step(void **st)
{
	static struct sim s;
	static const char *const names[] = { "credit",	 "reverse",  "redeem",
					     "activity", "referral", "expire",
					     "coupons" };
	unsigned seed = env_uint("LEDGER_RANDOM_SEED", DEFAULT_SEED);
	unsigned steps = env_uint("LEDGER_RANDOM_STEPS", DEFAULT_STEPS);

	memset(&s, 0, sizeof(s));
	s.f = *st;
	s.seed = seed;
	for (s.nusers = 0; s.nusers < NUSERS; s.nusers++)
		snprintf(s.user[s.nusers], sizeof(s.user[0]), "u%u", s.nusers);
	printf("test_ledger_random: seed %u, %u steps "
	       "(LEDGER_RANDOM_SEED, LEDGER_RANDOM_STEPS)\n",
	       seed, steps);
	grocery(s.f);
	assert_int_equal(sqlite3_open_v2(s.f->path, &s.check,
					 SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	for (long i = 0; i < (long)steps; i++) {
		unsigned op = pick(&s, 100);
		const char *what;

		/* Up to a day and a half between steps: years in all. */
		s.f->rules.now += pick(&s, 129600);
		if (op < 45)
			op_credit(&s), what = names[0];
		else if (op < 55)
			op_reverse(&s), what = names[1];
		else if (op < 75)
			op_redeem(&s), what = names[2];
		else if (op < 88)
			op_activity(&s), what = names[3];
		else if (op < 93)
			op_referral(&s), what = names[4];
		else if (op < 98)
			op_expire(&s), what = names[5];
		else
			op_coupons(&s), what = names[6];
		check(&s, i, what);
	}
	printf("test_ledger_random: %ld credits, %ld reversals, "
	       "%ld redemptions, %ld activities, %ld referrals, "
	       "%ld expiry runs, %ld coupon runs\n",
	       s.counts[0], s.counts[1], s.counts[2], s.counts[3], s.counts[4],
	       s.counts[5], s.counts[6]);
	/* The run must have exercised every kind of posting. */
	assert_true(
		raw_int(s.f, "SELECT count(DISTINCT kind) FROM ledger_txn") ==
		6);
	sqlite3_close(s.check);
}

/*
 * The invariants do not depend on durability, so the file lives in
 * /dev/shm where there is one: fsync there costs nothing, which keeps
 * thousands of commits fast on a busy disk. WAL and the rest are as in
 * production.
 */
static int setup_shm(void **state)
{
	struct fx *f;

	setup(state);
	f = *state;
	if (access("/dev/shm", W_OK) != 0)
		return 0;
	db_close(f->db);
	unlink(f->path);
	rmdir(f->dir);
	snprintf(f->dir, sizeof(f->dir), "/dev/shm/receiptd-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/receiptd.db", f->dir);
	assert_int_equal(db_open(f->path, &f->db), DB_OK);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_ledger_random__invariants_hold_after_every_step,
			setup_shm, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
