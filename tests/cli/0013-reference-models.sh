#!/bin/sh
# Models against scikit-learn's numbers: for every data set and model in
# shared/data/reference.json (extracted into tests/golden/
# reference-models.tsv by tests/tools/reference-models.py), run the
# equivalent spec through `lathe run` with `evaluate folds=NAME.folds.csv`
# (the reference's fixed folds) and compare every metric of every fold:
#   exact      relative 1e-6 (README: statistics, metric formulas, NB,
#              kNN without ambiguous ties, ridge, linear regression),
#              and the per-fold confusion matrices of the classifiers
#   close      logistic regression vs the fully converged optimum:
#              log loss and ROC AUC relative 1e-3, accuracy-type metrics
#              within one test row
#   tolerance  trees, forests, k-means, kNN with ambiguous ties: means
#              within 0.05 (ARI 0.1)
#   relative   k-means inertia within 1%; tree/forest RMSE, MAE within 5%
# Preprocessing as the reference: numbers mean-imputed then standardised,
# categories most-frequent-imputed then one-hot encoded (unknown: zeros).
. "${LATHE_SRCDIR:-.}/tests/lib.sh"

src=$LATHE_SRCDIR
want=$src/tests/golden/reference-models.tsv

data_of() {
	case $1 in
	digits) echo "$LATHE_TESTDATA/digits.csv" ;;
	*) echo "$src/data/$1.csv" ;;
	esac
}

target_of() {
	case $1 in
	iris) echo species ;; wine) echo class ;;
	breast_cancer) echo diagnosis ;; diabetes) echo progression ;;
	digits) echo digit ;; vote) echo Class ;;
	esac
}

classes_of() {
	case $1 in
	breast_cancer|vote) echo 2 ;; digits) echo 10 ;; *) echo 3 ;;
	esac
}

# The lathe model line for a reference model key.
model_of() {
	ds=$1 key=$2 reg=0
	[ "$ds" = diabetes ] && reg=1
	case $key in
	logistic_regression) echo "logistic C=1" ;;
	linear_regression|linear_regression_min_norm) echo "linear" ;;
	ridge) echo "ridge alpha=1" ;;
	gaussian_nb) echo "gaussian_nb" ;;
	knn) [ $reg = 1 ] && echo "knn_regressor k=5" ||
		echo "knn_classifier k=5" ;;
	decision_tree) [ $reg = 1 ] && echo "tree_regressor max_depth=5" ||
		echo "tree_classifier max_depth=5" ;;
	random_forest) [ $reg = 1 ] && echo "forest_regressor n_trees=100" ||
		echo "forest_classifier n_trees=100" ;;
	kmeans) echo "kmeans k=$(classes_of "$ds") n_init=10" ;;
	esac
}

spec_for() {
	ds=$1 key=$2 metrics=$3
	cat <<EOF
lathe-pipeline 1
source $(data_of "$ds")
target $(target_of "$ds")
step impute columns=@numeric strategy=mean
step scale columns=@numeric method=standard
step impute columns=@categorical strategy=most_frequent
step onehot columns=@categorical unknown=ignore
model $(model_of "$ds" "$key")
EOF
	[ "$key" = kmeans ] ||
		echo "evaluate folds=$LATHE_TESTDATA/$ds.folds.csv metrics=$metrics"
}

# Compare lathe's --tsv ($2) with the expected lines of one run ($1).
compare() {
	awk -F '\t' '
	function abs(x) { return x < 0 ? -x : x }
	NR == FNR { got[$1 "\t" $2] = $3; next }
	{
		g = got[$3 "\t" $4]
		if (g == "") { print $3 " split " $4 ": not reported"; next }
		if ($6 == "exact") {
			s = abs($5) > 1 ? abs($5) : 1
			bad = abs(g - $5) > 1e-6 * s
		} else if ($6 == "close") {
			if ($7 + 0 > 0)
				bad = abs(g - $5) > $7 + 1e-9
			else
				bad = abs(g - $5) > 1e-3 * (abs($5) > 1e-3 ? abs($5) : 1e-3)
		} else if ($6 == "relative")
			bad = abs(g - $5) > $7 * abs($5)
		else
			bad = abs(g - $5) > $7 + 1e-12
		if (bad)
			printf "%s split %s: %.10g, reference %.10g (%s)\n", \
			    $3, $4, g, $5, $6
	}' "$2" "$1"
}

awk -F '\t' '!/^#/ { print $1 "\t" $2 }' "$want" | uniq >"$T/pairs"
while IFS='	' read -r ds key; do
	[ -n "$ds" ] || continue
	exp=$T/exp.$ds.$key
	awk -F '\t' -v d="$ds" -v k="$key" '$1 == d && $2 == k' "$want" >"$exp"
	metrics=$(cut -f3 "$exp" | sort -u | grep -v '^ari$\|^inertia$' |
	    paste -sd, -)
	spec_for "$ds" "$key" "$metrics" >"$T/$ds.$key.lathe"
	run "$LATHE" run --no-record --tsv "$T/$ds.$key.lathe"
	cp "$T/out" "$T/got"
	if [ "$rc" -ne 0 ]; then
		ok false "$ds $key: lathe run failed"
		_diag <"$T/err"
		continue
	fi
	compare "$exp" "$T/got" >"$T/bad"
	ok "[ ! -s '$T/bad' ]" "$ds $key: $(wc -l <"$exp") reference numbers"
	[ -s "$T/bad" ] && _diag <"$T/bad"
	# the confusion matrices of exact classifiers, fold by fold
	if grep -q "	exact	" "$exp" && [ "$ds" != diabetes ] &&
	    grep -q '^confusion' "$T/got"; then
		awk -F '\t' '/^confusion/ { print $2 "\t" $3 }' \
		    "$T/got" >"$T/cm.got"
		if [ -f "$src/tests/golden/cm-$ds-$key.tsv" ]; then
			ok "cmp -s '$T/cm.got' '$src/tests/golden/cm-$ds-$key.tsv'" \
			    "$ds $key: confusion matrices of every fold"
		fi
	fi
done <"$T/pairs"

finish
