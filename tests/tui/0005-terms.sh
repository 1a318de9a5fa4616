#!/bin/sh
# Terminals and locales: xterm-256color, xterm and vt100 (monochrome:
# reverse, bold and dim only), and a locale that is not UTF-8, where the
# glyphs, sparklines and plots are ASCII.
. "${LATHE_SRCDIR:-.}/tests/lib.sh"
TUI_LIB=1 . "$LATHE_SRCDIR/tests/tui/0000-tmux.sh"
tui_need_tmux
trap 'tui_stop; rm -rf "$T"' EXIT

for term in xterm-256color xterm vt100; do
	tui_start 80 24 TERM=$term LATHE_WORKSPACE="$T/ws-$term.db" -- \
		"$DATA/iris.csv"
	tui_expect "iris.csv 150×5" "$term: the data is shown"
	tui_expect "setosa" "$term: with its rows"
	tui_keys 2
	tui_expect "sepal_length float" "$term: the Columns screen"
	tui_keys :
	tui_type "step scale"
	tui_keys Enter 3
	tui_expect "scale standard" "$term: a step on the Pipeline screen"
	tui_keys :
	tui_type "quit!"
	tui_keys Enter
	tui_exit "$term: quits cleanly"
done

# not UTF-8: ASCII everywhere
tui_start 80 24 TERM=vt100 LC_ALL=C LATHE_WORKSPACE="$T/ws-c.db" -- \
	"$DATA/iris.csv"
tui_expect "iris.csv 150x5" "C locale: x for the shape"
tui_keys 2
tui_expect "sepal_length float" "C locale: the Columns screen"
tui_screen
ok "! grep -q '[^ -~]' '$T/screen'" "C locale: only ASCII on the screen"
tui_keys 3 :
tui_type "step impute"
tui_keys Enter
tui_expect "1 + impute mean" "C locale: + marks a fitted step"
tui_keys :
tui_type "target species"
tui_keys Enter :
tui_type "model logistic"
tui_keys Enter :
tui_type "evaluate holdout"
tui_keys Enter 4 t
tui_expect "holdout" "C locale: training works"
tui_keys r
tui_expect "AUC" "C locale: the ROC curve"
tui_screen
ok "! grep -q '[^ -~]' '$T/screen'" "C locale: plotted in ASCII"
tui_keys :
tui_type "quit!"
tui_keys Enter
tui_exit "C locale: quits cleanly"

finish
