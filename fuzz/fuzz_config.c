/*
 * fuzz_config: libFuzzer target for the configuration parser. Any input
 * must either load (and then free cleanly) or be refused with at least one
 * error; never crash, hang or leak. The input is handed over as a file, as
 * fixwatchd does, through a memfd.
 *
 *   ./configure --enable-fuzzing --enable-sanitizers CC=clang && make
 *   fuzz/run.sh 60      (seeds: fuzz/seeds/config/)
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/fwconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct fw_config *cfg = NULL;
	struct fw_diag diag;
	int r;

	if (fd < 0) {
		fd = memfd_create("fuzz_config", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	fw_diag_init(&diag);
	r = fw_config_load(path, &cfg, &diag);
	if ((r == 0) != (cfg != NULL) || (r == 0) != (fw_diag_count(&diag) == 0))
		abort();
	fw_config_free(cfg);
	fw_diag_clear(&diag);
	return 0;
}
