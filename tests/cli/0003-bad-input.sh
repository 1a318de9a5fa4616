#!/bin/sh
# Bad input: each case gets a message naming the file and the line and
# field (or the table), a non-zero exit status, and no crash or leak (the
# sanitizer build runs this same script).
. "${LATHE_SRCDIR:-.}/tests/lib.sh"

cd "$LATHE_SRCDIR/tests/data" || exit 1

bad() {
	# bad STATUS 'expected message' NAME ARGS...
	_st=$1 _msg=$2 _name=$3
	shift 3
	run "$LATHE" inspect "$@"
	check_rc "$_st" "$_name: exit status $_st"
	check_err_has "$_msg" "$_name: says where and what"
	ok "[ -z \"\$(cat '$T/out')\" ]" "$_name: prints no partial result"
}

bad 3 "ragged.csv:3: too few fields: expected 3, found 2" "ragged row" ragged.csv
run "$LATHE" inspect --tsv --ragged=pad ragged.csv
check_rc 0 "--ragged=pad accepts the file"
check_err_has "1 row with the wrong number of fields padded or cut" "and reports how many rows it changed"
check_out_has "c	integer	2	1" "the short row's missing field is missing"
run "$LATHE" inspect --tsv --ragged=drop ragged.csv
check_rc 0 "--ragged=drop accepts the file"
check_out_has "a	integer	2	0" "and drops the short row"
printf 'a,b\n1,2\n3,4,5\n' >"$T/long.csv"
bad 3 "long.csv:3:3: too many fields: expected 2" "a row with too many fields" "$T/long.csv"

bad 3 "unterminated.csv:3:2: unterminated quoted field" "unterminated quote" unterminated.csv
bad 3 "badquote.csv:2:2: malformed quoting" "text after a closing quote" badquote.csv
bad 3 "badutf8.csv:3:2: invalid UTF-8 in field 2 ('b')" "invalid UTF-8" badutf8.csv
printf 'a,caf\351\n1,2\n' >"$T/badname.csv"
bad 3 "badname.csv:1:2: invalid UTF-8 in column name" "invalid UTF-8 in the header" "$T/badname.csv"
bad 3 "dupheader.csv:1:3: duplicate column name 'a' (fields 1 and 3)" "duplicate header names" dupheader.csv
bad 3 "emptyname.csv:1:2: empty column name" "an empty header name" emptyname.csv
bad 3 "empty.csv: empty file" "an empty file" empty.csv
bad 3 "headeronly.csv: no data rows" "a file with only a header" headeronly.csv
bad 5 "cannot open 'no/such/file.csv': No such file or directory" "a missing file" no/such/file.csv
bad 5 "cannot read '.': is a directory" "a directory" .
bad 3 "notadb.db" "a text file named .db is read as CSV and fails cleanly" notadb.db
printf 'SQLite format 3\000garbage garbage garbage garbage\n' >"$T/fake.db"
bad 3 "file is not a SQLite database" "a file with a SQLite header that is not a database" "$T/fake.db"
bad 3 "<stdin>: empty file" "empty standard input" - </dev/null
printf 'x\n1\n2\nabc\n' >"$T/forced.csv"
bad 3 "forced.csv:4:1: field 1 ('x') is 'abc', not a float value" "a value that breaks --type" --type x=float "$T/forced.csv"

finish
