/*
 * model.c: a traineddata file without its word lists (model.h).
 *
 * The format (Tesseract's tessdatamanager.h): a uint32 count of entries,
 * that many int64 file offsets (-1 for an entry the file lacks), then the
 * entries in the order of their offsets, each running to the next one
 * present or to the end of the file. Little-endian on Debian's machines;
 * a file of the other byte order is refused, not swapped.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "io.h"
#include "model.h"
#include "banned.h"

/* Tesseract 5 knows 24 entries; it refuses files that list more. */
#define MODEL_ENTRIES 24
#define MODEL_HEAD(n) (sizeof(uint32_t) + (size_t)(n) * sizeof(int64_t))

/* The word lists, by their index: the legacy engine's system and
 * frequent-word lists and the LSTM engine's word list. */
static int word_list(uint32_t i)
{
	return i == 7 || i == 9 || i == 19;
}

/* Checks the offsets (present ones inside the file, after the header and
 * rising) and fills size[] with each entry's length. */
static int entry_sizes(const int64_t *off, uint32_t n, int64_t file,
		       int64_t *size)
{
	int64_t end = file;

	for (uint32_t k = n; k-- > 0;) {
		size[k] = 0;
		if (off[k] == -1)
			continue;
		if (off[k] < (int64_t)MODEL_HEAD(n) || off[k] > end)
			return OCR_ERR_DECODE;
		size[k] = end - off[k];
		end = off[k];
	}
	return OCR_OK;
}

static int read_at(int fd, void *buf, size_t n, int64_t at)
{
	return lseek(fd, (off_t)at, SEEK_SET) == (off_t)at &&
			       io_read_all(fd, buf, n) == 0
		       ? OCR_OK
		       : OCR_ERR_IO;
}

static int strip(int fd, int64_t file, char **out, size_t *len)
{
	int64_t off[MODEL_ENTRIES], size[MODEL_ENTRIES], at;
	uint32_t n;
	char *buf;
	int rc;

	if (file < (int64_t)MODEL_HEAD(1) || file > OCR_MODEL_MAX_BYTES)
		return OCR_ERR_DECODE;
	rc = read_at(fd, &n, sizeof(n), 0);
	if (rc != OCR_OK)
		return rc;
	if (n == 0 || n > MODEL_ENTRIES || file < (int64_t)MODEL_HEAD(n))
		return OCR_ERR_DECODE;
	rc = read_at(fd, off, n * sizeof(off[0]), sizeof(n));
	if (rc == OCR_OK)
		rc = entry_sizes(off, n, file, size);
	if (rc != OCR_OK)
		return rc;
	at = (int64_t)MODEL_HEAD(n);
	for (uint32_t k = 0; k < n; k++)
		at += word_list(k) ? 0 : size[k];
	buf = malloc((size_t)at);
	if (!buf)
		return OCR_ERR_NOMEM;
	memcpy(buf, &n, sizeof(n));
	at = (int64_t)MODEL_HEAD(n);
	for (uint32_t k = 0; k < n && rc == OCR_OK; k++) {
		int64_t put = off[k] == -1 || word_list(k) ? -1 : at;

		memcpy(buf + sizeof(n) + k * sizeof(put), &put, sizeof(put));
		if (put == -1)
			continue;
		rc = read_at(fd, buf + at, (size_t)size[k], off[k]);
		at += size[k];
	}
	if (rc != OCR_OK) {
		free(buf);
		return rc;
	}
	*out = buf;
	*len = (size_t)at;
	return OCR_OK;
}

int ocr_model_read(const char *path, char **out, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	*out = NULL;
	*len = 0;
	if (fd < 0)
		return OCR_ERR_IO;
	rc = fstat(fd, &st) == 0 ? strip(fd, (int64_t)st.st_size, out, len)
				 : OCR_ERR_IO;
	close(fd);
	return rc;
}
