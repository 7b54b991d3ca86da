#!/bin/sh
# follow_symlinks: by default a name the patterns match is read even when it
# is a symbolic link (to a file anywhere); with follow_symlinks = no such a
# link is not opened and is named in the log once, while the files the
# patterns name themselves are read as before.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
mkdir -p "$T/private" "$T/logs"
printf 'secret No space left on device (p1)\n' > "$T/private/other.log"
printf 'own No space left on device (a1)\n' > "$T/logs/app.log"

write_conf "type = file" "path = $T/logs/*.log" "start_at = beginning" "follow_symlinks = no"
sed -i "s|^control_socket =\$|control_socket =\\
metrics_file = $T/fixwatch.prom|" "$T/fw.conf"
ln -s "$T/private/other.log" "$T/logs/planted.log"
run_oneshot
expect_lines "own No space left on device (a1)"
log_has "planted.log: a symbolic link, not followed (follow_symlinks = no)" ||
	fail "the link was skipped silently"
grep -qx 'fixwatch_input_skipped_total{input="app",reason="symlink"} 1' "$T/fixwatch.prom" ||
	fail "the metrics do not count the skipped link"

# The default follows it, as before the option existed.
: > "$T/out"
rm -rf "$T/state"
write_conf "type = file" "path = $T/logs/*.log" "start_at = beginning"
run_oneshot
alert_lines | sort > "$T/got"
printf '%s\n' "own No space left on device (a1)" "secret No space left on device (p1)" > "$T/want"
diff -u "$T/want" "$T/got" >&2 || fail "the default did not follow the link"

# A journal input has no such key.
write_conf "type = journal" "follow_symlinks = no"
"$FIXWATCHD" -c "$T/fw.conf" --test > "$T/check" 2>&1 && fail "follow_symlinks accepted for a journal input"
grep -q "follow_symlinks" "$T/check" || fail "the error does not name the key: $(cat "$T/check")"
echo "follow_symlinks: a planted link skipped and logged with no, followed by default"
exit 0
