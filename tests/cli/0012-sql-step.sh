#!/bin/sh
# The sql step: SELECTs over the table `data`, and nothing else (no
# ATTACH, no PRAGMA, no writes, no extension loading).
. "${LATHE_SRCDIR:-.}/tests/lib.sh"

cd "$T" || exit 1
spec() {
	printf 'lathe-pipeline 1\nsource %s\nstep sql query=%s\n' \
	    "$DATA/iris.csv" "$1" >q.lathe
}

spec "'SELECT species, avg(petal_length) AS pl, count(*) AS n FROM data GROUP BY species ORDER BY species'"
run "$LATHE" -q run q.lathe --output -
check_rc 0 "an aggregate query runs"
check_golden sql-group.csv "and gives the per-species means"

spec "'SELECT *, petal_length / petal_width AS ratio FROM data WHERE sepal_length > 7'"
run "$LATHE" -q run q.lathe --output out.csv -o q.fitted
check_rc 0 "a filtering, deriving query runs"
ok "[ \$(wc -l <out.csv) = 13 ]" "12 rows have sepal_length > 7"
ok "head -1 out.csv | grep -q ',ratio$'" "with the derived column"
run "$LATHE" -q apply q.fitted "$DATA/iris.csv" -o again.csv
ok "cmp -s out.csv again.csv" "apply reproduces it"
printf 'sepal_length,sepal_width,petal_length,petal_width,species\n7.7,3,6.1,2.3,\n' >one.csv
run "$LATHE" apply q.fitted one.csv
check_rc 0 "a one-row input works"
check_out_has "7.7,3,6.1,2.3,,2.6521739130434785" "typed as in training (species missing)"

for q in "ATTACH '$T/x.db' AS x" "PRAGMA journal_mode=off" \
    "SELECT load_extension('x')" "CREATE TABLE t(x)" \
    "SELECT * FROM data; DELETE FROM data" "INSERT INTO data VALUES (1,2,3,4,'x')"; do
	spec "\"$q\""
	run "$LATHE" run q.lathe
	ok "[ $rc -ne 0 ]" "refused: $q"
	check_err_has "q.lathe:3:" "and the message names the spec line: $q"
done
ok "[ ! -e '$T/x.db' ]" "ATTACH created no file"

spec "'SELECT nosuch FROM data'"
run "$LATHE" run q.lathe
check_rc 4 "an unknown column is a spec error"
check_err_has "no such column: nosuch" "with SQLite's message"

finish
