/*
 * ocr.c: Tesseract through its C API, after the Leptonica preprocessing
 * in prep.c (crop, orientation, deskew, light, working width).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tesseract/capi.h>

#include "ocr.h"
#include "prep.h"
#include "banned.h"

/* Tesseract assumes 300 dpi receipts read well at our working width. */
#define WORKING_DPI 300
#define MAX_WORDS 20000

struct ocr_engine {
	TessBaseAPI *api;
	struct ocr_config cfg;
};

/* Growable byte buffer with a hard cap, local to result building. */
struct textbuf {
	char *p;
	size_t len, cap;
};

void ocr_config_init(struct ocr_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->lang, sizeof(cfg->lang), "%s", OCR_DEFAULT_LANG);
	cfg->max_width = OCR_DEFAULT_MAX_WIDTH;
	cfg->min_width = 0;
	cfg->psm = PSM_SINGLE_BLOCK;
	cfg->prep = OCR_PREP_DEFAULT;
}

int ocr_pin_threads(char **argv)
{
	const char *v = getenv("OMP_THREAD_LIMIT");

	if (v && !strcmp(v, "1"))
		return 0;
	if (setenv("OMP_THREAD_LIMIT", "1", 1) != 0)
		return -1;
	execv("/proc/self/exe", argv);
	return -1;
}

/*
 * Debian's Tesseract opens OpenMP regions (four gate "sections" per LSTM
 * time step, parallel loops elsewhere). With one thread, libgomp still
 * builds a team of one for each and ends it with a futex wake: about
 * 30 000 system calls and a tenth of the OCR time per receipt. The
 * executables export the four entry points Tesseract imports
 * (-Wl,--export-dynamic-symbol, see the Makefile), so its calls land here
 * and run on the calling thread, which is what one thread means. The
 * section counter is per thread and saved around each region, so regions
 * may nest. A Tesseract built without OpenMP never calls these.
 */
void GOMP_parallel(void (*fn)(void *), void *data, unsigned nthreads,
		   unsigned flags);
void GOMP_parallel_sections(void (*fn)(void *), void *data, unsigned nthreads,
			    unsigned count, unsigned flags);
unsigned GOMP_sections_next(void);
void GOMP_sections_end_nowait(void);

static _Thread_local unsigned omp_section_next, omp_section_count;

void GOMP_parallel(void (*fn)(void *), void *data, unsigned nthreads,
		   unsigned flags)
{
	(void)nthreads;
	(void)flags;
	fn(data);
}

void GOMP_parallel_sections(void (*fn)(void *), void *data, unsigned nthreads,
			    unsigned count, unsigned flags)
{
	unsigned next = omp_section_next, total = omp_section_count;

	(void)nthreads;
	(void)flags;
	omp_section_next = 1;
	omp_section_count = count;
	fn(data);
	omp_section_next = next;
	omp_section_count = total;
}

/* Sections are numbered from 1; 0 means none left. */
unsigned GOMP_sections_next(void)
{
	if (omp_section_next > omp_section_count)
		return 0;
	return omp_section_next++;
}

void GOMP_sections_end_nowait(void)
{
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int ocr_engine_new(const struct ocr_config *cfg, struct ocr_engine **out)
{
	struct ocr_engine *eng;

	*out = NULL;
	/* Tesseract calls Leptonica in ways that log harmless "Error in ..."
	 * lines per image; we report our own errors instead. */
	setMsgSeverity(L_SEVERITY_NONE);
	eng = calloc(1, sizeof(*eng));
	if (!eng)
		return OCR_ERR_NOMEM;
	eng->cfg = *cfg;
	eng->api = TessBaseAPICreate();
	if (!eng->api) {
		free(eng);
		return OCR_ERR_NOMEM;
	}
	if (TessBaseAPIInit3(eng->api, cfg->datapath, cfg->lang) != 0) {
		fprintf(stderr, "ocr: cannot load Tesseract language '%s'\n",
			cfg->lang);
		ocr_engine_free(eng);
		return OCR_ERR_ENGINE;
	}
	TessBaseAPISetPageSegMode(eng->api, (TessPageSegMode)cfg->psm);
	/* Receipts are dark on light: the inverted second pass only costs. */
	TessBaseAPISetVariable(eng->api, "tessedit_do_invert", "0");
	TessBaseAPISetVariable(eng->api, "invert_threshold", "0");
	/* Keep Tesseract's chatter ("Estimating resolution") off stderr. */
	TessBaseAPISetVariable(eng->api, "debug_file", "/dev/null");
	*out = eng;
	return OCR_OK;
}

void ocr_engine_free(struct ocr_engine *eng)
{
	if (!eng)
		return;
	if (eng->api) {
		TessBaseAPIEnd(eng->api);
		TessBaseAPIDelete(eng->api);
	}
	free(eng);
}

static int textbuf_add(struct textbuf *b, const char *s, size_t n)
{
	if (n + 2 > b->cap - b->len) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		char *p;

		while (cap - b->len < n + 2)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return OCR_ERR_NOMEM;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return OCR_OK;
}

static int push_word(struct ocr_result *res, size_t *cap,
		     const struct ocr_word *w)
{
	if (res->nwords == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		struct ocr_word *p;

		if (ncap > MAX_WORDS)
			return OCR_ERR_TOO_LARGE;
		p = realloc(res->words, ncap * sizeof(*p));
		if (!p)
			return OCR_ERR_NOMEM;
		res->words = p;
		*cap = ncap;
	}
	res->words[res->nwords++] = *w;
	return OCR_OK;
}

static void box_union(struct ocr_box *a, const struct ocr_box *b)
{
	if (b->x0 < a->x0)
		a->x0 = b->x0;
	if (b->y0 < a->y0)
		a->y0 = b->y0;
	if (b->x1 > a->x1)
		a->x1 = b->x1;
	if (b->y1 > a->y1)
		a->y1 = b->y1;
}

static int starts_line(const struct ocr_result *res, const char *text, size_t i)
{
	return i == 0 || text[res->words[i].off - 1] == '\n';
}

/* Groups consecutive words of one Tesseract text line into ocr_lines and
 * builds the text: words joined by one space, lines ended by '\n'. */
static int build_lines(struct ocr_result *res, const char *text)
{
	size_t i, nlines = 0;

	for (i = 0; i < res->nwords; i++)
		nlines += starts_line(res, text, i);
	res->lines = calloc(nlines ? nlines : 1, sizeof(*res->lines));
	if (!res->lines)
		return OCR_ERR_NOMEM;
	for (i = 0; i < res->nwords; i++) {
		struct ocr_word *w = &res->words[i];
		struct ocr_line *l;

		if (starts_line(res, text, i)) {
			l = &res->lines[res->nlines++];
			l->box = w->box;
			l->first_word = i;
			l->off = w->off;
		}
		l = &res->lines[res->nlines - 1];
		box_union(&l->box, &w->box);
		l->conf += w->conf;
		l->nwords++;
		l->len = w->off + w->len - l->off;
	}
	for (i = 0; i < res->nlines; i++)
		res->lines[i].conf /= (float)res->lines[i].nwords;
	return OCR_OK;
}

/* Walks Tesseract's result word by word. Text is assembled here so that
 * every word's offset into res->text is exact. */
static int collect(TessBaseAPI *api, struct ocr_result *res)
{
	TessResultIterator *ri = TessBaseAPIGetIterator(api);
	TessPageIterator *pi;
	struct textbuf tb = { 0 };
	size_t cap = 0;
	int rc = OCR_OK;

	if (!ri)
		goto done; /* empty page: no words */
	pi = TessResultIteratorGetPageIterator(ri);
	do {
		struct ocr_word w = { 0 };
		char *txt = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
		int newline = TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE);
		size_t n;

		if (!txt)
			continue;
		n = strlen(txt);
		TessPageIteratorBoundingBox(pi, RIL_WORD, &w.box.x0, &w.box.y0,
					    &w.box.x1, &w.box.y1);
		w.conf = TessResultIteratorConfidence(ri, RIL_WORD);
		if (res->nwords && newline)
			rc = textbuf_add(&tb, "\n", 1);
		else if (res->nwords)
			rc = textbuf_add(&tb, " ", 1);
		w.off = tb.len;
		w.len = n;
		if (rc == OCR_OK)
			rc = textbuf_add(&tb, txt, n);
		TessDeleteText(txt);
		if (rc == OCR_OK)
			rc = push_word(res, &cap, &w);
		if (rc != OCR_OK)
			break;
	} while (TessPageIteratorNext(pi, RIL_WORD));
	TessResultIteratorDelete(ri);
	if (rc == OCR_OK && res->nwords)
		rc = textbuf_add(&tb, "\n", 1);
	if (rc == OCR_OK)
		rc = build_lines(res, tb.p);
done:
	if (rc == OCR_OK && !tb.p)
		rc = textbuf_add(&tb, "", 0);
	res->text = tb.p;
	res->text_len = tb.len;
	return rc;
}

int ocr_engine_read(struct ocr_engine *eng, const uint8_t *buf, size_t len,
		    struct ocr_result *res)
{
	PIX *pix = NULL, *work = NULL;
	long t0 = now_ms();
	int rc;

	memset(res, 0, sizeof(*res));
	rc = ocr_image_decode(buf, len, &pix);
	if (rc != OCR_OK)
		return rc;
	rc = ocr_prep_run(pix, eng->cfg.prep, eng->cfg.max_width,
			  eng->cfg.min_width, &work, &res->prep);
	pixDestroy(&pix);
	if (rc != OCR_OK)
		return rc;
	res->width = pixGetWidth(work);
	res->height = pixGetHeight(work);
	TessBaseAPISetImage2(eng->api, work);
	TessBaseAPISetSourceResolution(eng->api, WORKING_DPI);
	if (TessBaseAPIRecognize(eng->api, NULL) != 0)
		rc = OCR_ERR_ENGINE;
	else
		rc = collect(eng->api, res);
	TessBaseAPIClear(eng->api);
	pixDestroy(&work);
	if (rc != OCR_OK) {
		ocr_result_release(res);
		return rc;
	}
	res->ocr_ms = now_ms() - t0;
	return OCR_OK;
}

int ocr_result_parse(const struct ocr_result *res, struct receipt *out)
{
	struct parser_line *lines;
	struct parser_doc doc;
	int rc;

	if (res->nlines > PARSER_MAX_LINES) {
		receipt_init(out);
		return PARSER_ERR_TOO_LARGE;
	}
	lines = calloc(res->nlines ? res->nlines : 1, sizeof(*lines));
	if (!lines) {
		receipt_init(out);
		return PARSER_ERR_INVALID;
	}
	for (size_t i = 0; i < res->nlines; i++) {
		lines[i].text = res->text + res->lines[i].off;
		lines[i].len = res->lines[i].len;
		lines[i].conf = res->lines[i].conf;
	}
	doc.lines = lines;
	doc.nlines = res->nlines;
	rc = parser_parse_doc(&doc, out);
	free(lines);
	return rc;
}

void ocr_result_release(struct ocr_result *res)
{
	free(res->text);
	free(res->words);
	free(res->lines);
	memset(res, 0, sizeof(*res));
}
