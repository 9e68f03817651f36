/*
 * worker.h: the OCR worker process and its wire protocol. A worker owns one
 * Tesseract engine, no database handle and no network; it reads jobs from
 * the supervisor over a socketpair and answers with what OCR saw. Every
 * message is a header {u32 type, u32 len} plus len bytes, and every length
 * and offset is checked on receipt: a corrupt peer is an error, not a
 * crash.
 */
#ifndef RD_OCR_WORKER_H
#define RD_OCR_WORKER_H

#include <stdint.h>

#include "ocr.h"

#define OCR_MSG_MAX (16u * 1024 * 1024)
#define OCR_JOB_PATH_MAX 1024

enum ocr_msg_type {
	OCR_MSG_JOB = 1,    /* supervisor -> worker: i64 id, path */
	OCR_MSG_RESULT = 2, /* worker -> supervisor: i64 id, i32 rc, result */
};

/*
 * Runs the worker loop on fd until the supervisor closes it, then returns
 * 0. An unknown message type or a malformed job ends the worker with -1
 * (the supervisor respawns it): a confused worker must not guess.
 */
int ocr_worker_run(int fd, const struct ocr_config *cfg);

/* Sends one job. Returns 0 or -1 (errno set). */
int ocr_ipc_send_job(int fd, int64_t id, const char *path);

/* Sends one result (the worker's answer). Returns 0 or -1 (errno set). */
int ocr_ipc_send_result(int fd, int64_t id, int rc,
			const struct ocr_result *res);

/*
 * Receives one result: *id, *rc (an ocr_err from the worker) and, when *rc
 * is OCR_OK, *res (release with ocr_result_release). Returns 0, or -1 on
 * EOF, I/O error or a malformed message (then *res is empty).
 */
int ocr_ipc_recv_result(int fd, int64_t *id, int *rc, struct ocr_result *res);

#endif
