/*
 * db.c: the engine-neutral half of the storage layer. It picks a backend,
 * checks arguments once for every engine, and forwards; engines only ever
 * see valid input.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "db.h"
#include "banned.h"

struct db {
	const struct db_backend *be;
	void *state;
};

/* Engines by path scheme; the one with a NULL scheme is the default. */
static const struct db_backend *const db_backends[] = {
	&db_backend_sqlite,
	NULL,
};

static const char *const status_names[] = {
	[DB_QUEUED] = "queued",	    [DB_PROCESSING] = "processing",
	[DB_CREDITED] = "credited", [DB_FLAGGED] = "flagged",
	[DB_REJECTED] = "rejected", [DB_DUPLICATE] = "duplicate",
	[DB_FAILED] = "failed",	    [DB_REVERSED] = "reversed",
};

#define NSTATUS (sizeof(status_names) / sizeof(status_names[0]))

/* True when s is non-NULL, non-empty and at most max bytes. */
static int str_ok(const char *s, size_t max)
{
	return s != NULL && s[0] != '\0' && strnlen(s, max + 1) <= max;
}

static int hex64_ok(const char *s)
{
	if (s == NULL || strlen(s) != DB_HASH_HEX_LEN)
		return 0;
	return strspn(s, "0123456789abcdef") == DB_HASH_HEX_LEN;
}

static const struct db_backend *backend_for(const char *path)
{
	const struct db_backend *dflt = NULL;

	for (size_t i = 0; db_backends[i] != NULL; i++) {
		const char *scheme = db_backends[i]->scheme;

		if (scheme == NULL)
			dflt = db_backends[i];
		else if (strncmp(path, scheme, strlen(scheme)) == 0)
			return db_backends[i];
	}
	return dflt;
}

int db_open(const char *path, struct db **out)
{
	struct db *db = NULL;
	int rc;

	*out = NULL;
	if (path == NULL || path[0] == '\0')
		return DB_INVALID;
	db = calloc(1, sizeof(*db));
	if (db == NULL)
		return DB_NOMEM;
	db->be = backend_for(path);
	if (db->be == NULL) {
		rc = DB_INVALID;
		goto out;
	}
	rc = db->be->open(path, &db->state);
	if (rc != DB_OK)
		goto out;
	*out = db;
	db = NULL;
out:
	free(db);
	return rc;
}

void db_close(struct db *db)
{
	if (db == NULL)
		return;
	db->be->close(db->state);
	free(db);
}

const char *db_errmsg(struct db *db)
{
	const char *m = db->be->errmsg(db->state);

	return m != NULL ? m : "";
}

int db_schema_version(struct db *db, int *version)
{
	return db->be->schema_version(db->state, version);
}

int db_begin(struct db *db)
{
	return db->be->begin(db->state);
}

int db_commit(struct db *db)
{
	return db->be->commit(db->state);
}

int db_rollback(struct db *db)
{
	return db->be->rollback(db->state);
}

const char *db_status_name(enum db_status s)
{
	if ((size_t)s >= NSTATUS)
		return "unknown";
	return status_names[s];
}

int db_status_parse(const char *name, enum db_status *out)
{
	for (size_t i = 0; i < NSTATUS; i++) {
		if (name != NULL && strcmp(name, status_names[i]) == 0) {
			*out = (enum db_status)i;
			return DB_OK;
		}
	}
	return DB_INVALID;
}

int db_status_is_final(enum db_status s)
{
	return s != DB_QUEUED && s != DB_PROCESSING;
}

int db_receipt_insert(struct db *db, const struct db_receipt_new *n,
		      int64_t *id)
{
	*id = 0;
	if (!str_ok(n->user_id, DB_USER_ID_MAX) || !hex64_ok(n->image_sha256) ||
	    !str_ok(n->image_path, DB_PATH_MAX) ||
	    !str_ok(n->content_type, DB_CONTENT_TYPE_MAX))
		return DB_INVALID;
	if (n->idem_key != NULL && (!str_ok(n->idem_key, DB_IDEM_KEY_MAX) ||
				    !hex64_ok(n->request_hash)))
		return DB_INVALID;
	return db->be->receipt_insert(db->state, n, id);
}

int db_receipt_get(struct db *db, int64_t id, struct db_receipt *out)
{
	memset(out, 0, sizeof(*out));
	if (id <= 0)
		return DB_NOTFOUND;
	return db->be->receipt_get(db->state, id, out);
}

void db_receipt_release(struct db_receipt *r)
{
	free(r->parsed);
	free(r->reasons);
	r->parsed = NULL;
	r->reasons = NULL;
}

int db_receipt_list(struct db *db, const char *user_id, int64_t before_id,
		    size_t limit, db_receipt_cb cb, void *arg)
{
	if (!str_ok(user_id, DB_USER_ID_MAX) || cb == NULL || before_id < 0)
		return DB_INVALID;
	if (limit > DB_LIST_MAX)
		limit = DB_LIST_MAX;
	return db->be->receipt_list(db->state, user_id, NULL, before_id, limit,
				    cb, arg);
}

int db_receipt_list_status(struct db *db, enum db_status st, int64_t before_id,
			   size_t limit, db_receipt_cb cb, void *arg)
{
	if ((size_t)st >= NSTATUS || st == DB_REVERSED || cb == NULL ||
	    before_id < 0)
		return DB_INVALID;
	if (limit > DB_LIST_MAX)
		limit = DB_LIST_MAX;
	return db->be->receipt_list(db->state, NULL, db_status_name(st),
				    before_id, limit, cb, arg);
}

int db_receipt_set_parse(struct db *db, int64_t id, const struct receipt *r,
			 const char *parsed, const char *content_key)
{
	if (r == NULL || parsed == NULL ||
	    (content_key != NULL && !str_ok(content_key, DB_CONTENT_KEY_MAX)))
		return DB_INVALID;
	return db->be->receipt_set_parse(db->state, id, r, parsed, content_key);
}

int db_receipt_set_outcome(struct db *db, int64_t id,
			   const struct db_outcome *o)
{
	if (!db_status_is_final(o->status) || (size_t)o->status >= NSTATUS ||
	    o->status == DB_REVERSED || /* derived, never stored */
	    o->points < 0 ||
	    (o->review && o->status != DB_CREDITED && o->status != DB_REJECTED))
		return DB_INVALID;
	return db->be->receipt_set_outcome(db->state, id, o);
}

int db_receipt_find_image(struct db *db, const char *sha256, int64_t exclude_id,
			  int64_t *orig)
{
	*orig = 0;
	if (!hex64_ok(sha256))
		return DB_INVALID;
	return db->be->receipt_find_image(db->state, sha256, exclude_id, orig);
}

int db_receipt_find_content(struct db *db, const char *key, int64_t exclude_id,
			    int64_t *orig)
{
	*orig = 0;
	if (!str_ok(key, DB_CONTENT_KEY_MAX))
		return DB_INVALID;
	return db->be->receipt_find_content(db->state, key, exclude_id, orig);
}

int db_receipt_find_tse(struct db *db, int64_t id, int64_t *orig)
{
	*orig = 0;
	return db->be->receipt_find_tse(db->state, id, orig);
}

int db_queue_recover(struct db *db, int max_attempts, int *requeued)
{
	int n = 0;
	int rc;

	if (max_attempts < 1)
		return DB_INVALID;
	rc = db->be->queue_recover(db->state, max_attempts, &n);
	if (requeued != NULL)
		*requeued = rc == DB_OK ? n : 0;
	return rc;
}

int db_queue_claim(struct db *db, struct db_job *job)
{
	memset(job, 0, sizeof(*job));
	return db->be->queue_claim(db->state, job);
}

int db_queue_requeue(struct db *db, int64_t id)
{
	return db->be->queue_requeue(db->state, id);
}

int db_queue_reprocess(struct db *db, enum db_status st, int64_t limit,
		       int *requeued)
{
	*requeued = 0;
	if ((st != DB_FLAGGED && st != DB_FAILED) || limit < 1)
		return DB_INVALID;
	return db->be->queue_reprocess(db->state, db_status_name(st), limit,
				       requeued);
}

int db_queue_fail(struct db *db, int64_t id, const char *reason)
{
	struct db_outcome o = { .status = DB_FAILED, .points = 0 };
	json_t *arr = NULL;
	char *text = NULL;
	int rc = DB_NOMEM;

	if (!str_ok(reason, DB_CONTENT_KEY_MAX))
		return DB_INVALID;
	arr = json_pack("[s]", reason);
	if (arr == NULL)
		goto out;
	text = json_dumps(arr, JSON_COMPACT);
	if (text == NULL)
		goto out;
	o.reasons = text;
	rc = db->be->receipt_set_outcome(db->state, id, &o);
out:
	free(text);
	json_decref(arr);
	return rc;
}

int db_ledger_credit(struct db *db, const struct db_credit *c, int64_t *txn_id)
{
	struct db_txn t = {
		.kind = "credit",
		.receipt_id = c->receipt_id,
		.account = c->account,
		.points = c->points,
		.rule = c->rule,
		.idem_key = c->idem_key,
	};

	*txn_id = 0;
	if (c->receipt_id <= 0 || c->points <= 0)
		return DB_INVALID;
	return db_ledger_post(db, &t, txn_id);
}

static int time_ok(const char *t)
{
	return t == NULL || strnlen(t, DB_TIME_LEN) == DB_TIME_LEN - 1;
}

static int txn_ok(const struct db_txn *t)
{
	int64_t sum = 0;

	if (!str_ok(t->kind, DB_KIND_MAX) || t->points == 0 ||
	    !str_ok(t->account, DB_ACCOUNT_MAX) ||
	    !str_ok(t->rule, DB_RULE_MAX) ||
	    !str_ok(t->idem_key, DB_IDEM_KEY_MAX) || t->receipt_id < 0 ||
	    t->reverses < 0 || !time_ok(t->created_at) ||
	    (t->rules_version != NULL &&
	     !str_ok(t->rules_version, DB_VERSION_MAX)))
		return 0;
	for (size_t i = 0; i < t->nlines; i++) {
		if (!str_ok(t->lines[i].rule, DB_LINE_RULE_MAX) ||
		    t->lines[i].points == 0)
			return 0;
		sum += t->lines[i].points;
	}
	return t->nlines == 0 || sum == t->points;
}

int db_ledger_post(struct db *db, const struct db_txn *t, int64_t *txn_id)
{
	*txn_id = 0;
	if (!txn_ok(t))
		return DB_INVALID;
	return db->be->ledger_post(db->state, t, txn_id);
}

int db_ledger_sum(struct db *db, const struct db_sum *q, int64_t *sum)
{
	*sum = 0;
	if (!str_ok(q->account, DB_ACCOUNT_MAX) || !time_ok(q->since) ||
	    !time_ok(q->until))
		return DB_INVALID;
	return db->be->ledger_sum(db->state, q, sum);
}

int db_ledger_find(struct db *db, const char *idem_key, struct db_posting *out)
{
	memset(out, 0, sizeof(*out));
	if (!str_ok(idem_key, DB_IDEM_KEY_MAX))
		return DB_INVALID;
	return db->be->ledger_find(db->state, idem_key, out);
}

int db_event_add(struct db *db, const char *user_id, const char *name,
		 int64_t amount, int64_t txn_id, const char *at)
{
	if (!str_ok(user_id, DB_USER_ID_MAX) || !str_ok(name, DB_EVENT_MAX) ||
	    !time_ok(at))
		return DB_INVALID;
	return db->be->event_add(db->state, user_id, name, amount, txn_id, at);
}

int db_event_sum(struct db *db, const char *user_id, const char *name,
		 const char *since, int64_t *sum, int64_t *count)
{
	*sum = *count = 0;
	if (!str_ok(user_id, DB_USER_ID_MAX) || !str_ok(name, DB_EVENT_MAX) ||
	    !time_ok(since))
		return DB_INVALID;
	return db->be->event_sum(db->state, user_id, name, since, sum, count);
}

int db_voucher_add(struct db *db, const struct db_voucher *v)
{
	if (!str_ok(v->code, DB_CODE_MAX) ||
	    !str_ok(v->user_id, DB_USER_ID_MAX) ||
	    !str_ok(v->source, DB_KIND_MAX) || !str_ok(v->rule, DB_RULE_MAX) ||
	    v->value < 0 || !time_ok(v->issued_at[0] ? v->issued_at : NULL))
		return DB_INVALID;
	return db->be->voucher_add(db->state, v);
}

int db_voucher_get(struct db *db, const char *code, int64_t txn_id,
		   struct db_voucher *out)
{
	memset(out, 0, sizeof(*out));
	if (code != NULL ? !str_ok(code, DB_CODE_MAX) : txn_id <= 0)
		return DB_NOTFOUND;
	return db->be->voucher_get(db->state, code, txn_id, out);
}

int db_voucher_list(struct db *db, const char *user_id, db_voucher_cb cb,
		    void *arg)
{
	if (!str_ok(user_id, DB_USER_ID_MAX) || cb == NULL)
		return DB_INVALID;
	return db->be->voucher_list(db->state, user_id, cb, arg);
}

int db_voucher_use(struct db *db, const char *code, const char *by,
		   const char *at)
{
	if (!str_ok(code, DB_CODE_MAX))
		return DB_NOTFOUND;
	if (!str_ok(by, DB_USER_ID_MAX) || !time_ok(at))
		return DB_INVALID;
	return db->be->voucher_use(db->state, code, by, at);
}

int db_voucher_void(struct db *db, int64_t credit_txn, int64_t by_txn,
		    const char *at, int64_t *voided, int64_t *used)
{
	*voided = *used = 0;
	if (credit_txn <= 0 || by_txn <= 0 || !time_ok(at))
		return DB_INVALID;
	return db->be->voucher_void(db->state, credit_txn, by_txn, at, voided,
				    used);
}

int db_referral_add(struct db *db, const char *user_id, const char *referred_by)
{
	if (!str_ok(user_id, DB_USER_ID_MAX) ||
	    !str_ok(referred_by, DB_USER_ID_MAX) ||
	    strcmp(user_id, referred_by) == 0)
		return DB_INVALID;
	return db->be->referral_add(db->state, user_id, referred_by);
}

int db_referral_get(struct db *db, const char *user_id, char *by, size_t size)
{
	if (size > 0)
		by[0] = '\0';
	if (!str_ok(user_id, DB_USER_ID_MAX) || size <= DB_USER_ID_MAX)
		return DB_INVALID;
	return db->be->referral_get(db->state, user_id, by, size);
}

int db_membership_add(struct db *db, const struct db_membership *m)
{
	if (!str_ok(m->user_id, DB_USER_ID_MAX) ||
	    !str_ok(m->tier, DB_TIER_MAX) || m->months < 1 || m->months > 36 ||
	    !str_ok(m->idem_key, DB_IDEM_KEY_MAX) ||
	    strnlen(m->starts_at, DB_TIME_LEN) != DB_TIME_LEN - 1 ||
	    strnlen(m->ends_at, DB_TIME_LEN) != DB_TIME_LEN - 1 ||
	    strcmp(m->ends_at, m->starts_at) <= 0 ||
	    (m->created_at[0] != '\0' && !time_ok(m->created_at)))
		return DB_INVALID;
	return db->be->membership_add(db->state, m);
}

int db_membership_find(struct db *db, const char *idem_key,
		       struct db_membership *out)
{
	memset(out, 0, sizeof(*out));
	if (!str_ok(idem_key, DB_IDEM_KEY_MAX))
		return DB_INVALID;
	return db->be->membership_find(db->state, idem_key, out);
}

int db_membership_end(struct db *db, const char *user_id, char out[DB_TIME_LEN])
{
	out[0] = '\0';
	if (!str_ok(user_id, DB_USER_ID_MAX))
		return DB_INVALID;
	return db->be->membership_end(db->state, user_id, out);
}

int db_membership_active(struct db *db, const char *user_id, const char *at,
			 struct db_membership *out)
{
	memset(out, 0, sizeof(*out));
	if (!str_ok(user_id, DB_USER_ID_MAX) || at == NULL || !time_ok(at))
		return DB_INVALID;
	return db->be->membership_active(db->state, user_id, at, out);
}

int db_ledger_balance(struct db *db, const char *account, int64_t *points)
{
	*points = 0;
	if (!str_ok(account, DB_ACCOUNT_MAX))
		return DB_INVALID;
	return db->be->ledger_balance(db->state, account, points);
}

int db_ledger_history(struct db *db, const char *account, int64_t before_id,
		      size_t limit, db_posting_cb cb, void *arg)
{
	if (!str_ok(account, DB_ACCOUNT_MAX) || cb == NULL || before_id < 0)
		return DB_INVALID;
	if (limit > DB_LIST_MAX)
		limit = DB_LIST_MAX;
	return db->be->ledger_history(db->state, account, before_id, limit, cb,
				      arg);
}

int db_ledger_lines(struct db *db, int64_t txn_id, struct db_line_row *out,
		    size_t max, size_t *n)
{
	*n = 0;
	if (txn_id <= 0 || out == NULL)
		return DB_INVALID;
	return db->be->ledger_lines(db->state, txn_id, out, max, n);
}

int db_event_negate(struct db *db, int64_t txn_id, int64_t by_txn,
		    const char *at)
{
	if (txn_id <= 0 || by_txn <= 0 || !time_ok(at))
		return DB_INVALID;
	return db->be->event_negate(db->state, txn_id, by_txn, at);
}

int db_ledger_expirable(struct db *db, const char *account, const char *cutoff,
			struct db_expirable *out)
{
	memset(out, 0, sizeof(*out));
	if (!str_ok(account, DB_ACCOUNT_MAX) || cutoff == NULL ||
	    !time_ok(cutoff))
		return DB_INVALID;
	return db->be->ledger_expirable(db->state, account, cutoff, out);
}

int db_ledger_users(struct db *db, int64_t min_points, db_account_cb cb,
		    void *arg)
{
	if (cb == NULL)
		return DB_INVALID;
	return db->be->ledger_users(db->state, min_points, cb, arg);
}

int db_ledger_visits(struct db *db, const char *user_id, const char *since,
		     int64_t *visits, int64_t *spend)
{
	*visits = *spend = 0;
	if (!str_ok(user_id, DB_USER_ID_MAX) || !time_ok(since))
		return DB_INVALID;
	return db->be->ledger_visits(db->state, user_id, since, visits, spend);
}

int db_program_metrics(struct db *db, const char *now, char **json)
{
	*json = NULL;
	if (!time_ok(now))
		return DB_INVALID;
	return db->be->program_metrics(db->state, now, json);
}
