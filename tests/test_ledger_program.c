/*
 * test_ledger_program.c: the programme's corrections and extras on a real
 * SQLite file: reversals (exact opposite, written-off shortfall, never a
 * second credit), activities with caps, referrals paid once, FIFO expiry,
 * coupons for regulars and the programme metrics.
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
#include <jansson.h>
#include <sqlite3.h>

#include "db.h"
#include "dedup.h"
#include "ledger.h"
#include "ledger_fx.h"
#include "banned.h"

#define DAY 86400
#define MONTH (30 * DAY)

static int64_t credit(struct fx *f, const char *user, const char *img,
		      int64_t total)
{
	struct ledger_outcome out;
	int64_t id = upload(f, user, img);

	settle(f, id, parsed(f, total, img), &out);
	assert_int_equal(out.status, DB_CREDITED);
	return id;
}

static void assert_sums_to_zero(struct fx *f)
{
	assert_int_equal(raw_int(f, "SELECT coalesce(sum(amount), 0)"
				    " FROM ledger_posting"),
			 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_balance b"
				    " WHERE points <> (SELECT sum(amount)"
				    " FROM ledger_posting p"
				    " WHERE p.account = b.account)"),
			 0);
}

static void test_reverse__posts_opposite_lines_and_counters(void **s)
{
	struct fx *f = *s;
	int64_t id = upload(f, "alice", "rev-1");
	struct ledger_reversal rv, again;
	struct ledger_outcome out;

	grocery(f);
	settle(f, id, coffee_receipt(f, 1050, "1", 3), &out);
	assert_int_equal(out.points, 16);
	assert_int_equal(ledger_reverse(f->db, id, "fraud", &f->rules, &rv),
			 LEDGER_OK);
	assert_int_equal(rv.points, 16);
	assert_int_equal(rv.credited, 16);
	assert_int_equal(rv.shortfall, 0);
	assert_int_equal(rv.balance, 0);
	assert_string_equal(rv.user, "alice");
	assert_int_equal(balance(f, "alice"), 0);
	assert_int_equal(raw_int(f, "SELECT points FROM ledger_line l JOIN"
				    " ledger_txn t ON t.id = l.txn_id WHERE"
				    " t.kind = 'reversal' AND l.rule ="
				    " 'own_coffee'"),
			 -6);
	assert_int_equal(raw_int(f, "SELECT sum(amount) FROM loyalty_event"
				    " WHERE name = 'punch:coffee_card'"),
			 0);
	assert_sums_to_zero(f);
	/* Seen as reversed, while the row still owns its keys. */
	{
		struct db_receipt row;

		assert_int_equal(db_receipt_get(f->db, id, &row), DB_OK);
		assert_int_equal(row.status, DB_REVERSED);
		assert_string_equal(db_status_name(row.status), "reversed");
		db_receipt_release(&row);
	}
	assert_int_equal(raw_int(f, "SELECT count(*) FROM receipts WHERE"
				    " status = 'credited'"),
			 1);
	/* Idempotent, and the receipt is never credited again. */
	assert_int_equal(ledger_reverse(f->db, id, "fraud", &f->rules, &again),
			 LEDGER_OK);
	assert_int_equal(again.already, 1);
	assert_int_equal(again.txn_id, rv.txn_id);
	assert_int_equal(again.points, 16);
	settle(f, id, coffee_receipt(f, 1050, "1", 3), &out);
	assert_int_equal(out.already, 1);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_txn"), 2);
	assert_int_equal(balance(f, "alice"), 0);
}

static void test_reverse__spent_points_leave_a_written_off_shortfall(void **s)
{
	struct fx *f = *s;
	struct ledger_redemption red;
	struct ledger_reversal rv;
	int64_t id;

	grocery(f);
	id = credit(f, "alice", "rich", 100000);
	assert_int_equal(ledger_redeem(f->db, "alice", "free_coffee", "k1",
				       &f->rules, &red),
			 LEDGER_OK);
	assert_int_equal(ledger_reverse(f->db, id, "duplicate", &f->rules, &rv),
			 LEDGER_OK);
	assert_int_equal(rv.points, 850);
	assert_int_equal(rv.shortfall, 150);
	assert_int_equal(balance(f, "alice"), 0);
	assert_int_equal(raw_int(f, "SELECT points FROM ledger_line WHERE"
				    " rule = 'reversal:shortfall'"),
			 150);
	assert_sums_to_zero(f);
}

static int voucher_of(const struct db_voucher *v, void *arg)
{
	memcpy(arg, v, sizeof(*v));
	return 1;
}

static void test_reverse__voids_unused_vouchers_and_counts_used(void **s)
{
	struct fx *f = *s;
	int64_t a = upload(f, "carl", "v-1"), b = upload(f, "dora", "v-2");
	struct ledger_reversal rv, again;
	struct ledger_outcome out;
	struct db_voucher v, w, got;

	grocery(f);
	/* Ten coffees complete a card: one free_coffee voucher each. */
	settle(f, a, coffee_receipt(f, 3000, "1", 10), &out);
	settle(f, b, coffee_receipt(f, 3000, "2", 10), &out);
	assert_int_equal(db_voucher_list(f->db, "carl", voucher_of, &v), 1);
	assert_int_equal(db_voucher_list(f->db, "dora", voucher_of, &w), 1);
	assert_string_equal(v.source, "punchcard");
	assert_string_equal(v.voided_at, "");
	/* dora used hers at the till before staff reversed the credit */
	assert_int_equal(db_voucher_use(f->db, w.code, "staff", NULL), DB_OK);

	assert_int_equal(ledger_reverse(f->db, a, "fraud", &f->rules, &rv),
			 LEDGER_OK);
	assert_int_equal(rv.vouchers_voided, 1);
	assert_int_equal(rv.vouchers_used, 0);
	assert_int_equal(db_voucher_get(f->db, v.code, 0, &got), DB_OK);
	assert_string_equal(got.voided_at, rv.created_at);
	assert_int_equal(db_voucher_use(f->db, v.code, "staff", NULL),
			 DB_INVALID);
	assert_int_equal(db_voucher_get(f->db, v.code, 0, &got), DB_OK);
	assert_string_equal(got.used_at, "");
	assert_int_equal(ledger_reverse(f->db, a, "fraud", &f->rules, &again),
			 LEDGER_OK);
	assert_int_equal(again.already, 1);
	assert_int_equal(again.vouchers_voided, 1);

	assert_int_equal(ledger_reverse(f->db, b, "fraud", &f->rules, &rv),
			 LEDGER_OK);
	assert_int_equal(rv.vouchers_voided, 0);
	assert_int_equal(rv.vouchers_used, 1);
	assert_int_equal(db_voucher_get(f->db, w.code, 0, &got), DB_OK);
	assert_string_equal(got.voided_at, "");
	/* The schema refuses a void of a used voucher and a use of a void
	 * one, whatever the code does. */
	assert_int_not_equal(raw_exec(f, "INSERT INTO voucher_void VALUES"
					 " ((SELECT code FROM voucher WHERE"
					 " user_id = 'dora'), 1, 'x')"),
			     SQLITE_OK);
	assert_int_not_equal(raw_exec(f, "UPDATE voucher SET used_at = 'x',"
					 " used_by = 'y' WHERE user_id ="
					 " 'carl'"),
			     SQLITE_OK);
	assert_sums_to_zero(f);
}

static void test_reverse__refuses_uncredited_unknown_and_bad_reason(void **s)
{
	struct fx *f = *s;
	struct ledger_reversal rv;
	struct ledger_redemption red;
	struct ledger_outcome out;
	int64_t flagged = upload(f, "bob", "flag");
	int64_t id;

	grocery(f);
	settle(f, flagged, parsed(f, RECEIPT_UNKNOWN, "x"), &out);
	assert_int_equal(out.status, DB_FLAGGED);
	assert_int_equal(
		ledger_reverse(f->db, flagged, "fraud", &f->rules, &rv),
		LEDGER_ERR_STATE);
	assert_int_equal(ledger_reverse(f->db, 999, "fraud", &f->rules, &rv),
			 LEDGER_ERR_NOTFOUND);
	id = credit(f, "bob", "b-1", 15000);
	assert_int_equal(ledger_reverse(f->db, id, "Fraud!", &f->rules, &rv),
			 LEDGER_ERR_INVALID);
	/* Every point spent: nothing to take back, nothing written. */
	assert_int_equal(ledger_redeem(f->db, "bob", "free_coffee", "k",
				       &f->rules, &red),
			 LEDGER_OK);
	assert_int_equal(balance(f, "bob"), 0);
	assert_int_equal(ledger_reverse(f->db, id, "fraud", &f->rules, &rv),
			 LEDGER_ERR_FUNDS);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_txn WHERE"
				    " kind = 'reversal'"),
			 0);
}

static void test_activity__pays_replays_and_caps(void **s)
{
	struct fx *f = *s;
	struct ledger_activity a, b;

	grocery(f);
	assert_int_equal(ledger_activity(f->db, "ann", "profile_completed",
					 "p1", &f->rules, &a),
			 LEDGER_OK);
	assert_int_equal(a.points, 50);
	assert_int_equal(a.balance, 50);
	assert_int_equal(ledger_activity(f->db, "ann", "profile_completed",
					 "p1", &f->rules, &b),
			 LEDGER_OK);
	assert_int_equal(b.already, 1);
	assert_int_equal(b.txn_id, a.txn_id);
	assert_int_equal(b.balance, 50);
	assert_int_equal(ledger_activity(f->db, "ann", "profile_completed",
					 "p2", &f->rules, &b),
			 LEDGER_ERR_CAP); /* cap_total = 1 */
	assert_int_equal(ledger_activity(f->db, "ann", "review_written", "p1",
					 &f->rules, &b),
			 LEDGER_ERR_MISMATCH);
	assert_int_equal(ledger_activity(f->db, "ann", "review_written", "r1",
					 &f->rules, &b),
			 LEDGER_OK);
	assert_int_equal(ledger_activity(f->db, "ann", "review_written", "r2",
					 &f->rules, &b),
			 LEDGER_ERR_CAP); /* cap_day = 1 */
	f->rules.now += DAY;
	assert_int_equal(ledger_activity(f->db, "ann", "review_written", "r2",
					 &f->rules, &b),
			 LEDGER_OK);
	assert_int_equal(
		ledger_activity(f->db, "ann", "skydiving", "s1", &f->rules, &b),
		LEDGER_ERR_NOTFOUND);
	assert_int_equal(ledger_activity(f->db, "ann", "review_written", "",
					 &f->rules, &b),
			 LEDGER_ERR_INVALID);
	assert_int_equal(balance(f, "ann"), 90);
	assert_int_equal(raw_int(f, "SELECT sum(points) FROM ledger_line"
				    " WHERE rule = 'activity:review_written'"),
			 40);
	assert_sums_to_zero(f);
}

static void test_referral__refuses_self_cycles_and_twice(void **s)
{
	struct fx *f = *s;

	grocery(f);
	assert_int_equal(ledger_referral(f->db, "bob", "bob"),
			 LEDGER_ERR_CYCLE);
	assert_int_equal(ledger_referral(f->db, "bob", "alice"), LEDGER_OK);
	assert_int_equal(ledger_referral(f->db, "carl", "bob"), LEDGER_OK);
	assert_int_equal(ledger_referral(f->db, "alice", "carl"),
			 LEDGER_ERR_CYCLE);
	assert_int_equal(ledger_referral(f->db, "bob", "dora"),
			 LEDGER_ERR_EXISTS);
	credit(f, "erin", "e-1", 1000);
	assert_int_equal(ledger_referral(f->db, "erin", "alice"),
			 LEDGER_ERR_STATE);
	assert_int_equal(ledger_referral(f->db, "", "alice"),
			 LEDGER_ERR_INVALID);
}

static void test_referral__both_paid_once_with_first_receipt(void **s)
{
	struct fx *f = *s;

	grocery(f);
	assert_int_equal(ledger_referral(f->db, "bob", "alice"), LEDGER_OK);
	assert_int_equal(balance(f, "bob"), 0);
	credit(f, "bob", "b-1", 1000); /* 10 points */
	assert_int_equal(balance(f, "bob"), 110);
	assert_int_equal(balance(f, "alice"), 200);
	credit(f, "bob", "b-2", 1000);
	assert_int_equal(balance(f, "bob"), 120);
	assert_int_equal(balance(f, "alice"), 200);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_txn WHERE"
				    " kind = 'referral'"),
			 2);
	/* Paid in the transaction of the first credit: same receipt. */
	assert_int_equal(raw_int(f, "SELECT count(DISTINCT receipt_id) FROM"
				    " ledger_txn WHERE kind = 'referral'"),
			 1);
	assert_sums_to_zero(f);
}

static void test_expiry__oldest_points_first_and_idempotent(void **s)
{
	struct fx *f = *s;
	struct ledger_redemption red;
	struct ledger_job job;
	time_t t0;

	grocery(f);
	t0 = f->rules.now;
	credit(f, "alice", "old", 100000); /* 1000 */
	f->rules.now = t0 + MONTH;
	assert_int_equal(ledger_redeem(f->db, "alice", "free_coffee", "k1",
				       &f->rules, &red),
			 LEDGER_OK);
	f->rules.now = t0 + 13 * MONTH;
	credit(f, "alice", "new", 50000); /* 500 at bronze */
	assert_int_equal(balance(f, "alice"), 1350);
	f->rules.now = t0 + 25 * MONTH; /* the old credit is 24+ months old */
	assert_int_equal(ledger_expire(f->db, &f->rules, &job), LEDGER_OK);
	assert_int_equal(job.points, 850);
	assert_int_equal(job.users, 1);
	assert_int_equal(balance(f, "alice"), 500);
	assert_int_equal(ledger_expire(f->db, &f->rules, &job), LEDGER_OK);
	assert_int_equal(job.points, 0);
	f->rules.now = t0 + 40 * MONTH;
	assert_int_equal(ledger_expire(f->db, &f->rules, &job), LEDGER_OK);
	assert_int_equal(job.points, 500);
	assert_int_equal(balance(f, "alice"), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_txn WHERE"
				    " kind = 'expiry' AND rule = 'expiry'"),
			 2);
	assert_sums_to_zero(f);
}

/* More customers than one commit takes: every batch is committed. */
static void test_expiry__runs_over_several_batches(void **s)
{
	struct fx *f = *s;
	struct ledger_job job;
	char user[16];
	int n = 600;

	grocery(f);
	assert_int_equal(db_begin(f->db), DB_OK); /* one fsync for setup */
	for (int i = 0; i < n; i++) {
		snprintf(user, sizeof(user), "m%d", i);
		credit(f, user, user, 1000);
	}
	assert_int_equal(db_commit(f->db), DB_OK);
	f->rules.now += 25 * MONTH;
	assert_int_equal(ledger_expire(f->db, &f->rules, &job), LEDGER_OK);
	assert_int_equal(job.users, n);
	assert_int_equal(job.points, 10 * n);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_balance"
				    " WHERE account LIKE 'user:%' AND"
				    " points <> 0"),
			 0);
	assert_int_equal(ledger_expire(f->db, &f->rules, &job), LEDGER_OK);
	assert_int_equal(job.points, 0);
	assert_sums_to_zero(f);
}

static void test_expiry__reversed_new_credit_does_not_shield_old(void **s)
{
	struct fx *f = *s;
	struct ledger_reversal rv;
	struct ledger_job job;
	time_t t0;
	int64_t id;

	grocery(f);
	t0 = f->rules.now;
	credit(f, "alice", "old", 100000);
	f->rules.now = t0 + 13 * MONTH;
	id = credit(f, "alice", "new", 50000);
	assert_int_equal(ledger_reverse(f->db, id, "fraud", &f->rules, &rv),
			 LEDGER_OK);
	f->rules.now = t0 + 25 * MONTH;
	assert_int_equal(ledger_expire(f->db, &f->rules, &job), LEDGER_OK);
	assert_int_equal(job.points, 1000);
	assert_int_equal(balance(f, "alice"), 0);
}

static int count_coupons(struct fx *f, const char *user)
{
	char sql[160];

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM voucher WHERE source = 'coupon'"
		 " AND user_id = '%s' AND expires_at IS NOT NULL",
		 user);
	return (int)raw_int(f, sql);
}

static int first_code(const struct db_voucher *v, void *arg)
{
	snprintf(arg, DB_CODE_MAX + 1, "%s", v->code);
	return 1;
}

static void test_coupons__voucher_cannot_be_used_after_it_expired(void **s)
{
	struct fx *f = *s;
	struct ledger_job job;
	char code[DB_CODE_MAX + 1] = "";
	char img[16];

	grocery(f);
	for (int i = 0; i < 4; i++) {
		snprintf(img, sizeof(img), "x-%d", i);
		credit(f, "xena", img, 2000);
	}
	assert_int_equal(ledger_coupons(f->db, &f->rules, &job), LEDGER_OK);
	assert_int_equal(db_voucher_list(f->db, "xena", first_code, code), 1);
	/* valid 14 days from 2026-03-14 */
	assert_int_equal(
		db_voucher_use(f->db, code, "staff", "2026-03-29T09:30:00Z"),
		DB_INVALID);
	assert_int_equal(
		db_voucher_use(f->db, code, "staff", "2026-03-27T09:30:00Z"),
		DB_OK);
	assert_int_equal(
		db_voucher_use(f->db, code, "staff", "2026-03-27T09:31:00Z"),
		DB_CONFLICT);
}

static void test_coupons__regulars_get_one_per_period(void **s)
{
	struct fx *f = *s;
	struct ledger_job job;
	char img[16];

	grocery(f);
	for (int i = 0; i < 4; i++) {
		snprintf(img, sizeof(img), "c-%d", i);
		credit(f, "carol", img, 2000);
		f->rules.now += DAY;
	}
	for (int i = 0; i < 3; i++) {
		snprintf(img, sizeof(img), "d-%d", i);
		credit(f, "dave", img, 2000);
	}
	assert_int_equal(ledger_coupons(f->db, &f->rules, &job), LEDGER_OK);
	assert_int_equal(job.vouchers, 1);
	assert_int_equal(count_coupons(f, "carol"), 1);
	assert_int_equal(count_coupons(f, "dave"), 0);
	assert_int_equal(ledger_coupons(f->db, &f->rules, &job), LEDGER_OK);
	assert_int_equal(job.vouchers, 0);
	/* Long after: no recent visits, no new coupon. */
	f->rules.now += 60 * DAY;
	assert_int_equal(ledger_coupons(f->db, &f->rules, &job), LEDGER_OK);
	assert_int_equal(count_coupons(f, "carol"), 1);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM voucher WHERE"
				    " rule = 'regular_coffee' AND reward ="
				    " 'free_coffee'"),
			 1);
}

static json_int_t jint(json_t *o, const char *path1, const char *path2)
{
	json_t *v = json_object_get(o, path1);

	if (path2 != NULL)
		v = json_object_get(v, path2);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static void test_metrics__counts_members_points_and_cohorts(void **s)
{
	struct fx *f = *s;
	struct ledger_activity a;
	struct ledger_redemption red;
	char *text = NULL, now[DB_TIME_LEN];
	json_t *m, *coh;

	grocery(f);
	credit(f, "alice", "a-1", 100000);
	credit(f, "alice", "a-2", 1000);
	credit(f, "bob", "b-1", 1000);
	assert_int_equal(ledger_activity(f->db, "carl", "social_share", "s",
					 &f->rules, &a),
			 LEDGER_OK);
	assert_int_equal(ledger_redeem(f->db, "alice", "free_coffee", "k",
				       &f->rules, &red),
			 LEDGER_OK);
	snprintf(now, sizeof(now), "2026-03-20T00:00:00Z");
	assert_int_equal(db_program_metrics(f->db, now, &text), DB_OK);
	m = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(m);
	assert_int_equal(jint(m, "members", NULL), 3);
	assert_int_equal(jint(m, "active_30d", NULL), 2);
	assert_int_equal(jint(m, "buyers", NULL), 2);
	assert_int_equal(jint(m, "repeat_buyers", NULL), 1);
	assert_int_equal(jint(m, "receipts", NULL), 3);
	/* alice's second receipt is at silver: 10 + 2 for the tier */
	assert_int_equal(jint(m, "points", "issued"), 1000 + 12 + 10 + 10);
	assert_int_equal(jint(m, "points_per_rule", "tier:silver"), 2);
	assert_int_equal(jint(m, "points", "redeemed"), 150);
	assert_int_equal(jint(m, "points", "expired"), 0);
	assert_int_equal(jint(m, "points_per_rule", "base"), 1020);
	assert_int_equal(jint(m, "points_per_rule", "activity:social_share"),
			 10);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(json_object_get(m, "vouchers"),
						 "redemption"),
				 "issued")),
			 1);
	coh = json_array_get(json_object_get(m, "cohorts"), 0);
	assert_string_equal(json_string_value(json_object_get(coh, "cohort")),
			    "2026-03");
	assert_int_equal(jint(coh, "members", NULL), 2);
	json_decref(m);
}

static void member(struct fx *f, const char *key, int64_t months,
		   const char *starts, const char *ends, int already)
{
	struct ledger_membership m;

	assert_int_equal(ledger_membership(f->db, "bob", "plus", months, key,
					   &f->rules, &m),
			 LEDGER_OK);
	assert_string_equal(m.tier, "plus");
	assert_string_equal(m.starts_at, starts);
	assert_string_equal(m.ends_at, ends);
	assert_int_equal(m.already, already);
}

static void test_membership__recorded_once_renewed_and_refused(void **s)
{
	static const struct {
		const char *tier;
		int64_t months;
		const char *key;
		int rc;
	} bad[] = {
		{ "plus", 2, "m1", LEDGER_ERR_MISMATCH }, /* key reused */
		{ "gold", 1, "m1", LEDGER_ERR_MISMATCH },
		{ "gold", 1, "m3", LEDGER_ERR_STATE }, /* reached by points */
		{ "platinum", 1, "m3", LEDGER_ERR_NOTFOUND },
		{ "plus", 0, "m3", LEDGER_ERR_INVALID },
		{ "plus", 37, "m3", LEDGER_ERR_INVALID },
		{ "plus", 1, "", LEDGER_ERR_INVALID },
	};
	struct fx *f = *s;
	struct ledger_membership m;

	grocery(f); /* now 2026-03-14T09:30:00Z */
	member(f, "m1", 1, "2026-03-14T09:30:00Z", "2026-04-14T09:30:00Z", 0);
	member(f, "m1", 1, "2026-03-14T09:30:00Z", "2026-04-14T09:30:00Z", 1);
	/* A renewal starts where the paid time ends. */
	member(f, "m2", 12, "2026-04-14T09:30:00Z", "2027-04-14T09:30:00Z", 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM membership"), 2);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ledger_membership(f->db, "bob", bad[i].tier,
						   bad[i].months, bad[i].key,
						   &f->rules, &m),
				 bad[i].rc);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM membership"), 2);
	/* Facts over time: never changed or removed. */
	assert_int_not_equal(raw_exec(f, "UPDATE membership SET months = 3"),
			     SQLITE_OK);
	assert_int_not_equal(raw_exec(f, "DELETE FROM membership"), SQLITE_OK);
	/* After the paid time a new membership starts now, and the day is
	 * clamped to the target month's end. */
	f->rules.now = 1838073600; /* 2028-03-31T00:00:00Z */
	member(f, "m4", 11, "2028-03-31T00:00:00Z", "2029-02-28T00:00:00Z", 0);
}

static void test_membership__effective_tier_and_credit_factor(void **s)
{
	struct fx *f = *s;
	struct ledger_tier_status t;
	struct ledger_membership m;
	struct ledger_outcome out;
	int64_t t0;

	grocery(f);
	t0 = f->rules.now;
	/* Without a membership: the points tier, and no tier:plus line. */
	settle(f, upload(f, "bob", "m-0"), parsed(f, 10000, "0"), &out);
	assert_int_equal(out.points, 100);
	assert_int_equal(ledger_tier(f->db, "bob", &f->rules, &t), LEDGER_OK);
	assert_string_equal(f->rules.program->tier[t.tier].name, "bronze");
	assert_int_equal(t.membership, -1);
	assert_string_equal(t.until, "");

	assert_int_equal(ledger_membership(f->db, "bob", "plus", 12, "m1",
					   &f->rules, &m),
			 LEDGER_OK);
	assert_int_equal(ledger_tier(f->db, "bob", &f->rules, &t), LEDGER_OK);
	assert_string_equal(f->rules.program->tier[t.tier].name, "plus");
	assert_string_equal(f->rules.program->tier[t.points_tier].name,
			    "bronze");
	assert_string_equal(f->rules.program->tier[t.membership].name, "plus");
	assert_string_equal(t.until, "2027-03-14T09:30:00Z");
	/* Progress still counts toward the next points tier. */
	assert_string_equal(f->rules.program->tier[t.next].name, "silver");
	assert_int_equal(t.to_next, 900);
	/* The credit earns the membership's factor (2x base). */
	settle(f, upload(f, "bob", "m-1"), parsed(f, 10000, "1"), &out);
	assert_int_equal(out.points, 200);
	assert_int_equal(raw_int(f, "SELECT points FROM ledger_line"
				    " WHERE rule = 'tier:plus'"),
			 100);
	/* A renewal made before the end shows the end of the run. */
	assert_int_equal(
		ledger_membership(f->db, "bob", "plus", 1, "m2", &f->rules, &m),
		LEDGER_OK);
	assert_int_equal(ledger_tier(f->db, "bob", &f->rules, &t), LEDGER_OK);
	assert_string_equal(t.until, "2027-04-14T09:30:00Z");
	/* Expired: back to the points tier, and to the points factor. */
	f->rules.now = t0 + 14 * MONTH;
	assert_int_equal(ledger_tier(f->db, "bob", &f->rules, &t), LEDGER_OK);
	assert_int_equal(t.membership, -1);
	assert_string_equal(f->rules.program->tier[t.tier].name, "bronze");
	settle(f, upload(f, "bob", "m-2"), parsed(f, 10000, "2"), &out);
	assert_int_equal(out.points, 100);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_line"
				    " WHERE rule = 'tier:plus'"),
			 1);
	/* Back inside the paid time, the membership counts again: tiers
	 * are reckoned at the clock, not stored. */
	f->rules.now = t0;
	assert_int_equal(ledger_tier(f->db, "bob", &f->rules, &t), LEDGER_OK);
	assert_string_equal(f->rules.program->tier[t.tier].name, "plus");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_reverse__posts_opposite_lines_and_counters),
		T(test_reverse__spent_points_leave_a_written_off_shortfall),
		T(test_reverse__refuses_uncredited_unknown_and_bad_reason),
		T(test_reverse__voids_unused_vouchers_and_counts_used),
		T(test_activity__pays_replays_and_caps),
		T(test_referral__refuses_self_cycles_and_twice),
		T(test_referral__both_paid_once_with_first_receipt),
		T(test_expiry__oldest_points_first_and_idempotent),
		T(test_expiry__runs_over_several_batches),
		T(test_expiry__reversed_new_credit_does_not_shield_old),
		T(test_coupons__regulars_get_one_per_period),
		T(test_coupons__voucher_cannot_be_used_after_it_expired),
		T(test_metrics__counts_members_points_and_cohorts),
		T(test_membership__recorded_once_renewed_and_refused),
		T(test_membership__effective_tier_and_credit_factor),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
