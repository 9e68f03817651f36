/*
 * ledger_credit.c: a receipt credited under a rule set. What the customer
 * has earned so far is read inside the settling transaction, the award
 * engine decides, and the credit, its per-rule lines, the counters and the
 * vouchers are written in that same transaction.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "award.h"
#include "ledger_int.h"
#include "banned.h"

#define CODE_LEN 12

void ledger_stamp(const struct ledger_rules *rules, int months_back, char unit,
		  char out[DB_TIME_LEN])
{
	struct tm tm = { 0 };
	time_t now = rules->now ? rules->now : time(NULL);
	int64_t m;

	gmtime_r(&now, &tm);
	m = (int64_t)tm.tm_year * 12 + tm.tm_mon - months_back;
	tm.tm_year = (int)(m / 12);
	tm.tm_mon = (int)(m % 12);
	if (unit == 'm')
		tm.tm_mday = 1;
	if (unit == 'd' || unit == 'm')
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	if (tm.tm_mday > 28 && months_back) /* 31 March - 1 month */
		tm.tm_mday = 28;
	if (strftime(out, DB_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

int ledger_rolling_points(struct db *db, const char *account, const char *since,
			  int64_t *out)
{
	/* Credits (every positive posting) and reversals, in one pass. */
	struct db_sum q = { .account = account,
			    .sign = 1,
			    .or_kind = "reversal",
			    .since = since };

	return db_ledger_sum(db, &q, out);
}

/* Points given since a time, read only when a cap needs them (an
 * uncapped total is never looked at). */
static int used_since(struct db *db, struct db_sum *q, int64_t cap,
		      const char *since, int64_t *out)
{
	*out = 0;
	if (cap == RULES_NO_CAP)
		return DB_OK;
	q->since = since;
	return db_ledger_sum(db, q, out);
}

static int read_caps(struct db *db, const char *account,
		     const struct ledger_rules *rules, struct award_ctx *ctx)
{
	const struct rules *p = rules->program;
	char day[DB_TIME_LEN], month[DB_TIME_LEN];
	struct db_sum q = { .account = account, .lines = 1 };
	int rc = DB_OK;

	ledger_stamp(rules, 0, 'd', day);
	ledger_stamp(rules, 0, 'm', month);
	for (size_t i = 0; rc == DB_OK && i < p->nrules; i++) {
		q.rule = p->rule[i].name;
		rc = used_since(db, &q, p->rule[i].caps.day, day,
				&ctx->used_day[i]);
		if (rc == DB_OK)
			rc = used_since(db, &q, p->rule[i].caps.month, month,
					&ctx->used_month[i]);
	}
	q.rule = NULL;
	if (rc == DB_OK)
		rc = used_since(db, &q, p->caps.day, day, &ctx->total_day);
	if (rc == DB_OK)
		rc = used_since(db, &q, p->caps.month, month,
				&ctx->total_month);
	return rc;
}

int ledger_counter_name(const struct rules_rule *r, char *buf, size_t size)
{
	int n = r->kind == RULES_CASHBACK
			? snprintf(buf, size, "spend")
			: snprintf(buf, size, "punch:%s", r->name);

	return n > 0 && (size_t)n < size ? 0 : LEDGER_ERR_INVALID;
}

static int read_ctx(struct db *db, const char *user, const char *account,
		    const struct ledger_rules *rules, struct award_ctx *ctx)
{
	const struct rules *p = rules->program;
	char since[DB_TIME_LEN], name[DB_EVENT_MAX + 1];
	int64_t rolling = 0, count;
	int rc;

	memset(ctx, 0, sizeof(*ctx));
	ledger_stamp(rules, 12, 0, since);
	rc = p->ntiers ? ledger_rolling_points(db, account, since, &rolling)
		       : DB_OK;
	ctx->tier = rules_tier_of(p, rolling);
	if (rc == DB_OK) {
		struct db_membership m;

		rc = ledger_effective_tier(db, user, rules, ctx->tier,
					   &ctx->tier, &m);
	}
	for (size_t i = 0; rc == DB_OK && i < p->nrules; i++) {
		const struct rules_rule *r = &p->rule[i];
		int64_t *sum = r->kind == RULES_CASHBACK
				       ? &ctx->spend_before
				       : &ctx->punch_before[i];

		if (r->kind != RULES_PUNCHCARD && r->kind != RULES_CASHBACK)
			continue;
		rc = ledger_counter_name(r, name, sizeof(name));
		if (rc == DB_OK)
			rc = db_event_sum(db, user, name, NULL, sum, &count);
	}
	return rc == DB_OK ? read_caps(db, account, rules, ctx) : rc;
}

int ledger_voucher_code(char *buf, size_t size)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned char raw[CODE_LEN];

	if (size <= CODE_LEN ||
	    getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return LEDGER_ERR_DB;
	for (size_t i = 0; i < CODE_LEN; i++)
		buf[i] = alphabet[raw[i] % 32];
	buf[CODE_LEN] = '\0';
	return LEDGER_OK;
}

static int issue_vouchers(struct db *db, const char *user, int64_t txn_id,
			  const struct ledger_rules *rules,
			  const struct award *a)
{
	struct db_voucher v;
	int rc = LEDGER_OK;

	for (size_t i = 0; rc == LEDGER_OK && i < a->nvouchers; i++) {
		memset(&v, 0, sizeof(v));
		rc = ledger_voucher_code(v.code, sizeof(v.code));
		snprintf(v.user_id, sizeof(v.user_id), "%s", user);
		snprintf(v.source, sizeof(v.source), "%s",
			 a->voucher[i].value ? "cashback" : "punchcard");
		snprintf(v.rule, sizeof(v.rule), "%s", a->voucher[i].rule);
		snprintf(v.reward, sizeof(v.reward), "%s",
			 a->voucher[i].reward);
		v.value = a->voucher[i].value;
		v.txn_id = txn_id;
		ledger_stamp(rules, 0, 0, v.issued_at);
		if (rc == LEDGER_OK)
			rc = ledger_from_db(db_voucher_add(db, &v));
	}
	return rc;
}

static int add_counters(struct db *db, const char *user, int64_t txn_id,
			const struct ledger_rules *rules, const struct award *a)
{
	const struct rules *p = rules->program;
	char name[DB_EVENT_MAX + 1], at[DB_TIME_LEN];
	int rc = DB_OK;

	ledger_stamp(rules, 0, 0, at);
	for (size_t i = 0; rc == DB_OK && i < p->nrules; i++) {
		const struct rules_rule *r = &p->rule[i];
		int64_t n =
			r->kind == RULES_CASHBACK ? a->spend : a->punch_add[i];

		if (n <= 0 || ledger_counter_name(r, name, sizeof(name)))
			continue;
		rc = db_event_add(db, user, name, n, txn_id, at);
	}
	return ledger_from_db(rc);
}

int ledger_credit_program(struct db *db, int64_t receipt_id, const char *user,
			  const struct receipt *r,
			  const struct ledger_rules *rules, int64_t *points)
{
	static struct award a; /* large; the ledger has one writer */
	char account[DB_ACCOUNT_MAX + 1], key[48], at[DB_TIME_LEN];
	struct db_line lines[AWARD_MAX_LINES];
	struct award_ctx ctx;
	struct db_txn t = { .kind = "credit", .receipt_id = receipt_id };
	int64_t txn_id = 0;
	int rc;

	*points = 0;
	rc = ledger_account(user, account, sizeof(account));
	if (rc == LEDGER_OK)
		rc = ledger_from_db(read_ctx(db, user, account, rules, &ctx));
	if (rc != LEDGER_OK)
		return rc;
	award_receipt(rules->program, r, &ctx, &a);
	for (size_t i = 0; i < a.nlines; i++)
		lines[i] = (struct db_line){ a.line[i].rule, a.line[i].points };
	snprintf(key, sizeof(key), "credit:receipt:%lld",
		 (long long)receipt_id);
	ledger_stamp(rules, 0, 0, at);
	t.account = account;
	t.points = a.points;
	t.rule = a.nlines == 1 ? a.line[0].rule : "rules";
	t.idem_key = key;
	t.rules_version = rules->program->version;
	t.created_at = at;
	t.lines = lines;
	t.nlines = a.nlines;
	if (a.points > 0)
		rc = ledger_from_db(db_ledger_post(db, &t, &txn_id));
	if (rc == LEDGER_OK)
		rc = add_counters(db, user, txn_id, rules, &a);
	if (rc == LEDGER_OK)
		rc = issue_vouchers(db, user, txn_id, rules, &a);
	/* The referee's first credited receipt pays both, in this txn. */
	if (rc == LEDGER_OK)
		rc = ledger_referral_pay(db, receipt_id, user, rules, NULL);
	if (rc == LEDGER_OK)
		*points = a.points;
	return rc;
}
