/*
 * db_sqlite_program.c: the SQLite queries behind the programme's periodic
 * jobs and corrections: a transaction's lines (reversals), FIFO expiry
 * sums, the customers to visit, visits and spend (coupons) and the
 * operator's programme metrics, the last built as JSON by SQLite itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "db_sqlite_int.h"
#include "banned.h"

/* A credit that no reversal undid. */
#define LIVE_CREDIT                                                            \
	"t.kind = 'credit' AND NOT EXISTS (SELECT 1 FROM ledger_txn x"         \
	" WHERE x.reverses = t.id)"

int db_sqlite_ledger_lines(void *state, int64_t txn_id, struct db_line_row *out,
			   size_t max, size_t *n)
{
	static const char sql[] = "SELECT rule, points FROM ledger_line"
				  " WHERE txn_id = ? ORDER BY rowid";
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(s, sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 1, txn_id);
	while (rc == DB_OK) {
		rc = db_sqlite_step_row(s, st);
		if (rc == DB_NOTFOUND) {
			rc = DB_OK;
			break;
		}
		if (rc == DB_OK && *n >= max) {
			snprintf(s->err, sizeof(s->err),
				 "txn %lld: too many "
				 "lines",
				 (long long)txn_id);
			rc = DB_ERR;
		}
		if (rc == DB_OK)
			rc = db_sqlite_col_text(s, st, 0, out[*n].rule,
						sizeof(out[*n].rule));
		if (rc == DB_OK)
			out[(*n)++].points = sqlite3_column_int64(st, 1);
	}
	db_sqlite_finalize(s, st);
	return rc;
}

int db_sqlite_event_negate(void *state, int64_t txn_id, int64_t by_txn,
			   const char *at)
{
	static const char sql[] =
		"INSERT INTO loyalty_event (user_id, name, amount, txn_id,"
		" created_at) SELECT user_id, name, -amount, ?3,"
		" coalesce(?1, " NOW ") FROM loyalty_event WHERE txn_id = ?2"
		" ORDER BY id";
	const char *v[] = { at };
	const int64_t n[] = { txn_id, by_txn };

	return db_sqlite_run(state, sql, v, 1, n, 2, NULL);
}

/* Runs sql binding texts then ints, and reads up to nout integer columns
 * of its single row. */
static int query_ints(struct sqlite_state *s, const char *sql,
		      const char *const *texts, int nt, int64_t *out, int nout)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(s, sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_texts(s, st, 1, texts, nt);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	for (int i = 0; rc == DB_OK && i < nout; i++)
		out[i] = sqlite3_column_int64(st, i);
	db_sqlite_finalize(s, st);
	return rc;
}

/*
 * Earnings are the customer legs of credits, activities and referrals
 * made before the cutoff; a reversal counts against the earning it undid
 * (by that earning's date), so a reversed old credit never expires and a
 * reversed new one never shields old points.
 */
int db_sqlite_ledger_expirable(void *state, const char *account,
			       const char *cutoff, struct db_expirable *out)
{
	static const char sql[] =
		"SELECT"
		" coalesce(sum(CASE WHEN t.kind IN ('credit','activity',"
		"  'referral') AND t.created_at < ?2 THEN p.amount"
		"  WHEN t.kind = 'reversal' AND o.created_at < ?2"
		"  THEN p.amount ELSE 0 END), 0),"
		" coalesce(-sum(CASE WHEN t.kind IN ('redemption','expiry')"
		"  THEN p.amount ELSE 0 END), 0)"
		" FROM ledger_posting p JOIN ledger_txn t ON t.id = p.txn_id"
		" LEFT JOIN ledger_txn o ON o.id = t.reverses"
		" WHERE p.account = ?1";
	const char *v[] = { account, cutoff };
	int64_t r[2] = { 0, 0 };
	int rc = query_ints(state, sql, v, 2, r, 2);

	out->earned = r[0];
	out->consumed = r[1];
	return rc;
}

int db_sqlite_ledger_users(void *state, int64_t min_points, db_account_cb cb,
			   void *arg)
{
	static const char sql[] =
		"SELECT substr(account, 6), points FROM ledger_balance"
		" WHERE account LIKE 'user:%' AND points >= ? ORDER BY account";
	struct sqlite_state *s = state;
	char user[DB_USER_ID_MAX + 1];
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(s, sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 1, min_points);
	while (rc == DB_OK) {
		rc = db_sqlite_step_row(s, st);
		if (rc == DB_NOTFOUND) {
			rc = DB_OK;
			break;
		}
		if (rc == DB_OK)
			rc = db_sqlite_col_text(s, st, 0, user, sizeof(user));
		if (rc == DB_OK)
			rc = cb(user, sqlite3_column_int64(st, 1), arg);
	}
	db_sqlite_finalize(s, st);
	return rc;
}

int db_sqlite_ledger_visits(void *state, const char *user_id, const char *since,
			    int64_t *visits, int64_t *spend)
{
	static const char sql[] =
		"SELECT count(*), coalesce(sum(r.total), 0)"
		" FROM ledger_txn t JOIN receipts r ON r.id = t.receipt_id"
		" WHERE r.user_id = ?1 AND (?2 IS NULL OR t.created_at >= ?2)"
		" AND " LIVE_CREDIT;
	const char *v[] = { user_id, since };
	int64_t r[2] = { 0, 0 };
	int rc = query_ints(state, sql, v, 2, r, 2);

	*visits = r[0];
	*spend = r[1];
	return rc;
}

/*
 * One statement: visits are live credits up to now; a member is anyone
 * with a receipt or an account; cohorts are the month of a member's
 * first visit, with how many of them visited k months later. Points are
 * all-time sums, so that they add up to the balances. Month indexes are
 * year * 12 + month.
 */
/* clang-format off */
static const char metrics_sql[] =
	"WITH n(now) AS (SELECT coalesce(?1,"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))),"
	" c AS (SELECT r.user_id u, t.created_at at FROM ledger_txn t"
	"  JOIN receipts r ON r.id = t.receipt_id, n"
	"  WHERE " LIVE_CREDIT " AND t.created_at <= n.now),"
	" members AS (SELECT user_id u FROM receipts UNION"
	"  SELECT substr(account, 6) FROM ledger_balance"
	"  WHERE account LIKE 'user:%'),"
	" per AS (SELECT u, count(*) k FROM c GROUP BY u),"
	" first AS (SELECT u, min(substr(at, 1, 7)) m FROM c GROUP BY u),"
	" act AS (SELECT DISTINCT u, substr(at, 1, 7) m FROM c),"
	" ret AS (SELECT f.m cohort,"
	"  (CAST(substr(a.m, 1, 4) AS INTEGER) * 12"
	"   + CAST(substr(a.m, 6, 2) AS INTEGER))"
	"  - (CAST(substr(f.m, 1, 4) AS INTEGER) * 12"
	"   + CAST(substr(f.m, 6, 2) AS INTEGER)) k,"
	"  count(*) active FROM first f JOIN act a ON a.u = f.u"
	"  GROUP BY 1, 2),"
	" coh AS (SELECT m, count(*) size FROM first GROUP BY m),"
	" legs AS (SELECT t.kind kind, sum(p.amount) pts FROM ledger_posting p"
	"  JOIN ledger_txn t ON t.id = p.txn_id"
	"  WHERE p.account LIKE 'user:%' GROUP BY t.kind)"
	" SELECT json_object("
	" 'now', n.now,"
	" 'members', (SELECT count(*) FROM members),"
	" 'active_30d', (SELECT count(DISTINCT u) FROM c"
	"  WHERE at >= strftime('%Y-%m-%dT%H:%M:%SZ', n.now, '-30 days')),"
	" 'active_90d', (SELECT count(DISTINCT u) FROM c"
	"  WHERE at >= strftime('%Y-%m-%dT%H:%M:%SZ', n.now, '-90 days')),"
	" 'buyers', (SELECT count(*) FROM per),"
	" 'repeat_buyers', (SELECT count(*) FROM per WHERE k >= 2),"
	" 'repeat_purchase_rate', (SELECT CASE WHEN count(*) = 0 THEN 0"
	"  ELSE round(1.0 * sum(k >= 2) / count(*), 4) END FROM per),"
	" 'receipts', (SELECT count(*) FROM c),"
	" 'receipts_by_status', json((SELECT json_group_object(status, k)"
	"  FROM (SELECT status, count(*) k FROM receipts"
	"  GROUP BY status ORDER BY status))),"
	" 'receipts_per_member', (SELECT CASE WHEN m.k = 0 THEN 0"
	"  ELSE round(1.0 * (SELECT count(*) FROM c) / m.k, 4) END"
	"  FROM (SELECT count(*) k FROM members) m),"
	" 'points', json_object("
	"  'issued', (SELECT coalesce(sum(pts), 0) FROM legs"
	"   WHERE kind IN ('credit', 'activity', 'referral')),"
	"  'reversed', (SELECT coalesce(-sum(pts), 0) FROM legs"
	"   WHERE kind = 'reversal'),"
	"  'redeemed', (SELECT coalesce(-sum(pts), 0) FROM legs"
	"   WHERE kind = 'redemption'),"
	"  'expired', (SELECT coalesce(-sum(pts), 0) FROM legs"
	"   WHERE kind = 'expiry'),"
	"  'outstanding', (SELECT coalesce(sum(points), 0)"
	"   FROM ledger_balance WHERE account LIKE 'user:%')),"
	" 'points_per_rule', json((SELECT json_group_object(rule, pts)"
	"  FROM (SELECT rule, sum(points) pts FROM ledger_line"
	"  GROUP BY rule ORDER BY rule))),"
	" 'vouchers', json((SELECT json_group_object(source,"
	"  json_object('issued', k, 'used', used)) FROM (SELECT"
	"  source, count(*) k, count(used_at) used FROM voucher"
	"  GROUP BY source ORDER BY source))),"
	" 'cohorts', json((SELECT json_group_array(json_object("
	"  'cohort', coh.m, 'members', coh.size, 'active',"
	"  json((SELECT json_group_array(json_object('month', k,"
	"  'members', active, 'rate', round(1.0 * active / coh.size, 4)))"
	"  FROM (SELECT k, active FROM ret WHERE ret.cohort = coh.m"
	"  ORDER BY k)))))"
	"  FROM (SELECT * FROM coh ORDER BY m) coh)))"
	" FROM n";
/* clang-format on */

int db_sqlite_program_metrics(void *state, const char *now, char **json)
{
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(s, metrics_sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_text(s, st, 1, now);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK)
		rc = db_sqlite_col_dup(st, 0, json);
	if (rc == DB_OK && *json == NULL)
		rc = DB_ERR;
	db_sqlite_finalize(s, st);
	return rc;
}
