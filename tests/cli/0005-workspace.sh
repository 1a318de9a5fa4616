#!/bin/sh
# The workspace: import, datasets, names usable wherever DATA is, the
# schema version, WAL mode, and bad workspaces.
. "${LATHE_SRCDIR:-.}/tests/lib.sh"

ws=$T/ws.db
run "$LATHE" --workspace "$ws" import "$DATA/iris.csv"
check_rc 0 "import a CSV file"
check_out_has "imported 'iris': 150 rows, 5 columns" "import reports the dataset"
ok "[ -f '$ws' ]" "--workspace names the file"

run "$LATHE" --workspace "$ws" import "$DATA/vote.csv" --name votes
check_rc 0 "import with --name"
run "$LATHE" --workspace "$ws" import "$DATA/iris.csv"
check_rc 2 "importing a taken name again is refused"
check_err_has "dataset 'iris' already exists" "naming the dataset"
run "$LATHE" --workspace "$ws" import "$DATA/iris.csv" --replace
check_rc 0 "--replace replaces it"
run "$LATHE" --workspace "$ws" import "$DATA/iris.csv" --name 'bad name!'
check_rc 2 "a bad dataset name is refused"

run "$LATHE" --workspace "$ws" datasets
check_rc 0 "datasets lists them"
check_out_has "iris" "iris is listed"
check_out_has "votes" "votes is listed"
run "$LATHE" --workspace "$ws" datasets --json
check_out_has '"name": "votes", "rows": 435, "columns": 17' "datasets --json"

# A dataset name works wherever DATA does, with the same statistics.
"$LATHE" inspect --tsv "$DATA/vote.csv" >"$T/file.tsv"
run "$LATHE" --workspace "$ws" inspect --tsv votes
check_rc 0 "inspect a dataset by name"
ok "cmp -s '$T/file.tsv' '$T/out'" "the stored rows give the statistics of the file"

# LATHE_WORKSPACE selects the workspace when --workspace is absent.
run env LATHE_WORKSPACE="$ws" "$LATHE" inspect --tsv votes
ok "cmp -s '$T/file.tsv' '$T/out'" "LATHE_WORKSPACE is honoured"

# The content hash identifies the data, not the file it came from.
tr ',' ';' <"$DATA/iris.csv" >"$T/iris-semicolon.csv"
run "$LATHE" --workspace "$ws" import "$T/iris-semicolon.csv" --name iris2
h1=$(sqlite3 "$ws" "SELECT hash FROM datasets WHERE name='iris'" 2>/dev/null)
h2=$(sqlite3 "$ws" "SELECT hash FROM datasets WHERE name='iris2'" 2>/dev/null)
if command -v sqlite3 >/dev/null 2>&1; then
	ok "[ -n '$h1' ] && [ '$h1' = '$h2' ]" "same data, same content hash"
	ok "[ \$(sqlite3 '$ws' 'PRAGMA user_version') = 2 ]" "schema version is recorded"
	ok "[ \$(sqlite3 '$ws' 'PRAGMA journal_mode') = wal ]" "the workspace is in WAL mode"
fi

run "$LATHE" --workspace "$ws" datasets rm iris2
check_rc 0 "datasets rm removes a dataset"
run "$LATHE" --workspace "$ws" inspect iris2
check_rc 5 "a removed dataset is gone"
check_err_has "no dataset of that name" "and the message says so"

# A file that is not a workspace.
echo "hello" >"$T/notws.db"
run "$LATHE" --workspace "$T/notws.db" datasets
ok "[ $rc -ne 0 ]" "a non-database workspace is refused"
check_err_has "is not a lathe workspace" "with a clear message"

# Import from standard input and from SQLite.
run sh -c "\"$LATHE\" --workspace \"$ws\" import - --name piped <\"$DATA/iris.csv\""
check_rc 0 "import from standard input"

finish
