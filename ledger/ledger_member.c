/*
 * ledger_member.c: paid memberships. A purchase is a fact over time
 * (db membership rows, append-only); it moves no points, so it is no
 * ledger transaction, but it is keyed and written in one transaction
 * like every other client request.
 */
#include <stdio.h>
#include <string.h>

#include "ledger_int.h"
#include "banned.h"

static int days_in(int year, int month) /* month 1..12 */
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* The n digits at s as a number; -1 when one is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* start ("YYYY-MM-DDTHH:MM:SSZ") + months calendar months, the day
 * clamped to the target month's last (31 January + 1 month = 28 or 29
 * February); the time of day is kept. */
static int add_months(const char *start, int64_t months, char out[DB_TIME_LEN])
{
	int y = digits(start, 4), mo = digits(start + 5, 2);
	int d = digits(start + 8, 2);
	int64_t m;

	if (strnlen(start, DB_TIME_LEN) != DB_TIME_LEN - 1 || y < 0 || mo < 1 ||
	    mo > 12 || d < 1)
		return LEDGER_ERR_INVALID;
	m = (int64_t)y * 12 + (mo - 1) + months;
	y = (int)(m / 12);
	mo = (int)(m % 12) + 1;
	if (d > days_in(y, mo))
		d = days_in(y, mo);
	/* Only the date changes: "THH:MM:SSZ" is copied as it is. */
	return snprintf(out, DB_TIME_LEN, "%04d-%02d-%02d%s", y, mo, d,
			start + 10) == DB_TIME_LEN - 1
		       ? LEDGER_OK
		       : LEDGER_ERR_INVALID;
}

static void answer(const struct db_membership *m, int already,
		   struct ledger_membership *out)
{
	snprintf(out->tier, sizeof(out->tier), "%s", m->tier);
	out->months = m->months;
	memcpy(out->starts_at, m->starts_at, sizeof(out->starts_at));
	memcpy(out->ends_at, m->ends_at, sizeof(out->ends_at));
	out->already = already;
}

/* Inside the open transaction: a new membership for k. */
static int record(struct db *db, const char *user_id, const char *tier,
		  int64_t months, const struct ledger_keyed *k,
		  const struct ledger_rules *rules, struct db_membership *m)
{
	const struct rules *p = rules->program;
	int t = p != NULL ? rules_tier_find(p, tier) : -1;
	char now[DB_TIME_LEN];
	int rc;

	if (t < 0)
		return LEDGER_ERR_NOTFOUND;
	if (!p->tier[t].membership)
		return LEDGER_ERR_STATE;
	memset(m, 0, sizeof(*m));
	snprintf(m->user_id, sizeof(m->user_id), "%s", user_id);
	snprintf(m->tier, sizeof(m->tier), "%s", tier);
	snprintf(m->idem_key, sizeof(m->idem_key), "%s", k->key);
	m->months = months;
	ledger_stamp(rules, 0, 0, now);
	memcpy(m->created_at, now, sizeof(now));
	/* A renewal starts where the paid time ends, never in the past. */
	rc = db_membership_end(db, user_id, m->starts_at);
	if (rc == DB_NOTFOUND || (rc == DB_OK && strcmp(m->starts_at, now) < 0))
		memcpy(m->starts_at, now, sizeof(now));
	else if (rc != DB_OK)
		return ledger_from_db(rc);
	rc = add_months(m->starts_at, months, m->ends_at);
	if (rc != LEDGER_OK)
		return rc;
	rc = db_membership_add(db, m);
	/* DB_EXISTS cannot happen under the write lock that found no row. */
	return rc == DB_EXISTS ? LEDGER_ERR_CONFLICT : ledger_from_db(rc);
}

int ledger_membership(struct db *db, const char *user_id, const char *tier,
		      int64_t months, const char *idem_key,
		      const struct ledger_rules *rules,
		      struct ledger_membership *out)
{
	struct ledger_keyed k;
	struct db_posting p;
	struct db_membership m;
	int rc;

	memset(out, 0, sizeof(*out));
	if (months < 1 || months > LEDGER_MEMBERSHIP_MAX_MONTHS)
		return LEDGER_ERR_INVALID;
	rc = ledger_keyed_begin(db, "membership:", user_id, tier, idem_key, &k,
				&p);
	/* No posting carries a "membership:" key; either way the
	 * transaction is open now. */
	if (rc != LEDGER_OK && rc != LEDGER_ERR_NOTFOUND)
		return rc;
	rc = ledger_from_db(db_membership_find(db, k.key, &m));
	if (rc == LEDGER_OK) {
		rc = strcmp(m.tier, tier) == 0 && m.months == months
			     ? LEDGER_OK
			     : LEDGER_ERR_MISMATCH;
		if (rc == LEDGER_OK)
			answer(&m, 1, out);
		return ledger_end(db, rc, 1);
	}
	if (rc == LEDGER_ERR_NOTFOUND)
		rc = record(db, user_id, tier, months, &k, rules, &m);
	rc = ledger_end(db, rc, 0);
	if (rc == LEDGER_OK)
		answer(&m, 0, out);
	return rc;
}
