/*
 * http.c: routing, authentication, upload intake and the read endpoints.
 * Every answer is JSON; every error is {"error":{"code","message"}} with a
 * status that tells the client whether retrying can help.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include "dedup.h"
#include "http.h"
#include "http_int.h"
#include "image.h"
#include "ledger.h"
#include "log.h"
#include "store.h"
#include "banned.h"

/* Queues body (stolen) as the answer, with Retry-After when retry is set. */
static enum MHD_Result respond(struct MHD_Connection *c, unsigned status,
			       json_t *body, const char *retry)
{
	char *s = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(6))
		       : NULL;
	struct MHD_Response *r;
	enum MHD_Result ret;

	json_decref(body);
	if (!s) {
		static const char oom[] = "{\"error\":{\"code\":\"internal\","
					  "\"message\":\"out of memory\"}}";
		r = MHD_create_response_from_buffer(
			sizeof(oom) - 1, (void *)oom, MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	} else {
		r = MHD_create_response_from_buffer(strlen(s), s,
						    MHD_RESPMEM_MUST_FREE);
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json");
	if (retry != NULL)
		MHD_add_response_header(r, "Retry-After", retry);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result http_send_json(struct MHD_Connection *c, unsigned status,
			       json_t *body)
{
	return respond(c, status, body, NULL);
}

static json_t *error_body(const char *code, const char *msg)
{
	return json_pack("{s:{s:s, s:s}}", "error", "code", code, "message",
			 msg);
}

enum MHD_Result http_send_error(struct MHD_Connection *c, unsigned status,
				const char *code, const char *msg)
{
	return respond(c, status, error_body(code, msg), NULL);
}

enum MHD_Result http_send_busy(struct MHD_Connection *c, const char *msg)
{
	return respond(c, 503, error_body("busy", msg), HTTP_RETRY_AFTER_S);
}

static int valid_user(const char *s, size_t n)
{
	if (n == 0 || n > USER_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return 0;
	return 1;
}

static int parse_id(const char *s, size_t n, int64_t *out)
{
	int64_t v = 0;

	if (n == 0 || n > 18)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return v > 0 ? 0 : -1;
}

/* Splits the path into at most 6 segments. */
static size_t split(const char *url, const char *seg[6], size_t len[6])
{
	size_t n = 0;

	while (*url == '/')
		url++;
	while (*url && n < 6) {
		const char *e = strchr(url, '/');
		size_t l = e ? (size_t)(e - url) : strlen(url);

		seg[n] = url;
		len[n++] = l;
		url += l;
		while (*url == '/')
			url++;
	}
	return *url ? 7 : n; /* 7: too many segments */
}

static int seg_is(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && !memcmp(s, lit, n);
}

/* A voucher code: 1-DB_CODE_MAX of 0-9 A-Z. */
static int valid_code(const char *s, size_t n)
{
	if (n == 0 || n > DB_CODE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) &&
		    !isupper((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Fills r->route, r->user, r->id; returns 400 for a bad user or id, 404
 * for an unknown path, 0 when routed. */
static unsigned route(const char *url, struct req *r)
{
	const char *s[6];
	size_t l[6], n = split(url, s, l);

	if (n == 1 && seg_is(s[0], l[0], "healthz"))
		return r->route = R_HEALTHZ, 0;
	if (n == 1 && seg_is(s[0], l[0], "readyz"))
		return r->route = R_READYZ, 0;
	if (n < 2 || !seg_is(s[0], l[0], "v1"))
		return 404;
	if (n == 2 && seg_is(s[1], l[1], "rewards"))
		return r->route = R_REWARDS, 0;
	if (n == 3 && seg_is(s[1], l[1], "expiry") && seg_is(s[2], l[2], "run"))
		return r->route = R_EXPIRY_RUN, 0;
	if (n == 3 && seg_is(s[1], l[1], "coupons") &&
	    seg_is(s[2], l[2], "run"))
		return r->route = R_COUPONS_RUN, 0;
	if (n == 3 && seg_is(s[1], l[1], "metrics") &&
	    seg_is(s[2], l[2], "program"))
		return r->route = R_METRICS, 0;
	if (n == 2 && seg_is(s[1], l[1], "receipts"))
		return r->route = R_RECEIPTS, 0;
	if (n == 4 && seg_is(s[1], l[1], "receipts")) {
		if (seg_is(s[3], l[3], "reverse"))
			r->route = R_REVERSE;
		else if (seg_is(s[3], l[3], "review"))
			r->route = R_REVIEW;
		else if (seg_is(s[3], l[3], "image"))
			r->route = R_IMAGE;
		else
			return 404;
		return parse_id(s[2], l[2], &r->id) ? 400 : 0;
	}
	if (n == 4 && seg_is(s[1], l[1], "vouchers") &&
	    seg_is(s[3], l[3], "use")) {
		r->route = R_VOUCHER_USE;
		if (!valid_code(s[2], l[2]))
			return 400;
		memcpy(r->code, s[2], l[2]);
		r->code[l[2]] = '\0';
		return 0;
	}
	if (n < 3)
		return 404;
	if (n == 3 && seg_is(s[1], l[1], "receipts") &&
	    seg_is(s[2], l[2], "reprocess"))
		return r->route = R_REPROCESS, 0;
	if (n == 3 && seg_is(s[1], l[1], "receipts")) {
		r->route = R_RECEIPT;
		return parse_id(s[2], l[2], &r->id) ? 400 : 0;
	}
	if (n < 4 || !seg_is(s[1], l[1], "users"))
		return 404;
	if (n == 4 && seg_is(s[3], l[3], "receipts"))
		r->route = R_USER_RECEIPTS;
	else if (n == 5 && seg_is(s[3], l[3], "receipts"))
		r->route = R_USER_RECEIPT;
	else if (n == 4 && seg_is(s[3], l[3], "balance"))
		r->route = R_BALANCE;
	else if (n == 4 && seg_is(s[3], l[3], "ledger"))
		r->route = R_LEDGER;
	else if (n == 4 && seg_is(s[3], l[3], "vouchers"))
		r->route = R_VOUCHERS;
	else if (n == 4 && seg_is(s[3], l[3], "redemptions"))
		r->route = R_REDEMPTIONS;
	else if (n == 4 && seg_is(s[3], l[3], "punchcards"))
		r->route = R_PUNCHCARDS;
	else if (n == 4 && seg_is(s[3], l[3], "activities"))
		r->route = R_ACTIVITIES;
	else if (n == 4 && seg_is(s[3], l[3], "referral"))
		r->route = R_REFERRAL;
	else if (n == 4 && seg_is(s[3], l[3], "membership"))
		r->route = R_MEMBERSHIP;
	else
		return 404;
	if (!valid_user(s[2], l[2]))
		return 400;
	memcpy(r->user, s[2], l[2]);
	r->user[l[2]] = '\0';
	if (r->route == R_USER_RECEIPT && parse_id(s[4], l[4], &r->id))
		return 400;
	return 0;
}

static enum config_role authenticate(struct http_server *h,
				     struct MHD_Connection *c)
{
	const char *a = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    "Authorization");

	if (!a || strncasecmp(a, "Bearer ", 7))
		return ROLE_NONE;
	return config_role_of(h->cfg, a + 7);
}

static const char *image_type(const char *ct)
{
	static const char *const ok[] = { "image/jpeg", "image/png",
					  "image/tiff", "image/webp" };

	for (size_t i = 0; ct && i < sizeof(ok) / sizeof(ok[0]); i++) {
		size_t n = strlen(ok[i]);

		if (!strncasecmp(ct, ok[i], n) && (!ct[n] || ct[n] == ';'))
			return ok[i];
	}
	return NULL;
}

/* ---- idempotency keys in flight (single server thread: no lock) ---- */

static int inflight_add(struct http_server *h, struct req *r)
{
	char key[USER_ID_MAX + IDEM_KEY_MAX + 2];
	int free_slot = -1;

	snprintf(key, sizeof(key), "%s\n%s", r->user, r->idem_key);
	for (int i = 0; i < HTTP_MAX_INFLIGHT_KEYS; i++) {
		if (h->inflight[i] && !strcmp(h->inflight[i], key))
			return 409;
		if (!h->inflight[i] && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0)
		return 503;
	h->inflight[free_slot] = strdup(key);
	if (!h->inflight[free_slot])
		return 500;
	r->inflight = free_slot + 1;
	return 0;
}

static void inflight_del(struct http_server *h, struct req *r)
{
	if (!r->inflight)
		return;
	free(h->inflight[r->inflight - 1]);
	h->inflight[r->inflight - 1] = NULL;
	r->inflight = 0;
}

/* ---- upload ---- */

/* First call of an upload: headers only. Refuses what it can before a
 * byte of the body is read. */
static enum MHD_Result upload_begin(struct http_server *h,
				    struct MHD_Connection *c, struct req *r)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "Content-Length");
	const char *ik = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "Idempotency-Key");
	int rc;

	r->ctype = image_type(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							  "Content-Type"));
	if (cl && strtoull(cl, NULL, 10) > h->cfg->max_upload_bytes) {
		r->answered = 1;
		return http_send_error(c, 413, "payload_too_large",
				       "image is larger than max_upload_bytes");
	}
	if (!r->ctype) {
		r->answered = 1;
		return http_send_error(
			c, 415, "unsupported_media_type",
			"Content-Type must be image/jpeg, image/png, "
			"image/tiff or image/webp");
	}
	if (ik) {
		size_t n = strlen(ik);
		int printable = n > 0 && n <= IDEM_KEY_MAX;

		for (size_t i = 0; printable && i < n; i++)
			printable = ik[i] > 0x20 && ik[i] < 0x7f;
		if (!printable) {
			r->answered = 1;
			return http_send_error(c, 400, "bad_request",
					       "Idempotency-Key must be 1-128 "
					       "printable characters");
		}
		memcpy(r->idem_key, ik, n + 1);
		rc = inflight_add(h, r);
		if (rc) {
			r->answered = 1;
			return rc == 409
				       ? http_send_error(
						 c, 409,
						 "idempotency_in_flight",
						 "a request with this key "
						 "is in progress")
				       : http_send_error(c, 503, "busy",
							 "too many requests in "
							 "flight");
		}
	}
	return MHD_YES;
}

static size_t body_limit(const struct http_server *h, const struct req *r)
{
	return HTTP_JSON_ROUTE(r->route) ? HTTP_MAX_JSON_BODY
					 : h->cfg->max_upload_bytes;
}

/* Appends a chunk; false when the body passes the limit. */
static int upload_append(struct http_server *h, struct req *r, const char *data,
			 size_t n)
{
	size_t limit = body_limit(h, r);

	if (n > limit - r->len)
		return 0;
	if (r->len + n > r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256 * 1024;
		unsigned char *p;

		while (cap < r->len + n)
			cap *= 2;
		if (cap > limit)
			cap = limit;
		p = realloc(r->body, cap);
		if (!p)
			return 0;
		r->body = p;
		r->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	return 1;
}

static enum MHD_Result upload_finish(struct http_server *h,
				     struct MHD_Connection *c, struct req *r)
{
	struct ocr_image_info info;
	char sha[FRAUD_SHA256_HEX_LEN], path[STORE_PATH_MAX];
	struct db_receipt_new n = { 0 };
	int64_t id = 0;
	int rc;

	rc = ocr_image_probe(r->body, r->len, &info);
	if (rc != OCR_OK)
		return http_send_error(c, 415,
				       rc == OCR_ERR_FORMAT
					       ? "unsupported_media_type"
					       : ocr_errcode(rc),
				       ocr_strerror(rc));
	if (fraud_sha256(r->body, r->len, sha) != 0 ||
	    store_put(h->cfg->data_dir, sha, r->body, r->len, path) != 0) {
		log_warn("upload for %s: cannot store image: %s", r->user,
			 strerror(errno));
		return http_send_error(c, 500, "internal",
				       "cannot store the image");
	}
	n.user_id = r->user;
	n.image_sha256 = sha;
	n.image_path = path;
	n.content_type = r->ctype;
	n.idem_key = r->idem_key[0] ? r->idem_key : NULL;
	n.request_hash = sha;
	rc = db_receipt_insert(h->db, &n, &id);
	if (rc == DB_MISMATCH)
		return http_send_error(
			c, 422, "idempotency_mismatch",
			"Idempotency-Key was used with another body");
	if (rc != DB_OK && rc != DB_EXISTS) {
		log_warn("upload for %s: %s", r->user, db_errmsg(h->db));
		return http_send_error(c, rc == DB_BUSY ? 503 : 500, "internal",
				       "cannot record the receipt");
	}
	if (rc == DB_OK) {
		log_info("receipt %lld: accepted for %s (%zu bytes, %s)",
			 (long long)id, r->user, r->len, info.format);
		http_wake(h);
	}
	return http_send_json(c, 202,
			      json_pack("{s:I, s:s}", "id", (json_int_t)id,
					"status", "queued"));
}

/* ---- reads ---- */

static json_t *field_or_null(json_t *parsed, const char *key)
{
	json_t *v = parsed ? json_object_get(parsed, key) : NULL;

	return v ? json_incref(v) : json_null();
}

/* The receipt as docs/api.md shows it: row fields plus what was parsed. */
static json_t *receipt_json(const struct db_receipt *d)
{
	static const char *const parsed_keys[] = {
		"store",      "store_name",	 "date",     "time",
		"total",      "currency",	 "items",    "receipt_number",
		"confidence", "warnings",	 "vat",	     "payment",
		"tse",	      "total_backed_by", "document",
	};
	json_t *parsed = d->parsed ? json_loads(d->parsed, 0, NULL) : NULL;
	json_t *reasons = d->reasons ? json_loads(d->reasons, 0, NULL) : NULL;
	json_t *o =
		json_pack("{s:I, s:s, s:s}", "id", (json_int_t)d->id, "user",
			  d->user_id, "status", db_status_name(d->status));

	for (size_t i = 0; o && i < sizeof(parsed_keys) / sizeof(*parsed_keys);
	     i++)
		json_object_set_new(o, parsed_keys[i],
				    field_or_null(parsed, parsed_keys[i]));
	if (o) {
		json_object_set_new(o, "points", json_integer(d->points));
		json_object_set_new(o, "reasons",
				    reasons ? json_incref(reasons)
					    : json_array());
		json_object_set_new(o, "created_at",
				    json_string(d->created_at));
		json_object_set_new(o, "updated_at",
				    json_string(d->updated_at));
	}
	json_decref(parsed);
	json_decref(reasons);
	return o;
}

void http_wake(struct http_server *h)
{
	if (write(h->wake_fd, "", 1) < 0 && errno != EAGAIN)
		log_warn("cannot wake the supervisor: %s", strerror(errno));
}

/* The uploaded image as stored, for staff reviewing the receipt. */
static enum MHD_Result get_image(struct http_server *h,
				 struct MHD_Connection *c, const struct req *r)
{
	struct db_receipt d;
	struct MHD_Response *resp = NULL;
	struct stat st;
	enum MHD_Result ret;
	int rc = db_receipt_get(h->db, r->id, &d), fd = -1;

	if (rc == DB_NOTFOUND)
		return http_send_error(c, 404, "not_found", "no such receipt");
	if (rc == DB_OK)
		fd = open(d.image_path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0)
		resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (resp == NULL) {
		log_warn("receipt %lld: cannot serve its image: %s",
			 (long long)r->id,
			 rc == DB_OK ? strerror(errno) : db_errmsg(h->db));
		if (fd >= 0)
			close(fd);
		if (rc == DB_OK)
			db_receipt_release(&d);
		return http_send_error(c, 500, "internal",
				       "cannot read the image");
	}
	MHD_add_response_header(resp, "Content-Type", d.content_type);
	db_receipt_release(&d);
	ret = MHD_queue_response(c, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result get_receipt(struct http_server *h,
				   struct MHD_Connection *c,
				   const struct req *r)
{
	struct db_receipt d;
	json_t *o;
	int rc = db_receipt_get(h->db, r->id, &d);

	if (rc == DB_NOTFOUND)
		return http_send_error(c, 404, "not_found", "no such receipt");
	if (rc != DB_OK)
		return http_send_error(c, 500, "internal",
				       "cannot read receipt");
	/* An app key sees a receipt only under its own user's path; another
	 * user's receipt does not exist for it (no id probing). */
	if (r->route == R_USER_RECEIPT && strcmp(d.user_id, r->user)) {
		db_receipt_release(&d);
		return http_send_error(c, 404, "not_found", "no such receipt");
	}
	o = receipt_json(&d);
	db_receipt_release(&d);
	http_add_reversal(h, o, r->id);
	return http_send_json(c, 200, o);
}

struct list_ctx {
	json_t *arr;
	int64_t last;
};

static int list_cb(const struct db_receipt *d, void *arg)
{
	struct list_ctx *l = arg;

	l->last = d->id;
	return json_array_append_new(l->arr, receipt_json(d)) ? -1 : 0;
}

static long query_long(struct MHD_Connection *c, const char *k, long dflt,
		       long lo, long hi)
{
	const char *v =
		MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, k);
	char *end;
	long x;

	if (!v)
		return dflt;
	errno = 0;
	x = strtol(v, &end, 10);
	return errno || *end || x < lo || x > hi ? -1 : x;
}

static enum MHD_Result list_receipts(struct http_server *h,
				     struct MHD_Connection *c,
				     const struct req *r)
{
	struct list_ctx l = { json_array(), 0 };
	long limit = query_long(c, "limit", LIST_DEFAULT, 1, DB_LIST_MAX);
	long before = query_long(c, "before", 0, 0, 0x7fffffffffffffffL);
	const char *status =
		MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "status");
	enum db_status st = DB_FLAGGED; /* staff's list: the review queue */

	if (limit < 0 || before < 0 ||
	    (r->route == R_RECEIPTS && status != NULL &&
	     (db_status_parse(status, &st) || st == DB_REVERSED))) {
		json_decref(l.arr);
		return http_send_error(c, 400, "bad_request",
				       "limit must be 1-100, before an id, "
				       "status a stored status");
	}
	if ((r->route == R_RECEIPTS
		     ? db_receipt_list_status(h->db, st, before, (size_t)limit,
					      list_cb, &l)
		     : db_receipt_list(h->db, r->user, before, (size_t)limit,
				       list_cb, &l)) != DB_OK) {
		json_decref(l.arr);
		return http_send_error(c, 500, "internal",
				       "cannot list receipts");
	}
	return http_send_json(c, 200,
			      json_pack("{s:o, s:o}", "receipts", l.arr,
					"next_before",
					json_array_size(l.arr) == (size_t)limit
						? json_integer(l.last)
						: json_null()));
}

/* A posting with its transaction's kind, rule-set version and per-rule
 * breakdown (empty for the flat rate and for debits). */
static int posting_cb(const struct db_posting *p, void *arg)
{
	json_t *lines = p->lines ? json_loads(p->lines, 0, NULL) : NULL;
	json_t *o = json_pack(
		"{s:I, s:o, s:s, s:s, s:I, s:o, s:o, s:s, s:o}", "txn",
		(json_int_t)p->txn_id, "receipt",
		p->receipt_id ? json_integer(p->receipt_id) : json_null(),
		"kind", p->kind, "rule", p->rule, "points",
		(json_int_t)p->amount, "rules_version",
		p->rules_version[0] ? json_string(p->rules_version)
				    : json_null(),
		"breakdown", lines ? lines : json_array(), "created_at",
		p->created_at, "reverses",
		p->reverses ? json_integer(p->reverses) : json_null());

	return json_array_append_new(arg, o) ? -1 : 0;
}

static enum MHD_Result get_ledger(struct http_server *h,
				  struct MHD_Connection *c, const struct req *r)
{
	json_t *postings = json_array();

	return http_send_user_list(
		c, r->user, "postings", postings,
		!postings || ledger_history(h->db, r->user, 0, DB_LIST_MAX,
					    posting_cb, postings) != LEDGER_OK);
}

/* What a voucher is worth now, as the vouchers list shows it. */
static const char *voucher_state(const struct db_voucher *v)
{
	char now[DB_TIME_LEN];
	time_t t = time(NULL);
	struct tm tm;

	if (v->used_at[0])
		return "used";
	if (v->voided_at[0])
		return "void";
	gmtime_r(&t, &tm);
	if (v->expires_at[0] &&
	    strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm) > 0 &&
	    strcmp(v->expires_at, now) <= 0)
		return "expired";
	return "unused";
}

static int voucher_cb(const struct db_voucher *v, void *arg)
{
	json_t *o = json_pack(
		"{s:s, s:s, s:s, s:s, s:o, s:I, s:s, s:o, s:o, s:o}", "code",
		v->code, "state", voucher_state(v), "source", v->source, "rule",
		v->rule, "reward",
		v->reward[0] ? json_string(v->reward) : json_null(), "value",
		(json_int_t)v->value, "issued_at", v->issued_at, "used_at",
		v->used_at[0] ? json_string(v->used_at) : json_null(),
		"expires_at",
		v->expires_at[0] ? json_string(v->expires_at) : json_null(),
		"voided_at",
		v->voided_at[0] ? json_string(v->voided_at) : json_null());

	return json_array_append_new(arg, o) ? -1 : 0;
}

static enum MHD_Result get_vouchers(struct http_server *h,
				    struct MHD_Connection *c,
				    const struct req *r)
{
	json_t *arr = json_array();

	return http_send_user_list(
		c, r->user, "vouchers", arr,
		!arr || db_voucher_list(h->db, r->user, voucher_cb, arr));
}

enum MHD_Result http_send_user_list(struct MHD_Connection *c, const char *user,
				    const char *name, json_t *arr, int failed)
{
	char msg[64];

	if (failed || !arr) {
		json_decref(arr);
		snprintf(msg, sizeof(msg), "cannot read %s", name);
		return http_send_error(c, 500, "internal", msg);
	}
	return http_send_json(c, 200,
			      json_pack("{s:s, s:o}", "user", user, name, arr));
}

static enum MHD_Result readyz(struct http_server *h, struct MHD_Connection *c)
{
	int workers = atomic_load(&h->sup->up);
	int writable = db_begin(h->db) == DB_OK;

	if (writable)
		db_rollback(h->db);
	if (workers > 0 && writable)
		return http_send_json(c, 200,
				      json_pack("{s:s, s:i}", "status", "ready",
						"workers", workers));
	return http_send_error(c, 503, "not_ready",
			       workers ? "database not writable"
				       : "no OCR worker running");
}

/* ---- dispatch ---- */

/* Which role a route needs, and which method it takes. */
static enum MHD_Result dispatch(struct http_server *h, struct MHD_Connection *c,
				struct req *r, const char *method,
				enum config_role role)
{
	int get = !strcmp(method, "GET");
	int post = !strcmp(method, "POST");

	if (r->route == R_HEALTHZ && get)
		return http_send_json(c, 200,
				      json_pack("{s:s}", "status", "ok"));
	if (r->route == R_READYZ && get)
		return readyz(h, c);
	if (r->route == R_HEALTHZ || r->route == R_READYZ)
		return http_send_error(c, 405, "method_not_allowed", "use GET");
	if (role == ROLE_NONE)
		return http_send_error(c, 401, "unauthorized",
				       "missing or unknown API key");
	if ((r->route == R_RECEIPT || r->route == R_RECEIPTS ||
	     r->route == R_IMAGE) &&
	    role < ROLE_STAFF)
		return http_send_error(c, 403, "forbidden",
				       "app keys read receipts under "
				       "/v1/users/{user_id}/receipts");
	if (r->route == R_USER_RECEIPTS && post)
		return upload_begin(h, c, r);
	if ((r->route == R_REVERSE || r->route == R_REVIEW) &&
	    role < ROLE_STAFF)
		return http_send_error(c, 403, "forbidden",
				       "reversals and reviews are made by "
				       "staff keys");
	if ((r->route == R_EXPIRY_RUN || r->route == R_COUPONS_RUN ||
	     r->route == R_METRICS || r->route == R_REPROCESS) &&
	    role < ROLE_OPERATOR)
		return http_send_error(c, 403, "forbidden",
				       "operator keys only");
	if (HTTP_JSON_ROUTE(r->route) && post) {
		r->role = role;
		r->answered = 0; /* answered once the JSON body is in */
		return MHD_YES;
	}
	if (r->route == R_VOUCHER_USE && post)
		return http_voucher_use(h, c, r, role);
	if (!get || HTTP_JSON_ROUTE(r->route) || r->route == R_VOUCHER_USE)
		return http_send_error(c, 405, "method_not_allowed",
				       "method not allowed here");
	switch (r->route) {
	case R_METRICS:
		return http_get_metrics(h, c);
	case R_REWARDS:
		return http_get_rewards(h, c);
	case R_PUNCHCARDS:
		return http_get_punchcards(h, c, r);
	case R_BALANCE:
		return http_get_balance(h, c, r);
	case R_RECEIPT:
	case R_USER_RECEIPT:
		return get_receipt(h, c, r);
	case R_IMAGE:
		return get_image(h, c, r);
	case R_USER_RECEIPTS:
	case R_RECEIPTS:
		return list_receipts(h, c, r);
	case R_VOUCHERS:
		return get_vouchers(h, c, r);
	default:
		return get_ledger(h, c, r);
	}
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *data,
				  size_t *data_size, void **con_cls)
{
	struct http_server *h = cls;
	struct req *r = *con_cls;
	unsigned bad;

	(void)version;
	if (!r) { /* headers are in: route, authenticate, maybe answer */
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		*con_cls = r;
		bad = route(url, r);
		if (bad) {
			r->answered = 1;
			return bad == 400 ? http_send_error(
						    c, 400, "bad_request",
						    "bad user id, receipt id "
						    "or voucher code")
					  : http_send_error(c, 404, "not_found",
							    "no such route");
		}
		if (r->route != R_USER_RECEIPTS || strcmp(method, "POST"))
			r->answered = 1; /* everything else answers now */
		return dispatch(h, c, r, method, authenticate(h, c));
	}
	if (*data_size) { /* a body chunk */
		/* Without Content-Length the limit is found only while reading.
		 * libmicrohttpd answers only once the body is in, so the rest
		 * is dropped, up to a bound past which the connection is cut. */
		if (!r->answered &&
		    (r->discarded || !upload_append(h, r, data, *data_size)))
			r->discarded += *data_size;
		if (r->discarded > 2 * body_limit(h, r))
			return MHD_NO;
		*data_size = 0;
		return MHD_YES;
	}
	if (r->answered)
		return MHD_YES;
	if (r->discarded) {
		r->answered = 1;
		inflight_del(h, r);
		return http_send_error(
			c, 413, "payload_too_large",
			HTTP_JSON_ROUTE(r->route)
				? "body is larger than 4096 bytes"
				: "image is larger than "
				  "max_upload_bytes");
	}
	r->answered = 1;
	switch (r->route) {
	case R_REDEMPTIONS:
		return http_redeem(h, c, r);
	case R_REVERSE:
		return http_reverse(h, c, r);
	case R_REVIEW:
		return http_review(h, c, r);
	case R_REPROCESS:
		return http_reprocess(h, c, r);
	case R_ACTIVITIES:
		return http_activity(h, c, r);
	case R_REFERRAL:
		return http_referral(h, c, r);
	case R_MEMBERSHIP:
		return http_membership(h, c, r);
	case R_EXPIRY_RUN:
	case R_COUPONS_RUN:
		return http_job_run(h, c, r);
	default:
		break;
	}
	{
		enum MHD_Result ret = upload_finish(h, c, r);

		inflight_del(h, r);
		return ret;
	}
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;

	(void)c;
	(void)toe;
	if (!r)
		return;
	inflight_del(cls, r);
	free(r->body);
	free(r);
	*con_cls = NULL;
}

int http_start(const struct config *cfg, struct db *db, int wake_fd,
	       const struct supervisor *sup, struct http_server **out)
{
	struct http_server *h = calloc(1, sizeof(*h));
	struct sockaddr_in sa = { 0 };

	*out = NULL;
	if (!h)
		return -1;
	sa.sin_family = AF_INET;
	sa.sin_port = htons(cfg->listen_port);
	if (inet_pton(AF_INET, cfg->listen_addr, &sa.sin_addr) != 1) {
		fprintf(stderr,
			"receiptd: listen: '%s' is not an IPv4 "
			"address\n",
			cfg->listen_addr);
		free(h);
		return -1;
	}
	h->cfg = cfg;
	h->db = db;
	h->wake_fd = wake_fd;
	h->sup = sup;
	h->mhd = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL,
		NULL, on_request, h, MHD_OPTION_SOCK_ADDR, &sa,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_MAX_CONNECTIONS,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)HTTP_MAX_PER_IP,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_CONN_TIMEOUT_S,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, h, MHD_OPTION_END);
	if (!h->mhd) {
		fprintf(stderr, "receiptd: cannot listen on %s:%u: %s\n",
			cfg->listen_addr, cfg->listen_port, strerror(errno));
		free(h);
		return -1;
	}
	*out = h;
	return 0;
}

void http_stop(struct http_server *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->mhd);
	for (int i = 0; i < HTTP_MAX_INFLIGHT_KEYS; i++)
		free(h->inflight[i]);
	free(h);
}
