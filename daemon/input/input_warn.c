/*
 * input_warn: warnings for file inputs that would read nothing useful (see
 * input_warn.h). Read-only: stat, glob, and the first block of a few files.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/decomp.h"
#include "input/input_warn.h"
#include "util/log.h"

#define SNIFF_BYTES 4096u

/* The first directory of pattern's directory path that does not exist; false if all do. */
static bool
missing_dir(const char *pattern, char *out, size_t cap)
{
	const char *slash = strrchr(pattern, '/');
	if (!slash || slash == pattern)
		return false;
	size_t len = (size_t)(slash - pattern);
	if (len >= cap || memchr(pattern, '*', len) || memchr(pattern, '?', len) ||
	    memchr(pattern, '[', len))
		return false;   /* globs in directory names: the glob itself tells */
	memcpy(out, pattern, len);
	out[len] = '\0';
	/* Walk down from the root so the message names the first missing level. */
	for (size_t i = 1; i <= len; i++) {
		if (i < len && out[i] != '/')
			continue;
		char save = out[i];
		out[i] = '\0';
		struct stat st;
		bool gone = stat(out, &st) < 0 && errno == ENOENT;
		if (gone)
			return true;
		out[i] = save;
	}
	return false;
}

/* A file is binary when its first block holds NUL bytes and is not compressed. */
static bool
is_binary(const char *path)
{
	char buf[SNIFF_BYTES];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	if (n <= 0 || fw_decomp_detect(buf, (size_t)n) != FW_DECOMP_NONE)
		return false;
	return memchr(buf, '\0', (size_t)n) != NULL;
}

static bool
names(const struct fw_strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return true;
	return false;
}

/* A domain whose logs carry another one's messages: the domain filter should keep both. */
static const struct {
	const char *domain, *carried, *how;
} carriers[] = {
	{ "nginx", "php-fpm", "nginx's error log carries PHP-FPM's errors (FastCGI sent in stderr: \"PHP ...\")" },
};

static unsigned
warn_domains(const struct fw_input_config *cfg)
{
	unsigned warnings = 0;

	for (size_t i = 0; i < sizeof carriers / sizeof carriers[0]; i++)
		if (names(&cfg->domains, carriers[i].domain) && !names(&cfg->domains, carriers[i].carried)) {
			log_warn("[input.%s] domains: %s, but %s is not in domains: add it to be told of them",
				 cfg->name, carriers[i].how, carriers[i].carried);
			warnings++;
		}
	return warnings;
}

unsigned
fw_input_warn(const struct fw_input_config *cfg)
{
	unsigned warnings = warn_domains(cfg);
	if (cfg->type != FW_INPUT_FILE)
		return warnings;
	for (size_t i = 0; i < cfg->paths.n; i++) {
		const char *pattern = cfg->paths.v[i];
		char dir[4096];
		if (missing_dir(pattern, dir, sizeof dir)) {
			log_warn("[input.%s] path %s: directory %s does not exist (it is watched for "
				 "by the rescan; nothing is read until it is created)", cfg->name, pattern,
				 dir);
			warnings++;
			continue;
		}
		glob_t g;
		int rc = glob(pattern, 0, NULL, &g);
		size_t regular = 0, sniffed = 0;
		for (size_t j = 0; rc == 0 && j < g.gl_pathc; j++) {
			struct stat st;
			if (stat(g.gl_pathv[j], &st) < 0 || !S_ISREG(st.st_mode))
				continue;
			regular++;
			if (sniffed++ < FW_INPUT_WARN_SNIFF_MAX && is_binary(g.gl_pathv[j])) {
				log_warn("[input.%s] path %s: %s is a binary file, not a log (its bytes "
					 "would be matched as lines; add it to exclude)", cfg->name,
					 pattern, g.gl_pathv[j]);
				warnings++;
			}
		}
		if (rc == 0)
			globfree(&g);
		if (regular == 0) {
			log_warn("[input.%s] path %s: no file matches%s", cfg->name, pattern,
				 rc == GLOB_NOMATCH || rc == 0 ? " (yet: files that appear later are read)"
							       : " (the directory cannot be read)");
			warnings++;
		}
	}
	return warnings;
}
