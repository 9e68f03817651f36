/*
 * store.c: the write-fsync-rename-fsync dance. Each step is needed: without
 * the file fsync the rename can land before the data, without the
 * directory fsync the rename itself can be lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "store.h"
#include "banned.h"

static int mkdir_p1(const char *path)
{
	return mkdir(path, 0750) == 0 || errno == EEXIST ? 0 : -1;
}

int store_init(const char *data_dir)
{
	char p[STORE_PATH_MAX];

	if (mkdir_p1(data_dir))
		return -1;
	snprintf(p, sizeof(p), "%s/images", data_dir);
	if (mkdir_p1(p))
		return -1;
	snprintf(p, sizeof(p), "%s/tmp", data_dir);
	return mkdir_p1(p);
}

static int fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int write_file(int fd, const void *p, size_t n)
{
	return io_write_all(fd, p, n) ? -1 : fsync(fd);
}

static void prefix(char *dst, const char *src, size_t n)
{
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int store_put(const char *data_dir, const char *sha, const void *buf,
	      size_t len, char path[STORE_PATH_MAX])
{
	char dir[STORE_PATH_MAX], tmp[STORE_PATH_MAX], parent[STORE_PATH_MAX];
	struct stat st;
	int fd, rc = -1, newdir;

	if (strlen(sha) != 64 ||
	    snprintf(path, STORE_PATH_MAX, "%s/images/%.2s/%s", data_dir, sha,
		     sha) >= STORE_PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* dir and parent are prefixes of the path that was checked to fit. */
	prefix(dir, path, strlen(path) - 65);
	prefix(parent, path, strlen(path) - 68);
	/* Same name, same bytes: a complete copy is already durable. */
	if (stat(path, &st) == 0 && (size_t)st.st_size == len)
		return 0;
	newdir = mkdir(dir, 0750) == 0;
	if (!newdir && errno != EEXIST)
		return -1;
	if (newdir && fsync_dir(parent))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s/tmp/%s.XXXXXX", data_dir, sha);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	if (write_file(fd, buf, len) == 0 && rename(tmp, path) == 0)
		rc = fsync_dir(dir);
	close(fd);
	if (rc)
		unlink(tmp);
	return rc;
}
