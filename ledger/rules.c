/*
 * rules.c: the rules file loader. Each key is one row of a table (section,
 * name, type, where it goes, bounds, which rule kinds take it), so a new
 * key is a row, and every value is checked here once: the award engine
 * trusts struct rules.
 */
#define _GNU_SOURCE /* FNM_CASEFOLD */
#include <errno.h>
#include <stdarg.h>
#include <fnmatch.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "banned.h"

enum sect {
	S_NONE = 0,
	S_PROGRAM,
	S_RULE,
	S_TIER,
	S_REWARD,
	S_ACTIVITY,
	S_COUPON,
};

enum ktype {
	K_INT,	  /* integer in [lo, hi] */
	K_CENTS,  /* decimal EUR with up to 2 decimals, stored in cents */
	K_FACTOR, /* decimal with up to 3 decimals, stored in permille */
	K_NAME,	  /* [A-Za-z0-9_.-]+, up to RULES_NAME_MAX */
	K_TEXT,	  /* anything printable */
	K_KIND,
	K_PATTERNS,
	K_DATE,
	K_WEEKDAYS,
	K_HOURS,
	K_ROUNDING,
	K_BOOL, /* yes or no, stored as an int 1 or 0 */
};

#define ALL_KINDS ((1u << RULES_NKINDS) - 1)
#define KB(k) (1u << (k))
#define ITEM_KINDS (KB(RULES_MULTIPLIER) | KB(RULES_CATEGORY))

struct key {
	enum sect sect;
	const char *name;
	enum ktype type;
	size_t off, size;
	int64_t lo, hi;
	unsigned kinds; /* rules only: the kinds that take this key */
};

#define R(f) offsetof(struct rules_rule, f), sizeof(((struct rules_rule *)0)->f)
#define P(f) offsetof(struct rules, f), sizeof(((struct rules *)0)->f)
#define T(f) offsetof(struct rules_tier, f), sizeof(((struct rules_tier *)0)->f)
#define W(f)                                                                   \
	offsetof(struct rules_reward, f), sizeof(((struct rules_reward *)0)->f)
#define A(f)                                                                   \
	offsetof(struct rules_activity, f),                                    \
		sizeof(((struct rules_activity *)0)->f)
#define C(f)                                                                   \
	offsetof(struct rules_coupon, f), sizeof(((struct rules_coupon *)0)->f)
#define CAP 0, RULES_MAX_POINTS

static const struct key keys[] = {
	{ S_PROGRAM, "version", K_TEXT, P(version), 0, 0, 0 },
	{ S_PROGRAM, "currency", K_TEXT, P(currency), 0, 0, 0 },
	{ S_PROGRAM, "expiry_months", K_INT, P(expiry_months), 0, 120, 0 },
	{ S_PROGRAM, "referral_referrer", K_INT, P(referral_referrer), CAP, 0 },
	{ S_PROGRAM, "referral_referee", K_INT, P(referral_referee), CAP, 0 },
	{ S_PROGRAM, "cap_receipt", K_INT, P(caps.receipt), CAP, 0 },
	{ S_PROGRAM, "cap_day", K_INT, P(caps.day), CAP, 0 },
	{ S_PROGRAM, "cap_month", K_INT, P(caps.month), CAP, 0 },
	{ S_RULE, "kind", K_KIND, R(kind), 0, 0, ALL_KINDS },
	{ S_RULE, "store", K_NAME, R(store), 0, 0, ALL_KINDS },
	{ S_RULE, "match", K_PATTERNS, R(patterns), 0, 0,
	  ITEM_KINDS | KB(RULES_PUNCHCARD) },
	{ S_RULE, "points_per_eur", K_INT, R(ppe), 0, RULES_MAX_PPE,
	  KB(RULES_BASE) | KB(RULES_CATEGORY) },
	{ S_RULE, "rounding", K_ROUNDING, 0, 0, 0, 0, ALL_KINDS },
	{ S_RULE, "factor", K_FACTOR, R(factor), 0, RULES_MAX_FACTOR,
	  KB(RULES_MULTIPLIER) | KB(RULES_CAMPAIGN) },
	{ S_RULE, "points", K_INT, R(points), 0, RULES_MAX_POINTS,
	  KB(RULES_CAMPAIGN) },
	{ S_RULE, "every", K_INT, R(every), 1, 1000, KB(RULES_PUNCHCARD) },
	{ S_RULE, "reward", K_NAME, R(reward), 0, 0, KB(RULES_PUNCHCARD) },
	{ S_RULE, "every_eur", K_CENTS, R(every), 100, RULES_MAX_CENTS,
	  KB(RULES_CASHBACK) },
	{ S_RULE, "value_eur", K_CENTS, R(value), 1, RULES_MAX_CENTS,
	  KB(RULES_CASHBACK) },
	{ S_RULE, "from", K_DATE, R(window.from), 0, 0, ALL_KINDS },
	{ S_RULE, "until", K_DATE, R(window.until), 0, 0, ALL_KINDS },
	{ S_RULE, "weekdays", K_WEEKDAYS, R(window.weekdays), 0, 0, ALL_KINDS },
	{ S_RULE, "hours", K_HOURS, R(window), 0, 0, ALL_KINDS },
	{ S_RULE, "cap_receipt", K_INT, R(caps.receipt), CAP, ALL_KINDS },
	{ S_RULE, "cap_day", K_INT, R(caps.day), CAP, ALL_KINDS },
	{ S_RULE, "cap_month", K_INT, R(caps.month), CAP, ALL_KINDS },
	{ S_TIER, "min_points", K_INT, T(min_points), 0, RULES_MAX_POINTS, 0 },
	{ S_TIER, "factor", K_FACTOR, T(factor), 1000, RULES_MAX_FACTOR, 0 },
	{ S_TIER, "membership", K_BOOL, T(membership), 0, 0, 0 },
	{ S_REWARD, "points", K_INT, W(points), 1, RULES_MAX_POINTS, 0 },
	{ S_REWARD, "text", K_TEXT, W(text), 0, 0, 0 },
	{ S_ACTIVITY, "points", K_INT, A(points), 1, RULES_MAX_POINTS, 0 },
	{ S_ACTIVITY, "cap_day", K_INT, A(caps.day), CAP, 0 },
	{ S_ACTIVITY, "cap_month", K_INT, A(caps.month), CAP, 0 },
	{ S_ACTIVITY, "cap_total", K_INT, A(total), CAP, 0 },
	{ S_COUPON, "days", K_INT, C(days), 1, RULES_MAX_DAYS, 0 },
	{ S_COUPON, "min_visits", K_INT, C(min_visits), 0, 100000, 0 },
	{ S_COUPON, "min_spend_eur", K_CENTS, C(min_spend), 0, RULES_MAX_CENTS,
	  0 },
	{ S_COUPON, "min_tier", K_NAME, C(min_tier), 0, 0, 0 },
	{ S_COUPON, "reward", K_NAME, C(reward), 0, 0, 0 },
	{ S_COUPON, "value_eur", K_CENTS, C(value), 1, RULES_MAX_CENTS, 0 },
	{ S_COUPON, "valid_days", K_INT, C(valid_days), 1, RULES_MAX_DAYS, 0 },
	{ S_COUPON, "period_days", K_INT, C(period_days), 1, RULES_MAX_DAYS,
	  0 },
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const char *const kind_names[RULES_NKINDS] = {
	[RULES_BASE] = "base",		 [RULES_MULTIPLIER] = "multiplier",
	[RULES_CATEGORY] = "category",	 [RULES_CAMPAIGN] = "campaign",
	[RULES_PUNCHCARD] = "punchcard", [RULES_CASHBACK] = "cashback",
};

static const char *const sect_names[] = {
	[S_PROGRAM] = "program",   [S_RULE] = "rule",
	[S_TIER] = "tier",	   [S_REWARD] = "reward",
	[S_ACTIVITY] = "activity", [S_COUPON] = "coupon",
};

/* The state of one load: the section being read and what it has seen. */
struct loader {
	const char *path;
	struct rules *r;
	enum sect sect;
	void *obj; /* the struct the section fills */
	int sect_line;
	int key_line[NKEYS]; /* 0 = not seen in this section */
	int program_seen;
	char *err;
	size_t errlen;
};

const char *rules_kind_name(enum rules_kind k)
{
	return (size_t)k < RULES_NKINDS ? kind_names[k] : "unknown";
}

static void no_caps(struct rules_caps *c)
{
	c->receipt = c->day = c->month = RULES_NO_CAP;
}

static void program_init(struct rules *r)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->currency, "EUR", sizeof("EUR"));
	no_caps(&r->caps);
}

void rules_init_flat(struct rules *r, int64_t points_per_eur)
{
	program_init(r);
	memcpy(r->version, "flat", sizeof("flat"));
	r->nrules = 1;
	memcpy(r->rule[0].name, "points_per_eur", sizeof("points_per_eur"));
	r->rule[0].kind = RULES_BASE;
	r->rule[0].ppe = points_per_eur;
	no_caps(&r->rule[0].caps);
}

static int fail(struct loader *L, int line, const char *key, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));

static int fail(struct loader *L, int line, const char *key, const char *fmt,
		...)
{
	char why[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (key != NULL)
		snprintf(L->err, L->errlen, "%s:%d: key '%s': %s", L->path,
			 line, key, why);
	else
		snprintf(L->err, L->errlen, "%s:%d: %s", L->path, line, why);
	return -1;
}

/* A decimal with up to `decimals` fraction digits, scaled to an integer:
 * "2.5" with 3 decimals is 2500. No floating point: these are money. */
static int parse_fixed(const char *s, int decimals, int64_t lo, int64_t hi,
		       int64_t *out)
{
	int64_t v = 0;
	int frac = -1;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s == '.' && frac < 0 && decimals > 0) {
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || frac >= decimals ||
		    v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
		if (frac >= 0)
			frac++;
	}
	for (frac = frac < 0 ? 0 : frac; frac < decimals; frac++) {
		if (v > INT64_MAX / 10)
			return -1;
		v *= 10;
	}
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	return n > 0 && n <= max &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_.-") == n;
}

/* "YYYY-MM-DD" of a real calendar day into its parts. */
static int parse_date(const char *s, int64_t ymd[3])
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	char buf[5] = { 0 };
	int leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	memcpy(buf, s, 4);
	if (parse_fixed(buf, 0, 1, 9999, &ymd[0]))
		return -1;
	buf[2] = '\0';
	memcpy(buf, s + 5, 2);
	if (parse_fixed(buf, 0, 1, 12, &ymd[1]))
		return -1;
	memcpy(buf, s + 8, 2);
	if (parse_fixed(buf, 0, 1, mdays[ymd[1] - 1], &ymd[2]))
		return -1;
	leap = (ymd[0] % 4 == 0 && ymd[0] % 100 != 0) || ymd[0] % 400 == 0;
	return ymd[1] == 2 && ymd[2] == 29 && !leap ? -1 : 0;
}

static int date_ok(const char *s)
{
	int64_t ymd[3];

	return parse_date(s, ymd) == 0;
}

/* "HH:MM" -> minutes of the day; "24:00" is the end of the day. */
static int parse_hhmm(const char *s, size_t n, int *out)
{
	int64_t h, m;
	char buf[3] = { 0 };

	if (n != 5 || s[2] != ':')
		return -1;
	memcpy(buf, s, 2);
	if (parse_fixed(buf, 0, 0, 24, &h))
		return -1;
	memcpy(buf, s + 3, 2);
	if (parse_fixed(buf, 0, 0, 59, &m) || (h == 24 && m != 0))
		return -1;
	*out = (int)(h * 60 + m);
	return 0;
}

static int parse_hours(const char *v, struct rules_window *w)
{
	const char *dash = strchr(v, '-');

	if (dash == NULL || parse_hhmm(v, (size_t)(dash - v), &w->from_min) ||
	    parse_hhmm(dash + 1, strlen(dash + 1), &w->until_min) ||
	    w->from_min >= w->until_min)
		return -1;
	w->has_hours = 1;
	return 0;
}

/* Comma-separated lists: each element trimmed of spaces, none empty. */
static const char *next_elem(const char *s, char *buf, size_t size)
{
	const char *e;
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	e = strchr(s, ',');
	n = e != NULL ? (size_t)(e - s) : strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= size)
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return e != NULL ? e + 1 : s + strlen(s);
}

static int parse_weekdays(const char *v, unsigned *out)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu",
					    "fri", "sat", "sun" };
	char d[8];
	unsigned mask = 0;

	while (*v) {
		size_t i;

		v = next_elem(v, d, sizeof(d));
		if (v == NULL)
			return -1;
		for (i = 0; i < 7 && strcmp(d, days[i]) != 0; i++)
			;
		if (i == 7)
			return -1;
		mask |= 1u << i;
	}
	*out = mask;
	return mask ? 0 : -1;
}

static int parse_patterns(const char *v, struct rules_rule *rule)
{
	rule->npatterns = 0;
	while (*v) {
		if (rule->npatterns == RULES_MAX_PATTERNS)
			return -1;
		v = next_elem(v, rule->patterns[rule->npatterns],
			      sizeof(rule->patterns[0]));
		if (v == NULL)
			return -1;
		rule->npatterns++;
	}
	return rule->npatterns ? 0 : -1;
}

static int parse_kind(const char *v, enum rules_kind *k)
{
	for (size_t i = 0; i < RULES_NKINDS; i++)
		if (strcmp(v, kind_names[i]) == 0) {
			*k = (enum rules_kind)i;
			return 0;
		}
	return -1;
}

static int set_text(char *dst, size_t size, const char *v)
{
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return -1;
	return snprintf(dst, size, "%s", v) < (int)size && v[0] ? 0 : -1;
}

/* Stores one value where the key's row says. */
static int apply(const struct key *k, void *obj, const char *v)
{
	char *dst = (char *)obj + k->off;
	int64_t x;

	switch (k->type) {
	case K_INT:
	case K_CENTS:
	case K_FACTOR:
		if (parse_fixed(v,
				k->type == K_INT     ? 0
				: k->type == K_CENTS ? 2
						     : 3,
				k->lo, k->hi, &x))
			return -1;
		if (k->size == sizeof(int))
			*(int *)(void *)dst = (int)x;
		else
			*(int64_t *)(void *)dst = x;
		return 0;
	case K_NAME:
		return k->size > strlen(v) && name_ok(v, k->size - 1)
			       ? set_text(dst, k->size, v)
			       : -1;
	case K_TEXT:
		return set_text(dst, k->size, v);
	case K_KIND:
		return parse_kind(v, (enum rules_kind *)(void *)dst);
	case K_PATTERNS:
		return parse_patterns(v, obj);
	case K_DATE:
		return date_ok(v) ? set_text(dst, k->size, v) : -1;
	case K_WEEKDAYS:
		return parse_weekdays(v, (unsigned *)(void *)dst);
	case K_HOURS:
		return parse_hours(v, (struct rules_window *)(void *)dst);
	case K_ROUNDING:
		return strcmp(v, "floor") == 0 ? 0 : -1;
	case K_BOOL:
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
			return -1;
		*(int *)(void *)dst = strcmp(v, "yes") == 0;
		return 0;
	}
	return -1;
}

static const struct key *key_find(enum sect s, const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (keys[i].sect == s && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static int seen(const struct loader *L, const char *name)
{
	const struct key *k = key_find(L->sect, name);

	return k != NULL && L->key_line[k - keys] != 0;
}

/* What a rule of its kind must have, and must not. */
static int check_rule(struct loader *L, const struct rules_rule *rule)
{
	static const char *const need[RULES_NKINDS][3] = {
		[RULES_BASE] = { "points_per_eur" },
		[RULES_MULTIPLIER] = { "match", "factor" },
		[RULES_CATEGORY] = { "match", "points_per_eur" },
		[RULES_CAMPAIGN] = { NULL },
		[RULES_PUNCHCARD] = { "match", "every", "reward" },
		[RULES_CASHBACK] = { "every_eur", "value_eur" },
	};

	if (!seen(L, "kind"))
		return fail(L, L->sect_line, "kind", "required (%s)",
			    "base, multiplier, category, campaign, punchcard, "
			    "cashback");
	for (size_t i = 0; i < NKEYS; i++)
		if (L->key_line[i] && !(keys[i].kinds & KB(rule->kind)))
			return fail(L, L->key_line[i], keys[i].name,
				    "not a key of kind %s",
				    kind_names[rule->kind]);
	for (size_t i = 0; i < 3 && need[rule->kind][i] != NULL; i++)
		if (!seen(L, need[rule->kind][i]))
			return fail(L, L->sect_line, need[rule->kind][i],
				    "required for kind %s",
				    kind_names[rule->kind]);
	if (rule->kind == RULES_CAMPAIGN && !seen(L, "factor") &&
	    !seen(L, "points"))
		return fail(L, L->sect_line, "factor",
			    "a campaign needs factor or points");
	return 0;
}

static int check_section(struct loader *L)
{
	static const char *const need[][2] = {
		[S_PROGRAM] = { "version" },
		[S_TIER] = { "min_points", "factor" },
		[S_REWARD] = { "points", "text" },
		[S_ACTIVITY] = { "points" },
		[S_COUPON] = { "days" },
	};

	if (L->sect == S_NONE)
		return 0;
	if (L->sect == S_RULE)
		return check_rule(L, L->obj);
	if (L->sect == S_COUPON && !seen(L, "reward") && !seen(L, "value_eur"))
		return fail(L, L->sect_line, "reward",
			    "a coupon needs reward or value_eur");
	for (size_t i = 0; i < 2 && need[L->sect][i] != NULL; i++)
		if (!seen(L, need[L->sect][i]))
			return fail(L, L->sect_line, need[L->sect][i],
				    "required in [%s]", sect_names[L->sect]);
	return 0;
}

/* Finds a free slot for a named section, refusing duplicate names. */
static void *new_object(struct loader *L, enum sect s, const char *name)
{
	struct rules *r = L->r;

#define SLOT(arr, n, max)                                                      \
	do {                                                                   \
		for (size_t i = 0; i < r->n; i++)                              \
			if (strcmp(r->arr[i].name, name) == 0)                 \
				return NULL;                                   \
		if (r->n == (max))                                             \
			return NULL;                                           \
		snprintf(r->arr[r->n].name, sizeof(r->arr[0].name), "%s",      \
			 name);                                                \
		return &r->arr[r->n++];                                        \
	} while (0)
	switch (s) {
	case S_RULE:
		SLOT(rule, nrules, RULES_MAX_RULES);
	case S_TIER:
		SLOT(tier, ntiers, RULES_MAX_TIERS);
	case S_REWARD:
		SLOT(reward, nrewards, RULES_MAX_REWARDS);
	case S_ACTIVITY:
		SLOT(activity, nactivities, RULES_MAX_ACTIVITIES);
	case S_COUPON:
		SLOT(coupon, ncoupons, RULES_MAX_COUPONS);
	default:
		return NULL;
	}
#undef SLOT
}

/* "[program]" or "[rule NAME]" and the like. */
static int open_section(struct loader *L, char *s, int line)
{
	char *end = strchr(s, ']');
	char *name;
	size_t i;

	if (check_section(L))
		return -1;
	if (end == NULL || end[1] != '\0')
		return fail(L, line, NULL, "expected '[SECTION NAME]'");
	*end = '\0';
	name = strchr(s + 1, ' ');
	if (name != NULL)
		*name++ = '\0';
	memset(L->key_line, 0, sizeof(L->key_line));
	L->sect_line = line;
	for (i = S_PROGRAM; i <= S_COUPON; i++)
		if (strcmp(s + 1, sect_names[i]) == 0)
			break;
	if (i > S_COUPON)
		return fail(L, line, NULL,
			    "unknown section '%s' (program, rule, tier, "
			    "reward, activity, coupon)",
			    s + 1);
	L->sect = (enum sect)i;
	if (L->sect == S_PROGRAM) {
		if (name != NULL || L->program_seen++)
			return fail(L, line, NULL, "one [program]");
		L->obj = L->r;
		return 0;
	}
	if (name == NULL || !name_ok(name, RULES_NAME_MAX))
		return fail(L, line, NULL,
			    "section needs a name of 1-31 of A-Za-z0-9_.-");
	L->obj = new_object(L, L->sect, name);
	if (L->obj == NULL)
		return fail(L, line, NULL, "duplicate or too many: '%s'", name);
	if (L->sect == S_RULE)
		no_caps(&((struct rules_rule *)L->obj)->caps);
	if (L->sect == S_RULE)
		((struct rules_rule *)L->obj)->line = line;
	if (L->sect == S_ACTIVITY) {
		no_caps(&((struct rules_activity *)L->obj)->caps);
		((struct rules_activity *)L->obj)->total = RULES_NO_CAP;
	}
	if (L->sect == S_COUPON) {
		((struct rules_coupon *)L->obj)->tier = -1;
		((struct rules_coupon *)L->obj)->line = line;
	}
	return 0;
}

static char *strip(char *s)
{
	char *e = s + strlen(s);

	while (*s == ' ' || *s == '\t')
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int read_line(struct loader *L, char *s, int line)
{
	const struct key *k;
	char *eq, *key;

	s = strip(s);
	if (*s == '\0' || *s == '#')
		return 0;
	if (*s == '[')
		return open_section(L, s, line);
	eq = strchr(s, '=');
	if (eq == NULL)
		return fail(L, line, NULL, "expected 'key = value'");
	*eq = '\0';
	key = strip(s);
	if (L->sect == S_NONE)
		return fail(L, line, key, "outside any section");
	k = key_find(L->sect, key);
	if (k == NULL)
		return fail(L, line, key, "unknown in [%s]",
			    sect_names[L->sect]);
	if (L->key_line[k - keys])
		return fail(L, line, key, "set twice in this section");
	L->key_line[k - keys] = line;
	if (apply(k, L->obj, strip(eq + 1)))
		return fail(L, line, key, "bad value '%s'", strip(eq + 1));
	return 0;
}

/* Whole-file checks: tiers ascend, one base rule per store. */
static int check_program(struct loader *L)
{
	struct rules *r = L->r;

	if (!L->program_seen)
		return fail(L, 1, "version", "no [program] section");
	for (size_t i = 1; i < r->ntiers; i++)
		if (r->tier[i].min_points <= r->tier[i - 1].min_points)
			return fail(L, 0, "min_points",
				    "tier '%s' must need more points than "
				    "the one before",
				    r->tier[i].name);
	for (size_t i = 0; i < r->ncoupons; i++) {
		struct rules_coupon *c = &r->coupon[i];

		if (c->period_days == 0)
			c->period_days = c->days;
		if (c->min_tier[0] == '\0')
			continue;
		for (size_t j = 0; j < r->ntiers; j++)
			if (strcmp(r->tier[j].name, c->min_tier) == 0)
				c->tier = (int)j;
		if (c->tier < 0)
			return fail(L, c->line, "min_tier",
				    "no tier '%s' in this file", c->min_tier);
	}
	for (size_t i = 0; i < r->nrules; i++)
		for (size_t j = 0; j < i; j++)
			if (r->rule[i].kind == RULES_BASE &&
			    r->rule[j].kind == RULES_BASE &&
			    strcmp(r->rule[i].store, r->rule[j].store) == 0)
				return fail(L, r->rule[i].line, "store",
					    "second base rule for store '%s'",
					    r->rule[i].store[0]
						    ? r->rule[i].store
						    : "(all)");
	return 0;
}

int rules_load(const char *path, struct rules *out, char *err, size_t errlen)
{
	struct rules *r = malloc(sizeof(*r));
	struct loader L = { .path = path, .err = err, .errlen = errlen };
	char line[RULES_MAX_LINE];
	FILE *f = NULL;
	int n = 0, rc = -1;

	if (r == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	program_init(r);
	L.r = r;
	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			fail(&L, n, NULL, "line too long");
			goto out;
		}
		if (read_line(&L, line, n))
			goto out;
	}
	if (ferror(f)) {
		fail(&L, n, NULL, "read error");
		goto out;
	}
	if (check_section(&L) || check_program(&L))
		goto out;
	memcpy(out, r, sizeof(*r));
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	free(r);
	return rc;
}

const struct rules_reward *rules_reward_find(const struct rules *r,
					     const char *name)
{
	for (size_t i = 0; i < r->nrewards; i++)
		if (strcmp(r->reward[i].name, name) == 0)
			return &r->reward[i];
	return NULL;
}

const struct rules_activity *rules_activity_find(const struct rules *r,
						 const char *name)
{
	for (size_t i = 0; i < r->nactivities; i++)
		if (strcmp(r->activity[i].name, name) == 0)
			return &r->activity[i];
	return NULL;
}

int rules_tier_of(const struct rules *r, int64_t rolling_points)
{
	int t = -1;

	/* A membership tier is bought, never earned. */
	for (size_t i = 0; i < r->ntiers; i++)
		if (!r->tier[i].membership &&
		    rolling_points >= r->tier[i].min_points)
			t = (int)i;
	return t;
}

int rules_tier_find(const struct rules *r, const char *name)
{
	for (size_t i = 0; name != NULL && i < r->ntiers; i++)
		if (strcmp(r->tier[i].name, name) == 0)
			return (int)i;
	return -1;
}

int rules_match(const struct rules_rule *rule, const char *item_name)
{
	for (size_t i = 0; i < rule->npatterns; i++)
		if (fnmatch(rule->patterns[i], item_name, FNM_CASEFOLD) == 0)
			return 1;
	return 0;
}

/* 0 = Monday, from the civil date (Sakamoto's method). */
static int weekday(const char *date)
{
	static const int t[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	int64_t d[3], y;

	if (parse_date(date, d))
		return -1;
	y = d[1] < 3 ? d[0] - 1 : d[0];
	/* Sakamoto gives 0 = Sunday. */
	return (int)((y + y / 4 - y / 100 + y / 400 + t[d[1] - 1] + d[2] + 6) %
		     7);
}

int rules_window_open(const struct rules_window *w, const char *date,
		      const char *time)
{
	int wd, min;

	if ((w->from[0] || w->until[0] || w->weekdays) && !date_ok(date))
		return 0;
	if (w->from[0] && strcmp(date, w->from) < 0)
		return 0;
	if (w->until[0] && strcmp(date, w->until) > 0)
		return 0;
	if (w->weekdays) {
		wd = weekday(date);
		if (wd < 0 || !(w->weekdays & (1u << wd)))
			return 0;
	}
	if (w->has_hours && (parse_hhmm(time, strlen(time), &min) ||
			     min < w->from_min || min >= w->until_min))
		return 0;
	return 1;
}
