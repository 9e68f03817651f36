/*
 * daemon_test.c: receiptd end to end: the real binary with real SQLite and
 * Tesseract, over HTTP on 127.0.0.1 (see harness.h). Intake, errors and
 * roles, duplicates and idempotency share one daemon; the crash tests get
 * a daemon each. Run from the top of the tree after make build/receiptd.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <cmocka.h>

#include "harness.h"
#include "banned.h"

/* Small enough that a test can offer a few bytes more. */
#define TEST_MAX_UPLOAD (4 * 1024 * 1024)
#define TEST_READY_TIMEOUT_MS 10000
#define TEST_MAX_FIXTURES 8

static int daemon_setup(void **state)
{
	struct harness *h = calloc(1, sizeof(*h));

	if (!h)
		return -1;
	if (harness_init(h, TEST_MAX_UPLOAD) < 0 || harness_start(h) < 0) {
		harness_release(h);
		free(h);
		return -1;
	}
	*state = h;
	return 0;
}

/* cmocka calls this after a failed group setup too, with no state. */
static int daemon_teardown(void **state)
{
	if (!*state)
		return 0;
	harness_release(*state);
	free(*state);
	*state = NULL;
	return 0;
}

/* Asserts the documented error shape: status and {"error":{code,message}}. */
static void assert_error(const struct harness_resp *r, long status,
			 const char *code)
{
	json_t *err = json_object_get(r->json, "error");
	const char *c = json_string_value(json_object_get(err, "code"));
	const char *m = json_string_value(json_object_get(err, "message"));

	assert_int_equal(r->status, status);
	assert_non_null(c);
	assert_string_equal(c, code);
	assert_non_null(m);
	assert_true(m[0] != '\0');
}

static long long upload_ok(struct harness *h, const char *user,
			   const char *fixture, const char *idem_key)
{
	struct harness_resp r;
	char path[HARNESS_PATH_LEN];
	long long id;

	harness_fixture(fixture, path, sizeof(path));
	assert_int_equal(harness_upload(h, user, path, idem_key, &r), 0);
	assert_int_equal(r.status, 202);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "status")), "queued");
	id = json_integer_value(json_object_get(r.json, "id"));
	assert_true(id > 0);
	harness_resp_release(&r);
	return id;
}

/* Waits for a final status; returns the receipt (caller decrefs). */
static json_t *wait_final(struct harness *h, long long id)
{
	json_t *rec = harness_wait_final(h, id, HARNESS_FINAL_TIMEOUT_MS);

	assert_non_null(rec);
	return rec;
}

static const char *status_of(json_t *rec)
{
	const char *s = json_string_value(json_object_get(rec, "status"));

	return s ? s : "(none)";
}

/* A decimal constant of harness.h as a number. */
static long long atoi_strict(const char *s)
{
	char *end = NULL;
	long long v = strtoll(s, &end, 10);

	assert_true(end != NULL && *end == '\0');
	return v;
}

static long long points_of(json_t *o)
{
	json_t *v = json_object_get(o, "points");

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/* Asserts rec is credited with the truth total and floor(total / 100). */
static long long assert_credited(json_t *rec, const char *fixture)
{
	char path[HARNESS_PATH_LEN];
	long long truth;

	truth = harness_truth_total(
		harness_fixture(fixture, path, sizeof(path)));
	assert_true(truth > 0);
	assert_string_equal(status_of(rec), "credited");
	assert_int_equal(json_integer_value(json_object_get(rec, "total")),
			 truth);
	assert_int_equal(points_of(rec), truth / 100);
	/* The whole parsed receipt is served, VAT table included. */
	assert_true(json_is_array(json_object_get(rec, "vat")));
	return truth / 100;
}

static long long balance_of(struct harness *h, const char *user)
{
	struct harness_resp r;
	char path[HARNESS_PATH_LEN];
	long long points;

	snprintf(path, sizeof(path), "/v1/users/%s/balance", user);
	assert_int_equal(harness_get(h, path, HARNESS_APP_KEY, &r), 0);
	assert_int_equal(r.status, 200);
	points = points_of(r.json);
	harness_resp_release(&r);
	return points;
}

/* GETs /v1/users/USER/WHAT and returns the array named key (incref'd). */
static json_t *user_list(struct harness *h, const char *user, const char *what,
			 const char *key)
{
	struct harness_resp r;
	char path[HARNESS_PATH_LEN];
	json_t *arr;

	snprintf(path, sizeof(path), "/v1/users/%s/%s", user, what);
	assert_int_equal(harness_get(h, path, HARNESS_APP_KEY, &r), 0);
	assert_int_equal(r.status, 200);
	arr = json_object_get(r.json, key);
	assert_true(json_is_array(arr));
	json_incref(arr);
	harness_resp_release(&r);
	return arr;
}

static size_t receipt_count(struct harness *h, const char *user)
{
	json_t *arr = user_list(h, user, "receipts?limit=100", "receipts");
	size_t n = json_array_size(arr);

	json_decref(arr);
	return n;
}

/*
 * Asserts that the user's ledger holds exactly one posting per receipt in
 * ids and nothing else, and that the postings add up to the balance.
 */
static void assert_ledger_once_each(struct harness *h, const char *user,
				    const long long *ids, size_t n)
{
	json_t *arr = user_list(h, user, "ledger", "postings"), *p;
	long long sum = 0;
	size_t i, j, seen;

	assert_int_equal(json_array_size(arr), n);
	for (i = 0; i < n; i++) {
		seen = 0;
		for (j = 0; j < json_array_size(arr); j++) {
			p = json_array_get(arr, j);
			if (json_integer_value(json_object_get(p, "receipt")) ==
			    ids[i])
				seen++;
		}
		assert_int_equal(seen, 1);
	}
	for (j = 0; j < json_array_size(arr); j++)
		sum += points_of(json_array_get(arr, j));
	assert_int_equal(sum, balance_of(h, user));
	json_decref(arr);
}

static void test_health__healthz_answers_200_without_key(void **state)
{
	struct harness_resp r;

	assert_int_equal(harness_get(*state, "/healthz", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "status")), "ok");
	harness_resp_release(&r);
}

/* Waits (bounded) until /readyz answers 200 and returns its body. */
static json_t *wait_ready(struct harness *h)
{
	long long deadline = harness_now_ms() + TEST_READY_TIMEOUT_MS;
	struct harness_req q = { .path = "/readyz", .quiet = 1 };
	struct harness_resp r = { 0 };
	json_t *body = NULL;

	while (!body && harness_now_ms() < deadline) {
		if (harness_request(h, &q, &r) == 0 && r.status == 200)
			body = json_incref(r.json);
		harness_resp_release(&r);
		if (!body)
			harness_sleep_ms(50);
	}
	assert_non_null(body);
	return body;
}

static void test_health__readyz_answers_200_with_workers_up(void **state)
{
	json_t *body = wait_ready(*state);

	assert_string_equal(json_string_value(json_object_get(body, "status")),
			    "ready");
	assert_true(json_integer_value(json_object_get(body, "workers")) >= 1);
	json_decref(body);
}

static void
test_upload__fixtures_are_credited_with_floor_eur_points(void **state)
{
	static const char *const fx[] = { "002.jpg", "006.png", "008.png",
					  "009.jpg" };
	struct harness *h = *state;
	long long ids[4], sum = 0;
	json_t *rec;
	size_t i;

	for (i = 0; i < 4; i++)
		ids[i] = upload_ok(h, "alice", fx[i], NULL);
	for (i = 0; i < 4; i++) {
		rec = wait_final(h, ids[i]);
		sum += assert_credited(rec, fx[i]);
		assert_string_equal(
			json_string_value(json_object_get(rec, "user")),
			"alice");
		json_decref(rec);
	}
	assert_int_equal(balance_of(h, "alice"), sum);
	assert_int_equal(receipt_count(h, "alice"), 4);
	assert_ledger_once_each(h, "alice", ids, 4);
}

static void test_upload__same_image_by_other_user_is_duplicate(void **state)
{
	struct harness *h = *state;
	long long first, again, points;
	json_t *rec;

	first = upload_ok(h, "carol", "012.png", NULL);
	rec = wait_final(h, first);
	points = assert_credited(rec, "012.png");
	json_decref(rec);

	again = upload_ok(h, "dave", "012.png", NULL);
	rec = wait_final(h, again);
	assert_string_equal(status_of(rec), "duplicate");
	assert_int_equal(points_of(rec), 0);
	assert_true(json_array_size(json_object_get(rec, "reasons")) > 0);
	json_decref(rec);
	assert_int_equal(balance_of(h, "dave"), 0);
	assert_int_equal(balance_of(h, "carol"), points);
}

/* Two photos of one REWE receipt (fixtures/chains): other bytes, the
 * same TSE sale. */
static void test_upload__second_photo_of_tse_sale_is_duplicate(void **state)
{
	struct harness *h = *state;
	long long first, again;
	json_t *rec, *reasons;

	first = upload_ok(h, "tessa", "../chains/rewe/001.png", NULL);
	rec = wait_final(h, first);
	assert_credited(rec, "../chains/rewe/001.png");
	assert_string_equal(json_string_value(json_object_get(rec, "store")),
			    "rewe");
	json_decref(rec);

	again = upload_ok(h, "ulli", "../chains/rewe/001.second.jpg", NULL);
	rec = wait_final(h, again);
	assert_string_equal(status_of(rec), "duplicate");
	reasons = json_object_get(rec, "reasons");
	assert_non_null(strstr(json_string_value(json_array_get(reasons, 0)),
			       "duplicate_tse"));
	json_decref(rec);
}

static void test_idempotency__same_key_and_body_give_one_receipt(void **state)
{
	struct harness *h = *state;
	long long a, b;

	a = upload_ok(h, "erin", "013.jpg", "idem-key-1");
	b = upload_ok(h, "erin", "013.jpg", "idem-key-1");
	assert_int_equal(a, b);
	assert_int_equal(receipt_count(h, "erin"), 1);
}

static void test_idempotency__same_key_other_body_is_422(void **state)
{
	struct harness *h = *state;
	struct harness_resp r;
	char path[HARNESS_PATH_LEN];

	upload_ok(h, "frank", "015.jpg", "idem-key-2");
	harness_fixture("018.png", path, sizeof(path));
	assert_int_equal(harness_upload(h, "frank", path, "idem-key-2", &r), 0);
	assert_error(&r, 422, "idempotency_mismatch");
	harness_resp_release(&r);
	assert_int_equal(receipt_count(h, "frank"), 1);
	/* Keys are scoped per user: another user may use the same one. */
	upload_ok(h, "gina", "018.png", "idem-key-2");
}

static void post_body(struct harness *h, const char *ctype, const char *body,
		      long status, const char *code)
{
	struct harness_req q = { .path = "/v1/users/hank/receipts",
				 .key = HARNESS_APP_KEY,
				 .ctype = ctype,
				 .body = body,
				 .len = strlen(body) };
	struct harness_resp r;

	assert_int_equal(harness_request(h, &q, &r), 0);
	assert_error(&r, status, code);
	harness_resp_release(&r);
}

static void test_upload__text_is_415_whatever_its_content_type(void **state)
{
	static const char text[] = "SUMME 12,34\nthis is not an image\n";
	struct harness *h = *state;

	post_body(h, "text/plain", text, 415, "unsupported_media_type");
	post_body(h, "image/png", text, 415, "unsupported_media_type");
	post_body(h, "image/jpeg", text, 415, "unsupported_media_type");
	post_body(h, NULL, text, 415, "unsupported_media_type");
	assert_int_equal(receipt_count(h, "hank"), 0);
}

static void
test_upload__over_max_upload_bytes_is_413_before_reading(void **state)
{
	struct harness_req q = { .path = "/v1/users/hank/receipts",
				 .key = HARNESS_APP_KEY,
				 .ctype = "image/png",
				 .gen_magic = "\x89PNG\r\n\x1a\n",
				 .len = TEST_MAX_UPLOAD + 16 };
	struct harness_resp r;

	assert_int_equal(harness_request(*state, &q, &r), 0);
	assert_error(&r, 413, "payload_too_large");
	/* Refused from Content-Length: the body was not all taken. */
	assert_true(r.sent < TEST_MAX_UPLOAD);
	harness_resp_release(&r);
}

static void test_upload__chunked_body_over_limit_is_413(void **state)
{
	struct harness_req q = { .path = "/v1/users/hank/receipts",
				 .key = HARNESS_APP_KEY,
				 .ctype = "image/png",
				 .gen_magic = "\x89PNG\r\n\x1a\n",
				 .len = TEST_MAX_UPLOAD + 1024 * 1024,
				 .chunked = 1 };
	struct harness_resp r;

	assert_int_equal(harness_request(*state, &q, &r), 0);
	assert_error(&r, 413, "payload_too_large");
	harness_resp_release(&r);
	assert_int_equal(receipt_count(*state, "hank"), 0);
}

static void test_auth__missing_or_unknown_key_is_401(void **state)
{
	static const char *const keys[] = { NULL, "not-a-configured-key",
					    "dev-app-key-but-longer" };
	struct harness *h = *state;
	struct harness_req q = { .path = "/v1/users/ivan/receipts",
				 .ctype = "image/png",
				 .body = "\x89PNG\r\n\x1a\n",
				 .len = 8 };
	struct harness_resp r;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		assert_int_equal(
			harness_get(h, "/v1/users/ivan/balance", keys[i], &r),
			0);
		assert_error(&r, 401, "unauthorized");
		harness_resp_release(&r);
		q.key = keys[i];
		assert_int_equal(harness_request(h, &q, &r), 0);
		assert_error(&r, 401, "unauthorized");
		harness_resp_release(&r);
	}
}

static void test_auth__app_key_cannot_read_other_users_receipt(void **state)
{
	struct harness *h = *state;
	struct harness_resp r;
	char path[HARNESS_PATH_LEN];
	long long id = upload_ok(h, "judy", "004.jpg", NULL);

	snprintf(path, sizeof(path), "/v1/users/mallory/receipts/%lld", id);
	assert_int_equal(harness_get(h, path, HARNESS_APP_KEY, &r), 0);
	if (r.status == 403)
		assert_error(&r, 403, "forbidden");
	else
		assert_error(&r, 404, "not_found");
	assert_null(strstr(r.body, "judy"));
	harness_resp_release(&r);

	snprintf(path, sizeof(path), "/v1/users/judy/receipts/%lld", id);
	assert_int_equal(harness_get(h, path, HARNESS_APP_KEY, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "id")), id);
	harness_resp_release(&r);
}

static void test_auth__receipt_by_id_is_staff_only(void **state)
{
	static const char *const staff[] = { HARNESS_STAFF_KEY,
					     HARNESS_OPERATOR_KEY };
	struct harness *h = *state;
	struct harness_resp r;
	char path[HARNESS_PATH_LEN];
	long long id = upload_ok(h, "kate", "007.jpg", NULL);
	size_t i;

	snprintf(path, sizeof(path), "/v1/receipts/%lld", id);
	assert_int_equal(harness_get(h, path, HARNESS_APP_KEY, &r), 0);
	assert_error(&r, 403, "forbidden");
	harness_resp_release(&r);
	for (i = 0; i < 2; i++) {
		assert_int_equal(harness_get(h, path, staff[i], &r), 0);
		assert_int_equal(r.status, 200);
		assert_string_equal(
			json_string_value(json_object_get(r.json, "user")),
			"kate");
		harness_resp_release(&r);
	}
}

static void expect_error(struct harness *h, const char *method,
			 const char *path, const char *key, long status,
			 const char *code)
{
	struct harness_req q = { .method = method, .path = path, .key = key };
	struct harness_resp r;

	assert_int_equal(harness_request(h, &q, &r), 0);
	assert_error(&r, status, code);
	harness_resp_release(&r);
}

static void test_api__bad_user_id_is_400(void **state)
{
	char path[HARNESS_PATH_LEN];

	expect_error(*state, NULL, "/v1/users/bad%20user/balance",
		     HARNESS_APP_KEY, 400, "bad_request");
	expect_error(*state, NULL, "/v1/users/al$ce/ledger", HARNESS_APP_KEY,
		     400, "bad_request");
	snprintf(path, sizeof(path), "/v1/users/%065d/balance", 7);
	expect_error(*state, NULL, path, HARNESS_APP_KEY, 400, "bad_request");
}

static void test_api__unknown_route_404_wrong_method_405(void **state)
{
	expect_error(*state, NULL, "/v1/nothing-here", HARNESS_APP_KEY, 404,
		     "not_found");
	expect_error(*state, NULL, "/v1/receipts/999999", HARNESS_STAFF_KEY,
		     404, "not_found");
	expect_error(*state, "DELETE", "/v1/users/lara/balance",
		     HARNESS_APP_KEY, 405, "method_not_allowed");
	expect_error(*state, "PUT", "/v1/users/lara/receipts", HARNESS_APP_KEY,
		     405, "method_not_allowed");
}

/* POSTs a JSON text to path with key; the caller releases *r. */
static void post_json(struct harness *h, const char *path, const char *key,
		      const char *json, struct harness_resp *r)
{
	struct harness_req q = { .method = "POST",
				 .path = path,
				 .key = key,
				 .ctype = "application/json",
				 .body = json,
				 .len = strlen(json) };

	assert_int_equal(harness_request(h, &q, r), 0);
}

static void redeem_expect(struct harness *h, const char *json, long status,
			  const char *code)
{
	struct harness_resp r;

	post_json(h, "/v1/users/olga/redemptions", HARNESS_APP_KEY, json, &r);
	assert_error(&r, status, code);
	harness_resp_release(&r);
}

static void test_rewards__catalogue_comes_from_the_rules_file(void **state)
{
	struct harness_resp r;
	json_t *arr;

	assert_int_equal(
		harness_get(*state, "/v1/rewards", HARNESS_APP_KEY, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "rules_version")),
		HARNESS_RULES_VERSION);
	arr = json_object_get(r.json, "rewards");
	assert_int_equal(json_array_size(arr), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(arr, 0), "reward")),
			    HARNESS_CHEAP_REWARD);
	assert_int_equal(points_of(json_array_get(arr, 0)), 1);
	harness_resp_release(&r);
	expect_error(*state, NULL, "/v1/rewards", NULL, 401, "unauthorized");
}

/* Earn, redeem, replay, refuse; then the voucher is used once at the till. */
static void test_redeem__voucher_once_replay_free_and_used_once(void **state)
{
	struct harness *h = *state;
	static const char body[] = "{\"reward\": \"" HARNESS_CHEAP_REWARD
				   "\", \"idempotency_key\": \"r-1\"}";
	struct harness_resp a, b;
	char path[HARNESS_PATH_LEN], code[64];
	long long before;
	json_t *rec;

	rec = wait_final(h, upload_ok(h, "olga", "003.jpg", NULL));
	before = assert_credited(rec, "003.jpg");
	json_decref(rec);
	assert_true(before >= 1);
	post_json(h, "/v1/users/olga/redemptions", HARNESS_APP_KEY, body, &a);
	assert_int_equal(a.status, 201);
	assert_int_equal(points_of(a.json), 1);
	snprintf(code, sizeof(code), "%s",
		 json_string_value(json_object_get(
			 json_object_get(a.json, "voucher"), "code")));
	assert_int_equal(strlen(code), 12);
	assert_int_equal(balance_of(h, "olga"), before - 1);
	/* the same key: the same answer, no second debit */
	post_json(h, "/v1/users/olga/redemptions", HARNESS_APP_KEY, body, &b);
	assert_int_equal(b.status, 201);
	assert_true(json_equal(a.json, b.json));
	assert_int_equal(balance_of(h, "olga"), before - 1);
	harness_resp_release(&a);
	harness_resp_release(&b);

	redeem_expect(h,
		      "{\"reward\": \"" HARNESS_DEAR_REWARD
		      "\", \"idempotency_key\": \"r-1\"}",
		      422, "idempotency_mismatch");
	redeem_expect(h,
		      "{\"reward\": \"" HARNESS_DEAR_REWARD
		      "\", \"idempotency_key\": \"r-2\"}",
		      409, "insufficient_points");
	redeem_expect(h,
		      "{\"reward\": \"caviar\", \"idempotency_key\": \"r-3\"}",
		      404, "unknown_reward");
	redeem_expect(h, "{\"reward\": \"sticker\"}", 400, "bad_request");
	redeem_expect(h, "not json", 400, "bad_request");
	assert_int_equal(balance_of(h, "olga"), before - 1);

	snprintf(path, sizeof(path), "/v1/vouchers/%s/use", code);
	post_json(h, path, HARNESS_APP_KEY, "", &a);
	assert_error(&a, 403, "forbidden");
	harness_resp_release(&a);
	post_json(h, path, HARNESS_STAFF_KEY, "", &a);
	assert_int_equal(a.status, 200);
	assert_string_equal(json_string_value(json_object_get(a.json, "user")),
			    "olga");
	assert_true(json_is_string(json_object_get(a.json, "used_at")));
	harness_resp_release(&a);
	post_json(h, path, HARNESS_OPERATOR_KEY, "", &a);
	assert_error(&a, 409, "voucher_used");
	harness_resp_release(&a);
	post_json(h, "/v1/vouchers/NOSUCHCODE00/use", HARNESS_STAFF_KEY, "",
		  &a);
	assert_error(&a, 404, "not_found");
	harness_resp_release(&a);
	expect_error(h, NULL, path, HARNESS_STAFF_KEY, 405,
		     "method_not_allowed");
}

static void test_balance__shows_tier_and_points_to_next_tier(void **state)
{
	struct harness *h = *state;
	struct harness_resp r;
	json_t *rec, *pc;
	long long earned;

	rec = wait_final(h,
			 upload_ok(h, "petra", "../chains/lidl/001.png", NULL));
	earned = assert_credited(rec, "../chains/lidl/001.png");
	json_decref(rec);
	assert_int_equal(
		harness_get(h, "/v1/users/petra/balance", HARNESS_APP_KEY, &r),
		0);
	assert_int_equal(r.status, 200);
	assert_int_equal(points_of(r.json), earned);
	assert_string_equal(json_string_value(json_object_get(r.json, "tier")),
			    HARNESS_TIER);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "next_tier")),
		HARNESS_NEXT_TIER);
	assert_int_equal(
		json_integer_value(json_object_get(r.json, "rolling_points")),
		earned);
	assert_int_equal(json_integer_value(json_object_get(
				 r.json, "points_to_next_tier")),
			 1000000 - earned);
	harness_resp_release(&r);

	assert_int_equal(harness_get(h, "/v1/users/petra/punchcards",
				     HARNESS_APP_KEY, &r),
			 0);
	assert_int_equal(r.status, 200);
	pc = json_array_get(json_object_get(r.json, "punchcards"), 0);
	assert_non_null(pc);
	assert_string_equal(json_string_value(json_object_get(pc, "rule")),
			    HARNESS_PUNCHCARD);
	assert_int_equal(json_integer_value(json_object_get(pc, "count")), 0);
	assert_int_equal(json_integer_value(json_object_get(pc, "remaining")),
			 10);
	harness_resp_release(&r);
}

/* ---- the loyalty programme's other rule kinds ---- */

/* POSTs json to path with key; asserts status and returns the body
 * (caller decrefs). */
static json_t *post_expect(struct harness *h, const char *path, const char *key,
			   const char *json, long status)
{
	struct harness_resp r;
	json_t *j;

	post_json(h, path, key, json, &r);
	if (r.status != status)
		fail_msg("POST %s: %ld, wanted %ld: %.200s", path, r.status,
			 status, r.body ? r.body : "");
	j = json_incref(r.json);
	harness_resp_release(&r);
	return j;
}

static void post_error(struct harness *h, const char *path, const char *key,
		       const char *json, long status, const char *code)
{
	struct harness_resp r;

	post_json(h, path, key, json, &r);
	assert_error(&r, status, code);
	harness_resp_release(&r);
}

/* The user's ledger postings of one kind. */
static size_t postings_of_kind(struct harness *h, const char *user,
			       const char *kind)
{
	json_t *arr = user_list(h, user, "ledger", "postings"), *p;
	size_t i, n = 0;

	json_array_foreach(arr, i, p)
	{
		const char *k = json_string_value(json_object_get(p, "kind"));

		n += k != NULL && strcmp(k, kind) == 0;
	}
	json_decref(arr);
	return n;
}

static long long credited_upload(struct harness *h, const char *user,
				 const char *fixture, long long *id)
{
	json_t *rec;
	long long points;

	*id = upload_ok(h, user, fixture, NULL);
	rec = wait_final(h, *id);
	points = assert_credited(rec, fixture);
	json_decref(rec);
	return points;
}

static void test_activity__paid_once_per_key_capped_per_day(void **state)
{
	struct harness *h = *state;
	static const char body[] = "{\"kind\": \"" HARNESS_ACTIVITY
				   "\", \"idempotency_key\": \"a-1\"}";
	json_t *a, *b;

	a = post_expect(h, "/v1/users/ada/activities", HARNESS_APP_KEY, body,
			201);
	assert_int_equal(points_of(a), atoi_strict(HARNESS_ACTIVITY_POINTS));
	b = post_expect(h, "/v1/users/ada/activities", HARNESS_APP_KEY, body,
			201);
	assert_true(json_equal(a, b)); /* the same answer, no second credit */
	json_decref(a);
	json_decref(b);
	post_error(h, "/v1/users/ada/activities", HARNESS_APP_KEY,
		   "{\"kind\": \"" HARNESS_ACTIVITY
		   "\", \"idempotency_key\": \"a-2\"}",
		   409, "activity_cap");
	post_error(h, "/v1/users/ada/activities", HARNESS_APP_KEY,
		   "{\"kind\": \"moonwalk\", \"idempotency_key\": \"a-3\"}",
		   404, "unknown_activity");
	post_error(h, "/v1/users/ada/activities", HARNESS_APP_KEY,
		   "{\"kind\": \"" HARNESS_ACTIVITY "\"}", 400, "bad_request");
	post_error(h, "/v1/users/ada/activities", NULL, body, 401,
		   "unauthorized");
	assert_int_equal(balance_of(h, "ada"),
			 atoi_strict(HARNESS_ACTIVITY_POINTS));
	assert_int_equal(postings_of_kind(h, "ada", "activity"), 1);
}

static void test_referral__both_paid_once_by_first_receipt(void **state)
{
	struct harness *h = *state;
	long long id, earned;
	json_t *j;

	j = post_expect(h, "/v1/users/rita/referral", HARNESS_APP_KEY,
			"{\"referred_by\": \"rolf\"}", 201);
	json_decref(j);
	post_error(h, "/v1/users/rita/referral", HARNESS_APP_KEY,
		   "{\"referred_by\": \"rudi\"}", 409, "already_referred");
	post_error(h, "/v1/users/rolf/referral", HARNESS_APP_KEY,
		   "{\"referred_by\": \"rita\"}", 422, "referral_cycle");
	post_error(h, "/v1/users/sam/referral", HARNESS_APP_KEY,
		   "{\"referred_by\": \"sam\"}", 422, "referral_cycle");
	post_error(h, "/v1/users/sam/referral", HARNESS_APP_KEY, "{}", 400,
		   "bad_request");
	assert_int_equal(balance_of(h, "rolf"), 0);
	earned = credited_upload(h, "rita", "../chains/dm/001.png", &id);
	assert_int_equal(balance_of(h, "rita"),
			 earned + atoi_strict(HARNESS_REFEREE_POINTS));
	assert_int_equal(balance_of(h, "rolf"),
			 atoi_strict(HARNESS_REFERRER_POINTS));
	earned += credited_upload(h, "rita", "../chains/edeka/001.png", &id);
	assert_int_equal(balance_of(h, "rita"),
			 earned + atoi_strict(HARNESS_REFEREE_POINTS));
	assert_int_equal(balance_of(h, "rolf"),
			 atoi_strict(HARNESS_REFERRER_POINTS));
	assert_int_equal(postings_of_kind(h, "rita", "referral"), 1);
	/* set once */
	post_error(h, "/v1/users/rita/referral", HARNESS_APP_KEY,
		   "{\"referred_by\": \"rudi\"}", 409, "already_referred");
}

static json_t *get_ok(struct harness *h, const char *path, const char *key);

static void test_reverse__staff_undo_once_never_recredited(void **state)
{
	struct harness *h = *state;
	char path[HARNESS_PATH_LEN];
	long long id, again, earned;
	json_t *a, *b, *rec, *hist;

	earned = credited_upload(h, "vic", "024.png", &id);
	assert_true(earned > 0);
	snprintf(path, sizeof(path), "/v1/receipts/%lld/reverse", id);
	post_error(h, path, HARNESS_APP_KEY, "{\"reason\": \"fraud\"}", 403,
		   "forbidden");
	a = post_expect(h, path, HARNESS_STAFF_KEY, "{\"reason\": \"fraud\"}",
			201);
	assert_int_equal(points_of(a), -earned);
	hist = user_list(h, "vic", "ledger", "postings");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(hist, 0), "kind")),
			    "reversal");
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(hist, 0), "reverses")),
			 json_integer_value(json_object_get(a, "reverses")));
	json_decref(hist);
	assert_int_equal(json_integer_value(json_object_get(a, "shortfall")),
			 0);
	assert_int_equal(json_integer_value(json_object_get(a, "balance")), 0);
	b = post_expect(h, path, HARNESS_OPERATOR_KEY,
			"{\"reason\": \"fraud\"}", 201);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	assert_int_equal(balance_of(h, "vic"), 0);
	assert_int_equal(postings_of_kind(h, "vic", "reversal"), 1);
	snprintf(path, sizeof(path), "/v1/users/vic/receipts/%lld", id);
	rec = get_ok(h, path, HARNESS_APP_KEY);
	assert_string_equal(status_of(rec), "reversed");
	assert_int_equal(points_of(json_object_get(rec, "reversal")), -earned);
	json_decref(rec);
	hist = user_list(h, "vic", "receipts?limit=100", "receipts");
	for (size_t i = 0; i < json_array_size(hist); i++)
		if (json_integer_value(json_object_get(json_array_get(hist, i),
						       "id")) == id)
			assert_string_equal(status_of(json_array_get(hist, i)),
					    "reversed");
	json_decref(hist);
	snprintf(path, sizeof(path), "/v1/receipts/%lld/reverse", id);
	post_error(h, "/v1/receipts/999999/reverse", HARNESS_STAFF_KEY, "{}",
		   404, "not_found");
	post_error(h, path, HARNESS_STAFF_KEY, "{\"reason\": \"Bad Reason\"}",
		   400, "bad_request");
	/* The same receipt uploaded again is a duplicate: never credited. */
	again = upload_ok(h, "vic", "024.png", NULL);
	rec = wait_final(h, again);
	assert_string_equal(status_of(rec), "duplicate");
	json_decref(rec);
	assert_int_equal(balance_of(h, "vic"), 0);
}

static void assert_image_served(struct harness *h, const char *path,
				const char *fixture)
{
	char file[HARNESS_PATH_LEN];
	struct harness_resp r;
	char *want;
	long n;
	FILE *f = fopen(harness_fixture(fixture, file, sizeof(file)), "rb");

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	want = malloc((size_t)n);
	assert_non_null(want);
	assert_int_equal(fread(want, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	assert_int_equal(harness_get(h, path, HARNESS_STAFF_KEY, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, (size_t)n);
	assert_memory_equal(r.body, want, (size_t)n);
	harness_resp_release(&r);
	free(want);
}

/* Runs build/receiptctl with key against h and the command fmt; returns
 * its exit status (output discarded). */
static int receiptctl(struct harness *h, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int receiptctl(struct harness *h, const char *key, const char *fmt, ...)
{
	char cmd[512], args[128];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd),
		 "build/receiptctl --url %s --key %s %s >/dev/null 2>&1",
		 h->url, key, args);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* Whether the staff's review queue lists receipt id. */
static int in_review_queue(struct harness *h, long long id)
{
	json_t *q = get_ok(h, "/v1/receipts?status=flagged&limit=100",
			   HARNESS_STAFF_KEY);
	json_t *arr = json_object_get(q, "receipts");
	int found = 0;

	for (size_t i = 0; i < json_array_size(arr); i++)
		found |= json_integer_value(json_object_get(
				 json_array_get(arr, i), "id")) == id;
	json_decref(q);
	return found;
}

static void test_review__staff_approve_or_reject_flagged_once(void **state)
{
	struct harness *h = *state;
	char path[HARNESS_PATH_LEN];
	long long id, other;
	json_t *rec, *a, *b;

	/* Printed in dollars: flagged for the euro programme. */
	id = upload_ok(h, "rhea", "011.jpg", NULL);
	rec = wait_final(h, id);
	assert_string_equal(status_of(rec), "flagged");
	json_decref(rec);
	assert_true(in_review_queue(h, id));
	expect_error(h, "GET", "/v1/receipts?status=flagged", HARNESS_APP_KEY,
		     403, "forbidden");
	expect_error(h, "GET", "/v1/receipts?status=nonsense",
		     HARNESS_STAFF_KEY, 400, "bad_request");
	snprintf(path, sizeof(path), "/v1/receipts/%lld/review", id);
	post_error(h, path, HARNESS_APP_KEY, "{\"decision\": \"approve\"}", 403,
		   "forbidden");
	post_error(h, path, HARNESS_STAFF_KEY, "{\"decision\": \"maybe\"}", 400,
		   "bad_request");
	post_error(h, path, HARNESS_STAFF_KEY,
		   "{\"decision\": \"reject\", \"total\": 100}", 400,
		   "bad_request");
	post_error(h, "/v1/receipts/999999/review", HARNESS_STAFF_KEY,
		   "{\"decision\": \"reject\"}", 404, "not_found");
	/* Staff see the photo as uploaded, byte for byte. */
	snprintf(path, sizeof(path), "/v1/receipts/%lld/image", id);
	assert_image_served(h, path, "011.jpg");
	expect_error(h, "GET", path, HARNESS_APP_KEY, 403, "forbidden");
	expect_error(h, "GET", "/v1/receipts/999999/image", HARNESS_STAFF_KEY,
		     404, "not_found");
	snprintf(path, sizeof(path), "/v1/receipts/%lld/review", id);
	/* Staff read 20.00 off the photo: 20 points, once. */
	a = post_expect(h, path, HARNESS_STAFF_KEY,
			"{\"decision\": \"approve\", \"total\": 2000}", 200);
	assert_string_equal(status_of(a), "credited");
	assert_int_equal(points_of(a), 20);
	b = post_expect(h, path, HARNESS_OPERATOR_KEY,
			"{\"decision\": \"approve\", \"total\": 2000}", 200);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	post_error(h, path, HARNESS_STAFF_KEY, "{\"decision\": \"reject\"}",
		   409, "not_flagged");
	assert_int_equal(balance_of(h, "rhea"), 20);
	assert_int_equal(postings_of_kind(h, "rhea", "credit"), 1);
	assert_false(in_review_queue(h, id));
	snprintf(path, sizeof(path), "/v1/users/rhea/receipts/%lld", id);
	rec = get_ok(h, path, HARNESS_APP_KEY);
	assert_string_equal(status_of(rec), "credited");
	assert_int_equal(points_of(rec), 20);
	json_decref(rec);
	/* Rejected, here with receiptctl: nothing credited, off the queue. */
	other = upload_ok(h, "rhea", "016.png", NULL);
	json_decref(wait_final(h, other));
	assert_int_equal(
		receiptctl(h, HARNESS_STAFF_KEY, "flagged --limit 100"), 0);
	assert_int_equal(
		receiptctl(h, HARNESS_STAFF_KEY, "review %lld maybe", other),
		2);
	assert_int_equal(receiptctl(h, HARNESS_STAFF_KEY,
				    "review %lld reject 100", other),
			 2);
	assert_int_equal(
		receiptctl(h, HARNESS_STAFF_KEY, "review %lld reject", other),
		0);
	assert_int_equal(
		receiptctl(h, HARNESS_STAFF_KEY, "review %lld approve", other),
		1);
	snprintf(path, sizeof(path), "/v1/users/rhea/receipts/%lld", other);
	rec = get_ok(h, path, HARNESS_APP_KEY);
	assert_string_equal(status_of(rec), "rejected");
	assert_int_equal(points_of(rec), 0);
	json_decref(rec);
	assert_false(in_review_queue(h, other));
	assert_int_equal(balance_of(h, "rhea"), 20);
}

/* Puts the programme's currency into the rules file and has the daemon
 * reload it (SIGHUP). */
static void rules_currency(struct harness *h, const char *currency)
{
	char text[8192], *at;
	FILE *f = fopen(h->rules, "r");
	size_t n;

	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	at = strstr(text, "[program]\n");
	assert_non_null(at);
	at += strlen("[program]\n");
	f = fopen(h->rules, "w");
	assert_non_null(f);
	fprintf(f, "%.*scurrency = %s\n%s", (int)(at - text), text, currency,
		at);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(kill(h->pid, SIGHUP), 0);
}

static void test_reprocess__operator_rereads_flagged_once(void **state)
{
	struct harness *h = *state;
	char path[HARNESS_PATH_LEN];
	long long id = upload_ok(h, "ola", "001.jpg", NULL), points = 0;
	json_t *rec = wait_final(h, id), *a;

	/* Read as ringgit: flagged while the programme counts euros. */
	assert_string_equal(status_of(rec), "flagged");
	json_decref(rec);
	post_error(h, "/v1/receipts/reprocess", HARNESS_STAFF_KEY, "{}", 403,
		   "forbidden");
	post_error(h, "/v1/receipts/reprocess", HARNESS_OPERATOR_KEY,
		   "{\"status\": \"credited\"}", 400, "bad_request");
	post_error(h, "/v1/receipts/reprocess", HARNESS_OPERATOR_KEY,
		   "{\"limit\": 0}", 400, "bad_request");
	/* Now it counts ringgit; re-read until the reload has landed. */
	rules_currency(h, "MYR");
	snprintf(path, sizeof(path), "/v1/users/ola/receipts/%lld", id);
	for (int i = 0; i < 20; i++) {
		a = post_expect(h, "/v1/receipts/reprocess",
				HARNESS_OPERATOR_KEY,
				"{\"status\": \"flagged\"}", 200);
		assert_true(json_integer_value(
				    json_object_get(a, "requeued")) >= 1);
		json_decref(a);
		rec = wait_final(h, id);
		if (!strcmp(status_of(rec), "credited"))
			points = points_of(rec);
		json_decref(rec);
		if (points > 0)
			break;
	}
	assert_true(points > 0);
	assert_int_equal(balance_of(h, "ola"), points);
	/* Credited receipts are never read again: no second credit. */
	a = post_expect(h, "/v1/receipts/reprocess", HARNESS_OPERATOR_KEY, "{}",
			200);
	assert_int_equal(json_integer_value(json_object_get(a, "requeued")), 0);
	json_decref(a);
	assert_int_equal(receiptctl(h, HARNESS_OPERATOR_KEY,
				    "reprocess --limit 5 failed"),
			 0);
	assert_int_equal(
		receiptctl(h, HARNESS_OPERATOR_KEY, "reprocess credited"), 1);
	rec = get_ok(h, path, HARNESS_APP_KEY);
	assert_string_equal(status_of(rec), "credited");
	json_decref(rec);
	assert_int_equal(postings_of_kind(h, "ola", "credit"), 1);
	assert_int_equal(balance_of(h, "ola"), points);
}

static json_t *get_ok(struct harness *h, const char *path, const char *key)
{
	struct harness_resp r;
	json_t *j;

	assert_int_equal(harness_get(h, path, key, &r), 0);
	assert_int_equal(r.status, 200);
	j = json_incref(r.json);
	harness_resp_release(&r);
	return j;
}

static long long jint_at(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	if (b != NULL)
		v = json_object_get(v, b);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/* Runs last in the shared daemon: every figure must add up. */
static void test_metrics__operator_figures_add_up(void **state)
{
	struct harness *h = *state;
	json_t *m;

	expect_error(h, NULL, "/v1/metrics/program", HARNESS_APP_KEY, 403,
		     "forbidden");
	expect_error(h, NULL, "/v1/metrics/program?now=yesterday",
		     HARNESS_OPERATOR_KEY, 400, "bad_request");
	m = get_ok(h, "/v1/metrics/program", HARNESS_OPERATOR_KEY);
	assert_true(jint_at(m, "members", NULL) >= 5);
	assert_true(jint_at(m, "buyers", NULL) >= 3);
	assert_true(jint_at(m, "active_30d", NULL) >= 3);
	assert_true(jint_at(m, "active_90d", NULL) >=
		    jint_at(m, "active_30d", NULL));
	assert_true(jint_at(m, "points", "issued") > 0);
	assert_true(jint_at(m, "points", "reversed") > 0);
	assert_int_equal(jint_at(m, "points", "issued") -
				 jint_at(m, "points", "reversed") -
				 jint_at(m, "points", "redeemed") -
				 jint_at(m, "points", "expired"),
			 jint_at(m, "points", "outstanding"));
	assert_true(jint_at(m, "points_per_rule", "base") > 0);
	assert_int_equal(
		jint_at(m, "points_per_rule", "activity:" HARNESS_ACTIVITY),
		atoi_strict(HARNESS_ACTIVITY_POINTS));
	assert_true(json_array_size(json_object_get(m, "cohorts")) >= 1);
	/* Uploads by status now: the review test rejected one. */
	assert_true(jint_at(m, "receipts_by_status", "credited") >= 3);
	assert_true(jint_at(m, "receipts_by_status", "rejected") >= 1);
	json_decref(m);
}

/* A run's clock, months after the real one. */
static void clock_body(char *buf, size_t n, int months)
{
	time_t t = time(NULL) + (time_t)months * 31 * 86400;
	struct tm tm;
	char stamp[32];

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(buf, n, "{\"now\": \"%s\"}", stamp);
}

/* Own daemon: expiry touches every account. */
static void test_expiry__operator_run_expires_old_points_once(void **state)
{
	struct harness *h = *state;
	char body[64];
	json_t *j;

	j = post_expect(h, "/v1/users/eve/activities", HARNESS_APP_KEY,
			"{\"kind\": \"" HARNESS_ACTIVITY
			"\", \"idempotency_key\": \"e\"}",
			201);
	json_decref(j);
	post_error(h, "/v1/expiry/run", HARNESS_STAFF_KEY, "{}", 403,
		   "forbidden");
	post_error(h, "/v1/expiry/run", HARNESS_OPERATOR_KEY,
		   "{\"now\": \"soon\"}", 400, "bad_request");
	/* Today: nothing is 24 months old. */
	j = post_expect(h, "/v1/expiry/run", HARNESS_OPERATOR_KEY, "{}", 200);
	assert_int_equal(points_of(j), 0);
	json_decref(j);
	clock_body(body, sizeof(body), 25);
	j = post_expect(h, "/v1/expiry/run", HARNESS_OPERATOR_KEY, body, 200);
	assert_int_equal(points_of(j), atoi_strict(HARNESS_ACTIVITY_POINTS));
	assert_int_equal(json_integer_value(json_object_get(j, "users")), 1);
	json_decref(j);
	j = post_expect(h, "/v1/expiry/run", HARNESS_OPERATOR_KEY, body, 200);
	assert_int_equal(points_of(j), 0); /* idempotent */
	json_decref(j);
	assert_int_equal(balance_of(h, "eve"), 0);
	assert_int_equal(postings_of_kind(h, "eve", "expiry"), 1);
}

/* Own daemon: the coupon job visits every customer. */
static void test_coupons__regular_gets_one_coupon_voucher(void **state)
{
	struct harness *h = *state;
	json_t *j, *arr, *v;
	long long id;

	credited_upload(h, "cora", "006.png", &id);
	post_error(h, "/v1/coupons/run", HARNESS_APP_KEY, "{}", 403,
		   "forbidden");
	j = post_expect(h, "/v1/coupons/run", HARNESS_OPERATOR_KEY, "{}", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "vouchers")), 1);
	json_decref(j);
	j = post_expect(h, "/v1/coupons/run", HARNESS_OPERATOR_KEY, "{}", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "vouchers")), 0);
	json_decref(j);
	arr = user_list(h, "cora", "vouchers", "vouchers");
	assert_int_equal(json_array_size(arr), 1);
	v = json_array_get(arr, 0);
	assert_string_equal(json_string_value(json_object_get(v, "source")),
			    "coupon");
	assert_string_equal(json_string_value(json_object_get(v, "rule")),
			    HARNESS_COUPON);
	assert_string_equal(json_string_value(json_object_get(v, "reward")),
			    HARNESS_CHEAP_REWARD);
	assert_true(json_is_string(json_object_get(v, "expires_at")));
	json_decref(arr);
}

/* A programme with one rule of each receipt kind, all matching every
 * item, so that what they give follows from the parsed receipt alone. */
static const char kinds_rules[] =
	"[program]\nversion = test-kinds\n\n"
	"[rule base]\nkind = base\npoints_per_eur = 1\n\n"
	"[rule double_all]\nkind = multiplier\nmatch = *\nfactor = 2\n\n"
	"[rule all_items]\nkind = category\nmatch = *\npoints_per_eur = 1\n\n"
	"[rule bonus]\nkind = campaign\nfactor = 2\npoints = 5\n\n"
	"[rule stamps]\nkind = punchcard\nmatch = *\nevery = 2\n"
	"reward = " HARNESS_CHEAP_REWARD "\n\n"
	"[rule back]\nkind = cashback\nevery_eur = 10\nvalue_eur = 0.10\n";

/* A daemon with the rules text rules (NULL: the harness's) and the
 * config lines extra (NULL: none) appended to the harness's config. */
static int custom_setup(void **state, const char *rules, const char *extra)
{
	struct harness *h = calloc(1, sizeof(*h));
	const struct {
		const char *path, *mode, *text;
	} w[] = { { h ? h->rules : NULL, "w", rules },
		  { h ? h->config : NULL, "a", extra } };
	FILE *f;

	if (!h)
		return -1;
	if (harness_init(h, TEST_MAX_UPLOAD) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		if (w[i].text == NULL)
			continue;
		f = fopen(w[i].path, w[i].mode);
		if (!f || fputs(w[i].text, f) < 0 || fclose(f) != 0)
			goto fail;
	}
	if (harness_start(h) < 0)
		goto fail;
	*state = h;
	return 0;
fail:
	harness_release(h);
	free(h);
	return -1;
}

static int kinds_setup(void **state)
{
	return custom_setup(state, kinds_rules, NULL);
}

/* The daemon with the periodic job every JOB_INTERVAL_S seconds. */
#define JOB_INTERVAL_S 1
static int interval_setup(void **state)
{
	char extra[64];

	snprintf(extra, sizeof(extra), "job_interval = %d\n", JOB_INTERVAL_S);
	return custom_setup(state, NULL, extra);
}

/* The breakdown line of rule in the newest credit of user (0: none). */
static long long line_of(json_t *postings, const char *rule)
{
	json_t *p = json_array_get(postings, 0), *l;
	size_t i;

	json_array_foreach(json_object_get(p, "breakdown"), i, l)
	{
		if (!strcmp(json_string_value(json_object_get(l, "rule")),
			    rule))
			return json_integer_value(json_object_get(l, "points"));
	}
	return 0;
}

static size_t vouchers_from(json_t *arr, const char *source)
{
	json_t *v;
	size_t i, n = 0;

	json_array_foreach(arr, i, v)
	{
		n += !strcmp(json_string_value(json_object_get(v, "source")),
			     source);
	}
	return n;
}

/* The reversal of a credit that issued n >= 1 vouchers, one of them
 * used at the till first: the others are void, the used one is
 * reported, and a void one cannot be used. */
static void reverse_voids_vouchers(struct harness *h, const char *user,
				   long long id, size_t n)
{
	char path[HARNESS_PATH_LEN], used[32] = "", other[32] = "";
	struct harness_resp a;
	json_t *arr, *v, *ans;
	size_t i;

	assert_true(n >= 2);
	arr = user_list(h, user, "vouchers", "vouchers");
	assert_int_equal(json_array_size(arr), n);
	snprintf(used, sizeof(used), "%s",
		 json_string_value(
			 json_object_get(json_array_get(arr, 0), "code")));
	snprintf(other, sizeof(other), "%s",
		 json_string_value(
			 json_object_get(json_array_get(arr, 1), "code")));
	json_decref(arr);
	snprintf(path, sizeof(path), "/v1/vouchers/%s/use", used);
	post_json(h, path, HARNESS_STAFF_KEY, "", &a);
	assert_int_equal(a.status, 200);
	harness_resp_release(&a);
	snprintf(path, sizeof(path), "/v1/receipts/%lld/reverse", id);
	ans = post_expect(h, path, HARNESS_STAFF_KEY, "{\"reason\": \"fraud\"}",
			  201);
	v = json_object_get(ans, "vouchers");
	assert_int_equal(json_integer_value(json_object_get(v, "voided")),
			 (long long)n - 1);
	assert_int_equal(json_integer_value(json_object_get(v, "used")), 1);
	json_decref(ans);
	arr = user_list(h, user, "vouchers", "vouchers");
	json_array_foreach(arr, i, v)
	{
		int is_used = !strcmp(
			json_string_value(json_object_get(v, "code")), used);

		assert_string_equal(
			json_string_value(json_object_get(v, "state")),
			is_used ? "used" : "void");
		assert_true(json_is_string(json_object_get(v, "voided_at")) ==
			    !is_used);
	}
	json_decref(arr);
	snprintf(path, sizeof(path), "/v1/vouchers/%s/use", other);
	post_json(h, path, HARNESS_STAFF_KEY, "", &a);
	assert_error(&a, 410, "voucher_void");
	harness_resp_release(&a);
	snprintf(path, sizeof(path), "/v1/receipts/%lld", id);
	ans = get_ok(h, path, HARNESS_STAFF_KEY);
	assert_string_equal(status_of(ans), "reversed");
	json_decref(ans);
}

/* Base, multiplier, category, campaign, punch card and cashback over
 * HTTP: the points, lines and vouchers follow from what was parsed. */
static void test_rules__every_receipt_kind_over_http(void **state)
{
	struct harness *h = *state;
	long long id, total, cents = 0, count = 0, base;
	json_t *rec, *it, *postings, *vouchers, *pc;
	size_t i;

	id = upload_ok(h, "kim", "006.png", NULL);
	rec = wait_final(h, id);
	assert_string_equal(status_of(rec), "credited");
	total = json_integer_value(json_object_get(rec, "total"));
	json_array_foreach(json_object_get(rec, "items"), i, it)
	{
		double q = json_number_value(json_object_get(it, "qty"));
		long long amount =
			json_integer_value(json_object_get(it, "amount"));

		if (strcmp(json_string_value(json_object_get(it, "kind")),
			   "item") ||
		    amount <= 0)
			continue;
		cents += amount;
		count += q >= 2 ? (long long)q : 1;
	}
	assert_true(total > 0 && cents > 0 && count >= 2);
	base = total / 100;
	/* base; x2 multiplier: the extra 1x; category 1/EUR; campaign:
	 * base again plus 5 */
	assert_int_equal(points_of(rec),
			 base + cents / 100 + cents / 100 + base + 5);
	json_decref(rec);
	postings = user_list(h, "kim", "ledger", "postings");
	assert_int_equal(line_of(postings, "base"), base);
	assert_int_equal(line_of(postings, "double_all"), cents / 100);
	assert_int_equal(line_of(postings, "all_items"), cents / 100);
	assert_int_equal(line_of(postings, "bonus"), base + 5);
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(postings, 0),
						  "rules_version")),
		"test-kinds");
	json_decref(postings);
	vouchers = user_list(h, "kim", "vouchers", "vouchers");
	assert_int_equal(vouchers_from(vouchers, "punchcard"), count / 2);
	assert_int_equal(vouchers_from(vouchers, "cashback"), total / 1000);
	json_decref(vouchers);
	pc = user_list(h, "kim", "punchcards", "punchcards");
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(pc, 0), "count")),
			 count);
	json_decref(pc);
	reverse_voids_vouchers(h, "kim", id,
			       (size_t)(count / 2 + total / 1000));
}

/* The coupons of user's vouchers list. */
static size_t coupons_of(struct harness *h, const char *user)
{
	json_t *arr = user_list(h, user, "vouchers", "vouchers");
	size_t n = vouchers_from(arr, "coupon");

	json_decref(arr);
	return n;
}

/* Nobody runs the job: the daemon's own periodic run (job_interval)
 * finds the new regular and issues the coupon, once per period. At start
 * the job ran with no member yet, so the default hour would never get
 * there in time. */
static void test_jobs__periodic_run_issues_coupon_by_itself(void **state)
{
	struct harness *h = *state;
	long long id, deadline;

	assert_true(credited_upload(h, "jana", "024.png", &id) > 0);
	deadline = harness_now_ms() + 4000L * JOB_INTERVAL_S;
	while (coupons_of(h, "jana") == 0 && harness_now_ms() < deadline)
		harness_sleep_ms(100);
	assert_int_equal(coupons_of(h, "jana"), 1);
	harness_sleep_ms(2500 * JOB_INTERVAL_S); /* two more runs */
	assert_int_equal(coupons_of(h, "jana"), 1);
}

static void
test_recovery__daemon_killed_with_queue_credits_each_once(void **state)
{
	static const char *const fx[] = { "002.jpg", "006.png", "008.png",
					  "009.jpg", "012.png", "013.jpg" };
	enum { N = sizeof(fx) / sizeof(fx[0]) };
	struct harness *h = *state;
	long long ids[N], sum = 0;
	const char *last;
	json_t *rec;
	size_t i;

	for (i = 0; i < N; i++)
		ids[i] = upload_ok(h, "mike", fx[i], NULL);
	/* Two workers cannot have read six receipts yet: the crash hits a
	 * queue. */
	last = harness_status(h, ids[N - 1]);
	assert_true(!strcmp(last, "queued") || !strcmp(last, "processing"));
	harness_crash(h);
	assert_int_equal(harness_start(h), 0);
	for (i = 0; i < N; i++) {
		rec = wait_final(h, ids[i]);
		sum += assert_credited(rec, fx[i]);
		json_decref(rec);
	}
	assert_int_equal(balance_of(h, "mike"), sum);
	assert_int_equal(receipt_count(h, "mike"), N);
	assert_ledger_once_each(h, "mike", ids, N);
}

/* Waits until receipt id is being read; fails if it finished first. */
static void wait_processing(struct harness *h, long long id)
{
	long long deadline = harness_now_ms() + TEST_READY_TIMEOUT_MS;
	const char *s = "";

	while (harness_now_ms() < deadline) {
		s = harness_status(h, id);
		if (strcmp(s, "queued") != 0)
			break;
		harness_sleep_ms(2);
	}
	assert_string_equal(s, "processing");
}

/*
 * Waits until no child of the daemon uses CPU over a short window: the
 * workers have loaded their OCR engines, so that the busy one afterwards
 * is the one reading a job.
 */
static void wait_children_idle(struct harness *h)
{
	long long deadline = harness_now_ms() + TEST_READY_TIMEOUT_MS;
	pid_t pids[HARNESS_MAX_CHILDREN];
	long long before[HARNESS_MAX_CHILDREN];
	int i, n, idle = 0;

	while (!idle && harness_now_ms() < deadline) {
		n = harness_children(h, pids, HARNESS_MAX_CHILDREN);
		for (i = 0; i < n; i++)
			before[i] = harness_cpu_ticks(pids[i]);
		harness_sleep_ms(100);
		idle = n >= 1;
		for (i = 0; i < n; i++)
			if (harness_cpu_ticks(pids[i]) != before[i])
				idle = 0;
	}
	assert_true(idle);
}

/* The child that used the most CPU over a short window: the busy worker. */
static pid_t busiest_child(struct harness *h)
{
	pid_t pids[HARNESS_MAX_CHILDREN], best = 0;
	long long before[HARNESS_MAX_CHILDREN], d, most = -1;
	int i, n = harness_children(h, pids, HARNESS_MAX_CHILDREN);

	assert_true(n >= 1);
	for (i = 0; i < n; i++)
		before[i] = harness_cpu_ticks(pids[i]);
	harness_sleep_ms(50);
	for (i = 0; i < n; i++) {
		d = harness_cpu_ticks(pids[i]) - before[i];
		if (d > most) {
			most = d;
			best = pids[i];
		}
	}
	assert_true(most > 0);
	return best;
}

/* Waits until the daemon has HARNESS_WORKERS children again, none gone. */
static void wait_respawned(struct harness *h, pid_t gone)
{
	long long deadline = harness_now_ms() + TEST_READY_TIMEOUT_MS;
	pid_t pids[HARNESS_MAX_CHILDREN];
	int i, n, ok = 0;

	while (!ok && harness_now_ms() < deadline) {
		n = harness_children(h, pids, HARNESS_MAX_CHILDREN);
		ok = n >= HARNESS_WORKERS;
		for (i = 0; i < n; i++)
			if (pids[i] == gone)
				ok = 0;
		if (!ok)
			harness_sleep_ms(20);
	}
	assert_true(ok);
}

static void test_recovery__killed_worker_job_is_retried(void **state)
{
	struct harness *h = *state;
	long long a, b, sum;
	pid_t victim;
	json_t *rec;

	json_decref(wait_ready(h));
	wait_children_idle(h);
	a = upload_ok(h, "nina", "019.jpg", NULL);
	wait_processing(h, a);
	victim = busiest_child(h);
	assert_true(victim > 0);
	assert_int_equal(kill(victim, SIGKILL), 0);
	/* Uploads go on while the worker is replaced. */
	b = upload_ok(h, "nina", "022.png", NULL);

	rec = wait_final(h, a);
	sum = assert_credited(rec, "019.jpg");
	json_decref(rec);
	rec = wait_final(h, b);
	sum += assert_credited(rec, "022.png");
	json_decref(rec);
	assert_int_equal(balance_of(h, "nina"), sum);
	wait_respawned(h, victim);
	json_decref(wait_ready(h));
}

static void test_shutdown__sigterm_stops_daemon_and_workers(void **state)
{
	struct harness *h = *state;
	int st, left;

	json_decref(wait_ready(h));
	st = harness_stop(h, &left);
	assert_true(st >= 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(left, 0);
}

/* Own daemon: a paid membership, its balance and a credit at its
 * factor (the receipt's image must be new to this database). */
static void test_membership__recorded_shown_and_credited(void **state)
{
	struct harness *h = *state;
	static const char body[] =
		"{\"tier\": \"" HARNESS_MEMBER_TIER "\", \"months\": 12, "
		"\"idempotency_key\": \"m-1\"}";
	static const char path[] = "/v1/users/mia/membership";
	struct harness_resp r;
	json_t *a, *b, *m, *rec, *postings;
	char fx[HARNESS_PATH_LEN];
	long long base;

	a = post_expect(h, path, HARNESS_APP_KEY, body, 201);
	assert_string_equal(json_string_value(json_object_get(a, "tier")),
			    HARNESS_MEMBER_TIER);
	assert_true(strcmp(json_string_value(json_object_get(a, "ends_at")),
			   json_string_value(json_object_get(a, "starts_at"))) >
		    0);
	b = post_expect(h, path, HARNESS_APP_KEY, body, 201);
	assert_true(json_equal(a, b)); /* the same answer, no second row */
	json_decref(b);
	post_error(h, path, HARNESS_APP_KEY,
		   "{\"tier\": \"" HARNESS_MEMBER_TIER "\", \"months\": 3, "
		   "\"idempotency_key\": \"m-1\"}",
		   409, "idempotency_mismatch");
	post_error(h, path, HARNESS_APP_KEY,
		   "{\"tier\": \"" HARNESS_NEXT_TIER "\", \"months\": 1, "
		   "\"idempotency_key\": \"m-2\"}",
		   422, "not_a_membership_tier");
	post_error(h, path, HARNESS_APP_KEY,
		   "{\"tier\": \"platinum\", \"months\": 1, "
		   "\"idempotency_key\": \"m-2\"}",
		   404, "unknown_tier");
	post_error(h, path, HARNESS_APP_KEY,
		   "{\"tier\": \"" HARNESS_MEMBER_TIER "\", \"months\": 37, "
		   "\"idempotency_key\": \"m-2\"}",
		   400, "bad_request");
	post_error(h, path, HARNESS_APP_KEY,
		   "{\"tier\": \"" HARNESS_MEMBER_TIER "\", \"months\": \"1\", "
		   "\"idempotency_key\": \"m-2\"}",
		   400, "bad_request");
	post_error(h, path, HARNESS_APP_KEY, "[1]", 400, "bad_request");
	post_error(h, path, NULL, body, 401, "unauthorized");

	assert_int_equal(
		harness_get(h, "/v1/users/mia/balance", HARNESS_APP_KEY, &r),
		0);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "tier")),
			    HARNESS_MEMBER_TIER);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "points_tier")),
		HARNESS_TIER);
	assert_string_equal(
		json_string_value(json_object_get(r.json, "next_tier")),
		HARNESS_NEXT_TIER);
	m = json_object_get(r.json, "membership");
	assert_string_equal(json_string_value(json_object_get(m, "tier")),
			    HARNESS_MEMBER_TIER);
	assert_string_equal(json_string_value(json_object_get(m, "until")),
			    json_string_value(json_object_get(a, "ends_at")));
	harness_resp_release(&r);
	json_decref(a);

	/* Without a membership: null. */
	assert_int_equal(
		harness_get(h, "/v1/users/noah/balance", HARNESS_APP_KEY, &r),
		0);
	assert_true(json_is_null(json_object_get(r.json, "membership")));
	assert_string_equal(json_string_value(json_object_get(r.json, "tier")),
			    HARNESS_TIER);
	harness_resp_release(&r);

	/* A receipt credited now earns the membership's factor 3. */
	base = harness_truth_total(harness_fixture("015.jpg", fx, sizeof(fx))) /
	       100;
	assert_true(base > 0);
	rec = wait_final(h, upload_ok(h, "mia", "015.jpg", NULL));
	assert_string_equal(status_of(rec), "credited");
	assert_int_equal(points_of(rec), 3 * base);
	json_decref(rec);
	postings = user_list(h, "mia", "ledger", "postings");
	assert_int_equal(line_of(postings, "tier:" HARNESS_MEMBER_TIER),
			 2 * base);
	json_decref(postings);
	assert_int_equal(balance_of(h, "mia"), 3 * base);
}

int main(void)
{
	const struct CMUnitTest api[] = {
		cmocka_unit_test(test_health__healthz_answers_200_without_key),
		cmocka_unit_test(
			test_health__readyz_answers_200_with_workers_up),
		cmocka_unit_test(
			test_upload__fixtures_are_credited_with_floor_eur_points),
		cmocka_unit_test(
			test_upload__same_image_by_other_user_is_duplicate),
		cmocka_unit_test(
			test_upload__second_photo_of_tse_sale_is_duplicate),
		cmocka_unit_test(
			test_idempotency__same_key_and_body_give_one_receipt),
		cmocka_unit_test(test_idempotency__same_key_other_body_is_422),
		cmocka_unit_test(
			test_upload__text_is_415_whatever_its_content_type),
		cmocka_unit_test(
			test_upload__over_max_upload_bytes_is_413_before_reading),
		cmocka_unit_test(test_upload__chunked_body_over_limit_is_413),
		cmocka_unit_test(test_auth__missing_or_unknown_key_is_401),
		cmocka_unit_test(
			test_auth__app_key_cannot_read_other_users_receipt),
		cmocka_unit_test(test_auth__receipt_by_id_is_staff_only),
		cmocka_unit_test(test_api__bad_user_id_is_400),
		cmocka_unit_test(test_api__unknown_route_404_wrong_method_405),
		cmocka_unit_test(
			test_rewards__catalogue_comes_from_the_rules_file),
		cmocka_unit_test(
			test_redeem__voucher_once_replay_free_and_used_once),
		cmocka_unit_test(
			test_balance__shows_tier_and_points_to_next_tier),
		cmocka_unit_test(
			test_activity__paid_once_per_key_capped_per_day),
		cmocka_unit_test(
			test_referral__both_paid_once_by_first_receipt),
		cmocka_unit_test(
			test_reverse__staff_undo_once_never_recredited),
		cmocka_unit_test(
			test_review__staff_approve_or_reject_flagged_once),
		cmocka_unit_test(test_metrics__operator_figures_add_up),
	};
	const struct CMUnitTest recovery[] = {
		cmocka_unit_test_setup_teardown(
			test_rules__every_receipt_kind_over_http, kinds_setup,
			daemon_teardown),
		cmocka_unit_test_setup_teardown(
			test_expiry__operator_run_expires_old_points_once,
			daemon_setup, daemon_teardown),
		cmocka_unit_test_setup_teardown(
			test_reprocess__operator_rereads_flagged_once,
			daemon_setup, daemon_teardown),
		cmocka_unit_test_setup_teardown(
			test_membership__recorded_shown_and_credited,
			daemon_setup, daemon_teardown),
		cmocka_unit_test_setup_teardown(
			test_coupons__regular_gets_one_coupon_voucher,
			daemon_setup, daemon_teardown),
		cmocka_unit_test_setup_teardown(
			test_jobs__periodic_run_issues_coupon_by_itself,
			interval_setup, daemon_teardown),
		cmocka_unit_test_setup_teardown(
			test_recovery__daemon_killed_with_queue_credits_each_once,
			daemon_setup, daemon_teardown),
		cmocka_unit_test_setup_teardown(
			test_recovery__killed_worker_job_is_retried,
			daemon_setup, daemon_teardown),
		cmocka_unit_test_setup_teardown(
			test_shutdown__sigterm_stops_daemon_and_workers,
			daemon_setup, daemon_teardown),
	};
	const char *only = getenv("DAEMON_TEST_FILTER"); /* e.g. "*reverse*" */
	int failed;

	if (only != NULL && only[0] != '\0')
		cmocka_set_test_filter(only);
	failed = cmocka_run_group_tests_name("daemon_api", api, daemon_setup,
					     daemon_teardown);
	failed += cmocka_run_group_tests_name("daemon_recovery", recovery, NULL,
					      NULL);
	return failed ? 1 : 0;
}
