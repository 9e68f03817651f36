/*
 * store.h: durable, content-addressed image storage under the data dir.
 * An image is written to a temp file, fsynced, renamed to
 * images/ab/abcdef...(sha256), and its directory fsynced, so once
 * store_put() returns the bytes survive a power cut.
 */
#ifndef RD_STORE_H
#define RD_STORE_H

#include <stddef.h>

#define STORE_PATH_MAX 512

/* Creates DIR, DIR/images and DIR/tmp if missing. Returns 0 or -1. */
int store_init(const char *data_dir);

/*
 * Stores len bytes whose SHA-256 hex is sha (64 chars) and writes the
 * final path into path (STORE_PATH_MAX). Storing the same bytes again is
 * a no-op. Returns 0 or -1 (errno set); nothing half-written is ever
 * visible under images/.
 */
int store_put(const char *data_dir, const char *sha, const void *buf,
	      size_t len, char path[STORE_PATH_MAX]);

#endif
