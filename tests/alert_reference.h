/*
 * alert_reference: the json-c alert builder, the oracle of test_alert.
 */
#ifndef FW_ALERT_REFERENCE_H
#define FW_ALERT_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/alert.h"

/* The alert as a json-c object (in->parts is not used), or NULL. */
json_object *ref_alert_build(const struct fw_alert_input *in, bool zh);

/* Serialised as one line without a newline; the string belongs to obj. */
const char *ref_alert_json(json_object *obj, size_t *len);

/* Appends s[0..len) to obj as key, with invalid UTF-8 replaced. */
int ref_json_add_text(json_object *obj, const char *key, const char *s, size_t len);

#endif
