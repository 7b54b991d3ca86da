#!/bin/sh
# fixwatch scan on compressed logs: gzip, xz and zstd files written by the real
# tools are recognised by their first bytes (not their names) and alert with
# the real file name; stdin too; a cut or corrupt file is named and the lines
# before the damage still alert.
. "$top_srcdir/tests/scenarios/lib.sh"
make_kb
for tool in gzip xz zstd; do
	command -v "$tool" >/dev/null || fail "$tool is not installed (see the README's test command)"
done

TO='2026/11/23 08:00:00 [error] 1234#1234: *5 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.7, server: example.com'
REF='2026/11/23 08:00:01 [error] 1234#1234: *6 connect() failed (111: Connection refused) while connecting to upstream, client: 198.51.100.2'
# 20000 lines: the first and last alert, the rest is noise that compresses.
{
	printf '%s\n' "$TO"
	i=0
	while [ $i -lt 19998 ]; do
		printf '203.0.113.%d - - [23/Nov/2026:08:00:00 +0000] "GET /item/%d HTTP/1.1" 200 512\n' $((i % 250)) $i
		i=$((i + 1))
	done
	printf '%s\n' "$REF"
} >"$T/access.log"

expect_exit 1 "$FIXWATCH" scan -k "$T/kb" "$T/access.log"
cp "$T/out" "$T/plain.out"
assert_lines "$T/plain.out" 2

# Each format, with the name the tool gives it; the alert names that file and
# the lines, offsets and numbers are those of the text.
gzip -c "$T/access.log" >"$T/a.log.gz"
gzip -1 -c "$T/access.log" >"$T/a1.log.gz"
xz -c "$T/access.log" >"$T/a.log.xz"
zstd -q -c "$T/access.log" >"$T/a.log.zst"
for f in a.log.gz a1.log.gz a.log.xz a.log.zst; do
	expect_exit 1 "$FIXWATCH" scan -k "$T/kb" "$T/$f"
	assert_lines "$T/out" 2
	assert_grep "$T/out" '"source":{"type":"file","path":"'"$T/$f"'","offset":0,"line_no":1}'
	assert_grep "$T/out" '"line_no":20000}'
	assert_grep "$T/err" '20000 lines'
	# Same alerts as the plain file, but for the path.
	sed "s|$T/$f|$T/access.log|; s/\"time\":\"[^\"]*\"//" "$T/out" >"$T/norm"
	sed 's/"time":"[^"]*"//' "$T/plain.out" | cmp -s - "$T/norm" || fail "$f: alerts differ from the plain file's"
done

# By content, not by name: a gzip file without suffix is read, a text file named .gz too.
cp "$T/a.log.gz" "$T/no-suffix"
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" "$T/no-suffix"
assert_lines "$T/out" 2
cp "$T/access.log" "$T/text.gz"
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" "$T/text.gz"
assert_lines "$T/out" 2

# Concatenated gzip members are one text.
gzip -c "$T/access.log" >"$T/twice.gz"
gzip -c "$T/access.log" >>"$T/twice.gz"
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" "$T/twice.gz"
assert_lines "$T/out" 4
assert_grep "$T/out" '"line_no":40000}'

# Standard input, compressed, arriving through a pipe.
gzip -c "$T/access.log" | expect_exit 1 "$FIXWATCH" scan -k "$T/kb" -
assert_lines "$T/out" 2
assert_grep "$T/out" '"source":{"type":"stdin","offset":0,"line_no":1}'

# Cut in the middle: the file is named, the first alert kept, exit 1.
size=$(wc -c <"$T/a.log.gz")
head -c $((size / 2)) "$T/a.log.gz" >"$T/cut.gz"
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" "$T/cut.gz" "$T/a.log.xz"
assert_grep "$T/err" "$T/cut.gz: the gzip stream ends early (truncated file?)"
assert_grep "$T/err" '1 input error'
assert_lines "$T/out" 3
assert_grep "$T/out" '"path":"'"$T/cut.gz"'","offset":0,"line_no":1}'
xz_size=$(wc -c <"$T/a.log.xz")
head -c $((xz_size / 2)) "$T/a.log.xz" | expect_exit 1 "$FIXWATCH" scan -k "$T/kb" -
assert_grep "$T/err" "-: the xz stream ends early"

# Corrupt data (the CRC no longer matches): named, exit 1.
cp "$T/a.log.gz" "$T/bad.gz"
printf 'XXXX' | dd of="$T/bad.gz" bs=1 seek=$((size - 8)) conv=notrunc 2>/dev/null
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" "$T/bad.gz"
assert_grep "$T/err" "$T/bad.gz: corrupt gzip data"
assert_grep "$T/err" 'the 20000 lines before it were scanned'
exit 0
