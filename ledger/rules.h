/*
 * rules.h: a loyalty programme as data. rules_load() reads a rules file
 * (docs/rules.md: INI-like, one [SECTION NAME] per rule, tier, reward,
 * activity or coupon) into an immutable struct rules; the award engine (award.h)
 * and the ledger interpret it. A bad file is refused as a whole with one
 * message naming file, line and key, so a reload never half-applies.
 */
#ifndef RD_RULES_H
#define RD_RULES_H

#include <stddef.h>
#include <stdint.h>

#define RULES_NAME_MAX 31 /* rule, tier, reward, activity names */
#define RULES_VERSION_MAX 63
#define RULES_MAX_RULES 64
#define RULES_MAX_TIERS 8
#define RULES_MAX_REWARDS 32
#define RULES_MAX_ACTIVITIES 16
#define RULES_MAX_COUPONS 16
#define RULES_MAX_DAYS 3660 /* coupon windows, validity, periods */
#define RULES_MAX_PATTERNS 8
#define RULES_PATTERN_MAX 63
#define RULES_STORE_MAX 31
#define RULES_TEXT_MAX 127
#define RULES_MAX_LINE 1024
#define RULES_MAX_PPE 1000	  /* points per EUR */
#define RULES_MAX_FACTOR 100000	  /* permille: 100x */
#define RULES_MAX_POINTS 10000000 /* any fixed points value or cap */
#define RULES_MAX_CENTS 100000000 /* any money value: 1,000,000.00 */
#define RULES_NO_CAP INT64_MAX

enum rules_kind {
	RULES_BASE = 0,	  /* points per EUR of the total */
	RULES_MULTIPLIER, /* factor on the base rate for matching items */
	RULES_CATEGORY,	  /* extra points per EUR on matching items */
	RULES_CAMPAIGN,	  /* factor on base points (and/or a flat bonus) */
	RULES_PUNCHCARD,  /* every N matching items: a voucher */
	RULES_CASHBACK,	  /* every X EUR of cumulative spend: a voucher */
	RULES_NKINDS,
};

/* When a rule applies, in UTC; zero fields mean "always". */
struct rules_window {
	char from[11];		 /* YYYY-MM-DD inclusive, "" = open */
	char until[11];		 /* YYYY-MM-DD inclusive, "" = open */
	unsigned weekdays;	 /* bit 0 = Monday .. bit 6 = Sunday; 0 = all */
	int from_min, until_min; /* minutes of the day, [from, until) */
	int has_hours;
};

/* Caps on what one rule (or the whole programme) gives one customer. */
struct rules_caps {
	int64_t receipt, day, month; /* RULES_NO_CAP when not set */
};

struct rules_rule {
	char name[RULES_NAME_MAX + 1];
	enum rules_kind kind;
	char store[RULES_STORE_MAX + 1]; /* "" = every store */
	char patterns[RULES_MAX_PATTERNS][RULES_PATTERN_MAX + 1];
	size_t npatterns;
	int64_t ppe;	/* base, category: points per EUR */
	int64_t factor; /* multiplier, campaign: permille (3x = 3000) */
	int64_t points; /* campaign: flat bonus per receipt */
	int64_t every;	/* punchcard: items; cashback: cents */
	int64_t value;	/* cashback: voucher value in cents */
	char reward[RULES_NAME_MAX + 1]; /* punchcard: voucher reward */
	struct rules_window window;
	struct rules_caps caps;
	int line; /* where the section starts, for messages */
};

struct rules_tier {
	char name[RULES_NAME_MAX + 1];
	int64_t min_points; /* earned in the rolling 12 months */
	int64_t factor;	    /* permille on base points */
	/* 1: held only through an active paid membership, never reached
	 * by points; min_points then only gives its rank in the order. */
	int membership;
};

struct rules_reward {
	char name[RULES_NAME_MAX + 1];
	int64_t points; /* price */
	char text[RULES_TEXT_MAX + 1];
};

struct rules_activity {
	char name[RULES_NAME_MAX + 1];
	int64_t points;
	struct rules_caps caps; /* counted in occurrences, per user */
	int64_t total;		/* occurrences ever, RULES_NO_CAP = none */
};

/* A targeted voucher for regulars: every customer whose last `days`
 * days match the segment gets one, once per period. */
struct rules_coupon {
	char name[RULES_NAME_MAX + 1];
	int64_t days;	    /* the window the segment looks at */
	int64_t min_visits; /* credited receipts in the window */
	int64_t min_spend;  /* cents of credited receipts in it */
	char min_tier[RULES_NAME_MAX + 1]; /* "" = any */
	int tier;			   /* index of min_tier, -1 = any */
	char reward[RULES_NAME_MAX + 1];   /* what the voucher is for */
	int64_t value;			   /* or its value in cents */
	int64_t valid_days;		   /* 0 = no expiry */
	int64_t period_days; /* at most one per customer per period */
	int line;
};

struct rules {
	char version[RULES_VERSION_MAX + 1];
	char currency[4];
	int expiry_months; /* 0 = points never expire */
	int64_t referral_referrer, referral_referee; /* points */
	struct rules_caps caps;			     /* all rules together */
	struct rules_rule rule[RULES_MAX_RULES];
	size_t nrules;
	struct rules_tier tier[RULES_MAX_TIERS]; /* ascending min_points */
	size_t ntiers;
	struct rules_reward reward[RULES_MAX_REWARDS];
	size_t nrewards;
	struct rules_activity activity[RULES_MAX_ACTIVITIES];
	size_t nactivities;
	struct rules_coupon coupon[RULES_MAX_COUPONS];
	size_t ncoupons;
};

/*
 * A programme of one global base rule at points_per_eur (rounded down per
 * receipt), version "flat", no expiry: what the daemon does without a
 * rules file.
 */
void rules_init_flat(struct rules *r, int64_t points_per_eur);

/*
 * Reads and validates the rules file at path into *out (caller-allocated;
 * struct rules is large). Returns 0, or -1 with a one-line message in err
 * ("FILE:LINE: key 'x': why") and *out unchanged.
 */
int rules_load(const char *path, struct rules *out, char *err, size_t errlen);

const char *rules_kind_name(enum rules_kind k);

/* Lookups by name; NULL when absent. */
const struct rules_reward *rules_reward_find(const struct rules *r,
					     const char *name);
const struct rules_activity *rules_activity_find(const struct rules *r,
						 const char *name);

/*
 * The tier for points earned in the rolling 12 months: the highest
 * non-membership tier whose min_points is reached, or -1 when there are
 * no such tiers or none is reached.
 */
int rules_tier_of(const struct rules *r, int64_t rolling_points);

/* The index of the tier called name, or -1. */
int rules_tier_find(const struct rules *r, const char *name);

/* True when an item name matches one of the rule's patterns (fnmatch
 * globs, case-insensitive). A rule without patterns matches nothing. */
int rules_match(const struct rules_rule *rule, const char *item_name);

/* True when the window is open on date (YYYY-MM-DD) at time (HH:MM).
 * An unknown date or time ("") only passes the parts that need none. */
int rules_window_open(const struct rules_window *w, const char *date,
		      const char *time);

#endif
