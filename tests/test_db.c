/*
 * test_db.c: the storage layer on real SQLite files: schema migrations,
 * Stripe-style idempotency per user, the job queue across a crash, and
 * decisions that can never be overwritten.
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
#include "banned.h"

#define HASH_A                                                                 \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B                                                                 \
	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define HASH_C                                                                 \
	"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

struct fx {
	char dir[64];
	char path[96];
	struct db *db;
};

static void remove_db_files(struct fx *f)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char p[128];

	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/receiptd-test-db-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/receiptd.db", f->dir);
	assert_int_equal(db_open(f->path, &f->db), DB_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	db_close(f->db);
	remove_db_files(f);
	free(f);
	return 0;
}

static void reopen(struct fx *f)
{
	db_close(f->db);
	f->db = NULL;
	assert_int_equal(db_open(f->path, &f->db), DB_OK);
}

static int64_t insert(struct db *db, const char *user, const char *sha,
		      const char *key, const char *req, int want)
{
	struct db_receipt_new n = {
		.user_id = user,
		.image_sha256 = sha,
		.image_path = "/var/images/aa/bb.jpg",
		.content_type = "image/jpeg",
		.idem_key = key,
		.request_hash = req,
	};
	int64_t id = -1;

	assert_int_equal(db_receipt_insert(db, &n, &id), want);
	return id;
}

/* Counts rows with one SQL query on a second, raw connection. */
static int64_t raw_count(const char *path, const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int64_t n;

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

static void test_db__open_sets_user_version_and_wal(void **state)
{
	struct fx *f = *state;
	int v = -1;

	assert_int_equal(db_schema_version(f->db, &v), DB_OK);
	assert_int_equal(v, 11);
	assert_int_equal(raw_count(f->path, "PRAGMA user_version"), 11);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM"
					    " pragma_journal_mode WHERE"
					    " journal_mode = 'wal'"),
			 1);
}

static void test_db__reopen_keeps_data_and_does_not_migrate_again(void **state)
{
	struct fx *f = *state;
	int64_t id = insert(f->db, "alice", HASH_A, NULL, NULL, DB_OK);
	struct db_receipt r;
	int v = 0;

	reopen(f);
	reopen(f);
	assert_int_equal(db_schema_version(f->db, &v), DB_OK);
	assert_int_equal(v, 11);
	assert_int_equal(db_receipt_get(f->db, id, &r), DB_OK);
	assert_string_equal(r.user_id, "alice");
	db_receipt_release(&r);
}

static void test_db__newer_schema_than_program_is_refused(void **state)
{
	struct fx *f = *state;
	sqlite3 *h = NULL;
	struct db *db = NULL;

	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(db_open(f->path, &db), DB_ERR);
	assert_null(db);
}

static void test_db__get_returns_a_queued_unparsed_receipt(void **state)
{
	struct fx *f = *state;
	int64_t id = insert(f->db, "alice", HASH_A, NULL, NULL, DB_OK);
	struct db_receipt r;

	assert_true(id > 0);
	assert_int_equal(db_receipt_get(f->db, id, &r), DB_OK);
	assert_int_equal(r.id, id);
	assert_int_equal(r.status, DB_QUEUED);
	assert_string_equal(r.image_sha256, HASH_A);
	assert_string_equal(r.content_type, "image/jpeg");
	assert_int_equal(r.attempts, 0);
	assert_true(r.total == RECEIPT_UNKNOWN);
	assert_string_equal(r.store, "");
	assert_null(r.parsed);
	assert_string_equal(r.reasons, "[]");
	assert_int_equal(strlen(r.created_at), 20);
	assert_int_equal(r.created_at[10], 'T');
	assert_int_equal(r.created_at[19], 'Z');
	db_receipt_release(&r);
	assert_int_equal(db_receipt_get(f->db, id + 1, &r), DB_NOTFOUND);
}

static void test_db__insert_refuses_bad_arguments(void **state)
{
	struct fx *f = *state;
	char user[DB_USER_ID_MAX + 2];

	memset(user, 'u', sizeof(user) - 1);
	user[sizeof(user) - 1] = '\0';
	insert(f->db, user, HASH_A, NULL, NULL, DB_INVALID);
	insert(f->db, "alice", "not-a-hash", NULL, NULL, DB_INVALID);
	insert(f->db, "alice", HASH_A, "key-1", NULL, DB_INVALID);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM receipts"),
			 0);
}

static void test_db__same_key_same_request_returns_same_receipt(void **state)
{
	struct fx *f = *state;
	int64_t a = insert(f->db, "alice", HASH_A, "key-1", HASH_B, DB_OK);
	int64_t b = insert(f->db, "alice", HASH_A, "key-1", HASH_B, DB_EXISTS);

	assert_int_equal(a, b);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM receipts"),
			 1);
}

static void test_db__same_key_other_request_is_mismatch(void **state)
{
	struct fx *f = *state;

	insert(f->db, "alice", HASH_A, "key-1", HASH_B, DB_OK);
	insert(f->db, "alice", HASH_C, "key-1", HASH_C, DB_MISMATCH);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM receipts"),
			 1);
}

static void test_db__same_key_other_user_is_a_new_receipt(void **state)
{
	struct fx *f = *state;
	int64_t a = insert(f->db, "alice", HASH_A, "key-1", HASH_B, DB_OK);
	int64_t b = insert(f->db, "bob", HASH_A, "key-1", HASH_B, DB_OK);

	assert_true(b != a);
}

static void test_db__no_key_always_inserts(void **state)
{
	struct fx *f = *state;
	int64_t a = insert(f->db, "alice", HASH_A, NULL, NULL, DB_OK);
	int64_t b = insert(f->db, "alice", HASH_A, NULL, NULL, DB_OK);

	assert_true(b > a);
}

static void test_db__claim_takes_oldest_first_and_counts_attempt(void **state)
{
	struct fx *f = *state;
	int64_t a = insert(f->db, "alice", HASH_A, NULL, NULL, DB_OK);
	int64_t b = insert(f->db, "bob", HASH_B, NULL, NULL, DB_OK);
	struct db_job j;
	struct db_receipt r;

	assert_int_equal(db_queue_claim(f->db, &j), DB_OK);
	assert_int_equal(j.receipt_id, a);
	assert_int_equal(j.attempts, 1);
	assert_string_equal(j.image_path, "/var/images/aa/bb.jpg");
	assert_int_equal(db_queue_claim(f->db, &j), DB_OK);
	assert_int_equal(j.receipt_id, b);
	assert_int_equal(db_queue_claim(f->db, &j), DB_NOTFOUND);
	assert_int_equal(j.receipt_id, 0);
	assert_int_equal(db_receipt_get(f->db, a, &r), DB_OK);
	assert_int_equal(r.status, DB_PROCESSING);
	db_receipt_release(&r);
}

static void test_db__recover_after_crash_requeues_processing(void **state)
{
	struct fx *f = *state;
	int64_t a = insert(f->db, "alice", HASH_A, NULL, NULL, DB_OK);
	struct db_job j;
	int n = -1;

	assert_int_equal(db_queue_claim(f->db, &j), DB_OK);
	reopen(f); /* the "crash": closed without finishing the job */
	assert_int_equal(db_queue_claim(f->db, &j), DB_NOTFOUND);
	assert_int_equal(db_queue_recover(f->db, 3, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(db_queue_claim(f->db, &j), DB_OK);
	assert_int_equal(j.receipt_id, a);
	assert_int_equal(j.attempts, 2);
}

static void test_db__recover_fails_jobs_out_of_attempts(void **state)
{
	struct fx *f = *state;
	int64_t a = insert(f->db, "alice", HASH_A, NULL, NULL, DB_OK);
	struct db_receipt r;
	struct db_job j;
	int n = -1;

	for (int i = 0; i < 2; i++) {
		assert_int_equal(db_queue_claim(f->db, &j), DB_OK);
		assert_int_equal(db_queue_recover(f->db, 2, &n), DB_OK);
	}
	assert_int_equal(n, 0);
	assert_int_equal(db_receipt_get(f->db, a, &r), DB_OK);
	assert_int_equal(r.status, DB_FAILED);
	assert_string_equal(r.reasons, "[\"attempts_exhausted\"]");
	db_receipt_release(&r);
}

static void test_db__requeue_and_fail_only_touch_open_jobs(void **state)
{
	struct fx *f = *state;
	int64_t a = insert(f->db, "alice", HASH_A, NULL, NULL, DB_OK);
	struct db_receipt r;
	struct db_job j;

	assert_int_equal(db_queue_requeue(f->db, a), DB_INVALID);
	assert_int_equal(db_queue_claim(f->db, &j), DB_OK);
	assert_int_equal(db_queue_requeue(f->db, a), DB_OK);
	assert_int_equal(db_queue_claim(f->db, &j), DB_OK);
	assert_int_equal(db_queue_fail(f->db, a, "ocr_timeout"), DB_OK);
	assert_int_equal(db_queue_fail(f->db, a, "again"), DB_INVALID);
	assert_int_equal(db_queue_requeue(f->db, a + 1), DB_NOTFOUND);
	assert_int_equal(db_receipt_get(f->db, a, &r), DB_OK);
	assert_int_equal(r.status, DB_FAILED);
	assert_string_equal(r.reasons, "[\"ocr_timeout\"]");
	db_receipt_release(&r);
}

/* Re-reading takes flagged or failed receipts only; a review decides a
 * flagged one only. */
static void test_db__reprocess_and_review_touch_their_states_only(void **s)
{
	struct fx *f = *s;
	int64_t a = insert(f->db, "alice", HASH_A, NULL, NULL, DB_OK);
	int64_t b = insert(f->db, "bob", HASH_B, NULL, NULL, DB_OK);
	struct db_outcome flag = { .status = DB_FLAGGED,
				   .reasons = "[\"no_total\"]" };
	struct db_outcome ok = { .status = DB_CREDITED, .points = 5 };
	struct db_outcome review = { .status = DB_CREDITED,
				     .points = 7,
				     .review = 1 };
	struct db_outcome bad = { .status = DB_DUPLICATE, .review = 1 };
	struct db_receipt r;
	int n = -1;

	assert_int_equal(db_receipt_set_outcome(f->db, a, &flag), DB_OK);
	assert_int_equal(db_receipt_set_outcome(f->db, b, &ok), DB_OK);
	assert_int_equal(db_queue_reprocess(f->db, DB_CREDITED, 10, &n),
			 DB_INVALID);
	assert_int_equal(db_queue_reprocess(f->db, DB_FLAGGED, 10, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(db_receipt_get(f->db, a, &r), DB_OK);
	assert_int_equal(r.status, DB_QUEUED);
	assert_int_equal(r.attempts, 0);
	assert_string_equal(r.reasons, "[]");
	db_receipt_release(&r);
	assert_int_equal(db_receipt_get(f->db, b, &r), DB_OK);
	assert_int_equal(r.status, DB_CREDITED);
	db_receipt_release(&r);
	/* Queued again: no review until it is flagged again. */
	assert_int_equal(db_receipt_set_outcome(f->db, a, &review), DB_INVALID);
	assert_int_equal(db_receipt_set_outcome(f->db, a, &flag), DB_OK);
	assert_int_equal(db_receipt_set_outcome(f->db, a, &bad), DB_INVALID);
	assert_int_equal(db_receipt_set_outcome(f->db, a, &review), DB_OK);
	assert_int_equal(db_receipt_set_outcome(f->db, a, &review), DB_INVALID);
	assert_int_equal(db_receipt_get(f->db, a, &r), DB_OK);
	assert_int_equal(r.points, 7);
	db_receipt_release(&r);
}

static void test_db__outcome_is_never_overwritten(void **state)
{
	struct fx *f = *state;
	int64_t a = insert(f->db, "alice", HASH_A, NULL, NULL, DB_OK);
	struct db_outcome ok = { .status = DB_CREDITED, .points = 5 };
	struct db_outcome dup = { .status = DB_DUPLICATE,
				  .reasons = "[\"x\"]" };
	struct db_outcome open = { .status = DB_QUEUED };
	struct db_outcome rev = { .status = DB_REVERSED };

	assert_int_equal(db_receipt_set_outcome(f->db, a, &open), DB_INVALID);
	/* reversed is read from the ledger, never stored */
	assert_int_equal(db_receipt_set_outcome(f->db, a, &rev), DB_INVALID);
	assert_int_equal(db_receipt_set_outcome(f->db, a, &ok), DB_OK);
	assert_int_equal(db_receipt_set_outcome(f->db, a, &dup), DB_INVALID);
}

static void test_db__second_owner_of_an_image_is_refused(void **state)
{
	struct fx *f = *state;
	int64_t a = insert(f->db, "alice", HASH_A, NULL, NULL, DB_OK);
	int64_t b = insert(f->db, "bob", HASH_A, NULL, NULL, DB_OK);
	struct db_outcome ok = { .status = DB_CREDITED, .points = 5 };
	int64_t orig = 0;

	assert_int_equal(db_receipt_find_image(f->db, HASH_A, b, &orig),
			 DB_NOTFOUND);
	assert_int_equal(db_receipt_set_outcome(f->db, a, &ok), DB_OK);
	assert_int_equal(db_receipt_find_image(f->db, HASH_A, b, &orig), DB_OK);
	assert_int_equal(orig, a);
	assert_int_equal(db_receipt_set_outcome(f->db, b, &ok), DB_CONFLICT);
}

struct list_acc {
	int64_t ids[8];
	int n;
};

static int collect(const struct db_receipt *r, void *arg)
{
	struct list_acc *acc = arg;

	acc->ids[acc->n++] = r->id;
	return 0;
}

static void test_db__list_is_newest_first_per_user_and_pages(void **state)
{
	struct fx *f = *state;
	int64_t a1 = insert(f->db, "alice", HASH_A, NULL, NULL, DB_OK);
	int64_t b1 = insert(f->db, "bob", HASH_B, NULL, NULL, DB_OK);
	int64_t a2 = insert(f->db, "alice", HASH_C, NULL, NULL, DB_OK);
	struct list_acc acc = { .n = 0 };

	assert_int_equal(db_receipt_list(f->db, "alice", 0, 10, collect, &acc),
			 DB_OK);
	assert_int_equal(acc.n, 2);
	assert_int_equal(acc.ids[0], a2);
	assert_int_equal(acc.ids[1], a1);
	acc.n = 0;
	assert_int_equal(db_receipt_list(f->db, "alice", a2, 10, collect, &acc),
			 DB_OK);
	assert_int_equal(acc.n, 1);
	assert_int_equal(acc.ids[0], a1);
	acc.n = 0;
	assert_int_equal(db_receipt_list(f->db, "bob", 0, 1, collect, &acc),
			 DB_OK);
	assert_int_equal(acc.n, 1);
	assert_int_equal(acc.ids[0], b1);
}

static void test_db__rollback_discards_writes_of_a_transaction(void **state)
{
	struct fx *f = *state;

	assert_int_equal(db_begin(f->db), DB_OK);
	insert(f->db, "alice", HASH_A, "key-1", HASH_B, DB_OK);
	insert(f->db, "alice", HASH_A, "key-1", HASH_B, DB_EXISTS);
	assert_int_equal(db_rollback(f->db), DB_OK);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM receipts"),
			 0);
	assert_int_equal(db_rollback(f->db), DB_OK); /* none open: no-op */
}

static void test_db__debit_lowers_balance_but_never_below_zero(void **state)
{
	struct fx *f = *state;
	struct db_txn t = { .kind = "credit",
			    .account = "user:alice",
			    .points = 100,
			    .rule = "base",
			    .idem_key = "c1" };
	int64_t id = 0, points = -1;

	assert_int_equal(db_ledger_post(f->db, &t, &id), DB_OK);
	t.kind = "redemption";
	t.points = -30;
	t.idem_key = "r1";
	assert_int_equal(db_ledger_post(f->db, &t, &id), DB_OK);
	assert_int_equal(db_ledger_balance(f->db, "user:alice", &points),
			 DB_OK);
	assert_int_equal(points, 70);
	t.points = -71;
	t.idem_key = "r2";
	assert_int_equal(db_ledger_post(f->db, &t, &id), DB_INVALID);
	assert_int_equal(db_ledger_balance(f->db, "user:alice", &points),
			 DB_OK);
	assert_int_equal(points, 70);
}

/* A debit on an account without a balance row takes the trigger's
 * insert path (migration 8): a customer is refused, the program
 * account (always a debit first) goes negative, nothing is half done. */
static void test_db__first_debit_of_new_account(void **state)
{
	struct fx *f = *state;
	struct db_txn t = { .kind = "redemption",
			    .account = "user:bob",
			    .points = -5,
			    .rule = "base",
			    .idem_key = "r1" };
	int64_t id = 0, points = -1;

	assert_int_equal(db_ledger_post(f->db, &t, &id), DB_INVALID);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM"
					    " ledger_posting"),
			 0);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM"
					    " ledger_balance"),
			 0);
	t.kind = "credit";
	t.points = 40;
	t.idem_key = "c1";
	assert_int_equal(db_ledger_post(f->db, &t, &id), DB_OK);
	assert_int_equal(db_ledger_balance(f->db, "user:bob", &points), DB_OK);
	assert_int_equal(points, 40);
	assert_int_equal(db_ledger_balance(f->db, DB_PROGRAM_ACCOUNT, &points),
			 DB_OK);
	assert_int_equal(points, -40);
}

static void test_db__second_connection_claims_what_first_inserted(void **state)
{
	struct fx *f = *state;
	struct db *other = NULL;
	struct db_job j;
	int64_t a;

	assert_int_equal(db_open(f->path, &other), DB_OK);
	a = insert(f->db, "alice", HASH_A, NULL, NULL, DB_OK);
	assert_int_equal(db_queue_claim(other, &j), DB_OK);
	assert_int_equal(j.receipt_id, a);
	assert_int_equal(db_queue_claim(f->db, &j), DB_NOTFOUND);
	db_close(other);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_db__open_sets_user_version_and_wal),
		T(test_db__reopen_keeps_data_and_does_not_migrate_again),
		T(test_db__newer_schema_than_program_is_refused),
		T(test_db__get_returns_a_queued_unparsed_receipt),
		T(test_db__insert_refuses_bad_arguments),
		T(test_db__same_key_same_request_returns_same_receipt),
		T(test_db__same_key_other_request_is_mismatch),
		T(test_db__same_key_other_user_is_a_new_receipt),
		T(test_db__no_key_always_inserts),
		T(test_db__claim_takes_oldest_first_and_counts_attempt),
		T(test_db__recover_after_crash_requeues_processing),
		T(test_db__recover_fails_jobs_out_of_attempts),
		T(test_db__requeue_and_fail_only_touch_open_jobs),
		T(test_db__reprocess_and_review_touch_their_states_only),
		T(test_db__outcome_is_never_overwritten),
		T(test_db__second_owner_of_an_image_is_refused),
		T(test_db__list_is_newest_first_per_user_and_pages),
		T(test_db__rollback_discards_writes_of_a_transaction),
		T(test_db__debit_lowers_balance_but_never_below_zero),
		T(test_db__first_debit_of_new_account),
		T(test_db__second_connection_claims_what_first_inserted),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
