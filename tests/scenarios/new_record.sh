#!/bin/sh
# fixwatch new-record: the skeleton of a record for real-shaped lines of
# nginx's error log, sshd (RFC 3164 and RFC 5424 syslog), the kernel and
# PostgreSQL passes `fixwatch test` as printed (its example and the
# example's variants), leaves the line's prefix out of the regex, guesses
# the severity from the level the line states, and recognises the same
# message with other values; bad arguments are errors.
. "$top_srcdir/tests/scenarios/lib.sh"

# skeleton NAME LINE SEVERITY: the skeleton of LINE (from a file) passes its test.
skeleton() {
	printf 'first line, not this one\n%s\n' "$2" > "$T/$1.log"
	expect_exit 0 "$FIXWATCH" new-record "$T/$1.log:2"
	cp "$T/out" "$T/$1.json"
	grep '^  "regex": ' "$T/$1.json" > "$T/$1.re" || fail "no regex in the $1 skeleton"
	assert_grep "$T/$1.json" "\"severity\": \"$3\""
	expect_exit 0 "$FIXWATCH" test -k "$T/$1.json"
	assert_grep "$T/out" "1 records, 1 examples, 0 counterexamples"
	assert_grep "$T/out" " 0 failed"
	grep -Eq ', [1-9][0-9]* variants' "$T/out" || fail "no variants of the $1 example were tried"
}

skeleton nginx '2026/11/23 08:32:10 [crit] 2231#2231: *48600 connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream, client: 203.0.113.7, server: shop.example.com, request: "GET /cart HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example.com"' crit
# The prefix (time, level, pid, connection) is not in the pattern; the address and the quoted parts are generalised.
assert_no_grep "$T/nginx.re" '2026'
assert_no_grep "$T/nginx.re" '2231'
assert_no_grep "$T/nginx.re" '203'
assert_no_grep "$T/nginx.re" 'GET'
assert_grep "$T/nginx.re" '"regex": "connect\\(\\) to unix:'
skeleton sshd 'Nov 23 08:04:01 web-1 sshd[23190]: Failed password for invalid user admin from 2001:db8::77 port 52010 ssh2 [preauth]' err
assert_grep "$T/sshd.re" '(?: port \\d+)?'
assert_no_grep "$T/sshd.re" 'preauth'
assert_no_grep "$T/sshd.re" 'db8'
assert_grep "$T/sshd.json" '"id": "sshd/new-record"'
skeleton sshd5424 '<35>1 2026-11-23T08:04:01.000Z web-1 sshd 23190 - - error: PAM: Authentication failure for root from 198.51.100.4' err
skeleton kernel 'Nov 23 08:21:08 web-1 kernel: [1835100.210021] EXT4-fs error (device nvme0n1p1): ext4_find_entry:1455: inode #2: comm nginx: reading directory lblock 0' err
assert_no_grep "$T/kernel.re" '1835100'
assert_no_grep "$T/kernel.re" 'web-1'
skeleton postgres '2026-11-23 08:10:00.123 UTC [4242] app@shop FATAL:  remaining connection slots are reserved for non-replication superuser connections' crit
assert_grep "$T/postgres.json" '"id": "postgresql/new-record"'
assert_grep "$T/postgres.re" '"regex": "FATAL:  remaining connection slots'

# The record recognises the same message with other addresses, ports, pids and
# another prefix (words such as the user name are the author's to generalise).
printf '%s\n' 'Dec  4 10:00:00 db-2 sshd[9]: Failed password for invalid user admin from 10.1.2.3 port 22 ssh2' > "$T/other.log"
expect_exit 1 "$FIXWATCH" scan -k "$T/sshd.json" "$T/other.log"
assert_grep "$T/out" '"id":"sshd/new-record"'

# A line on standard input; the skeleton says what to fill in.
printf '%s\n' 'Error: connect ECONNREFUSED 10.0.0.8:6379' |
	expect_exit 0 "$FIXWATCH" new-record -
assert_grep "$T/out" '    "Error: connect ECONNREFUSED 10.0.0.8:6379'
assert_grep "$T/out" '"_rules": "Fill in before use'

# Bad arguments.
expect_exit 2 "$FIXWATCH" new-record
expect_exit 2 "$FIXWATCH" new-record "$T/nginx.log"
assert_grep "$T/err" "is not FILE:LINE"
expect_exit 2 "$FIXWATCH" new-record "$T/nginx.log:0"
expect_exit 1 "$FIXWATCH" new-record "$T/nginx.log:9"
assert_grep "$T/err" "no line 9"
expect_exit 1 "$FIXWATCH" new-record "$T/nowhere.log:1"
assert_grep "$T/err" "No such file or directory"
exit 0
