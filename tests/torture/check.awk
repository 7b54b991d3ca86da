# check.awk: the torture harness's oracle for one output.
#   awk -v n=LINES -v windows=FILE -v name=OUTPUT -f check.awk ALERTS
#   ... -v missing=OUT   also writes the missing lines to OUT, as "LO HI" ranges
# ALERTS holds one JSON alert per line; its "line" field must be a line the
# writer wrote (writer.c, rebuilt here byte for byte). Every line 1..n must
# arrive at least once. A line may arrive more than once only inside an
# at-least-once window of FILE ("CAUSE LO HI": lines LO..HI may be repeated
# once more for that cause); repeats are counted per cause. Prints one
# summary line. Exit 0: all there; 1: lines missing only (not yet arrived,
# or lost: the caller tells which by waiting); 2: a damaged line or an
# unexplained repeat (final: waiting cannot undo it).
function expect(k,    pad, s, c, i) {
	pad = (k * 2654435761) % 301
	c = substr(letters, (int(k / 26) % 26) + 1, 1)
	s = sprintf("n=%08d No space left on device (sd%s) ", k, substr(letters, (k % 26) + 1, 1))
	for (i = 0; i < pad; i++)
		s = s c
	return s
}
BEGIN {
	letters = "abcdefghijklmnopqrstuvwxyz"
	nw = 0
	if (windows != "")
		while ((getline w < windows) > 0) {
			split(w, f, " ")
			nw++; wc[nw] = f[1]; wlo[nw] = f[2] + 0; whi[nw] = f[3] + 0
		}
}
{
	if (!match($0, /"line":"[^"]*"/)) {
		damaged++
		if (damaged <= 3) print name ": alert without a line field: " substr($0, 1, 120) > "/dev/stderr"
		next
	}
	l = substr($0, RSTART + 8, RLENGTH - 9)
	k = substr(l, 3, 8) + 0
	if (l !~ /^n=[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9] / || k < 1 || k > n || l != expect(k)) {
		damaged++
		if (damaged <= 3) print name ": damaged or foreign line: " substr(l, 1, 120) > "/dev/stderr"
		next
	}
	seen[k]++
}
END {
	for (k = 1; k <= n; k++) {
		if (!(k in seen)) {
			lost++
			if (lost <= 5) print name ": line " k " lost" > "/dev/stderr"
			if (missing != "") {
				if (k != hi + 1) {
					if (hi) print lo, hi > missing
					lo = k
				}
				hi = k
			}
			continue
		}
		extra = seen[k] - 1
		for (i = 1; i <= nw && extra > 0; i++)
			if (k >= wlo[i] && k <= whi[i]) {
				dup[wc[i]]++
				extra--
			}
		if (extra > 0) {
			unexplained += extra
			if (unexplained <= 5) print name ": line " k " arrived " seen[k] " times" > "/dev/stderr"
		}
	}
	s = ""
	for (c in dup) s = s " dup_" c "=" dup[c]
	printf "%s: lines=%d lost=%d damaged=%d unexplained_dups=%d%s\n", name, n, lost + 0, damaged + 0, unexplained + 0, s
	if (missing != "") {
		if (hi) print lo, hi > missing
		else printf "" > missing
	}
	exit ((damaged + unexplained > 0) ? 2 : (lost > 0) ? 1 : 0)
}
