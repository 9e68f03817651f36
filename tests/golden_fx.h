/*
 * golden_fx.h: the OCR-text golden files the parser tests share: a
 * folder of NNN.txt (parser input) beside NNN.expected.json (what it must
 * read). Each file is parsed into the caller's receipt and handed with
 * its expectations to the caller's check. Include after <cmocka.h>,
 * <jansson.h> and "parser.h"; run from the repository root.
 */
#ifndef RD_GOLDEN_FX_H
#define RD_GOLDEN_FX_H

#include <dirent.h>

#define GOLDEN_MAX_BYTES (64 * 1024)

/* path: the .txt file; exp: its expected.json; r: what the parser read. */
typedef void (*golden_check)(const char *path, json_t *exp,
			     const struct receipt *r);

static void golden_one(const char *dir, const char *name, struct receipt *r,
		       golden_check check)
{
	char path[512], text[GOLDEN_MAX_BYTES];
	json_t *exp;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%.*s.expected.json", dir,
		 (int)(strlen(name) - 4), name);
	exp = json_load_file(path, 0, NULL);
	assert_non_null(exp);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	len = fread(text, 1, sizeof(text), f);
	fclose(f);
	assert_true(len < sizeof(text));
	assert_int_equal(parser_parse_text(text, len, r), 0);
	check(path, exp, r);
	json_decref(exp);
}

/* Checks every golden file in dir; returns how many there were. */
static inline size_t golden_each(const char *dir, struct receipt *r,
				 golden_check check)
{
	struct dirent *e;
	size_t n = 0, len;
	DIR *d = opendir(dir);

	if (!d)
		print_error("no golden files in %s\n", dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
			continue;
		golden_one(dir, e->d_name, r, check);
		n++;
	}
	closedir(d);
	return n;
}

#endif
