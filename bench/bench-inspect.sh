#!/bin/sh
# bench/bench-inspect.sh - time `lathe inspect` against pandas
# (read_csv + describe(include='all')) and sqlite3 (.import --csv) on the
# 1,000,000-row benchmark files, whole process against whole process, in
# one run.  Prints the median of N runs (default 3), the peak RSS and the
# ratio to lathe.
#
#   bench/bench-inspect.sh [-n RUNS] [LATHE]
#
# Data: $LATHE_BENCH_DATA (default bench/out), written by
# ../shared/bench/gen.py when missing (python3 + numpy).  Needs GNU time
# (Debian: time) for peak RSS; pandas (python3-pandas) and sqlite3 are used
# when installed.
set -eu

runs=3
if [ "${1:-}" = -n ]; then runs=$2; shift 2; fi
top=$(cd "$(dirname "$0")/.." && pwd)
lathe=${1:-$top/build/lathe}
data=${LATHE_BENCH_DATA:-$top/bench/out}
gen=$top/../shared/bench/gen.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x "$lathe" ] || { echo "no lathe binary at $lathe (run ./quickstart)"; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time"; exit 1; }
mkdir -p "$data"
for f in num_1m mixed_1m; do
	if [ ! -f "$data/$f.csv" ]; then
		[ -f "$gen" ] || { echo "no $data/$f.csv and no $gen"; exit 1; }
		python3 "$gen" --out "$data" --only "$f" >/dev/null
	fi
done

cat >"$tmp/describe.py" <<'PY'
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1])
print(df.describe(include='all').shape)
PY

# measure NAME CMD...: median wall seconds and peak RSS (MB) of RUNS runs
measure() {
	name=$1
	shift
	i=0
	: >"$tmp/times"
	while [ $i -lt "$runs" ]; do
		/usr/bin/time -f '%e %M' -o "$tmp/one" "$@" >/dev/null 2>"$tmp/err" || {
			echo "$name failed:" >&2; cat "$tmp/err" >&2; return 1; }
		cat "$tmp/one" >>"$tmp/times"
		i=$((i + 1))
	done
	sort -n "$tmp/times" | awk -v n="$runs" 'NR == int((n + 1) / 2) {
	    printf "%.3f %.0f\n", $1, $2 / 1024 }'
}

have_pandas=no
for py in python3 /usr/bin/python3; do
	if "$py" -c 'import pandas' 2>/dev/null; then
		have_pandas=yes
		break
	fi
done
have_sqlite=no
command -v sqlite3 >/dev/null 2>&1 && have_sqlite=yes

printf '%-10s %-34s %9s %9s %8s\n' file tool seconds peak_MB ratio
for f in num_1m mixed_1m; do
	csv=$data/$f.csv
	set -- $(measure lathe "$lathe" inspect "$csv")
	lt=$1
	printf '%-10s %-34s %9s %9s %8s\n' "$f" "lathe inspect" "$1" "$2" "1.00"
	if [ $have_pandas = yes ]; then
		set -- $(measure pandas "$py" "$tmp/describe.py" "$csv")
		printf '%-10s %-34s %9s %9s %8s\n' "$f" "pandas read_csv+describe" "$1" "$2" \
		    "$(awk -v a="$1" -v b="$lt" 'BEGIN { printf "%.2fx", a / b }')"
	fi
	if [ $have_sqlite = yes ]; then
		rm -f "$tmp/db"
		set -- $(measure sqlite3 sh -c "rm -f '$tmp/db'; sqlite3 '$tmp/db' '.import --csv $csv t'")
		printf '%-10s %-34s %9s %9s %8s\n' "$f" "sqlite3 .import --csv" "$1" "$2" \
		    "$(awk -v a="$1" -v b="$lt" 'BEGIN { printf "%.2fx", a / b }')"
	fi
done
echo "(median of $runs runs; ratio = tool seconds / lathe seconds; $(nproc) cores)"
