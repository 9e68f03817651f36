/*
 * ocr.h: one Tesseract engine per process, initialised once and reused for
 * every image (loading the language model costs more than reading a small
 * receipt, which is why we beat the tesseract CLI on the same images).
 */
#ifndef RD_OCR_H
#define RD_OCR_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "prep.h"
#include "parser.h"

#define OCR_DEFAULT_LANG "deu"
/* The model the date words of darkened pages are read with a last time:
 * Debian's tesseract-ocr-script-latn reads faded dates the German one
 * misreads (read_faded_dates in ocr.c); "none" turns the reading off. */
#define OCR_DEFAULT_FADED_LANG "Latin"
#define OCR_DEFAULT_MAX_WIDTH 1200
#define OCR_MAX_LANG_LEN 64

struct ocr_config {
	char lang[OCR_MAX_LANG_LEN]; /* Tesseract languages, e.g. "deu+eng" */
	const char *datapath;	     /* tessdata folder, NULL = built-in */
	int max_width;		     /* wider images are scaled down */
	int min_width;		     /* narrower images are scaled up */
	int psm;		     /* Tesseract page segmentation mode */
	unsigned prep;		     /* enum ocr_prep_step bits */
	int word_lines;		     /* 1: lines rebuilt from word boxes */
	int reread; /* 1: tilted total/date lines read again alone, a
		      * date line where no date reads, and unsure words
		      * alone where the total (darkened pages) or the
		      * date is unconfirmed (reread_words) */
	/* The model a darkened page's figures are read a last time with,
	 * from lang's folder; "" or "none" for none. */
	char faded_lang[OCR_MAX_LANG_LEN];
	int figures; /* 1: the figures of darkened pages left unconfirmed
		      * are read a third time (read_figures) */
};

struct ocr_box {
	int x0, y0, x1, y1; /* in the working image's pixels */
};

/* Words and lines point into ocr_result.text by offset and length. */
struct ocr_word {
	struct ocr_box box;
	float conf; /* 0..100 */
	size_t off, len;
};

struct ocr_line {
	struct ocr_box box;
	float conf; /* mean of its words */
	size_t off, len;
	size_t first_word, nwords;
};

struct ocr_result {
	char *text; /* all lines, each ending in '\n', NUL-terminated */
	size_t text_len;
	struct ocr_word *words;
	size_t nwords;
	struct ocr_line *lines;
	size_t nlines;
	int width, height; /* working image after scaling */
	int conf;	   /* Tesseract's mean word confidence, 0..100 */
	struct ocr_prep_info prep;
	int readings; /* pages Tesseract read: 1, 2 when darkened, 3 when
		       * those two left the total or date unconfirmed
		       * (ocr_config.figures), and one more of the date
		       * words with the faded_lang model on darkened
		       * pages; the later ones may be of the page's figures
		       * only */
	long ocr_ms;  /* decode + preprocess + recognition, wall clock */
};

struct ocr_engine;

/* Defaults: deu, max width OCR_DEFAULT_MAX_WIDTH, psm 6, lines rebuilt
 * from word boxes. */
void ocr_config_init(struct ocr_config *cfg);

/*
 * Makes sure the OpenMP runtime inside Tesseract uses one thread. libgomp
 * reads OMP_THREAD_LIMIT once, when it is loaded, so a process that does
 * not have it set re-executes itself with it. Call first thing in main();
 * returns only when the limit is in force (or re-exec was impossible, in
 * which case it returns -1 and OCR merely runs slower).
 */
int ocr_pin_threads(char **argv);

/* Line images this thread's recognitions handed Tesseract uncompressed
 * (see pixWriteMem in ocr.c); tests check the override is in force. */
unsigned long ocr_raw_line_images(void);

/*
 * Starts an engine. Returns OCR_OK and a new engine in *out (free it with
 * ocr_engine_free), or OCR_ERR_ENGINE (missing language data: the message
 * goes to stderr once) / OCR_ERR_NOMEM with *out NULL.
 */
int ocr_engine_new(const struct ocr_config *cfg, struct ocr_engine **out);
void ocr_engine_free(struct ocr_engine *eng);

/*
 * Decodes (see ocr_image_decode for the checks), preprocesses and reads one
 * image. Fills *res (release with ocr_result_release) and returns OCR_OK,
 * or a negative ocr_err with *res empty. The engine stays usable after any
 * error.
 */
int ocr_engine_read(struct ocr_engine *eng, const uint8_t *buf, size_t len,
		    struct ocr_result *res);

/*
 * Parses what OCR read: its lines, with their confidences, become the
 * parser's document (at most PARSER_MAX_LINES; more is refused). Returns
 * as parser_parse_doc().
 */
int ocr_result_parse(const struct ocr_result *res, struct receipt *out);

/* As ocr_result_parse, with the day the receipt arrived (YYYY-MM-DD, NULL
 * or "" when unknown) so an implausible date is repaired or dropped. */
int ocr_result_parse_at(const struct ocr_result *res, const char *ref_date,
			struct receipt *out);

/*
 * Rebuilds res's lines from its word boxes (ocr_engine_read does this when
 * cfg.word_lines is set and the lines tilt by a degree or more): each
 * word's vertical middle, with the slope of the Tesseract line it came in
 * taken out (a line whose sure words span less than a third of the width
 * takes the slope fitted over the long lines at its height: a photo's
 * perspective bends lines differently at the top and the bottom), puts it
 * on a line; lines read left to right.
 * On a tilted photo Tesseract can give an item name and its right-aligned
 * amount separate lines; here they meet again. Words keep their
 * confidences. Replaces res->text, words and lines and returns OCR_OK, or
 * OCR_ERR_NOMEM with *res as it was.
 */
int ocr_result_rebuild_lines(struct ocr_result *res);

/*
 * The words of res with digits (with dates, only those that may hold a
 * date) and a third of a text height around each, cut from work opened
 * by px (pixOpenGray), on paper elsewhere: the page the later readings of
 * darkened pages read. Each word is opened alone with px more of work
 * around it, which gives the pixels of the page opened whole in the time
 * of the words' area. Returns a new image, or NULL without memory.
 */
PIX *ocr_open_figures(PIX *work, const struct ocr_result *res, int px,
		      int dates);

/*
 * Takes into res, word by word, alt's reading of the same image where
 * Tesseract was surer of it: a word of alt whose box overlaps the word's
 * box by half or more (intersection over union) and whose confidence
 * beats it by more than a small margin, or that is a whole amount
 * ("9.76") where res's word is a broken one ("9.7€"), replaces its text
 * and confidence; boxes, word order and lines stay res's. Where the
 * merged reading then parses to a total fewer than two sources (items,
 * payment, VAT table) back, or to no date read as printed, each pair
 * of differing words with digits is tried the other way, and a swap
 * whose total more sources back (an amount pair only), or that reads a
 * date where there was none, is kept. Returns OCR_OK or OCR_ERR_NOMEM
 * (res still the page's reading, or merged but not settled).
 */
int ocr_result_merge(struct ocr_result *res, const struct ocr_result *alt);

/* Frees what *res holds and empties it; safe on an empty result. */
void ocr_result_release(struct ocr_result *res);

#endif
