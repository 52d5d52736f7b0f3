#!/bin/bash
# Issue 17's launcher targets on the default grid: alternate jobs=1, jobs=2 and Ray jobs=2 for
# ROUNDS rounds (default "1 2 3"), each run a fresh `forgetless compare` started from /tmp. Per
# run: the whole command's wall seconds, the grid's wall time compare reports ("wall time ... s":
# from validation to the last cell) and the load average at its start. Then, per round and as
# medians over the rounds: jobs=2 / jobs=1 (target <= 0.65) and Ray / jobs=2 (target <= 1.20),
# on the grid time and on the whole command. Run it on a quiet machine: parallel speed-up needs
# a free core.
#   ROUNDS="1 2 3 4 5" bash benchmarks/launchers.sh [forgetless executable]
set -u
F=${1:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/forgetless}
OUT=$(mktemp -d /tmp/forgetless-launchers.XXXX)
cd /tmp || exit 1
for r in ${ROUNDS:-1 2 3}; do
  for mode in "launcher.jobs=1" "launcher.jobs=2" "launcher.kind=ray launcher.jobs=2"; do
    name=r$r-$(echo "$mode" | tr ' =.' '___')
    load=$(cut -d' ' -f1 /proc/loadavg)
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$F" compare output_dir="$OUT" run_name="$name" progress=false $mode > "$OUT/$name.log" 2>&1
    rc=$?
    end=$(date +%s.%N)
    grid=$(grep -o "wall time [0-9.]* s" "$OUT/$name.log" | grep -o "[0-9.]*")
    total=$(echo "$end - $start" | bc)
    echo "round $r | $mode | exit $rc | total $total s | grid ${grid:-?} s | load $load"
    echo "$r $(echo "$mode" | tr ' ' '_') $rc $total ${grid:-nan}" >> "$OUT/runs.txt"
  done
done
awk '
  { rc[$1, $2] = $3; total[$1, $2] = $4; grid[$1, $2] = $5; if (!($1 in seen)) { seen[$1]; order[++n] = $1 } }
  function median(a, k,   i, j, t) {
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  END {
    j1 = "launcher.jobs=1"; j2 = "launcher.jobs=2"; ray = "launcher.kind=ray_launcher.jobs=2"
    print "round | jobs2/jobs1 grid | jobs2/jobs1 total | ray/jobs2 grid | ray/jobs2 total"
    for (i = 1; i <= n; i++) {
      r = order[i]
      if (rc[r, j1] || rc[r, j2] || rc[r, ray]) { print r " | a run failed: no ratio"; bad = 1; continue }
      a[++k] = grid[r, j2] / grid[r, j1]; b[k] = total[r, j2] / total[r, j1]
      c[k] = grid[r, ray] / grid[r, j2]; d[k] = total[r, ray] / total[r, j2]
      printf "%s | %.3f | %.3f | %.3f | %.3f\n", r, a[k], b[k], c[k], d[k]
    }
    if (!k) exit 1
    ma = median(a, k); mb = median(b, k); mc = median(c, k); md = median(d, k)
    printf "median | %.3f | %.3f | %.3f | %.3f\n", ma, mb, mc, md
    printf "target jobs=2 <= 0.65 x jobs=1 (grid, median): %s\n", ma <= 0.65 ? "PASS" : "FAIL"
    printf "target ray <= 1.20 x jobs=2 (grid, median): %s\n", mc <= 1.20 ? "PASS" : "FAIL"
    exit bad
  }' "$OUT/runs.txt"
status=$?
echo "logs and run folders: $OUT"
exit $status
