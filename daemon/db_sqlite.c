/*
 * db_sqlite.c: the SQLite backend of db.h. WAL lets the HTTP process
 * insert while the supervisor settles; synchronous=FULL makes a commit
 * survive power loss, which is what our 202 promises. Rules that must hold
 * whatever the code does (one credit per receipt, append-only postings,
 * one owner per image and content key) are in the schema itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "db_sqlite_int.h"
#include "banned.h"

/*
 * Migration N (1-based) brings user_version from N-1 to N. Append only:
 * never edit a migration that has shipped.
 */
static const char *const migrations[] = {
	/* 1: receipts, which are also the job queue */
	"CREATE TABLE receipts ("
	" id INTEGER PRIMARY KEY,"
	" user_id TEXT NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued',"
	"  'processing','credited','flagged','rejected','duplicate','failed')),"
	" image_sha256 TEXT NOT NULL,"
	" image_path TEXT NOT NULL,"
	" content_type TEXT NOT NULL,"
	" idem_key TEXT,"
	" request_hash TEXT,"
	" attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),"
	" parsed TEXT CHECK (parsed IS NULL OR json_valid(parsed)),"
	" store TEXT, date TEXT, time TEXT, total INTEGER, currency TEXT,"
	" receipt_number TEXT,"
	" content_key TEXT,"
	" points INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),"
	" reasons TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reasons)),"
	" created_at TEXT NOT NULL DEFAULT (" NOW "),"
	" updated_at TEXT NOT NULL DEFAULT (" NOW "),"
	" UNIQUE (user_id, idem_key));"
	"CREATE INDEX receipts_user ON receipts(user_id, id);"
	"CREATE INDEX receipts_queue ON receipts(status, id);"
	"CREATE INDEX receipts_image ON receipts(image_sha256);"
	/* Only a credited or flagged receipt owns its image and content. */
	"CREATE UNIQUE INDEX receipts_image_owner ON receipts(image_sha256)"
	" WHERE status IN " OWNER_STATES ";"
	"CREATE UNIQUE INDEX receipts_content_owner ON receipts(content_key)"
	" WHERE status IN " OWNER_STATES ";",

	/* 2: the double-entry ledger; balances are a cache kept by trigger */
	"CREATE TABLE ledger_txn ("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK (kind IN ('credit')),"
	" receipt_id INTEGER REFERENCES receipts(id),"
	" idem_key TEXT NOT NULL UNIQUE,"
	" rule TEXT NOT NULL,"
	" created_at TEXT NOT NULL DEFAULT (" NOW "));"
	"CREATE UNIQUE INDEX ledger_txn_one_credit ON ledger_txn(receipt_id)"
	" WHERE kind = 'credit';"
	"CREATE TABLE ledger_posting ("
	" id INTEGER PRIMARY KEY,"
	" txn_id INTEGER NOT NULL REFERENCES ledger_txn(id),"
	" account TEXT NOT NULL,"
	" amount INTEGER NOT NULL CHECK (amount <> 0),"
	" created_at TEXT NOT NULL DEFAULT (" NOW "));"
	"CREATE INDEX ledger_posting_account ON ledger_posting(account, id);"
	"CREATE INDEX ledger_posting_txn ON ledger_posting(txn_id);"
	"CREATE TABLE ledger_balance ("
	" account TEXT PRIMARY KEY,"
	" points INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TRIGGER ledger_posting_no_update"
	" BEFORE UPDATE ON ledger_posting"
	" BEGIN SELECT RAISE(ABORT, 'ledger_posting is append-only'); END;"
	"CREATE TRIGGER ledger_posting_no_delete"
	" BEFORE DELETE ON ledger_posting"
	" BEGIN SELECT RAISE(ABORT, 'ledger_posting is append-only'); END;"
	"CREATE TRIGGER ledger_txn_no_update BEFORE UPDATE ON ledger_txn"
	" BEGIN SELECT RAISE(ABORT, 'ledger_txn is append-only'); END;"
	"CREATE TRIGGER ledger_txn_no_delete BEFORE DELETE ON ledger_txn"
	" BEGIN SELECT RAISE(ABORT, 'ledger_txn is append-only'); END;"
	"CREATE TRIGGER ledger_posting_balance AFTER INSERT ON ledger_posting"
	" BEGIN INSERT INTO ledger_balance(account, points)"
	"  VALUES (NEW.account, NEW.amount)"
	"  ON CONFLICT(account)"
	"  DO UPDATE SET points = points + excluded.points;"
	" END;",

	/* 3: loyalty programmes. ledger_txn takes more kinds, the rule-set
	 * version and reversals (rebuilt: SQLite cannot alter a CHECK; run
	 * with foreign keys off, see db_sqlite_open); a customer balance can
	 * never go negative; per-rule lines, counters and vouchers. */
	"CREATE TABLE ledger_txn_v3 ("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK (kind IN ('credit','reversal','redemption',"
	"  'expiry','activity','referral')),"
	" receipt_id INTEGER REFERENCES receipts(id),"
	" idem_key TEXT NOT NULL UNIQUE,"
	" rule TEXT NOT NULL,"
	" rules_version TEXT,"
	" reverses INTEGER UNIQUE REFERENCES ledger_txn_v3(id),"
	" created_at TEXT NOT NULL DEFAULT (" NOW "),"
	" CHECK ((kind = 'reversal') = (reverses IS NOT NULL)));"
	"INSERT INTO ledger_txn_v3 (id, kind, receipt_id, idem_key, rule,"
	" created_at) SELECT id, kind, receipt_id, idem_key, rule, created_at"
	" FROM ledger_txn;"
	"DROP TABLE ledger_txn;"
	"ALTER TABLE ledger_txn_v3 RENAME TO ledger_txn;"
	"CREATE UNIQUE INDEX ledger_txn_one_credit ON ledger_txn(receipt_id)"
	" WHERE kind = 'credit';"
	"CREATE INDEX ledger_txn_kind ON ledger_txn(kind, created_at);"
	"CREATE TRIGGER ledger_txn_no_update BEFORE UPDATE ON ledger_txn"
	" BEGIN SELECT RAISE(ABORT, 'ledger_txn is append-only'); END;"
	"CREATE TRIGGER ledger_txn_no_delete BEFORE DELETE ON ledger_txn"
	" BEGIN SELECT RAISE(ABORT, 'ledger_txn is append-only'); END;"
	"DROP TRIGGER ledger_posting_balance;"
	"CREATE TABLE ledger_balance_v3 ("
	" account TEXT PRIMARY KEY,"
	" points INTEGER NOT NULL,"
	" CHECK (points >= 0 OR account NOT LIKE 'user:%')) WITHOUT ROWID;"
	"INSERT INTO ledger_balance_v3 SELECT account, points"
	" FROM ledger_balance;"
	"DROP TABLE ledger_balance;"
	"ALTER TABLE ledger_balance_v3 RENAME TO ledger_balance;"
	"CREATE TRIGGER ledger_posting_balance AFTER INSERT ON ledger_posting"
	" BEGIN INSERT INTO ledger_balance(account, points)"
	"  VALUES (NEW.account, NEW.amount)"
	"  ON CONFLICT(account)"
	"  DO UPDATE SET points = points + excluded.points;"
	" END;"
	"CREATE TABLE ledger_line ("
	" txn_id INTEGER NOT NULL REFERENCES ledger_txn(id),"
	" account TEXT NOT NULL,"
	" rule TEXT NOT NULL,"
	" points INTEGER NOT NULL CHECK (points <> 0),"
	" created_at TEXT NOT NULL);"
	"CREATE INDEX ledger_line_txn ON ledger_line(txn_id);"
	"CREATE INDEX ledger_line_rule ON ledger_line(account, rule, "
	"created_at);"
	"CREATE TRIGGER ledger_line_no_update BEFORE UPDATE ON ledger_line"
	" BEGIN SELECT RAISE(ABORT, 'ledger_line is append-only'); END;"
	"CREATE TRIGGER ledger_line_no_delete BEFORE DELETE ON ledger_line"
	" BEGIN SELECT RAISE(ABORT, 'ledger_line is append-only'); END;"
	"CREATE TABLE loyalty_event ("
	" id INTEGER PRIMARY KEY,"
	" user_id TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" amount INTEGER NOT NULL,"
	" txn_id INTEGER REFERENCES ledger_txn(id),"
	" created_at TEXT NOT NULL);"
	"CREATE INDEX loyalty_event_user ON loyalty_event(user_id, name,"
	" created_at);"
	"CREATE TRIGGER loyalty_event_no_update BEFORE UPDATE ON loyalty_event"
	" BEGIN SELECT RAISE(ABORT, 'loyalty_event is append-only'); END;"
	"CREATE TRIGGER loyalty_event_no_delete BEFORE DELETE ON loyalty_event"
	" BEGIN SELECT RAISE(ABORT, 'loyalty_event is append-only'); END;"
	"CREATE TABLE voucher ("
	" code TEXT PRIMARY KEY,"
	" user_id TEXT NOT NULL,"
	" source TEXT NOT NULL CHECK (source IN ('redemption','punchcard',"
	"  'cashback','coupon')),"
	" rule TEXT NOT NULL,"
	" reward TEXT,"
	" value INTEGER NOT NULL DEFAULT 0 CHECK (value >= 0),"
	" txn_id INTEGER REFERENCES ledger_txn(id),"
	" issued_at TEXT NOT NULL,"
	" used_at TEXT,"
	" used_by TEXT);"
	"CREATE INDEX voucher_user ON voucher(user_id, issued_at);"
	"CREATE INDEX voucher_txn ON voucher(txn_id);"
	/* A voucher changes once: from unused to used. */
	"CREATE TRIGGER voucher_use_once BEFORE UPDATE ON voucher"
	" WHEN OLD.used_at IS NOT NULL OR NEW.used_at IS NULL"
	"  OR NEW.code IS NOT OLD.code OR NEW.user_id IS NOT OLD.user_id"
	"  OR NEW.value IS NOT OLD.value OR NEW.rule IS NOT OLD.rule"
	" BEGIN SELECT RAISE(ABORT, 'voucher already used'); END;"
	"CREATE TRIGGER voucher_no_delete BEFORE DELETE ON voucher"
	" BEGIN SELECT RAISE(ABORT, 'vouchers are kept'); END;"
	"CREATE TABLE referral ("
	" user_id TEXT PRIMARY KEY,"
	" referred_by TEXT NOT NULL CHECK (referred_by <> user_id),"
	" created_at TEXT NOT NULL DEFAULT (" NOW "));"
	"CREATE INDEX referral_by ON referral(referred_by);",
	/* 4: SQLite checks CHECK constraints on the row an upsert would
	 * insert, before it turns into an update, so the balance trigger
	 * of 3 refused every debit of a customer; insert, then update. */
	"DROP TRIGGER ledger_posting_balance;"
	"CREATE TRIGGER ledger_posting_balance AFTER INSERT ON ledger_posting"
	" BEGIN INSERT OR IGNORE INTO ledger_balance(account, points)"
	"  VALUES (NEW.account, 0);"
	" UPDATE ledger_balance SET points = points + NEW.amount"
	"  WHERE account = NEW.account;"
	" END;",
	/* 5: coupons expire and are issued once per key; lookups by
	 * receipt (reversals, visits), by rule (metrics) and by time. */
	"ALTER TABLE voucher ADD COLUMN expires_at TEXT;"
	"ALTER TABLE voucher ADD COLUMN idem_key TEXT;"
	"CREATE UNIQUE INDEX voucher_idem ON voucher(idem_key)"
	" WHERE idem_key IS NOT NULL;"
	"CREATE INDEX ledger_txn_receipt ON ledger_txn(receipt_id);"
	"CREATE INDEX ledger_line_by_rule ON ledger_line(rule);"
	/* sums since a time (tiers, caps) read only that window */
	"CREATE INDEX ledger_posting_since ON ledger_posting(account,"
	" created_at);"
	"CREATE INDEX ledger_line_since ON ledger_line(account, created_at);",
	/* 6: the owners' TSE transaction numbers, for the duplicate check
	 * by TSE sale (db_sqlite_receipt_find_tse). */
	"CREATE INDEX receipts_tse ON receipts("
	" json_extract(parsed, '$.tse.transaction'))"
	" WHERE status IN " OWNER_STATES ";",
	/* 7: a voucher its credit's reversal voided, as an append-only
	 * record (a voucher row itself changes only from unused to used);
	 * a voided voucher can never be used, whoever writes. */
	"CREATE TABLE voucher_void ("
	" code TEXT PRIMARY KEY REFERENCES voucher(code),"
	" txn_id INTEGER NOT NULL REFERENCES ledger_txn(id),"
	" voided_at TEXT NOT NULL);"
	"CREATE INDEX voucher_void_txn ON voucher_void(txn_id);"
	"CREATE TRIGGER voucher_void_no_update BEFORE UPDATE ON voucher_void"
	" BEGIN SELECT RAISE(ABORT, 'voucher_void is append-only'); END;"
	"CREATE TRIGGER voucher_void_no_delete BEFORE DELETE ON voucher_void"
	" BEGIN SELECT RAISE(ABORT, 'voucher_void is append-only'); END;"
	"CREATE TRIGGER voucher_void_unused BEFORE INSERT ON voucher_void"
	" WHEN (SELECT used_at FROM voucher WHERE code = NEW.code)"
	"  IS NOT NULL"
	" BEGIN SELECT RAISE(ABORT, 'a used voucher cannot be voided'); END;"
	"CREATE TRIGGER voucher_not_void BEFORE UPDATE ON voucher"
	" WHEN EXISTS (SELECT 1 FROM voucher_void WHERE code = OLD.code)"
	" BEGIN SELECT RAISE(ABORT, 'voucher is void'); END;",
	/* 8: the balance trigger of 4 probed and then updated for every
	 * leg. A credit leg is now one upsert (its candidate row is
	 * positive, so the CHECK of 3 passes); a debit leg updates, and
	 * inserts only for an account that had no row, where the CHECK
	 * refuses a customer's negative balance as before. changes() in a
	 * trigger counts the trigger's own last statement. */
	"DROP TRIGGER ledger_posting_balance;"
	"CREATE TRIGGER ledger_posting_credit AFTER INSERT ON ledger_posting"
	" WHEN NEW.amount > 0"
	" BEGIN INSERT INTO ledger_balance(account, points)"
	"  VALUES (NEW.account, NEW.amount)"
	"  ON CONFLICT(account) DO UPDATE SET points = points + "
	"excluded.points;"
	" END;"
	"CREATE TRIGGER ledger_posting_debit AFTER INSERT ON ledger_posting"
	" WHEN NEW.amount < 0"
	" BEGIN UPDATE ledger_balance SET points = points + NEW.amount"
	"  WHERE account = NEW.account;"
	" INSERT INTO ledger_balance(account, points)"
	"  SELECT NEW.account, NEW.amount WHERE changes() = 0;"
	" END;",
	/* 9: the sums every credit reads (tier, caps, counters) come from
	 * their index alone: each window index also carries the amount (and
	 * a posting's txn, for its kind), so a sum never visits the table
	 * rows. Same indexes, wider entries. */
	"DROP INDEX ledger_posting_since;"
	"CREATE INDEX ledger_posting_since ON ledger_posting(account,"
	" created_at, amount, txn_id);"
	"DROP INDEX ledger_line_since;"
	"CREATE INDEX ledger_line_since ON ledger_line(account, created_at,"
	" points);"
	"DROP INDEX ledger_line_rule;"
	"CREATE INDEX ledger_line_rule ON ledger_line(account, rule,"
	" created_at, points);"
	"DROP INDEX loyalty_event_user;"
	"CREATE INDEX loyalty_event_user ON loyalty_event(user_id, name,"
	" created_at, amount);",
	/* 10: paid memberships, facts over time: one row per purchase,
	 * [starts_at, ends_at) in UTC, never changed or deleted. A renewal
	 * is a new row starting where the last one ends. */
	"CREATE TABLE membership ("
	" id INTEGER PRIMARY KEY,"
	" user_id TEXT NOT NULL,"
	" tier TEXT NOT NULL,"
	" months INTEGER NOT NULL CHECK (months BETWEEN 1 AND 36),"
	" starts_at TEXT NOT NULL,"
	" ends_at TEXT NOT NULL CHECK (ends_at > starts_at),"
	" idem_key TEXT NOT NULL UNIQUE,"
	" created_at TEXT NOT NULL);"
	"CREATE INDEX membership_user ON membership(user_id, ends_at);"
	"CREATE TRIGGER membership_no_update BEFORE UPDATE ON membership"
	" BEGIN SELECT RAISE(ABORT, 'membership is append-only'); END;"
	"CREATE TRIGGER membership_no_delete BEFORE DELETE ON membership"
	" BEGIN SELECT RAISE(ABORT, 'membership is append-only'); END;",
	/* 11: receipts waiting to be read again own their image, content
	 * and TSE sale (db_sqlite_receipt_find_image and the others). */
	"CREATE INDEX receipts_content_waiting ON receipts(content_key)"
	" WHERE " REREAD_WAITING ";"
	"CREATE INDEX receipts_tse_waiting ON receipts("
	" json_extract(parsed, '$.tse.transaction'))"
	" WHERE " REREAD_WAITING ";",
};

/* Savepoint journal bytes kept in memory before spilling to a file. */
#define DB_SQLITE_JOURNAL_SPILL (1 << 20)

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* Records SQLite's message and maps its result code to a db_err. */
int db_sqlite_fail(struct sqlite_state *s, int rc)
{
	snprintf(s->err, sizeof(s->err), "%s", sqlite3_errmsg(s->h));
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	case SQLITE_NOMEM:
		return DB_NOMEM;
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE ||
		    rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return DB_CONFLICT;
		return DB_INVALID;
	default:
		return DB_ERR;
	}
}

int db_sqlite_prepare(struct sqlite_state *s, const char *sql,
		      sqlite3_stmt **st)
{
	int rc = sqlite3_prepare_v2(s->h, sql, -1, st, NULL);

	return rc == SQLITE_OK ? DB_OK : db_sqlite_fail(s, rc);
}

int db_sqlite_prepare_cached(struct sqlite_state *s, const char *sql,
			     sqlite3_stmt **st)
{
	struct sqlite_cached *c, *free_slot = NULL;
	int rc;

	for (size_t i = 0; i < DB_SQLITE_CACHE; i++) {
		c = &s->cache[i];
		if (c->st == NULL && free_slot == NULL)
			free_slot = c;
		if (c->st != NULL && !c->busy && c->sql == sql &&
		    strcmp(sqlite3_sql(c->st), sql) == 0) {
			c->busy = 1;
			*st = c->st;
			return DB_OK;
		}
	}
	rc = sqlite3_prepare_v3(s->h, sql, -1,
				free_slot ? SQLITE_PREPARE_PERSISTENT : 0, st,
				NULL);
	if (rc != SQLITE_OK) {
		*st = NULL;
		return db_sqlite_fail(s, rc);
	}
	if (free_slot != NULL)
		*free_slot = (struct sqlite_cached){ sql, *st, 1 };
	return DB_OK;
}

void db_sqlite_finalize(struct sqlite_state *s, sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < DB_SQLITE_CACHE; i++)
		if (s->cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			s->cache[i].busy = 0;
			return;
		}
	sqlite3_finalize(st);
}

/* Runs fixed SQL without parameters (transaction control, schema). */
int db_sqlite_exec(struct sqlite_state *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (strchr(sql, ';') == NULL) {
		rc = db_sqlite_prepare_cached(s, sql, &st);
		if (rc == DB_OK)
			rc = db_sqlite_step_done(s, st);
		db_sqlite_finalize(s, st);
		return rc;
	}
	rc = sqlite3_exec(s->h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? DB_OK : db_sqlite_fail(s, rc);
}

/* Steps a statement that returns no rows. */
int db_sqlite_step_done(struct sqlite_state *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	return rc == SQLITE_DONE ? DB_OK : db_sqlite_fail(s, rc);
}

/* Steps once: DB_OK with a row, DB_NOTFOUND without, or an error. */
int db_sqlite_step_row(struct sqlite_state *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return DB_OK;
	return rc == SQLITE_DONE ? DB_NOTFOUND : db_sqlite_fail(s, rc);
}

int db_sqlite_bind_text(struct sqlite_state *s, sqlite3_stmt *st, int i,
			const char *v)
{
	int rc = v != NULL && v[0] != '\0'
			 ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT)
			 : sqlite3_bind_null(st, i);

	return rc == SQLITE_OK ? DB_OK : db_sqlite_fail(s, rc);
}

int db_sqlite_bind_int(struct sqlite_state *s, sqlite3_stmt *st, int i,
		       int64_t v)
{
	int rc = sqlite3_bind_int64(st, i, v);

	return rc == SQLITE_OK ? DB_OK : db_sqlite_fail(s, rc);
}

/* Copies a text column; NULL reads as "". A value that does not fit is
 * corruption (we never store one), not something to truncate. */
int db_sqlite_col_text(struct sqlite_state *s, sqlite3_stmt *st, int i,
		       char *buf, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);

	buf[0] = '\0';
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return DB_OK;
	if (t == NULL)
		return DB_NOMEM;
	if (n >= size) {
		snprintf(s->err, sizeof(s->err), "column %d too long", i);
		return DB_ERR;
	}
	memcpy(buf, t, n);
	buf[n] = '\0';
	return DB_OK;
}

int db_sqlite_col_dup(sqlite3_stmt *st, int i, char **out)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	*out = NULL;
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return DB_OK;
	if (t == NULL)
		return DB_NOMEM;
	*out = strdup((const char *)t);
	return *out != NULL ? DB_OK : DB_NOMEM;
}

/*
 * Makes a function atomic by itself: a write transaction of its own when
 * the caller has none, else a savepoint inside the caller's, so a failed
 * call never leaves half its writes behind.
 */
int db_sqlite_tx_enter(struct sqlite_state *s, int *nested)
{
	*nested = !sqlite3_get_autocommit(s->h);
	return db_sqlite_exec(s,
			      *nested ? "SAVEPOINT db_fn" : "BEGIN IMMEDIATE");
}

int db_sqlite_tx_leave(struct sqlite_state *s, int nested, int rc)
{
	int r;

	if (rc >= 0) {
		r = db_sqlite_exec(s, nested ? "RELEASE db_fn" : "COMMIT");
		if (r == DB_OK)
			return rc;
		rc = r;
	}
	/* SQLite may already have rolled back on I/O or busy errors. */
	if (!sqlite3_get_autocommit(s->h)) {
		if (nested)
			sqlite3_exec(s->h, "ROLLBACK TO db_fn; RELEASE db_fn",
				     NULL, NULL, NULL);
		else
			sqlite3_exec(s->h, "ROLLBACK", NULL, NULL, NULL);
	}
	return rc;
}

static int user_version(struct sqlite_state *s, int *v)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*v = 0;
	rc = db_sqlite_prepare(s, "PRAGMA user_version", &st);
	if (rc != DB_OK)
		goto out;
	rc = db_sqlite_step_row(s, st);
	if (rc == DB_OK)
		*v = sqlite3_column_int(st, 0);
out:
	db_sqlite_finalize(s, st);
	return rc;
}

/* Applies migration n (1-based) in its own transaction, unless another
 * process got there first. PRAGMA takes no parameters; n is ours. */
static int migrate_one(struct sqlite_state *s, int n)
{
	char pragma[64];
	int v, rc;

	rc = db_sqlite_exec(s, "BEGIN IMMEDIATE");
	if (rc != DB_OK)
		return rc;
	rc = user_version(s, &v);
	if (rc != DB_OK || v >= n)
		goto out;
	rc = db_sqlite_exec(s, migrations[n - 1]);
	if (rc != DB_OK)
		goto out;
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", n);
	rc = db_sqlite_exec(s, pragma);
	if (rc != DB_OK)
		goto out;
	rc = db_sqlite_exec(s, "COMMIT");
out:
	if (!sqlite3_get_autocommit(s->h))
		sqlite3_exec(s->h, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int migrate(struct sqlite_state *s)
{
	int v, rc;

	rc = user_version(s, &v);
	if (rc != DB_OK)
		return rc;
	if (v > NMIGRATIONS) {
		snprintf(s->err, sizeof(s->err),
			 "schema version %d is newer than this program (%d)", v,
			 NMIGRATIONS);
		return DB_ERR;
	}
	for (int n = v + 1; n <= NMIGRATIONS && rc == DB_OK; n++)
		rc = migrate_one(s, n);
	return rc;
}

/* WAL can be refused (e.g. on some network file systems); we then refuse
 * to run rather than silently lose concurrent intake. */
static int set_pragmas(struct sqlite_state *s)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare(s, "PRAGMA journal_mode=WAL", &st);
	if (rc != DB_OK)
		goto out;
	rc = db_sqlite_step_row(s, st);
	if (rc != DB_OK)
		goto out;
	if (sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") !=
	    0) {
		snprintf(s->err, sizeof(s->err), "WAL mode refused");
		rc = DB_ERR;
		goto out;
	}
	/* Foreign keys go on after the migrations: a table rebuild must
	 * drop the old table (see migration 3). */
	rc = db_sqlite_exec(s,
			    "PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;"
			    " PRAGMA cache_size=-16384");
out:
	db_sqlite_finalize(s, st);
	return rc;
}

static void db_sqlite_close(void *state)
{
	struct sqlite_state *s = state;

	if (s == NULL)
		return;
	for (size_t i = 0; i < DB_SQLITE_CACHE; i++)
		sqlite3_finalize(s->cache[i].st);
	sqlite3_close_v2(s->h);
	free(s);
}

static int db_sqlite_open(const char *path, void **state)
{
	struct sqlite_state *s;
	int rc;

	*state = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return DB_NOMEM;
	/* Process-wide settings, taken only before SQLite initialises, i.e.
	 * at the process's first open (the daemon opens before it starts
	 * threads); later calls return SQLITE_MISUSE and change nothing.
	 * Allocation statistics take a global mutex on every SQLite malloc
	 * (some 5 % of a credit) and nothing reads them. A settlement is a
	 * savepoint inside its batch and journals some 20 pages (80 KiB):
	 * past the default 64 KiB the journal spilled to a temp file (~40
	 * writes per credit), and an in-memory one (temp_store=MEMORY)
	 * grows in 1 KiB chunks; 1 MiB keeps it one allocation in memory.
	 * A crash never needs it; WAL is what recovers. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, DB_SQLITE_JOURNAL_SPILL);
	rc = sqlite3_open_v2(path, &s->h,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (s->h == NULL) {
		rc = DB_NOMEM;
		goto out;
	}
	if (rc != SQLITE_OK) {
		rc = db_sqlite_fail(s, rc);
		goto out;
	}
	sqlite3_extended_result_codes(s->h, 1);
	sqlite3_busy_timeout(s->h, DB_BUSY_TIMEOUT_MS);
	rc = set_pragmas(s);
	if (rc == DB_OK)
		rc = migrate(s);
	if (rc == DB_OK)
		rc = db_sqlite_exec(s, "PRAGMA foreign_keys=ON");
out:
	if (rc != DB_OK) {
		db_sqlite_close(s);
		s = NULL;
	}
	*state = s;
	return rc;
}

static const char *db_sqlite_errmsg(void *state)
{
	return ((struct sqlite_state *)state)->err;
}

static int db_sqlite_schema_version(void *state, int *version)
{
	return user_version(state, version);
}

/* A db_begin() inside an open one is a savepoint, so that a caller can
 * batch several ledger operations (each of which begins and commits its
 * own) into one durable commit. */
static int db_sqlite_begin(void *state)
{
	struct sqlite_state *s = state;
	int rc;

	if (sqlite3_get_autocommit(s->h))
		s->depth = 0;
	rc = db_sqlite_exec(s, s->depth ? "SAVEPOINT db_batch"
					: "BEGIN IMMEDIATE");
	if (rc == DB_OK)
		s->depth++;
	return rc;
}

static int db_sqlite_commit(void *state)
{
	struct sqlite_state *s = state;
	int rc =
		db_sqlite_exec(s, s->depth > 1 ? "RELEASE db_batch" : "COMMIT");

	if (rc == DB_OK && s->depth > 0)
		s->depth--;
	return rc;
}

/* A no-op when SQLite already rolled back (after I/O or busy errors). */
static int db_sqlite_rollback(void *state)
{
	struct sqlite_state *s = state;
	int rc;

	if (sqlite3_get_autocommit(s->h)) {
		s->depth = 0;
		return DB_OK;
	}
	if (s->depth > 1) {
		s->depth--;
		return db_sqlite_exec(s,
				      "ROLLBACK TO db_batch; RELEASE db_batch");
	}
	rc = db_sqlite_exec(s, "ROLLBACK");
	s->depth = 0;
	return rc;
}

/* Binds n strings to parameters first, first + 1, ... ("" binds NULL). */
int db_sqlite_bind_texts(struct sqlite_state *s, sqlite3_stmt *st, int first,
			 const char *const *v, int n)
{
	int rc = DB_OK;

	for (int i = 0; i < n && rc == DB_OK; i++)
		rc = db_sqlite_bind_text(s, st, first + i, v[i]);
	return rc;
}

/* Runs a statement that returns no rows: texts bind to parameters 1..nt
 * (NULL as SQL NULL), then ints to the next ni; *changes may be NULL. */
int db_sqlite_run(struct sqlite_state *s, const char *sql,
		  const char *const *texts, int nt, const int64_t *ints, int ni,
		  int *changes)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = db_sqlite_prepare_cached(s, sql, &st);
	if (rc == DB_OK && nt > 0)
		rc = db_sqlite_bind_texts(s, st, 1, texts, nt);
	for (int i = 0; rc == DB_OK && i < ni; i++)
		rc = db_sqlite_bind_int(s, st, nt + 1 + i, ints[i]);
	if (rc == DB_OK)
		rc = db_sqlite_step_done(s, st);
	if (rc == DB_OK && changes != NULL)
		*changes = sqlite3_changes(s->h);
	db_sqlite_finalize(s, st);
	return rc;
}

/* Runs a statement with one integer parameter; *changes may be NULL. */
int db_sqlite_run_int(struct sqlite_state *s, const char *sql, int64_t v,
		      int *changes)
{
	return db_sqlite_run(s, sql, NULL, 0, &v, 1, changes);
}

const struct db_backend db_backend_sqlite = {
	.name = "sqlite",
	.scheme = NULL,
	.open = db_sqlite_open,
	.close = db_sqlite_close,
	.errmsg = db_sqlite_errmsg,
	.schema_version = db_sqlite_schema_version,
	.begin = db_sqlite_begin,
	.commit = db_sqlite_commit,
	.rollback = db_sqlite_rollback,
	.receipt_insert = db_sqlite_receipt_insert,
	.receipt_get = db_sqlite_receipt_get,
	.receipt_list = db_sqlite_receipt_list,
	.receipt_set_parse = db_sqlite_receipt_set_parse,
	.receipt_set_outcome = db_sqlite_receipt_set_outcome,
	.receipt_find_image = db_sqlite_receipt_find_image,
	.receipt_find_content = db_sqlite_receipt_find_content,
	.receipt_find_tse = db_sqlite_receipt_find_tse,
	.queue_recover = db_sqlite_queue_recover,
	.queue_claim = db_sqlite_queue_claim,
	.queue_requeue = db_sqlite_queue_requeue,
	.queue_reprocess = db_sqlite_queue_reprocess,
	.ledger_post = db_sqlite_ledger_post,
	.ledger_sum = db_sqlite_ledger_sum,
	.ledger_find = db_sqlite_ledger_find,
	.event_add = db_sqlite_event_add,
	.event_sum = db_sqlite_event_sum,
	.voucher_add = db_sqlite_voucher_add,
	.voucher_get = db_sqlite_voucher_get,
	.voucher_void = db_sqlite_voucher_void,
	.voucher_list = db_sqlite_voucher_list,
	.voucher_use = db_sqlite_voucher_use,
	.referral_add = db_sqlite_referral_add,
	.referral_get = db_sqlite_referral_get,
	.ledger_balance = db_sqlite_ledger_balance,
	.ledger_lines = db_sqlite_ledger_lines,
	.event_negate = db_sqlite_event_negate,
	.ledger_expirable = db_sqlite_ledger_expirable,
	.ledger_users = db_sqlite_ledger_users,
	.ledger_visits = db_sqlite_ledger_visits,
	.program_metrics = db_sqlite_program_metrics,
	.ledger_history = db_sqlite_ledger_history,
	.membership_add = db_sqlite_membership_add,
	.membership_find = db_sqlite_membership_find,
	.membership_end = db_sqlite_membership_end,
	.membership_active = db_sqlite_membership_active,
};
