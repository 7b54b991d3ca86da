/*
 * control: the daemon's control socket (unix stream, mode 0660) for
 * `fixwatch status`.
 *
 * Protocol: the client sends one line, "status"; the daemon answers with
 * the status JSON object (status.h) on one line and closes. Anything else
 * gets {"error":"..."}. A client has CONTROL_TIMEOUT_MS to ask. A stale
 * socket file left by a crash is replaced; any other file at the path is an
 * error.
 */
#ifndef FW_CONTROL_H
#define FW_CONTROL_H

#include <json-c/json.h>
#include <uv.h>

struct fw_control;

/* snapshot() returns a new object (the control socket puts it). 0 or -errno. */
int fw_control_start(uv_loop_t *loop, const char *path, json_object *(*snapshot)(void *ctx),
		     void *ctx, struct fw_control **out);
/*
 * Closes the listener and removes the socket file. Clients already
 * connected get their answer (or time out) on the loop; c is freed after
 * the last of them.
 */
void fw_control_close(struct fw_control *c);

#endif
