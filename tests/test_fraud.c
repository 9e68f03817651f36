/*
 * test_fraud.c: image hashes against the FIPS 180-2 test vectors, content
 * keys only from fully read receipts, and the duplicate check against
 * owners in a real database.
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

#include "db.h"
#include "dedup.h"
#include "banned.h"

#define SHA_EMPTY                                                              \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA_ABC                                                                \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA_448                                                                \
	"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
#define SHA_MILLION_A                                                          \
	"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

static void test_fraud__sha256_matches_known_vectors(void **state)
{
	static const char msg448[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[FRAUD_SHA256_HEX_LEN];

	(void)state;
	assert_int_equal(fraud_sha256("abc", 3, hex), FRAUD_OK);
	assert_string_equal(hex, SHA_ABC);
	assert_int_equal(fraud_sha256("", 0, hex), FRAUD_OK);
	assert_string_equal(hex, SHA_EMPTY);
	assert_int_equal(fraud_sha256(msg448, strlen(msg448), hex), FRAUD_OK);
	assert_string_equal(hex, SHA_448);
}

static void test_fraud__sha256_in_pieces_equals_sha256_at_once(void **state)
{
	struct fraud_sha256_ctx *ctx = NULL;
	char chunk[1000];
	char hex[FRAUD_SHA256_HEX_LEN];

	(void)state;
	memset(chunk, 'a', sizeof(chunk));
	assert_int_equal(fraud_sha256_init(&ctx), FRAUD_OK);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(fraud_sha256_update(ctx, chunk, sizeof(chunk)),
				 FRAUD_OK);
	assert_int_equal(fraud_sha256_final(ctx, hex), FRAUD_OK);
	assert_string_equal(hex, SHA_MILLION_A);
	fraud_sha256_free(NULL);
}

static void full_receipt(struct receipt *r)
{
	receipt_init(r);
	memcpy(r->store, "rewe", sizeof("rewe"));
	memcpy(r->date, "2024-03-01", sizeof("2024-03-01"));
	memcpy(r->time, "12:34", sizeof("12:34"));
	memcpy(r->receipt_number, "0042", sizeof("0042"));
	r->total = 1299;
}

static void test_fraud__content_key_joins_all_fields(void **state)
{
	struct receipt r;
	char key[FRAUD_CONTENT_KEY_LEN];

	(void)state;
	full_receipt(&r);
	assert_int_equal(fraud_content_key(&r, key, sizeof(key)), FRAUD_OK);
	assert_string_equal(key, "rewe|2024-03-01|12:34|1299|0042");
}

static void test_fraud__content_key_needs_every_field(void **state)
{
	struct receipt r;
	char key[FRAUD_CONTENT_KEY_LEN];

	(void)state;
	full_receipt(&r);
	r.receipt_number[0] = '\0';
	assert_int_equal(fraud_content_key(&r, key, sizeof(key)),
			 FRAUD_ERR_UNKNOWN);
	assert_string_equal(key, "");
	full_receipt(&r);
	r.total = RECEIPT_UNKNOWN;
	assert_int_equal(fraud_content_key(&r, key, sizeof(key)),
			 FRAUD_ERR_UNKNOWN);
	full_receipt(&r);
	r.time[0] = '\0';
	assert_int_equal(fraud_content_key(&r, key, sizeof(key)),
			 FRAUD_ERR_UNKNOWN);
	full_receipt(&r);
	assert_int_equal(fraud_content_key(&r, key, 8), FRAUD_ERR_UNKNOWN);
	assert_string_equal(key, "");
}

static void test_fraud__generic_store_is_keyed_by_printed_name(void **state)
{
	struct receipt r;
	char key[FRAUD_CONTENT_KEY_LEN];

	(void)state;
	full_receipt(&r);
	memcpy(r.store, "generic", sizeof("generic"));
	assert_int_equal(fraud_content_key(&r, key, sizeof(key)),
			 FRAUD_ERR_UNKNOWN);
	memcpy(r.store_name, "KEDAI|ALI", sizeof("KEDAI|ALI"));
	assert_int_equal(fraud_content_key(&r, key, sizeof(key)), FRAUD_OK);
	assert_string_equal(key, "KEDAI ALI|2024-03-01|12:34|1299|0042");
}

/* A parsed receipt's JSON with a TSE block: serial, transaction number
 * and signature counter. */
#define TSE_JSON(serial, tx, sig)                                              \
	"{\"tse\":{\"serial\":\"" serial "\",\"transaction\":\"" tx            \
	"\",\"signature_counter\":\"" sig "\"}}"
#define SERIAL "9f63856fcb156d3a886c118614d0aa11"

/* A real database in a temporary folder, for the duplicate checks. */
struct fx {
	char dir[40];
	char path[96];
	struct db *db;
};

static int fx_open(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/receiptd-test-fraud-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/r.db", f->dir);
	if (db_open(f->path, &f->db) != DB_OK)
		return -1;
	*state = f;
	return 0;
}

static int fx_close(void **state)
{
	struct fx *f = *state;
	char p[128];

	db_close(f->db);
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", f->path,
			 (const char *[]){ "", "-wal", "-shm" }[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Inserts a queued receipt of user with image sha; returns its id. */
static int64_t add(struct db *db, const char *user, const char *sha)
{
	struct db_receipt_new n = { .user_id = user,
				    .image_sha256 = sha,
				    .image_path = "/x",
				    .content_type = "i/p" };
	int64_t id = 0;

	assert_int_equal(db_receipt_insert(db, &n, &id), DB_OK);
	return id;
}

/* Stores a parse of the full receipt with parsed JSON and content key. */
static void parse(struct db *db, int64_t id, const char *parsed,
		  const char *key)
{
	struct receipt r;

	full_receipt(&r);
	assert_int_equal(db_receipt_set_parse(db, id, &r, parsed, key), DB_OK);
}

static void settle(struct db *db, int64_t id, enum db_status st)
{
	struct db_outcome o = { .status = st };

	assert_int_equal(db_receipt_set_outcome(db, id, &o), DB_OK);
}

/* Checks receipt id (image sha, content key) and returns the original it
 * copies, 0 for none; *dup says how. */
static int64_t copy_of(struct db *db, int64_t id, const char *sha,
		       const char *key, enum fraud_dup *dup)
{
	struct fraud_verdict v;

	assert_int_equal(fraud_check_duplicate(db, id, sha, key, &v), FRAUD_OK);
	*dup = v.dup;
	return v.dup == FRAUD_ORIGINAL ? 0 : v.original_id;
}

#define KEY_A "rewe|2024-03-01|12:34|1299|0042"
#define KEY_B "rewe|2024-03-01|12:54|1299|1"

/* The duplicate check on a real database: only credited or flagged
 * receipts own an image, a TSE sale or a content key. */
static void test_fraud__only_settled_receipts_are_originals(void **state)
{
	struct fx *f = *state;
	struct db *db = f->db;
	int64_t a = add(db, "alice", SHA_ABC), b = add(db, "bob", SHA_ABC);
	int64_t c, d;
	struct fraud_verdict v;
	enum fraud_dup dup;

	/* a is still queued: b is not a copy of anything yet */
	assert_int_equal(copy_of(db, b, SHA_ABC, NULL, &dup), 0);
	parse(db, a, "{}", KEY_A);
	settle(db, a, DB_CREDITED);
	assert_int_equal(copy_of(db, b, SHA_ABC, NULL, &dup), a);
	assert_int_equal(dup, FRAUD_DUP_IMAGE);
	assert_int_equal(copy_of(db, b, SHA_EMPTY, KEY_A, &dup), a);
	assert_int_equal(dup, FRAUD_DUP_CONTENT);
	/* a receipt is never a copy of itself */
	assert_int_equal(copy_of(db, a, SHA_ABC, NULL, &dup), 0);

	/* The same TSE sale, its time and serial read differently (a
	 * digit added mid-serial): a copy. */
	c = add(db, "carol", SHA_448);
	d = add(db, "carol", SHA_MILLION_A);
	parse(db, c, TSE_JSON(SERIAL, "4711", "88"),
	      "rewe|2024-03-01|12:34|1299|1");
	settle(db, c, DB_CREDITED);
	parse(db, d,
	      TSE_JSON("9f63856fcb1569d3a886c118614d0aa11", "4711", "88"),
	      KEY_B);
	assert_int_equal(fraud_check_duplicate(db, d, SHA_MILLION_A, KEY_B, &v),
			 FRAUD_OK);
	assert_int_equal(v.dup, FRAUD_DUP_TSE);
	assert_int_equal(v.original_id, c);
	assert_string_equal(v.reason, "duplicate_tse of receipt 3");
	/* The next transaction, or another TSE's sale with the same
	 * numbers, is another sale. */
	parse(db, d, TSE_JSON(SERIAL, "4712", "89"), KEY_B);
	assert_int_equal(copy_of(db, d, SHA_MILLION_A, NULL, &dup), 0);
	parse(db, d, TSE_JSON("0123456789abcdef0123456789abcdef", "4711", "88"),
	      KEY_B);
	assert_int_equal(copy_of(db, d, SHA_MILLION_A, NULL, &dup), 0);
}

/* A flagged receipt queued to be read again keeps its image, content and
 * TSE sale while it waits: the same receipt uploaded meanwhile by someone
 * else is the copy, and the first one is still the original after. */
static void test_fraud__receipt_read_again_stays_original(void **state)
{
	struct fx *f = *state;
	struct db *db = f->db;
	struct db_outcome ok = { .status = DB_CREDITED };
	int64_t a = add(db, "alice", SHA_ABC), b;
	enum fraud_dup dup;
	int requeued = 0;

	parse(db, a, TSE_JSON(SERIAL, "4711", "88"), KEY_B);
	settle(db, a, DB_FLAGGED);
	assert_int_equal(db_queue_reprocess(db, DB_FLAGGED, 10, &requeued),
			 DB_OK);
	assert_int_equal(requeued, 1);

	b = add(db, "bob", SHA_ABC);
	/* b is fresh: it owns nothing before its own parse is settled */
	assert_int_equal(copy_of(db, a, SHA_ABC, NULL, &dup), 0);
	assert_int_equal(copy_of(db, b, SHA_ABC, NULL, &dup), a);
	assert_int_equal(dup, FRAUD_DUP_IMAGE);
	assert_int_equal(copy_of(db, b, SHA_EMPTY, KEY_B, &dup), a);
	assert_int_equal(dup, FRAUD_DUP_CONTENT);
	parse(db, b, TSE_JSON(SERIAL, "4711", "88"), NULL);
	assert_int_equal(copy_of(db, b, SHA_EMPTY, NULL, &dup), a);
	assert_int_equal(dup, FRAUD_DUP_TSE);
	/* Settled again, a owns as before and b can never own beside it. */
	settle(db, a, DB_FLAGGED);
	assert_int_equal(copy_of(db, b, SHA_ABC, NULL, &dup), a);
	assert_int_equal(db_receipt_set_outcome(db, b, &ok), DB_CONFLICT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fraud__sha256_matches_known_vectors),
		cmocka_unit_test(
			test_fraud__sha256_in_pieces_equals_sha256_at_once),
		cmocka_unit_test(test_fraud__content_key_joins_all_fields),
		cmocka_unit_test(test_fraud__content_key_needs_every_field),
		cmocka_unit_test(
			test_fraud__generic_store_is_keyed_by_printed_name),
		cmocka_unit_test_setup_teardown(
			test_fraud__only_settled_receipts_are_originals,
			fx_open, fx_close),
		cmocka_unit_test_setup_teardown(
			test_fraud__receipt_read_again_stays_original, fx_open,
			fx_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
