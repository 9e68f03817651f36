/*
 * ocr.c: Tesseract through its C API, after the Leptonica preprocessing
 * in prep.c (crop, orientation, deskew, light, working width).
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <ctype.h>
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tesseract/capi.h>

#include "lex.h"
#include "model.h"
#include "ocr.h"
#include "prep.h"
#include "banned.h"

/* Tesseract assumes 300 dpi receipts read well at our working width. */
#define WORKING_DPI 300
#define MAX_WORDS 20000
/* A page whose words Tesseract is on average less sure of than this may
 * lie turned; Tesseract's orientation check must be this sure. */
#define TURN_MAX_CONF 50
#define OSD_MIN_CONF 0.5f
/* Second reading of darkened pages (read_opened): the opening's size,
 * how much surer (0..100) a word of it must be to replace the first
 * reading's, and how much the two words' boxes must overlap. */
#define READ_OPEN_PX 5
/* A third reading, of the figures alone opened wider (read_figures), for
 * darkened pages whose merged reading still leaves the total or the date
 * unconfirmed. */
#define READ_WIDE_OPEN_PX 7
#define MERGE_MARGIN 5.0f
#define MERGE_MIN_OVERLAP 0.5f
/* Word pairs settle_pairs tries at most (a receipt's digits mostly read
 * alike both times). */
#define SETTLE_MAX_PAIRS 32

struct ocr_engine {
	TessBaseAPI *api;
	TessBaseAPI *osd; /* orientation only, started on first need */
	int osd_failed;
	TessBaseAPI *faded; /* darkened pages' date words (faded_api) */
	int faded_failed;
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
	snprintf(cfg->faded_lang, sizeof(cfg->faded_lang), "%s",
		 OCR_DEFAULT_FADED_LANG);
	cfg->max_width = OCR_DEFAULT_MAX_WIDTH;
	cfg->min_width = 0;
	cfg->psm = PSM_SINGLE_BLOCK;
	cfg->prep = OCR_PREP_DEFAULT;
	cfg->word_lines = 1;
	cfg->reread = 1;
	cfg->figures = 1;
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

/*
 * Tesseract 5.3 hands every line it recognises to its LSTM as an
 * ImageData, which keeps the line image PNG-compressed
 * (pixWriteMem(..., IFF_PNG)) and decodes it again at once: deflate and
 * inflate of images no one else sees, about 7 % of a phone photo's time.
 * The executables export pixWriteMem too (see the Makefile), so
 * Tesseract's call lands here. While one of our recognitions runs on
 * this thread, a PNG is written as Leptonica's uncompressed serialised
 * pix instead; pixReadMem tells formats apart by their header, so
 * Tesseract reads the same pixels back. Every other call goes on to
 * Leptonica's own pixWriteMem.
 */
static _Thread_local int recognising;
static _Thread_local unsigned long raw_line_images;
static l_ok (*lept_write_mem)(l_uint8 **, size_t *, PIX *, l_int32);
static pthread_once_t lept_write_mem_once = PTHREAD_ONCE_INIT;

static void find_lept_write_mem(void)
{
	*(void **)&lept_write_mem = dlsym(RTLD_NEXT, "pixWriteMem");
}

l_ok pixWriteMem(l_uint8 **pdata, size_t *psize, PIX *pix, l_int32 format)
{
	if (recognising && format == IFF_PNG) {
		raw_line_images++;
		return pixWriteMemSpix(pdata, psize, pix);
	}
	pthread_once(&lept_write_mem_once, find_lept_write_mem);
	if (!lept_write_mem) {
		if (pdata)
			*pdata = NULL;
		return 1; /* Leptonica's error */
	}
	return lept_write_mem(pdata, psize, pix, format);
}

unsigned long ocr_raw_line_images(void)
{
	return raw_line_images;
}

/* TessBaseAPIRecognize with its line images kept uncompressed. */
static int tess_recognise(TessBaseAPI *api)
{
	int rc;

	recognising = 1;
	rc = TessBaseAPIRecognize(api, NULL);
	recognising = 0;
	return rc;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Receipts print names, codes and prices, not dictionary words: the word
 * lists cost load time and recognition time (about 5 % per receipt) and
 * changed no field on the benchmark. */
static char *dawg_names[] = { "load_system_dawg", "load_freq_dawg" };
static char *dawg_values[] = { "0", "0" };

/* What every engine reads with, once its model is loaded. */
static void engine_setup(TessBaseAPI *api, const struct ocr_config *cfg)
{
	TessBaseAPISetPageSegMode(api, (TessPageSegMode)cfg->psm);
	/* Receipts are dark on light: the inverted second pass only costs. */
	TessBaseAPISetVariable(api, "tessedit_do_invert", "0");
	TessBaseAPISetVariable(api, "invert_threshold", "0");
	/* Keep Tesseract's chatter ("Estimating resolution") off stderr. */
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
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
	if (TessBaseAPIInit4(eng->api, cfg->datapath, cfg->lang, OEM_DEFAULT,
			     NULL, 0, dawg_names, dawg_values, 2, 0) != 0) {
		fprintf(stderr, "ocr: cannot load Tesseract language '%s'\n",
			cfg->lang);
		ocr_engine_free(eng);
		return OCR_ERR_ENGINE;
	}
	engine_setup(eng->api, cfg);
	*out = eng;
	return OCR_OK;
}

/* Starts the engine for darkened pages' date words from the model faded_lang
 * names, in the main model's folder, read without its word lists
 * (model.h). */
static int start_faded(struct ocr_engine *eng)
{
	const char *dir = TessBaseAPIGetDatapath(eng->api);
	char path[PATH_MAX], *model = NULL;
	size_t len = 0;
	int rc;

	if (!dir || snprintf(path, sizeof(path), "%s/%s.traineddata", dir,
			     eng->cfg.faded_lang) >= (int)sizeof(path))
		return OCR_ERR_IO;
	rc = ocr_model_read(path, &model, &len);
	if (rc == OCR_OK && len > INT_MAX)
		rc = OCR_ERR_DECODE;
	if (rc == OCR_OK && !(eng->faded = TessBaseAPICreate()))
		rc = OCR_ERR_NOMEM;
	if (rc == OCR_OK &&
	    TessBaseAPIInit5(eng->faded, model, (int)len, eng->cfg.faded_lang,
			     OEM_DEFAULT, NULL, 0, dawg_names, dawg_values, 2,
			     0) != 0)
		rc = OCR_ERR_ENGINE;
	free(model);
	if (rc == OCR_OK)
		engine_setup(eng->faded, &eng->cfg);
	return rc;
}

/* The engine darkened pages' date words are read with a last time
 * (read_faded_dates), started on first need; NULL without one
 * (faded_lang "" or "none", or the model missing: said once on stderr). */
static TessBaseAPI *faded_api(struct ocr_engine *eng)
{
	if (!eng->faded && !eng->faded_failed && eng->cfg.faded_lang[0] &&
	    strcmp(eng->cfg.faded_lang, "none") != 0) {
		int rc = start_faded(eng);

		if (rc != OCR_OK) {
			fprintf(stderr,
				"ocr: no model '%s' for faded print (%s): "
				"reading it with '%s' only\n",
				eng->cfg.faded_lang, ocr_strerror(rc),
				eng->cfg.lang);
			if (eng->faded)
				TessBaseAPIDelete(eng->faded);
			eng->faded = NULL;
			eng->faded_failed = 1;
		}
	}
	return eng->faded;
}

void ocr_engine_free(struct ocr_engine *eng)
{
	if (!eng)
		return;
	if (eng->api) {
		TessBaseAPIEnd(eng->api);
		TessBaseAPIDelete(eng->api);
	}
	if (eng->osd) {
		TessBaseAPIEnd(eng->osd);
		TessBaseAPIDelete(eng->osd);
	}
	if (eng->faded) {
		TessBaseAPIEnd(eng->faded);
		TessBaseAPIDelete(eng->faded);
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

/* Words of one line sit within this share of the median word height of
 * the line's (deskewed) middle; lines are one and a half heights apart. */
#define LINE_TOL 0.45f
/* Slopes beyond this (about 11 degrees) are not lines of one receipt. */
#define MAX_SLOPE 0.2f
#define SLOPE_MIN_CONF 60.0f
#define LEVEL_SLOPE 0.017f

struct word_key {
	size_t i;    /* index into res->words */
	float key;   /* vertical middle with the page's slope taken out */
	int x0;	     /* left edge, for the order within a line */
	size_t line; /* rebuilt line */
};

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

static int cmp_key(const void *a, const void *b)
{
	const struct word_key *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

static int cmp_line_x(const void *a, const void *b)
{
	const struct word_key *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return (x->x0 > y->x0) - (x->x0 < y->x0);
}

static float mid_y(const struct ocr_box *b)
{
	return (float)(b->y0 + b->y1) / 2.0f;
}

static float mid_x(const struct ocr_box *b)
{
	return (float)(b->x0 + b->x1) / 2.0f;
}

/* Median of v[0..n) (reorders v); 0 when n is 0. */
static float median(float *v, size_t n)
{
	if (!n)
		return 0.0f;
	qsort(v, n, sizeof(*v), cmp_float);
	return v[n / 2];
}

/* Slope (dy / dx) from a line's first confident word to its last (stray
 * marks read as "|" or "ö" sit anywhere), with *ok the width in pixels
 * it was measured over; 0 with *ok 0 when fewer than two such words or
 * an implausible slope. */
static float line_slope(const struct ocr_result *res, const struct ocr_line *l,
			int *ok)
{
	const struct ocr_box *a = NULL, *b = NULL;
	float dx = 0.0f, s = 0.0f;

	for (size_t i = l->first_word; i < l->first_word + l->nwords; i++) {
		if (res->words[i].conf < SLOPE_MIN_CONF)
			continue;
		if (!a)
			a = &res->words[i].box;
		b = &res->words[i].box;
	}
	if (a && b)
		dx = mid_x(b) - mid_x(a);
	if (dx > 0.0f)
		s = (mid_y(b) - mid_y(a)) / dx;
	*ok = dx > 0.0f && s > -MAX_SLOPE && s < MAX_SLOPE ? (int)dx + 1 : 0;
	return *ok ? s : 0.0f;
}

/* The slope at line li: under perspective it changes steadily down the
 * page, so a straight fit of slope against height over the lines that
 * span a third of the width or more (two words close together, as a
 * total's keyword often is, give a poor slope of their own). */
static float slope_near(const struct ocr_result *res, size_t li)
{
	double n = 0, sy = 0, ss = 0, syy = 0, sys = 0, den;
	double y = mid_y(&res->lines[li].box);
	int ok;

	for (size_t j = 0; j < res->nlines; j++) {
		const struct ocr_line *m = &res->lines[j];
		double s = line_slope(res, m, &ok), my = mid_y(&m->box);

		if (ok * 3 < res->width)
			continue;
		n++;
		sy += my;
		ss += s;
		syy += my * my;
		sys += my * s;
	}
	if (n < 1)
		return 0.0f;
	den = n * syy - sy * sy;
	if (n < 3 || den <= 0)
		return (float)(ss / n);
	return (float)((ss + (n * sys - sy * ss) / den * (n * y - sy)) / n);
}

/* Each Tesseract line's slope: its own where its sure words span a third
 * of the width, else the fitted slope at its height (a slope measured
 * between two nearby words is off by degrees and puts an amount on the
 * line above its name), else that of the nearest line that has one. Also
 * the median word height. slope holds nlines, tmp nwords. */
static void page_geometry(const struct ocr_result *res, float *slope,
			  float *tmp, float *height)
{
	size_t i, j, wide = 0;
	int *ok = calloc(res->nlines ? res->nlines : 1, sizeof(*ok));

	for (i = 0; i < res->nlines; i++) {
		slope[i] = line_slope(res, &res->lines[i],
				      ok ? &ok[i] : &(int){ 0 });
		wide += ok && ok[i] * 3 >= res->width;
	}
	for (i = 0; ok && i < res->nlines; i++) {
		if (ok[i] * 3 >= res->width)
			continue;
		if (wide) {
			slope[i] = slope_near(res, i);
			continue;
		}
		for (j = 1; !ok[i] && j < res->nlines; j++) {
			if (i >= j && ok[i - j]) {
				slope[i] = slope[i - j];
				break;
			}
			if (i + j < res->nlines && ok[i + j]) {
				slope[i] = slope[i + j];
				break;
			}
		}
	}
	free(ok);
	for (i = 0; i < res->nwords; i++)
		tmp[i] = (float)(res->words[i].box.y1 - res->words[i].box.y0);
	*height = median(tmp, res->nwords);
}

/* Puts the words in out, whose text tb holds (a line each, rc telling
 * whether building them went well), in place of res's; frees them
 * instead where building failed or there are none. Returns rc. */
static int adopt_words(struct ocr_result *res, struct textbuf *tb,
		       struct ocr_result *out, int rc)
{
	if (rc == OCR_OK && out->nwords)
		rc = textbuf_add(tb, "\n", 1);
	if (rc == OCR_OK && out->nwords)
		rc = build_lines(out, tb->p);
	if (rc == OCR_OK && out->nwords) {
		free(res->text);
		free(res->words);
		free(res->lines);
		res->text = tb->p;
		res->text_len = tb->len;
		res->words = out->words;
		res->nwords = out->nwords;
		res->lines = out->lines;
		res->nlines = out->nlines;
		return OCR_OK;
	}
	free(tb->p);
	free(out->words);
	free(out->lines);
	return rc;
}

/* Words of a line join it within LINE_TOL word heights of its mean
 * middle, with each Tesseract line's slope taken out. */
int ocr_result_rebuild_lines(struct ocr_result *res)
{
	size_t n = res->nwords, i, line = 0, cap = 0;
	struct word_key *k = calloc(n ? n : 1, sizeof(*k));
	float *tmp = calloc(n ? n : 1, sizeof(*tmp));
	float *slope = calloc(res->nlines ? res->nlines : 1, sizeof(*slope));
	struct ocr_result out = { 0 };
	struct textbuf tb = { 0 };
	float height, sum = 0.0f;
	size_t count = 0;
	int rc = OCR_ERR_NOMEM;

	if (!k || !tmp || !slope)
		goto done;
	page_geometry(res, slope, tmp, &height);
	for (size_t l = 0; l < res->nlines; l++) {
		for (i = res->lines[l].first_word;
		     i < res->lines[l].first_word + res->lines[l].nwords; i++) {
			const struct ocr_box *b = &res->words[i].box;

			k[i].i = i;
			k[i].key = mid_y(b) - slope[l] * mid_x(b);
			k[i].x0 = b->x0;
		}
	}
	qsort(k, n, sizeof(*k), cmp_key);
	for (i = 0; i < n; i++) {
		if (count &&
		    k[i].key - sum / (float)count > LINE_TOL * height) {
			line++;
			sum = 0.0f;
			count = 0;
		}
		k[i].line = line;
		sum += k[i].key;
		count++;
	}
	qsort(k, n, sizeof(*k), cmp_line_x);
	rc = OCR_OK;
	for (i = 0; i < n && rc == OCR_OK; i++) {
		struct ocr_word w = res->words[k[i].i];

		if (i)
			rc = textbuf_add(
				&tb, k[i].line != k[i - 1].line ? "\n" : " ",
				1);
		if (rc == OCR_OK)
			rc = textbuf_add(&tb, res->text + w.off, w.len);
		w.off = tb.len - w.len;
		if (rc == OCR_OK)
			rc = push_word(&out, &cap, &w);
	}
	rc = adopt_words(res, &tb, &out, rc);
done:
	free(k);
	free(tmp);
	free(slope);
	return rc;
}

/* Whether Tesseract's lines run level (median slope under about one
 * degree): there its own lines are right, and rebuilding them from the
 * boxes can only add mistakes (it measured the same, with items read a
 * little better on level synthetic receipts). */
static int page_is_level(const struct ocr_result *res)
{
	float *v = calloc(res->nlines ? res->nlines : 1, sizeof(*v));
	size_t n = 0;
	float m;

	if (!v)
		return 0;
	for (size_t i = 0; i < res->nlines; i++) {
		int ok;
		float s = line_slope(res, &res->lines[i], &ok);

		if (ok)
			v[n++] = s < 0 ? -s : s;
	}
	m = median(v, n);
	free(v);
	return m < LEVEL_SLOPE;
}

/* Lines worth a second, single-line reading: a total or a date, the
 * fields points hang on. */
static const char *const reread_keywords[] = {
	"total", "summe", "zu zahlen", "betrag", "datum", "date",
};
#define REREAD_MAX_LINES 4
/* Other lines with figures (items, payment, VAT) that read poorly on a
 * page that is not level: a name and its amount a line apart under tilt
 * read as one garbled line (more item amounts found on tilted photos; no
 * total or date changed). */
#define REREAD_MAX_FIGURES 12
/* A line is re-read when it tilts by a degree or more, or reads poorly on a
 * page that is not level (on level scans a second reading of a poor line
 * changed no field on the benchmark and cost 8 % of the time). */
#define REREAD_MIN_SLOPE 0.017f
#define REREAD_MAX_CONF 85.0f
/* The least confidence at which a re-read line that found the numbers its
 * first reading lacked is taken. */
#define REREAD_MIN_CONF 60
/* Height of the band a line is read from, in text heights. */
#define REREAD_BAND 2

static int digits_in(const char *s, size_t n)
{
	int k = 0;

	for (size_t i = 0; i < n; i++)
		k += s[i] >= '0' && s[i] <= '9';
	return k;
}

static int has_digit(const char *s, size_t n)
{
	return digits_in(s, n) > 0;
}

enum reread_kind { REREAD_NONE, REREAD_FIELD, REREAD_FIGURES };

static enum reread_kind wants_reread(const struct ocr_result *res,
				     const struct ocr_line *l, int level)
{
	const char *s = res->text + l->off, *end = s + l->len, *after;
	int ok;
	float slope = line_slope(res, l, &ok);

	if ((slope < 0 ? -slope : slope) < REREAD_MIN_SLOPE &&
	    (l->conf >= REREAD_MAX_CONF || level))
		return REREAD_NONE;
	for (size_t k = 0;
	     k < sizeof(reread_keywords) / sizeof(reread_keywords[0]); k++)
		if (lex_find_keyword(s, end, reread_keywords[k], 0, &after))
			return REREAD_FIELD;
	return !level && l->conf < REREAD_MAX_CONF && has_digit(s, l->len)
		       ? REREAD_FIGURES
		       : REREAD_NONE;
}

/* Reads one line alone, as a single text line: a strip across the whole
 * image along the line's own slope (perspective gives each line its own;
 * its amount may sit far right of the words that were grouped with it),
 * levelled, cut to the line's height and scaled by scale. Returns
 * Tesseract's text (TessDeleteText) with its mean confidence, or NULL. */
static char *read_line_alone(TessBaseAPI *api, PIX *work,
			     const struct ocr_result *res, size_t li,
			     float scale, int *conf)
{
	const struct ocr_line *l = &res->lines[li];
	int h = res->prep.text_px, w = res->width, half, y0, y1, n = 0;
	float slope = slope_near(res, li), angle, cy = 0.0f;

	/* Where the line crosses the middle of the image, from its sure
	 * words (a stray "|" stretches the line's box). */
	for (size_t i = l->first_word; i < l->first_word + l->nwords; i++) {
		const struct ocr_box *b = &res->words[i].box;

		if (res->words[i].conf < SLOPE_MIN_CONF)
			continue;
		cy += mid_y(b) + slope * ((float)w / 2.0f - mid_x(b));
		n++;
	}
	if (!n)
		return NULL;
	cy /= (float)n;
	BOX *box;
	PIX *clip, *turned, *band = NULL;
	char *text = NULL;

	if (h <= 0 || h > res->height / 4)
		return NULL;
	/* Half the strip: the line's rise over the width, plus a margin
	 * with neighbouring lines for the skew search. */
	half = (int)((slope < 0 ? -slope : slope) * (float)w / 2.0f) + 3 * h;
	y0 = (int)cy - half;
	y1 = (int)cy + half;
	y0 = y0 < 0 ? 0 : y0;
	y1 = y1 > res->height ? res->height : y1;
	if (y1 - y0 < h)
		return NULL;
	box = boxCreate(0, y0, w, y1 - y0);
	clip = box ? pixClipRectangle(work, box, NULL) : NULL;
	boxDestroy(&box);
	if (!clip)
		return NULL;
	/* The strip's own skew where Leptonica is sure of it (the line and
	 * the rules around it; a fit over the page misses a steep bottom),
	 * else the fit's. */
	angle = ocr_prep_find_skew(clip) * 3.14159265f / 180.0f;
	if (angle == 0.0f)
		/* Leptonica turns clockwise about the centre for positive
		 * angles; a line falling to the right (slope > 0) is
		 * levelled by turning it back. Slopes stay under
		 * MAX_SLOPE, where atan(s) ~ s - s^3/3. */
		angle = -(slope - slope * slope * slope / 3.0f);
	turned = pixRotate(clip, angle, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0,
			   0);
	pixDestroy(&clip);
	if (!turned)
		return NULL;
	/* The line now runs level through the row of cy. */
	/* Just the line: rules above and below it make Tesseract read
	 * nothing. */
	box = boxCreate(0, (int)cy - y0 - h * REREAD_BAND / 2, w,
			h * REREAD_BAND);
	if (box)
		band = pixClipRectangle(turned, box, NULL);
	boxDestroy(&box);
	pixDestroy(&turned);
	if (band && scale != 1.0f) {
		PIX *scaled = pixScale(band, scale, scale);

		pixDestroy(&band);
		band = scaled;
	}
	if (!band)
		return NULL;
	TessBaseAPISetImage2(api, band);
	TessBaseAPISetSourceResolution(api, WORKING_DPI);
	if (tess_recognise(api) == 0) {
		text = TessBaseAPIGetUTF8Text(api);
		*conf = TessBaseAPIMeanTextConf(api);
	}
	pixDestroy(&band);
	return text;
}

/* Puts n bytes of text in place of the len bytes of res's text at at,
 * moving the words and lines after them and stretching the line that
 * holds them. */
static int splice_text(struct ocr_result *res, size_t at, size_t len,
		       const char *text, size_t n)
{
	size_t newlen = res->text_len - len + n;
	long shift = (long)n - (long)len;
	char *buf = malloc(newlen + 1);

	if (!buf)
		return OCR_ERR_NOMEM;
	memcpy(buf, res->text, at);
	memcpy(buf + at, text, n);
	memcpy(buf + at + n, res->text + at + len,
	       res->text_len - at - len + 1);
	for (size_t i = 0; i < res->nwords; i++)
		if (res->words[i].off > at)
			res->words[i].off =
				(size_t)((long)res->words[i].off + shift);
	for (size_t j = 0; j < res->nlines; j++) {
		struct ocr_line *l = &res->lines[j];

		if (l->off > at)
			l->off = (size_t)((long)l->off + shift);
		else if (at == l->off || at < l->off + l->len)
			l->len = (size_t)((long)l->len + shift);
	}
	free(res->text);
	res->text = buf;
	res->text_len = newlen;
	return OCR_OK;
}

/* Puts text (one line, trailing whitespace dropped) in place of line li:
 * the line's words, which no longer fit it, become empty spans at its
 * start. */
static int replace_line(struct ocr_result *res, size_t li, const char *text,
			float conf)
{
	struct ocr_line *l = &res->lines[li];
	size_t n = strcspn(text, "\n");
	int rc;

	while (n && (text[n - 1] == ' ' || text[n - 1] == '\r'))
		n--;
	if (!n)
		return 0;
	rc = splice_text(res, l->off, l->len, text, n);
	if (rc != OCR_OK)
		return rc;
	for (size_t w = l->first_word; w < l->first_word + l->nwords; w++) {
		res->words[w].off = l->off;
		res->words[w].len = 0;
	}
	l->conf = conf;
	return OCR_OK;
}

/* A new reading wins when Tesseract is surer of it, or when the line had
 * lost its numbers (a keyword whose amount went to another line reads
 * with high confidence but is useless) and a fair reading has them. */
static int better_reading(const struct ocr_result *res,
			  const struct ocr_line *l, const char *text, int conf)
{
	if ((float)conf > l->conf)
		return 1;
	return conf >= REREAD_MIN_CONF &&
	       !has_digit(res->text + l->off, l->len) &&
	       has_digit(text, strlen(text));
}

/* Re-reads the few total and date lines that tilt or read poorly (level:
 * the page's lines are level), and poor lines with figures on a page that
 * is not, one at a time as single lines, and keeps a reading Tesseract is
 * surer of. */
static int reread_lines(TessBaseAPI *api, PIX *work, struct ocr_result *res,
			int level)
{
	static const int max[] = { 0, REREAD_MAX_LINES, REREAD_MAX_FIGURES };
	int psm = TessBaseAPIGetPageSegMode(api), done[3] = { 0 };
	int rc = OCR_OK;

	TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
	for (size_t i = 0; i < res->nlines && rc == OCR_OK; i++) {
		enum reread_kind kind =
			wants_reread(res, &res->lines[i], level);
		int conf = -1;
		char *text;

		if (done[kind] >= max[kind])
			continue;
		done[kind]++;
		text = read_line_alone(api, work, res, i, 1.0f, &conf);
		if (text && better_reading(res, &res->lines[i], text, conf))
			rc = replace_line(res, i, text, (float)conf);
		if (text)
			TessDeleteText(text);
	}
	TessBaseAPISetPageSegMode(api, psm);
	return rc;
}

/* Recognises work with the engine's page mode into res. */
static int recognise(TessBaseAPI *api, PIX *work, struct ocr_result *res)
{
	res->width = pixGetWidth(work);
	res->height = pixGetHeight(work);
	TessBaseAPISetImage2(api, work);
	TessBaseAPISetSourceResolution(api, WORKING_DPI);
	if (tess_recognise(api) != 0)
		return OCR_ERR_ENGINE;
	res->conf = TessBaseAPIMeanTextConf(api);
	return collect(api, res);
}

/* Quarter turns (clockwise) that Tesseract's orientation check says work
 * needs, 0 when it is unsure or has no data. */
static int osd_quads(struct ocr_engine *eng, PIX *work)
{
	int deg = 0;
	float conf = 0.0f, sconf = 0.0f;
	const char *script = NULL;

	if (!eng->osd && !eng->osd_failed) {
		eng->osd = TessBaseAPICreate();
		if (eng->osd &&
		    TessBaseAPIInit3(eng->osd, eng->cfg.datapath, "osd") != 0) {
			TessBaseAPIDelete(eng->osd);
			eng->osd = NULL;
		}
		if (!eng->osd) {
			eng->osd_failed = 1;
			return 0;
		}
		TessBaseAPISetPageSegMode(eng->osd, PSM_OSD_ONLY);
		TessBaseAPISetVariable(eng->osd, "debug_file", "/dev/null");
	}
	if (!eng->osd)
		return 0;
	TessBaseAPISetImage2(eng->osd, work);
	TessBaseAPISetSourceResolution(eng->osd, WORKING_DPI);
	if (!TessBaseAPIDetectOrientationScript(eng->osd, &deg, &conf, &script,
						&sconf))
		deg = 0;
	/* script points into Tesseract's own tables (whatever capi.h says):
	 * not ours to free. */
	TessBaseAPIClear(eng->osd);
	/* deg is how far the page is turned counter-clockwise. */
	return conf >= OSD_MIN_CONF ? (360 - deg) % 360 / 90 : 0;
}

/* Reads page turned by quads quarter turns (clockwise) and keeps that
 * reading in res, and the turned page in *work, when Tesseract is surer
 * of it than of res. rotation is the page's own. */
static int read_turned(struct ocr_engine *eng, PIX *page, int quads,
		       int rotation, PIX **work, struct ocr_result *res)
{
	struct ocr_result turned_res;
	PIX *turned = pixRotateOrth(page, quads);
	int rc;

	if (!turned)
		return OCR_ERR_NOMEM;
	memset(&turned_res, 0, sizeof(turned_res));
	turned_res.prep = res->prep;
	rc = recognise(eng->api, turned, &turned_res);
	if (rc == OCR_OK && turned_res.conf > res->conf) {
		turned_res.prep.rotation = (rotation + 90 * quads) % 360;
		ocr_result_release(res);
		*res = turned_res;
		pixDestroy(work);
		*work = turned;
		return OCR_OK;
	}
	ocr_result_release(&turned_res);
	pixDestroy(&turned);
	return rc;
}

/* Whether a reading is fragments, as of a page read lying on its side:
 * under FRAGMENTS_MAX_WORDS per cent of its words have three letters or
 * digits (turned dev photos 10 to 17 %, a poor upright scan 49 %). */
#define FRAGMENTS_MAX_WORDS 30

static int fragments(const struct ocr_result *res)
{
	size_t whole = 0;

	for (size_t i = 0; i < res->nwords; i++) {
		const char *t = res->text + res->words[i].off;
		int n = 0;

		for (size_t k = 0; k < res->words[i].len; k++)
			n += isalnum((unsigned char)t[k]) != 0;
		whole += n >= 3;
	}
	return whole * 100 < FRAGMENTS_MAX_WORDS * res->nwords;
}

/*
 * Leptonica's orientation check misses some receipts (monospace capitals
 * have few ascenders and descenders to tell up from down): a page read
 * that poorly is read again turned as Tesseract's own check says. Where
 * that check is unsure, or wrong, and the page reads as fragments (a
 * short receipt lying nearly square: 3 of 500 dev photos, 1 of 120 mild
 * ones), it is read at the other quarter turns while none reads well.
 * Tesseract's surest reading is kept.
 */
static int retry_turned(struct ocr_engine *eng, PIX **work,
			struct ocr_result *res)
{
	int order[3] = { 1, 2, 3 }, osd = osd_quads(eng, *work), rc = OCR_OK;
	int rotation = res->prep.rotation;
	PIX *page = pixClone(*work);

	if (!page)
		return OCR_ERR_NOMEM;
	if (osd) {
		order[osd - 1] = order[0];
		order[0] = osd;
	}
	for (int i = 0; i < 3 && rc == OCR_OK && res->conf < TURN_MAX_CONF &&
			((i == 0 && osd) || fragments(res));
	     i++)
		rc = read_turned(eng, page, order[i], rotation, work, res);
	pixDestroy(&page);
	return rc;
}

/* Overlap of two boxes: their intersection over their union, 0..1. */
static float box_overlap(const struct ocr_box *a, const struct ocr_box *b)
{
	int x0 = a->x0 > b->x0 ? a->x0 : b->x0;
	int x1 = a->x1 < b->x1 ? a->x1 : b->x1;
	int y0 = a->y0 > b->y0 ? a->y0 : b->y0;
	int y1 = a->y1 < b->y1 ? a->y1 : b->y1;
	float both, either;

	if (x1 <= x0 || y1 <= y0)
		return 0.0f;
	both = (float)(x1 - x0) * (float)(y1 - y0);
	either = (float)(a->x1 - a->x0) * (float)(a->y1 - a->y0) +
		 (float)(b->x1 - b->x0) * (float)(b->y1 - b->y0) - both;
	return either > 0.0f ? both / either : 0.0f;
}

/* "£6.18", "12,99": a word that ends in a whole amount. */
static int ends_in_amount(const char *s, size_t n)
{
	return n >= 4 && (s[n - 3] == ',' || s[n - 3] == '.') &&
	       isdigit((unsigned char)s[n - 4]) &&
	       isdigit((unsigned char)s[n - 2]) &&
	       isdigit((unsigned char)s[n - 1]);
}

/* "12,99", "-0.50": a whole amount, up to six digits before its
 * separator and two after it. */
static int amount_shaped(const char *s, size_t n)
{
	size_t i = n && s[0] == '-', lead = 0;

	for (; i < n && isdigit((unsigned char)s[i]); i++)
		lead++;
	return lead && lead <= 6 && i + 3 == n && ends_in_amount(s, n);
}

/* "9.7€", "22,3%", "17,998": an amount with a digit lost to a mark or a
 * mark read as one; one separator ("12.03.2020" is a date). */
static int broken_amount(const char *s, size_t n)
{
	size_t seps = 0;

	for (size_t i = 0; i < n; i++)
		seps += s[i] == ',' || s[i] == '.';
	return n >= 3 && s[0] >= '0' && s[0] <= '9' && seps == 1 &&
	       !amount_shaped(s, n);
}

/* Whether digit b is digit a with strokes added ("3" -> "8"): faded
 * thermal print loses strokes and hardly ever gains them. Not a 5 for a
 * 6: the opened reading closes a 5 into one (6 dates lost, 1 won). */
static int adds_ink(char a, char b)
{
	return a == '3' && b == '8';
}

/* Whether a and b are one date in two readings ("2022-C2-06" and
 * "2022-03-06": the same separators in the same places, at least two)
 * and a has a letter where b, all digits, has a digit. O stands for 0 in
 * many receipt fonts; any other letter is a stroke worn away. So is a
 * digit that b's reading adds strokes to, where all a's other digits
 * agree ("2013" for "2018"). */
static int date_worn(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i, seps = 0;
	int worn = 0, lighter = 0, other = 0;

	if (an != bn)
		return 0;
	for (i = 0; i < an; i++) {
		int sep = b[i] == '.' || b[i] == '/' || b[i] == '-';

		if (sep ? a[i] != b[i] : !isdigit((unsigned char)b[i]))
			return 0;
		seps += sep;
		worn |= isalpha((unsigned char)a[i]) && a[i] != 'O' &&
			a[i] != 'o';
		if (adds_ink(a[i], b[i]))
			lighter = 1;
		else if (a[i] != b[i])
			other = 1;
	}
	return seps >= 2 && (worn || (lighter && !other));
}

/* Whether amount a is amount b with dotted zeros misread: the same
 * length and every character that differs a 0 in b (lex_dotted_zero). */
static int zeros_dotted(const char *a, size_t an, const char *b, size_t bn)
{
	int diff = 0;

	if (an != bn || !ends_in_amount(a, an) || !ends_in_amount(b, bn))
		return 0;
	for (size_t i = 0; i < an; i++) {
		if (a[i] == b[i])
			continue;
		if (!isdigit((unsigned char)a[i]) || b[i] != '0' ||
		    !lex_dotted_zero(a[i] - '0', 0))
			return 0;
		diff++;
	}
	return diff > 0;
}

/* Word pairs of two readings that a variant may swap (see
 * settle_pairs): both hold digits and they differ; amounts are told
 * apart, being what a total can change by. */
enum pair_kind { PAIR_AMOUNT = 1u << 0, PAIR_OTHER = 1u << 1 };

static unsigned pair_kind(const char *a, size_t an, const char *b, size_t bn)
{
	if (!has_digit(a, an) || !has_digit(b, bn) ||
	    (an == bn && memcmp(a, b, an) == 0))
		return 0;
	return ends_in_amount(a, an) && ends_in_amount(b, bn) ? PAIR_AMOUNT
							      : PAIR_OTHER;
}

/* Merges alt into res word by word (see ocr_result_merge), except that
 * the k-th pair of a kind in want gets the other word where bit k of
 * swaps is set (k < SETTLE_MAX_PAIRS); *npairs (may be NULL) is how many
 * such pairs there are, bit k of *amounts (may be NULL) set where the
 * k-th is a pair of amounts. */
static int merge(struct ocr_result *res, const struct ocr_result *alt,
		 unsigned want, uint32_t swaps, size_t *npairs,
		 uint32_t *amounts)
{
	struct textbuf tb = { 0 };
	struct ocr_result out = { 0 };
	size_t cap = 0, k = 0;
	int rc = OCR_OK;

	for (size_t i = 0; i < res->nwords && rc == OCR_OK; i++) {
		struct ocr_word w = res->words[i];
		const char *text = res->text + w.off;
		const struct ocr_word *other = NULL;
		float best = MERGE_MIN_OVERLAP;
		unsigned pk = 0;
		int take;

		for (size_t j = 0; j < alt->nwords; j++) {
			float o = box_overlap(&w.box, &alt->words[j].box);

			if (o > best) {
				best = o;
				other = &alt->words[j];
			}
		}
		/* A whole amount beats a broken one however sure
		 * Tesseract is of the mark that broke it. */
		take = other &&
		       (other->conf > w.conf + MERGE_MARGIN ||
			(broken_amount(text, w.len) &&
			 amount_shaped(alt->text + other->off, other->len)) ||
			date_worn(text, w.len, alt->text + other->off,
				  other->len) ||
			zeros_dotted(text, w.len, alt->text + other->off,
				     other->len)) &&
		       !date_worn(alt->text + other->off, other->len, text,
				  w.len) &&
		       !zeros_dotted(alt->text + other->off, other->len, text,
				     w.len);
		if (other)
			pk = pair_kind(text, w.len, alt->text + other->off,
				       other->len);
		if ((pk & want) && k < SETTLE_MAX_PAIRS) {
			take ^= (swaps >> k) & 1u;
			if (amounts && pk == PAIR_AMOUNT)
				*amounts |= 1u << k;
		}
		k += (pk & want) != 0;
		if (take) {
			text = alt->text + other->off;
			w.len = other->len;
			w.conf = other->conf;
		}
		if (i)
			rc = textbuf_add(
				&tb,
				starts_line(res, res->text, i) ? "\n" : " ", 1);
		w.off = tb.len;
		if (rc == OCR_OK)
			rc = textbuf_add(&tb, text, w.len);
		if (rc == OCR_OK)
			rc = push_word(&out, &cap, &w);
	}
	if (npairs)
		*npairs = k;
	return adopt_words(res, &tb, &out, rc);
}

static int result_copy(const struct ocr_result *src, struct ocr_result *dst)
{
	*dst = *src;
	dst->text = malloc(src->text_len + 1);
	dst->words = calloc(src->nwords ? src->nwords : 1, sizeof(*dst->words));
	dst->lines = calloc(src->nlines ? src->nlines : 1, sizeof(*dst->lines));
	if (!dst->text || !dst->words || !dst->lines) {
		ocr_result_release(dst);
		return OCR_ERR_NOMEM;
	}
	memcpy(dst->text, src->text, src->text_len + 1);
	memcpy(dst->words, src->words, src->nwords * sizeof(*dst->words));
	memcpy(dst->lines, src->lines, src->nlines * sizeof(*dst->lines));
	return OCR_OK;
}

/* What a parse of a reading says about the fields points hang on. */
struct reading {
	int64_t total;
	int sources; /* of items, payment and VAT table, those that give it */
	int date;    /* a date read as printed (not mended) */
	int dated;   /* a date read, mended or not */
};

/* Whether the payment gives total: exactly, or with the zeros of the
 * change read as 6, 8 or 9 (the parser's total then is cash minus the
 * change as printed: "SUBTOTAL 3.50 / CASH 5.00 / CHANGE 1.56"). A card
 * amount that differs from the total is the same figure read another
 * way, and backs only itself. */
static int paid_backs(const struct receipt_payment *p, int64_t total)
{
	int64_t change = p->change != RECEIPT_UNKNOWN ? p->change : 0;

	if (p->amount == RECEIPT_UNKNOWN)
		return 0;
	return p->amount - change == total ||
	       (change > 0 && lex_dotted_zeros(change, p->amount - total));
}

/* Parses res as ocr_engine_read will have it (lines rebuilt unless the
 * page is level), with r as scratch space. Dates are judged against
 * today: no receipt is dated later, whenever it was uploaded, so a date
 * after today ("27/09/2055") is misread. */
static int parse_reading(const struct ocr_result *res, struct receipt *r,
			 struct reading *out)
{
	const struct receipt_payment *p = &r->payment;
	struct ocr_result c;
	int64_t sum = 0, gross = 0;
	char today[11];
	int rc;

	memset(out, 0, sizeof(*out));
	parser_today(today);
	rc = result_copy(res, &c);
	if (rc == OCR_OK && !page_is_level(&c))
		rc = ocr_result_rebuild_lines(&c);
	if (rc == OCR_OK && ocr_result_parse_at(&c, today, r) != PARSER_OK)
		rc = OCR_ERR_ENGINE;
	ocr_result_release(&c);
	if (rc != OCR_OK)
		return rc;
	out->dated = r->date[0] != '\0';
	out->date = out->dated && !(r->mended & RECEIPT_MENDED_DATE);
	for (size_t i = 0; i < r->nitems; i++)
		sum += r->items[i].amount;
	for (size_t i = 0; i < r->nvat; i++)
		gross = gross >= 0 && r->vat[i].gross != RECEIPT_UNKNOWN
				? gross + r->vat[i].gross
				: -1;
	out->total = r->total;
	out->sources =
		/* Items the parser mended to fit the total do not back
		 * it. */
		(r->nitems && !(r->mended & RECEIPT_MENDED_ITEMS) &&
		 sum == r->total) +
		(r->nvat && gross == r->total) + paid_backs(p, r->total);
	return OCR_OK;
}

/* Whether a reading leaves the total backed by fewer than two sources or
 * the date unread as printed: what the later readings are for. */
static int unconfirmed(const struct reading *v)
{
	return v->sources < 2 || !v->date;
}

/* A variant reading is better that gives a total more sources back
 * (changed by a swapped amount only), or the same total and a date where
 * there was none. */
static int better(const struct reading *v, int amount,
		  const struct reading *than)
{
	if (v->total != than->total)
		return amount && v->sources > than->sources;
	return v->date && !than->date;
}

/*
 * Where the two readings disagree on a word with digits, the surer one
 * is not always right. When the merged reading leaves the total backed
 * by fewer than two sources, or the date unread, each such pair is tried
 * the other way (from first, the page's reading, and alt), and the
 * variant that parses better (see better()) replaces res.
 */
static int settle_pairs(struct ocr_result *res, const struct ocr_result *first,
			const struct ocr_result *alt)
{
	struct receipt *r = malloc(sizeof(*r));
	struct ocr_result best = { 0 }, v;
	struct reading top, got;
	uint32_t swaps = 0, amounts = 0;
	unsigned want = 0;
	size_t n = 0;
	int rc = r ? OCR_OK : OCR_ERR_NOMEM;

	/* A reading the parser refuses has nothing to settle. */
	if (rc == OCR_OK && parse_reading(res, r, &top) == OCR_OK)
		want = (top.sources >= 2 ? 0 : PAIR_AMOUNT) |
		       (top.date ? 0 : PAIR_AMOUNT | PAIR_OTHER);
	if (want) {
		rc = result_copy(first, &v);
		if (rc == OCR_OK)
			rc = merge(&v, alt, want, 0, &n, &amounts);
		ocr_result_release(&v);
	}
	/* Greedy: each pair that makes the reading better stays swapped
	 * while the later ones are tried. */
	for (size_t k = 0; rc == OCR_OK && k < n && k < SETTLE_MAX_PAIRS; k++) {
		rc = result_copy(first, &v);
		if (rc == OCR_OK)
			rc = merge(&v, alt, want, swaps | 1u << k, NULL, NULL);
		if (rc == OCR_OK && parse_reading(&v, r, &got) == OCR_OK &&
		    better(&got, (amounts >> k) & 1u, &top)) {
			ocr_result_release(&best);
			best = v;
			top = got;
			swaps |= 1u << k;
		} else {
			ocr_result_release(&v);
		}
	}
	free(r);
	if (rc == OCR_OK && best.text) {
		ocr_result_release(res);
		*res = best;
	} else {
		ocr_result_release(&best);
	}
	return rc;
}

int ocr_result_merge(struct ocr_result *res, const struct ocr_result *alt)
{
	struct ocr_result first;
	int rc = result_copy(res, &first);

	if (rc == OCR_OK)
		rc = merge(res, alt, 0, 0, NULL, NULL);
	if (rc == OCR_OK)
		rc = settle_pairs(res, &first, alt);
	ocr_result_release(&first);
	return rc;
}

/* What a page's unsure words are read alone for (reread_words), or its
 * figures opened for (ocr_open_figures: dates). */
enum word_want {
	WANT_TOTAL, /* a total that two sources or more back */
	WANT_DATE,  /* a date read as printed */
};

/* Whether a word may hold what want seeks: figures of three digits or
 * more for a total (not counts, "4@"); for a date, six digits or more
 * ("132037" for "13.01.14") or four with two separators. */
static int word_wanted(const char *s, size_t n, enum word_want want)
{
	size_t seps = 0;

	if (want == WANT_TOTAL)
		return digits_in(s, n) >= 3;
	for (size_t i = 0; i < n; i++)
		seps += s[i] == '.' || s[i] == '/' || s[i] == '-';
	return digits_in(s, n) >= 6 || (seps == 2 && digits_in(s, n) >= 4);
}

PIX *ocr_open_figures(PIX *work, const struct ocr_result *res, int px,
		      int dates)
{
	PIX *out = pixCreateTemplate(work);
	int m = res->prep.text_px / 3 + 2, w = pixGetWidth(work);
	int h = pixGetHeight(work);

	if (!out)
		return NULL;
	pixSetAll(out);
	for (size_t i = 0; i < res->nwords; i++) {
		const struct ocr_word *wd = &res->words[i];
		const char *t = res->text + wd->off;
		int x0 = wd->box.x0 - m > 0 ? wd->box.x0 - m : 0;
		int y0 = wd->box.y0 - m > 0 ? wd->box.y0 - m : 0;
		int x1 = wd->box.x1 + m < w ? wd->box.x1 + m : w;
		int y1 = wd->box.y1 + m < h ? wd->box.y1 + m : h;
		int cx = x0 - px > 0 ? x0 - px : 0,
		    cy = y0 - px > 0 ? y0 - px : 0;
		BOX *b;
		PIX *clip, *opened;

		if (!has_digit(t, wd->len) ||
		    (dates && !word_wanted(t, wd->len, WANT_DATE)) ||
		    x1 <= x0 || y1 <= y0)
			continue;
		/* pixClipRectangle cuts the box at the page's edges, where
		 * the page opened whole meets its edge too. */
		b = boxCreate(cx, cy, x1 + px - cx, y1 + px - cy);
		clip = b ? pixClipRectangle(work, b, NULL) : NULL;
		opened = clip ? pixOpenGray(clip, px, px) : NULL;
		boxDestroy(&b);
		pixDestroy(&clip);
		if (!opened) {
			pixDestroy(&out);
			return NULL;
		}
		pixRasterop(out, x0, y0, x1 - x0, y1 - y0, PIX_SRC, opened,
			    x0 - cx, y0 - cy);
		pixDestroy(&opened);
	}
	return out;
}

/* What read_opened reads of a page: all of it, its figures, or only the
 * figures that may hold a date (ocr_open_figures). */
enum open_what { OPEN_PAGE, OPEN_FIGURES, OPEN_DATES };

/*
 * Worn thermal print breaks its strokes, and Tesseract misreads a broken
 * digit differently on every picture of it. A second reading of the page
 * with the gaps closed (a grey opening, which takes away light specks
 * narrower than px: READ_OPEN_PX) misreads other words: each word is taken
 * from the reading Tesseract is surer of. Only darkened pages (faint,
 * heavy print) get it: the opening alone reads worse than the page, the
 * two together better (faded and harsh photos: totals +12, dates +7 of
 * 110; the shared receipts unchanged). what says which of its words are
 * read.
 */
static int read_opened(TessBaseAPI *api, PIX *work, int px, enum open_what what,
		       struct ocr_result *res)
{
	PIX *opened = what == OPEN_PAGE ? pixOpenGray(work, px, px)
					: ocr_open_figures(work, res, px,
							   what == OPEN_DATES);
	struct ocr_result alt;
	int rc;

	if (!opened)
		return OCR_ERR_NOMEM;
	memset(&alt, 0, sizeof(alt));
	rc = recognise(api, opened, &alt);
	if (rc == OCR_OK)
		rc = ocr_result_merge(res, &alt);
	ocr_result_release(&alt);
	pixDestroy(&opened);
	return rc;
}

/* Whether res parses to a total two or more sources back and a date read
 * as printed. */
static int confirmed(const struct ocr_result *res)
{
	struct receipt *r = malloc(sizeof(*r));
	struct reading got;
	int yes = r && parse_reading(res, r, &got) == OCR_OK &&
		  !unconfirmed(&got);

	free(r);
	return yes;
}

/* Whether reading now parses worse than was: a date lost, or the total
 * changed without more sources backing it. */
static int worse(const struct reading *now, const struct reading *was)
{
	return (was->dated && !now->dated) || (was->date && !now->date) ||
	       (now->total != was->total && now->sources <= was->sources);
}

/*
 * Where the two readings merged still leave the total backed by fewer
 * than two sources or the date unread as printed, the page's figures
 * (its words with digits, all else painted over) are read a third time,
 * opened wider (strokes broken by more than READ_OPEN_PX closed), merged
 * in the same way, and kept unless they parse worse. Read without their
 * lines' words, figures read better, and in half the time of the whole
 * page opened so. On 521 synthetic phone photos (the dev sets, mostly
 * faded and harsh): totals 459 -> 467, dates 455 -> 467, none lost; on
 * 60 faded and harsh ones made after it was chosen: totals 46 -> 52,
 * dates 53 -> 54 (the whole page: +2 and +8 net on the 521, +5 and +2
 * on the 60). With the second reading cut to the figures where the
 * first is confirmed, it adds about 5 % to the time of phone photos.
 */
static int read_figures(TessBaseAPI *api, PIX *work, struct ocr_result *res)
{
	struct receipt *r = malloc(sizeof(*r));
	struct ocr_result before = { 0 };
	struct reading was, now;
	int rc = r ? OCR_OK : OCR_ERR_NOMEM;

	if (rc == OCR_OK && parse_reading(res, r, &was) == OCR_OK &&
	    unconfirmed(&was)) {
		res->readings++;
		rc = result_copy(res, &before);
		if (rc == OCR_OK)
			rc = read_opened(api, work, READ_WIDE_OPEN_PX,
					 OPEN_FIGURES, res);
		if (rc == OCR_OK && (parse_reading(res, r, &now) != OCR_OK ||
				     worse(&now, &was))) {
			ocr_result_release(res);
			*res = before;
			memset(&before, 0, sizeof(before));
		}
		ocr_result_release(&before);
	}
	free(r);
	return rc;
}

/* Whether res has a word that may hold a date. */
static int has_date_word(const struct ocr_result *res)
{
	for (size_t i = 0; i < res->nwords; i++)
		if (word_wanted(res->text + res->words[i].off,
				res->words[i].len, WANT_DATE))
			return 1;
	return 0;
}

/*
 * Debian's Latin-script model reads the broken strokes of faded print
 * otherwise than the German one, and is as sure of its misreads: the
 * words of a darkened page that may hold a date are read a last time with
 * it, opened as for the second reading, and merged the same way. A date
 * is printed once, with nothing to check it against: on 640 faded and
 * harsh dev photos this won 19 dates and lost 1, and changed no total;
 * the mild photos, the fixtures and the shared real receipts read as
 * before. Reading only the dates costs little; reading fewer words (not
 * times or article numbers) won fewer dates. All the figures read so
 * won 8 totals and lost 2, but only 14 dates against 4 lost, and took
 * such pages 20 % longer; read first on the whole page, the model lost
 * as many totals as it won, one of them a real receipt's.
 */
static int read_faded_dates(struct ocr_engine *eng, PIX *work,
			    struct ocr_result *res)
{
	TessBaseAPI *api;
	int rc;

	if (!has_date_word(res) || !(api = faded_api(eng)))
		return OCR_OK;
	res->readings++;
	rc = read_opened(api, work, READ_OPEN_PX, OPEN_DATES, res);
	TessBaseAPIClear(api);
	return rc;
}

/* Digits a line must print to be taken for a date line (a date and a
 * time: "23.07.2015 18:22"), and how many such lines are read alone. */
#define DATE_LINE_DIGITS 6
#define DATE_LINES_MAX 3

/* Sizes a date line is read at alone, in turn: Tesseract garbles some
 * clean lines of large print ("FEB 22, 2018 08:15 AM" as "EEB 22.2018",
 * at 34 px text) that it reads right smaller. */
static const float date_line_scales[] = { 1.0f, 0.75f };

/* Whether line li of res was read anew and the page now reads a date
 * (reread_date_line): else res is put back as it was (before). */
static int date_reread(TessBaseAPI *api, PIX *work, struct ocr_result *res,
		       size_t li, float scale, struct receipt *r, int *rc)
{
	struct ocr_result before;
	struct reading got;
	int conf = -1, dated;
	char *text = read_line_alone(api, work, res, li, scale, &conf);

	if (!text)
		return 0;
	*rc = result_copy(res, &before);
	if (*rc == OCR_OK)
		*rc = replace_line(res, li, text, (float)conf);
	TessDeleteText(text);
	dated = *rc == OCR_OK && parse_reading(res, r, &got) == OCR_OK &&
		got.dated;
	if (*rc == OCR_OK && !dated) {
		ocr_result_release(res);
		*res = before;
	} else {
		ocr_result_release(&before);
	}
	return dated;
}

/*
 * Tesseract sometimes garbles a date line on the whole page that it reads
 * right alone ("23.07.2015 18:22" as "230,432. 94:57 :118:122": the
 * page's other lines lead its line finding astray), or alone only at a
 * smaller size (date_line_scales). Where no date reads, the first few
 * lines with a time's colon and enough digits are read alone, and a
 * reading is kept when the page then reads a date.
 */
static int reread_date_line(TessBaseAPI *api, PIX *work, struct ocr_result *res)
{
	struct receipt *r = malloc(sizeof(*r));
	struct reading got;
	int psm = TessBaseAPIGetPageSegMode(api), tries = 0, dated = 0;
	int rc = r ? OCR_OK : OCR_ERR_NOMEM;

	if (rc != OCR_OK || parse_reading(res, r, &got) != OCR_OK ||
	    got.dated) {
		free(r);
		return rc;
	}
	TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
	for (size_t i = 0; i < res->nlines && rc == OCR_OK &&
			   tries < DATE_LINES_MAX && !dated;
	     i++) {
		const struct ocr_line *l = &res->lines[i];

		if (!memchr(res->text + l->off, ':', l->len) ||
		    digits_in(res->text + l->off, l->len) < DATE_LINE_DIGITS)
			continue;
		tries++;
		for (size_t k = 0;
		     k < sizeof(date_line_scales) /
				     sizeof(date_line_scales[0]) &&
		     rc == OCR_OK && !dated;
		     k++)
			dated = date_reread(api, work, res, i,
					    date_line_scales[k], r, &rc);
	}
	TessBaseAPISetPageSegMode(api, psm);
	free(r);
	return rc;
}

/* Puts text (n bytes, conf) in place of word wi of res. The text is
 * spliced, not rebuilt from the words: a line read alone (replace_line)
 * has no words left that hold its text. */
static int set_word(struct ocr_result *res, size_t wi, const char *text,
		    size_t n, float conf)
{
	struct ocr_word *w = &res->words[wi];
	int rc = splice_text(res, w->off, w->len, text, n);

	if (rc == OCR_OK) {
		w->len = n;
		w->conf = conf;
	}
	return rc;
}

/* Words a page's reading is surer of than this are not read alone. */
#define WORD_MAX_CONF 80.0f

/* Reads the box of word wi of res alone, as a line, and returns the one
 * word of Tesseract's reading that holds digits (the crop may take in a
 * speck or a letter beside it) in buf, its length, or 0. */
static size_t read_word_alone(TessBaseAPI *api, PIX *work,
			      const struct ocr_result *res, size_t wi,
			      char *buf, size_t cap, int *conf)
{
	const struct ocr_box *b = &res->words[wi].box;
	int m = res->prep.text_px / 3 + 2;
	BOX *box = boxCreate(b->x0 - m, b->y0 - m, b->x1 - b->x0 + 2 * m,
			     b->y1 - b->y0 + 2 * m);
	PIX *clip = box ? pixClipRectangle(work, box, NULL) : NULL;
	char *text = NULL;
	size_t n = 0, found = 0;

	boxDestroy(&box);
	if (!clip)
		return 0;
	TessBaseAPISetImage2(api, clip);
	TessBaseAPISetSourceResolution(api, WORKING_DPI);
	if (tess_recognise(api) == 0)
		text = TessBaseAPIGetUTF8Text(api);
	pixDestroy(&clip);
	if (!text)
		return 0;
	*conf = TessBaseAPIMeanTextConf(api);
	for (const char *t = text; *t && *t != '\n';) {
		size_t tl = strcspn(t, " \n");

		if (has_digit(t, tl)) {
			n = tl < cap ? tl : 0;
			if (n)
				memcpy(buf, t, n);
			found++;
		}
		t += tl;
		t += *t == ' ';
	}
	TessDeleteText(text);
	return found == 1 ? n : 0;
}

/* Words read alone at most, for each want. */
static const int words_max[] = { [WANT_TOTAL] = 8, [WANT_DATE] = 3 };

/* Whether reading v has what want seeks. */
static int has_wanted(const struct reading *v, enum word_want want)
{
	return want == WANT_TOTAL ? v->sources >= 2 : v->date;
}

/* Whether a reread gives now what want seeks, where was lacked it: for
 * a total, another total; for a date, with the total unchanged. */
static int gained(const struct reading *now, const struct reading *was,
		  enum word_want want)
{
	return has_wanted(now, want) &&
	       (want == WANT_TOTAL) == (now->total != was->total);
}

/*
 * Tesseract misreads some words on the whole page that it reads right
 * alone: a bold total "19.96" as "1.60" beside a band of shade, cash
 * "20.00" as "20.0", a date "13.01.14" as "132037". Where a page's
 * readings lack what want seeks, its unsure words that may hold it are
 * read alone, one at a time, until a new reading has it: another total
 * that two sources or more back (only on darkened pages: elsewhere it
 * won nothing and cost 5 % more time on the shared real receipts), or a
 * date read as printed with the total unchanged. Rereads that disagree
 * with the page are often wrong too ("30,07" read alone as "38,07");
 * keeping every reread that gave the total one more source won 3 dev
 * totals and lost 4.
 */
static int reread_words(TessBaseAPI *api, PIX *work, struct ocr_result *res,
			enum word_want want)
{
	struct receipt *r = malloc(sizeof(*r));
	struct reading was, now;
	int psm = TessBaseAPIGetPageSegMode(api), tries = 0;
	int rc = r ? OCR_OK : OCR_ERR_NOMEM;
	char buf[64];

	if (rc != OCR_OK || parse_reading(res, r, &was) != OCR_OK ||
	    has_wanted(&was, want)) {
		free(r);
		return rc;
	}
	TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
	for (size_t i = 0; i < res->nwords && rc == OCR_OK &&
			   tries < words_max[want] && !has_wanted(&was, want);
	     i++) {
		const struct ocr_word *w = &res->words[i];
		struct ocr_result before;
		int conf = 0;
		size_t n;

		if (w->conf >= WORD_MAX_CONF ||
		    !word_wanted(res->text + w->off, w->len, want))
			continue;
		tries++;
		n = read_word_alone(api, work, res, i, buf, sizeof(buf), &conf);
		if (!n || (n == w->len && !memcmp(buf, res->text + w->off, n)))
			continue;
		rc = result_copy(res, &before);
		if (rc == OCR_OK)
			rc = set_word(res, i, buf, n, (float)conf);
		if (rc == OCR_OK && parse_reading(res, r, &now) == OCR_OK &&
		    gained(&now, &was, want)) {
			was = now;
			ocr_result_release(&before);
		} else if (rc == OCR_OK) {
			ocr_result_release(res);
			*res = before;
		} else {
			ocr_result_release(&before);
		}
	}
	TessBaseAPISetPageSegMode(api, psm);
	free(r);
	return rc;
}

int ocr_engine_read(struct ocr_engine *eng, const uint8_t *buf, size_t len,
		    struct ocr_result *res)
{
	PIX *pix = NULL, *work = NULL;
	long t0 = now_ms();
	int rc, level;

	memset(res, 0, sizeof(*res));
	rc = ocr_image_decode(buf, len, &pix);
	if (rc != OCR_OK)
		return rc;
	rc = ocr_prep_run(pix, eng->cfg.prep, eng->cfg.max_width,
			  eng->cfg.min_width, &work, &res->prep);
	pixDestroy(&pix);
	if (rc != OCR_OK)
		return rc;
	rc = recognise(eng->api, work, res);
	if (rc == OCR_OK && (eng->cfg.prep & OCR_PREP_ORIENT) &&
	    res->conf < TURN_MAX_CONF)
		rc = retry_turned(eng, &work, res);
	res->readings = 1;
	/* A first reading already confirmed has only its figures read
	 * again (half the time; the same totals and dates on 581 photos,
	 * where reading nothing again lost a date). */
	if (rc == OCR_OK && res->prep.darkened) {
		res->readings++;
		rc = read_opened(eng->api, work, READ_OPEN_PX,
				 confirmed(res) ? OPEN_FIGURES : OPEN_PAGE,
				 res);
	}
	if (rc == OCR_OK && res->prep.darkened && eng->cfg.figures)
		rc = read_figures(eng->api, work, res);
	if (rc == OCR_OK && res->prep.darkened)
		rc = read_faded_dates(eng, work, res);
	level = rc == OCR_OK && page_is_level(res);
	if (rc == OCR_OK && eng->cfg.word_lines && !level)
		rc = ocr_result_rebuild_lines(res);
	if (rc == OCR_OK && eng->cfg.reread)
		rc = reread_lines(eng->api, work, res, level);
	if (rc == OCR_OK && eng->cfg.reread)
		rc = reread_date_line(eng->api, work, res);
	if (rc == OCR_OK && eng->cfg.reread && res->prep.darkened)
		rc = reread_words(eng->api, work, res, WANT_TOTAL);
	if (rc == OCR_OK && eng->cfg.reread)
		rc = reread_words(eng->api, work, res, WANT_DATE);
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
	return ocr_result_parse_at(res, "", out);
}

int ocr_result_parse_at(const struct ocr_result *res, const char *ref_date,
			struct receipt *out)
{
	struct parser_line *lines;
	struct parser_word *words;
	struct parser_doc doc = { NULL, 0, "" };
	int rc;

	if (res->nlines > PARSER_MAX_LINES) {
		receipt_init(out);
		return PARSER_ERR_TOO_LARGE;
	}
	lines = calloc(res->nlines ? res->nlines : 1, sizeof(*lines));
	words = calloc(res->nwords ? res->nwords : 1, sizeof(*words));
	if (!lines || !words) {
		free(lines);
		free(words);
		receipt_init(out);
		return PARSER_ERR_INVALID;
	}
	for (size_t i = 0; i < res->nlines; i++) {
		const struct ocr_line *l = &res->lines[i];

		lines[i].text = res->text + l->off;
		lines[i].len = l->len;
		lines[i].conf = l->conf;
		lines[i].words = words + l->first_word;
		lines[i].nwords = l->nwords;
		for (size_t j = l->first_word; j < l->first_word + l->nwords;
		     j++) {
			const struct ocr_word *w = &res->words[j];

			/* A result from a worker is checked only for spans
			 * inside the text: a word outside its line is empty. */
			if (w->off >= l->off && w->len <= l->len &&
			    w->off - l->off <= l->len - w->len) {
				words[j].off = w->off - l->off;
				words[j].len = w->len;
			}
			words[j].conf = w->conf;
		}
	}
	doc.lines = lines;
	doc.nlines = res->nlines;
	if (ref_date && strlen(ref_date) == sizeof(doc.ref_date) - 1)
		memcpy(doc.ref_date, ref_date, sizeof(doc.ref_date));
	rc = parser_parse_doc(&doc, out);
	free(lines);
	free(words);
	return rc;
}

void ocr_result_release(struct ocr_result *res)
{
	free(res->text);
	free(res->words);
	free(res->lines);
	memset(res, 0, sizeof(*res));
}
