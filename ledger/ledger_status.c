/*
 * ledger_status.c: what a customer can see of their standing: the tier
 * and the points to the next one, and the punch cards. Read-only; the
 * numbers are reckoned as the award engine reckons them.
 */
#include <string.h>

#include "ledger_int.h"
#include "banned.h"

int ledger_tier(struct db *db, const char *user_id,
		const struct ledger_rules *rules,
		struct ledger_tier_status *out)
{
	const struct rules *p = rules != NULL ? rules->program : NULL;
	char account[DB_ACCOUNT_MAX + 1], since[DB_TIME_LEN];
	struct db_membership m;
	int rc;

	memset(out, 0, sizeof(*out));
	out->tier = out->next = out->points_tier = out->membership = -1;
	rc = ledger_account(user_id, account, sizeof(account));
	if (rc != LEDGER_OK || p == NULL || p->ntiers == 0)
		return rc;
	ledger_stamp(rules, 12, 0, since);
	rc = ledger_from_db(
		ledger_rolling_points(db, account, since, &out->rolling));
	out->points_tier = rules_tier_of(p, out->rolling);
	if (rc == LEDGER_OK)
		rc = ledger_from_db(ledger_effective_tier(
			db, user_id, rules, out->points_tier, &out->tier, &m));
	if (rc != LEDGER_OK) {
		memset(out, 0, sizeof(*out));
		out->tier = out->next = out->points_tier = out->membership = -1;
		return rc;
	}
	if (m.tier[0] != '\0') {
		out->membership = rules_tier_find(p, m.tier);
		memcpy(out->until, m.ends_at, sizeof(out->until));
	}
	/* The next tier points can reach: membership tiers are bought. */
	for (size_t i = (size_t)(out->points_tier + 1); i < p->ntiers; i++)
		if (!p->tier[i].membership) {
			out->next = (int)i;
			out->to_next = p->tier[i].min_points - out->rolling;
			break;
		}
	return LEDGER_OK;
}

int ledger_effective_tier(struct db *db, const char *user,
			  const struct ledger_rules *rules, int points_tier,
			  int *tier, struct db_membership *m)
{
	const struct rules *p = rules->program;
	char now[DB_TIME_LEN];
	int sold = 0, t, rc;

	memset(m, 0, sizeof(*m));
	*tier = points_tier;
	for (size_t i = 0; p != NULL && i < p->ntiers; i++)
		sold |= p->tier[i].membership;
	if (!sold)
		return DB_OK;
	ledger_stamp(rules, 0, 0, now);
	rc = db_membership_active(db, user, now, m);
	if (rc == DB_NOTFOUND) {
		memset(m, 0, sizeof(*m));
		return DB_OK;
	}
	if (rc != DB_OK)
		return rc;
	/* A tier dropped from the rules (or made a points tier) since the
	 * purchase gives nothing; the row stays as the fact it is. */
	t = rules_tier_find(p, m->tier);
	if (t < 0 || !p->tier[t].membership) {
		memset(m, 0, sizeof(*m));
		return DB_OK;
	}
	if (t > *tier)
		*tier = t;
	return DB_OK;
}

int ledger_punchcards(struct db *db, const char *user_id,
		      const struct rules *program, ledger_punchcard_cb cb,
		      void *arg)
{
	char name[DB_EVENT_MAX + 1];
	struct ledger_punchcard pc;
	int64_t n;
	int rc = LEDGER_OK;

	if (user_id == NULL || user_id[0] == '\0' ||
	    strnlen(user_id, DB_USER_ID_MAX + 1) > DB_USER_ID_MAX)
		return LEDGER_ERR_INVALID;
	for (size_t i = 0; program != NULL && i < program->nrules; i++) {
		const struct rules_rule *r = &program->rule[i];

		if (r->kind != RULES_PUNCHCARD || r->every <= 0)
			continue;
		memset(&pc, 0, sizeof(pc));
		pc.rule = r;
		rc = ledger_counter_name(r, name, sizeof(name));
		if (rc == LEDGER_OK)
			rc = ledger_from_db(db_event_sum(db, user_id, name,
							 NULL, &pc.count, &n));
		if (rc != LEDGER_OK)
			return rc;
		pc.vouchers = pc.count / r->every;
		pc.progress = pc.count % r->every;
		pc.remaining = r->every - pc.progress;
		rc = cb(&pc, arg);
		if (rc != 0)
			return rc;
	}
	return LEDGER_OK;
}
