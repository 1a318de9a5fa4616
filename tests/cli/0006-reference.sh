#!/bin/sh
# `lathe inspect` agrees with scikit-learn/pandas' column statistics
# (tests/golden/describe-*.tsv, extracted from shared/data/reference.json
# by tests/tools/reference-describe.py) to 1e-9 relative, on all six
# reference datasets.
. "${LATHE_SRCDIR:-.}/tests/lib.sh"

compare() {
	# $1 expected TSV, $2 lathe's --tsv output.  Prints one line per
	# disagreement; nothing when all agree.
	awk -F '\t' '
	function num(s) { return s + 0 }
	function close_enough(a, b,   d, s) {
		if (a == "" || b == "") return a == b
		d = num(a) - num(b); if (d < 0) d = -d
		s = num(b); if (s < 0) s = -s; if (s < 1) s = 1
		return d <= 1e-9 * s
	}
	FNR == 1 { next }
	NR == FNR { want[$1] = $0; next }
	{
		seen[$1] = 1
		if (!($1 in want)) { print "unexpected column " $1; next }
		split(want[$1], w, "\t")
		ty = ($2 == "integer" || $2 == "float") ? "numeric" : $2
		if (ty != w[2]) print $1 ": type " $2 ", reference " w[2]
		for (i = 3; i <= 5; i++)
			if ($i != w[i]) print $1 ": field " i " is " $i ", reference " w[i]
		if (w[2] == "numeric")
			for (i = 6; i <= 12; i++)
				if (!close_enough($i, w[i]))
					print $1 ": field " i " is " $i ", reference " w[i]
		if (w[2] == "categorical" && ($13 != w[13] || $14 != w[14]))
			print $1 ": top " $13 " (" $14 "), reference " w[13] " (" w[14] ")"
	}
	END { for (c in want) if (!(c in seen)) print "missing column " c }
	' "$1" "$2"
}

for name in iris wine breast_cancer diabetes vote digits; do
	file=$DATA/$name.csv
	[ -f "$file" ] || file=$LATHE_TESTDATA/$name.csv
	run "$LATHE" inspect --tsv "$file"
	check_rc 0 "inspect --tsv $name exits 0"
	compare "$GOLDEN/describe-$name.tsv" "$T/out" >"$T/cmp"
	if [ -s "$T/cmp" ]; then
		_tap 1 "$name: every column statistic matches the reference"
		sed 's/^/#   /' "$T/cmp"
	else
		_tap 0 "$name: every column statistic matches the reference"
	fi
done

# The same numbers through --json (spot check: iris sepal_length std).
run "$LATHE" inspect --json "$DATA/iris.csv"
check_rc 0 "inspect --json exits 0"
check_out_has '"std": 0.82806612797786' "json carries the sample std at full precision"
check_out_has '"values": {"setosa": 50, "versicolor": 50, "virginica": 50}' \
	"json lists categorical value counts"

finish
