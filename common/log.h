/*
 * log.h: one line per event on stderr, "2026-11-22T14:33:05Z receiptd[pid]
 * LEVEL message", which journald and a terminal both read well.
 */
#ifndef RD_LOG_H
#define RD_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Formats the current UTC time as YYYY-MM-DDTHH:MM:SSZ (21 bytes). */
void log_utc_now(char buf[21]);

#endif
