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
	int rc;

	memset(out, 0, sizeof(*out));
	out->tier = out->next = -1;
	rc = ledger_account(user_id, account, sizeof(account));
	if (rc != LEDGER_OK || p == NULL || p->ntiers == 0)
		return rc;
	ledger_stamp(rules, 12, 0, since);
	rc = ledger_from_db(
		ledger_rolling_points(db, account, since, &out->rolling));
	if (rc != LEDGER_OK) {
		memset(out, 0, sizeof(*out));
		out->tier = out->next = -1;
		return rc;
	}
	out->tier = rules_tier_of(p, out->rolling);
	/* The next tier points can reach: membership tiers are bought. */
	for (size_t i = (size_t)(out->tier + 1); i < p->ntiers; i++)
		if (!p->tier[i].membership) {
			out->next = (int)i;
			out->to_next = p->tier[i].min_points - out->rolling;
			break;
		}
	return LEDGER_OK;
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
