/*
 * http_loyalty.c: the spending side of the API: the reward catalogue of
 * the current programme, redemptions and the use of a voucher at the till.
 * Writes go through this thread's own connection; SQLite serialises them
 * with the supervisor's, and a lock held too long answers 503.
 */
#include <string.h>

#include <jansson.h>
#include <microhttpd.h>

#include "http_int.h"
#include "ledger.h"
#include "log.h"
#include "rules.h"
#include "supervisor.h"
#include "banned.h"

enum MHD_Result http_get_rewards(struct http_server *h,
				 struct MHD_Connection *c)
{
	const struct rules *p = supervisor_program(h->sup);
	json_t *arr = json_array();

	for (size_t i = 0; arr != NULL && p != NULL && i < p->nrewards; i++) {
		const struct rules_reward *rw = &p->reward[i];

		if (json_array_append_new(arr,
					  json_pack("{s:s, s:I, s:s}", "reward",
						    rw->name, "points",
						    (json_int_t)rw->points,
						    "text", rw->text))) {
			json_decref(arr);
			arr = NULL;
		}
	}
	if (arr == NULL)
		return http_send_error(c, 500, "internal", "out of memory");
	return http_send_json(
		c, 200,
		json_pack("{s:o, s:o}", "rules_version",
			  p != NULL ? json_string(p->version) : json_null(),
			  "rewards", arr));
}

static const struct http_ledger_err redeem_errors[] = {
	{ LEDGER_ERR_FUNDS, 409, "insufficient_points",
	  "the balance is below the reward's price" },
	{ LEDGER_ERR_MISMATCH, 422, "idempotency_mismatch",
	  "idempotency_key was used for another reward" },
	{ LEDGER_ERR_NOTFOUND, 404, "unknown_reward",
	  "no such reward in the catalogue" },
	{ LEDGER_ERR_INVALID, 400, "bad_request",
	  "reward must be a name and idempotency_key 1-128 printable "
	  "characters" },
	{ 0 },
};

enum MHD_Result http_redeem(struct http_server *h, struct MHD_Connection *c,
			    const struct req *r)
{
	struct ledger_redemption red;
	struct ledger_rules rules;
	const char *reward, *key;
	json_t *body;
	int rc;

	body = json_loadb((const char *)r->body, r->len, JSON_REJECT_DUPLICATES,
			  NULL);
	reward = json_string_value(json_object_get(body, "reward"));
	key = json_string_value(json_object_get(body, "idempotency_key"));
	if (reward == NULL || key == NULL) {
		json_decref(body);
		return http_send_error(c, 400, "bad_request",
				       "body must be {\"reward\": NAME, "
				       "\"idempotency_key\": KEY}");
	}
	ledger_rules_init(&rules);
	rules.program = supervisor_program(h->sup);
	rc = ledger_redeem(h->db, r->user, reward, key, &rules, &red);
	json_decref(body);
	if (rc != LEDGER_OK)
		return http_send_ledger_error(h, c, rc, redeem_errors,
					      "cannot record the redemption");
	if (!red.already)
		log_info("redemption %lld: %s spent %lld points on %s",
			 (long long)red.txn_id, r->user, (long long)red.points,
			 red.reward);
	/* A replay answers exactly as the first time. */
	return http_send_json(
		c, 201,
		json_pack("{s:s, s:I, s:s, s:I, s:{s:s, s:s, s:s}}", "user",
			  r->user, "txn", (json_int_t)red.txn_id, "reward",
			  red.reward, "points", (json_int_t)red.points,
			  "voucher", "code", red.code, "reward", red.reward,
			  "issued_at", red.issued_at));
}

enum MHD_Result http_voucher_use(struct http_server *h,
				 struct MHD_Connection *c, const struct req *r,
				 enum config_role role)
{
	struct db_voucher v;
	int rc;

	if (role < ROLE_STAFF)
		return http_send_error(c, 403, "forbidden",
				       "vouchers are used by staff keys");
	rc = db_voucher_use(h->db, r->code, config_role_name(role), NULL);
	if (rc == DB_OK || rc == DB_INVALID) {
		int use = rc; /* DB_INVALID: expired or void */

		rc = db_voucher_get(h->db, r->code, 0, &v);
		if (rc == DB_OK && use == DB_INVALID && v.voided_at[0])
			return http_send_error(c, 410, "voucher_void",
					       "the voucher was voided: the "
					       "credit that issued it was "
					       "reversed");
		if (rc == DB_OK)
			rc = use;
	}
	switch (rc) {
	case DB_OK:
		break;
	case DB_NOTFOUND:
		return http_send_error(c, 404, "not_found", "no such voucher");
	case DB_CONFLICT:
		return http_send_error(c, 409, "voucher_used",
				       "the voucher was used already");
	case DB_INVALID:
		return http_send_error(c, 410, "voucher_expired",
				       "the voucher expired unused");
	case DB_BUSY:
		return http_send_busy(c, "database busy; retry");
	default:
		log_warn("voucher %s: %s", r->code, db_errmsg(h->db));
		return http_send_error(c, 500, "internal",
				       "cannot use the voucher");
	}
	log_info("voucher %s of %s used by %s", v.code, v.user_id, v.used_by);
	return http_send_json(
		c, 200,
		json_pack("{s:s, s:s, s:s, s:o, s:I, s:s, s:s}", "code", v.code,
			  "user", v.user_id, "source", v.source, "reward",
			  v.reward[0] ? json_string(v.reward) : json_null(),
			  "value", (json_int_t)v.value, "issued_at",
			  v.issued_at, "used_at", v.used_at));
}

enum MHD_Result http_get_balance(struct http_server *h,
				 struct MHD_Connection *c, const struct req *r)
{
	const struct rules *p = supervisor_program(h->sup);
	struct ledger_tier_status t;
	struct ledger_rules rules;
	int64_t points;

	ledger_rules_init(&rules);
	rules.program = p;
	if (ledger_balance(h->db, r->user, &points) != LEDGER_OK ||
	    ledger_tier(h->db, r->user, &rules, &t) != LEDGER_OK)
		return http_send_error(c, 500, "internal",
				       "cannot read balance");
	/* tier: the effective one (a membership included); next_tier and
	 * points_to_next_tier: progress of the points alone. */
	return http_send_json(
		c, 200,
		json_pack("{s:s, s:I, s:o, s:o, s:I, s:o, s:o, s:o}", "user",
			  r->user, "points", (json_int_t)points, "tier",
			  t.tier >= 0 ? json_string(p->tier[t.tier].name)
				      : json_null(),
			  "points_tier",
			  t.points_tier >= 0
				  ? json_string(p->tier[t.points_tier].name)
				  : json_null(),
			  "rolling_points", (json_int_t)t.rolling, "next_tier",
			  t.next >= 0 ? json_string(p->tier[t.next].name)
				      : json_null(),
			  "points_to_next_tier",
			  t.next >= 0 ? json_integer(t.to_next) : json_null(),
			  "membership",
			  t.membership >= 0
				  ? json_pack("{s:s, s:s}", "tier",
					      p->tier[t.membership].name,
					      "until", t.until)
				  : json_null()));
}

static int punchcard_cb(const struct ledger_punchcard *pc, void *arg)
{
	json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "rule",
			      pc->rule->name, "reward", pc->rule->reward,
			      "every", (json_int_t)pc->rule->every, "count",
			      (json_int_t)pc->count, "vouchers",
			      (json_int_t)pc->vouchers, "progress",
			      (json_int_t)pc->progress, "remaining",
			      (json_int_t)pc->remaining);

	return json_array_append_new(arg, o) ? 1 : 0;
}

enum MHD_Result http_get_punchcards(struct http_server *h,
				    struct MHD_Connection *c,
				    const struct req *r)
{
	json_t *arr = json_array();

	return http_send_user_list(
		c, r->user, "punchcards", arr,
		!arr || ledger_punchcards(h->db, r->user,
					  supervisor_program(h->sup),
					  punchcard_cb, arr) != LEDGER_OK);
}
