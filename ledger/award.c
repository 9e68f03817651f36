/*
 * award.c: the rule engine. Every computation is integer arithmetic on
 * bounded inputs (totals up to 1,000,000.00, rates up to 1000 points per
 * EUR, factors up to 100x), so no product can overflow int64_t.
 */
#include <stdio.h>
#include <string.h>

#include "award.h"
#include "banned.h"

#define MAX_CENTS 100000000LL

int64_t award_points(int64_t cents, int64_t ppe, int64_t permille)
{
	if (cents <= 0 || ppe <= 0 || permille <= 0)
		return 0;
	if (cents > MAX_CENTS)
		cents = MAX_CENTS;
	return cents * ppe * permille / 100000;
}

static int applies(const struct rules_rule *rule, const struct receipt *rc)
{
	if (rule->store[0] && strcmp(rule->store, rc->store) != 0)
		return 0;
	return rules_window_open(&rule->window, rc->date, rc->time);
}

/* The store's own base rule wins over the global one. */
static const struct rules_rule *base_rule(const struct rules *rules,
					  const struct receipt *rc)
{
	const struct rules_rule *global = NULL;

	for (size_t i = 0; i < rules->nrules; i++) {
		const struct rules_rule *r = &rules->rule[i];

		if (r->kind != RULES_BASE)
			continue;
		if (r->store[0] && strcmp(r->store, rc->store) == 0)
			return r;
		if (!r->store[0])
			global = r;
	}
	return global;
}

static void add_line(struct award *out, const char *prefix, const char *name,
		     int64_t points)
{
	struct award_line *l;

	if (points <= 0 || out->nlines == AWARD_MAX_LINES)
		return;
	l = &out->line[out->nlines++];
	snprintf(l->rule, sizeof(l->rule), "%s%s", prefix, name);
	l->points = points;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* What is left under a cap already partly used; never negative. */
static int64_t room(int64_t cap, int64_t used)
{
	return cap == RULES_NO_CAP ? INT64_MAX : cap > used ? cap - used : 0;
}

static int64_t capped(const struct rules_caps *c, int64_t day, int64_t month,
		      int64_t points)
{
	points = min64(points, room(c->receipt, 0));
	points = min64(points, room(c->day, day));
	return min64(points, room(c->month, month));
}

/* Matching items: the amount and the count (a weighed item counts 1). */
static void matching(const struct rules_rule *rule, const struct receipt *rc,
		     int64_t *cents, int64_t *count)
{
	*cents = 0;
	*count = 0;
	for (size_t i = 0; i < rc->nitems; i++) {
		const struct receipt_item *it = &rc->items[i];

		if (it->kind != RECEIPT_ITEM || it->amount <= 0 ||
		    !rules_match(rule, it->name))
			continue;
		*cents += min64(it->amount, MAX_CENTS);
		*count += it->qty_milli >= 2000 ? it->qty_milli / 1000 : 1;
	}
	*cents = min64(*cents, MAX_CENTS);
}

static void voucher(struct award *out, const struct rules_rule *rule,
		    int64_t before, int64_t add, int64_t every)
{
	int64_t n = (before + add) / every - before / every;

	for (int64_t i = 0; i < n && i < AWARD_MAX_VOUCHERS_PER_RULE &&
			    out->nvouchers < AWARD_MAX_VOUCHERS;
	     i++) {
		struct award_voucher *v = &out->voucher[out->nvouchers++];

		snprintf(v->rule, sizeof(v->rule), "%s", rule->name);
		snprintf(v->reward, sizeof(v->reward), "%s", rule->reward);
		v->value = rule->kind == RULES_CASHBACK ? rule->value : 0;
	}
}

/* One rule's points before caps; vouchers and progress on the side. */
static int64_t rule_points(const struct rules_rule *r, const struct receipt *rc,
			   int64_t base_ppe, int64_t base_points,
			   const struct award_ctx *ctx, size_t idx,
			   struct award *out)
{
	int64_t cents, count;

	switch (r->kind) {
	case RULES_BASE:
		return 0; /* done by the caller: one base rule per receipt */
	case RULES_MULTIPLIER:
		matching(r, rc, &cents, &count);
		return r->factor > 1000
			       ? award_points(cents, base_ppe, r->factor - 1000)
			       : 0;
	case RULES_CATEGORY:
		matching(r, rc, &cents, &count);
		return award_points(cents, r->ppe, 1000);
	case RULES_CAMPAIGN:
		return (r->factor > 1000
				? base_points * (r->factor - 1000) / 1000
				: 0) +
		       r->points;
	case RULES_PUNCHCARD:
		matching(r, rc, &cents, &count);
		out->punch_add[idx] = count;
		voucher(out, r, ctx->punch_before[idx], count, r->every);
		return 0;
	case RULES_CASHBACK:
		out->spend = min64(rc->total, MAX_CENTS);
		voucher(out, r, ctx->spend_before, out->spend, r->every);
		return 0;
	case RULES_NKINDS:
		break;
	}
	return 0;
}

/* Programme caps on the sum: the last lines give way first. */
static void cap_total(const struct rules *rules, const struct award_ctx *ctx,
		      struct award *out)
{
	int64_t sum = 0, allowed, excess;
	size_t j = 0;

	for (size_t i = 0; i < out->nlines; i++)
		sum += out->line[i].points;
	allowed = capped(&rules->caps, ctx->total_day, ctx->total_month, sum);
	excess = sum - allowed;
	for (size_t i = out->nlines; i-- > 0 && excess > 0;) {
		int64_t cut = min64(excess, out->line[i].points);

		out->line[i].points -= cut;
		excess -= cut;
	}
	out->points = 0;
	for (size_t i = 0; i < out->nlines; i++) {
		if (out->line[i].points <= 0)
			continue;
		out->line[j++] = out->line[i];
		out->points += out->line[i].points;
	}
	out->nlines = j;
}

void award_receipt(const struct rules *rules, const struct receipt *rc,
		   const struct award_ctx *ctx, struct award *out)
{
	const struct rules_rule *base = base_rule(rules, rc);
	int64_t base_ppe = base != NULL ? base->ppe : 0;
	int64_t base_points = 0;

	memset(out, 0, sizeof(*out));
	if (base != NULL && applies(base, rc)) {
		size_t b = (size_t)(base - rules->rule);

		base_points = capped(&base->caps, ctx->used_day[b],
				     ctx->used_month[b],
				     award_points(rc->total, base_ppe, 1000));
		add_line(out, "", base->name, base_points);
	}
	for (size_t i = 0; i < rules->nrules; i++) {
		const struct rules_rule *r = &rules->rule[i];
		int64_t p;

		if (!applies(r, rc))
			continue;
		p = rule_points(r, rc, base_ppe, base_points, ctx, i, out);
		add_line(out, "", r->name,
			 capped(&r->caps, ctx->used_day[i], ctx->used_month[i],
				p));
	}
	if (ctx->tier >= 0 && (size_t)ctx->tier < rules->ntiers) {
		const struct rules_tier *t = &rules->tier[ctx->tier];

		add_line(out, "tier:", t->name,
			 base_points * (t->factor - 1000) / 1000);
	}
	cap_total(rules, ctx, out);
}
