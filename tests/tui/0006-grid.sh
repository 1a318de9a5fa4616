#!/bin/sh
# The grid search form on the Model screen: s lists the model's
# parameters and the evaluation's metrics; the values typed become the
# 'search' line (one undo step), training shows every combination, and
# export writes the line.
. "${LATHE_SRCDIR:-.}/tests/lib.sh"
TUI_LIB=1 . "$LATHE_SRCDIR/tests/tui/0000-tmux.sh"
tui_need_tmux
trap 'tui_stop; rm -rf "$T"' EXIT

tui_start 100 30 -- "$DATA/iris.csv"
tui_expect "iris.csv 150" "the data is open"
tui_keys 4
tui_expect "s grid form" "the Model screen offers the grid form"
tui_keys s
tui_expect "no model to search over" "s without a model says so"
tui_keys :
tui_type "target species"
tui_keys Enter
tui_keys :
tui_type "model logistic"
tui_keys Enter
tui_keys :
tui_type "evaluate cv folds=3"
tui_keys Enter
tui_expect "evaluate cv folds=3" "target, model and evaluation are set"
tui_keys s
tui_expect "grid search: model logistic" "s opens the grid form"
tui_expect "penalty" "listing the model's parameters"
tui_expect "max_iter" "all of them"
tui_expect "default accuracy" "and the metric, the evaluation's first"
tui_keys Down
tui_type "0.1,1"
tui_expect "search C=0.1,1" "the form shows the line it makes"
tui_keys Down Down Down Down Down Right
tui_expect "search C=0.1,1 metric=balanced_accuracy" \
	"Right picks the next metric"
tui_keys Left
tui_expect_not "metric=balanced" "Left goes back to the default"
tui_keys Enter
tui_expect "search   C=0.1,1" "Enter sets the search line"
tui_keys u
tui_expect "search   (none)" "u undoes it"
tui_keys C-r
tui_expect "search   C=0.1,1" "^R redoes it"
tui_keys s
tui_expect "grid search: model logistic" "s opens the form again"
tui_keys Down
tui_expect "C  " "at C"
tui_keys C-u
tui_type "x,1"
tui_keys Enter
tui_expect "search C=x,1" "a bad value"
tui_expect "'C'" "the parser's message comes back into the form"
tui_keys Escape
tui_expect "search   C=0.1,1" "Escape keeps the line as it was"
tui_keys t
tui_expect "3-fold cross-validation" "t trains the grid"
tui_keys g
tui_expect "parameters" "g shows the grid table"
tui_expect "C=0.1" "with the first combination"
tui_expect "C=1 " "and the second"
tui_expect "the best by accuracy" "the best picked by the metric"
tui_screen
n=$(grep -c "C=0\.1 \|C=1 " "$T/screen")
[ "$n" = 2 ]
rc=$?
check_rc 0 "the grid table shows 2 combinations ($n)"

tui_keys :
tui_type "export $T/grid.lathe"
tui_keys Enter
tui_expect "exported to" "export the spec"
run grep -c '^search C=0.1,1$' "$T/grid.lathe"
check_out_has "1" "it has the search line"
tui_keys q
tui_exit "q quits: nothing to export"

finish
