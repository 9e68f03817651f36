/*
 * log.c: timestamped log lines. One fprintf per line so that lines from
 * several processes sharing stderr do not interleave mid-line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "banned.h"

void log_utc_now(char buf[21])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void vlog(const char *level, const char *fmt, va_list ap)
{
	char ts[21], msg[1024];

	log_utc_now(ts);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "%s receiptd[%d] %s %s\n", ts, (int)getpid(), level,
		msg);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("info", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warn", fmt, ap);
	va_end(ap);
}
