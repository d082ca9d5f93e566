#!/usr/bin/env bash
# Per-thread-group CPU of a JVM, from /proc: prints "group ticks" lines (clock ticks, utime+stime).
# Thread names are cut to 15 characters by the kernel; numbered names (argon2-1, C2 CompilerThre...)
# are grouped by their prefix. Used by run.sh before and after a measurement; the difference is
# where the server's CPU went (e.g. Argon2 threads against everything else).
pid=$1
for t in /proc/"$pid"/task/*; do
  comm=$(cat "$t/comm" 2>/dev/null) || continue
  # fields after the ")" of comm: state is field 3; utime 14, stime 15 of the whole line
  read -r -a f <<<"$(sed 's/^.*) //' "$t/stat" 2>/dev/null)" || continue
  [ ${#f[@]} -gt 12 ] || continue
  group=$(sed -E 's/[-#]?[0-9]+$//; s/ +$//' <<<"$comm")
  echo "$group $(( f[11] + f[12] ))"
done | awk '{t=$NF; $NF=""; sub(/ $/,""); s[$0]+=t} END {for (g in s) print g "\t" s[g]}' | sort
