#!/bin/sh
# The host-side records (systemd, sshd, kernel, PHP-FPM, PostgreSQL, MySQL,
# Redis, Docker) as an operator meets them: the sample syslog gives one alert
# per fault line and the intended record as primary, and the same messages as
# the journal hands them over (MESSAGE only, no syslog prefix) still match,
# with their captures.
. "$top_srcdir/tests/scenarios/lib.sh"
KB="$top_srcdir/data/kb"

# The sample morning: 28 fault lines among 420 ordinary ones.
expect_exit 1 "$FIXWATCH" scan -k "$KB" --format json "$top_srcdir/data/samples/syslog"
assert_lines "$T/out" 28
for id in sshd/invalid-user sshd/failed-password sshd/pam-authentication-failure \
	sshd/max-auth-attempts-exceeded sshd/too-many-authentication-failures \
	sshd/kex-exchange-identification sshd/no-matching-host-key-type sshd/bad-ownership-or-modes \
	php-fpm/seems-busy php-fpm/max-children-reached php-fpm/execution-timed-out \
	kernel/oom-kill-constraint kernel/oom-killer-killed-process php-fpm/child-exited-on-sigkill \
	redis/bgsave-fork-cannot-allocate-memory kernel/possible-syn-flooding \
	kernel/nf-conntrack-table-full systemd/main-process-exited-failure \
	systemd/unit-failed-exit-code systemd/failed-to-start-unit \
	systemd/start-request-repeated-too-quickly kernel/no-space-left-on-device \
	docker/overlay2-no-space-left systemd/journald-suppressed-messages kernel/hung-task-blocked; do
	assert_grep "$T/out" "\"id\":\"$id\""
done
# The routine line right after the hung-task report is not an alert.
assert_no_grep "$T/out" "disables this message"

# Journal MESSAGE texts: no "host prog[pid]:" prefix.
cat >"$T/journal.txt" <<'LINES'
Failed to start nginx.service - A high performance web server and a reverse proxy server.
nginx.service: Main process exited, code=exited, status=1/FAILURE
php8.2-fpm.service: A process of this unit has been killed by the OOM killer.
Suppressed 4126 messages from nginx.service
Failed password for root from 203.0.113.77 port 51844 ssh2
fatal: Cannot bind any address.
Out of memory: Killed process 41234 (php-fpm8.2) total-vm:812344kB, anon-rss:402112kB, file-rss:0kB, shmem-rss:1024kB, UID:33 pgtables:1100kB oom_score_adj:0
[pool www] server reached pm.max_children setting (5), consider raising it
Started nginx.service - A high performance web server and a reverse proxy server.
nginx.service: Deactivated successfully.
Accepted publickey for deploy from 10.0.4.12 port 51844 ssh2: ED25519 SHA256:6Rk3l0Jc2r0Zw9fN2oQx7y8VbA1cD4eF5gH6iJ7kL8m
LINES
expect_exit 1 "$FIXWATCH" scan -k "$KB" --format json - <"$T/journal.txt"
assert_lines "$T/out" 8
for id in systemd/failed-to-start-unit systemd/main-process-exited-failure \
	systemd/unit-killed-by-oom systemd/journald-suppressed-messages sshd/failed-password \
	sshd/bind-address-in-use kernel/oom-killer-killed-process php-fpm/max-children-reached; do
	assert_grep "$T/out" "\"id\":\"$id\""
done
assert_grep "$T/out" '"captures":{"unit":"nginx.service","status":"1","name":"FAILURE"}'
assert_grep "$T/out" '"captures":{"method":"password","user":"root","client":"203.0.113.77","port":"51844"}'
assert_grep "$T/out" '"captures":{"pid":"41234","comm":"php-fpm8.2"}'
assert_no_grep "$T/out" '"line":"Started nginx.service'
assert_no_grep "$T/out" 'Accepted publickey'

# The user name is the client's text: one that looks like the message's own
# tail ("x from 6.6.6.6 port 1") must not become the client address. The
# records capture the address from the fixed end of the message.
cat >"$T/hostile.txt" <<'LINES'
sshd[1]: Failed password for invalid user x from 6.6.6.6 port 1 ssh2 from 203.0.113.7 port 5022 ssh2
sshd[1]: Failed keyboard-interactive/pam for x from 6.6.6.6 port 1 ssh2 from 2001:db8::7 port 5022 ssh2 [preauth]
sshd[1]: Invalid user x from 6.6.6.6 port 1 from 203.0.113.7 port 5022
sshd[1]: Invalid user x from 6.6.6.6 port 1 from 203.0.113.7
sshd[1]: error: maximum authentication attempts exceeded for invalid user x from 6.6.6.6 port 1 ssh2 from 203.0.113.7 port 5022 ssh2 [preauth]
sshd[1]: error: PAM: Authentication failure for illegal user x from 6.6.6.6 from 203.0.113.7
sshd[1]: Disconnecting invalid user x 6.6.6.6 port 1: Too many authentication failures 203.0.113.7 port 5022: Too many authentication failures [preauth]
LINES
expect_exit 1 "$FIXWATCH" scan -k "$KB" --format json - <"$T/hostile.txt"
assert_lines "$T/out" 7
assert_no_grep "$T/out" '"client":"6.6.6.6"'
assert_no_grep "$T/out" '"port":"1"'
[ "$(grep -c '"client":"203.0.113.7"' "$T/out")" -eq 6 ] || fail "hostile user names steered a client capture"
assert_grep "$T/out" '"client":"2001:db8::7"'
exit 0
