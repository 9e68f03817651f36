/*
 * ledger_int.h: private to the ledger module: the error mapping and the UTC time
 * stamps every ledger file needs.
 */
#ifndef RD_LEDGER_INT_H
#define RD_LEDGER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "ledger.h"

/*
 * Ends a write transaction: commits when rc is LEDGER_OK and this was not
 * a replay, else rolls back. Returns rc, or the commit's error.
 */
int ledger_end(struct db *db, int rc, int replay);

/* ledger_end() for a call on one receipt: also zeroes the caller's answer
 * (out, size bytes) when it failed, and releases row. */
int ledger_end_receipt(struct db *db, int rc, int replay, void *out,
		       size_t size, struct db_receipt *row);

/* A client request keyed per user (redemptions, activities). */
struct ledger_keyed {
	char account[DB_ACCOUNT_MAX + 1];
	char key[DB_IDEM_KEY_MAX + 1]; /* PREFIX<user>:<idem_key> */
};

/*
 * Checks name (1-RULES_NAME_MAX bytes) and idem_key, fills k, begins the
 * write transaction and looks the key up. Returns LEDGER_OK with *p (a
 * replay) or LEDGER_ERR_NOTFOUND (a new request), both with the
 * transaction open for ledger_end(); any other error with nothing open.
 */
int ledger_keyed_begin(struct db *db, const char *prefix, const char *user_id,
		       const char *name, const char *idem_key,
		       struct ledger_keyed *k, struct db_posting *p);

/* Maps a db_err to a ledger_err. */
int ledger_from_db(int rc);

/*
 * Writes the UTC time stamp "YYYY-MM-DDTHH:MM:SSZ" of now (rules->now, or
 * the clock when that is 0) moved back by months_back months, or of the
 * start of its day (unit 'd') or month (unit 'm'); unit 0 = the instant.
 */
void ledger_stamp(const struct ledger_rules *rules, int months_back, char unit,
		  char out[DB_TIME_LEN]);

/* The counter a punchcard ("punch:NAME") or cashback ("spend") rule
 * keeps per user in the events table. */
int ledger_counter_name(const struct rules_rule *r, char *buf, size_t size);

/* Points account earned since (rolling 12 months for tiers): credits,
 * activities, referrals, less what reversals took back. Returns a
 * db_err. */
int ledger_rolling_points(struct db *db, const char *account, const char *since,
			  int64_t *out);

/*
 * The effective tier at rules->now: *tier = the higher of points_tier
 * and the tier of the user's active paid membership (m gets it; zeroed
 * without one). Queries nothing when the programme sells no tier.
 * Returns a db_err.
 */
int ledger_effective_tier(struct db *db, const char *user,
			  const struct ledger_rules *rules, int points_tier,
			  int *tier, struct db_membership *m);

/* A fresh random voucher code (12 of Crockford's base 32). */
int ledger_voucher_code(char *buf, size_t size);

/*
 * Credits receipt_id of user under rules->program inside the caller's
 * transaction: the award, its lines and rule-set version, the punch and
 * spend counters and the vouchers. Sets *points (0 posts no transaction).
 */
int ledger_credit_program(struct db *db, int64_t receipt_id, const char *user,
			  const struct receipt *r,
			  const struct ledger_rules *rules, int64_t *points);

#endif
