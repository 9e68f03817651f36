/*
 * io.h: whole-buffer read and write on file descriptors, retrying short
 * transfers and EINTR, so callers never handle partial I/O themselves.
 */
#ifndef RD_IO_H
#define RD_IO_H

#include <stddef.h>

/* Writes all n bytes. Returns 0, or -1 (errno set; 0 bytes written by the
 * kernel counts as an error). */
int io_write_all(int fd, const void *buf, size_t n);

/* Reads exactly n bytes. Returns 0, or -1 on EOF before n bytes or on an
 * error (errno set for errors, unchanged at EOF). */
int io_read_all(int fd, void *buf, size_t n);

#endif
