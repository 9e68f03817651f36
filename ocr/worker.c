/*
 * worker.c: the OCR worker loop and the encoding of its messages. The
 * result travels as fixed-width little-endian-native integers (both ends
 * are the same binary on the same machine) followed by the text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "worker.h"
#include "banned.h"

/* Per line and per word on the wire: box (4 x i32), conf (f32), off, len
 * (u32), and for lines first_word, nwords (u32). */
#define WIRE_WORD 28
#define WIRE_LINE 36
#define WIRE_RESULT_HEAD 36 /* id, rc, ocr_ms, w, h, text_len, nl, nw */

struct wbuf {
	uint8_t *p;
	size_t len, cap;
	int failed;
};

static void put(struct wbuf *b, const void *v, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *p;

		while (cap < b->len + n)
			cap *= 2;
		p = cap <= OCR_MSG_MAX + 8 ? realloc(b->p, cap) : NULL;
		if (!p) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, v, n);
	b->len += n;
}

static void put_u32(struct wbuf *b, uint32_t v)
{
	put(b, &v, sizeof(v));
}

static void put_box(struct wbuf *b, const struct ocr_box *x, float conf)
{
	int32_t v[4] = { x->x0, x->y0, x->x1, x->y1 };

	put(b, v, sizeof(v));
	put(b, &conf, sizeof(conf));
}

/* Finishes a message whose first 8 bytes were reserved for the header. */
static int send_msg(int fd, struct wbuf *b, uint32_t type)
{
	uint32_t len;
	int rc;

	if (b->failed || b->len - 8 > OCR_MSG_MAX) {
		free(b->p);
		errno = EMSGSIZE;
		return -1;
	}
	len = (uint32_t)(b->len - 8);
	memcpy(b->p, &type, 4);
	memcpy(b->p + 4, &len, 4);
	rc = io_write_all(fd, b->p, b->len);
	free(b->p);
	return rc;
}

/* Reads one message of the expected type into a malloc'd buffer. Returns
 * 0, -1 on EOF or I/O error, -2 on a message of another type or size. */
static int recv_msg(int fd, uint32_t want, uint8_t **out, uint32_t *len)
{
	uint32_t hdr[2];

	*out = NULL;
	if (io_read_all(fd, hdr, sizeof(hdr)))
		return -1;
	if (hdr[0] != want || hdr[1] > OCR_MSG_MAX)
		return -2;
	*out = malloc(hdr[1] ? hdr[1] : 1);
	if (!*out)
		return -1;
	if (io_read_all(fd, *out, hdr[1])) {
		free(*out);
		*out = NULL;
		return -1;
	}
	*len = hdr[1];
	return 0;
}

int ocr_ipc_send_job(int fd, int64_t id, const char *path)
{
	struct wbuf b = { 0 };
	size_t n = strlen(path);

	if (n > OCR_JOB_PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	put(&b, "\0\0\0\0\0\0\0\0", 8);
	put(&b, &id, sizeof(id));
	put(&b, path, n);
	return send_msg(fd, &b, OCR_MSG_JOB);
}

int ocr_ipc_send_result(int fd, int64_t id, int rc, const struct ocr_result *r)
{
	struct wbuf b = { 0 };
	int32_t head[2] = { rc, 0 };
	int64_t ms = r->ocr_ms;

	put(&b, "\0\0\0\0\0\0\0\0", 8);
	put(&b, &id, sizeof(id));
	put(&b, head, sizeof(head));
	put(&b, &ms, sizeof(ms));
	put_u32(&b, (uint32_t)r->width);
	put_u32(&b, (uint32_t)r->height);
	put_u32(&b, (uint32_t)r->text_len);
	put_u32(&b, (uint32_t)r->nlines);
	put_u32(&b, (uint32_t)r->nwords);
	for (size_t i = 0; i < r->nwords; i++) {
		put_box(&b, &r->words[i].box, r->words[i].conf);
		put_u32(&b, (uint32_t)r->words[i].off);
		put_u32(&b, (uint32_t)r->words[i].len);
	}
	for (size_t i = 0; i < r->nlines; i++) {
		const struct ocr_line *l = &r->lines[i];

		put_box(&b, &l->box, l->conf);
		put_u32(&b, (uint32_t)l->off);
		put_u32(&b, (uint32_t)l->len);
		put_u32(&b, (uint32_t)l->first_word);
		put_u32(&b, (uint32_t)l->nwords);
	}
	put(&b, r->text ? r->text : "", r->text_len);
	return send_msg(fd, &b, OCR_MSG_RESULT);
}

/* A cursor over a received message: every take checks the bounds. */
struct rbuf {
	const uint8_t *p, *end;
};

static int take(struct rbuf *r, void *v, size_t n)
{
	if ((size_t)(r->end - r->p) < n)
		return -1;
	memcpy(v, r->p, n);
	r->p += n;
	return 0;
}

static int take_span(struct rbuf *r, struct ocr_box *box, float *conf,
		     size_t *off, size_t *len, size_t text_len)
{
	int32_t v[4];
	uint32_t o, l;

	if (take(r, v, sizeof(v)) || take(r, conf, sizeof(*conf)) ||
	    take(r, &o, 4) || take(r, &l, 4) || o > text_len ||
	    l > text_len - o)
		return -1;
	*box = (struct ocr_box){ v[0], v[1], v[2], v[3] };
	*off = o;
	*len = l;
	return 0;
}

static int decode_result(struct rbuf *r, struct ocr_result *res)
{
	uint32_t w, h, tl, nl, nw, fw, lw;
	int64_t ms;

	if (take(r, &ms, 8) || take(r, &w, 4) || take(r, &h, 4) ||
	    take(r, &tl, 4) || take(r, &nl, 4) || take(r, &nw, 4))
		return -1;
	/* Counts must fit the bytes actually received before we allocate. */
	if ((uint64_t)nw * WIRE_WORD + (uint64_t)nl * WIRE_LINE + tl !=
	    (uint64_t)(r->end - r->p))
		return -1;
	res->ocr_ms = (long)ms;
	res->width = (int)w;
	res->height = (int)h;
	res->words = calloc(nw ? nw : 1, sizeof(*res->words));
	res->lines = calloc(nl ? nl : 1, sizeof(*res->lines));
	res->text = malloc((size_t)tl + 1);
	if (!res->words || !res->lines || !res->text)
		return -1;
	for (res->nwords = 0; res->nwords < nw; res->nwords++) {
		struct ocr_word *x = &res->words[res->nwords];

		if (take_span(r, &x->box, &x->conf, &x->off, &x->len, tl))
			return -1;
	}
	for (res->nlines = 0; res->nlines < nl; res->nlines++) {
		struct ocr_line *x = &res->lines[res->nlines];

		if (take_span(r, &x->box, &x->conf, &x->off, &x->len, tl) ||
		    take(r, &fw, 4) || take(r, &lw, 4) || fw > nw ||
		    lw > nw - fw)
			return -1;
		x->first_word = fw;
		x->nwords = lw;
	}
	if (take(r, res->text, tl))
		return -1;
	res->text[tl] = '\0';
	res->text_len = tl;
	return 0;
}

int ocr_ipc_recv_result(int fd, int64_t *id, int *rc, struct ocr_result *res)
{
	struct rbuf r;
	uint8_t *msg;
	uint32_t len;
	int32_t head[2];
	int ret = -1;

	memset(res, 0, sizeof(*res));
	if (recv_msg(fd, OCR_MSG_RESULT, &msg, &len))
		return -1;
	r.p = msg;
	r.end = msg + len;
	if (take(&r, id, sizeof(*id)) || take(&r, head, sizeof(head)))
		goto out;
	*rc = head[0];
	if (decode_result(&r, res))
		goto out;
	ret = 0;
out:
	if (ret)
		ocr_result_release(res);
	free(msg);
	return ret;
}

int ocr_worker_run(int fd, const struct ocr_config *cfg)
{
	struct ocr_engine *eng;
	int ret = -1;

	if (ocr_engine_new(cfg, &eng) != OCR_OK)
		return -1;
	for (;;) {
		char path[OCR_JOB_PATH_MAX + 1];
		struct ocr_result res = { 0 };
		uint8_t *msg, *img = NULL;
		uint32_t len;
		int64_t id;
		size_t n;
		int rc;

		rc = recv_msg(fd, OCR_MSG_JOB, &msg, &len);
		if (rc) {
			/* EOF is the supervisor's way to say stop. */
			ret = rc == -1 ? 0 : -1;
			break;
		}
		if (len < 8 || len - 8 > OCR_JOB_PATH_MAX) {
			free(msg);
			break;
		}
		memcpy(&id, msg, 8);
		memcpy(path, msg + 8, len - 8);
		path[len - 8] = '\0';
		free(msg);
		rc = ocr_read_file(path, &img, &n);
		if (rc == OCR_OK)
			rc = ocr_engine_read(eng, img, n, &res);
		free(img);
		rc = ocr_ipc_send_result(fd, id, rc, &res);
		ocr_result_release(&res);
		if (rc)
			break;
	}
	ocr_engine_free(eng);
	return ret;
}
