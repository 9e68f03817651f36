/*
 * db_sqlite_loyalty.c: what a loyalty programme keeps besides postings:
 * per-user counters (append-only events), vouchers (used exactly once, a
 * trigger refuses any other change) and referrals (set once).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "db_sqlite_int.h"
#include "banned.h"

int db_sqlite_event_add(void *state, const char *user_id, const char *name,
			int64_t amount, int64_t txn_id, const char *at)
{
	static const char sql[] =
		"INSERT INTO loyalty_event (user_id, name, created_at, amount,"
		" txn_id) VALUES (?, ?, coalesce(?, " NOW "), ?, nullif(?, 0))";
	const char *v[] = { user_id, name, at };
	const int64_t n[] = { amount, txn_id };

	return db_sqlite_run(state, sql, v, 3, n, 2, NULL);
}

int db_sqlite_event_sum(void *state, const char *user_id, const char *name,
			const char *since, int64_t *sum, int64_t *count)
{
	static const char sql[] =
		"SELECT coalesce(sum(amount), 0), count(*) FROM loyalty_event"
		" WHERE user_id = ? AND name = ?"
		" AND created_at >= coalesce(?3, '')"; /* a range, always */
	const char *v[] = { user_id, name, since };
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(s, sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_texts(s, st, 1, v, 3);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK) {
		*sum = sqlite3_column_int64(st, 0);
		*count = sqlite3_column_int64(st, 1);
	}
	db_sqlite_finalize(s, st);
	return rc;
}

/* A keyed voucher (a coupon) is issued once: a second insert under its
 * key does nothing and says so. */
int db_sqlite_voucher_add(void *state, const struct db_voucher *v)
{
	static const char sql[] =
		"INSERT INTO voucher (code, user_id, source, rule, reward,"
		" issued_at, expires_at, idem_key, value, txn_id)"
		" VALUES (?, ?, ?, ?, ?, coalesce(?, " NOW
		"), ?, ?, ?, nullif(?, 0))"
		" ON CONFLICT (idem_key) WHERE idem_key IS NOT NULL DO NOTHING";
	const char *t[] = {
		v->code,   v->user_id,	 v->source,	v->rule,
		v->reward, v->issued_at, v->expires_at, v->idem_key
	};
	const int64_t n[] = { v->value, v->txn_id };
	int changes = 0;
	int rc = db_sqlite_run(state, sql, t, 8, n, 2, &changes);

	return rc == DB_OK && changes == 0 ? DB_EXISTS : rc;
}

#define VOUCHER_COLUMNS                                                        \
	"SELECT code, user_id, source, rule, reward, issued_at, used_at,"      \
	" used_by, value, txn_id, expires_at, idem_key,"                       \
	" (SELECT voided_at FROM voucher_void AS d"                            \
	"  WHERE d.code = voucher.code) FROM voucher"

static int read_voucher(struct sqlite_state *s, sqlite3_stmt *st,
			struct db_voucher *v)
{
	struct {
		char *buf;
		size_t size;
	} text[] = {
		{ v->code, sizeof(v->code) },
		{ v->user_id, sizeof(v->user_id) },
		{ v->source, sizeof(v->source) },
		{ v->rule, sizeof(v->rule) },
		{ v->reward, sizeof(v->reward) },
		{ v->issued_at, sizeof(v->issued_at) },
		{ v->used_at, sizeof(v->used_at) },
		{ v->used_by, sizeof(v->used_by) },
	};
	struct {
		int col;
		char *buf;
		size_t size;
	} more[] = {
		{ 10, v->expires_at, sizeof(v->expires_at) },
		{ 11, v->idem_key, sizeof(v->idem_key) },
		{ 12, v->voided_at, sizeof(v->voided_at) },
	};
	int rc = DB_OK;

	memset(v, 0, sizeof(*v));
	for (size_t i = 0; rc == DB_OK && i < sizeof(text) / sizeof(*text); i++)
		rc = db_sqlite_col_text(s, st, (int)i, text[i].buf,
					text[i].size);
	for (size_t i = 0; rc == DB_OK && i < sizeof(more) / sizeof(*more); i++)
		rc = db_sqlite_col_text(s, st, more[i].col, more[i].buf,
					more[i].size);
	v->value = sqlite3_column_int64(st, 8);
	v->txn_id = sqlite3_column_int64(st, 9);
	return rc;
}

int db_sqlite_voucher_get(void *state, const char *code, int64_t txn_id,
			  struct db_voucher *out)
{
	static const char by_code[] = VOUCHER_COLUMNS " WHERE code = ?";
	static const char by_txn[] =
		VOUCHER_COLUMNS " WHERE txn_id = ? ORDER BY code LIMIT 1";
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(s, code != NULL ? by_code : by_txn, &st);
	if (rc == DB_OK)
		rc = code != NULL ? db_sqlite_bind_text(s, st, 1, code)
				  : db_sqlite_bind_int(s, st, 1, txn_id);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK)
		rc = read_voucher(s, st, out);
	db_sqlite_finalize(s, st);
	return rc;
}

int db_sqlite_voucher_list(void *state, const char *user_id, db_voucher_cb cb,
			   void *arg)
{
	static const char sql[] = VOUCHER_COLUMNS
		" WHERE user_id = ? ORDER BY issued_at DESC, rowid DESC"
		" LIMIT 1000";
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	struct db_voucher v;
	int rc;

	rc = db_sqlite_prepare_cached(s, sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_text(s, st, 1, user_id);
	while (rc == DB_OK) {
		rc = db_sqlite_step_row(s, st);
		if (rc == DB_NOTFOUND) {
			rc = DB_OK;
			break;
		}
		if (rc == DB_OK)
			rc = read_voucher(s, st, &v);
		if (rc == DB_OK)
			rc = cb(&v, arg);
	}
	db_sqlite_finalize(s, st);
	return rc;
}

/* The WHERE makes "used once" (and "not after it expired") a single
 * atomic step; the trigger is the backstop for any other writer. */
int db_sqlite_voucher_use(void *state, const char *code, const char *by,
			  const char *at)
{
	static const char sql[] =
		"UPDATE voucher SET used_by = ?1, used_at = coalesce(?2, " NOW
		") WHERE code = ?3 AND used_at IS NULL AND (expires_at IS NULL"
		" OR expires_at > coalesce(?2, " NOW "))"
		" AND NOT EXISTS (SELECT 1 FROM voucher_void AS d"
		"  WHERE d.code = ?3)";
	const char *v[] = { by, at, code };
	struct sqlite_state *s = state;
	struct db_voucher old;
	int changes = 0;
	int rc = db_sqlite_run(s, sql, v, 3, NULL, 0, &changes);

	if (rc == DB_OK && changes == 0) {
		rc = db_sqlite_voucher_get(s, code, 0, &old);
		if (rc != DB_OK)
			return rc;
		/* expired or void: db_voucher_get() tells which */
		return old.used_at[0] ? DB_CONFLICT : DB_INVALID;
	}
	return rc;
}

int db_sqlite_voucher_void(void *state, int64_t credit_txn, int64_t by_txn,
			   const char *at, int64_t *voided, int64_t *used)
{
	static const char ins[] =
		"INSERT INTO voucher_void (code, txn_id, voided_at)"
		" SELECT code, ?3, ?1 FROM voucher"
		" WHERE txn_id = ?2 AND used_at IS NULL"
		" AND code NOT IN (SELECT code FROM voucher_void)";
	static const char count[] =
		"SELECT (SELECT count(*) FROM voucher_void WHERE txn_id = ?2),"
		" (SELECT count(*) FROM voucher WHERE txn_id = ?1"
		"  AND used_at IS NOT NULL)";
	const int64_t n[] = { credit_txn, by_txn };
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	int rc = DB_OK;

	if (at != NULL) /* at is ?1, the txns ?2 and ?3 */
		rc = db_sqlite_run(s, ins, &at, 1, n, 2, NULL);
	if (rc == DB_OK)
		rc = db_sqlite_prepare_cached(s, count, &st);
	for (int i = 0; rc == DB_OK && i < 2; i++)
		rc = db_sqlite_bind_int(s, st, i + 1, n[i]);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK) {
		*voided = sqlite3_column_int64(st, 0);
		*used = sqlite3_column_int64(st, 1);
	}
	db_sqlite_finalize(s, st);
	return rc;
}

int db_sqlite_referral_add(void *state, const char *user_id,
			   const char *referred_by)
{
	static const char sql[] =
		"INSERT INTO referral (user_id, referred_by) VALUES (?, ?)";
	const char *v[] = { user_id, referred_by };

	return db_sqlite_run(state, sql, v, 2, NULL, 0, NULL);
}

int db_sqlite_referral_get(void *state, const char *user_id, char *by,
			   size_t size)
{
	struct sqlite_state *s = state;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(
		s, "SELECT referred_by FROM referral WHERE user_id = ?", &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_text(s, st, 1, user_id);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK)
		rc = db_sqlite_col_text(s, st, 0, by, size);
	db_sqlite_finalize(s, st);
	return rc;
}

int db_sqlite_membership_add(void *state, const struct db_membership *m)
{
	static const char sql[] =
		"INSERT INTO membership (user_id, tier, starts_at, ends_at,"
		" idem_key, created_at, months)"
		" VALUES (?, ?, ?, ?, ?, coalesce(?, " NOW "), ?)"
		" ON CONFLICT (idem_key) DO NOTHING";
	const char *t[] = { m->user_id, m->tier,     m->starts_at,
			    m->ends_at, m->idem_key, m->created_at };
	int changes = 0;
	int rc = db_sqlite_run(state, sql, t, 6, &m->months, 1, &changes);

	return rc == DB_OK && changes == 0 ? DB_EXISTS : rc;
}

/* Reads columns tier, months, starts_at, ends_at, idem_key, created_at,
 * user_id of one row. */
static int read_membership(struct sqlite_state *s, sqlite3_stmt *st,
			   struct db_membership *m)
{
	struct {
		char *buf;
		size_t size;
	} text[] = {
		{ m->tier, sizeof(m->tier) },
		{ NULL, 0 },
		{ m->starts_at, sizeof(m->starts_at) },
		{ m->ends_at, sizeof(m->ends_at) },
		{ m->idem_key, sizeof(m->idem_key) },
		{ m->created_at, sizeof(m->created_at) },
		{ m->user_id, sizeof(m->user_id) },
	};
	int rc = DB_OK;

	m->months = sqlite3_column_int64(st, 1);
	for (size_t i = 0; rc == DB_OK && i < sizeof(text) / sizeof(*text); i++)
		if (text[i].buf != NULL)
			rc = db_sqlite_col_text(s, st, (int)i, text[i].buf,
						text[i].size);
	return rc;
}

/* One membership row from sql with text parameters v[0..n). */
static int membership_query(struct sqlite_state *s, const char *sql,
			    const char *const *v, int n,
			    struct db_membership *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(s, sql, &st);
	if (rc == DB_OK)
		rc = db_sqlite_bind_texts(s, st, 1, v, n);
	if (rc == DB_OK)
		rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK && sqlite3_column_type(st, 0) == SQLITE_NULL)
		rc = DB_NOTFOUND; /* an aggregate over no rows */
	if (rc == DB_OK)
		rc = read_membership(s, st, out);
	db_sqlite_finalize(s, st);
	return rc;
}

int db_sqlite_membership_find(void *state, const char *idem_key,
			      struct db_membership *out)
{
	static const char sql[] =
		"SELECT tier, months, starts_at, ends_at, idem_key, created_at,"
		" user_id FROM membership WHERE idem_key = ?";

	return membership_query(state, sql, &idem_key, 1, out);
}

int db_sqlite_membership_end(void *state, const char *user_id,
			     char out[DB_TIME_LEN])
{
	static const char sql[] =
		"SELECT max(ends_at), 0, NULL, max(ends_at) FROM membership"
		" WHERE user_id = ?";
	struct db_membership m;
	int rc;

	memset(&m, 0, sizeof(m));
	rc = membership_query(state, sql, &user_id, 1, &m);
	memcpy(out, m.ends_at, DB_TIME_LEN);
	return rc;
}

int db_sqlite_membership_active(void *state, const char *user_id,
				const char *at, struct db_membership *out)
{
	/* The row active at ?2, then the same-tier renewals that start
	 * exactly where it (or the renewal before) ends. Rows never overlap
	 * (each starts at or after the user's latest end), so the chain is
	 * one line; max(ends_at) is where it stops. */
	static const char sql[] =
		"WITH RECURSIVE chain(id, tier, ends_at) AS ("
		" SELECT id, tier, ends_at FROM membership"
		"  WHERE user_id = ?1 AND starts_at <= ?2 AND ends_at > ?2"
		" UNION"
		" SELECT m.id, m.tier, m.ends_at FROM membership AS m, chain "
		"AS c"
		"  WHERE m.user_id = ?1 AND m.starts_at = c.ends_at"
		"  AND m.tier = c.tier)"
		" SELECT m.tier, m.months, m.starts_at,"
		"  (SELECT max(ends_at) FROM chain), m.idem_key, m.created_at,"
		"  m.user_id FROM membership AS m"
		" WHERE m.id = (SELECT min(id) FROM chain)";
	const char *v[] = { user_id, at };

	return membership_query(state, sql, v, 2, out);
}
