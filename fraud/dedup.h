/*
 * dedup.h: duplicate receipts. A receipt is a duplicate when its image
 * bytes, or its printed content, already belong to another receipt that
 * was credited or flagged, whoever uploaded it. The database enforces
 * "one owner per image and per content key" with unique indexes, so two
 * writers racing cannot both win; these functions give the reason.
 */
#ifndef RD_FRAUD_DEDUP_H
#define RD_FRAUD_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "receipt.h"

#define FRAUD_SHA256_HEX_LEN 65 /* 64 hex digits + NUL */
#define FRAUD_CONTENT_KEY_LEN (DB_CONTENT_KEY_MAX + 1)
#define FRAUD_REASON_LEN 64
/* A duplicate's reason reads "<cause>" FRAUD_REASON_OF "<original id>". */
#define FRAUD_REASON_OF " of receipt "

enum fraud_err {
	FRAUD_OK = 0,
	FRAUD_ERR_CRYPTO = -1,	/* libcrypto failed (out of memory) */
	FRAUD_ERR_UNKNOWN = -2, /* content key: a field was not read */
	FRAUD_ERR_DB = -3,	/* duplicate check: the database failed */
};

enum fraud_dup {
	FRAUD_ORIGINAL = 0,
	FRAUD_DUP_IMAGE,   /* the same image bytes */
	FRAUD_DUP_CONTENT, /* the same store, date, time, total, number */
	FRAUD_DUP_TSE,	   /* the same TSE serial and transaction number */
};

/* The answer of fraud_check_duplicate(). */
struct fraud_verdict {
	enum fraud_dup dup;
	int64_t original_id;	       /* 0 for FRAUD_ORIGINAL */
	char reason[FRAUD_REASON_LEN]; /* "duplicate_image of receipt 12" */
};

/*
 * Writes the SHA-256 of buf[0..len) as 64 lower-case hex digits and a NUL
 * into hex. Returns FRAUD_OK or FRAUD_ERR_CRYPTO (hex is then "").
 */
int fraud_sha256(const void *buf, size_t len, char hex[FRAUD_SHA256_HEX_LEN]);

/*
 * Incremental SHA-256 for bodies that arrive in pieces (HTTP intake):
 * fraud_sha256_init(), any number of fraud_sha256_update(), then
 * fraud_sha256_final(), which writes hex as fraud_sha256() and frees the
 * context whatever happens. A context that is abandoned must be passed to
 * fraud_sha256_free(); NULL is a no-op there.
 */
struct fraud_sha256_ctx;
int fraud_sha256_init(struct fraud_sha256_ctx **out);
int fraud_sha256_update(struct fraud_sha256_ctx *ctx, const void *buf,
			size_t len);
int fraud_sha256_final(struct fraud_sha256_ctx *ctx,
		       char hex[FRAUD_SHA256_HEX_LEN]);
void fraud_sha256_free(struct fraud_sha256_ctx *ctx);

/*
 * Builds the content key of a receipt, "store|date|time|total|number",
 * into key (size bytes). The store is the canonical id, or the printed
 * name for the generic parser. Returns FRAUD_OK, or FRAUD_ERR_UNKNOWN
 * (key "") unless every field was read: a partial key would call
 * different receipts the same.
 */
int fraud_content_key(const struct receipt *r, char *key, size_t size);

/*
 * Decides whether receipt_id is a duplicate: first by image hash, then by
 * the TSE serial and transaction number of its parsed receipt (German
 * fiscal block; no two sales share them, so they hold even where a
 * photo misread the time or the total), then by content key (NULL when
 * there is none). Reads only; call it inside the
 * transaction that records the decision. Returns FRAUD_OK with *out
 * filled, or FRAUD_ERR_DB (*out then says FRAUD_ORIGINAL).
 */
int fraud_check_duplicate(struct db *db, int64_t receipt_id,
			  const char *image_sha256, const char *content_key,
			  struct fraud_verdict *out);

#endif
