/*
 * image.c: format allowlist, header-only size checks, then decoding with
 * Leptonica. Everything here treats its input as hostile.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "banned.h"

/* findFileFormatBuffer looks at up to 12 bytes of signature. */
#define SIGNATURE_BYTES 12

static const struct {
	int err;
	const char *code, *msg;
} errors[] = {
	{ OCR_ERR_FORMAT, "unsupported_format",
	  "not a JPEG, PNG, TIFF or WebP image" },
	{ OCR_ERR_TOO_LARGE, "image_too_large",
	  "image exceeds the size limits (50 megapixels, 16384 px a side)" },
	{ OCR_ERR_TOO_SMALL, "image_too_small",
	  "image is too small to hold a receipt" },
	{ OCR_ERR_DECODE, "corrupt_image",
	  "image data is corrupt or truncated" },
	{ OCR_ERR_NOMEM, "out_of_memory", "out of memory" },
	{ OCR_ERR_ENGINE, "ocr_failed", "the OCR engine failed" },
	{ OCR_ERR_IO, "io_error", "file could not be read" },
};

const char *ocr_strerror(int err)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (errors[i].err == err)
			return errors[i].msg;
	return err == OCR_OK ? "ok" : "unknown error";
}

const char *ocr_errcode(int err)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (errors[i].err == err)
			return errors[i].code;
	return err == OCR_OK ? "ok" : "unknown";
}

static const char *allowed_format(l_int32 fmt)
{
	switch (fmt) {
	case IFF_JFIF_JPEG:
		return "jpeg";
	case IFF_PNG:
		return "png";
	case IFF_TIFF:
	case IFF_TIFF_PACKBITS:
	case IFF_TIFF_RLE:
	case IFF_TIFF_G3:
	case IFF_TIFF_G4:
	case IFF_TIFF_LZW:
	case IFF_TIFF_ZIP:
	case IFF_TIFF_JPEG:
		return "tiff";
	case IFF_WEBP:
		return "webp";
	default:
		return NULL;
	}
}

int ocr_image_probe(const uint8_t *buf, size_t len, struct ocr_image_info *info)
{
	l_int32 fmt = IFF_UNKNOWN, w = 0, h = 0, bps = 0, spp = 0;

	memset(info, 0, sizeof(*info));
	if (!buf || len < SIGNATURE_BYTES)
		return OCR_ERR_FORMAT;
	if (len > OCR_MAX_FILE_BYTES)
		return OCR_ERR_TOO_LARGE;
	if (findFileFormatBuffer(buf, &fmt) != 0)
		return OCR_ERR_FORMAT;
	info->format = allowed_format(fmt);
	if (!info->format)
		return OCR_ERR_FORMAT;
	if (pixReadHeaderMem(buf, len, NULL, &w, &h, &bps, &spp, NULL) != 0)
		return OCR_ERR_DECODE;
	if (w > OCR_MAX_SIDE || h > OCR_MAX_SIDE ||
	    (long long)w * h > OCR_MAX_PIXELS)
		return OCR_ERR_TOO_LARGE;
	if (w < OCR_MIN_SIDE || h < OCR_MIN_SIDE)
		return OCR_ERR_TOO_SMALL;
	info->width = w;
	info->height = h;
	info->bits_per_sample = bps;
	info->samples_per_pixel = spp;
	return OCR_OK;
}

int ocr_image_decode(const uint8_t *buf, size_t len, PIX **out)
{
	struct ocr_image_info info;
	int rc;

	*out = NULL;
	rc = ocr_image_probe(buf, len, &info);
	if (rc != OCR_OK)
		return rc;
	*out = pixReadMem(buf, len);
	if (!*out)
		return OCR_ERR_DECODE;
	/* The header and the decoder must agree, or the checks meant nothing. */
	if (pixGetWidth(*out) != info.width ||
	    pixGetHeight(*out) != info.height) {
		pixDestroy(out);
		return OCR_ERR_DECODE;
	}
	return OCR_OK;
}

int ocr_read_file(const char *path, uint8_t **out, size_t *len)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	int fd, rc = OCR_ERR_IO;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return OCR_ERR_IO;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		goto out;
	if ((unsigned long long)st.st_size > OCR_MAX_FILE_BYTES) {
		rc = OCR_ERR_TOO_LARGE;
		goto out;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		rc = OCR_ERR_NOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		got += (size_t)n;
	}
	*out = buf;
	*len = got;
	buf = NULL;
	rc = OCR_OK;
out:
	free(buf);
	close(fd);
	return rc;
}
