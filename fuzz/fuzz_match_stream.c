/*
 * fuzz_match_stream: the fast engine equals the reference on every line of
 * a stream, while its context learns from that stream. fuzz_match_diff
 * checks one line at a time, so the per-stream adaptation (keys moved,
 * literals scanned for instead of looked up, triggers moved, the first
 * stage switched) never acts on enough lines to change; here it does.
 *
 * Input: a flags byte as fuzz_match_diff's (patterns, caseless, lazy
 * captures, no JIT), a schedule byte, a misses byte, the patterns each
 * ended by '\n', then the stream: segments separated by an empty line,
 * each a run of lines passed several times in turn. The schedule byte:
 * bits 0-2 the learning sample, 64 << b bytes; bits 3-5 the bytes between
 * samples, none for 0, else 64 << (b - 1); bits 6-7 how often each
 * segment's lines are passed, 4 << 2b. The misses byte, bits 0-3: the
 * bytes between two checks of the keys' false hits, the engine's 1 MiB
 * for 0 (more than a stream here holds), else 256 << (b - 1); bits 4-7,
 * 4 * b patterns more than the flags byte says (up to 64; the extra ones
 * caseless only by an inline (?i)). A hashed anchor set needs 8 literals
 * looked up on demand that share a window, in practice one a pattern, and
 * a line orders its candidates by their bits only past 16 of them. Those
 * bits were unused and 0 in every seed, which keep their meaning.
 *
 * A segment whose first byte is NUL is matched on some records only, as
 * an input restricted to its domains is: its first line is their mask
 * (fuzz_common.h), and both contexts are given it. No seed had a segment
 * that begins with NUL, so the seeds keep their meaning here too.
 */
#include "config.h"

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p, *end = data + size;
	struct fuzz_stream st;
	struct fw_kb *kb;
	unsigned sched, period, misses, more;

	if (size < 4)
		return 0;
	sched = data[1];
	period = sched >> 3 & 7;
	misses = data[2] & 15;
	more = 4u * (data[2] >> 4);
	st = (struct fuzz_stream){
		.learn = (size_t)64 << (sched & 7),
		.period = period ? (size_t)64 << (period - 1) : 0,
		.miss_every = misses ? (size_t)256 << (misses - 1) : 0,
		.reps = 4u << (2 * (sched >> 6)),
		.lazy = (data[0] & 0x40) != 0,
	};
	p = data + 3;
	kb = fuzz_kb_of_patterns(data[0], more, &p, end);
	if (!kb)
		return 0;
	fuzz_check_stream(kb, (const char *)p, (size_t)(end - p), &st, NULL);
	fw_kb_free(kb);
	return 0;
}
