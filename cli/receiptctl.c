/*
 * receiptctl: command-line client for the receiptd HTTP API (docs/api.md).
 * One request per command (one per image for upload); short aligned text
 * by default, the server's JSON one object per line with --json.
 * Exit status: 0 done, 1 the server or the network said no, 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "banned.h"

#define CTL_DEFAULT_URL "http://127.0.0.1:8080"
/* A list of 100 receipts with items is well under this. */
#define CTL_MAX_RESPONSE_BYTES (4 * 1024 * 1024)
#define CTL_MAX_URL_LEN 2048
#define CTL_MAX_KEY_LEN 256
#define CTL_MAX_IDEM_KEY_LEN 128
#define CTL_CONNECT_TIMEOUT_S 5L
#define CTL_TOTAL_TIMEOUT_S 60L
#define CTL_MAGIC_LEN 12

enum ctl_exit { CTL_EXIT_OK = 0, CTL_EXIT_FAIL = 1, CTL_EXIT_USAGE = 2 };

struct ctl {
	const char *url; /* base URL, without a trailing slash */
	const char *key; /* API key or NULL: the server answers 401 */
	int json;
	CURL *curl;
};

/* A response body: grows on demand, never past CTL_MAX_RESPONSE_BYTES. */
struct ctl_buf {
	char *data;
	size_t len, cap;
	int over;
};

/* An upload body streamed from an open file. */
struct ctl_body {
	FILE *f;
	curl_off_t len;
	const char *ctype;
	const char *idem_key;
};

static void ctl_usage(FILE *f)
{
	fprintf(f,
		"usage: receiptctl [--url URL] [--key KEY] [--json] COMMAND\n"
		"commands:\n"
		"  upload [--idempotency-key K] USER IMAGE...\n"
		"  status [--user USER] ID   one receipt (without --user:\n"
		"                            staff or operator key)\n"
		"  balance USER\n"
		"  ledger USER\n"
		"  receipts [--limit N] [--before ID] USER\n"
		"  reverse ID [REASON]       undo a receipt's credit (staff)\n"
		"  flagged [--limit N] [--before ID]\n"
		"                            the review queue (staff)\n"
		"  review ID approve [TOTAL] credit a flagged receipt, with\n"
		"                            TOTAL cents if given (staff)\n"
		"  review ID reject          reject a flagged receipt (staff)\n"
		"  reprocess [--limit N] [flagged|failed]\n"
		"                            read such receipts again "
		"(operator)\n"
		"  expire [--now T]          expire points now (operator;\n"
		"                            T = YYYY-MM-DDTHH:MM:SSZ)\n"
		"  coupons [--now T]         issue coupons now (operator)\n"
		"  metrics [--now T]         programme metrics (operator)\n"
		"  membership [--idempotency-key K] USER TIER MONTHS\n"
		"                            record a paid membership (K\n"
		"                            defaults to TIER-MONTHS-now:\n"
		"                            pass one to retry safely)\n"
		"options:\n"
		"  --url URL   server (env RECEIPTD_URL, default %s)\n"
		"  --key KEY   API key (env RECEIPTD_KEY; the environment "
		"keeps\n"
		"              it out of the process list)\n"
		"  --json      print the server's JSON, one object per line\n"
		"exit status: 0 ok, 1 server or network error, 2 usage\n",
		CTL_DEFAULT_URL);
}

static size_t ctl_write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct ctl_buf *b = arg;
	size_t len = size * n, cap;
	char *d;

	if (len > CTL_MAX_RESPONSE_BYTES - b->len) {
		b->over = 1;
		return 0;
	}
	if (b->len + len + 1 > b->cap) {
		cap = b->cap ? b->cap : 4096;
		while (cap < b->len + len + 1)
			cap *= 2;
		if (cap > CTL_MAX_RESPONSE_BYTES + 1)
			cap = CTL_MAX_RESPONSE_BYTES + 1;
		d = realloc(b->data, cap);
		if (!d)
			return 0;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
	return len;
}

/* Prints "receiptctl: WHAT: CODE: MESSAGE" from a JSON error body. */
static void ctl_print_http_error(const char *what, long status,
				 const struct ctl_buf *b)
{
	json_t *root = NULL, *err;
	const char *code = NULL, *msg = NULL;

	if (b->data)
		root = json_loadb(b->data, b->len, 0, NULL);
	err = json_object_get(root, "error");
	code = json_string_value(json_object_get(err, "code"));
	msg = json_string_value(json_object_get(err, "message"));
	if (code && msg)
		fprintf(stderr, "receiptctl: %s: %s: %s\n", what, code, msg);
	else
		fprintf(stderr, "receiptctl: %s: HTTP %ld\n", what, status);
	json_decref(root);
}

/* JSON text cannot hold a raw newline inside a string, so this is safe. */
static void ctl_print_raw(const struct ctl_buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		if (b->data[i] != '\n' && b->data[i] != '\r')
			putchar(b->data[i]);
	putchar('\n');
}

/* Builds the request headers; returns NULL when out of memory. */
static struct curl_slist *ctl_headers(const struct ctl *c,
				      const struct ctl_body *body)
{
	const char *name[3] = { "Authorization: Bearer ",
				"Content-Type: ", "Idempotency-Key: " };
	const char *val[3] = { c->key, body ? body->ctype : NULL,
			       body ? body->idem_key : NULL };
	char hdr[CTL_MAX_KEY_LEN + 64];
	struct curl_slist *hl = NULL, *t;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (!val[i])
			continue;
		snprintf(hdr, sizeof(hdr), "%s%s", name[i], val[i]);
		t = curl_slist_append(hl, hdr);
		if (!t) {
			curl_slist_free_all(hl);
			return NULL;
		}
		hl = t;
	}
	/* An empty list still needs a node so that NULL can mean failure. */
	if (!hl)
		hl = curl_slist_append(NULL, "Accept: application/json");
	return hl;
}

/*
 * Sends one request to PATH (GET, or POST of body when body is non-NULL).
 * On a 2xx answer with a JSON body stores the parsed body in *out (the
 * caller frees it), prints it as is under --json and returns 0. Otherwise
 * prints one error line naming WHAT and returns -1 with *out NULL.
 */
static int ctl_call(struct ctl *c, const char *what, const char *path,
		    const struct ctl_body *body, json_t **out)
{
	char url[CTL_MAX_URL_LEN], cerr[CURL_ERROR_SIZE] = "";
	struct curl_slist *hl = NULL;
	struct ctl_buf b = { 0 };
	CURLcode cc;
	long status = 0;
	int rc = -1, n;

	*out = NULL;
	n = snprintf(url, sizeof(url), "%s%s", c->url, path);
	if (n < 0 || (size_t)n >= sizeof(url)) {
		fprintf(stderr, "receiptctl: %s: URL too long\n", what);
		goto out;
	}
	hl = ctl_headers(c, body);
	if (!hl) {
		fprintf(stderr, "receiptctl: %s: out of memory\n", what);
		goto out;
	}
	curl_easy_reset(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT,
			 CTL_CONNECT_TIMEOUT_S);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, CTL_TOTAL_TIMEOUT_S);
	curl_easy_setopt(c->curl, CURLOPT_USERAGENT, "receiptctl/1");
	curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, ctl_write_cb);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hl);
	if (body) {
		curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(c->curl, CURLOPT_READDATA, body->f);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
				 body->len);
	}

	cc = curl_easy_perform(c->curl);
	if (cc != CURLE_OK) {
		if (b.over)
			snprintf(cerr, sizeof(cerr), "response over %d bytes",
				 CTL_MAX_RESPONSE_BYTES);
		else if (!cerr[0])
			snprintf(cerr, sizeof(cerr), "%s",
				 curl_easy_strerror(cc));
		fprintf(stderr, "receiptctl: %s: %s\n", what, cerr);
		goto out;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		ctl_print_http_error(what, status, &b);
		goto out;
	}
	*out = b.data ? json_loadb(b.data, b.len, 0, NULL) : NULL;
	if (!*out) {
		fprintf(stderr,
			"receiptctl: %s: HTTP %ld without a JSON body\n", what,
			status);
		goto out;
	}
	if (c->json)
		ctl_print_raw(&b);
	rc = 0;
out:
	curl_slist_free_all(hl);
	free(b.data);
	return rc;
}

/* Returns the media type named by the file's first bytes, or NULL. */
static const char *ctl_sniff(const unsigned char *m, size_t n)
{
	if (n >= 3 && m[0] == 0xff && m[1] == 0xd8 && m[2] == 0xff)
		return "image/jpeg";
	if (n >= 8 && !memcmp(m, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (n >= 4 && (!memcmp(m, "II*\0", 4) || !memcmp(m, "MM\0*", 4)))
		return "image/tiff";
	if (n >= 12 && !memcmp(m, "RIFF", 4) && !memcmp(m + 8, "WEBP", 4))
		return "image/webp";
	return NULL;
}

static const char *ctl_str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "-";
}

/* Formats an integer field, or "-" when it is null or missing. */
static const char *ctl_int(json_t *o, const char *k, char *buf, size_t n)
{
	json_t *v = json_object_get(o, k);

	if (!json_is_integer(v))
		return "-";
	snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return buf;
}

/* Formats integer cents as "12.34", or "-" when the amount is unknown. */
static const char *ctl_money(json_t *o, const char *k, char *buf, size_t n)
{
	json_t *v = json_object_get(o, k);
	json_int_t c, mag;

	if (!json_is_integer(v))
		return "-";
	c = json_integer_value(v);
	mag = c < 0 ? -(c / 100) : c / 100;
	snprintf(buf, n, "%s%" JSON_INTEGER_FORMAT ".%02d", c < 0 ? "-" : "",
		 mag, (int)(c < 0 ? -(c % 100) : c % 100));
	return buf;
}

static int ctl_upload_one(struct ctl *c, const char *path_user,
			  const char *file, const char *idem_key)
{
	unsigned char magic[CTL_MAGIC_LEN];
	struct ctl_body body = { .idem_key = idem_key };
	struct stat st;
	json_t *res = NULL;
	char path[CTL_MAX_URL_LEN], ibuf[32];
	size_t n;
	int rc = -1;

	body.f = fopen(file, "rb");
	if (!body.f || fstat(fileno(body.f), &st) < 0) {
		fprintf(stderr, "receiptctl: %s: %s\n", file, strerror(errno));
		goto out;
	}
	n = fread(magic, 1, sizeof(magic), body.f);
	body.ctype = ctl_sniff(magic, n);
	if (!S_ISREG(st.st_mode) || !body.ctype) {
		fprintf(stderr,
			"receiptctl: %s: not a JPEG, PNG, TIFF or WebP image\n",
			file);
		goto out;
	}
	rewind(body.f);
	body.len = (curl_off_t)st.st_size;
	snprintf(path, sizeof(path), "/v1/users/%s/receipts", path_user);
	if (ctl_call(c, file, path, &body, &res) < 0)
		goto out;
	if (!c->json)
		printf("%-8s %-10s %s\n",
		       ctl_int(res, "id", ibuf, sizeof(ibuf)),
		       ctl_str(res, "status"), file);
	rc = 0;
out:
	json_decref(res);
	if (body.f)
		fclose(body.f);
	return rc;
}

static void ctl_print_receipt(json_t *r)
{
	char a[32], b[32];
	json_t *it, *reasons = json_object_get(r, "reasons");
	json_t *items = json_object_get(r, "items");
	size_t i;

	printf("id        %s\n", ctl_int(r, "id", a, sizeof(a)));
	printf("user      %s\n", ctl_str(r, "user"));
	printf("status    %s\n", ctl_str(r, "status"));
	printf("store     %s (%s)\n", ctl_str(r, "store_name"),
	       ctl_str(r, "store"));
	printf("date      %s %s\n", ctl_str(r, "date"), ctl_str(r, "time"));
	printf("total     %s %s\n", ctl_money(r, "total", a, sizeof(a)),
	       ctl_str(r, "currency"));
	printf("receipt   %s\n", ctl_str(r, "receipt_number"));
	printf("points    %s\n", ctl_int(r, "points", a, sizeof(a)));
	printf("reasons  ");
	for (i = 0; i < json_array_size(reasons); i++) {
		it = json_array_get(reasons, i);
		printf(" %s", json_is_string(it) ? json_string_value(it) : "?");
	}
	printf("%s\n", json_array_size(reasons) ? "" : " -");
	printf("created   %s\n", ctl_str(r, "created_at"));
	printf("updated   %s\n", ctl_str(r, "updated_at"));
	for (i = 0; i < json_array_size(items); i++) {
		it = json_array_get(items, i);
		printf("  %-32s %10s  %s\n", ctl_str(it, "name"),
		       ctl_money(it, "amount", b, sizeof(b)),
		       ctl_str(it, "kind"));
	}
}

static void ctl_print_list(json_t *res, const char *what, const char *user)
{
	char a[32], b[32], d[32];
	json_t *arr, *it;
	size_t i;

	if (!strcmp(what, "ledger")) {
		arr = json_object_get(res, "postings");
		printf("%-8s %-8s %-16s %8s  %s\n", "TXN", "RECEIPT", "RULE",
		       "POINTS", "CREATED");
		for (i = 0; i < json_array_size(arr); i++) {
			it = json_array_get(arr, i);
			printf("%-8s %-8s %-16s %8s  %s\n",
			       ctl_int(it, "txn", a, sizeof(a)),
			       ctl_int(it, "receipt", b, sizeof(b)),
			       ctl_str(it, "rule"),
			       ctl_int(it, "points", d, sizeof(d)),
			       ctl_str(it, "created_at"));
		}
		return;
	}
	arr = json_object_get(res, "receipts");
	printf("%-8s %-10s %10s %6s  %-10s %s\n", "ID", "STATUS", "TOTAL",
	       "POINTS", "DATE", "STORE");
	for (i = 0; i < json_array_size(arr); i++) {
		it = json_array_get(arr, i);
		printf("%-8s %-10s %10s %6s  %-10s %s\n",
		       ctl_int(it, "id", a, sizeof(a)), ctl_str(it, "status"),
		       ctl_money(it, "total", b, sizeof(b)),
		       ctl_int(it, "points", d, sizeof(d)), ctl_str(it, "date"),
		       ctl_str(it, "store_name"));
	}
	if (json_is_integer(json_object_get(res, "next_before")))
		printf("(more: receiptctl receipts --before %s %s)\n",
		       ctl_int(res, "next_before", a, sizeof(a)), user);
}

/* Accepts a positive decimal number of at most 18 digits. */
static int ctl_check_num(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 18)
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	return 0;
}

/* A header value: 1..max bytes of printable ASCII. */
static int ctl_check_header(const char *s, size_t max)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > max)
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return -1;
	return 0;
}

/* The options a command may take after its name. */
struct ctl_args {
	const char *idem, *user, *limit, *before, *now;
};

static int ctl_cmd_status(struct ctl *c, const struct ctl_args *a, int argc,
			  char **argv)
{
	char path[CTL_MAX_URL_LEN], *esc = NULL;
	json_t *res = NULL;
	int rc = CTL_EXIT_USAGE;

	if (argc != 1 || ctl_check_num(argv[0]) < 0)
		goto out;
	rc = CTL_EXIT_FAIL;
	if (a->user) {
		esc = curl_easy_escape(c->curl, a->user, 0);
		if (!esc)
			goto out;
		snprintf(path, sizeof(path), "/v1/users/%s/receipts/%s", esc,
			 argv[0]);
	} else {
		snprintf(path, sizeof(path), "/v1/receipts/%s", argv[0]);
	}
	if (ctl_call(c, "status", path, NULL, &res) < 0)
		goto out;
	if (!c->json)
		ctl_print_receipt(res);
	rc = CTL_EXIT_OK;
out:
	curl_free(esc);
	json_decref(res);
	return rc;
}

/* upload, balance, ledger and receipts: argv[0] is the user. */
static int ctl_cmd_user(struct ctl *c, const char *cmd,
			const struct ctl_args *a, int argc, char **argv)
{
	char path[CTL_MAX_URL_LEN], num[32], *esc = NULL;
	json_t *res = NULL;
	int i, rc = CTL_EXIT_USAGE;

	if (argc < 1 || !argv[0][0])
		goto out;
	if (strcmp(cmd, "upload") ? argc != 1
				  : argc < 2 || (a->idem && argc != 2))
		goto out;
	rc = CTL_EXIT_FAIL;
	esc = curl_easy_escape(c->curl, argv[0], 0);
	if (!esc)
		goto out;
	if (!strcmp(cmd, "upload")) {
		rc = CTL_EXIT_OK;
		for (i = 1; i < argc; i++)
			if (ctl_upload_one(c, esc, argv[i], a->idem) < 0)
				rc = CTL_EXIT_FAIL;
		goto out;
	}
	snprintf(path, sizeof(path), "/v1/users/%s/%s%s%s%s%s%s", esc, cmd,
		 a->limit || a->before ? "?" : "", a->limit ? "limit=" : "",
		 a->limit ? a->limit : "",
		 a->before ? (a->limit ? "&before=" : "before=") : "",
		 a->before ? a->before : "");
	if (ctl_call(c, cmd, path, NULL, &res) < 0)
		goto out;
	if (!c->json && !strcmp(cmd, "balance"))
		printf("%s: %s points\n", ctl_str(res, "user"),
		       ctl_int(res, "points", num, sizeof(num)));
	else if (!c->json)
		ctl_print_list(res, cmd, argv[0]);
	rc = CTL_EXIT_OK;
out:
	curl_free(esc);
	json_decref(res);
	return rc;
}

/*
 * The programme's operator and staff commands: `reverse ID [REASON]`,
 * `flagged` and `review ID approve [TOTAL] | reject` (the review queue),
 * `reprocess [flagged|failed]` (read such receipts again),
 * `expire` and `coupons` (the periodic job now; --now T runs it with
 * another clock), `metrics`, and `membership USER TIER MONTHS` (the app
 * backend's). They print the server's JSON.
 */
static int ctl_cmd_program(struct ctl *c, const char *cmd,
			   const struct ctl_args *a, int argc, char **argv)
{
	char path[CTL_MAX_URL_LEN], json[512], key[64], *esc = NULL;
	struct ctl_body body = { .ctype = "application/json" };
	json_t *req = json_object(), *res = NULL;
	int get = !strcmp(cmd, "metrics") || !strcmp(cmd, "flagged");
	int approve = argc >= 2 && !strcmp(argv[1], "approve");
	int rc = CTL_EXIT_USAGE;

	if (!strcmp(cmd, "membership")) {
		if (argc != 3 || !argv[0][0] || ctl_check_num(argv[2]) < 0)
			goto out;
		esc = curl_easy_escape(c->curl, argv[0], 0);
		if (esc == NULL)
			goto out;
		snprintf(path, sizeof(path), "/v1/users/%s/membership", esc);
		/* Without a key, one per second: a retry must pass its own. */
		snprintf(key, sizeof(key), "%.31s-%.3s-%lld", argv[1], argv[2],
			 (long long)time(NULL));
		json_object_set_new(req, "tier", json_string(argv[1]));
		json_object_set_new(req, "months",
				    json_integer(strtoll(argv[2], NULL, 10)));
		json_object_set_new(req, "idempotency_key",
				    json_string(a->idem ? a->idem : key));
	} else if (!strcmp(cmd, "reverse")) {
		if (argc < 1 || argc > 2 || ctl_check_num(argv[0]) < 0)
			goto out;
		snprintf(path, sizeof(path), "/v1/receipts/%s/reverse",
			 argv[0]);
		if (argc == 2)
			json_object_set_new(req, "reason",
					    json_string(argv[1]));
	} else if (!strcmp(cmd, "review")) {
		if (argc < 2 || argc > 2 + approve ||
		    ctl_check_num(argv[0]) < 0 ||
		    (!approve && strcmp(argv[1], "reject")) ||
		    (argc == 3 && ctl_check_num(argv[2]) < 0))
			goto out;
		snprintf(path, sizeof(path), "/v1/receipts/%s/review", argv[0]);
		json_object_set_new(req, "decision", json_string(argv[1]));
		if (argc == 3)
			json_object_set_new(
				req, "total",
				json_integer(strtoll(argv[2], NULL, 10)));
	} else if (!strcmp(cmd, "reprocess")) {
		if (argc > 1 || (a->limit && ctl_check_num(a->limit) < 0))
			goto out;
		snprintf(path, sizeof(path), "/v1/receipts/reprocess");
		if (argc == 1)
			json_object_set_new(req, "status",
					    json_string(argv[0]));
		if (a->limit)
			json_object_set_new(
				req, "limit",
				json_integer(strtoll(a->limit, NULL, 10)));
	} else if (!strcmp(cmd, "flagged")) {
		if (argc != 0)
			goto out;
		snprintf(path, sizeof(path),
			 "/v1/receipts?status=flagged%s%s%s%s",
			 a->limit ? "&limit=" : "", a->limit ? a->limit : "",
			 a->before ? "&before=" : "",
			 a->before ? a->before : "");
	} else {
		if (argc != 0)
			goto out;
		snprintf(path, sizeof(path),
			 get ? "/v1/metrics/program%s%s" : "/v1/%s/run",
			 get			  ? (a->now ? "?now=" : "")
			 : !strcmp(cmd, "expire") ? "expiry"
						  : "coupons",
			 get && a->now ? a->now : "");
		if (a->now && !get)
			json_object_set_new(req, "now", json_string(a->now));
	}
	rc = CTL_EXIT_FAIL;
	if (!get) {
		size_t n = json_dumpb(req, json, sizeof(json), JSON_COMPACT);

		if (n == 0 || n >= sizeof(json))
			goto out;
		json[n] = '\0'; /* json_dumpb does not terminate */
		body.len = (curl_off_t)n;
		body.f = fmemopen(json, (size_t)body.len, "r");
		if (body.f == NULL)
			goto out;
	}
	if (ctl_call(c, cmd, path, get ? NULL : &body, &res) == 0) {
		rc = CTL_EXIT_OK;
		if (!c->json) {
			json_dumpf(res, stdout, JSON_INDENT(2));
			putchar('\n');
		}
	}
out:
	curl_free(esc);
	if (body.f != NULL)
		fclose(body.f);
	json_decref(req);
	json_decref(res);
	return rc;
}

/* Runs the command argv[0]; returns an enum ctl_exit. */
static int ctl_run(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "idempotency-key", required_argument, NULL, 'i' },
		{ "user", required_argument, NULL, 'u' },
		{ "limit", required_argument, NULL, 'l' },
		{ "before", required_argument, NULL, 'b' },
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char *cmd = argv[0];
	struct ctl_args a = { 0 };
	int ch;

	optind = 0; /* glibc: a fresh scan of the command's own arguments */
	while ((ch = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (ch == 'i')
			a.idem = optarg;
		else if (ch == 'u')
			a.user = optarg;
		else if (ch == 'l')
			a.limit = optarg;
		else if (ch == 'b')
			a.before = optarg;
		else if (ch == 'n')
			a.now = optarg;
		else
			return CTL_EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	if ((a.idem && strcmp(cmd, "upload") && strcmp(cmd, "membership")) ||
	    (a.user && strcmp(cmd, "status")) ||
	    ((a.limit || a.before) && strcmp(cmd, "receipts") &&
	     strcmp(cmd, "flagged") && strcmp(cmd, "reprocess")) ||
	    (a.before && !strcmp(cmd, "reprocess")) ||
	    (a.now && strcmp(cmd, "expire") && strcmp(cmd, "coupons") &&
	     strcmp(cmd, "metrics")) ||
	    (a.now && ctl_check_header(a.now, 20) < 0))
		return CTL_EXIT_USAGE;
	if ((a.limit && ctl_check_num(a.limit) < 0) ||
	    (a.before && ctl_check_num(a.before) < 0))
		return CTL_EXIT_USAGE;
	if (a.idem && ctl_check_header(a.idem, CTL_MAX_IDEM_KEY_LEN) < 0) {
		fprintf(stderr,
			"receiptctl: idempotency key must be 1-%d "
			"printable ASCII characters\n",
			CTL_MAX_IDEM_KEY_LEN);
		return CTL_EXIT_USAGE;
	}
	if (!strcmp(cmd, "status"))
		return ctl_cmd_status(c, &a, argc, argv);
	if (!strcmp(cmd, "upload") || !strcmp(cmd, "balance") ||
	    !strcmp(cmd, "ledger") || !strcmp(cmd, "receipts"))
		return ctl_cmd_user(c, cmd, &a, argc, argv);
	if (!strcmp(cmd, "reverse") || !strcmp(cmd, "expire") ||
	    !strcmp(cmd, "coupons") || !strcmp(cmd, "metrics") ||
	    !strcmp(cmd, "membership") || !strcmp(cmd, "review") ||
	    !strcmp(cmd, "flagged") || !strcmp(cmd, "reprocess"))
		return ctl_cmd_program(c, cmd, &a, argc, argv);
	fprintf(stderr, "receiptctl: unknown command '%s'\n", cmd);
	return CTL_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "url", required_argument, NULL, 'U' },
		{ "key", required_argument, NULL, 'K' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl c = { 0 };
	char *url = NULL;
	size_t n;
	int ch, rc = CTL_EXIT_USAGE;

	c.url = getenv("RECEIPTD_URL");
	c.key = getenv("RECEIPTD_KEY");
	while ((ch = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (ch == 'U') {
			c.url = optarg;
		} else if (ch == 'K') {
			c.key = optarg;
		} else if (ch == 'j') {
			c.json = 1;
		} else if (ch == 'h') {
			ctl_usage(stdout);
			return CTL_EXIT_OK;
		} else {
			goto out;
		}
	}
	if (optind >= argc)
		goto out;
	if (!c.url || !c.url[0])
		c.url = CTL_DEFAULT_URL;
	if (c.key && !c.key[0])
		c.key = NULL;
	if (c.key && ctl_check_header(c.key, CTL_MAX_KEY_LEN) < 0) {
		fprintf(stderr,
			"receiptctl: API key must be 1-%d printable "
			"ASCII characters\n",
			CTL_MAX_KEY_LEN);
		goto out;
	}
	/* Paths start with '/', so drop the base URL's trailing slashes. */
	url = strdup(c.url);
	if (!url) {
		rc = CTL_EXIT_FAIL;
		goto out;
	}
	n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		url[--n] = '\0';
	c.url = url;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		rc = CTL_EXIT_FAIL;
		goto out;
	}
	c.curl = curl_easy_init();
	if (c.curl)
		rc = ctl_run(&c, argc - optind, argv + optind);
	else
		rc = CTL_EXIT_FAIL;
	curl_easy_cleanup(c.curl);
	curl_global_cleanup();
out:
	if (rc == CTL_EXIT_USAGE)
		ctl_usage(stderr);
	free(url);
	return rc;
}
