#!/bin/sh
# Loading from SQLite: FILE.db:TABLE, --table, --query, and errors.
. "${LATHE_SRCDIR:-.}/tests/lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "1..0 # SKIP sqlite3 command-line tool not installed"
	exit 0
fi

db=$T/shop.db
sqlite3 "$db" <<'SQL'
CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, price REAL,
    added TEXT, grade TEXT);
INSERT INTO items VALUES (1, 'Widget', 12.5, '2024-01-05', 'A'),
    (2, 'Gadget', NULL, '2024-02-29', 'B'), (3, 'Doohickey', 7, NULL, 'A'),
    (4, 'Thingamajig', 1000, '2023-12-31', 'C');
CREATE TABLE other(x INTEGER);
INSERT INTO other VALUES (1);
CREATE TABLE blobs(b BLOB);
INSERT INTO blobs VALUES (x'00ff');
SQL
cp "$LATHE_SRCDIR/data/iris.csv" "$T/iris.csv"
sqlite3 "$T/iris.db" <<SQL
.mode csv
.import $T/iris.csv iris
SQL

run "$LATHE" inspect --tsv "$db:items"
check_rc 0 "FILE.db:TABLE loads a table"
check_out_has "id	integer	4	0	4" "INTEGER column"
check_out_has "price	float	3	1	3" "REAL column with a NULL"
check_out_has "added	date	3	1	3" "ISO dates in TEXT are dates"
check_out_has "grade	categorical	4	0	3" "TEXT column is categorical"

run "$LATHE" inspect --tsv --table items "$db"
check_rc 0 "--table works too"
check_out_has "price	float	3	1	3" "and gives the same columns"

run "$LATHE" inspect --tsv --query "SELECT grade, avg(price) AS mean_price FROM items GROUP BY grade" "$db"
check_rc 0 "--query loads a query's result"
check_out_has "mean_price	float	2	1	2" "the result's columns"

# A CSV imported by sqlite3 (all TEXT) gives the same statistics as the CSV.
"$LATHE" inspect --tsv "$T/iris.csv" >"$T/csv.tsv"
run "$LATHE" inspect --tsv "$T/iris.db:iris"
ok "cmp -s '$T/csv.tsv' '$T/out'" "iris from SQLite equals iris from CSV"
run "$LATHE" inspect --tsv "$T/iris.db"
check_rc 0 "a database with one table needs no table name"

run "$LATHE" inspect "$db"
check_rc 2 "a database with several tables needs a name"
check_err_has "tables: blobs, items, other" "and the message lists them"
run "$LATHE" inspect "$db:nope"
check_rc 2 "an unknown table is a usage error"
check_err_has "no table 'nope' in '$db' (tables: blobs, items, other)" "naming the table and the choices"
run "$LATHE" inspect --query "DELETE FROM items" "$db"
check_rc 2 "a query that writes is refused"
check_err_has "only a read-only SELECT can be loaded" "and the message says why"
ok "[ \$(sqlite3 '$db' 'SELECT count(*) FROM items') = 4 ]" "and nothing was deleted"
run "$LATHE" inspect --query "SELEC nonsense" "$db"
check_rc 3 "a bad query exits 3"
check_err_has "syntax error" "with SQLite's message"
run "$LATHE" inspect "$db:blobs"
check_rc 3 "a BLOB column is refused"
check_err_has "column 'b' holds a BLOB" "naming the column"
sqlite3 "$T/na.db" "CREATE TABLE t(x INTEGER, d INTEGER); INSERT INTO t VALUES (1, 5), (-999, 6), (3, 7);"
run "$LATHE" inspect --tsv --na=-999 "$T/na.db"
check_out_has "x	integer	2	1	2" "--na applies to stored numbers too"
run "$LATHE" inspect --type d=date "$T/na.db"
check_rc 3 "a stored number forced to a date is refused"
check_err_has "row 1, column 'd' is 5, not a date value" "naming the row and column"
run "$LATHE" inspect --table items "$LATHE_SRCDIR/data/iris.csv"
check_rc 2 "--table on a CSV file is a usage error"

finish
