#!/bin/sh
# Recall and false alerts of the shipped KB on real log lines written by
# others (tests/data/real/*/, each with its PROVENANCE and licence), per
# domain. The domain comes from the file name; each line is labelled from the
# program's own level marker:
#   nginx       error: [error] [crit] [alert] [emerg]; routine: [info]
#               [notice] [debug], access lines with a 1xx-3xx status, and
#               the 404s nginx logs at [error] unless log_not_found is off
#               (open() or index "..." failed/is not found with errno 2,
#               20 or 36: data/kb/coverage/nginx.tsv gives the reason);
#               neither: FastCGI stderr that carries only a PHP warning,
#               notice or deprecation (PHP's own level, relayed at [error])
#   sshd        (the tag sshd[PID]: or RFC 5424's APP-NAME sshd and PROCID)
#               error: failed or refused authentication or connection;
#               routine: accepted logins and session open/close, and a
#               key offered for an existing account and not taken
#               ("Failed publickey|hostbased for USER": clients try their
#               keys in turn, data/kb/coverage/sshd.tsv) and the end of a
#               connection the client reset or closed ("fatal: Connection
#               reset|closed by", OpenSSH 6's "fatal: Read from socket
#               failed: Connection reset by peer")
#   postgresql  error: ERROR: FATAL: PANIC: (text or csvlog); routine: LOG:
#   mysql       error: [ERROR], "ERROR: <code>" and "Access denied for user"
#               (an authentication failure, logged at [Note]/[Warning]);
#               routine: other [Note] and [System] lines; [Warning]: neither
#   redis       error: level "#" (LL_WARNING, redis' highest) except the
#               start/stop messages redis also logs at that level;
#               routine: levels "*" "-" "."
#   kernel      error: crash, memory, I/O and file-system failure messages;
#               routine: netfilter packet log lines (IN=... OUT=...)
#   systemd     error: "Failed to ...", "failed", "Main process exited";
#               routine: Started/Stopped/Starting/Stopping/Reached/Finished
#   docker      json-file lines: error: stream stderr with an error word;
#               routine: an access line with a 1xx-3xx status in "log"
#   cloudfront  standard-log (W3C) lines, columns from the file's #Fields
#               header or else the documented default order: error:
#               x-edge-result-type Error, LimitExceeded or CapacityExceeded
#               with a 5xx sc-status; routine: Hit, RefreshHit, Miss or
#               Redirect with a 1xx-3xx sc-status; 4xx errors: neither
# Recall is the share of error lines with an alert; a false alert is an alert
# on a routine line. Fails when recall drops below tests/data/real/floor.tsv
# or false alerts rise above it, listing that domain's missed error lines and
# false alerts (FILE:LINE). The figures are printed for the record.
. "$top_srcdir/tests/scenarios/lib.sh"
KB="$top_srcdir/data/kb"
REAL="$top_srcdir/tests/data/real"
FLOOR="$REAL/floor.tsv"

: >"$T/counts"
for f in "$REAL"/*/*.log; do
	[ -f "$f" ] || continue
	case "$(basename "$f")" in
	cloudfront*) domain=cloudfront ;;
	*ssh*) domain=sshd ;;
	*nginx*) domain=nginx ;;
	*postgres*) domain=postgresql ;;
	*mysql*) domain=mysql ;;
	*redis*) domain=redis ;;
	kernel*) domain=kernel ;;
	systemd*) domain=systemd ;;
	docker*) domain=docker ;;
	*) fail "$f: no domain for this file name" ;;
	esac
	"$FIXWATCH" scan -k "$KB" --match all "$f" >"$T/alerts" 2>"$T/err"
	[ $? -le 1 ] || { cat "$T/err" >&2; fail "scan $f"; }
	sed -n 's/.*"line_no":\([0-9]*\)}.*/\1/p' "$T/alerts" | sort -u >"$T/hit"
	awk -v d="$domain" -v hits="$T/hit" '
		FILENAME == hits { hit[$1] = 1; next }
		d == "cloudfront" && /^#Fields:/ {
			n = split(substr($0, 9), name, /[ \t]+/)
			for (k in col) delete col[k]
			c = 0
			for (i = 1; i <= n; i++) if (name[i] != "") col[name[i]] = ++c
			next
		}
		{
			kind = ""
			if (d == "nginx") {
				if ($0 ~ /\[error\] [0-9]+#[0-9]+: (\*[0-9]+ )?(open\(\) "[^"]*" failed|"[^"]*" is not found) \((2|20|36): /) kind = "r"
				else if ($0 ~ /\[error\] [0-9]+#[0-9]+: (\*[0-9]+ )?FastCGI sent in stderr: "PHP message: PHP (Warning|Notice|Deprecated): / &&
				         $0 !~ /PHP (Fatal|Parse) error/) kind = ""
				else if ($0 ~ /\[(error|crit|alert|emerg)\] [0-9]+#[0-9]+:/) kind = "e"
				else if ($0 ~ /\[(info|notice|debug)\] [0-9]+#[0-9]+:/ ||
				         $0 ~ /\] "[^"]*" [123][0-9][0-9] /) kind = "r"
			} else if (d == "sshd") {
				# RFC 5424 carries the pid as its own field: APP PROCID MSGID SD
				l = $0
				sub(/ sshd(-session)? [0-9]+ [^ ]+ (-|(\[[^]]*\])+) /, " sshd[0]: ", l)
				if (l ~ /sshd(-session)?\[[0-9]+\]: Failed (publickey|hostbased) for / &&
				    l !~ /sshd(-session)?\[[0-9]+\]: Failed [a-z]+ for invalid user /) kind = "r"
				else if (l ~ /sshd(-session)?\[[0-9]+\]: fatal: (Connection (reset|closed) by |Read from socket failed: Connection reset by peer)/) kind = "r"
				else if (l ~ /sshd(-session)?\[[0-9]+\]: (Failed |Invalid user |error: |fatal: |Unable to negotiate|refused connect|User [^ ]+ from [^ ]+ not allowed|pam_unix\(sshd:auth\): authentication failure|ROOT LOGIN REFUSED|maximum authentication attempts)/) kind = "e"
				else if (l ~ /sshd(-session)?\[[0-9]+\]: (Accepted |pam_unix\(sshd:session\): session (opened|closed)|Disconnected from user |Close session: )/) kind = "r"
			} else if (d == "postgresql") {
				if ($0 ~ /(ERROR|FATAL|PANIC):  / ||
				    $0 ~ /,(ERROR|FATAL|PANIC),[0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z],/) kind = "e"
				else if ($0 ~ /LOG:  / || $0 ~ /,LOG,[0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z],/) kind = "r"
			} else if (d == "mysql") {
				if ($0 ~ /\[ERROR\]/ || $0 ~ /^ERROR: [0-9]+ / ||
				    $0 ~ /Access denied for user /) kind = "e"
				else if ($0 ~ /\[(Note|System)\]/) kind = "r"
			} else if (d == "redis") {
				if ($0 ~ /[0-9][0-9]:[0-9][0-9]:[0-9][0-9](\.[0-9]+)? # /) {
					if ($0 !~ / # (Server started, Redis version|User requested shutdown|Redis is now ready to exit|oO0OoO0OoO0Oo|Redis version=|Configuration loaded)/) kind = "e"
				} else if ($0 ~ /[0-9][0-9]:[0-9][0-9]:[0-9][0-9](\.[0-9]+)? [*.-] /) kind = "r"
			} else if (d == "kernel") {
				if ($0 ~ /kernel: .*(segfault at |general protection fault|Out of memory|invoked oom-killer|I\/O error|-fs error|Kernel panic|BUG: |soft lockup|blocked for more than)/) kind = "e"
				else if ($0 ~ /kernel: .* IN=[^ ]* OUT=/) kind = "r"
			} else if (d == "systemd") {
				if ($0 ~ /systemd\[[0-9]+\]: .*(Failed to |[Ff]ailed with result|Main process exited)/) kind = "e"
				else if ($0 ~ /systemd\[[0-9]+\]: (Started|Stopped|Starting|Stopping|Reached target|Finished|Listening on|Closed) /) kind = "r"
			} else if (d == "cloudfront") {
				if ($0 !~ /^#/ && split($0, v, "\t") > 14) {
					st = v[("sc-status" in col) ? col["sc-status"] : 9]
					rt = v[("x-edge-result-type" in col) ? col["x-edge-result-type"] : 14]
					if (rt ~ /^(Error|LimitExceeded|CapacityExceeded)$/ && st ~ /^5[0-9][0-9]$/) kind = "e"
					else if (rt ~ /^(Hit|RefreshHit|Miss|Redirect)$/ && st ~ /^[123][0-9][0-9]$/) kind = "r"
				}
			} else if (d == "docker") {
				if ($0 ~ /"stream":"stderr"/ && $0 ~ /"log":"[^"]*([Ee]rror|ERROR|[Ff]atal|FATAL|panic)/) kind = "e"
				else if ($0 ~ /"log":".*\\" [123][0-9][0-9] /) kind = "r"
			}
			if (kind == "e") { e++; if (FNR in hit) eh++; else print f ":" FNR ": missed: " $0 >>lines }
			if (kind == "r") { r++; if (FNR in hit) { rh++; print f ":" FNR ": false alert: " $0 >>lines } }
		}
		END { printf "%s %d %d %d %d\n", d, e, eh, r, rh }' \
		f="${f#"$top_srcdir"/}" lines="$T/lines.$domain" "$T/hit" "$f" >>"$T/counts"
done
awk '{ e[$1] += $2; eh[$1] += $3; r[$1] += $4; rh[$1] += $5 }
	END { for (d in e) printf "%s\t%d\t%d\t%d\t%d\n", d, e[d], eh[d], r[d], rh[d] }' \
	"$T/counts" | sort >"$T/sum"
[ -s "$T/sum" ] || fail "no real lines under $REAL"
while IFS='	' read -r d e eh r rh; do
	pct=0
	[ "$e" -gt 0 ] && pct=$((eh * 100 / e))
	echo "$d: error lines recognised $eh of $e ($pct%); false alerts $rh on $r routine lines"
	floor=$(awk -F '\t' -v d="$d" '$1 == d { print $2 }' "$FLOOR")
	maxfalse=$(awk -F '\t' -v d="$d" '$1 == d { print $3 }' "$FLOOR")
	[ -n "$floor" ] || fail "$FLOOR: no floor for domain $d"
	if [ "$pct" -lt "$floor" ] || [ "$rh" -gt "$maxfalse" ]; then
		grep -h '' "$T/lines.$d" 2>/dev/null | head -n 40 >&2
		[ "$pct" -ge "$floor" ] || fail "$d: recall $pct% below the floor $floor%"
		fail "$d: $rh false alerts, more than $maxfalse"
	fi
done <"$T/sum"
exit 0
