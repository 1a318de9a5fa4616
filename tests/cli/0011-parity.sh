#!/bin/sh
# Parity, for every step type in the registry: `lathe run` writes the
# transformed training data; `lathe apply` of the fitted pipeline to the
# same data must reproduce it byte for byte, from a file and from a
# stream.  A step type with no case below fails the test, so a new step
# cannot skip this.  (Row steps that apply at training only cannot
# reproduce their training output at inference by design: their cases
# use when=always.)
. "${LATHE_SRCDIR:-.}/tests/lib.sh"

cd "$T" || exit 1
# A mixed dataset: numbers with missing values, categories, dates,
# datetimes, booleans, text.
awk 'BEGIN {
	srand(7)
	print "id,price,qty,color,size,added,seen,active,note"
	split("red,green,blue,teal", col, ",")
	split("S,M,L", sz, ",")
	for (i = 1; i <= 240; i++) {
		price = (i % 17 == 0) ? "" : sprintf("%.2f", 5 + rand() * 95)
		qty = (i % 23 == 0) ? "" : int(rand() * 20)
		c = (i % 31 == 0) ? "" : col[1 + int(rand() * 4)]
		d = sprintf("2024-%02d-%02d", 1 + int(rand() * 12), 1 + int(rand() * 28))
		t = sprintf("2024-03-%02dT%02d:%02d:00Z", 1 + int(rand() * 28), int(rand() * 24), int(rand() * 60))
		a = rand() < 0.5 ? "true" : "false"
		printf "%d,%s,%s,%s,%s,%s,%s,%s,\"note %d, %s\"\n", i, price, qty, c, sz[1 + int(rand() * 3)], d, t, a, i, c
	}
}' >shop.csv

# The spec line(s) for each step type, on shop.csv.
case_for() {
	case $1 in
	impute) echo "step impute columns=price,qty strategy=mean indicator=true
step impute columns=color strategy=most_frequent" ;;
	scale) echo "step scale columns=price,qty method=robust" ;;
	select) echo "step select columns=id,price,color" ;;
	drop) echo "step drop columns=note,seen" ;;
	rename) echo "step rename map=price:cost,qty:count" ;;
	cast) echo "step cast columns=qty to=float" ;;
	dedupe) echo "step dedupe columns=color,size when=always" ;;
	sample) echo "step sample fraction=0.5 seed=3 when=always" ;;
	onehot) echo "step onehot columns=color,size unknown=ignore" ;;
	ordinal) echo "step ordinal columns=size" ;;
	log) echo "step log columns=price log1p=true" ;;
	power) echo "step impute columns=price
step power columns=price" ;;
	clip) echo "step clip columns=price q_low=5 q_high=95" ;;
	bin) echo "step bin columns=price bins=4" ;;
	dateparts) echo "step dateparts columns=added,seen parts=year,month,weekday,hour" ;;
	pca) echo "step impute columns=price,qty
step pca columns=price,qty,id n_components=2" ;;
	filter) echo "step filter expr='price > 20 AND color IS NOT NULL'" ;;
	derive) echo "step derive name=total expr='price * qty'" ;;
	sql) echo "step sql query='SELECT id, price * 2 AS p2, color FROM data WHERE qty > 3'" ;;
	*) return 1 ;;
	esac
}

"$LATHE" steps | awk '{ print $1 }' >types
ok "[ -s types ]" "lathe steps lists the registry"
for ty in $(cat types); do
	spec=$ty.lathe
	if ! lines=$(case_for "$ty"); then
		_tap 1 "step '$ty' has a parity case"
		continue
	fi
	printf 'lathe-pipeline 1\nsource shop.csv\n%s\n' "$lines" >"$spec"
	run "$LATHE" -q run "$spec" -o "$ty.fitted" --output "$ty.train.csv"
	check_rc 0 "$ty: run"
	[ "$rc" = 0 ] || continue
	run "$LATHE" -q apply "$ty.fitted" shop.csv -o "$ty.apply.csv"
	check_rc 0 "$ty: apply"
	ok "cmp -s '$ty.train.csv' '$ty.apply.csv'" \
		"$ty: apply on the training data reproduces it byte for byte"
	run sh -c "cat shop.csv | '$LATHE' -q apply '$ty.fitted' - > '$ty.stream.csv'"
	ok "cmp -s '$ty.train.csv' '$ty.stream.csv'" \
		"$ty: so does a streamed apply"
done

# Indicator columns passing through steps that only move them, and
# through one that reads their values.
printf 'lathe-pipeline 1\nsource shop.csv\nstep onehot columns=color,size\nstep rename map=color=red:is_red\nstep select columns=id,is_red,size=*,price\nstep drop columns=size=S\nstep scale columns=is_red\n' >chain.lathe
run "$LATHE" -q run chain.lathe -o chain.fitted --output chain.train.csv
check_rc 0 "chain: one-hot, then rename, select, drop, scale"
ok "head -1 chain.train.csv | grep -q '^id,price,is_red,size=L,size=M$'" \
	"chain: the columns are moved, renamed and dropped"
run "$LATHE" -q apply chain.fitted shop.csv -o chain.apply.csv
ok "cmp -s chain.train.csv chain.apply.csv" "chain: apply reproduces it byte for byte"

# The same on the shared reference datasets, with the chain the reference
# results use (numeric: mean imputation, standard scaling; categorical:
# most-frequent imputation, one-hot) and the steps that suit numbers.
for name in iris wine breast_cancer diabetes vote digits; do
	file=$DATA/$name.csv
	[ -f "$file" ] || file=$LATHE_TESTDATA/$name.csv
	cat >"$name.lathe" <<EOF2
lathe-pipeline 1
source $file
step impute columns=@numeric strategy=mean
step impute columns=@categorical strategy=most_frequent
step onehot columns=@categorical
step clip columns=@numeric q_low=1 q_high=99
step scale columns=@numeric method=standard
step bin columns=@numeric bins=4 method=uniform
step derive name=first_bin_sum expr='1 + 0'
EOF2
	run "$LATHE" -q run "$name.lathe" -o "$name.fitted" --output "$name.train.csv"
	check_rc 0 "$name: run"
	run "$LATHE" -q apply "$name.fitted" "$file" -o "$name.apply.csv"
	ok "cmp -s '$name.train.csv' '$name.apply.csv'" \
		"$name: apply on the training data reproduces it byte for byte"
done

finish
