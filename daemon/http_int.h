/*
 * http_int.h: private to the HTTP API: the routes, the server and
 * per-request state, and the answer helpers that http.c (routing, intake,
 * reads) and http_loyalty.c (rewards, redemptions, vouchers) share.
 */
#ifndef RD_HTTP_INT_H
#define RD_HTTP_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <microhttpd.h>

#include "config.h"
#include "db.h"
#include "http.h"

#define USER_ID_MAX 64
#define IDEM_KEY_MAX 128
#define LIST_DEFAULT 20
/* A JSON request body (redemptions) is small; more is refused (413). */
#define HTTP_MAX_JSON_BODY 4096
/* Seconds a client should wait after a 503 "busy". */
#define HTTP_RETRY_AFTER_S "1"

enum route {
	R_NONE = 0,
	R_HEALTHZ,
	R_READYZ,
	R_RECEIPT,	 /* /v1/receipts/{id} */
	R_USER_RECEIPTS, /* /v1/users/{u}/receipts */
	R_USER_RECEIPT,	 /* /v1/users/{u}/receipts/{id} */
	R_BALANCE,	 /* /v1/users/{u}/balance */
	R_LEDGER,	 /* /v1/users/{u}/ledger */
	R_VOUCHERS,	 /* /v1/users/{u}/vouchers */
	R_REWARDS,	 /* /v1/rewards */
	R_REDEMPTIONS,	 /* /v1/users/{u}/redemptions */
	R_VOUCHER_USE,	 /* /v1/vouchers/{code}/use */
	R_PUNCHCARDS,	 /* /v1/users/{u}/punchcards */
	R_REVERSE,	 /* /v1/receipts/{id}/reverse */
	R_ACTIVITIES,	 /* /v1/users/{u}/activities */
	R_REFERRAL,	 /* /v1/users/{u}/referral */
	R_EXPIRY_RUN,	 /* /v1/expiry/run */
	R_COUPONS_RUN,	 /* /v1/coupons/run */
	R_METRICS,	 /* /v1/metrics/program */
	R_MEMBERSHIP,	 /* /v1/users/{u}/membership */
	R_RECEIPTS,	 /* /v1/receipts?status=flagged */
	R_REVIEW,	 /* /v1/receipts/{id}/review */
	R_IMAGE,	 /* /v1/receipts/{id}/image */
	R_REPROCESS,	 /* /v1/receipts/reprocess */
};

/* The POST routes whose JSON body is read before they answer. */
#define HTTP_JSON_ROUTE(rt)                                                    \
	((rt) == R_REDEMPTIONS || (rt) == R_REVERSE || (rt) == R_REVIEW ||     \
	 (rt) == R_ACTIVITIES || (rt) == R_REFERRAL || (rt) == R_EXPIRY_RUN || \
	 (rt) == R_COUPONS_RUN || (rt) == R_MEMBERSHIP || (rt) == R_REPROCESS)

struct http_server {
	struct MHD_Daemon *mhd;
	const struct config *cfg;
	struct db *db;
	int wake_fd;
	const struct supervisor *sup;
	/* Idempotency keys whose request is still uploading: "user\nkey". */
	char *inflight[HTTP_MAX_INFLIGHT_KEYS];
};

/* Per-request state, kept across libmicrohttpd's calls for one request. */
struct req {
	enum route route;
	char user[USER_ID_MAX + 1];
	int64_t id;
	char code[DB_CODE_MAX + 1]; /* R_VOUCHER_USE */
	unsigned char *body;
	size_t len, cap;
	int answered;	  /* a response (e.g. 413) was queued early */
	size_t discarded; /* bytes of an over-limit chunked body dropped */
	int inflight;	  /* slot index + 1 in http_server.inflight */
	const char *ctype;
	char idem_key[IDEM_KEY_MAX + 1];
	enum config_role role; /* of the request's key */
};

/* Queue body (stolen, NULL = out of memory) as the answer. */
enum MHD_Result http_send_json(struct MHD_Connection *c, unsigned status,
			       json_t *body);
/* {"error":{"code","message"}} with status. */
enum MHD_Result http_send_error(struct MHD_Connection *c, unsigned status,
				const char *code, const char *msg);

/* Answers 200 {"user": user, name: arr} for a list built by callbacks, or
 * 500 "cannot read <name>" when building it failed (failed != 0 or arr
 * NULL). Takes arr either way. */
enum MHD_Result http_send_user_list(struct MHD_Connection *c, const char *user,
				    const char *name, json_t *arr, int failed);
/* 503 "busy" with Retry-After: the database was locked; retrying helps. */
enum MHD_Result http_send_busy(struct MHD_Connection *c, const char *msg);

/* The answer to one ledger_err of an endpoint. */
struct http_ledger_err {
	int rc; /* a ledger_err; 0 ends a table */
	unsigned status;
	const char *code;
	const char *message;
};

/*
 * Answers the ledger error rc: as the endpoint's table says (ended by rc
 * 0), else as every write does (busy or a lost race: 503 to retry; an
 * idempotency key reused: 422), else 500 with what logged and sent.
 */
enum MHD_Result http_send_ledger_error(struct http_server *h,
				       struct MHD_Connection *c, int rc,
				       const struct http_ledger_err *table,
				       const char *what);

/* GET /v1/users/{u}/balance: points, tier and points to the next. */
enum MHD_Result http_get_balance(struct http_server *h,
				 struct MHD_Connection *c, const struct req *r);

/* GET /v1/users/{u}/punchcards: progress on each punch card rule. */
enum MHD_Result http_get_punchcards(struct http_server *h,
				    struct MHD_Connection *c,
				    const struct req *r);

/* GET /v1/rewards: the current programme's catalogue. */
enum MHD_Result http_get_rewards(struct http_server *h,
				 struct MHD_Connection *c);

/* POST /v1/users/{u}/redemptions, once its JSON body is in r->body. */
enum MHD_Result http_redeem(struct http_server *h, struct MHD_Connection *c,
			    const struct req *r);

/* POST /v1/vouchers/{code}/use by a staff or operator key. */
enum MHD_Result http_voucher_use(struct http_server *h,
				 struct MHD_Connection *c, const struct req *r,
				 enum config_role role);

/* POST /v1/receipts/{id}/reverse by staff or operator. */
enum MHD_Result http_reverse(struct http_server *h, struct MHD_Connection *c,
			     const struct req *r);
enum MHD_Result http_review(struct http_server *h, struct MHD_Connection *c,
			    const struct req *r);
enum MHD_Result http_reprocess(struct http_server *h, struct MHD_Connection *c,
			       const struct req *r);

/* Tells the supervisor there is work in the queue. */
void http_wake(struct http_server *h);

/* POST /v1/users/{u}/activities and /v1/users/{u}/referral. */
enum MHD_Result http_activity(struct http_server *h, struct MHD_Connection *c,
			      const struct req *r);
enum MHD_Result http_referral(struct http_server *h, struct MHD_Connection *c,
			      const struct req *r);
/* POST /v1/users/{u}/membership: a paid membership, recorded by the app
 * backend (any key role). */
enum MHD_Result http_membership(struct http_server *h, struct MHD_Connection *c,
				const struct req *r);

/* POST /v1/expiry/run and /v1/coupons/run (operator): the periodic job
 * now, at the clock given in the body (for tests) or the real one. */
enum MHD_Result http_job_run(struct http_server *h, struct MHD_Connection *c,
			     const struct req *r);

/* Sets "reversal" on a receipt's JSON o: null, or the reversal that
 * undid its credit ({"txn", "points", "reason", "created_at"}). */
void http_add_reversal(struct http_server *h, json_t *o, int64_t receipt_id);

/* GET /v1/metrics/program (operator). */
enum MHD_Result http_get_metrics(struct http_server *h,
				 struct MHD_Connection *c);

#endif
