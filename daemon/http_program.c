/*
 * http_program.c: the programme's other writes and its figures:
 * reversals and reviews by staff, activity bonuses and referrals from
 * the app, the periodic job and re-reading run now by an operator, and
 * GET /v1/metrics/program.
 * Each write is one ledger call on this thread's connection.
 */
#define _XOPEN_SOURCE 700 /* strptime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

#include "http_int.h"
#include "ledger.h"
#include "log.h"
#include "supervisor.h"
#include "banned.h"

/* The request body as a JSON object; an empty body is {}. NULL when it
 * is not an object. */
static json_t *body_object(const struct req *r)
{
	json_t *j;

	if (r->len == 0)
		return json_object();
	j = json_loadb((const char *)r->body, r->len, JSON_REJECT_DUPLICATES,
		       NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* Programme rules as the supervisor has them, for this request. */
static void rules_now(const struct http_server *h, struct ledger_rules *rules)
{
	ledger_rules_init(rules);
	rules->points_per_eur = h->cfg->points_per_eur;
	rules->program = supervisor_program(h->sup);
}

enum MHD_Result http_send_ledger_error(struct http_server *h,
				       struct MHD_Connection *c, int rc,
				       const struct http_ledger_err *table,
				       const char *what)
{
	for (; table != NULL && table->rc != 0; table++)
		if (table->rc == rc)
			return http_send_error(c, table->status, table->code,
					       table->message);
	switch (rc) {
	case LEDGER_ERR_BUSY:
	case LEDGER_ERR_CONFLICT:
		return http_send_busy(c, "database busy; retry");
	case LEDGER_ERR_MISMATCH:
		return http_send_error(c, 422, "idempotency_mismatch",
				       "idempotency_key was used for another "
				       "request");
	default:
		log_warn("%s: %s", what, db_errmsg(h->db));
		return http_send_error(c, 500, "internal", what);
	}
}

static const struct http_ledger_err reverse_errors[] = {
	{ LEDGER_ERR_NOTFOUND, 404, "not_found", "no such receipt" },
	{ LEDGER_ERR_INVALID, 400, "bad_request",
	  "reason must be 1-31 of a-z and _" },
	{ LEDGER_ERR_STATE, 409, "not_credited",
	  "the receipt has no credit to reverse" },
	{ LEDGER_ERR_FUNDS, 409, "points_spent",
	  "every point of the credit was spent; nothing left to take back" },
	{ 0 },
};

enum MHD_Result http_reverse(struct http_server *h, struct MHD_Connection *c,
			     const struct req *r)
{
	struct ledger_reversal rv;
	struct ledger_rules rules;
	json_t *body = body_object(r);
	json_t *jr = json_object_get(body, "reason");
	char reason[LEDGER_REVERSE_REASON_MAX + 1] = "correction";
	int rc;

	if (body == NULL || (jr != NULL && !json_is_string(jr)) ||
	    (jr != NULL && strlen(json_string_value(jr)) >= sizeof(reason))) {
		json_decref(body);
		return http_send_error(c, 400, "bad_request",
				       "body must be {} or {\"reason\": "
				       "\"fraud\"|\"duplicate\"|...}");
	}
	if (jr != NULL)
		memcpy(reason, json_string_value(jr),
		       strlen(json_string_value(jr)) + 1);
	json_decref(body);
	rules_now(h, &rules);
	rc = ledger_reverse(h->db, r->id, reason, &rules, &rv);
	if (rc != LEDGER_OK)
		return http_send_ledger_error(h, c, rc, reverse_errors,
					      "cannot reverse");
	if (!rv.already)
		log_info("receipt %lld of %s reversed (%s): -%lld points, "
			 "%lld written off",
			 (long long)rv.receipt_id, rv.user, rv.reason,
			 (long long)rv.points, (long long)rv.shortfall);
	if (!rv.already && rv.vouchers_used > 0)
		log_warn("receipt %lld: %lld voucher(s) of the reversed credit "
			 "were used already",
			 (long long)rv.receipt_id, (long long)rv.vouchers_used);
	return http_send_json(
		c, 201,
		json_pack("{s:I, s:s, s:I, s:I, s:s, s:I, s:I, s:I, s:I, s:s,"
			  " s:{s:I, s:I}}",
			  "receipt", (json_int_t)rv.receipt_id, "user", rv.user,
			  "txn", (json_int_t)rv.txn_id, "reverses",
			  (json_int_t)rv.reverses, "reason", rv.reason,
			  "credited", (json_int_t)rv.credited, "points",
			  (json_int_t)-rv.points, "shortfall",
			  (json_int_t)rv.shortfall, "balance",
			  (json_int_t)rv.balance, "created_at", rv.created_at,
			  "vouchers", "voided", (json_int_t)rv.vouchers_voided,
			  "used", (json_int_t)rv.vouchers_used));
}

static const struct http_ledger_err review_errors[] = {
	{ LEDGER_ERR_NOTFOUND, 404, "not_found", "no such receipt" },
	{ LEDGER_ERR_STATE, 409, "not_flagged",
	  "the receipt is not flagged, or was decided the other way" },
	{ LEDGER_ERR_INVALID, 422, "no_total",
	  "no total was read: approve with \"total\" in cents" },
	{ 0 },
};

enum MHD_Result http_review(struct http_server *h, struct MHD_Connection *c,
			    const struct req *r)
{
	struct ledger_outcome out;
	struct ledger_rules rules;
	json_t *body = body_object(r), *reasons = json_array();
	const char *d = json_string_value(json_object_get(body, "decision"));
	json_t *jt = json_object_get(body, "total");
	int approved = d != NULL && !strcmp(d, "approve");
	int rc;

	if (reasons == NULL || d == NULL ||
	    (!approved && strcmp(d, "reject")) ||
	    (jt != NULL && (!approved || !json_is_integer(jt) ||
			    json_integer_value(jt) <= 0 ||
			    json_integer_value(jt) > LEDGER_MAX_TOTAL_CENTS))) {
		json_decref(body);
		json_decref(reasons);
		return http_send_error(c, 400, "bad_request",
				       "body must be {\"decision\": \"approve\""
				       "|\"reject\"}, an approval maybe with "
				       "\"total\": cents (1 .. 100000000)");
	}
	rules_now(h, &rules);
	rc = ledger_review(h->db, r->id, approved,
			   jt ? json_integer_value(jt) : RECEIPT_UNKNOWN,
			   &rules, &out);
	json_decref(body);
	if (rc != LEDGER_OK) {
		json_decref(reasons);
		return http_send_ledger_error(h, c, rc, review_errors,
					      "cannot review");
	}
	if (!out.already)
		log_info("receipt %lld %s by staff: %lld points",
			 (long long)r->id, db_status_name(out.status),
			 (long long)out.points);
	for (size_t i = 0; i < out.nreasons; i++)
		json_array_append_new(reasons, json_string(out.reasons[i]));
	return http_send_json(
		c, 200,
		json_pack("{s:I, s:s, s:I, s:o}", "receipt", (json_int_t)r->id,
			  "status", db_status_name(out.status), "points",
			  (json_int_t)out.points, "reasons", reasons));
}

/* The most receipts one call puts back in the queue. */
#define REPROCESS_MAX 1000

enum MHD_Result http_reprocess(struct http_server *h, struct MHD_Connection *c,
			       const struct req *r)
{
	json_t *body = body_object(r);
	const char *name = json_string_value(json_object_get(body, "status"));
	json_t *jl = json_object_get(body, "limit");
	enum db_status st = DB_FLAGGED;
	int n = 0, rc;

	if (body == NULL ||
	    (json_object_get(body, "status") != NULL &&
	     (name == NULL || db_status_parse(name, &st) != 0 ||
	      (st != DB_FLAGGED && st != DB_FAILED))) ||
	    (jl != NULL &&
	     (!json_is_integer(jl) || json_integer_value(jl) < 1 ||
	      json_integer_value(jl) > REPROCESS_MAX))) {
		json_decref(body);
		return http_send_error(c, 400, "bad_request",
				       "body must be {} or {\"status\": "
				       "\"flagged\"|\"failed\", \"limit\": "
				       "1-1000}");
	}
	rc = db_queue_reprocess(
		h->db, st, jl ? json_integer_value(jl) : REPROCESS_MAX, &n);
	json_decref(body);
	if (rc != DB_OK) {
		log_warn("reprocess: %s", db_errmsg(h->db));
		return rc == DB_BUSY ? http_send_busy(c, "database busy; retry")
				     : http_send_error(c, 500, "internal",
						       "cannot requeue");
	}
	if (n > 0) {
		log_info("%d %s receipt(s) queued to be read again", n,
			 db_status_name(st));
		http_wake(h);
	}
	return http_send_json(c, 200,
			      json_pack("{s:s, s:i}", "status",
					db_status_name(st), "requeued", n));
}

void http_add_reversal(struct http_server *h, json_t *o, int64_t receipt_id)
{
	char key[48];
	struct db_posting p;

	if (o == NULL)
		return;
	snprintf(key, sizeof(key), "reverse:receipt:%lld",
		 (long long)receipt_id);
	if (db_ledger_find(h->db, key, &p) != DB_OK) {
		json_object_set_new(o, "reversal", json_null());
		return;
	}
	json_object_set_new(o, "reversal",
			    json_pack("{s:I, s:I, s:s, s:s}", "txn",
				      (json_int_t)p.txn_id, "points",
				      (json_int_t)p.amount, "reason", p.rule,
				      "created_at", p.created_at));
}

static const struct http_ledger_err activity_errors[] = {
	{ LEDGER_ERR_INVALID, 400, "bad_request",
	  "body must be {\"kind\": NAME, \"idempotency_key\": 1-128 "
	  "printable characters}" },
	{ LEDGER_ERR_NOTFOUND, 404, "unknown_activity",
	  "no such activity in the programme" },
	{ LEDGER_ERR_CAP, 409, "activity_cap",
	  "the activity's cap is reached" },
	{ 0 },
};

enum MHD_Result http_activity(struct http_server *h, struct MHD_Connection *c,
			      const struct req *r)
{
	struct ledger_activity a;
	struct ledger_rules rules;
	json_t *body = body_object(r);
	const char *kind = json_string_value(json_object_get(body, "kind"));
	const char *key =
		json_string_value(json_object_get(body, "idempotency_key"));
	int rc = LEDGER_ERR_INVALID;

	rules_now(h, &rules);
	if (kind != NULL && key != NULL)
		rc = ledger_activity(h->db, r->user, kind, key, &rules, &a);
	json_decref(body);
	if (rc != LEDGER_OK)
		return http_send_ledger_error(h, c, rc, activity_errors,
					      "cannot record the activity");
	return http_send_json(
		c, 201,
		json_pack("{s:s, s:I, s:s, s:I, s:I, s:s}", "user", r->user,
			  "txn", (json_int_t)a.txn_id, "kind", a.kind, "points",
			  (json_int_t)a.points, "balance",
			  (json_int_t)a.balance, "created_at", a.created_at));
}

static const struct http_ledger_err membership_errors[] = {
	{ LEDGER_ERR_INVALID, 400, "bad_request",
	  "body must be {\"tier\": NAME, \"months\": 1-36, "
	  "\"idempotency_key\": 1-128 printable characters}" },
	{ LEDGER_ERR_NOTFOUND, 404, "unknown_tier",
	  "no such tier in the programme" },
	{ LEDGER_ERR_STATE, 422, "not_a_membership_tier",
	  "the tier is reached by points, not sold as a membership" },
	{ LEDGER_ERR_MISMATCH, 409, "idempotency_mismatch",
	  "idempotency_key was used for another membership" },
	{ 0 },
};

enum MHD_Result http_membership(struct http_server *h, struct MHD_Connection *c,
				const struct req *r)
{
	struct ledger_membership m;
	struct ledger_rules rules;
	json_t *body = body_object(r);
	json_t *months = json_object_get(body, "months");
	const char *tier = json_string_value(json_object_get(body, "tier"));
	const char *key =
		json_string_value(json_object_get(body, "idempotency_key"));
	int rc = LEDGER_ERR_INVALID;

	rules_now(h, &rules);
	if (tier != NULL && key != NULL && json_is_integer(months))
		rc = ledger_membership(h->db, r->user, tier,
				       json_integer_value(months), key, &rules,
				       &m);
	json_decref(body);
	if (rc != LEDGER_OK)
		return http_send_ledger_error(h, c, rc, membership_errors,
					      "cannot record the membership");
	if (!m.already)
		log_info("membership: %s holds %s from %s until %s", r->user,
			 m.tier, m.starts_at, m.ends_at);
	/* A replay answers exactly as the first time. */
	return http_send_json(c, 201,
			      json_pack("{s:s, s:s, s:I, s:s, s:s}", "user",
					r->user, "tier", m.tier, "months",
					(json_int_t)m.months, "starts_at",
					m.starts_at, "ends_at", m.ends_at));
}

static const struct http_ledger_err referral_errors[] = {
	{ LEDGER_ERR_INVALID, 400, "bad_request",
	  "body must be {\"referred_by\": USER}" },
	{ LEDGER_ERR_CYCLE, 422, "referral_cycle",
	  "a user cannot refer themselves, directly or through others" },
	{ LEDGER_ERR_EXISTS, 409, "already_referred",
	  "the user's referral is set already" },
	{ LEDGER_ERR_STATE, 409, "already_customer",
	  "the user has a credited receipt already" },
	{ 0 },
};

enum MHD_Result http_referral(struct http_server *h, struct MHD_Connection *c,
			      const struct req *r)
{
	const struct rules *p = supervisor_program(h->sup);
	json_t *body = body_object(r);
	const char *by =
		json_string_value(json_object_get(body, "referred_by"));
	int rc = by != NULL ? ledger_referral(h->db, r->user, by)
			    : LEDGER_ERR_INVALID;
	json_t *ans = NULL;

	if (rc == LEDGER_OK)
		ans = json_pack("{s:s, s:s, s:I, s:I}", "user", r->user,
				"referred_by", by, "referee_points",
				(json_int_t)(p ? p->referral_referee : 0),
				"referrer_points",
				(json_int_t)(p ? p->referral_referrer : 0));
	json_decref(body);
	if (rc == LEDGER_OK)
		return http_send_json(c, 201, ans);
	return http_send_ledger_error(h, c, rc, referral_errors,
				      "cannot record the referral");
}

/* "YYYY-MM-DDTHH:MM:SSZ" to a time; 0 when malformed. */
static time_t parse_stamp(const char *s)
{
	struct tm tm = { 0 };
	const char *e;

	if (s == NULL || strlen(s) != DB_TIME_LEN - 1)
		return 0;
	e = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (e == NULL || *e != '\0')
		return 0;
	return timegm(&tm);
}

enum MHD_Result http_job_run(struct http_server *h, struct MHD_Connection *c,
			     const struct req *r)
{
	struct ledger_rules rules;
	struct ledger_job job;
	json_t *body = body_object(r);
	json_t *jnow = json_object_get(body, "now");
	int expiry = r->route == R_EXPIRY_RUN;
	int rc;

	rules_now(h, &rules);
	if (jnow != NULL)
		rules.now = parse_stamp(json_string_value(jnow));
	json_decref(body);
	if (body == NULL || (jnow != NULL && rules.now <= 0))
		return http_send_error(c, 400, "bad_request",
				       "body must be {} or {\"now\": "
				       "\"YYYY-MM-DDTHH:MM:SSZ\"}");
	rc = expiry ? ledger_expire(h->db, &rules, &job)
		    : ledger_coupons(h->db, &rules, &job);
	if (rc != LEDGER_OK)
		return http_send_ledger_error(h, c, rc, NULL,
					      "cannot run the job");
	log_info("%s run at %s: %lld users, %lld points, %lld vouchers",
		 expiry ? "expiry" : "coupons", job.now, (long long)job.users,
		 (long long)job.points, (long long)job.vouchers);
	if (expiry)
		return http_send_json(
			c, 200,
			json_pack("{s:s, s:o, s:I, s:I}", "now", job.now,
				  "cutoff",
				  job.cutoff[0] ? json_string(job.cutoff)
						: json_null(),
				  "users", (json_int_t)job.users, "points",
				  (json_int_t)job.points));
	return http_send_json(c, 200,
			      json_pack("{s:s, s:I, s:I}", "now", job.now,
					"users", (json_int_t)job.users,
					"vouchers", (json_int_t)job.vouchers));
}

enum MHD_Result http_get_metrics(struct http_server *h,
				 struct MHD_Connection *c)
{
	const char *now =
		MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "now");
	char *text = NULL;
	json_t *j;
	int rc;

	if (now != NULL && parse_stamp(now) <= 0)
		return http_send_error(c, 400, "bad_request",
				       "now must be YYYY-MM-DDTHH:MM:SSZ");
	rc = db_program_metrics(h->db, now, &text);
	if (rc == DB_BUSY)
		return http_send_busy(c, "database busy; retry");
	j = rc == DB_OK ? json_loads(text, 0, NULL) : NULL;
	free(text);
	if (j == NULL) {
		log_warn("metrics: %s", db_errmsg(h->db));
		return http_send_error(c, 500, "internal",
				       "cannot read the metrics");
	}
	return http_send_json(c, 200, j);
}
