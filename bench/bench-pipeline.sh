#!/bin/sh
# bench/bench-pipeline.sh - `lathe run` of impute + scale + onehot over
# mixed_1m.csv (load + fit + transform) and `lathe apply` of the fitted
# chain to mixed_100k.csv (CSV in and out), against the equivalent
# scikit-learn ColumnTransformer, whole process against whole process, in
# one run.  Prints median seconds of N runs, peak RSS and ratios.
#
#   bench/bench-pipeline.sh [-n RUNS] [LATHE]
#
# Data: $LATHE_BENCH_DATA (default bench/out), written by
# ../shared/bench/gen.py when missing.  Needs GNU time; scikit-learn and
# pandas (python3-sklearn, python3-pandas) when installed.
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
mkdir -p "$data"
for f in mixed_1m mixed_100k; do
	[ -f "$data/$f.csv" ] || python3 "$gen" --out "$data" --only "$f" >/dev/null
done

cat >"$tmp/chain.lathe" <<EOF2
lathe-pipeline 1
source $data/mixed_1m.csv
target y
step drop columns=text
step impute columns=@numeric strategy=mean
step scale columns=@numeric method=standard
step impute columns=@categorical strategy=most_frequent
step onehot columns=@categorical unknown=ignore
EOF2

cat >"$tmp/fit.py" <<'PY'
import sys, pickle
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler, OneHotEncoder
df = pd.read_csv(sys.argv[1])
num = [c for c in df.columns if c.startswith("n")]
cat = [c for c in df.columns if c.startswith("c")]
ct = ColumnTransformer([
    ("num", make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), num),
    ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"),
                          OneHotEncoder(handle_unknown="ignore")), cat)])
X = ct.fit_transform(df)
pickle.dump(ct, open(sys.argv[2], "wb"))
print(X.shape)
PY
cat >"$tmp/apply.py" <<'PY'
import sys, pickle
import pandas as pd
ct = pickle.load(open(sys.argv[1], "rb"))
df = pd.read_csv(sys.argv[2])
X = ct.transform(df)
pd.DataFrame.sparse.from_spmatrix(X).to_csv(sys.argv[3], index=False) if hasattr(X, "tocsr") else pd.DataFrame(X).to_csv(sys.argv[3], index=False)
PY

measure() {
	i=0
	: >"$tmp/times"
	while [ $i -lt "$runs" ]; do
		/usr/bin/time -f '%e %M' -o "$tmp/one" "$@" >/dev/null 2>"$tmp/err" || {
			echo "failed: $*" >&2; cat "$tmp/err" >&2; return 1; }
		cat "$tmp/one" >>"$tmp/times"
		i=$((i + 1))
	done
	sort -n "$tmp/times" | awk -v n="$runs" 'NR == int((n + 1) / 2) {
	    printf "%.3f %.0f\n", $1, $2 / 1024 }'
}

py=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import sklearn, pandas' 2>/dev/null; then py=$p; break; fi
done

printf '%-46s %9s %9s %10s\n' workload seconds peak_MB ratio
set -- $(measure "$lathe" -q run "$tmp/chain.lathe" -o "$tmp/chain.fitted")
lf=$1
printf '%-46s %9s %9s %10s\n' "lathe run (load+fit+transform, mixed_1m)" "$1" "$2" 1.00
set -- $(measure "$lathe" -q apply "$tmp/chain.fitted" "$data/mixed_100k.csv" -o "$tmp/out.csv")
la=$1
printf '%-46s %9s %9s %10s\n' "lathe apply mixed_100k -> CSV" "$1" "$2" 1.00
awk -v s="$la" 'BEGIN { printf "  lathe apply throughput: %.0f rows/s (CSV in and out)\n", 100000 / s }'
if [ -n "$py" ]; then
	set -- $(measure "$py" "$tmp/fit.py" "$data/mixed_1m.csv" "$tmp/ct.pkl")
	printf '%-46s %9s %9s %9.2fx\n' "scikit-learn read_csv+fit_transform" "$1" "$2" \
	    "$(awk -v a="$1" -v b="$lf" 'BEGIN { print a / b }')"
	set -- $(measure "$py" "$tmp/apply.py" "$tmp/ct.pkl" "$data/mixed_100k.csv" "$tmp/sk.csv")
	printf '%-46s %9s %9s %9.2fx\n' "scikit-learn read_csv+transform+to_csv" "$1" "$2" \
	    "$(awk -v a="$1" -v b="$la" 'BEGIN { print a / b }')"
fi
echo "(median of $runs runs; ratio = scikit-learn seconds / lathe seconds; $(nproc) cores)"
