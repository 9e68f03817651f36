/*
 * db_sqlite_ledger.c: ledger transactions, postings and cached balances
 * in SQLite. The schema (migration 2) refuses a second credit per receipt
 * and any change to a posting; the balance cache is kept by a trigger in
 * the same transaction as the posting that changes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "db_sqlite_int.h"
#include "banned.h"

/* The transaction row; its unique keys refuse a second credit. */
static int insert_txn(struct sqlite_state *s, const struct db_credit *c,
		      int64_t *txn_id)
{
	static const char sql[] =
		"INSERT INTO ledger_txn (kind, receipt_id, idem_key, rule)"
		" VALUES ('credit', ?, ?, ?)";
	const char *v[] = { c->idem_key, c->rule };
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare(s, sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 1, c->receipt_id);
	if (rc == DB_OK)
		rc = db_sqlite_bind_texts(s, st, 2, v, 2);
	if (rc == DB_OK)
		rc = db_sqlite_step_done(s, st);
	if (rc == DB_OK)
		*txn_id = sqlite3_last_insert_rowid(s->h);
	sqlite3_finalize(st);
	return rc;
}

/* One leg; the AFTER INSERT trigger updates the cached balance. */
static int insert_posting(struct sqlite_state *s, int64_t txn_id,
			  const char *account, int64_t amount)
{
	static const char sql[] =
		"INSERT INTO ledger_posting (txn_id, account, amount)"
		" VALUES (?, ?, ?)";
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare(s, sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 1, txn_id);
	if (rc == DB_OK)
		rc = db_sqlite_bind_text(s, st, 2, account);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 3, amount);
	if (rc == DB_OK)
		rc = db_sqlite_step_done(s, st);
	sqlite3_finalize(st);
	return rc;
}

int db_sqlite_ledger_credit(void *state, const struct db_credit *c,
			    int64_t *txn_id)
{
	struct sqlite_state *s = state;
	int nested, rc;

	rc = db_sqlite_tx_enter(s, &nested);
	if (rc != DB_OK)
		return rc;
	rc = insert_txn(s, c, txn_id);
	/* Both legs or neither: tx_leave rolls back on any failure. */
	if (rc == DB_OK)
		rc = insert_posting(s, *txn_id, c->account, c->points);
	if (rc == DB_OK)
		rc = insert_posting(s, *txn_id, DB_PROGRAM_ACCOUNT, -c->points);
	if (rc != DB_OK)
		*txn_id = 0;
	return db_sqlite_tx_leave(s, nested, rc);
}

int db_sqlite_ledger_balance(void *state, const char *account, int64_t *points)
{
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare(
		s, "SELECT points FROM ledger_balance WHERE account = ?", &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_text(s, st, 1, account);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK)
		*points = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == DB_NOTFOUND ? DB_OK : rc;
}

static int read_posting(struct sqlite_state *s, sqlite3_stmt *st,
			struct db_posting *p)
{
	int rc;

	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(st, 0);
	p->txn_id = sqlite3_column_int64(st, 1);
	p->receipt_id = sqlite3_column_int64(st, 2); /* NULL reads as 0 */
	p->amount = sqlite3_column_int64(st, 4);
	rc = db_sqlite_col_text(s, st, 3, p->account, sizeof(p->account));
	if (rc == DB_OK)
		rc = db_sqlite_col_text(s, st, 5, p->rule, sizeof(p->rule));
	if (rc == DB_OK)
		rc = db_sqlite_col_text(s, st, 6, p->created_at,
					sizeof(p->created_at));
	return rc;
}

int db_sqlite_ledger_history(void *state, const char *account,
			     int64_t before_id, size_t limit, db_posting_cb cb,
			     void *arg)
{
	static const char sql[] =
		"SELECT p.id, p.txn_id, t.receipt_id, p.account, p.amount,"
		" t.rule, p.created_at"
		" FROM ledger_posting p JOIN ledger_txn t ON t.id = p.txn_id"
		" WHERE p.account = ? AND p.id < ? ORDER BY p.id DESC LIMIT ?";
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	struct db_posting p;
	int rc;

	rc = db_sqlite_prepare(s, sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_text(s, st, 1, account);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 2,
					before_id > 0 ? before_id : INT64_MAX);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 3, (int64_t)limit);
	while (rc == DB_OK) {
		rc = db_sqlite_step_row(s, st);
		if (rc == DB_NOTFOUND) {
			rc = DB_OK;
			break;
		}
		if (rc == DB_OK)
			rc = read_posting(s, st, &p);
		if (rc == DB_OK)
			rc = cb(&p, arg); /* non-zero stops, returned as is */
	}
	sqlite3_finalize(st);
	return rc;
}
