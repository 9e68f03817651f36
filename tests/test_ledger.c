/*
 * test_ledger.c: settlement of parsed receipts on a real SQLite file:
 * points rounded down per receipt, one credit per receipt however often it
 * is settled, append-only zero-sum postings, duplicates and unreadable
 * totals earning nothing.
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

static void test_ledger__points_are_total_times_rate_rounded_down(void **s)
{
	(void)s;
	assert_int_equal(ledger_points(1234, 1), 12);
	assert_int_equal(ledger_points(1299, 1), 12);
	assert_int_equal(ledger_points(1234, 3), 37);
	assert_int_equal(ledger_points(99, 1), 0);
	assert_int_equal(ledger_points(0, 1), 0);
	assert_int_equal(ledger_points(-500, 1), 0);
	assert_int_equal(ledger_points(LEDGER_MAX_TOTAL_CENTS,
				       LEDGER_MAX_POINTS_PER_EUR),
			 LEDGER_MAX_TOTAL_CENTS / 100 *
				 LEDGER_MAX_POINTS_PER_EUR);
}

struct hist {
	struct db_posting p[4];
	int n;
};

static int collect(const struct db_posting *p, void *arg)
{
	struct hist *h = arg;

	h->p[h->n++] = *p;
	return 0;
}

static void test_ledger__receipt_is_credited_floor_of_total(void **state)
{
	struct fx *f = *state;
	int64_t id = upload(f, "alice", "image-1");
	struct ledger_outcome out;
	struct db_receipt row;
	struct hist h = { .n = 0 };

	settle(f, id, parsed(f, 4299, "0042"), &out);
	assert_int_equal(out.status, DB_CREDITED);
	assert_int_equal(out.points, 42);
	assert_int_equal(out.already, 0);
	assert_int_equal(balance(f, "alice"), 42);
	assert_int_equal(db_receipt_get(f->db, id, &row), DB_OK);
	assert_int_equal(row.status, DB_CREDITED);
	assert_int_equal(row.points, 42);
	assert_int_equal(row.total, 4299);
	assert_string_equal(row.store, "rewe");
	assert_non_null(row.parsed);
	assert_non_null(strstr(row.parsed, "\"total\":4299"));
	db_receipt_release(&row);
	assert_int_equal(ledger_history(f->db, "alice", 0, 10, collect, &h),
			 LEDGER_OK);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.p[0].amount, 42);
	assert_int_equal(h.p[0].receipt_id, id);
	assert_string_equal(h.p[0].rule, LEDGER_RULE_POINTS_PER_EUR);
	assert_string_equal(h.p[0].account, "user:alice");
}

static void test_ledger__rate_from_rules_multiplies_points(void **state)
{
	struct fx *f = *state;
	int64_t id = upload(f, "alice", "image-1");
	struct ledger_outcome out;

	f->rules.points_per_eur = 3;
	settle(f, id, parsed(f, 1234, "0042"), &out);
	assert_int_equal(out.points, 37);
	assert_int_equal(balance(f, "alice"), 37);
}

static void test_ledger__settling_twice_credits_once(void **state)
{
	struct fx *f = *state;
	int64_t id = upload(f, "alice", "image-1");
	struct ledger_outcome first, second;

	settle(f, id, parsed(f, 1000, "0042"), &first);
	settle(f, id, parsed(f, 99900, "0042"), &second);
	assert_int_equal(second.already, 1);
	assert_int_equal(second.status, DB_CREDITED);
	assert_int_equal(second.points, first.points);
	assert_int_equal(balance(f, "alice"), 10);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_txn"), 1);
}

static void test_ledger__schema_refuses_second_credit_for_receipt(void **s)
{
	struct fx *f = *s;
	int64_t id = upload(f, "alice", "image-1");
	struct db_credit c = { .receipt_id = id,
			       .account = "user:alice",
			       .points = 5,
			       .rule = "points_per_eur",
			       .idem_key = "credit:receipt:1" };
	int64_t txn = 0;

	assert_int_equal(db_ledger_credit(f->db, &c, &txn), DB_OK);
	assert_true(txn > 0);
	c.idem_key = "another-key";
	assert_int_equal(db_ledger_credit(f->db, &c, &txn), DB_CONFLICT);
	assert_int_equal(txn, 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_posting"), 2);
	assert_int_equal(balance(f, "alice"), 5);
}

static void test_ledger__postings_refuse_update_and_delete(void **state)
{
	struct fx *f = *state;
	struct ledger_outcome out;

	settle(f, upload(f, "alice", "image-1"), parsed(f, 1000, "1"), &out);
	assert_int_equal(raw_exec(f, "UPDATE ledger_posting SET amount = 999"),
			 SQLITE_CONSTRAINT);
	assert_int_equal(raw_exec(f, "DELETE FROM ledger_posting"),
			 SQLITE_CONSTRAINT);
	assert_int_equal(raw_exec(f, "DELETE FROM ledger_txn"),
			 SQLITE_CONSTRAINT);
	assert_int_equal(raw_int(f, "SELECT sum(amount) FROM ledger_posting"
				    " WHERE account = 'user:alice'"),
			 10);
}

static void test_ledger__all_postings_sum_to_zero(void **state)
{
	struct fx *f = *state;
	struct ledger_outcome out;

	settle(f, upload(f, "alice", "i1"), parsed(f, 1000, "1"), &out);
	settle(f, upload(f, "bob", "i2"), parsed(f, 2550, "2"), &out);
	settle(f, upload(f, "alice", "i3"), parsed(f, 777, "3"), &out);
	assert_int_equal(raw_int(f, "SELECT sum(amount) FROM ledger_posting"),
			 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM (SELECT txn_id"
				    " FROM ledger_posting GROUP BY txn_id"
				    " HAVING sum(amount) <> 0)"),
			 0);
	assert_int_equal(balance(f, "alice"), 17);
	assert_int_equal(balance(f, "bob"), 25);
	assert_int_equal(raw_int(f, "SELECT points FROM ledger_balance"
				    " WHERE account = 'program'"),
			 -42);
}

static void test_ledger__no_total_refund_or_no_receipt_is_flagged(void **s)
{
	struct fx *f = *s;
	int64_t id = upload(f, "alice", "image-1");
	struct ledger_outcome out;

	settle(f, id, parsed(f, RECEIPT_UNKNOWN, "0042"), &out);
	assert_int_equal(out.status, DB_FLAGGED);
	assert_int_equal(out.points, 0);
	assert_int_equal(out.nreasons, 1);
	assert_string_equal(out.reasons[0], "no_total");
	assert_int_equal(balance(f, "alice"), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_txn"), 0);
	settle(f, upload(f, "bob", "image-2"), parsed(f, -250, "7"), &out);
	assert_int_equal(out.status, DB_FLAGGED);
	assert_string_equal(out.reasons[0], "refund");
	assert_int_equal(balance(f, "bob"), 0);
	parsed(f, 1000, "8")->document = RECEIPT_DOC_TRAINING;
	settle(f, upload(f, "bob", "image-3"), &f->r, &out);
	assert_int_equal(out.status, DB_FLAGGED);
	assert_string_equal(out.reasons[0], "not_a_receipt");
	assert_int_equal(balance(f, "bob"), 0);
}

static void
test_ledger__total_under_one_point_credits_zero_no_postings(void **state)
{
	struct fx *f = *state;
	struct ledger_outcome out;

	settle(f, upload(f, "alice", "image-1"), parsed(f, 99, "1"), &out);
	assert_int_equal(out.status, DB_CREDITED);
	assert_int_equal(out.points, 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_posting"), 0);
	assert_int_equal(balance(f, "alice"), 0);
}

static void test_ledger__same_image_by_other_user_is_duplicate(void **state)
{
	struct fx *f = *state;
	int64_t a = upload(f, "alice", "same-bytes");
	int64_t b = upload(f, "bob", "same-bytes");
	struct ledger_outcome out;
	char want[64];

	settle(f, a, parsed(f, 1000, "1"), &out);
	settle(f, b, parsed(f, 1000, "1"), &out);
	assert_int_equal(out.status, DB_DUPLICATE);
	assert_int_equal(out.points, 0);
	assert_int_equal(out.original_id, a);
	snprintf(want, sizeof(want), "duplicate_image of receipt %lld",
		 (long long)a);
	assert_string_equal(out.reasons[0], want);
	assert_int_equal(balance(f, "alice"), 10);
	assert_int_equal(balance(f, "bob"), 0);
	/* a replay reports the recorded duplicate, original included */
	settle(f, b, parsed(f, 1000, "1"), &out);
	assert_int_equal(out.already, 1);
	assert_int_equal(out.status, DB_DUPLICATE);
	assert_int_equal(out.original_id, a);
}

static void test_ledger__same_content_by_other_user_is_duplicate(void **s)
{
	struct fx *f = *s;
	int64_t a = upload(f, "alice", "photo-1");
	int64_t b = upload(f, "bob", "photo-2-of-same-paper");
	struct ledger_outcome out;
	char want[64];

	settle(f, a, parsed(f, 1000, "0042"), &out);
	settle(f, b, parsed(f, 1000, "0042"), &out);
	assert_int_equal(out.status, DB_DUPLICATE);
	snprintf(want, sizeof(want), "duplicate_content of receipt %lld",
		 (long long)a);
	assert_string_equal(out.reasons[0], want);
	assert_int_equal(balance(f, "bob"), 0);
}

static void test_ledger__partly_read_content_is_not_a_duplicate(void **s)
{
	struct fx *f = *s;
	struct ledger_outcome out;

	settle(f, upload(f, "alice", "p1"), parsed(f, 1000, ""), &out);
	settle(f, upload(f, "bob", "p2"), parsed(f, 1000, ""), &out);
	assert_int_equal(out.status, DB_CREDITED);
	assert_int_equal(balance(f, "bob"), 10);
}

static void test_ledger__duplicate_of_a_flagged_receipt_is_duplicate(void **s)
{
	struct fx *f = *s;
	struct ledger_outcome out;

	settle(f, upload(f, "alice", "bytes"), parsed(f, RECEIPT_UNKNOWN, "1"),
	       &out);
	assert_int_equal(out.status, DB_FLAGGED);
	settle(f, upload(f, "bob", "bytes"), parsed(f, 1000, "1"), &out);
	assert_int_equal(out.status, DB_DUPLICATE);
}

static void test_ledger__other_currency_is_flagged(void **state)
{
	struct fx *f = *state;
	struct ledger_outcome out;
	struct receipt *r = parsed(f, 1000, "1");

	memcpy(r->currency, "MYR", sizeof("MYR"));
	settle(f, upload(f, "alice", "myr"), r, &out);
	assert_int_equal(out.status, DB_FLAGGED);
	assert_string_equal(out.reasons[0], "currency_mismatch");
	r = parsed(f, 1000, "2");
	r->currency[0] = '\0'; /* not read: staff tell */
	settle(f, upload(f, "alice", "none"), r, &out);
	assert_int_equal(out.status, DB_FLAGGED);
	assert_string_equal(out.reasons[0], "currency_unknown");
}

static void test_ledger__unbacked_unsure_total_goes_to_review(void **s)
{
	struct fx *f = *s;
	struct ledger_outcome out;
	struct receipt *r = parsed(f, 1000, "1");

	/* Off (the ledger's default): a lone reading is credited. */
	r->confidence = 0.5;
	settle(f, upload(f, "alice", "off"), r, &out);
	assert_int_equal(out.status, DB_CREDITED);
	f->rules.review_below = 70;
	r = parsed(f, 1000, "2");
	r->confidence = 0.69;
	settle(f, upload(f, "alice", "unsure"), r, &out);
	assert_int_equal(out.status, DB_FLAGGED);
	assert_int_equal(out.points, 0);
	assert_string_equal(out.reasons[0], "unconfirmed_total");
	/* Backed by any other printed figure, or read surely: credited. */
	r = parsed(f, 1000, "3");
	r->confidence = 0.2;
	r->backed = RECEIPT_BACKED_PAYMENT;
	settle(f, upload(f, "alice", "backed"), r, &out);
	assert_int_equal(out.status, DB_CREDITED);
	r = parsed(f, 1000, "4");
	r->confidence = 0.7;
	settle(f, upload(f, "alice", "sure"), r, &out);
	assert_int_equal(out.status, DB_CREDITED);
	assert_int_equal(balance(f, "alice"), 30);
	f->rules.review_below = 101;
	assert_int_equal(ledger_settle(f->db, upload(f, "bob", "bad"), r, NULL,
				       &f->rules, &out),
			 LEDGER_ERR_INVALID);
}

static void test_ledger__review_decides_a_flagged_receipt_once(void **s)
{
	struct fx *f = *s;
	struct ledger_outcome out;
	int64_t id = upload(f, "alice", "no-total"), ok;

	settle(f, id, parsed(f, RECEIPT_UNKNOWN, "1"), &out);
	assert_int_equal(out.status, DB_FLAGGED);
	/* Nothing was read to credit: staff must give the total. */
	assert_int_equal(
		ledger_review(f->db, id, 1, RECEIPT_UNKNOWN, &f->rules, &out),
		LEDGER_ERR_INVALID);
	assert_int_equal(ledger_review(f->db, id, 0, 1234, &f->rules, &out),
			 LEDGER_ERR_INVALID);
	assert_int_equal(ledger_review(f->db, id, 1, 1234, &f->rules, &out),
			 LEDGER_OK);
	assert_int_equal(out.status, DB_CREDITED);
	assert_int_equal(out.points, 12);
	assert_int_equal(out.nreasons, 3);
	assert_string_equal(out.reasons[0], "no_total");
	assert_string_equal(out.reasons[1], "total_set_by_staff 1234");
	assert_string_equal(out.reasons[2], LEDGER_APPROVED);
	/* Once: the same decision replays, the other is refused. */
	assert_int_equal(ledger_review(f->db, id, 1, 1234, &f->rules, &out),
			 LEDGER_OK);
	assert_int_equal(out.already, 1);
	assert_int_equal(out.points, 12);
	assert_int_equal(
		ledger_review(f->db, id, 0, RECEIPT_UNKNOWN, &f->rules, &out),
		LEDGER_ERR_STATE);
	assert_int_equal(balance(f, "alice"), 12);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_txn"), 1);
	/* A credited receipt is no review's; an unknown one is not found. */
	ok = upload(f, "bob", "fine");
	settle(f, ok, parsed(f, 1000, "2"), &out);
	assert_int_equal(
		ledger_review(f->db, ok, 1, RECEIPT_UNKNOWN, &f->rules, &out),
		LEDGER_ERR_STATE);
	assert_int_equal(
		ledger_review(f->db, 999, 0, RECEIPT_UNKNOWN, &f->rules, &out),
		LEDGER_ERR_NOTFOUND);
	/* Rejected: nothing posted. */
	id = upload(f, "carol", "doubtful");
	settle(f, id, parsed(f, RECEIPT_UNKNOWN, "3"), &out);
	assert_int_equal(
		ledger_review(f->db, id, 0, RECEIPT_UNKNOWN, &f->rules, &out),
		LEDGER_OK);
	assert_int_equal(out.status, DB_REJECTED);
	assert_int_equal(balance(f, "carol"), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_txn"), 2);
}

static void test_ledger__failed_settle_leaves_no_trace(void **state)
{
	struct fx *f = *state;
	int64_t id = upload(f, "alice", "image-1");
	struct ledger_outcome out;
	struct db_receipt row;

	/* Make the last step of the settlement fail. */
	assert_int_equal(raw_exec(f, "CREATE TRIGGER t BEFORE UPDATE OF status"
				     " ON receipts WHEN NEW.status = 'credited'"
				     " BEGIN SELECT RAISE(ABORT, 'boom'); END"),
			 SQLITE_OK);
	assert_int_not_equal(ledger_settle(f->db, id, parsed(f, 1000, "1"),
					   NULL, &f->rules, &out),
			     LEDGER_OK);
	assert_int_equal(out.status, 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_posting"), 0);
	assert_int_equal(balance(f, "alice"), 0);
	assert_int_equal(db_receipt_get(f->db, id, &row), DB_OK);
	assert_int_equal(row.status, DB_QUEUED);
	assert_null(row.parsed);
	db_receipt_release(&row);
}

static void test_ledger__unknown_receipt_and_bad_rules_are_refused(void **s)
{
	struct fx *f = *s;
	struct ledger_outcome out;

	assert_int_equal(ledger_settle(f->db, 999, parsed(f, 1000, "1"), NULL,
				       &f->rules, &out),
			 LEDGER_ERR_NOTFOUND);
	f->rules.points_per_eur = LEDGER_MAX_POINTS_PER_EUR + 1;
	assert_int_equal(ledger_settle(f->db, upload(f, "a", "x"),
				       parsed(f, 1000, "1"), NULL, &f->rules,
				       &out),
			 LEDGER_ERR_INVALID);
}

static void test_ledger__program_credit_records_lines_and_version(void **s)
{
	struct fx *f = *s;
	int64_t id = upload(f, "alice", "prog-1");
	struct ledger_outcome out;

	grocery(f);
	settle(f, id, coffee_receipt(f, 1050, "1", 3), &out);
	/* base 10, coffee 3x: floor(3.00 * 1 * 2) = 6, bronze tier 1x */
	assert_int_equal(out.points, 16);
	assert_int_equal(balance(f, "alice"), 16);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ledger_txn WHERE"
				    " rules_version = 'grocery-2026.1'"),
			 1);
	assert_int_equal(raw_int(f, "SELECT points FROM ledger_line WHERE"
				    " rule = 'own_coffee'"),
			 6);
	assert_int_equal(raw_int(f, "SELECT sum(points) FROM ledger_line"), 16);
	assert_int_equal(raw_int(f, "SELECT sum(amount) FROM ledger_posting"),
			 0);
	assert_int_equal(raw_int(f, "SELECT sum(amount) FROM loyalty_event"
				    " WHERE name = 'punch:coffee_card'"),
			 3);
}

static void test_ledger__punchcard_and_cashback_issue_vouchers(void **s)
{
	struct fx *f = *s;
	struct ledger_outcome out;
	char img[32], num[16];

	grocery(f);
	for (int i = 0; i < 4; i++) {
		snprintf(img, sizeof(img), "pc-%d", i);
		snprintf(num, sizeof(num), "%d", i);
		settle(f, upload(f, "bob", img),
		       coffee_receipt(f, 4000, num, 3), &out);
	}
	/* 12 coffees: one free coffee; 160 EUR: one 5 EUR cashback */
	assert_int_equal(raw_int(f, "SELECT count(*) FROM voucher WHERE"
				    " source = 'punchcard' AND reward ="
				    " 'free_coffee'"),
			 1);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM voucher WHERE"
				    " source = 'cashback' AND value = 500"),
			 1);
}

static void test_ledger__rule_day_cap_spans_receipts(void **s)
{
	struct fx *f = *s;
	struct rules *p = grocery(f);
	struct ledger_outcome out;

	p->rule[0].caps.day = 15; /* base */
	settle(f, upload(f, "carol", "cap-1"), parsed(f, 1000, "1"), &out);
	assert_int_equal(out.points, 10);
	settle(f, upload(f, "carol", "cap-2"), parsed(f, 1000, "2"), &out);
	assert_int_equal(out.points, 5);
	f->rules.now += 86400; /* the next day */
	settle(f, upload(f, "carol", "cap-3"), parsed(f, 1000, "3"), &out);
	assert_int_equal(out.points, 10);
}

/* alice with 1000 points under the grocery programme. */
static void rich_alice(struct fx *f)
{
	struct ledger_outcome out;

	grocery(f);
	settle(f, upload(f, "alice", "rich"), parsed(f, 100000, "r1"), &out);
	assert_int_equal(balance(f, "alice"), 1000);
}

static void test_ledger__redeem_debits_price_and_issues_voucher(void **s)
{
	struct fx *f = *s;
	struct ledger_redemption red;

	rich_alice(f);
	assert_int_equal(ledger_redeem(f->db, "alice", "free_coffee", "k1",
				       &f->rules, &red),
			 LEDGER_OK);
	assert_int_equal(red.points, 150);
	assert_int_equal(red.balance, 850);
	assert_int_equal(red.already, 0);
	assert_int_equal(strlen(red.code), 12);
	assert_string_equal(red.reward, "free_coffee");
	assert_int_equal(balance(f, "alice"), 850);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM voucher WHERE"
				    " source = 'redemption' AND user_id ="
				    " 'alice' AND used_at IS NULL"),
			 1);
	assert_int_equal(raw_int(f, "SELECT sum(amount) FROM ledger_posting"),
			 0);
	assert_int_equal(raw_int(f, "SELECT amount FROM ledger_posting p JOIN"
				    " ledger_txn t ON t.id = p.txn_id WHERE"
				    " t.kind = 'redemption' AND p.account ="
				    " 'program'"),
			 150);
}

static void test_ledger__redeem_same_key_replays_without_second_debit(void **s)
{
	struct fx *f = *s;
	struct ledger_redemption a, b;

	rich_alice(f);
	assert_int_equal(ledger_redeem(f->db, "alice", "free_coffee", "k1",
				       &f->rules, &a),
			 LEDGER_OK);
	assert_int_equal(ledger_redeem(f->db, "alice", "free_coffee", "k1",
				       &f->rules, &b),
			 LEDGER_OK);
	assert_int_equal(b.already, 1);
	assert_string_equal(a.code, b.code);
	assert_int_equal(a.txn_id, b.txn_id);
	assert_int_equal(b.points, 150);
	assert_int_equal(b.balance, 850);
	assert_int_equal(balance(f, "alice"), 850);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM voucher WHERE"
				    " source = 'redemption'"),
			 1);
	/* the key is the user's: bob's "k1" is his own */
	assert_int_equal(
		ledger_redeem(f->db, "bob", "free_coffee", "k1", &f->rules, &b),
		LEDGER_ERR_FUNDS);
}

static void test_ledger__redeem_same_key_other_reward_is_mismatch(void **s)
{
	struct fx *f = *s;
	struct ledger_redemption red;

	rich_alice(f);
	assert_int_equal(ledger_redeem(f->db, "alice", "free_coffee", "k1",
				       &f->rules, &red),
			 LEDGER_OK);
	assert_int_equal(ledger_redeem(f->db, "alice", "voucher_5eur", "k1",
				       &f->rules, &red),
			 LEDGER_ERR_MISMATCH);
	assert_int_equal(red.txn_id, 0);
	assert_int_equal(balance(f, "alice"), 850);
}

static void test_ledger__redeem_over_balance_is_refused_unchanged(void **s)
{
	struct fx *f = *s;
	struct ledger_redemption red;
	struct ledger_outcome out;

	rich_alice(f);
	assert_int_equal(ledger_redeem(f->db, "alice", "voucher_5eur", "a",
				       &f->rules, &red),
			 LEDGER_OK);
	assert_int_equal(ledger_redeem(f->db, "alice", "voucher_5eur", "b",
				       &f->rules, &red),
			 LEDGER_OK);
	assert_int_equal(balance(f, "alice"), 0);
	assert_int_equal(ledger_redeem(f->db, "alice", "free_coffee", "c",
				       &f->rules, &red),
			 LEDGER_ERR_FUNDS);
	assert_int_equal(balance(f, "alice"), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM voucher WHERE"
				    " source = 'redemption'"),
			 2);
	/* the refused key stays free for a later try */
	settle(f, upload(f, "alice", "more"), parsed(f, 20000, "r2"), &out);
	assert_int_equal(ledger_redeem(f->db, "alice", "free_coffee", "c",
				       &f->rules, &red),
			 LEDGER_OK);
	assert_int_equal(red.already, 0);
}

static void test_ledger__redeem_refuses_unknown_reward_and_bad_input(void **s)
{
	struct fx *f = *s;
	struct ledger_redemption red;
	char longkey[LEDGER_IDEM_KEY_MAX + 2];

	rich_alice(f);
	assert_int_equal(
		ledger_redeem(f->db, "alice", "caviar", "k", &f->rules, &red),
		LEDGER_ERR_NOTFOUND);
	assert_int_equal(ledger_redeem(f->db, "alice", "free_coffee", "",
				       &f->rules, &red),
			 LEDGER_ERR_INVALID);
	assert_int_equal(ledger_redeem(f->db, "alice", "free_coffee", "a b",
				       &f->rules, &red),
			 LEDGER_ERR_INVALID);
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	assert_int_equal(ledger_redeem(f->db, "alice", "free_coffee", longkey,
				       &f->rules, &red),
			 LEDGER_ERR_INVALID);
	assert_int_equal(
		ledger_redeem(f->db, "", "free_coffee", "k", &f->rules, &red),
		LEDGER_ERR_INVALID);
	f->rules.program = NULL;
	assert_int_equal(ledger_redeem(f->db, "alice", "free_coffee", "k",
				       &f->rules, &red),
			 LEDGER_ERR_NOTFOUND);
	assert_int_equal(balance(f, "alice"), 1000);
}

static void test_ledger__tier_and_points_to_next_from_rolling_year(void **s)
{
	struct fx *f = *s;
	struct ledger_tier_status t;
	struct ledger_redemption red;

	rich_alice(f);
	assert_int_equal(ledger_tier(f->db, "alice", &f->rules, &t), LEDGER_OK);
	assert_int_equal(t.rolling, 1000);
	assert_string_equal(f->rules.program->tier[t.tier].name, "silver");
	assert_string_equal(f->rules.program->tier[t.next].name, "gold");
	assert_int_equal(t.to_next, 4000);
	/* spending does not lower the tier */
	assert_int_equal(ledger_redeem(f->db, "alice", "voucher_5eur", "k",
				       &f->rules, &red),
			 LEDGER_OK);
	assert_int_equal(ledger_tier(f->db, "alice", &f->rules, &t), LEDGER_OK);
	assert_int_equal(t.rolling, 1000);
	/* a year and a day later the credit no longer counts */
	f->rules.now += 366 * 86400;
	assert_int_equal(ledger_tier(f->db, "alice", &f->rules, &t), LEDGER_OK);
	assert_int_equal(t.rolling, 0);
	assert_string_equal(f->rules.program->tier[t.tier].name, "bronze");
	assert_int_equal(t.to_next, 1000);
	f->rules.program = NULL;
	assert_int_equal(ledger_tier(f->db, "alice", &f->rules, &t), LEDGER_OK);
	assert_int_equal(t.tier, -1);
	assert_int_equal(t.next, -1);
}

static int punch_cb(const struct ledger_punchcard *pc, void *arg)
{
	*(struct ledger_punchcard *)arg = *pc;
	return 0;
}

static void test_ledger__punchcard_shows_progress_to_next_voucher(void **s)
{
	struct fx *f = *s;
	struct ledger_punchcard pc = { 0 };
	struct ledger_outcome out;

	grocery(f);
	for (int i = 0; i < 4; i++) {
		char img[32], num[16];

		snprintf(img, sizeof(img), "pp-%d", i);
		snprintf(num, sizeof(num), "%d", i);
		settle(f, upload(f, "bob", img), coffee_receipt(f, 500, num, 3),
		       &out);
	}
	assert_int_equal(ledger_punchcards(f->db, "bob", f->rules.program,
					   punch_cb, &pc),
			 LEDGER_OK);
	assert_non_null(pc.rule);
	assert_string_equal(pc.rule->name, "coffee_card");
	assert_int_equal(pc.count, 12);
	assert_int_equal(pc.vouchers, 1);
	assert_int_equal(pc.progress, 2);
	assert_int_equal(pc.remaining, 8);
	memset(&pc, 0, sizeof(pc));
	assert_int_equal(ledger_punchcards(f->db, "nobody", f->rules.program,
					   punch_cb, &pc),
			 LEDGER_OK);
	assert_int_equal(pc.count, 0);
	assert_int_equal(pc.remaining, 10);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_ledger__points_are_total_times_rate_rounded_down),
		T(test_ledger__receipt_is_credited_floor_of_total),
		T(test_ledger__rate_from_rules_multiplies_points),
		T(test_ledger__settling_twice_credits_once),
		T(test_ledger__schema_refuses_second_credit_for_receipt),
		T(test_ledger__postings_refuse_update_and_delete),
		T(test_ledger__all_postings_sum_to_zero),
		T(test_ledger__no_total_refund_or_no_receipt_is_flagged),
		T(test_ledger__total_under_one_point_credits_zero_no_postings),
		T(test_ledger__same_image_by_other_user_is_duplicate),
		T(test_ledger__same_content_by_other_user_is_duplicate),
		T(test_ledger__partly_read_content_is_not_a_duplicate),
		T(test_ledger__duplicate_of_a_flagged_receipt_is_duplicate),
		T(test_ledger__other_currency_is_flagged),
		T(test_ledger__unbacked_unsure_total_goes_to_review),
		T(test_ledger__review_decides_a_flagged_receipt_once),
		T(test_ledger__failed_settle_leaves_no_trace),
		T(test_ledger__unknown_receipt_and_bad_rules_are_refused),
		T(test_ledger__program_credit_records_lines_and_version),
		T(test_ledger__punchcard_and_cashback_issue_vouchers),
		T(test_ledger__rule_day_cap_spans_receipts),
		T(test_ledger__redeem_debits_price_and_issues_voucher),
		T(test_ledger__redeem_same_key_replays_without_second_debit),
		T(test_ledger__redeem_same_key_other_reward_is_mismatch),
		T(test_ledger__redeem_over_balance_is_refused_unchanged),
		T(test_ledger__redeem_refuses_unknown_reward_and_bad_input),
		T(test_ledger__tier_and_points_to_next_from_rolling_year),
		T(test_ledger__punchcard_shows_progress_to_next_voucher),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
