/*
 * ledger_reverse.c: corrections. A credit found wrong later (fraud, a
 * duplicate staff caught) is undone by a new transaction with the
 * opposite postings, never by changing the old one, so the history shows
 * both what happened and how it was put right.
 */
#include <stdio.h>
#include <string.h>

#include "ledger_int.h"
#include "banned.h"

#define SHORTFALL_LINE "reversal:shortfall"

static int reason_ok(const char *r)
{
	size_t n;

	if (r == NULL)
		return 0;
	n = strnlen(r, LEDGER_REVERSE_REASON_MAX + 1);
	if (n == 0 || n > LEDGER_REVERSE_REASON_MAX)
		return 0;
	return strspn(r, "abcdefghijklmnopqrstuvwxyz_") == n;
}

/* The reversal's lines: the credit's negated, the last ones cut back
 * so that they sum to -taken, plus the written-off shortfall. */
static size_t reversal_lines(const struct db_line_row *orig, size_t n,
			     const char *rule, int64_t credited, int64_t taken,
			     struct db_line *out)
{
	size_t k = 0;

	if (n == 0) { /* a flat credit has no breakdown */
		out[k++] = (struct db_line){ rule, -credited };
	} else {
		for (size_t i = 0; i < n; i++)
			out[k++] = (struct db_line){ orig[i].rule,
						     -orig[i].points };
	}
	if (taken < credited)
		out[k++] = (struct db_line){ SHORTFALL_LINE, credited - taken };
	return k;
}

/* Reads a reversal back (for a replay), with its shortfall line. */
static int fill_from(struct db *db, const struct db_posting *p,
		     const char *account, struct ledger_reversal *out)
{
	struct db_line_row rows[DB_MAX_LINES];
	size_t n = 0;
	int rc;

	out->txn_id = p->txn_id;
	out->reverses = p->reverses;
	out->points = -p->amount;
	snprintf(out->reason, sizeof(out->reason), "%s", p->rule);
	snprintf(out->created_at, sizeof(out->created_at), "%s", p->created_at);
	rc = ledger_from_db(
		db_ledger_lines(db, p->txn_id, rows, DB_MAX_LINES, &n));
	for (size_t i = 0; rc == LEDGER_OK && i < n; i++)
		if (strcmp(rows[i].rule, SHORTFALL_LINE) == 0)
			out->shortfall = rows[i].points;
	out->credited = out->points + out->shortfall;
	if (rc == LEDGER_OK)
		rc = ledger_from_db(
			db_ledger_balance(db, account, &out->balance));
	if (rc == LEDGER_OK)
		rc = ledger_from_db(db_voucher_void(db, p->reverses, p->txn_id,
						    NULL, &out->vouchers_voided,
						    &out->vouchers_used));
	return rc;
}

static int post(struct db *db, const struct db_posting *credit,
		const char *account, const char *key, const char *reason,
		const struct ledger_rules *rules, struct ledger_reversal *out)
{
	static struct db_line_row orig[DB_MAX_LINES];
	struct db_line lines[DB_MAX_LINES + 1];
	struct db_txn t = { .kind = "reversal" };
	int64_t balance = 0;
	size_t n = 0;
	int rc;

	rc = ledger_from_db(db_ledger_balance(db, account, &balance));
	if (rc == LEDGER_OK)
		rc = ledger_from_db(db_ledger_lines(db, credit->txn_id, orig,
						    DB_MAX_LINES, &n));
	if (rc != LEDGER_OK)
		return rc;
	out->credited = credit->amount;
	out->points = balance < credit->amount ? balance : credit->amount;
	out->shortfall = out->credited - out->points;
	if (out->points <= 0)
		return LEDGER_ERR_FUNDS;
	ledger_stamp(rules, 0, 0, out->created_at);
	t.receipt_id = credit->receipt_id;
	t.account = account;
	t.points = -out->points;
	t.rule = reason;
	t.idem_key = key;
	t.rules_version =
		credit->rules_version[0] ? credit->rules_version : NULL;
	t.reverses = credit->txn_id;
	t.created_at = out->created_at;
	t.lines = lines;
	t.nlines = reversal_lines(orig, n, credit->rule, out->credited,
				  out->points, lines);
	rc = ledger_from_db(db_ledger_post(db, &t, &out->txn_id));
	if (rc == LEDGER_OK)
		rc = ledger_from_db(db_event_negate(
			db, credit->txn_id, out->txn_id, out->created_at));
	if (rc == LEDGER_OK)
		rc = ledger_from_db(db_voucher_void(
			db, credit->txn_id, out->txn_id, out->created_at,
			&out->vouchers_voided, &out->vouchers_used));
	out->reverses = credit->txn_id;
	snprintf(out->reason, sizeof(out->reason), "%s", reason);
	out->balance = balance - out->points;
	return rc;
}

int ledger_reverse(struct db *db, int64_t receipt_id, const char *reason,
		   const struct ledger_rules *rules,
		   struct ledger_reversal *out)
{
	char account[DB_ACCOUNT_MAX + 1], key[48], ckey[48];
	struct db_receipt row = { 0 };
	struct db_posting p;
	int rc;

	memset(out, 0, sizeof(*out));
	if (receipt_id <= 0 || rules == NULL || !reason_ok(reason))
		return LEDGER_ERR_INVALID;
	snprintf(key, sizeof(key), "reverse:receipt:%lld",
		 (long long)receipt_id);
	snprintf(ckey, sizeof(ckey), "credit:receipt:%lld",
		 (long long)receipt_id);
	rc = ledger_from_db(db_begin(db));
	if (rc != LEDGER_OK)
		return rc;
	rc = ledger_from_db(db_receipt_get(db, receipt_id, &row));
	if (rc == LEDGER_OK)
		rc = ledger_account(row.user_id, account, sizeof(account));
	if (rc != LEDGER_OK)
		goto out;
	out->receipt_id = receipt_id;
	snprintf(out->user, sizeof(out->user), "%s", row.user_id);
	rc = ledger_from_db(db_ledger_find(db, key, &p));
	if (rc == LEDGER_OK) {
		out->already = 1;
		rc = fill_from(db, &p, account, out);
		goto out;
	}
	if (rc != LEDGER_ERR_NOTFOUND)
		goto out;
	rc = ledger_from_db(db_ledger_find(db, ckey, &p));
	if (rc == LEDGER_ERR_NOTFOUND)
		rc = LEDGER_ERR_STATE; /* never credited, or 0 points */
	if (rc == LEDGER_OK)
		rc = post(db, &p, account, key, reason, rules, out);
out:
	return ledger_end_receipt(db, rc, out->already, out, sizeof(*out),
				  &row);
}
