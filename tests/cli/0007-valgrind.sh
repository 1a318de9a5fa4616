#!/bin/sh
# Every bad-input case and a few good ones run clean under valgrind: no
# invalid access, no uninitialised value, no leak.  (The sanitizer build
# checks the same with ASan/LSan; valgrind cannot run that binary, so this
# script skips there.)
. "${LATHE_SRCDIR:-.}/tests/lib.sh"

if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind not installed"
	exit 0
fi
if grep -q __asan_init "$LATHE" 2>/dev/null; then
	echo "1..0 # SKIP sanitizer build (ASan checks this instead)"
	exit 0
fi

cd "$LATHE_SRCDIR/tests/data" || exit 1
vg() {
	valgrind -q --leak-check=full --errors-for-leak-kinds=all \
	    --suppressions="$LATHE_SRCDIR/tests/valgrind.supp" \
	    --error-exitcode=99 "$LATHE" "$@" >/dev/null 2>"$T/vg"
	vrc=$?
	if [ $vrc -ne 99 ] && ! grep -q '^==[0-9]*==' "$T/vg"; then
		_tap 0 "valgrind clean: lathe $*"
	else
		_tap 1 "valgrind clean: lathe $*"
		head -40 "$T/vg" | sed 's/^/#   /'
	fi
}

for f in ragged.csv unterminated.csv badquote.csv badutf8.csv dupheader.csv \
    emptyname.csv empty.csv headeronly.csv notadb.db no-such-file.csv . \
    mixed.csv ../../data/vote.csv; do
	vg inspect "$f"
done
vg inspect --json mixed.csv
vg inspect --ragged=pad ragged.csv
vg inspect --ragged=drop ragged.csv
vg --workspace "$T/ws.db" import ../../data/iris.csv
vg --workspace "$T/ws.db" inspect iris
vg --workspace "$T/ws.db" datasets

# Models: fit with cross-validation and a grid, write the fitted
# pipeline, predict; a forest, k-means and a bad spec.
printf 'lathe-pipeline 1\nsource ../../data/iris.csv\ntarget species\nstep scale\nmodel logistic\nevaluate cv folds=3\nsearch C=0.1,1\n' >"$T/lr.lathe"
vg --workspace "$T/ws.db" run "$T/lr.lathe" -o "$T/lr.fit"
vg predict --proba "$T/lr.fit" ../../data/iris.csv
printf 'lathe-pipeline 1\nsource ../../data/diabetes.csv\ntarget progression\nmodel forest_regressor n_trees=3\nevaluate holdout\n' >"$T/rf.lathe"
vg run --no-record "$T/rf.lathe" -o "$T/rf.fit"
vg predict "$T/rf.fit" ../../data/diabetes.csv
printf 'lathe-pipeline 1\nsource ../../data/iris.csv\ntarget species\nstep scale\nmodel kmeans k=3 n_init=2\n' >"$T/km.lathe"
vg run --no-record "$T/km.lathe"
printf 'lathe-pipeline 1\nsource ../../data/iris.csv\ntarget species\nmodel logistik\n' >"$T/bad.lathe"
vg run --no-record "$T/bad.lathe"
vg --workspace "$T/ws.db" runs
vg --workspace "$T/ws.db" runs show 1

finish
