/*
 * dedup.c: image hashes and content keys, and the duplicate decision.
 * Hashing goes through libcrypto's EVP interface, the one OpenSSL keeps
 * stable; the decision itself is two lookups in the database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "dedup.h"
#include "banned.h"

struct fraud_sha256_ctx {
	EVP_MD_CTX *md;
};

static void to_hex(const unsigned char *d, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 0xf];
	}
	hex[2 * n] = '\0';
}

void fraud_sha256_free(struct fraud_sha256_ctx *ctx)
{
	if (ctx == NULL)
		return;
	EVP_MD_CTX_free(ctx->md);
	free(ctx);
}

int fraud_sha256_init(struct fraud_sha256_ctx **out)
{
	struct fraud_sha256_ctx *ctx;
	int rc = FRAUD_ERR_CRYPTO;

	*out = NULL;
	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL)
		goto out;
	ctx->md = EVP_MD_CTX_new();
	if (ctx->md == NULL ||
	    EVP_DigestInit_ex(ctx->md, EVP_sha256(), NULL) != 1)
		goto out;
	*out = ctx;
	ctx = NULL;
	rc = FRAUD_OK;
out:
	fraud_sha256_free(ctx);
	return rc;
}

int fraud_sha256_update(struct fraud_sha256_ctx *ctx, const void *buf,
			size_t len)
{
	if (len == 0)
		return FRAUD_OK;
	return EVP_DigestUpdate(ctx->md, buf, len) == 1 ? FRAUD_OK
							: FRAUD_ERR_CRYPTO;
}

int fraud_sha256_final(struct fraud_sha256_ctx *ctx,
		       char hex[FRAUD_SHA256_HEX_LEN])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int rc = FRAUD_ERR_CRYPTO;

	hex[0] = '\0';
	if (EVP_DigestFinal_ex(ctx->md, d, &n) == 1 && n == 32) {
		to_hex(d, n, hex);
		rc = FRAUD_OK;
	}
	fraud_sha256_free(ctx);
	return rc;
}

int fraud_sha256(const void *buf, size_t len, char hex[FRAUD_SHA256_HEX_LEN])
{
	struct fraud_sha256_ctx *ctx = NULL;
	int rc;

	hex[0] = '\0';
	rc = fraud_sha256_init(&ctx);
	if (rc != FRAUD_OK)
		return rc;
	rc = fraud_sha256_update(ctx, buf, len);
	if (rc != FRAUD_OK) {
		fraud_sha256_free(ctx);
		return rc;
	}
	return fraud_sha256_final(ctx, hex);
}

/*
 * The generic parser's store id says nothing; its printed name does. '|'
 * in a printed name becomes ' ' so that the separator stays unambiguous:
 * date, time and total cannot hold one and the number comes last.
 */
static void store_identity(const struct receipt *r, char *buf, size_t size)
{
	const char *src = r->store;

	if (src[0] == '\0' || strcmp(src, "generic") == 0)
		src = r->store_name;
	snprintf(buf, size, "%s", src);
	for (char *p = buf; *p != '\0'; p++)
		if (*p == '|')
			*p = ' ';
}

int fraud_content_key(const struct receipt *r, char *key, size_t size)
{
	char store[sizeof(r->store_name)];
	int n;

	if (size > 0)
		key[0] = '\0';
	store_identity(r, store, sizeof(store));
	if (store[0] == '\0' || r->date[0] == '\0' || r->time[0] == '\0' ||
	    r->receipt_number[0] == '\0' || r->total == RECEIPT_UNKNOWN)
		return FRAUD_ERR_UNKNOWN;
	n = snprintf(key, size, "%s|%s|%s|%lld|%s", store, r->date, r->time,
		     (long long)r->total, r->receipt_number);
	if (n < 0 || (size_t)n >= size) {
		if (size > 0)
			key[0] = '\0';
		return FRAUD_ERR_UNKNOWN;
	}
	return FRAUD_OK;
}

static void set_dup(struct fraud_verdict *out, enum fraud_dup dup,
		    const char *what, int64_t orig)
{
	out->dup = dup;
	out->original_id = orig;
	snprintf(out->reason, sizeof(out->reason), "%s" FRAUD_REASON_OF "%lld",
		 what, (long long)orig);
}

int fraud_check_duplicate(struct db *db, int64_t receipt_id,
			  const char *image_sha256, const char *content_key,
			  struct fraud_verdict *out)
{
	int64_t orig = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = db_receipt_find_image(db, image_sha256, receipt_id, &orig);
	if (rc == DB_OK) {
		set_dup(out, FRAUD_DUP_IMAGE, "duplicate_image", orig);
		return FRAUD_OK;
	}
	if (rc != DB_NOTFOUND)
		return FRAUD_ERR_DB;
	rc = db_receipt_find_tse(db, receipt_id, &orig);
	if (rc == DB_OK) {
		set_dup(out, FRAUD_DUP_TSE, "duplicate_tse", orig);
		return FRAUD_OK;
	}
	if (rc != DB_NOTFOUND)
		return FRAUD_ERR_DB;
	if (content_key == NULL)
		return FRAUD_OK;
	rc = db_receipt_find_content(db, content_key, receipt_id, &orig);
	if (rc == DB_OK) {
		set_dup(out, FRAUD_DUP_CONTENT, "duplicate_content", orig);
		return FRAUD_OK;
	}
	return rc == DB_NOTFOUND ? FRAUD_OK : FRAUD_ERR_DB;
}
