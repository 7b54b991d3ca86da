#!/usr/bin/env python3
"""kb-rates: how the numbers of a knowledge base are spread.

Prints, for the records under a KB directory (or the KB of a git revision),
the distribution of workarounds[].success_rate, dead_ends[].fail_rate and
confidence in deciles, and counts what `fixwatch test --strict` holds
records to (data/kb/README.md, "What the numbers mean"): records whose
alert fix (the best-ranked workaround) opens with a diagnostic verb,
records with workarounds out of rank order, and records whose
unconditional alternatives for one cause add up to more than 1.

    data/kb/tools/kb-rates.py data/kb
    data/kb/tools/kb-rates.py --rev a4ad2c6      # the KB as it was then
    data/kb/tools/kb-rates.py --changed-since a4ad2c6   # records whose fix changed

--changed-since lists, one a line, the records of the KB whose alert fix
(the best-ranked workaround's action) or root cause differs from the same
id at that revision, and the records that are new since then.

The diagnostic verbs are those of daemon/kb/kb_advice.c. Reads only; the
loader ignores this directory (it has no .json files).
"""
import argparse
import json
import os
import re
import subprocess
import sys

DIAGNOSTIC_VERBS = {
    "check", "verify", "inspect", "read", "look", "confirm", "find", "investigate", "examine",
    "review", "determine", "identify", "search", "diagnose", "compare", "monitor", "debug",
    "trace", "list", "show", "query", "grep",
}


def records_from_dir(top):
    for root, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if name.endswith(".json"):
                with open(path, encoding="utf-8") as f:
                    yield json.load(f)
            elif name.endswith(".jsonl"):
                with open(path, encoding="utf-8") as f:
                    for line in f:
                        if line.strip():
                            yield json.loads(line)


def records_from_rev(rev, top):
    names = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev, "--", top],
                           check=True, capture_output=True, text=True).stdout.split("\n")
    for name in sorted(n for n in names if n.endswith((".json", ".jsonl"))):
        text = subprocess.run(["git", "show", f"{rev}:{name}"], check=True,
                              capture_output=True, text=True).stdout
        if name.endswith(".json"):
            yield json.loads(text)
        else:
            yield from (json.loads(l) for l in text.split("\n") if l.strip())


def rate(x):
    return x if isinstance(x, (int, float)) else None


def decile(v):
    return min(int(v * 10 + 1e-9), 9)


def histogram(title, values):
    bins = [0] * 10
    for v in values:
        bins[decile(v)] += 1
    n = len(values)
    print(f"{title}: {n} values")
    for i, c in enumerate(bins):
        hi = "1.0]" if i == 9 else f"{(i + 1) / 10:.1f})"
        share = 100.0 * c / n if n else 0.0
        print(f"  [{i / 10:.1f}, {hi:5} {c:5}  {share:5.1f}%  {'#' * round(share / 2)}")


def text_of(w):
    return w.get("action") or w.get("how") or ""


def is_diagnostic(text):
    m = re.match(r"[A-Za-z]*", text)
    return m.group(0).lower() in DIAGNOSTIC_VERBS


def ranked(workarounds):
    """The loader's order: by success_rate, best first, stable; unrated last."""
    return sorted(workarounds, key=lambda w: -(rate(w.get("success_rate")) if rate(w.get("success_rate")) is not None else -1))


def fix_of(r):
    ws = ranked(r.get("workarounds") or [])
    return text_of(ws[0]) if ws else ""


def changed_since(top, rev):
    old = {r["id"]: r for r in records_from_rev(rev, top)}
    new = sorted(records_from_dir(top), key=lambda r: r["id"])
    fix = cause = added = 0
    for r in new:
        o = old.get(r["id"])
        if o is None:
            added += 1
            print(f"{r['id']}\tnew\t{fix_of(r)}")
            continue
        what = []
        if fix_of(o) != fix_of(r):
            what.append("fix")
            fix += 1
        if (o.get("root_cause") or "") != (r.get("root_cause") or ""):
            what.append("root_cause")
            cause += 1
        if what:
            print(f"{r['id']}\t{'+'.join(what)}\t{fix_of(o)!r} -> {fix_of(r)!r}")
    gone = sorted(set(old) - {r["id"] for r in new})
    for i in gone:
        print(f"{i}\tremoved")
    print(f"{len(new)} records now, {len(old)} at {rev}: {fix} with another fix, {cause} with another "
          f"root cause, {added} new, {len(gone)} removed", file=sys.stderr)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kb", nargs="?", default="data/kb", help="KB directory (default data/kb)")
    ap.add_argument("--rev", help="read the KB directory as it is in this git revision")
    ap.add_argument("--changed-since", metavar="REV",
                    help="list the records whose fix or root cause changed since REV")
    args = ap.parse_args()
    if args.changed_since:
        return changed_since(args.kb, args.changed_since)
    recs = list(records_from_rev(args.rev, args.kb) if args.rev else records_from_dir(args.kb))

    succ, fail, conf = [], [], []
    diag_fix, out_of_rank, over_one, mid = [], [], [], 0
    for r in recs:
        ws = r.get("workarounds") or []
        succ += [rate(w.get("success_rate")) for w in ws if rate(w.get("success_rate")) is not None]
        fail += [rate(d.get("fail_rate")) for d in r.get("dead_ends") or [] if rate(d.get("fail_rate")) is not None]
        if rate(r.get("confidence")) is not None:
            conf.append(r["confidence"])
        if ws and is_diagnostic(text_of(ranked(ws)[0])):
            diag_fix.append(r["id"])
        if ranked(ws) != ws:
            out_of_rank.append(r["id"])
        sums = {}
        for w in ws:
            if not w.get("condition") and rate(w.get("success_rate")) is not None:
                c = w.get("for_cause")
                sums.setdefault(c, []).append(w["success_rate"])
        if any(len(v) >= 2 and sum(v) > 1 + 1e-9 for v in sums.values()):
            over_one.append(r["id"])
    mid = sum(1 for v in succ if 0.6 <= v <= 0.9)

    where = f"{args.kb} at {args.rev}" if args.rev else args.kb
    print(f"{where}: {len(recs)} records")
    histogram("workarounds[].success_rate", succ)
    print(f"  between 0.6 and 0.9: {mid} ({100.0 * mid / len(succ) if succ else 0:.1f}%)")
    histogram("dead_ends[].fail_rate", fail)
    histogram("confidence", conf)
    top = sorted({c for c in conf}, key=lambda c: -conf.count(c))[:2]
    print(f"  the two most common values {', '.join(f'{c:g}' for c in top)}: "
          f"{sum(1 for c in conf if c in top)} records")
    print(f"records whose fix is a diagnostic step: {len(diag_fix)}")
    print(f"records with workarounds out of rank order: {len(out_of_rank)}")
    print(f"records with unconditional alternatives for one cause above 1: {len(over_one)}")
    for title, ids in (("diagnostic fix", diag_fix), ("out of rank", out_of_rank), ("above 1", over_one)):
        if ids and len(ids) <= 20:
            print(f"  {title}: {' '.join(ids)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
