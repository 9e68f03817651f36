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
static int insert_txn(struct sqlite_state *s, const struct db_txn *t,
		      int64_t *txn_id)
{
	static const char sql[] =
		"INSERT INTO ledger_txn (kind, idem_key, rule, rules_version,"
		" created_at, receipt_id, reverses)"
		" VALUES (?, ?, ?, ?, coalesce(?, " NOW "), nullif(?, 0),"
		" nullif(?, 0))";
	const char *v[] = { t->kind, t->idem_key, t->rule, t->rules_version,
			    t->created_at };
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(s, sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_texts(s, st, 1, v, 5);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 6, t->receipt_id);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 7, t->reverses);
	if (rc == DB_OK)
		rc = db_sqlite_step_done(s, st);
	if (rc == DB_OK)
		*txn_id = sqlite3_last_insert_rowid(s->h);
	db_sqlite_finalize(s, st);
	return rc;
}

/* Both legs in one statement, customer leg first, stamped like their
 * txn; the AFTER INSERT triggers on postings keep the cached balances.
 * The stamp is bound when the caller gave one (the txn has that very
 * text) and read back from the txn row only when it was "now". */
static int insert_legs(struct sqlite_state *s, int64_t txn_id,
		       const struct db_txn *t)
{
	static const char sql[] =
		"INSERT INTO ledger_posting (txn_id, account, amount, "
		"created_at)"
		" SELECT ?4, column1, column2, coalesce(?3, (SELECT created_at"
		"  FROM ledger_txn WHERE id = ?4))"
		" FROM (VALUES (?1, ?5), (?2, -?5))";
	const char *v[] = { t->account, DB_PROGRAM_ACCOUNT, t->created_at };
	const int64_t n[] = { txn_id, t->points };

	return db_sqlite_run(s, sql, v, 3, n, 2, NULL);
}

/* One breakdown line, stamped like its txn (see insert_legs). */
static int insert_line(struct sqlite_state *s, int64_t txn_id,
		       const struct db_txn *t, const struct db_line *l)
{
	static const char sql[] =
		"INSERT INTO ledger_line (txn_id, account, rule, points,"
		" created_at)"
		" VALUES (?4, ?1, ?2, ?5, coalesce(?3, (SELECT created_at"
		"  FROM ledger_txn WHERE id = ?4)))";
	const char *v[] = { t->account, l->rule, t->created_at };
	const int64_t n[] = { txn_id, l->points };

	return db_sqlite_run(s, sql, v, 3, n, 2, NULL);
}

int db_sqlite_ledger_post(void *state, const struct db_txn *t, int64_t *txn_id)
{
	struct sqlite_state *s = state;
	int nested, rc;

	rc = db_sqlite_tx_enter(s, &nested);
	if (rc != DB_OK)
		return rc;
	rc = insert_txn(s, t, txn_id);
	/* Both legs or neither: tx_leave rolls back on any failure. */
	if (rc == DB_OK)
		rc = insert_legs(s, *txn_id, t);
	for (size_t i = 0; rc == DB_OK && i < t->nlines; i++)
		rc = insert_line(s, *txn_id, t, &t->lines[i]);
	if (rc != DB_OK)
		*txn_id = 0;
	return db_sqlite_tx_leave(s, nested, rc);
}

int db_sqlite_ledger_balance(void *state, const char *account, int64_t *points)
{
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(
		s, "SELECT points FROM ledger_balance WHERE account = ?", &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_text(s, st, 1, account);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK)
		*points = sqlite3_column_int64(st, 0);
	db_sqlite_finalize(s, st);
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
	p->reverses = sqlite3_column_int64(st, 9);
	p->lines = (const char *)sqlite3_column_text(st, 10);
	rc = db_sqlite_col_text(s, st, 3, p->account, sizeof(p->account));
	if (rc == DB_OK)
		rc = db_sqlite_col_text(s, st, 5, p->rule, sizeof(p->rule));
	if (rc == DB_OK)
		rc = db_sqlite_col_text(s, st, 6, p->created_at,
					sizeof(p->created_at));
	if (rc == DB_OK)
		rc = db_sqlite_col_text(s, st, 7, p->kind, sizeof(p->kind));
	if (rc == DB_OK)
		rc = db_sqlite_col_text(s, st, 8, p->rules_version,
					sizeof(p->rules_version));
	return rc;
}

#define POSTING_COLUMNS                                                        \
	"SELECT p.id, p.txn_id, t.receipt_id, p.account, p.amount,"            \
	" t.rule, p.created_at, t.kind, t.rules_version, t.reverses,"          \
	" (SELECT json_group_array(json_object('rule', l.rule, 'points',"      \
	"  l.points)) FROM ledger_line l WHERE l.txn_id = t.id)"               \
	" FROM ledger_posting p JOIN ledger_txn t ON t.id = p.txn_id"

int db_sqlite_ledger_history(void *state, const char *account,
			     int64_t before_id, size_t limit, db_posting_cb cb,
			     void *arg)
{
	static const char sql[] = POSTING_COLUMNS
		" WHERE p.account = ? AND p.id < ? ORDER BY p.id DESC LIMIT ?";
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	struct db_posting p;
	int rc;

	rc = db_sqlite_prepare_cached(s, sql, &st);
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
	db_sqlite_finalize(s, st);
	return rc;
}

/* The customer leg: the posting that is not the programme's. */
int db_sqlite_ledger_find(void *state, const char *idem_key,
			  struct db_posting *out)
{
	static const char sql[] = POSTING_COLUMNS
		" WHERE t.idem_key = ? AND p.account <> '" DB_PROGRAM_ACCOUNT
		"'";
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(s, sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_text(s, st, 1, idem_key);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK)
		rc = read_posting(s, st, out);
	out->lines = NULL;
	db_sqlite_finalize(s, st);
	return rc;
}

int db_sqlite_ledger_sum(void *state, const struct db_sum *q, int64_t *sum)
{
	/* The txn's kind is looked up only when a condition needs it (a
	 * credit's sign decides first): most postings of a rolling sum
	 * are credits, and this runs for every credit under tiers. The
	 * lower bound is written so that it is always a range on the
	 * covering window index (every stamp is >= ''); "?4 IS NULL OR"
	 * would make SQLite read the whole account. */
	static const char postings[] =
		"SELECT coalesce(sum(p.amount), 0) FROM ledger_posting p"
		" WHERE p.account = ?1"
		" AND p.created_at >= coalesce(?4, '')"
		" AND (?5 IS NULL OR p.created_at < ?5)"
		" AND (?2 IS NULL OR (SELECT kind FROM ledger_txn"
		"  WHERE id = p.txn_id) = ?2)"
		" AND (?3 = 0 OR p.amount * ?3 > 0 OR (SELECT kind FROM"
		"  ledger_txn WHERE id = p.txn_id) = ?6)";
	/* One rule's lines and all lines are two statements, so that each
	 * seeks its own index (account, rule, created_at) or (account,
	 * created_at): "?2 IS NULL OR rule = ?2" would use neither fully. */
#define LINES_SUM(RULE)                                                        \
	"SELECT coalesce(sum(points), 0) FROM ledger_line"                     \
	" WHERE account = ?1 AND " RULE " AND ?3 = ?3"                         \
	" AND created_at >= coalesce(?4, '')"                                  \
	" AND (?5 IS NULL OR created_at < ?5) AND ?6 IS ?6"
	static const char rule_lines[] = LINES_SUM("rule = ?2");
	static const char all_lines[] = LINES_SUM("?2 IS NULL");
#undef LINES_SUM
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	const char *v[] = { q->account, q->lines ? q->rule : q->kind };
	const char *t[] = { q->since, q->until };
	int rc;

	rc = db_sqlite_prepare_cached(s,
				      !q->lines ? postings
				      : q->rule ? rule_lines
						: all_lines,
				      &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_texts(s, st, 1, v, 2);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 3, q->sign);
	if (rc == DB_OK)
		rc = db_sqlite_bind_texts(s, st, 4, t, 2);
	if (rc == DB_OK)
		rc = db_sqlite_bind_text(s, st, 6, q->or_kind);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK)
		*sum = sqlite3_column_int64(st, 0);
	db_sqlite_finalize(s, st);
	return rc;
}
