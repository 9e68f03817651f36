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

/* An idempotency key from a client: 1-LEDGER_IDEM_KEY_MAX bytes of
 * printable ASCII without spaces. */
int ledger_idem_key_ok(const char *k);

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
