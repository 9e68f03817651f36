/*
 * ledger.h: the only code that writes money. Points live in a double-entry
 * ledger: every transaction credits a customer account ("user:<id>") and
 * debits the programme account ("program") by the same whole number of
 * points, so all postings always sum to zero. Postings are append-only
 * (the schema refuses UPDATE and DELETE) and a receipt can be credited at
 * most once (a unique key, not a check in code).
 *
 * Everything here runs in the single writer (the supervisor).
 */
#ifndef RD_LEDGER_H
#define RD_LEDGER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "db.h"
#include "dedup.h"
#include "receipt.h"
#include "rules.h"

#define LEDGER_RULE_POINTS_PER_EUR "points_per_eur"
#define LEDGER_DEFAULT_POINTS_PER_EUR 1
#define LEDGER_MAX_POINTS_PER_EUR 1000
/* A receipt total above 1,000,000.00 is a misread, not a purchase; the
 * bound also keeps total * rate far from int64_t overflow. */
#define LEDGER_MAX_TOTAL_CENTS 100000000LL
#define LEDGER_MAX_REASONS 4
#define LEDGER_REASON_LEN FRAUD_REASON_LEN

enum ledger_err {
	LEDGER_OK = 0,
	LEDGER_ERR_INVALID = -1,  /* bad rules or arguments */
	LEDGER_ERR_NOTFOUND = -2, /* no such receipt */
	LEDGER_ERR_BUSY = -3,	  /* database locked: retry later */
	LEDGER_ERR_CONFLICT = -4, /* lost a uniqueness race: retry decides */
	LEDGER_ERR_NOMEM = -5,
	LEDGER_ERR_DB = -6,	  /* see db_errmsg() */
	LEDGER_ERR_FUNDS = -7,	  /* balance below the price */
	LEDGER_ERR_MISMATCH = -8, /* idempotency key reused otherwise */
	LEDGER_ERR_STATE = -9,	  /* not in a state that allows it */
	LEDGER_ERR_CAP = -10,	  /* a cap of the programme is reached */
	LEDGER_ERR_CYCLE = -11,	  /* self-referral or a referral cycle */
	LEDGER_ERR_EXISTS = -12,  /* set once, and set already */
};

/* The loyalty rules, from the config file. */
struct ledger_rules {
	int64_t points_per_eur; /* 0 .. LEDGER_MAX_POINTS_PER_EUR */
	/* Receipts printed in another currency are flagged, not credited;
	 * "" credits any currency as if it were this one. A receipt whose
	 * currency was not read is taken to be in this currency. */
	char currency[4];
	/* A total that no other printed figure backs (struct receipt.backed)
	 * on a receipt read with a confidence under this many per cent is
	 * flagged "unconfirmed_total" for review, not credited; 0 (the
	 * default here) credits it. 0 .. 100. */
	int review_below;
	/* The programme (rules.h); NULL credits points_per_eur alone, as
	 * one "points_per_eur" posting. Not owned. */
	const struct rules *program;
	time_t now; /* 0 = the clock; tests travel in time with it */
};

/* What ledger_settle() decided. */
struct ledger_outcome {
	enum db_status status; /* credited, flagged or duplicate (or an
				* earlier final state when already) */
	int64_t points;	       /* credited points; 0 otherwise */
	int64_t original_id;   /* for duplicates: the receipt copied */
	int already; /* 1: settled before; this call changed nothing */
	size_t nreasons;
	char reasons[LEDGER_MAX_REASONS][LEDGER_REASON_LEN];
};

/* Sets the defaults: 1 point per EUR, EUR only. */
void ledger_rules_init(struct ledger_rules *rules);

/*
 * Points for a receipt total in cents: floor(total * points_per_eur /
 * 100), rounded down per receipt. 0 for a total <= 0.
 */
int64_t ledger_points(int64_t total_cents, int64_t points_per_eur);

/* Writes "user:<user_id>" into buf. Returns 0, or LEDGER_ERR_INVALID when
 * the user id is empty or too long. */
int ledger_account(const char *user_id, char *buf, size_t size);

/*
 * Settles a parsed receipt in ONE database transaction: stores the parse
 * result (parsed_json is receipt_to_json text; NULL builds it from r),
 * runs the duplicate checks, decides the status (duplicate, flagged with
 * "no_total" and the like, or credited), posts the credit when points > 0
 * and records the decision on the receipt. A total under one point is
 * credited with 0 points and posts nothing.
 *
 * Idempotent: for a receipt already in a final state it changes nothing
 * and reports the recorded outcome with out->already = 1, so a retry or
 * restart can never credit twice. Returns LEDGER_OK, or a negative
 * ledger_err after rolling everything back (*out is then zeroed).
 */
int ledger_settle(struct db *db, int64_t receipt_id, const struct receipt *r,
		  const char *parsed_json, const struct ledger_rules *rules,
		  struct ledger_outcome *out);

/* Reasons a review adds to a flagged receipt's (ledger_review()). */
#define LEDGER_APPROVED "approved_by_staff"
#define LEDGER_REJECTED "rejected_by_staff"

/*
 * Staff decide a flagged receipt, in ONE database transaction. Approved,
 * it is credited as ledger_settle() credits (the programme's rules on the
 * stored parse), with total (cents) in place of the total read unless
 * total is RECEIPT_UNKNOWN; rejected, it becomes rejected and earns
 * nothing. The flag's reasons stay; LEDGER_APPROVED or LEDGER_REJECTED
 * (and "total_set_by_staff N") are added.
 *
 * The same decision again changes nothing and reports the recorded one
 * with out->already = 1. Returns LEDGER_OK, LEDGER_ERR_NOTFOUND,
 * LEDGER_ERR_STATE (the receipt is not flagged, or was decided the other
 * way), LEDGER_ERR_INVALID (a total with a rejection, a total not in
 * 1 .. LEDGER_MAX_TOTAL_CENTS, or an approval where no total was read and
 * none is given), or another ledger_err after rolling back.
 */
int ledger_review(struct db *db, int64_t receipt_id, int approved,
		  int64_t total, const struct ledger_rules *rules,
		  struct ledger_outcome *out);

/* The user's points from the cached balance (0 for a new user). */
int ledger_balance(struct db *db, const char *user_id, int64_t *points);

/*
 * Calls cb for the user's postings, newest first, each with its receipt id
 * and rule, as db_ledger_history(): id < before_id (0 = newest), at most
 * limit (capped at DB_LIST_MAX). A non-zero return from cb stops the walk;
 * a positive one is returned as is. Otherwise returns a ledger_err.
 */
int ledger_history(struct db *db, const char *user_id, int64_t before_id,
		   size_t limit, db_posting_cb cb, void *arg);

/* An idempotency key of a redemption: 1-128 bytes, printable ASCII. */
#define LEDGER_IDEM_KEY_MAX 128

/* A redemption made (or found again) by ledger_redeem(). */
struct ledger_redemption {
	int64_t txn_id;
	int64_t points;	 /* the price paid, > 0 */
	int64_t balance; /* the user's points after it */
	char reward[DB_LINE_RULE_MAX + 1];
	char code[DB_CODE_MAX + 1]; /* the voucher */
	char issued_at[DB_TIME_LEN];
	int already; /* 1: a replay; this call changed nothing */
};

/*
 * Spends the user's points on a reward of rules->program's catalogue, in
 * ONE write transaction: a "redemption" transaction (user -price, program
 * +price) and a voucher (source "redemption") for the reward.
 *
 * Idempotent per (user, idem_key): a replay with the same reward changes
 * nothing and reports the first redemption with out->already = 1, even
 * after the reward left the catalogue; with another reward it returns
 * LEDGER_ERR_MISMATCH. Returns LEDGER_OK, LEDGER_ERR_NOTFOUND (no such
 * reward, or no programme), LEDGER_ERR_FUNDS (balance below the price),
 * LEDGER_ERR_INVALID (bad user, reward or key), LEDGER_ERR_BUSY, or
 * another ledger_err; on any error nothing is written and *out is zeroed.
 */
int ledger_redeem(struct db *db, const char *user_id, const char *reward,
		  const char *idem_key, const struct ledger_rules *rules,
		  struct ledger_redemption *out);

/* Where a user stands in the programme's tiers. */
struct ledger_tier_status {
	int64_t rolling; /* points earned in the rolling 12 months */
	int tier;	 /* the effective tier: index into program->tier;
			  * -1: none */
	int points_tier; /* the tier the rolling points reach; -1: none */
	int membership;	 /* the active paid membership's tier; -1: none */
	char until[DB_TIME_LEN]; /* when the membership (with its
				  * renewals) ends; "" without one */
	int next;	 /* the next tier points can reach above points_tier
		   * (membership tiers skipped); -1: none */
	int64_t to_next; /* points still to earn for next; 0 when none */
};

/*
 * The user's tier under rules->program as the award engine reckons it at
 * rules->now (the clock when 0): the higher of the tier the points earned
 * in the 12 months before reach and the tier of a paid membership active
 * then (a membership whose tier left the programme, or is no longer a
 * membership tier, counts for nothing). Without a programme or tiers:
 * all tiers -1. Returns a ledger_err; *out is zeroed (tiers -1) on error.
 */
int ledger_tier(struct db *db, const char *user_id,
		const struct ledger_rules *rules,
		struct ledger_tier_status *out);

/* A paid membership recorded (or found again) by ledger_membership(). */
struct ledger_membership {
	char tier[RULES_NAME_MAX + 1];
	int64_t months;
	char starts_at[DB_TIME_LEN]; /* UTC, inclusive */
	char ends_at[DB_TIME_LEN];   /* UTC, exclusive */
	int already;		     /* 1: a replay of idem_key */
};

#define LEDGER_MEMBERSHIP_MAX_MONTHS 36

/*
 * Records that user_id paid for months (1..36) of the membership tier
 * `tier` (a `membership = yes` tier of rules->program), in one write
 * transaction. The membership starts at the later of rules->now (the
 * clock when 0) and the end of the user's latest membership, so a
 * renewal extends it, and ends `months` calendar months later (a day
 * past the target month's end is clamped to its last day).
 *
 * Idempotent per (user, idem_key): the same tier and months again change
 * nothing and report the first with out->already = 1 (even after the
 * tier left the programme); anything else under the key is
 * LEDGER_ERR_MISMATCH. Returns LEDGER_OK, LEDGER_ERR_NOTFOUND (no such
 * tier, or no programme), LEDGER_ERR_STATE (a tier reached by points,
 * not sold), LEDGER_ERR_INVALID (bad user, tier, months or key),
 * LEDGER_ERR_BUSY or another ledger_err; on error nothing is written.
 */
int ledger_membership(struct db *db, const char *user_id, const char *tier,
		      int64_t months, const char *idem_key,
		      const struct ledger_rules *rules,
		      struct ledger_membership *out);

/* A punch card's state for one user (ledger_punchcards()). */
struct ledger_punchcard {
	const struct rules_rule *rule; /* kind RULES_PUNCHCARD */
	int64_t count;		       /* matching items ever counted */
	int64_t vouchers;	       /* cards completed: count / every */
	int64_t progress;	       /* on the current card: count % every */
	int64_t remaining;	       /* items to the next voucher */
};
typedef int (*ledger_punchcard_cb)(const struct ledger_punchcard *pc,
				   void *arg);

/*
 * Calls cb for each punchcard rule of program (NULL: none) in file order.
 * A non-zero return from cb stops the walk and is returned (use a positive
 * value); otherwise returns a ledger_err.
 */
int ledger_punchcards(struct db *db, const char *user_id,
		      const struct rules *program, ledger_punchcard_cb cb,
		      void *arg);

/* ---- corrections: ledger_reverse.c ---- */

#define LEDGER_REVERSE_REASON_MAX 31

/* A reversal made (or found again) by ledger_reverse(). */
struct ledger_reversal {
	int64_t txn_id;	  /* the reversal */
	int64_t reverses; /* the credit it undoes */
	int64_t receipt_id;
	char user[DB_USER_ID_MAX + 1];
	int64_t credited;  /* what the credit gave */
	int64_t points;	   /* what was taken back: 0 < points <= credited */
	int64_t shortfall; /* credited - points: spent before the reversal */
	int64_t balance;   /* the user's points after it */
	char reason[LEDGER_REVERSE_REASON_MAX + 1];
	char created_at[DB_TIME_LEN];
	/* The vouchers the credit issued (punch card, cashback): voided
	 * unused, or used before the reversal (kept; staff may follow up). */
	int64_t vouchers_voided;
	int64_t vouchers_used;
	int already; /* 1: a replay; this call changed nothing */
};

/*
 * Undoes the credit of receipt_id in ONE transaction, never by an update:
 * a "reversal" transaction whose lines are the credit's lines negated,
 * and counter events that take back the punch card items and spend it
 * counted. The customer balance never goes negative: when part of the
 * points was spent already, the reversal takes back what is left and
 * records the rest as a positive line "reversal:shortfall" (the debt is
 * written off, as card schemes do with a clawback). The vouchers the
 * credit issued are voided when unused (db_voucher_void()); used ones
 * are counted in out->vouchers_used. The receipt stays
 * decided, so it can never be credited again (one credit per receipt is
 * a unique key), and a credit is reversed at most once (another).
 *
 * reason: 1-31 of [a-z_] ("fraud", "duplicate", "correction"...).
 * Idempotent per receipt: a second call reports the first reversal with
 * out->already = 1. Returns LEDGER_OK, LEDGER_ERR_NOTFOUND (no such
 * receipt), LEDGER_ERR_STATE (no credit with points to undo),
 * LEDGER_ERR_FUNDS (every point of it was spent: nothing to take back),
 * LEDGER_ERR_INVALID, LEDGER_ERR_BUSY or another ledger_err.
 */
int ledger_reverse(struct db *db, int64_t receipt_id, const char *reason,
		   const struct ledger_rules *rules,
		   struct ledger_reversal *out);

/* ---- activities and referrals: ledger_activity.c ---- */

/* An activity bonus posted (or found again) by ledger_activity(). */
struct ledger_activity {
	int64_t txn_id;
	int64_t points;
	int64_t balance;
	char kind[RULES_NAME_MAX + 1];
	char created_at[DB_TIME_LEN];
	int already;
};

/*
 * Pays the [activity KIND] bonus of rules->program to the user in ONE
 * transaction ("activity", line "activity:KIND"), if the activity's caps
 * (occurrences per UTC day, month, ever) allow one more. Idempotent per
 * (user, idem_key): a replay with the same kind reports the first
 * answer; with another kind LEDGER_ERR_MISMATCH. Returns LEDGER_OK,
 * LEDGER_ERR_NOTFOUND (no such activity), LEDGER_ERR_CAP (cap reached:
 * nothing written), LEDGER_ERR_INVALID or another ledger_err.
 */
int ledger_activity(struct db *db, const char *user_id, const char *kind,
		    const char *idem_key, const struct ledger_rules *rules,
		    struct ledger_activity *out);

/*
 * Records that referred_by brought user_id. Refused: a self-referral or
 * one that would close a cycle (LEDGER_ERR_CYCLE), a user already
 * referred (LEDGER_ERR_EXISTS), a user who already has a credited receipt
 * (LEDGER_ERR_STATE: the bonus is for bringing new customers). Both are
 * paid later, once, by the credit of the referee's first receipt.
 */
int ledger_referral(struct db *db, const char *user_id,
		    const char *referred_by);

/*
 * Inside the caller's transaction, after the credit of receipt_id: pays
 * rules->program's referral_referee to user and referral_referrer to the
 * one who referred them, as two "referral" transactions, unless they were
 * paid before (their idempotency keys make this exactly once). Nothing
 * when the user was not referred. *paid (may be NULL) gets the points
 * this call paid to the user.
 */
int ledger_referral_pay(struct db *db, int64_t receipt_id, const char *user,
			const struct ledger_rules *rules, int64_t *paid);

/* ---- the periodic job: ledger_jobs.c ---- */

/* What one run of ledger_expire() or ledger_coupons() did. */
struct ledger_job {
	char now[DB_TIME_LEN];
	char cutoff[DB_TIME_LEN]; /* expiry: earned before this expires */
	int64_t users;		  /* users given a posting or voucher */
	int64_t points;		  /* points expired */
	int64_t vouchers;	  /* coupons issued */
};

/*
 * Expires points earned more than program->expiry_months before
 * rules->now (the clock when 0), oldest first: for each customer, what
 * was earned before the cutoff, less what redemptions and earlier expiries
 * consumed (they spend the oldest points first), is posted as an "expiry"
 * transaction. Running it again expires nothing more. Customers are
 * committed in batches (JOB_BATCH). Without a programme or with
 * expiry_months 0 it does nothing.
 */
int ledger_expire(struct db *db, const struct ledger_rules *rules,
		  struct ledger_job *out);

/*
 * Issues the [coupon NAME] vouchers of rules->program (source "coupon")
 * to every customer in the coupon's segment, at most once per customer,
 * coupon and period (a unique key on the voucher).
 */
int ledger_coupons(struct db *db, const struct ledger_rules *rules,
		   struct ledger_job *out);

#endif
