/*
 * award.h: what a receipt earns under a rule set. Pure: a parsed receipt
 * and what the ledger knows about the customer (tier, punch card
 * progress, cumulative spend, points already given today and this month)
 * in; points per rule, punch progress and vouchers out. No I/O, so every
 * rule kind is tested without a database.
 */
#ifndef RD_AWARD_H
#define RD_AWARD_H

#include <stddef.h>
#include <stdint.h>

#include "receipt.h"
#include "rules.h"

#define AWARD_LINE_MAX 40 /* "tier:" + a tier name */
#define AWARD_MAX_LINES (RULES_MAX_RULES + 1)
/* Per rule and receipt; progress past it earns nothing more. */
#define AWARD_MAX_VOUCHERS_PER_RULE 16
#define AWARD_MAX_VOUCHERS 32

/* The customer's state before this receipt, read in the same database
 * transaction that will post the award. */
struct award_ctx {
	int tier;	      /* rules_tier_of(), -1 for none */
	int64_t spend_before; /* credited spend in cents (cashback) */
	int64_t punch_before[RULES_MAX_RULES]; /* items, per punchcard rule */
	int64_t used_day[RULES_MAX_RULES];     /* points per rule, today */
	int64_t used_month[RULES_MAX_RULES];   /* and this month (UTC) */
	int64_t total_day, total_month;	       /* all rules together */
};

struct award_line {
	char rule[AWARD_LINE_MAX + 1];
	int64_t points; /* > 0 */
};

struct award_voucher {
	char rule[RULES_NAME_MAX + 1];	 /* the punchcard or cashback rule */
	char reward[RULES_NAME_MAX + 1]; /* punchcard: its reward */
	int64_t value;			 /* cashback: cents; else 0 */
};

struct award {
	struct award_line line[AWARD_MAX_LINES];
	size_t nlines;
	int64_t points;			    /* sum of the lines */
	int64_t punch_add[RULES_MAX_RULES]; /* items counted per rule */
	int64_t spend;			    /* cents counted for cashback */
	struct award_voucher voucher[AWARD_MAX_VOUCHERS];
	size_t nvouchers;
};

/*
 * Computes the award for receipt rc (its total must be > 0) under rules:
 *  1. base: the base rule for the receipt's store, else the global one:
 *     floor(total * points_per_eur / 100);
 *  2. multiplier: floor(matching item amounts * base rate * (factor - 1)
 *     / 100), the extra over the base those items already earned;
 *  3. category: floor(matching item amounts * points_per_eur / 100);
 *  4. campaign: floor(base * (factor - 1)) plus its flat points;
 *  5. tier: floor(base * (tier factor - 1)), as line "tier:NAME";
 *  then each line is capped by its rule's caps (receipt, and day and month
 *  from ctx), and the sum by the programme's caps, cutting the last lines
 *  first. A rule applies only inside its window and for its store.
 * Punch cards count matching items (a weighed item counts once) and
 * cashback counts the total; both issue vouchers as thresholds are
 * crossed. Always succeeds; *out is overwritten.
 */
void award_receipt(const struct rules *rules, const struct receipt *rc,
		   const struct award_ctx *ctx, struct award *out);

/* Points of amount cents at a rate in points per EUR times a factor in
 * permille, rounded down; 0 for non-positive input. */
int64_t award_points(int64_t cents, int64_t ppe, int64_t permille);

#endif
