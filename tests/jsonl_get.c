/*
 * jsonl_get: test helper for the scenarios (no jq or python assumed).
 *
 *   jsonl_get KEY [FILE]
 *
 * Each input line is "[PREFIX<TAB>]JSON" (the TAB-separated prefix is what
 * a collector's template put before MSG; an "@cee: " cookie is skipped).
 * The JSON must parse as one object, strictly, to the end of the line;
 * prints the value of KEY (dotted path, e.g. source.line_no) per line,
 * strings raw. Exit 1 naming the line when one does not parse or lacks KEY.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

static int
lookup(json_object *o, const char *path, json_object **out)
{
	char buf[256], *save = NULL, *part;

	snprintf(buf, sizeof buf, "%s", path);
	for (part = strtok_r(buf, ".", &save); part; part = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(o, part, &o))
			return -1;
	*out = o;
	return 0;
}

int
main(int argc, char **argv)
{
	FILE *f = stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long n = 0;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: jsonl_get KEY [FILE]\n");
		return 2;
	}
	if (argc == 3 && !(f = fopen(argv[2], "r"))) {
		perror(argv[2]);
		return 2;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *json = line, *tab = strchr(line, '\t');
		json_tokener *tok;
		json_object *o, *v;

		n++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (tab)
			json = tab + 1;
		if (strncmp(json, "@cee: ", 6) == 0)
			json += 6;
		tok = json_tokener_new();
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
		o = json_tokener_parse_ex(tok, json, (int)strlen(json));
		if (!o || json_tokener_get_parse_end(tok) != strlen(json) ||
		    !json_object_is_type(o, json_type_object)) {
			fprintf(stderr, "line %lu: not one JSON object: %.200s\n", n, json);
			return 1;
		}
		json_tokener_free(tok);
		if (lookup(o, argv[1], &v) < 0) {
			fprintf(stderr, "line %lu: no %s\n", n, argv[1]);
			return 1;
		}
		puts(json_object_is_type(v, json_type_string) ? json_object_get_string(v)
							      : json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	}
	free(line);
	return 0;
}
