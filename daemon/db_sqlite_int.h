/*
 * db_sqlite_int.h: private to the SQLite backend (db_sqlite*.c), never
 * included by callers of db.h. It holds the connection state, the step and
 * bind helpers every statement goes through, and the backend operations
 * the const struct db_backend in db_sqlite.c points at.
 */
#ifndef RD_DB_SQLITE_INT_H
#define RD_DB_SQLITE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "db.h"

#define DB_SQLITE_ERRMSG_LEN 256
/* UTC ISO-8601, the only time format we store. */
#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ','now')"
/* The states in which a receipt owns its image hash and content key. */
#define OWNER_STATES "('credited','flagged')"
/* A receipt read before and queued to be read again (reprocessing) keeps
 * what it owned: it alone has a parse while it waits; a new upload gets
 * one only in the transaction that settles it. With table prefix p. */
#define REREAD_WAITING_IN(p)                                                   \
	p "status IN ('queued','processing') AND " p "parsed IS NOT NULL"
#define REREAD_WAITING REREAD_WAITING_IN("")

/* Prepared statements kept for reuse, by their SQL text: parsing and
 * planning cost more than running most of our statements. */
#define DB_SQLITE_CACHE 64

struct sqlite_cached {
	const char *sql; /* static text: the pointer is the key */
	sqlite3_stmt *st;
	int busy; /* handed out and not yet released */
};

struct sqlite_state {
	sqlite3 *h;
	struct sqlite_cached cache[DB_SQLITE_CACHE];
	int depth; /* db_begin() nesting: 1 = BEGIN, more = savepoints */
	char err[DB_SQLITE_ERRMSG_LEN];
};

/*
 * Helpers. Each returns a db_err and, on failure, records SQLite's message
 * in s->err through db_sqlite_fail(), which maps a result code to a db_err
 * (unique constraint -> DB_CONFLICT, other constraints -> DB_INVALID,
 * busy or locked -> DB_BUSY).
 */
int db_sqlite_fail(struct sqlite_state *s, int rc);
/* A new statement; the caller finalizes it (sqlite3_finalize() or
 * db_sqlite_finalize()). */
int db_sqlite_prepare(struct sqlite_state *s, const char *sql,
		      sqlite3_stmt **st);
/* A statement for sql, which must be static text: a cached one when free,
 * else a new one (kept while the cache has room). Release it with
 * db_sqlite_finalize(), never sqlite3_finalize(). For the statements of
 * every credit; db_sqlite_run() and db_sqlite_exec() use it. */
int db_sqlite_prepare_cached(struct sqlite_state *s, const char *sql,
			     sqlite3_stmt **st);
/* Releases a statement of either: a cached one is reset and unbound for
 * its next use, another finalized. NULL is a no-op. */
void db_sqlite_finalize(struct sqlite_state *s, sqlite3_stmt *st);
/* Fixed SQL without parameters only: transaction control and schema.
 * One statement (no ';') goes through the statement cache. */
int db_sqlite_exec(struct sqlite_state *s, const char *sql);
/* Steps a statement that returns no rows. */
int db_sqlite_step_done(struct sqlite_state *s, sqlite3_stmt *st);
/* Steps once: DB_OK with a row, DB_NOTFOUND without, or an error. */
int db_sqlite_step_row(struct sqlite_state *s, sqlite3_stmt *st);
/* NULL and "" bind SQL NULL: "unknown" is one value in the database. */
int db_sqlite_bind_text(struct sqlite_state *s, sqlite3_stmt *st, int i,
			const char *v);
int db_sqlite_bind_texts(struct sqlite_state *s, sqlite3_stmt *st, int first,
			 const char *const *v, int n);
int db_sqlite_bind_int(struct sqlite_state *s, sqlite3_stmt *st, int i,
		       int64_t v);
/* Copies a text column into buf; NULL reads as "", too long is DB_ERR. */
int db_sqlite_col_text(struct sqlite_state *s, sqlite3_stmt *st, int i,
		       char *buf, size_t size);
/* A malloc'd copy of a text column, or NULL for SQL NULL. */
int db_sqlite_col_dup(sqlite3_stmt *st, int i, char **out);
/* Runs SQL that returns no rows: texts bind to parameters 1..nt (NULL as
 * SQL NULL), then ints to the next ni; *changes (may be NULL) gets the
 * number of rows written. */
int db_sqlite_run(struct sqlite_state *s, const char *sql,
		  const char *const *texts, int nt, const int64_t *ints, int ni,
		  int *changes);
/* Runs SQL with one integer parameter; *changes (may be NULL) gets the
 * number of rows written. */
int db_sqlite_run_int(struct sqlite_state *s, const char *sql, int64_t v,
		      int *changes);

/*
 * Makes a multi-statement operation atomic by itself: BEGIN IMMEDIATE
 * when the caller has no transaction, else a savepoint inside the
 * caller's (*nested says which). db_sqlite_tx_leave() commits or releases
 * when rc >= 0 and rolls back otherwise; it returns rc, or the commit's
 * error.
 */
int db_sqlite_tx_enter(struct sqlite_state *s, int *nested);
int db_sqlite_tx_leave(struct sqlite_state *s, int nested, int rc);

/* Backend operations (db_sqlite_receipt.c, db_sqlite_ledger.c); the
 * contracts are those of the db_*() wrappers in db.h. */
int db_sqlite_receipt_insert(void *state, const struct db_receipt_new *n,
			     int64_t *id);
int db_sqlite_receipt_get(void *state, int64_t id, struct db_receipt *out);
int db_sqlite_receipt_list(void *state, const char *user_id, const char *status,
			   int64_t before_id, size_t limit, db_receipt_cb cb,
			   void *arg);
int db_sqlite_receipt_set_parse(void *state, int64_t id,
				const struct receipt *r, const char *parsed,
				const char *content_key);
int db_sqlite_receipt_set_outcome(void *state, int64_t id,
				  const struct db_outcome *o);
int db_sqlite_receipt_find_image(void *state, const char *sha256,
				 int64_t exclude_id, int64_t *orig);
int db_sqlite_receipt_find_content(void *state, const char *key,
				   int64_t exclude_id, int64_t *orig);
int db_sqlite_receipt_find_tse(void *state, int64_t id, int64_t *orig);
int db_sqlite_queue_recover(void *state, int max_attempts, int *requeued);
int db_sqlite_queue_claim(void *state, struct db_job *job);
int db_sqlite_queue_requeue(void *state, int64_t id);
int db_sqlite_queue_reprocess(void *state, const char *status, int64_t limit,
			      int *requeued);
int db_sqlite_ledger_post(void *state, const struct db_txn *t, int64_t *txn_id);
int db_sqlite_ledger_sum(void *state, const struct db_sum *q, int64_t *sum);
int db_sqlite_ledger_find(void *state, const char *idem_key,
			  struct db_posting *out);
int db_sqlite_event_add(void *state, const char *user_id, const char *name,
			int64_t amount, int64_t txn_id, const char *at);
int db_sqlite_event_sum(void *state, const char *user_id, const char *name,
			const char *since, int64_t *sum, int64_t *count);
int db_sqlite_voucher_add(void *state, const struct db_voucher *v);
int db_sqlite_voucher_get(void *state, const char *code, int64_t txn_id,
			  struct db_voucher *out);
int db_sqlite_voucher_list(void *state, const char *user_id, db_voucher_cb cb,
			   void *arg);
int db_sqlite_voucher_void(void *state, int64_t credit_txn, int64_t by_txn,
			   const char *at, int64_t *voided, int64_t *used);
int db_sqlite_voucher_use(void *state, const char *code, const char *by,
			  const char *at);
int db_sqlite_referral_add(void *state, const char *user_id,
			   const char *referred_by);
int db_sqlite_referral_get(void *state, const char *user_id, char *by,
			   size_t size);
int db_sqlite_membership_add(void *state, const struct db_membership *m);
int db_sqlite_membership_find(void *state, const char *idem_key,
			      struct db_membership *out);
int db_sqlite_membership_end(void *state, const char *user_id,
			     char out[DB_TIME_LEN]);
int db_sqlite_membership_active(void *state, const char *user_id,
				const char *at, struct db_membership *out);
int db_sqlite_ledger_balance(void *state, const char *account, int64_t *points);
/* db_sqlite_program.c */
int db_sqlite_ledger_lines(void *state, int64_t txn_id, struct db_line_row *out,
			   size_t max, size_t *n);
int db_sqlite_event_negate(void *state, int64_t txn_id, int64_t by_txn,
			   const char *at);
int db_sqlite_ledger_expirable(void *state, const char *account,
			       const char *cutoff, struct db_expirable *out);
int db_sqlite_ledger_users(void *state, int64_t min_points, db_account_cb cb,
			   void *arg);
int db_sqlite_ledger_visits(void *state, const char *user_id, const char *since,
			    int64_t *visits, int64_t *spend);
int db_sqlite_program_metrics(void *state, const char *now, char **json);
int db_sqlite_ledger_history(void *state, const char *account,
			     int64_t before_id, size_t limit, db_posting_cb cb,
			     void *arg);

#endif
