#!/bin/sh
# `lathe inspect` on good input: the readable table, JSON, TSV, stdin,
# delimiters, header handling, type overrides and missing tokens.
. "${LATHE_SRCDIR:-.}/tests/lib.sh"

cd "$LATHE_SRCDIR" || exit 1

run "$LATHE" inspect data/iris.csv
check_rc 0 "inspect iris exits 0"
check_golden inspect-iris.txt "the readable table of iris"

run "$LATHE" inspect tests/data/mixed.csv
check_rc 0 "inspect a file of every type exits 0"
check_golden inspect-mixed.txt "types, quoting, ; delimiter, missing tokens"

run "$LATHE" inspect --json tests/data/mixed.csv
check_golden inspect-mixed.json "the same as JSON"

# Standard input, and the same numbers as from the file.
"$LATHE" inspect --tsv data/iris.csv >"$T/file.tsv"
run sh -c "cat data/iris.csv | \"$LATHE\" inspect --tsv -"
check_rc 0 "inspect - reads standard input"
ok "cmp -s '$T/file.tsv' '$T/out'" "stdin gives the same statistics as the file"

# Tab-separated input, detected and forced.
tr ',' '\t' <data/iris.csv >"$T/iris.tsv"
run "$LATHE" inspect --tsv "$T/iris.tsv"
ok "cmp -s '$T/file.tsv' '$T/out'" "a TAB-separated file is detected"
tr ',' '|' <data/iris.csv >"$T/iris.psv"
run "$LATHE" inspect --tsv --delimiter '|' "$T/iris.psv"
ok "cmp -s '$T/file.tsv' '$T/out'" "--delimiter '|' works"

# CRLF and a BOM change nothing.
printf '\357\273\277' >"$T/bom.csv"
sed 's/$/\r/' data/iris.csv >>"$T/bom.csv"
run "$LATHE" inspect --tsv "$T/bom.csv"
ok "cmp -s '$T/file.tsv' '$T/out'" "BOM and CRLF are handled"

# Header detection and overrides.
tail -n +2 data/iris.csv >"$T/nohead.csv"
run "$LATHE" inspect --tsv "$T/nohead.csv"
check_out_has "col1	float	150" "a first row of numbers is data: columns col1..colN"
run "$LATHE" inspect --tsv --header "$T/nohead.csv"
check_out_has "5.1	float	149" "--header takes the first row as names"

# Type overrides and missing tokens.
run "$LATHE" inspect --tsv --type sepal_length=categorical data/iris.csv
check_out_has "sepal_length	categorical	150	0	35" "--type makes a numeric column categorical"
printf 'x,y\n1,a\n-,b\n3,-\n' >"$T/dash.csv"
run "$LATHE" inspect --tsv --na - "$T/dash.csv"
check_out_has "x	integer	2	1" "--na replaces the missing-value tokens"

# Text, and a 10 MB single field.
awk 'BEGIN { printf "id,blob\n1,\""; for (i = 0; i < 10485760 / 64; i++) printf "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"; printf "\"\n2,short\n" }' >"$T/big.csv"
run "$LATHE" inspect --json "$T/big.csv"
check_rc 0 "a 10 MB field loads"
check_out_has '"rows": 2' "both rows of the 10 MB file are read"
run "$LATHE" inspect "$T/big.csv"
ok "[ \$(wc -c <'$T/out') -lt 4000 ]" "the readable output shortens long values"

finish
