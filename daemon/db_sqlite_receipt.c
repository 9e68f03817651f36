/*
 * db_sqlite_receipt.c: receipts and the job queue in SQLite. The queue is
 * the receipts table itself, so accepting an upload and queueing its job
 * are one insert, and a crash can lose neither.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "db_sqlite_int.h"
#include "banned.h"

/* Why an UPDATE of an open receipt changed nothing: no such receipt, or
 * it is no longer in the state the update requires. */
static int why_unchanged(struct sqlite_state *s, int64_t id)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(
		s, "SELECT status FROM receipts WHERE id = ?", &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 1, id);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK) {
		snprintf(s->err, sizeof(s->err), "receipt %lld is %s",
			 (long long)id, sqlite3_column_text(st, 0));
		rc = DB_INVALID;
	}
	db_sqlite_finalize(s, st);
	return rc;
}

/* Steps an UPDATE of one receipt and explains when it matched nothing. */
static int update_one(struct sqlite_state *s, sqlite3_stmt *st, int64_t id)
{
	int rc = db_sqlite_step_done(s, st);

	if (rc == DB_OK && sqlite3_changes(s->h) == 0)
		rc = why_unchanged(s, id);
	return rc;
}

/* A replayed idempotency key: the same request gets the same receipt. */
static int idem_replay(struct sqlite_state *s, const struct db_receipt_new *n,
		       int64_t *id)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(s,
				      "SELECT id, request_hash FROM receipts"
				      " WHERE user_id = ? AND idem_key = ?",
				      &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_texts(
			s, st, 1,
			(const char *const[]){ n->user_id, n->idem_key }, 2);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc != DB_OK)
		goto out;
	if (sqlite3_stricmp((const char *)sqlite3_column_text(st, 1),
			    n->request_hash) != 0) {
		rc = DB_MISMATCH;
		goto out;
	}
	*id = sqlite3_column_int64(st, 0);
	rc = DB_EXISTS;
out:
	db_sqlite_finalize(s, st);
	return rc;
}

int db_sqlite_receipt_insert(void *state, const struct db_receipt_new *n,
			     int64_t *id)
{
	struct sqlite_state *s = state;
	/* DO NOTHING only for this key: any other conflict is an error. */
	static const char sql[] =
		"INSERT INTO receipts (user_id, image_sha256, image_path,"
		" content_type, idem_key, request_hash)"
		" VALUES (?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (user_id, idem_key) DO NOTHING RETURNING id";
	const char *v[] = {
		n->user_id,	 n->image_sha256, n->image_path,
		n->content_type, n->idem_key,	  n->request_hash,
	};
	sqlite3_stmt *st = NULL;
	int nested, rc;

	rc = db_sqlite_tx_enter(s, &nested);
	if (rc != DB_OK)
		return rc;
	rc = db_sqlite_prepare_cached(s, sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_texts(s, st, 1, v, 6);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK) {
		*id = sqlite3_column_int64(st, 0);
		rc = db_sqlite_step_done(s, st);
	} else if (rc == DB_NOTFOUND) {
		rc = idem_replay(s, n, id);
	}
	db_sqlite_finalize(s, st);
	return db_sqlite_tx_leave(s, nested, rc);
}

/* The status read is "reversed" for a credit a reversal undid: the row
 * keeps "credited" (it still owns its keys, see OWNER_STATES) and the
 * ledger, which is append-only, says what happened since. */
#define RECEIPT_COLS                                                           \
	"id, attempts, total, points, user_id,"                                \
	" CASE WHEN status = 'credited' AND EXISTS (SELECT 1 FROM ledger_txn"  \
	"  WHERE ledger_txn.receipt_id = receipts.id"                          \
	"  AND ledger_txn.kind = 'reversal') THEN 'reversed' ELSE status END," \
	" image_sha256,"                                                       \
	" image_path, content_type, store, date, time, currency,"              \
	" receipt_number, created_at, updated_at, parsed, reasons"

/* Reads one row selected with RECEIPT_COLS. */
static int read_receipt(struct sqlite_state *s, sqlite3_stmt *st,
			struct db_receipt *r)
{
	char status[16];
	const struct {
		char *buf;
		size_t size;
	} text[] = {
		{ r->user_id, sizeof(r->user_id) },
		{ status, sizeof(status) },
		{ r->image_sha256, sizeof(r->image_sha256) },
		{ r->image_path, sizeof(r->image_path) },
		{ r->content_type, sizeof(r->content_type) },
		{ r->store, sizeof(r->store) },
		{ r->date, sizeof(r->date) },
		{ r->time, sizeof(r->time) },
		{ r->currency, sizeof(r->currency) },
		{ r->receipt_number, sizeof(r->receipt_number) },
		{ r->created_at, sizeof(r->created_at) },
		{ r->updated_at, sizeof(r->updated_at) },
	};
	int rc = DB_OK;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->attempts = sqlite3_column_int(st, 1);
	r->total = sqlite3_column_type(st, 2) == SQLITE_NULL
			   ? RECEIPT_UNKNOWN
			   : sqlite3_column_int64(st, 2);
	r->points = sqlite3_column_int64(st, 3);
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		rc = db_sqlite_col_text(s, st, 4 + (int)i, text[i].buf,
					text[i].size);
		if (rc != DB_OK)
			goto out;
	}
	rc = db_status_parse(status, &r->status);
	if (rc == DB_OK)
		rc = db_sqlite_col_dup(st, 16, &r->parsed);
	if (rc == DB_OK)
		rc = db_sqlite_col_dup(st, 17, &r->reasons);
out:
	if (rc != DB_OK) {
		db_receipt_release(r);
		memset(r, 0, sizeof(*r));
	}
	return rc;
}

int db_sqlite_receipt_get(void *state, int64_t id, struct db_receipt *out)
{
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(
		s, "SELECT " RECEIPT_COLS " FROM receipts WHERE id = ?", &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 1, id);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK)
		rc = read_receipt(s, st, out);
	db_sqlite_finalize(s, st);
	return rc;
}

int db_sqlite_receipt_list(void *state, const char *user_id, const char *status,
			   int64_t before_id, size_t limit, db_receipt_cb cb,
			   void *arg)
{
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	struct db_receipt r;
	int rc;

	/* Each walks an index: receipts_user, receipts_queue. */
	rc = db_sqlite_prepare_cached(
		s,
		user_id ? "SELECT " RECEIPT_COLS " FROM receipts"
			  " WHERE user_id = ? AND id < ? ORDER BY id DESC"
			  " LIMIT ?"
			: "SELECT " RECEIPT_COLS " FROM receipts"
			  " WHERE status = ? AND id < ? ORDER BY id DESC"
			  " LIMIT ?",
		&st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_text(s, st, 1, user_id ? user_id : status);
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
			rc = read_receipt(s, st, &r);
		if (rc != DB_OK)
			break;
		rc = cb(&r, arg); /* non-zero stops the walk, returned as is */
		db_receipt_release(&r);
	}
	db_sqlite_finalize(s, st);
	return rc;
}

int db_sqlite_receipt_set_parse(void *state, int64_t id,
				const struct receipt *r, const char *parsed,
				const char *content_key)
{
	struct sqlite_state *s = state;
	static const char sql[] =
		"UPDATE receipts SET parsed = ?, store = ?, date = ?,"
		" time = ?, currency = ?, receipt_number = ?,"
		" content_key = ?, total = ?, updated_at = " NOW
		" WHERE id = ? AND status IN ('queued', 'processing')";
	const char *v[] = {
		parsed,	     r->store,		r->date,     r->time,
		r->currency, r->receipt_number, content_key,
	};
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(s, sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_texts(s, st, 1, v, 7);
	/* An unknown total stays unbound, which is SQL NULL. */
	if (rc == DB_OK && r->total != RECEIPT_UNKNOWN)
		rc = db_sqlite_bind_int(s, st, 8, r->total);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 9, id);
	if (rc == DB_OK)
		rc = update_one(s, st, id);
	db_sqlite_finalize(s, st);
	return rc;
}

int db_sqlite_receipt_set_outcome(void *state, int64_t id,
				  const struct db_outcome *o)
{
	struct sqlite_state *s = state;
	/* Decided receipts are never re-decided, but for staff's one
	 * review of a flagged receipt. */
	static const char sql[] =
		"UPDATE receipts SET status = ?, points = ?,"
		" reasons = coalesce(?, '[]'), updated_at = " NOW
		" WHERE id = ? AND status IN ('queued', 'processing')";
	static const char review_sql[] =
		"UPDATE receipts SET status = ?, points = ?,"
		" reasons = coalesce(?, '[]'), updated_at = " NOW
		" WHERE id = ? AND status = 'flagged'";
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(s, o->review ? review_sql : sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_text(s, st, 1, db_status_name(o->status));
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 2, o->points);
	if (rc == DB_OK)
		rc = db_sqlite_bind_text(s, st, 3, o->reasons);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, 4, id);
	if (rc == DB_OK)
		rc = update_one(s, st, id);
	db_sqlite_finalize(s, st);
	return rc;
}

/* The lowest-numbered owner of a key, other than exclude_id; with key
 * NULL the statement binds only exclude_id (the receipt it compares). */
static int find_owner(struct sqlite_state *s, const char *sql, const char *key,
		      int64_t exclude_id, int64_t *orig)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(s, sql, &st);
	if (rc == DB_OK && key)
		rc = db_sqlite_bind_text(s, st, 1, key);
	if (rc == DB_OK)
		rc = db_sqlite_bind_int(s, st, key ? 2 : 1, exclude_id);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK)
		*orig = sqlite3_column_int64(st, 0);
	db_sqlite_finalize(s, st);
	return rc;
}

/* The owners of key column col (?1), but for receipt ?2: settled ones and
 * those waiting to be read again, each found by its own partial index. */
#define OWNER_OF(col)                                                          \
	"SELECT id FROM receipts WHERE " col " = ?1 AND id <> ?2"              \
	" AND status IN " OWNER_STATES " UNION ALL"                            \
	" SELECT id FROM receipts WHERE " col " = ?1 AND id <> ?2"             \
	" AND " REREAD_WAITING " ORDER BY id LIMIT 1"

int db_sqlite_receipt_find_image(void *state, const char *sha256,
				 int64_t exclude_id, int64_t *orig)
{
	return find_owner(state, OWNER_OF("image_sha256"), sha256, exclude_id,
			  orig);
}

int db_sqlite_receipt_find_content(void *state, const char *key,
				   int64_t exclude_id, int64_t *orig)
{
	return find_owner(state, OWNER_OF("content_key"), key, exclude_id,
			  orig);
}

/* The same TSE sale: transaction number and signature counter (digits,
 * which OCR reads reliably) equal, and the 64-digit serial agreeing at
 * one end at least, since two photos rarely misread it alike. The
 * parsed JSON both rows hold has them; receipts_tse (migration 6) and
 * receipts_tse_waiting (11) index the owners' transaction numbers. */
#define SAME_TSE(owned)                                                        \
	"SELECT o.id FROM receipts AS me JOIN receipts AS o"                   \
	" ON json_extract(o.parsed, '$.tse.transaction')"                      \
	"  = json_extract(me.parsed, '$.tse.transaction')"                     \
	" AND json_extract(o.parsed, '$.tse.signature_counter')"               \
	"  IS json_extract(me.parsed, '$.tse.signature_counter')"              \
	" AND (substr(json_extract(o.parsed, '$.tse.serial'), 1, 8)"           \
	"  = substr(json_extract(me.parsed, '$.tse.serial'), 1, 8)"            \
	"  OR substr(json_extract(o.parsed, '$.tse.serial'), -8)"              \
	"  = substr(json_extract(me.parsed, '$.tse.serial'), -8))"             \
	" WHERE me.id = ?1 AND o.id <> me.id AND " owned                       \
	" AND length(json_extract(me.parsed, '$.tse.serial')) >= 8"

int db_sqlite_receipt_find_tse(void *state, int64_t id, int64_t *orig)
{
	static const char sql[] =
		SAME_TSE("o.status IN " OWNER_STATES) " UNION ALL " SAME_TSE(
			REREAD_WAITING_IN("o.")) " ORDER BY 1 LIMIT 1";

	return find_owner(state, sql, NULL, id, orig);
}

int db_sqlite_queue_recover(void *state, int max_attempts, int *requeued)
{
	struct sqlite_state *s = state;
	int nested, rc;

	rc = db_sqlite_tx_enter(s, &nested);
	if (rc != DB_OK)
		return rc;
	rc = db_sqlite_run_int(s,
			       "UPDATE receipts SET status = 'failed',"
			       " reasons = '[\"attempts_exhausted\"]',"
			       " updated_at = " NOW
			       " WHERE status = 'processing' AND attempts >= ?",
			       max_attempts, NULL);
	if (rc == DB_OK)
		rc = db_sqlite_exec(s, "UPDATE receipts SET status = 'queued',"
				       " updated_at = " NOW
				       " WHERE status = 'processing'");
	if (rc == DB_OK)
		*requeued = sqlite3_changes(s->h);
	return db_sqlite_tx_leave(s, nested, rc);
}

int db_sqlite_queue_claim(void *state, struct db_job *job)
{
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	int rc;

	/* One statement: the write lock is taken before the SELECT runs, so
	 * two claimers can never get the same receipt. */
	rc = db_sqlite_prepare_cached(
		s,
		"UPDATE receipts SET status = 'processing',"
		" attempts = attempts + 1, updated_at = " NOW
		" WHERE id = (SELECT id FROM receipts"
		"  WHERE status = 'queued' ORDER BY id LIMIT 1)"
		" RETURNING id, attempts, image_path",
		&st);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK) {
		job->receipt_id = sqlite3_column_int64(st, 0);
		job->attempts = sqlite3_column_int(st, 1);
		rc = db_sqlite_col_text(s, st, 2, job->image_path,
					sizeof(job->image_path));
	}
	if (rc == DB_OK)
		rc = db_sqlite_step_done(s, st);
	db_sqlite_finalize(s, st);
	if (rc != DB_OK)
		memset(job, 0, sizeof(*job));
	return rc;
}

int db_sqlite_queue_reprocess(void *state, const char *status, int64_t limit,
			      int *requeued)
{
	const char *const texts[] = { status };

	return db_sqlite_run(state,
			     "UPDATE receipts SET status = 'queued',"
			     " attempts = 0, points = 0, reasons = '[]',"
			     " updated_at = " NOW " WHERE id IN (SELECT id"
			     " FROM receipts WHERE status = ? ORDER BY id"
			     " LIMIT ?)",
			     texts, 1, &limit, 1, requeued);
}

int db_sqlite_queue_requeue(void *state, int64_t id)
{
	struct sqlite_state *s = state;
	int changes = 0;
	int rc;

	rc = db_sqlite_run_int(s,
			       "UPDATE receipts SET status = 'queued',"
			       " updated_at = " NOW
			       " WHERE id = ? AND status = 'processing'",
			       id, &changes);
	if (rc == DB_OK && changes == 0)
		rc = why_unchanged(s, id);
	return rc;
}
