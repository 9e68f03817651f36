/*
 * http.h: the HTTP API (docs/api.md) on libmicrohttpd. The server runs in
 * one internal polling thread with its own database connection; it accepts
 * and stores uploads and answers reads, and never runs OCR.
 */
#ifndef RD_HTTP_H
#define RD_HTTP_H

#include "config.h"
#include "db.h"
#include "supervisor.h"

/* Hardening limits, applied explicitly rather than trusting defaults. */
#define HTTP_MAX_CONNECTIONS 256
#define HTTP_MAX_PER_IP 32
#define HTTP_CONN_TIMEOUT_S 30
#define HTTP_CONN_MEMORY (64 * 1024)
#define HTTP_MAX_INFLIGHT_KEYS 256

struct http_server;

/*
 * Starts listening on cfg->listen_addr:listen_port. db is the server's own
 * connection (used only from its thread); wake_fd is written to after each
 * accepted upload; sup is read for /readyz. Returns 0 and *out, or -1 with
 * a message on stderr.
 */
int http_start(const struct config *cfg, struct db *db, int wake_fd,
	       const struct supervisor *sup, struct http_server **out);

/* Stops accepting, finishes nothing further, frees everything. */
void http_stop(struct http_server *h);

#endif
