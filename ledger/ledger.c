/*
 * ledger.c: the settlement of a parsed receipt. The decision (duplicate,
 * flagged, credited) and its postings commit together or not at all; the
 * SQL lives behind db.h so that the rules here do not care which engine
 * stores them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ledger.h"
#include "ledger_int.h"
#include "banned.h"

#define ACCOUNT_PREFIX "user:"
#define TXN_KEY_LEN 48

void ledger_rules_init(struct ledger_rules *rules)
{
	memset(rules, 0, sizeof(*rules));
	rules->points_per_eur = LEDGER_DEFAULT_POINTS_PER_EUR;
	memcpy(rules->currency, "EUR", sizeof("EUR"));
}

int64_t ledger_points(int64_t total_cents, int64_t points_per_eur)
{
	if (total_cents <= 0 || points_per_eur <= 0 ||
	    total_cents > LEDGER_MAX_TOTAL_CENTS ||
	    points_per_eur > LEDGER_MAX_POINTS_PER_EUR)
		return 0;
	/* Both factors are bounded, so the product fits in int64_t; integer
	 * division of non-negative numbers rounds down. */
	return total_cents * points_per_eur / 100;
}

int ledger_account(const char *user_id, char *buf, size_t size)
{
	int n;

	if (size > 0)
		buf[0] = '\0';
	if (user_id == NULL || user_id[0] == '\0' ||
	    strnlen(user_id, DB_USER_ID_MAX + 1) > DB_USER_ID_MAX)
		return LEDGER_ERR_INVALID;
	n = snprintf(buf, size, ACCOUNT_PREFIX "%s", user_id);
	if (n < 0 || (size_t)n >= size) {
		if (size > 0)
			buf[0] = '\0';
		return LEDGER_ERR_INVALID;
	}
	return LEDGER_OK;
}

int ledger_from_db(int rc)
{
	switch (rc) {
	case DB_OK:
		return LEDGER_OK;
	case DB_NOTFOUND:
		return LEDGER_ERR_NOTFOUND;
	case DB_BUSY:
		return LEDGER_ERR_BUSY;
	case DB_CONFLICT:
		return LEDGER_ERR_CONFLICT;
	case DB_INVALID:
		return LEDGER_ERR_INVALID;
	case DB_NOMEM:
		return LEDGER_ERR_NOMEM;
	default:
		return LEDGER_ERR_DB;
	}
}

/* A client's idempotency key: 1-LEDGER_IDEM_KEY_MAX bytes of printable
 * ASCII without spaces. */
static int idem_key_ok(const char *k)
{
	size_t n;

	if (k == NULL)
		return 0;
	n = strnlen(k, LEDGER_IDEM_KEY_MAX + 1);
	if (n == 0 || n > LEDGER_IDEM_KEY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (k[i] <= 0x20 || k[i] >= 0x7f)
			return 0;
	return 1;
}

int ledger_end(struct db *db, int rc, int replay)
{
	if (rc == LEDGER_OK && !replay)
		rc = ledger_from_db(db_commit(db));
	if (rc != LEDGER_OK || replay)
		db_rollback(db);
	return rc;
}

int ledger_end_receipt(struct db *db, int rc, int replay, void *out,
		       size_t size, struct db_receipt *row)
{
	rc = ledger_end(db, rc, replay);
	if (rc != LEDGER_OK)
		memset(out, 0, size);
	db_receipt_release(row);
	return rc;
}

int ledger_keyed_begin(struct db *db, const char *prefix, const char *user_id,
		       const char *name, const char *idem_key,
		       struct ledger_keyed *k, struct db_posting *p)
{
	int rc;

	if (name == NULL || !idem_key_ok(idem_key) ||
	    strnlen(name, RULES_NAME_MAX + 1) > RULES_NAME_MAX)
		return LEDGER_ERR_INVALID;
	rc = ledger_account(user_id, k->account, sizeof(k->account));
	if (rc != LEDGER_OK)
		return rc;
	/* The user id has no ':', so the key is unambiguous and fits. */
	snprintf(k->key, sizeof(k->key), "%s%s:%s", prefix, user_id, idem_key);
	rc = ledger_from_db(db_begin(db));
	if (rc != LEDGER_OK)
		return rc;
	rc = ledger_from_db(db_ledger_find(db, k->key, p));
	if (rc != LEDGER_OK && rc != LEDGER_ERR_NOTFOUND)
		db_rollback(db);
	return rc;
}

static void add_reason(struct ledger_outcome *out, const char *reason)
{
	if (out->nreasons >= LEDGER_MAX_REASONS)
		return;
	snprintf(out->reasons[out->nreasons++], LEDGER_REASON_LEN, "%s",
		 reason);
}

/* The ordered rules of the first programme. Duplicates come first: a
 * copied receipt earns nothing whatever it says. */
static void decide(const struct receipt *r, const struct fraud_verdict *v,
		   const struct ledger_rules *rules, struct ledger_outcome *out)
{
	out->status = DB_FLAGGED;
	out->points = 0;
	if (v->dup != FRAUD_ORIGINAL) {
		out->status = DB_DUPLICATE;
		out->original_id = v->original_id;
		add_reason(out, v->reason);
	} else if (r->document != RECEIPT_DOC_RECEIPT) {
		/* A quote, an order, a training print: staff confirm. */
		add_reason(out, "not_a_receipt");
	} else if (r->total == RECEIPT_UNKNOWN || r->total == 0) {
		add_reason(out, "no_total");
	} else if (r->total < 0) {
		/* A return: staff reverse the purchase's credit, if any. */
		add_reason(out, "refund");
	} else if (r->total > LEDGER_MAX_TOTAL_CENTS) {
		add_reason(out, "total_over_limit");
	} else if (rules->currency[0] != '\0' && r->currency[0] != '\0' &&
		   strcmp(r->currency, rules->currency) != 0) {
		add_reason(out, "currency_mismatch");
	} else if (rules->currency[0] != '\0' && r->currency[0] == '\0') {
		/* The parser reads euros from a decimal comma; a receipt
		 * that shows no currency at all is most often foreign. */
		add_reason(out, "currency_unknown");
	} else if (r->backed == 0 &&
		   r->confidence * 100.0 < (double)rules->review_below) {
		add_reason(out, "unconfirmed_total");
	} else {
		out->status = DB_CREDITED; /* points: credit() */
	}
}

/* Reads back a decision recorded earlier, for an idempotent replay. */
static void outcome_from_row(const struct db_receipt *row,
			     struct ledger_outcome *out)
{
	json_t *arr = NULL;
	size_t i;
	json_t *v;

	out->status = row->status;
	out->points = row->points;
	out->already = 1;
	if (row->reasons != NULL)
		arr = json_loads(row->reasons, 0, NULL);
	json_array_foreach(arr, i, v)
	{
		const char *s = json_string_value(v);
		const char *n = s != NULL ? strstr(s, FRAUD_REASON_OF) : NULL;

		if (s != NULL)
			add_reason(out, s);
		if (n != NULL && out->original_id == 0)
			out->original_id =
				strtoll(n + strlen(FRAUD_REASON_OF), NULL, 10);
	}
	json_decref(arr);
}

static int record_outcome(struct db *db, int64_t id,
			  const struct ledger_outcome *out, int review)
{
	struct db_outcome o = { .status = out->status,
				.points = out->points,
				.review = review };
	json_t *arr = NULL;
	char *text = NULL;
	int rc = LEDGER_ERR_NOMEM;

	if (out->nreasons == 0) /* a credit: reasons NULL stores [] */
		return ledger_from_db(db_receipt_set_outcome(db, id, &o));
	arr = json_array();
	if (arr == NULL)
		goto out;
	for (size_t i = 0; i < out->nreasons; i++)
		if (json_array_append_new(arr, json_string(out->reasons[i])))
			goto out;
	text = json_dumps(arr, JSON_COMPACT);
	if (text == NULL)
		goto out;
	o.reasons = text;
	rc = ledger_from_db(db_receipt_set_outcome(db, id, &o));
out:
	free(text);
	json_decref(arr);
	return rc;
}

static int post_credit(struct db *db, int64_t id, const char *user_id,
		       int64_t points)
{
	char account[DB_ACCOUNT_MAX + 1];
	char key[TXN_KEY_LEN];
	struct db_credit c = { .receipt_id = id, .points = points };
	int64_t txn_id;
	int rc;

	rc = ledger_account(user_id, account, sizeof(account));
	if (rc != LEDGER_OK)
		return rc;
	snprintf(key, sizeof(key), "credit:receipt:%lld", (long long)id);
	c.account = account;
	c.rule = LEDGER_RULE_POINTS_PER_EUR;
	c.idem_key = key;
	return ledger_from_db(db_ledger_credit(db, &c, &txn_id));
}

/* Parse result and duplicate verdict, both inside the open transaction. */
static int record_parse(struct db *db, const struct db_receipt *row,
			const struct receipt *r, const char *parsed_json,
			struct fraud_verdict *v)
{
	char key[FRAUD_CONTENT_KEY_LEN];
	const char *keyp = NULL;
	char *built = NULL;
	json_t *j = NULL;
	int rc;

	if (fraud_content_key(r, key, sizeof(key)) == FRAUD_OK)
		keyp = key;
	if (parsed_json == NULL) {
		rc = LEDGER_ERR_NOMEM;
		j = receipt_to_json(r);
		built = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;
		if (built == NULL)
			goto out;
		parsed_json = built;
	}
	rc = ledger_from_db(
		db_receipt_set_parse(db, row->id, r, parsed_json, keyp));
	if (rc != LEDGER_OK)
		goto out;
	if (fraud_check_duplicate(db, row->id, row->image_sha256, keyp, v) !=
	    FRAUD_OK)
		rc = LEDGER_ERR_DB;
out:
	free(built);
	json_decref(j);
	return rc;
}

/* Begins a write transaction on one receipt, read into *row; rolls back
 * when it cannot be read. */
static int begin_receipt(struct db *db, int64_t id, struct db_receipt *row)
{
	int rc = ledger_from_db(db_begin(db));

	if (rc != LEDGER_OK)
		return rc;
	rc = ledger_from_db(db_receipt_get(db, id, row));
	if (rc != LEDGER_OK)
		db_rollback(db);
	return rc;
}

/* Credits r's total to user by rules: the programme's, or points_per_eur
 * alone. */
static int credit(struct db *db, int64_t id, const char *user,
		  const struct receipt *r, const struct ledger_rules *rules,
		  int64_t *points)
{
	if (rules->program != NULL)
		return ledger_credit_program(db, id, user, r, rules, points);
	*points = ledger_points(r->total, rules->points_per_eur);
	return *points > 0 ? post_credit(db, id, user, *points) : LEDGER_OK;
}

static int rules_ok(const struct ledger_rules *rules)
{
	return rules->points_per_eur >= 0 && rules->review_below >= 0 &&
	       rules->review_below <= 100 &&
	       rules->points_per_eur <= LEDGER_MAX_POINTS_PER_EUR &&
	       memchr(rules->currency, '\0', sizeof(rules->currency)) != NULL;
}

int ledger_settle(struct db *db, int64_t receipt_id, const struct receipt *r,
		  const char *parsed_json, const struct ledger_rules *rules,
		  struct ledger_outcome *out)
{
	struct db_receipt row = { 0 };
	struct fraud_verdict v;
	int rc;

	memset(out, 0, sizeof(*out));
	if (r == NULL || rules == NULL || !rules_ok(rules))
		return LEDGER_ERR_INVALID;
	rc = begin_receipt(db, receipt_id, &row);
	if (rc != LEDGER_OK)
		return rc;
	if (db_status_is_final(row.status)) {
		outcome_from_row(&row, out); /* nothing to write */
		goto out;
	}
	rc = record_parse(db, &row, r, parsed_json, &v);
	if (rc != LEDGER_OK)
		goto out;
	decide(r, &v, rules, out);
	if (out->status == DB_CREDITED)
		rc = credit(db, receipt_id, row.user_id, r, rules,
			    &out->points);
	if (rc == LEDGER_OK)
		rc = record_outcome(db, receipt_id, out, 0);
out:
	return ledger_end_receipt(db, rc, out->already, out, sizeof(*out),
				  &row);
}

static int has_reason(const struct ledger_outcome *out, const char *reason)
{
	for (size_t i = 0; i < out->nreasons; i++)
		if (strcmp(out->reasons[i], reason) == 0)
			return 1;
	return 0;
}

/* Approving: the stored parse, with staff's total where they give one. */
static int approve(struct db *db, const struct db_receipt *row, int64_t total,
		   const struct ledger_rules *rules, struct ledger_outcome *out)
{
	json_t *j = row->parsed ? json_loads(row->parsed, 0, NULL) : NULL;
	struct receipt *r = malloc(sizeof(*r)); /* large */
	char why[LEDGER_REASON_LEN];
	int rc = LEDGER_ERR_NOMEM;

	if (r == NULL)
		goto out;
	rc = LEDGER_ERR_STATE; /* a flagged receipt was parsed */
	if (j == NULL || receipt_from_json(j, r))
		goto out;
	if (total != RECEIPT_UNKNOWN) {
		r->total = total;
		snprintf(why, sizeof(why), "total_set_by_staff %lld",
			 (long long)total);
		add_reason(out, why);
	}
	rc = LEDGER_ERR_INVALID; /* nothing to credit: staff must say */
	if (r->total == RECEIPT_UNKNOWN || r->total <= 0 ||
	    r->total > LEDGER_MAX_TOTAL_CENTS)
		goto out;
	out->status = DB_CREDITED;
	add_reason(out, LEDGER_APPROVED);
	rc = credit(db, row->id, row->user_id, r, rules, &out->points);
out:
	free(r);
	json_decref(j);
	return rc;
}

int ledger_review(struct db *db, int64_t receipt_id, int approved,
		  int64_t total, const struct ledger_rules *rules,
		  struct ledger_outcome *out)
{
	struct db_receipt row = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	if (rules == NULL || !rules_ok(rules) ||
	    (total != RECEIPT_UNKNOWN &&
	     (!approved || total <= 0 || total > LEDGER_MAX_TOTAL_CENTS)))
		return LEDGER_ERR_INVALID;
	rc = begin_receipt(db, receipt_id, &row);
	if (rc != LEDGER_OK)
		return rc;
	outcome_from_row(&row, out);
	if (row.status != DB_FLAGGED) {
		/* The same decision again is a replay; a receipt that was
		 * not flagged, or was decided otherwise, is no review's. */
		if (!has_reason(out,
				approved ? LEDGER_APPROVED : LEDGER_REJECTED))
			rc = LEDGER_ERR_STATE;
		goto out;
	}
	out->already = 0;
	if (approved) {
		rc = approve(db, &row, total, rules, out);
	} else {
		out->status = DB_REJECTED;
		add_reason(out, LEDGER_REJECTED);
	}
	if (rc == LEDGER_OK)
		rc = record_outcome(db, receipt_id, out, 1);
out:
	return ledger_end_receipt(db, rc, out->already, out, sizeof(*out),
				  &row);
}

int ledger_balance(struct db *db, const char *user_id, int64_t *points)
{
	char account[DB_ACCOUNT_MAX + 1];
	int rc;

	*points = 0;
	rc = ledger_account(user_id, account, sizeof(account));
	if (rc != LEDGER_OK)
		return rc;
	return ledger_from_db(db_ledger_balance(db, account, points));
}

int ledger_history(struct db *db, const char *user_id, int64_t before_id,
		   size_t limit, db_posting_cb cb, void *arg)
{
	char account[DB_ACCOUNT_MAX + 1];
	int rc;

	rc = ledger_account(user_id, account, sizeof(account));
	if (rc != LEDGER_OK)
		return rc;
	rc = db_ledger_history(db, account, before_id, limit, cb, arg);
	return rc > 0 ? rc : ledger_from_db(rc);
}
