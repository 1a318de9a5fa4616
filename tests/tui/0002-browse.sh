#!/bin/sh
# The workbench on data/iris.csv at 80x24 and 132x43: the grid, scrolling,
# finding, the Columns screen, a column's detail and value counts, the
# keys help, resizing, "terminal too small", and quitting.
. "${LATHE_SRCDIR:-.}/tests/lib.sh"
TUI_LIB=1 . "$LATHE_SRCDIR/tests/tui/0000-tmux.sh"
tui_need_tmux
trap 'tui_stop; rm -rf "$T"' EXIT

for size in 80x24 132x43; do
	w=${size%x*} h=${size#*x}
	tui_start "$w" "$h" -- "$DATA/iris.csv"
	tui_expect "iris.csv 150" \
		"$size: the top bar names the data and its shape"
	tui_expect "sepal_length" "$size: the grid shows the columns"
	tui_expect "setosa" "$size: and the rows"
	tui_expect "1 Data" "$size: and the screens"
	tui_expect "150 rows" "$size: the status line says what was loaded"

	# scrolling
	tui_keys G
	tui_expect "row 150/150" "$size: G goes to the last row"
	tui_expect "virginica" "$size: which is shown"
	tui_keys g
	tui_expect "row 1/150" "$size: g goes back to the first"
	tui_keys j j
	tui_expect "row 3/150" "$size: j moves down"
	tui_keys NPage
	tui_expect "row $((3 + h - 5))/150" "$size: PgDn moves a page down"
	tui_keys g l l l l
	tui_expect "row 1/150  species" "$size: l moves to the species column"

	# find
	tui_keys /
	tui_type "versi"
	tui_keys Enter
	tui_expect "'versi' in species: row 51" "$size: / finds a value"
	tui_keys n
	tui_expect "'versi' in species: row 52" "$size: n finds the next"
	tui_keys /
	tui_type "nosuchthing"
	tui_keys Enter
	tui_expect "'nosuchthing' is not in column species" \
		"$size: a value that is not there says so"

	# frequency table and detail
	tui_keys F
	tui_expect "species: value counts" "$size: F opens the value counts"
	tui_expect "3 distinct values" "$size: with the distinct count"
	tui_expect "33.3%" "$size: and each value's share"
	tui_keys Escape
	tui_keys h h
	tui_keys Enter
	tui_expect "petal_length: detail" "$size: Enter opens a column's detail"
	tui_expect "median" "$size: with its quantiles"
	tui_expect "histogram" "$size: and a histogram"
	tui_keys Escape

	# the Columns screen
	tui_keys 2
	tui_expect "distinct" "$size: 2 shows the Columns screen"
	tui_expect "5.843" "$size: with the statistics (sepal_length's mean)"
	tui_keys Escape

	# help
	tui_keys '?'
	tui_expect "Every screen" "$size: ? lists the keys"
	tui_keys Escape
	tui_keys 1

	# resizing
	tui_resize 60 20
	tui_expect "sepal_length" "$size: still drawn at 60x20"
	tui_resize 30 8
	tui_expect "terminal too small" "$size: below 40x10 it says so"
	tui_resize "$w" "$h"
	tui_expect "row 52/150" "$size: and comes back where it was"

	tui_keys q
	tui_exit "$size: q quits (nothing to export), exit 0"
done

# a dataset name from the workspace opens too
run "$LATHE" import "$DATA/wine.csv" --name winedata
check_rc 0 "import wine.csv as a dataset"
tui_start 80 24 -- winedata
tui_expect "wine" "a workspace dataset opens by name"
tui_expect "178" "with its rows"
tui_keys q
tui_exit "and quits"

# a spec file opens as the pipeline, its source as the data
cat >"$T/iris.lathe" <<EOF2
lathe-pipeline 1
source $DATA/iris.csv
target species
step impute strategy=median
EOF2
tui_start 80 24 -- "$T/iris.lathe"
tui_expect "after step 1/1: impute median" "a spec opens with its steps"
tui_keys 6
tui_expect "step impute strategy=median" "the Spec screen shows it"
tui_keys q
tui_exit "and quits without asking: nothing changed"

finish
