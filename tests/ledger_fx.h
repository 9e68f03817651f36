/*
 * ledger_fx.h: the fixture the ledger tests share: a fresh SQLite file
 * per test, queued receipts, parsed receipts, raw SQL for checking what
 * the ledger wrote, and the shipped grocery programme.
 */
#ifndef RD_LEDGER_FX_H
#define RD_LEDGER_FX_H

struct fx {
	char dir[64];
	char path[96];
	struct db *db;
	struct ledger_rules rules;
	struct receipt r;
};

static inline int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/receiptd-test-ledger-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/receiptd.db", f->dir);
	assert_int_equal(db_open(f->path, &f->db), DB_OK);
	ledger_rules_init(&f->rules);
	*state = f;
	return 0;
}

static inline int teardown(void **state)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	struct fx *f = *state;
	char p[128];

	db_close(f->db);
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* A queued receipt whose image bytes are the given text. */
static inline int64_t upload(struct fx *f, const char *user, const char *image)
{
	char sha[FRAUD_SHA256_HEX_LEN];
	struct db_receipt_new n = {
		.user_id = user,
		.image_sha256 = sha,
		.image_path = "/var/images/x.jpg",
		.content_type = "image/png",
	};
	int64_t id = 0;

	assert_int_equal(fraud_sha256(image, strlen(image), sha), FRAUD_OK);
	assert_int_equal(db_receipt_insert(f->db, &n, &id), DB_OK);
	return id;
}

/* Fills f->r as a fully read REWE receipt. */
static inline struct receipt *parsed(struct fx *f, int64_t total,
				     const char *num)
{
	receipt_init(&f->r);
	memcpy(f->r.store, "rewe", sizeof("rewe"));
	memcpy(f->r.date, "2024-03-01", sizeof("2024-03-01"));
	memcpy(f->r.time, "12:34", sizeof("12:34"));
	memcpy(f->r.currency, "EUR", sizeof("EUR"));
	snprintf(f->r.receipt_number, sizeof(f->r.receipt_number), "%s", num);
	f->r.total = total;
	return &f->r;
}

static inline void settle(struct fx *f, int64_t id, const struct receipt *r,
			  struct ledger_outcome *out)
{
	assert_int_equal(ledger_settle(f->db, id, r, NULL, &f->rules, out),
			 LEDGER_OK);
}

static inline int64_t balance(struct fx *f, const char *user)
{
	int64_t points = -1;

	assert_int_equal(ledger_balance(f->db, user, &points), LEDGER_OK);
	return points;
}

static inline int64_t raw_int(struct fx *f, const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v;

	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static inline int raw_exec(struct fx *f, const char *sql)
{
	sqlite3 *h = NULL;
	int rc;

	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	sqlite3_close(h);
	return rc;
}

/* The shipped grocery programme, on a Saturday morning in March. */
static inline struct rules *grocery(struct fx *f)
{
	static struct rules prog;
	char err[256] = "";

	assert_int_equal(
		rules_load("etc/grocery.rules", &prog, err, sizeof(err)), 0);
	f->rules.program = &prog;
	f->rules.now = 1773480600; /* 2026-03-14T09:30:00Z */
	return &prog;
}

/* A Monday receipt with `coffees` own-brand coffees at 1.00 each. */
static inline struct receipt *coffee_receipt(struct fx *f, int64_t total,
					     const char *num, int64_t coffees)
{
	struct receipt *r = parsed(f, total, num);

	memcpy(r->date, "2026-03-16", sizeof("2026-03-16")); /* Monday */
	assert_int_equal(receipt_add_item(r, "MEIN KAFFEE", 11, coffees * 1000,
					  RECEIPT_UNKNOWN, coffees * 100,
					  RECEIPT_ITEM),
			 0);
	return r;
}

#endif
