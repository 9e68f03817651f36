/*
 * db.h: the storage interface of receiptd. Callers see struct db and the
 * db_*() functions below; the SQL lives in one backend per engine
 * (db_sqlite.c now, db_pg.c later), each a const struct db_backend, so a
 * new engine never touches intake, queue or ledger code.
 *
 * A struct db is one connection and is not thread-safe: each process (or
 * thread) opens its own. Several processes may open the same database; the
 * backend serialises writers. Only the supervisor writes money.
 */
#ifndef RD_DB_H
#define RD_DB_H

#include <stddef.h>
#include <stdint.h>

#include "receipt.h"

/* Limits on what callers may store; longer input is refused (DB_INVALID),
 * never truncated, because these strings are keys. */
#define DB_USER_ID_MAX 64   /* bytes, without the NUL */
#define DB_IDEM_KEY_MAX 255 /* Stripe allows 255 */
#define DB_HASH_HEX_LEN 64  /* SHA-256 in lower-case hex */
#define DB_PATH_MAX 512
#define DB_CONTENT_TYPE_MAX 63
#define DB_ACCOUNT_MAX 80 /* "user:" + user id, or "program" */
#define DB_RULE_MAX 31
#define DB_CONTENT_KEY_MAX 255
#define DB_TIME_LEN 21	/* "YYYY-MM-DDTHH:MM:SSZ" + NUL */
#define DB_LIST_MAX 100 /* rows per db_*_list / history call */
#define DB_BUSY_TIMEOUT_MS 5000
#define DB_KIND_MAX 15
#define DB_VERSION_MAX 63
#define DB_LINE_RULE_MAX 40
#define DB_CODE_MAX 31
#define DB_EVENT_MAX 63

/* The counter-account of every credit: points the programme owes. */
#define DB_PROGRAM_ACCOUNT "program"

enum db_err {
	DB_OK = 0,
	DB_EXISTS = 1,	  /* success: idempotency key replayed, see below */
	DB_NOTFOUND = -1, /* no such row, or the queue is empty */
	DB_MISMATCH = -2, /* idempotency key reused for another request */
	DB_CONFLICT = -3, /* a uniqueness rule refused the write */
	DB_BUSY = -4,	  /* locked past the busy timeout: retry later */
	DB_INVALID = -5,  /* bad argument: NULL, too long, bad state */
	DB_NOMEM = -6,
	DB_ERR = -7, /* I/O, corruption, schema: see db_errmsg() */
};

/* Receipt life cycle. queued -> processing -> one of the final states;
 * processing -> queued again on retry or recovery. */
enum db_status {
	DB_QUEUED = 0,
	DB_PROCESSING,
	DB_CREDITED,
	DB_FLAGGED,
	DB_REJECTED,
	DB_DUPLICATE,
	DB_FAILED,
	/* A credit undone by a reversal. Never stored: the row stays
	 * "credited" (so it still owns its image, content and TSE keys and
	 * the same receipt again is a duplicate); reads derive it from the
	 * append-only ledger. */
	DB_REVERSED,
};

/* What the HTTP process knows when it accepts an upload. */
struct db_receipt_new {
	const char *user_id;
	const char *image_sha256; /* hex, DB_HASH_HEX_LEN chars */
	const char *image_path;
	const char *content_type;
	const char *idem_key;	  /* NULL when the client sent none */
	const char *request_hash; /* hex; required when idem_key is set */
};

/*
 * One receipt row. Scalars are copied into fixed buffers; unknown text is
 * "" and an unknown total is RECEIPT_UNKNOWN, as in struct receipt. parsed
 * (receipt_to_json text) and reasons (JSON array of strings) are malloc'd
 * or NULL; db_receipt_release() frees them.
 */
struct db_receipt {
	int64_t id;
	char user_id[DB_USER_ID_MAX + 1];
	enum db_status status;
	char image_sha256[DB_HASH_HEX_LEN + 1];
	char image_path[DB_PATH_MAX + 1];
	char content_type[DB_CONTENT_TYPE_MAX + 1];
	int attempts;
	char store[sizeof(((struct receipt *)0)->store)];
	char date[sizeof(((struct receipt *)0)->date)];
	char time[sizeof(((struct receipt *)0)->time)];
	int64_t total;
	char currency[sizeof(((struct receipt *)0)->currency)];
	char receipt_number[RECEIPT_NUMBER_LEN];
	int64_t points;
	char created_at[DB_TIME_LEN];
	char updated_at[DB_TIME_LEN];
	char *parsed;
	char *reasons;
};

/* A job handed out by db_queue_claim(). */
struct db_job {
	int64_t receipt_id;
	int attempts; /* including this one */
	char image_path[DB_PATH_MAX + 1];
};

/* One ledger posting with the receipt and rule of its transaction. */
struct db_posting {
	int64_t id;
	int64_t txn_id;
	int64_t receipt_id; /* 0 when the transaction has none */
	char account[DB_ACCOUNT_MAX + 1];
	int64_t amount;
	char rule[DB_RULE_MAX + 1];
	char created_at[DB_TIME_LEN];
	char kind[DB_KIND_MAX + 1];
	char rules_version[DB_VERSION_MAX + 1]; /* "" when none */
	int64_t reverses;			/* reversal: the txn undone */
	const char *lines; /* JSON [{"rule","points"}]; valid in the cb */
};

/* One line of a transaction's per-rule breakdown. */
struct db_line {
	const char *rule; /* up to DB_LINE_RULE_MAX bytes */
	int64_t points;	  /* != 0 */
};

/*
 * A ledger transaction: points to the customer account and -points to
 * "program", so it sums to zero. lines (may be empty) break points down by
 * rule and must sum to points.
 */
struct db_txn {
	const char *kind;	   /* credit reversal redemption expiry activity
			   * referral */
	int64_t receipt_id;	   /* 0 = none */
	const char *account;	   /* the customer's */
	int64_t points;		   /* != 0; the customer leg */
	const char *rule;	   /* summary, for the history */
	const char *idem_key;	   /* unique over all transactions */
	const char *rules_version; /* NULL = none */
	int64_t reverses;	   /* kind reversal: the txn it undoes */
	const char *created_at;	   /* NULL = now; else DB_TIME_LEN - 1 */
	const struct db_line *lines;
	size_t nlines;
};

/* A sum over an account's postings, or over its lines of one rule. */
struct db_sum {
	const char *account;
	int lines;	     /* 1: sum ledger lines (rule NULL = all rules) */
	const char *rule;    /* lines only */
	const char *kind;    /* postings only: NULL = every kind */
	int sign;	     /* postings only: 1 credits, -1 debits, 0 both */
	const char *or_kind; /* postings only: and those of this kind */
	const char *since, *until; /* created_at in [since, until); NULL open */
};

struct db_voucher {
	char code[DB_CODE_MAX + 1];
	char user_id[DB_USER_ID_MAX + 1];
	char source[DB_KIND_MAX + 1]; /* redemption punchcard cashback coupon */
	char rule[DB_LINE_RULE_MAX + 1];
	char reward[DB_LINE_RULE_MAX + 1];
	int64_t value; /* cents, 0 when the reward is not money */
	int64_t txn_id;
	char issued_at[DB_TIME_LEN];
	char used_at[DB_TIME_LEN]; /* "" while unused */
	char used_by[DB_USER_ID_MAX + 1];
	char expires_at[DB_TIME_LEN]; /* "" = never */
	/* Unique when set: issuing twice under one key adds nothing
	 * (db_voucher_add() returns DB_EXISTS). "" = none. */
	char idem_key[DB_IDEM_KEY_MAX + 1];
	/* Set when the reversal of the credit that issued it voided it
	 * unused (db_voucher_void()); a void voucher cannot be used. */
	char voided_at[DB_TIME_LEN];
};
typedef int (*db_voucher_cb)(const struct db_voucher *v, void *arg);

/* A credit transaction: +points to account, -points to "program". */
struct db_credit {
	int64_t receipt_id;
	const char *account;
	int64_t points; /* > 0 */
	const char *rule;
	const char *idem_key;
};

/* The decision recorded by db_receipt_set_outcome(). */
struct db_outcome {
	enum db_status status; /* a final state */
	int64_t points;
	const char *reasons; /* JSON array text, NULL for [] */
	/* 1: staff decide a flagged receipt (credited or rejected) */
	int review;
};

/* One stored line of a transaction (db_ledger_lines()). */
struct db_line_row {
	char rule[DB_LINE_RULE_MAX + 1];
	int64_t points;
};
#define DB_MAX_LINES 80

/* What FIFO expiry needs of one account (db_ledger_expirable()). */
struct db_expirable {
	/* Points earned (credits, activities, referrals) before the cutoff,
	 * less what reversals of those earnings took back. */
	int64_t earned;
	/* Points spent or expired so far (redemptions, expiries), > 0. */
	int64_t consumed;
};

typedef int (*db_account_cb)(const char *user_id, int64_t points, void *arg);

typedef int (*db_receipt_cb)(const struct db_receipt *r, void *arg);
typedef int (*db_posting_cb)(const struct db_posting *p, void *arg);

/* A storage engine. Every function takes the state its open() made and
 * returns a db_err; the contracts are those of the db_*() wrappers. */
/* A paid membership: the tier held over [starts_at, ends_at). */
#define DB_TIER_MAX 31
struct db_membership {
	char user_id[DB_USER_ID_MAX + 1];
	char tier[DB_TIER_MAX + 1];
	int64_t months; /* 1..36 */
	char starts_at[DB_TIME_LEN];
	char ends_at[DB_TIME_LEN];
	char idem_key[DB_IDEM_KEY_MAX + 1];
	char created_at[DB_TIME_LEN]; /* "" on add = now */
};

struct db_backend {
	const char *name;
	const char *scheme; /* path prefix selecting it; NULL = default */
	int (*open)(const char *path, void **state);
	void (*close)(void *state);
	const char *(*errmsg)(void *state);
	int (*schema_version)(void *state, int *version);
	int (*begin)(void *state);
	int (*commit)(void *state);
	int (*rollback)(void *state);
	int (*receipt_insert)(void *state, const struct db_receipt_new *n,
			      int64_t *id);
	int (*receipt_get)(void *state, int64_t id, struct db_receipt *out);
	/* Exactly one of user_id and status (a db_status_name) is set. */
	int (*receipt_list)(void *state, const char *user_id,
			    const char *status, int64_t before_id, size_t limit,
			    db_receipt_cb cb, void *arg);
	int (*receipt_set_parse)(void *state, int64_t id,
				 const struct receipt *r, const char *parsed,
				 const char *content_key);
	int (*receipt_set_outcome)(void *state, int64_t id,
				   const struct db_outcome *o);
	int (*receipt_find_image)(void *state, const char *sha256,
				  int64_t exclude_id, int64_t *orig);
	int (*receipt_find_content)(void *state, const char *key,
				    int64_t exclude_id, int64_t *orig);
	int (*receipt_find_tse)(void *state, int64_t id, int64_t *orig);
	int (*queue_recover)(void *state, int max_attempts, int *requeued);
	int (*queue_claim)(void *state, struct db_job *job);
	int (*queue_requeue)(void *state, int64_t id);
	int (*queue_reprocess)(void *state, const char *status, int64_t limit,
			       int *requeued);
	int (*ledger_post)(void *state, const struct db_txn *t,
			   int64_t *txn_id);
	int (*ledger_sum)(void *state, const struct db_sum *q, int64_t *sum);
	int (*ledger_find)(void *state, const char *idem_key,
			   struct db_posting *out);
	int (*event_add)(void *state, const char *user_id, const char *name,
			 int64_t amount, int64_t txn_id, const char *at);
	int (*event_sum)(void *state, const char *user_id, const char *name,
			 const char *since, int64_t *sum, int64_t *count);
	int (*voucher_add)(void *state, const struct db_voucher *v);
	int (*voucher_get)(void *state, const char *code, int64_t txn_id,
			   struct db_voucher *out);
	int (*voucher_list)(void *state, const char *user_id, db_voucher_cb cb,
			    void *arg);
	int (*voucher_use)(void *state, const char *code, const char *by,
			   const char *at);
	int (*voucher_void)(void *state, int64_t credit_txn, int64_t by_txn,
			    const char *at, int64_t *voided, int64_t *used);
	int (*referral_add)(void *state, const char *user_id,
			    const char *referred_by);
	int (*referral_get)(void *state, const char *user_id, char *by,
			    size_t size);
	int (*membership_add)(void *state, const struct db_membership *m);
	int (*membership_find)(void *state, const char *idem_key,
			       struct db_membership *out);
	int (*membership_end)(void *state, const char *user_id,
			      char out[DB_TIME_LEN]);
	int (*membership_active)(void *state, const char *user_id,
				 const char *at, struct db_membership *out);
	int (*ledger_balance)(void *state, const char *account,
			      int64_t *points);
	int (*ledger_lines)(void *state, int64_t txn_id,
			    struct db_line_row *out, size_t max, size_t *n);
	int (*event_negate)(void *state, int64_t txn_id, int64_t by_txn,
			    const char *at);
	int (*ledger_expirable)(void *state, const char *account,
				const char *cutoff, struct db_expirable *out);
	int (*ledger_users)(void *state, int64_t min_points, db_account_cb cb,
			    void *arg);
	int (*ledger_visits)(void *state, const char *user_id,
			     const char *since, int64_t *visits,
			     int64_t *spend);
	int (*program_metrics)(void *state, const char *now, char **json);
	int (*ledger_history)(void *state, const char *account,
			      int64_t before_id, size_t limit, db_posting_cb cb,
			      void *arg);
};

extern const struct db_backend db_backend_sqlite;

struct db;

/*
 * Opens (creating if needed) the database at path and brings its schema
 * up to date. The backend is chosen by the path's scheme; a plain file
 * path is SQLite (WAL, synchronous=FULL, foreign keys, busy timeout
 * DB_BUSY_TIMEOUT_MS). On success *out owns the connection; on failure
 * *out is NULL. Returns a db_err.
 */
int db_open(const char *path, struct db **out);

/* Closes the connection, rolling back any open transaction. NULL is a
 * no-op. */
void db_close(struct db *db);

/* The backend's last error message, for logs; never NULL. */
const char *db_errmsg(struct db *db);

/* The applied schema version (PRAGMA user_version for SQLite). */
int db_schema_version(struct db *db, int *version);

/*
 * Explicit transactions for callers that combine several writes (the
 * ledger). db_begin() takes the write lock at once, so a transaction never
 * fails half-way for lack of it. The functions below also work alone, each
 * then atomic by itself. After any error inside a transaction the caller
 * must db_rollback().
 */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

const char *db_status_name(enum db_status s);
/* Parses a status name; returns 0 or DB_INVALID. */
int db_status_parse(const char *name, enum db_status *out);
/* True for the states a receipt never leaves by itself. */
int db_status_is_final(enum db_status s);

/*
 * Records an accepted upload as a queued receipt and sets *id. With an
 * idempotency key (scoped per user): the first request inserts and
 * returns DB_OK; a replay with the same request_hash inserts nothing,
 * sets *id to the original receipt and returns DB_EXISTS; a replay with
 * another request_hash returns DB_MISMATCH. A UNIQUE(user_id, idem_key)
 * constraint, not a lookup, makes this hold across processes.
 */
int db_receipt_insert(struct db *db, const struct db_receipt_new *n,
		      int64_t *id);

/* Reads receipt id into *out (DB_NOTFOUND if none). On success the caller
 * must db_receipt_release(out); on failure *out holds no allocations. */
int db_receipt_get(struct db *db, int64_t id, struct db_receipt *out);
void db_receipt_release(struct db_receipt *r);

/*
 * Calls cb for the user's receipts, newest first, with id < before_id (0
 * = from the newest), at most limit (capped at DB_LIST_MAX). The row is
 * valid only during the call. A non-zero return from cb stops the walk and
 * is returned as is (use a positive value to tell it from a db_err);
 * otherwise returns a db_err.
 */
int db_receipt_list(struct db *db, const char *user_id, int64_t before_id,
		    size_t limit, db_receipt_cb cb, void *arg);

/* As db_receipt_list(), for the receipts of every user in status st
 * (the review queue: DB_FLAGGED). */
int db_receipt_list_status(struct db *db, enum db_status st, int64_t before_id,
			   size_t limit, db_receipt_cb cb, void *arg);

/* Stores the parse result of a receipt: the receipt_to_json text, the
 * scalar fields and the content key (NULL when not all fields are known).
 * The status is unchanged; a decided receipt is refused (DB_INVALID). */
int db_receipt_set_parse(struct db *db, int64_t id, const struct receipt *r,
			 const char *parsed, const char *content_key);

/*
 * Records the final decision. Only a queued or processing receipt can be
 * decided (DB_INVALID otherwise), so a decision is never overwritten;
 * with o->review, only a flagged one, as credited or rejected.
 * Credited and flagged receipts own their image hash and content key:
 * a second owner is refused with DB_CONFLICT.
 */
int db_receipt_set_outcome(struct db *db, int64_t id,
			   const struct db_outcome *o);

/* Finds the receipt, other than exclude_id, that owns an image hash or a
 * content key: a credited or flagged one, or one of those queued to be
 * read again (db_queue_reprocess), which keeps what it owned while it
 * waits. Returns DB_OK and *orig, or DB_NOTFOUND. */
int db_receipt_find_image(struct db *db, const char *sha256, int64_t exclude_id,
			  int64_t *orig);
int db_receipt_find_content(struct db *db, const char *key, int64_t exclude_id,
			    int64_t *orig);

/* Finds the owner (as above), other than id, that records the
 * same TSE sale as id's parsed receipt (JSON "tse": transaction number
 * and signature counter equal, the serial equal at its first or last 8
 * characters). Returns DB_OK and *orig, or DB_NOTFOUND (also when id has
 * no TSE). */
int db_receipt_find_tse(struct db *db, int64_t id, int64_t *orig);

/*
 * Start-up recovery, before any claim: receipts left processing by a
 * crash go back to queued, except those that already had max_attempts
 * tries, which become failed ("attempts_exhausted") so one poisonous image
 * cannot crash the daemon forever. *requeued (may be NULL) counts the
 * former.
 */
int db_queue_recover(struct db *db, int max_attempts, int *requeued);

/* Atomically moves the oldest queued receipt to processing, counting the
 * attempt, and describes it in *job. DB_NOTFOUND when the queue is
 * empty. */
int db_queue_claim(struct db *db, struct db_job *job);

/* Puts a processing receipt back in the queue for another attempt. */
int db_queue_requeue(struct db *db, int64_t id);

/*
 * Puts up to limit receipts in status st (DB_FLAGGED or DB_FAILED; the
 * oldest first) back in the queue to be read again, as if just uploaded:
 * attempts, reasons and points cleared. The stored parse stays, and with
 * it what the receipt owns until it is settled again (an upload of the
 * same receipt meanwhile is its duplicate). Credited, rejected and duplicate
 * receipts are never touched, so a re-read cannot credit twice or undo a
 * review. *requeued counts them.
 */
int db_queue_reprocess(struct db *db, enum db_status st, int64_t limit,
		       int *requeued);

/* Gives up on a queued or processing receipt: status failed with the one
 * reason given (a short machine-friendly string). */
int db_queue_fail(struct db *db, int64_t id, const char *reason);

/*
 * Posts one credit transaction: a ledger_txn row and two postings that sum
 * to zero, and updates the cached balances. A second credit for the same
 * receipt or idem_key is refused with DB_CONFLICT. Postings are
 * append-only: the schema refuses UPDATE and DELETE.
 */
int db_ledger_credit(struct db *db, const struct db_credit *c, int64_t *txn_id);

/*
 * Posts any transaction (struct db_txn) with its lines, atomically, and
 * updates the cached balances. DB_CONFLICT when the idem_key was used, a
 * receipt is credited twice or a transaction reversed twice; DB_INVALID
 * when the customer balance would go negative (a schema CHECK).
 */
int db_ledger_post(struct db *db, const struct db_txn *t, int64_t *txn_id);

/* Sums postings or lines as described by q (struct db_sum). */
int db_ledger_sum(struct db *db, const struct db_sum *q, int64_t *sum);

/* The customer leg of the transaction with this idempotency key
 * (DB_NOTFOUND if none); out->lines is NULL. */
int db_ledger_find(struct db *db, const char *idem_key, struct db_posting *out);

/* Append-only per-user counters (punch card items, spend, activities):
 * add one event, or sum the amounts and count the events of a name since
 * a time (NULL = ever). at NULL = now. */
int db_event_add(struct db *db, const char *user_id, const char *name,
		 int64_t amount, int64_t txn_id, const char *at);
int db_event_sum(struct db *db, const char *user_id, const char *name,
		 const char *since, int64_t *sum, int64_t *count);

/* Vouchers: issue (code unique; DB_EXISTS and nothing written when its
 * idem_key was used), read by code or by issuing txn (code
 * NULL), list a user's newest first, and use one: DB_NOTFOUND for an
 * unknown code, DB_CONFLICT when it was used already, DB_INVALID when it
 * expired unused. */
int db_voucher_add(struct db *db, const struct db_voucher *v);
int db_voucher_get(struct db *db, const char *code, int64_t txn_id,
		   struct db_voucher *out);
int db_voucher_list(struct db *db, const char *user_id, db_voucher_cb cb,
		    void *arg);
int db_voucher_use(struct db *db, const char *code, const char *by,
		   const char *at);
/*
 * The vouchers credit_txn issued, when the reversal by_txn undoes it:
 * voids every unused one as of at (at NULL voids nothing: a replay only
 * counts), then counts those by_txn voided (*voided) and those used
 * before they could be (*used). A used voucher is never voided.
 */
int db_voucher_void(struct db *db, int64_t credit_txn, int64_t by_txn,
		    const char *at, int64_t *voided, int64_t *used);

/* Who referred a user: set once (DB_CONFLICT after), read (DB_NOTFOUND
 * when nobody did). */
int db_referral_add(struct db *db, const char *user_id,
		    const char *referred_by);
int db_referral_get(struct db *db, const char *user_id, char *by, size_t size);

/*
 * Paid memberships (append-only). db_membership_add() records one; the
 * idem_key is unique: DB_EXISTS when it is taken (nothing written).
 * db_membership_find() reads the one under idem_key (DB_NOTFOUND).
 * db_membership_end() gives the latest ends_at of any of the user's
 * memberships (DB_NOTFOUND when none). db_membership_active() gives the
 * membership active at `at` (starts_at <= at < ends_at), with ends_at
 * moved to the end of the unbroken run of same-tier memberships that
 * follows it (renewals), DB_NOTFOUND when none is active.
 */
int db_membership_add(struct db *db, const struct db_membership *m);
int db_membership_find(struct db *db, const char *idem_key,
		       struct db_membership *out);
int db_membership_end(struct db *db, const char *user_id,
		      char out[DB_TIME_LEN]);
int db_membership_active(struct db *db, const char *user_id, const char *at,
			 struct db_membership *out);

/* The cached balance of an account; 0 for an account never posted to. */
int db_ledger_balance(struct db *db, const char *account, int64_t *points);

/*
 * The breakdown lines of transaction txn_id, in the order they were
 * written, into out (at most max; more is DB_ERR). Sets *n.
 */
int db_ledger_lines(struct db *db, int64_t txn_id, struct db_line_row *out,
		    size_t max, size_t *n);

/* Appends, for every counter event of transaction txn_id, one with the
 * opposite amount tied to by_txn (a reversal undoes the punch card items
 * and spend its credit counted). at NULL = now. */
int db_event_negate(struct db *db, int64_t txn_id, int64_t by_txn,
		    const char *at);

/* Earned-before-cutoff and consumed points of account, for FIFO expiry
 * (struct db_expirable). */
int db_ledger_expirable(struct db *db, const char *account, const char *cutoff,
			struct db_expirable *out);

/* Calls cb for every customer account with a cached balance >= min_points
 * (user id without "user:"), in account order. A non-zero return from cb
 * stops the walk and is returned. */
int db_ledger_users(struct db *db, int64_t min_points, db_account_cb cb,
		    void *arg);

/* Credited receipts (credit transactions not reversed) of a user since
 * (NULL = ever): how many, and their totals in cents. */
int db_ledger_visits(struct db *db, const char *user_id, const char *since,
		     int64_t *visits, int64_t *spend);

/*
 * The programme figures of GET /v1/metrics/program as of now (UTC stamp;
 * NULL = the clock) as malloc'd JSON text in *json (caller frees): see
 * docs/api.md for its fields.
 */
int db_program_metrics(struct db *db, const char *now, char **json);

/* Calls cb for the account's postings, newest first, as
 * db_receipt_list(). */
int db_ledger_history(struct db *db, const char *account, int64_t before_id,
		      size_t limit, db_posting_cb cb, void *arg);

#endif
