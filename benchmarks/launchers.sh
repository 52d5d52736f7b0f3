#!/bin/bash
# Issue 17's launcher targets on the default grid: alternate jobs=1, jobs=2 and Ray jobs=2, three
# rounds, each run a fresh `forgetless compare` started from /tmp; prints the whole command's wall
# seconds and the load average at its start. The grid time compare reports is in each log
# ("wall time ... s"). Run it on a quiet machine: parallel speed-up needs a free core.
#   bash benchmarks/launchers.sh [forgetless executable]
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
    grid=$(grep -o "wall time [0-9.]* s" "$OUT/$name.log")
    echo "round $r | $mode | exit $rc | total $(echo "$end - $start" | bc) s | grid: $grid | load $load"
  done
done
echo "logs and run folders: $OUT"
