/*
 * ledger_redeem.c: points spent on a reward of the catalogue. The debit
 * and the voucher it buys commit together; the idempotency key, stored as
 * the transaction's unique key, makes a retried request harmless.
 */
#include <stdio.h>
#include <string.h>

#include "ledger_int.h"
#include "banned.h"

#define REDEEM_KEY_PREFIX "redeem:"
/* Voucher codes are random; a clash with an existing one is retried. */
#define CODE_TRIES 4

static void fill(struct ledger_redemption *out, const struct db_voucher *v,
		 int64_t txn_id, int64_t price)
{
	out->txn_id = txn_id;
	out->points = price;
	snprintf(out->reward, sizeof(out->reward), "%s", v->reward);
	snprintf(out->code, sizeof(out->code), "%s", v->code);
	snprintf(out->issued_at, sizeof(out->issued_at), "%s", v->issued_at);
}

/* A redemption made before under this key: the same answer, or a
 * mismatch when the key bought another reward. */
static int replay(struct db *db, const struct db_posting *p, const char *reward,
		  struct ledger_redemption *out)
{
	struct db_voucher v;
	int rc;

	if (strcmp(p->kind, "redemption") != 0 || strcmp(p->rule, reward) != 0)
		return LEDGER_ERR_MISMATCH;
	rc = ledger_from_db(db_voucher_get(db, NULL, p->txn_id, &v));
	if (rc == LEDGER_ERR_NOTFOUND)
		rc = LEDGER_ERR_DB; /* a redemption always has its voucher */
	if (rc != LEDGER_OK)
		return rc;
	fill(out, &v, p->txn_id, -p->amount);
	out->already = 1;
	return LEDGER_OK;
}

static int issue(struct db *db, const char *user_id,
		 const struct rules_reward *rw, int64_t txn_id,
		 const struct ledger_rules *rules, struct db_voucher *v)
{
	int rc = LEDGER_ERR_CONFLICT;

	memset(v, 0, sizeof(*v));
	snprintf(v->user_id, sizeof(v->user_id), "%s", user_id);
	snprintf(v->source, sizeof(v->source), "redemption");
	snprintf(v->rule, sizeof(v->rule), "%s", rw->name);
	snprintf(v->reward, sizeof(v->reward), "%s", rw->name);
	v->txn_id = txn_id;
	ledger_stamp(rules, 0, 0, v->issued_at);
	for (int i = 0; i < CODE_TRIES && rc == LEDGER_ERR_CONFLICT; i++) {
		rc = ledger_voucher_code(v->code, sizeof(v->code));
		if (rc == LEDGER_OK)
			rc = ledger_from_db(db_voucher_add(db, v));
	}
	return rc;
}

static int debit(struct db *db, const char *user_id, const char *account,
		 const char *key, const struct rules_reward *rw,
		 const struct ledger_rules *rules,
		 struct ledger_redemption *out)
{
	struct db_txn t = { .kind = "redemption" };
	char at[DB_TIME_LEN];
	struct db_voucher v;
	int64_t balance = 0, txn_id = 0;
	int rc;

	rc = ledger_from_db(db_ledger_balance(db, account, &balance));
	if (rc == LEDGER_OK && balance < rw->points)
		rc = LEDGER_ERR_FUNDS;
	if (rc != LEDGER_OK)
		return rc;
	ledger_stamp(rules, 0, 0, at);
	t.account = account;
	t.points = -rw->points;
	t.rule = rw->name;
	t.idem_key = key;
	t.rules_version = rules->program->version;
	t.created_at = at;
	rc = ledger_from_db(db_ledger_post(db, &t, &txn_id));
	if (rc == LEDGER_OK)
		rc = issue(db, user_id, rw, txn_id, rules, &v);
	if (rc != LEDGER_OK)
		return rc;
	fill(out, &v, txn_id, rw->points);
	out->balance = balance - rw->points;
	return LEDGER_OK;
}

int ledger_redeem(struct db *db, const char *user_id, const char *reward,
		  const char *idem_key, const struct ledger_rules *rules,
		  struct ledger_redemption *out)
{
	const struct rules_reward *rw = NULL;
	struct ledger_keyed k;
	struct db_posting p;
	int rc;

	memset(out, 0, sizeof(*out));
	if (rules == NULL)
		return LEDGER_ERR_INVALID;
	rc = ledger_keyed_begin(db, REDEEM_KEY_PREFIX, user_id, reward,
				idem_key, &k, &p);
	if (rc == LEDGER_OK) {
		rc = replay(db, &p, reward, out);
		if (rc == LEDGER_OK)
			rc = ledger_from_db(db_ledger_balance(db, k.account,
							      &out->balance));
		out->already = 1;
	} else if (rc == LEDGER_ERR_NOTFOUND) {
		if (rules->program != NULL)
			rw = rules_reward_find(rules->program, reward);
		rc = rw != NULL ? debit(db, user_id, k.account, k.key, rw,
					rules, out)
				: LEDGER_ERR_NOTFOUND;
	} else {
		return rc; /* nothing open */
	}
	rc = ledger_end(db, rc, out->already);
	if (rc != LEDGER_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}
