/*
 * receipt-scan: reads receipt images offline and prints what the parser
 * found, one line per image. With --jobs N it forks N workers, each with
 * its own Tesseract engine, and hands out files one at a time. With
 * --from-text it parses stored OCR text instead and needs no engine.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "io.h"
#include "ocr.h"
#include "parser.h"
#include "banned.h"

#define MAX_JOBS 64
#define MAX_ANSWER (1024 * 1024)

/* A --text header line ("== path (123 ms)") is at most this long. */
#define MAX_HEADER_LINE 4096

struct scan_opts {
	int json, text, from_text, jobs;
	struct ocr_config ocr;
	char ref_date[11]; /* receipts cannot be dated later (default today) */
};

/* One answer: the line for stdout (ok) or for stderr (error). */
struct answer {
	int ok;
	char *line;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: receipt-scan [options] IMAGE...\n"
		"       receipt-scan --from-text [--json] TEXTFILE...\n"
		"  --json          one JSON object per image and line\n"
		"  --text          print the OCR text instead of parsing\n"
		"  --from-text     parse stored UTF-8 OCR text files (as "
		"--text\n"
		"                  prints them) instead of reading images\n"
		"  --jobs N        read N images in parallel (default 1)\n"
		"  --ref-date D    the day the receipts arrived, YYYY-MM-DD "
		"(default\n"
		"                  today, UTC): later dates are misreads\n"
		"  --no-reread     do not re-read lines or words alone "
		"(tilted total\n"
		"                  and date lines, a date line where none "
		"reads, unsure\n"
		"                  words where the total or date is "
		"unconfirmed)\n"
		"  --two-readings  do not read the figures of darkened pages "
		"a third\n"
		"                  time where two readings leave the total or "
		"date\n"
		"                  unconfirmed\n"
		"  --lang L        Tesseract languages (default %s)\n"
		"  --faded-lang L  the model the date words of darkened "
		"pages are\n"
		"                  read with a last time (default %s; none: "
		"not read)\n"
		"  --max-width PX  scale wider images down (default %d)\n"
		"  --psm N         Tesseract page segmentation mode (default "
		"6)\n"
		"  --prep STEPS    preprocessing: all, none or a list of crop,"
		"orient,\n"
		"                  deskew, bgnorm, ink, scale, dots, bars "
		"(default all)\n"
		"  --lines HOW     lines as Tesseract found them (tesseract) "
		"or\n"
		"                  rebuilt from its word boxes (words, "
		"default)\n",
		OCR_DEFAULT_LANG, OCR_DEFAULT_FADED_LANG,
		OCR_DEFAULT_MAX_WIDTH);
}

static char *xstrdup_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static char *xstrdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static char *format_human(const char *path, const struct receipt *r, long ms)
{
	char total[32] = "?";

	if (r->total != RECEIPT_UNKNOWN)
		snprintf(total, sizeof(total), "%s%lld.%02lld",
			 r->total < 0 ? "-" : "",
			 (long long)llabs(r->total) / 100,
			 (long long)llabs(r->total) % 100);
	return xstrdup_printf("%s: %s  %s %s  total %s %s  %zu items  "
			      "confidence %.2f  %ld ms",
			      path, r->store_name[0] ? r->store_name : "?",
			      r->date[0] ? r->date : "?",
			      r->time[0] ? r->time : "?", total,
			      r->currency[0] ? r->currency : "", r->nitems,
			      r->confidence, ms);
}

static char *format_json(const char *path, const struct receipt *r, long ms)
{
	json_t *o = json_object(), *body = receipt_to_json(r);
	char *s = NULL;

	if (o && body && !json_object_set_new(o, "file", json_string(path)) &&
	    !json_object_update(o, body) &&
	    !json_object_set_new(o, "ocr_ms", json_integer(ms)))
		s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII |
					  JSON_REAL_PRECISION(6));
	json_decref(o);
	json_decref(body);
	return s;
}

/* Output of --text starts with "== path (N ms; what preprocessing did)";
 * it is not receipt text. */
static size_t header_len(const char *s, size_t len)
{
	const char *nl;
	size_t n;

	if (len < 3 || memcmp(s, "== ", 3) != 0)
		return 0;
	nl = memchr(s, '\n', len < MAX_HEADER_LINE ? len : MAX_HEADER_LINE);
	if (!nl)
		return 0;
	n = (size_t)(nl - s);
	if (n && s[n - 1] == '\r')
		n--;
	if (n < 4 || s[n - 1] != ')')
		return 0;
	return (size_t)(nl - s) + 1;
}

/* The one-line message for a file that could not be read or was refused. */
static char *read_error(const char *path, int rc)
{
	return xstrdup_printf("receipt-scan: %s: %s%s%s", path,
			      ocr_strerror(rc), rc == OCR_ERR_IO ? ": " : "",
			      rc == OCR_ERR_IO ? strerror(errno) : "");
}

/* Parses one stored OCR text file into an answer line (ocr_ms 0). */
static struct answer scan_text_file(const struct scan_opts *o, const char *path)
{
	static struct receipt r;
	struct answer a = { 0, NULL };
	uint8_t *buf;
	size_t len, skip;
	int rc;

	rc = ocr_read_file(path, &buf, &len);
	if (rc != OCR_OK) {
		a.line = read_error(path, rc);
		return a;
	}
	if (memchr(buf, '\0', len)) {
		a.line = xstrdup_printf("receipt-scan: %s: not a text file",
					path);
		free(buf);
		return a;
	}
	skip = header_len((const char *)buf, len);
	if (parser_parse_text_at((const char *)buf + skip, len - skip,
				 o->ref_date, &r) != PARSER_OK) {
		a.line = xstrdup_printf("receipt-scan: %s: text too large "
					"to parse",
					path);
		free(buf);
		return a;
	}
	free(buf);
	a.line = o->json ? format_json(path, &r, 0) : format_human(path, &r, 0);
	a.ok = a.line != NULL;
	return a;
}

/* Reads, OCRs and parses one file into an answer line. */
static struct answer scan_file(struct ocr_engine *eng,
			       const struct scan_opts *o, const char *path)
{
	static struct receipt r;
	struct ocr_result res;
	struct answer a = { 0, NULL };
	uint8_t *buf;
	size_t len;
	int rc;

	rc = ocr_read_file(path, &buf, &len);
	if (rc == OCR_OK) {
		rc = ocr_engine_read(eng, buf, len, &res);
		free(buf);
	}
	if (rc != OCR_OK) {
		a.line = read_error(path, rc);
		return a;
	}
	if (o->text) {
		const struct ocr_prep_info *p = &res.prep;

		a.line = xstrdup_printf(
			"== %s (%ld ms; %dx%d%s, turned %d, "
			"skew %.1f%s%s%s%s, read %d time%s, text %d px, "
			"%d dots cleared, %d barcodes erased)\n%s",
			path, res.ocr_ms, p->width, p->height,
			p->cropped ? " cropped" : "", p->rotation,
			(double)p->skew, p->flattened ? ", flattened" : "",
			p->normalised ? ", light evened" : "",
			p->stretched ? ", ink stretched" : "",
			p->darkened ? " and darkened" : "", res.readings,
			res.readings == 1 ? "" : "s", p->text_px, p->dots,
			p->bars, res.text);
	} else if (ocr_result_parse_at(&res, o->ref_date, &r) != PARSER_OK) {
		a.line = xstrdup_printf("receipt-scan: %s: OCR text too large "
					"to parse",
					path);
		ocr_result_release(&res);
		return a;
	} else {
		a.line = o->json ? format_json(path, &r, res.ocr_ms)
				 : format_human(path, &r, res.ocr_ms);
	}
	a.ok = a.line != NULL;
	ocr_result_release(&res);
	return a;
}

static int emit(struct answer *a)
{
	if (!a->line) {
		fprintf(stderr, "receipt-scan: out of memory\n");
		return 1;
	}
	fprintf(a->ok ? stdout : stderr, "%s\n", a->line);
	fflush(a->ok ? stdout : stderr);
	free(a->line);
	a->line = NULL;
	return !a->ok;
}

/* Worker loop: job = uint32 file index; answer = uint32 ok, uint32 len,
 * bytes. Exits when the parent closes its end. */
static void worker(int fd, const struct scan_opts *o, char **files)
{
	struct ocr_engine *eng;
	uint32_t idx;

	if (ocr_engine_new(&o->ocr, &eng) != OCR_OK)
		_exit(1);
	while (io_read_all(fd, &idx, sizeof(idx)) == 0) {
		struct answer a = scan_file(eng, o, files[idx]);
		uint32_t hdr[2] = { (uint32_t)a.ok, 0 };

		if (!a.line)
			a.line = xstrdup_printf(
				"receipt-scan: %s: out of memory", files[idx]);
		hdr[1] = a.line ? (uint32_t)strlen(a.line) : 0;
		if (io_write_all(fd, hdr, sizeof(hdr)) ||
		    io_write_all(fd, a.line, hdr[1]))
			_exit(1);
		free(a.line);
	}
	ocr_engine_free(eng);
	_exit(0);
}

struct pool {
	int nw;
	int fd[MAX_JOBS];
	pid_t pid[MAX_JOBS];
	long job[MAX_JOBS]; /* file index in progress, -1 when idle */
};

static int pool_start(struct pool *p, int n, const struct scan_opts *o,
		      char **files)
{
	for (p->nw = 0; p->nw < n; p->nw++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
			return -1;
		p->pid[p->nw] = fork();
		if (p->pid[p->nw] < 0)
			return -1;
		if (p->pid[p->nw] == 0) {
			for (int i = 0; i < p->nw; i++)
				close(p->fd[i]);
			close(sv[0]);
			worker(sv[1], o, files);
		}
		close(sv[1]);
		p->fd[p->nw] = sv[0];
		p->job[p->nw] = -1;
	}
	return 0;
}

static int pool_give(struct pool *p, int w, long idx)
{
	uint32_t v = (uint32_t)idx;

	p->job[w] = idx;
	return io_write_all(p->fd[w], &v, sizeof(v));
}

/* Reads one answer from worker w; a dead worker's job becomes an error. */
static struct answer pool_take(struct pool *p, int w, char **files)
{
	struct answer a = { 0, NULL };
	uint32_t hdr[2];

	if (io_read_all(p->fd[w], hdr, sizeof(hdr)) == 0 &&
	    hdr[1] < MAX_ANSWER) {
		a.line = malloc(hdr[1] + 1);
		if (a.line && io_read_all(p->fd[w], a.line, hdr[1]) == 0) {
			a.line[hdr[1]] = '\0';
			a.ok = hdr[0] != 0;
			return a;
		}
		free(a.line);
	}
	a.line = xstrdup_printf("receipt-scan: %s: OCR worker died",
				files[p->job[w]]);
	close(p->fd[w]);
	p->fd[w] = -1;
	return a;
}

static int scan_parallel(const struct scan_opts *o, char **files, long n)
{
	struct pool p;
	struct answer *ans = calloc((size_t)n, sizeof(*ans));
	char *done = calloc((size_t)n, 1);
	long next = 0, printed = 0;
	int failed = 0;

	memset(&p, 0, sizeof(p));
	if (!ans || !done || pool_start(&p, o->jobs, o, files) != 0) {
		fprintf(stderr, "receipt-scan: cannot start workers: %s\n",
			strerror(errno));
		exit(1);
	}
	while (printed < n) {
		struct pollfd pfd[MAX_JOBS];
		int busy = 0;

		for (int w = 0; w < p.nw; w++) {
			if (p.fd[w] >= 0 && p.job[w] < 0 && next < n &&
			    pool_give(&p, w, next) == 0)
				next++;
			pfd[w].fd = p.job[w] >= 0 ? p.fd[w] : -1;
			pfd[w].events = POLLIN;
			busy += p.job[w] >= 0;
		}
		if (!busy) { /* every worker died: report the rest */
			for (; next < n; next++) {
				ans[next].line = xstrdup_printf(
					"receipt-scan: %s: no OCR worker left",
					files[next]);
				done[next] = 1;
			}
		} else if (poll(pfd, (nfds_t)p.nw, -1) < 0 && errno != EINTR) {
			break;
		}
		for (int w = 0; busy && w < p.nw; w++) {
			if (pfd[w].fd < 0 || !pfd[w].revents)
				continue;
			ans[p.job[w]] = pool_take(&p, w, files);
			done[p.job[w]] = 1;
			p.job[w] = -1;
		}
		while (printed < n && done[printed])
			failed |= emit(&ans[printed++]);
	}
	for (int w = 0; w < p.nw; w++) {
		if (p.fd[w] >= 0)
			close(p.fd[w]);
		waitpid(p.pid[w], NULL, 0);
	}
	free(ans);
	free(done);
	return failed;
}

static int scan_texts(const struct scan_opts *o, char **files, long n)
{
	int failed = 0;

	for (long i = 0; i < n; i++) {
		struct answer a = scan_text_file(o, files[i]);

		failed |= emit(&a);
	}
	return failed;
}

static int scan_serial(const struct scan_opts *o, char **files, long n)
{
	struct ocr_engine *eng;
	int failed = 0;

	if (ocr_engine_new(&o->ocr, &eng) != OCR_OK)
		return 1;
	for (long i = 0; i < n; i++) {
		struct answer a = scan_file(eng, o, files[i]);

		failed |= emit(&a);
	}
	ocr_engine_free(eng);
	return failed;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "text", no_argument, NULL, 'T' },
		{ "from-text", no_argument, NULL, 'F' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "lang", required_argument, NULL, 'l' },
		{ "faded-lang", required_argument, NULL, 'f' },
		{ "max-width", required_argument, NULL, 'w' },
		{ "psm", required_argument, NULL, 'p' },
		{ "prep", required_argument, NULL, 'P' },
		{ "lines", required_argument, NULL, 'L' },
		{ "ref-date", required_argument, NULL, 'R' },
		{ "no-reread", no_argument, NULL, 'N' },
		{ "two-readings", no_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct scan_opts o = { .jobs = 1 };
	int c, bad = 0;

	ocr_pin_threads(argv);
	ocr_config_init(&o.ocr);
	parser_today(o.ref_date);
	while ((c = getopt_long(argc, argv, "j:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			o.json = 1;
			break;
		case 'T':
			o.text = 1;
			break;
		case 'F':
			o.from_text = 1;
			break;
		case 'j':
			bad |= parse_int(optarg, 1, MAX_JOBS, &o.jobs);
			break;
		case 'w':
			bad |= parse_int(optarg, 0, OCR_MAX_SIDE,
					 &o.ocr.max_width);
			break;
		case 'p':
			bad |= parse_int(optarg, 0, 13, &o.ocr.psm);
			break;
		case 'P':
			bad |= ocr_prep_parse(optarg, &o.ocr.prep);
			break;
		case 'L':
			o.ocr.word_lines = !strcmp(optarg, "words");
			bad |= !o.ocr.word_lines && strcmp(optarg, "tesseract");
			break;
		case 'N':
			o.ocr.reread = 0;
			break;
		case 'W':
			o.ocr.figures = 0;
			break;
		case 'R':
			bad |= strlen(optarg) != 10 ||
			       snprintf(o.ref_date, sizeof(o.ref_date), "%s",
					optarg) != 10;
			break;
		case 'l':
			if (snprintf(o.ocr.lang, sizeof(o.ocr.lang), "%s",
				     optarg) >= (int)sizeof(o.ocr.lang))
				bad = 1;
			break;
		case 'f':
			if (snprintf(o.ocr.faded_lang, sizeof(o.ocr.faded_lang),
				     "%s",
				     optarg) >= (int)sizeof(o.ocr.faded_lang))
				bad = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
		if (bad) {
			fprintf(stderr, "receipt-scan: bad option value '%s'\n",
				optarg);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (o.text && o.from_text) {
		fprintf(stderr, "receipt-scan: --text and --from-text "
				"exclude each other\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	/* Parsing takes microseconds: no workers, no engine. */
	if (o.from_text)
		return scan_texts(&o, argv + optind, argc - optind);
	if (o.jobs > argc - optind)
		o.jobs = argc - optind;
	if (o.jobs > 1)
		return scan_parallel(&o, argv + optind, argc - optind);
	return scan_serial(&o, argv + optind, argc - optind);
}
