/*
 * ledger_activity.c: points that do not come from a receipt: activity
 * bonuses the app reports (capped per kind, idempotent per client key)
 * and referral bonuses, paid once when the new customer's first receipt
 * is credited.
 */
#include <stdio.h>
#include <string.h>

#include "ledger_int.h"
#include "banned.h"

#define ACTIVITY_KEY_PREFIX "activity:"
/* Longer referral chains than this are not followed (nor plausible). */
#define MAX_REFERRAL_DEPTH 1000

/* A cap in occurrences since a time (NULL = ever); 1 when reached. */
static int capped(struct db *db, const char *user, const char *event,
		  const char *since, int64_t cap, int *rc)
{
	int64_t sum = 0, count = 0;

	if (*rc != LEDGER_OK || cap == RULES_NO_CAP)
		return 0;
	*rc = ledger_from_db(
		db_event_sum(db, user, event, since, &sum, &count));
	return *rc == LEDGER_OK && count >= cap;
}

static int pay_activity(struct db *db, const char *user, const char *account,
			const char *key, const struct rules_activity *a,
			const struct ledger_rules *rules,
			struct ledger_activity *out)
{
	char event[DB_EVENT_MAX + 1], day[DB_TIME_LEN], month[DB_TIME_LEN];
	struct db_line line = { event, a->points };
	struct db_txn t = { .kind = "activity" };
	int rc = LEDGER_OK;

	snprintf(event, sizeof(event), ACTIVITY_KEY_PREFIX "%s", a->name);
	ledger_stamp(rules, 0, 'd', day);
	ledger_stamp(rules, 0, 'm', month);
	if (capped(db, user, event, day, a->caps.day, &rc) ||
	    capped(db, user, event, month, a->caps.month, &rc) ||
	    capped(db, user, event, NULL, a->total, &rc))
		return LEDGER_ERR_CAP;
	if (rc != LEDGER_OK)
		return rc;
	ledger_stamp(rules, 0, 0, out->created_at);
	t.account = account;
	t.points = a->points;
	t.rule = a->name;
	t.idem_key = key;
	t.rules_version = rules->program->version;
	t.created_at = out->created_at;
	t.lines = &line;
	t.nlines = 1;
	rc = ledger_from_db(db_ledger_post(db, &t, &out->txn_id));
	if (rc == LEDGER_OK)
		rc = ledger_from_db(db_event_add(db, user, event, 1,
						 out->txn_id, out->created_at));
	out->points = a->points;
	snprintf(out->kind, sizeof(out->kind), "%s", a->name);
	return rc;
}

int ledger_activity(struct db *db, const char *user_id, const char *kind,
		    const char *idem_key, const struct ledger_rules *rules,
		    struct ledger_activity *out)
{
	const struct rules_activity *a = NULL;
	struct ledger_keyed k;
	struct db_posting p;
	int rc;

	memset(out, 0, sizeof(*out));
	if (rules == NULL)
		return LEDGER_ERR_INVALID;
	rc = ledger_keyed_begin(db, ACTIVITY_KEY_PREFIX, user_id, kind,
				idem_key, &k, &p);
	if (rc == LEDGER_OK) { /* a replay */
		out->already = 1;
		if (strcmp(p.kind, "activity") != 0 || strcmp(p.rule, kind))
			rc = LEDGER_ERR_MISMATCH;
		out->txn_id = p.txn_id;
		out->points = p.amount;
		snprintf(out->kind, sizeof(out->kind), "%s", p.rule);
		snprintf(out->created_at, sizeof(out->created_at), "%s",
			 p.created_at);
	} else if (rc == LEDGER_ERR_NOTFOUND) {
		if (rules->program != NULL)
			a = rules_activity_find(rules->program, kind);
		rc = a != NULL ? pay_activity(db, user_id, k.account, k.key, a,
					      rules, out)
			       : LEDGER_ERR_NOTFOUND;
	} else {
		return rc; /* nothing open */
	}
	if (rc == LEDGER_OK)
		rc = ledger_from_db(
			db_ledger_balance(db, k.account, &out->balance));
	rc = ledger_end(db, rc, out->already);
	if (rc != LEDGER_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}

/* Follows referred_by links up from `from`; 1 when `user` is met. */
static int reaches(struct db *db, const char *from, const char *user, int *rc)
{
	char cur[DB_USER_ID_MAX + 1], next[DB_USER_ID_MAX + 1];

	snprintf(cur, sizeof(cur), "%s", from);
	for (int i = 0; i < MAX_REFERRAL_DEPTH; i++) {
		int r = db_referral_get(db, cur, next, sizeof(next));

		if (r == DB_NOTFOUND)
			return 0;
		if (r != DB_OK) {
			*rc = ledger_from_db(r);
			return 0;
		}
		if (strcmp(next, user) == 0)
			return 1;
		memcpy(cur, next, sizeof(cur));
	}
	return 1; /* a chain this long is refused as if it were a cycle */
}

int ledger_referral(struct db *db, const char *user_id, const char *referred_by)
{
	char account[DB_ACCOUNT_MAX + 1], by[DB_USER_ID_MAX + 1];
	int64_t visits = 0, spend = 0;
	int rc;

	rc = ledger_account(user_id, account, sizeof(account));
	if (rc == LEDGER_OK)
		rc = ledger_account(referred_by, account, sizeof(account));
	if (rc != LEDGER_OK)
		return rc;
	if (strcmp(user_id, referred_by) == 0)
		return LEDGER_ERR_CYCLE;
	rc = ledger_from_db(db_begin(db));
	if (rc != LEDGER_OK)
		return rc;
	rc = ledger_from_db(db_referral_get(db, user_id, by, sizeof(by)));
	if (rc == LEDGER_OK)
		rc = LEDGER_ERR_EXISTS;
	else if (rc == LEDGER_ERR_NOTFOUND)
		rc = ledger_from_db(
			db_ledger_visits(db, user_id, NULL, &visits, &spend));
	if (rc == LEDGER_OK && visits > 0)
		rc = LEDGER_ERR_STATE;
	if (rc == LEDGER_OK && reaches(db, referred_by, user_id, &rc))
		rc = LEDGER_ERR_CYCLE;
	if (rc == LEDGER_OK)
		rc = ledger_from_db(db_referral_add(db, user_id, referred_by));
	if (rc == LEDGER_ERR_CONFLICT)
		rc = LEDGER_ERR_EXISTS;
	if (rc == LEDGER_OK)
		rc = ledger_from_db(db_commit(db));
	if (rc != LEDGER_OK)
		db_rollback(db);
	return rc;
}

/* One referral leg, unless its key shows it was paid. */
static int pay_leg(struct db *db, int64_t receipt_id, const char *user,
		   const char *who, const char *role, int64_t points,
		   const struct ledger_rules *rules, int64_t *posted)
{
	char account[DB_ACCOUNT_MAX + 1], key[DB_IDEM_KEY_MAX + 1];
	char line_rule[DB_LINE_RULE_MAX + 1], at[DB_TIME_LEN];
	struct db_line line = { line_rule, points };
	struct db_txn t = { .kind = "referral", .receipt_id = receipt_id };
	struct db_posting p;
	int64_t txn_id;
	int rc;

	if (points <= 0)
		return LEDGER_OK;
	rc = ledger_account(who, account, sizeof(account));
	if (rc != LEDGER_OK)
		return rc;
	snprintf(key, sizeof(key), "referral:%s:%s", role, user);
	rc = ledger_from_db(db_ledger_find(db, key, &p));
	if (rc != LEDGER_ERR_NOTFOUND)
		return rc; /* LEDGER_OK: paid before */
	snprintf(line_rule, sizeof(line_rule), "referral:%s", role);
	ledger_stamp(rules, 0, 0, at);
	t.account = account;
	t.points = points;
	t.rule = "referral";
	t.idem_key = key;
	t.rules_version = rules->program->version;
	t.created_at = at;
	t.lines = &line;
	t.nlines = 1;
	rc = ledger_from_db(db_ledger_post(db, &t, &txn_id));
	if (rc == LEDGER_OK)
		*posted = points;
	return rc;
}

int ledger_referral_pay(struct db *db, int64_t receipt_id, const char *user,
			const struct ledger_rules *rules, int64_t *paid)
{
	const struct rules *prog = rules->program;
	char by[DB_USER_ID_MAX + 1];
	int64_t mine = 0, theirs = 0;
	int rc;

	if (paid != NULL)
		*paid = 0;
	if (prog == NULL)
		return LEDGER_OK;
	rc = ledger_from_db(db_referral_get(db, user, by, sizeof(by)));
	if (rc == LEDGER_ERR_NOTFOUND)
		return LEDGER_OK;
	if (rc == LEDGER_OK)
		rc = pay_leg(db, receipt_id, user, user, "referee",
			     prog->referral_referee, rules, &mine);
	if (rc == LEDGER_OK)
		rc = pay_leg(db, receipt_id, user, by, "referrer",
			     prog->referral_referrer, rules, &theirs);
	if (rc == LEDGER_OK && paid != NULL)
		*paid = mine;
	return rc;
}
