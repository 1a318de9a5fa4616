#!/bin/sh
# Models through the command line: the model, evaluate and search
# statements (and their errors), the evaluation report and its baseline,
# no leakage from test rows into fitted steps, folds from a column,
# --fail-under, the fitted pipeline with its model, predict (labels as
# their original strings, --proba, streaming), and run tracking.
. "${LATHE_SRCDIR:-.}/tests/lib.sh"

src=$LATHE_SRCDIR
iris=$src/data/iris.csv
diab=$src/data/diabetes.csv
export LATHE_WORKSPACE=$T/ws.db

spec() {
	# spec NAME LINES...: write $T/NAME.lathe
	f=$T/$1.lathe
	shift
	printf 'lathe-pipeline 1\n' >"$f"
	for l in "$@"; do printf '%s\n' "$l" >>"$f"; done
}

# --- spec errors -----------------------------------------------------
spec badmodel "source $iris" "target species" "model logistik"
run "$LATHE" run "$T/badmodel.lathe"
check_rc 4 "unknown model: bad spec"
check_err_has "badmodel.lathe:4:7: unknown model 'logistik' (did you mean 'logistic'?)" \
    "unknown model: file:line:col and a suggestion"

spec badparam "source $iris" "target species" "model logistic Cc=2"
run "$LATHE" run "$T/badparam.lathe"
check_rc 4 "unknown model parameter: bad spec"
check_err_has "badparam.lathe:4:16" "unknown model parameter: position"
check_err_has "did you mean 'C'" "unknown model parameter: suggestion"

spec noeval "source $iris" "target species" "evaluate cv folds=5"
run "$LATHE" run "$T/noeval.lathe"
check_rc 4 "evaluate without a model"
check_err_has "'evaluate' needs a 'model' statement" "evaluate without a model: message"

spec badmetric "source $iris" "target species" "model logistic" \
    "evaluate cv metrics=accuracy,rmse"
run "$LATHE" run "$T/badmetric.lathe"
check_rc 4 "a regression metric for a classifier"
check_err_has "metric 'rmse' is for regression" "wrong-task metric: message"

spec badsearch "source $iris" "target species" "model logistic" \
    "evaluate cv" "search CC=0.1,1"
run "$LATHE" run "$T/badsearch.lathe"
check_rc 4 "search over a parameter the model lacks"
check_err_has "has no parameter 'CC' (did you mean 'C'?)" "search: suggestion"

spec badvalue "source $iris" "target species" "model logistic" \
    "evaluate cv" "search C=1,-3"
run "$LATHE" run "$T/badvalue.lathe"
check_rc 4 "search value out of range"

spec steplate "source $iris" "target species" "model logistic" \
    "step scale"
run "$LATHE" run "$T/steplate.lathe"
check_rc 4 "a step after the model is refused"

spec notarget "source $iris" "model logistic"
run "$LATHE" run "$T/notarget.lathe"
check_rc 4 "a classifier without a target"
check_err_has "needs a 'target COLUMN' statement" "no target: message"

# --- bad data for a model ---------------------------------------------
spec catfeat "source $src/data/vote.csv" "target Class" "model logistic" \
    "evaluate cv folds=3"
run "$LATHE" run "$T/catfeat.lathe"
check_rc 3 "a categorical feature reaching logistic regression"
check_err_has "is categorical: encode it before the model ('step onehot" \
    "names the column and the step that should encode it"

printf 'x,y\n1,a\n2,a\n3,a\n' >"$T/const.csv"
spec const "source $T/const.csv" "target y" "model logistic"
run "$LATHE" run "$T/const.lathe"
check_rc 3 "a constant target is refused"
check_err_has "has one class ('a')" "constant target: message"

printf 'x,y\n1,a\n2,\n3,b\n' >"$T/missy.csv"
spec missy "source $T/missy.csv" "target y" "model logistic"
run "$LATHE" run "$T/missy.lathe"
check_rc 3 "a missing target value is refused"
check_err_has "target 'y' is missing in row 2" "missing target: row named"

# --- evaluation ---------------------------------------------------------
spec cv "source $iris" "target species" "step scale" "model logistic" \
    "evaluate cv folds=5 seed=3"
run "$LATHE" run --no-record "$T/cv.lathe"
check_rc 0 "5-fold cross-validation runs"
check_out_has "5-fold cross-validation, stratified (seed 3)" "says what it did"
check_out_has "baseline" "a baseline is reported beside the model"
check_out_has "confusion matrix" "a confusion matrix is printed"
run "$LATHE" run --no-record --tsv "$T/cv.lathe"
cp "$T/out" "$T/cv1"
run "$LATHE" run --no-record --tsv "$T/cv.lathe"
ok "cmp -s '$T/cv1' '$T/out'" "deterministic: the same seed gives the same numbers"
sed 's/seed=3/seed=4/' "$T/cv.lathe" >"$T/cv4.lathe"
run "$LATHE" run --no-record --tsv "$T/cv4.lathe"
ok "! cmp -s '$T/cv1' '$T/out'" "another seed gives other splits"
run "$LATHE" run --no-record --tsv "$T/cv.lathe"
ok "awk -F '\t' '\$1 == \"accuracy\" && \$2 == \"mean\" && \$3 > 0.9' '$T/out' | grep -q ." \
    "logistic regression on iris: accuracy above 0.9"
ok "awk -F '\t' '\$1 == \"accuracy\" && \$2 == \"baseline\" && \$3 < 0.4' '$T/out' | grep -q ." \
    "the baseline (most frequent class) scores about 1/3 on iris"

spec hold "source $diab" "target progression" "model linear" \
    "evaluate holdout fraction=0.25 seed=1"
run "$LATHE" run --no-record --json "$T/hold.lathe"
check_rc 0 "holdout evaluation of a regression"
check_out_has '"evaluation":"holdout: 0.25 of the rows held out (seed 1)"' "JSON names the evaluation"
check_out_has '"test":111' "a quarter of 442 rows is held out"
check_out_has '"r2":{' "regression metrics by default"

# No leakage: clip learns its bounds from the training rows only.  In
# folds 0 the test row has x = 100; fitted on the training rows the clip
# caps it at 10, so the model (y = x) predicts 10 = its y exactly.  Fitted
# with the test row, it would predict 100.
{
	echo 'x,y,f'
	for i in 1 2 3 4 5 6 7 8 9 10; do echo "$i,$i,1"; done
	echo '100,10,0'
	for i in 2 4 6 8; do echo "$i,$i,0"; done
} >"$T/leak.csv"
spec leak "source $T/leak.csv" "target y" \
    "step clip columns=x q_low=0 q_high=100" "model linear" \
    "evaluate folds=f metrics=rmse,max_error"
run "$LATHE" run --no-record --tsv "$T/leak.lathe"
check_rc 0 "folds from a column"
ok "awk -F '\t' '\$1 == \"max_error\" && \$2 == \"0\" && \$3 < 1e-9' '$T/out' | grep -q ." \
    "no leakage: steps are fitted on the training rows of each split only"
run "$LATHE" run --no-record "$T/leak.lathe" -o "$T/leak.fit"
ok "! grep -q '^f ' '$T/leak.fit'" "the folds column is not a feature (not in the schema)"

# --- --fail-under ---------------------------------------------------------
run "$LATHE" run --no-record --fail-under accuracy=0.99 "$T/cv.lathe"
check_rc 1 "--fail-under: exits 1 when the model falls short"
check_err_has "--fail-under: accuracy is" "--fail-under: says by how much"
run "$LATHE" run --no-record --fail-under accuracy=0.5 "$T/cv.lathe"
check_rc 0 "--fail-under: exit 0 when the model is good enough"
run "$LATHE" run --no-record --fail-under rmse=3 "$T/cv.lathe"
check_rc 2 "--fail-under with a metric of another task is a usage error"

# --- grid search ----------------------------------------------------------
spec grid "source $iris" "target species" "step scale" \
    "model knn_classifier" "evaluate cv folds=5" \
    "search k=1,15,60 metric=accuracy"
run "$LATHE" run --no-record -o "$T/grid.fit" "$T/grid.lathe"
check_rc 0 "grid search runs"
check_out_has "grid search: 3 combinations, by accuracy" "grid table"
check_out_has "(chosen)" "the best combination is marked"
ok "grep -q '^params k=15' '$T/grid.fit' || grep -q '^params k=1$' '$T/grid.fit'" \
    "the fitted pipeline is refitted with the best k (not k=60)"

# metric=a,b is a grid over knn's own 'metric' parameter; metric=NAME the
# metric the grid is judged by
spec gridm "source $iris" "target species" "step scale" \
    "model knn_classifier" "evaluate cv folds=3" \
    "search k=3,7 metric=euclidean,manhattan metric=f1_macro"
run "$LATHE" run --no-record "$T/gridm.lathe"
check_rc 0 "a grid over knn's metric parameter"
check_out_has "grid search: 4 combinations, by f1_macro" "both metric= uses on one line"
check_out_has "k=3 metric=manhattan" "the parameter's values are grid points"

# --- predict ----------------------------------------------------------------
spec fit "source $iris" "target species" "step scale" "model logistic" \
    "evaluate cv folds=5"
run "$LATHE" run -o "$T/iris.fit" "$T/fit.lathe"
check_rc 0 "fit and write the pipeline with its model"
ok "grep -q '^\[model logistic\]' '$T/iris.fit'" "the fitted file has a model section"
run "$LATHE" predict "$T/iris.fit" "$iris"
check_rc 0 "predict on a file"
ok "[ \$(wc -l <'$T/out') = 151 ] && head -1 '$T/out' | grep -qx prediction" \
    "one prediction per row, under a header"
ok "sed -n 2p '$T/out' | grep -qx setosa" "labels come back as their strings"
cut -d, -f1-4 "$iris" >"$T/notarget.csv"
run "$LATHE" predict --proba "$T/iris.fit" "$T/notarget.csv"
check_rc 0 "predict without the target column, with --proba"
ok "head -1 '$T/out' | grep -qx 'prediction,proba_setosa,proba_versicolor,proba_virginica'" \
    "--proba adds a column per class"
head -3 "$T/notarget.csv" | "$LATHE" predict "$T/iris.fit" - >"$T/stream" 2>&1 &&
    ok "[ \$(wc -l <'$T/stream') = 3 ]" "predict from a stream"
run "$LATHE" apply "$T/iris.fit" "$T/notarget.csv"
ok "head -1 '$T/out' | grep -q sepal_length" "apply runs the steps only"
cut -d, -f1-3 "$iris" >"$T/short.csv"
run "$LATHE" predict "$T/iris.fit" "$T/short.csv"
check_rc 3 "a missing input column is refused"
check_err_has "no column 'petal_width'" "names the missing column"

# --- runs -------------------------------------------------------------------
run "$LATHE" runs
check_rc 0 "lathe runs lists the recorded runs"
check_out_has "fit.lathe" "the run of fit.lathe is listed"
check_out_has "accuracy" "with its metrics"
id=$(awk 'NR == 2 { print $1 }' "$T/out")
run "$LATHE" runs show "$id"
check_rc 0 "runs show"
check_out_has "model logistic" "show: the model"
check_out_has "sha256 " "show: the data's content hash"
check_out_has "fold 1" "show: per-fold metrics"
check_out_has "iris.fit" "show: where the fitted pipeline went"
spec fit2 "source $iris" "target species" "step scale" "model logistic C=0.01" \
    "evaluate cv folds=5"
run "$LATHE" run "$T/fit2.lathe"
id2=$(sqlite3 "$LATHE_WORKSPACE" 'SELECT max(id) FROM runs')
run "$LATHE" runs diff "$id" "$id2"
check_rc 0 "runs diff"
check_out_has "+ model logistic C=0.01" "diff: the spec change"
check_out_has "delta" "diff: metric deltas"
run "$LATHE" runs --sort accuracy --limit 1
ok "[ \$(wc -l <'$T/out') = 2 ]" "--limit"
run "$LATHE" runs show 9999
check_rc 3 "an unknown run id"

# --- models listing ---------------------------------------------------------
run "$LATHE" models
check_rc 0 "lathe models lists the model types"
check_out_has "logistic" "logistic is listed"
run "$LATHE" models ridge
check_out_has "alpha" "a model's parameters"

# --- a fitted model edited, its checksum recomputed: damaged, exit 3 -
spec edited "source $iris" "target species" "model gaussian_nb"
run "$LATHE" run --no-record -o "$T/edited.fit" "$T/edited.lathe"
check_rc 0 "edited: fit"
resign() {
	# resign SED-SCRIPT: $T/edited.fit edited into $T/ed.fit, re-signed
	sed 1,2d "$T/edited.fit" | sed "$1" >"$T/ed.body"
	{ echo 'lathe-fitted 1'
	  echo "sha256 $(sha256sum <"$T/ed.body" | cut -d' ' -f1)"
	  cat "$T/ed.body"; } >"$T/ed.fit"
}
resign 's/^classes setosa versicolor/classes setosa setosa/'
run "$LATHE" predict "$T/ed.fit" "$iris"
check_rc 3 "a class listed twice: damaged"
check_err_has "class 'setosa' is listed twice" "a class listed twice: message"
resign 's/^params %$/params var_smoothing=%FF/'
run "$LATHE" predict "$T/ed.fit" "$iris"
check_rc 3 "unreadable model parameters: damaged, not a bad spec"

finish
