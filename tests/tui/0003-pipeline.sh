#!/bin/sh
# Building a pipeline in the workbench at 80x24 and 132x43: steps added
# with keys (the menu and the form) and with ':step', the preview
# following them, undo and redo, disabling and moving, the parser's and
# the loader's messages, quitting with unexported changes, the draft
# offered on the next start, and an exported spec that 'lathe run'
# accepts.
. "${LATHE_SRCDIR:-.}/tests/lib.sh"
TUI_LIB=1 . "$LATHE_SRCDIR/tests/tui/0000-tmux.sh"
tui_need_tmux
trap 'tui_stop; rm -rf "$T"' EXIT

printf 'a,b\n1,2\n3\n' >"$T/ragged.csv"

for size in 80x24 132x43; do
	w=${size%x*} h=${size#*x}
	rm -f "$T/workspace.db"*
	tui_start "$w" "$h" -- "$DATA/iris.csv"
	tui_expect "iris.csv 150" "$size: the data is open"

	# impute with keys: the Pipeline screen, a, the menu, the form
	tui_keys 3
	tui_expect "no steps yet" "$size: the Pipeline screen starts empty"
	tui_keys a
	tui_expect "add a step after step 0" "$size: a opens the step menu"
	tui_type "imp"
	tui_keys Enter
	tui_expect "step impute after step 0" \
		"$size: picking impute opens its form"
	tui_expect "columns to fill" "$size: the form shows the help of a field"
	tui_keys Down Right
	tui_expect "step impute strategy=median" \
		"$size: the form makes a spec line"
	tui_keys Enter
	tui_expect "impute median on 4 columns" \
		"$size: the step is added and fitted"
	tui_expect "150×5 → 150×5" "$size: with the shape before and after"
	tui_expect "[+]" "$size: the pipeline is marked modified"

	# onehot and scale with ':step'
	tui_keys :
	tui_type "step onehot columns=species"
	tui_keys Enter
	tui_expect "onehot on 1 column" "$size: :step adds a step"
	tui_expect "150×5 → 150×7" "$size: the preview has the new columns"
	tui_expect "changes: species=setosa" "$size: the one-hot columns"
	tui_keys :
	tui_type "step scale method=minmax"
	tui_keys Enter
	tui_expect "scale minmax" "$size: :step scale"
	tui_keys 1
	tui_expect "after step 3/3: scale minmax" \
		"$size: the Data screen shows the last step"
	tui_expect "0.2222222" \
		"$size: scaled values (5.1 is 0.2222 in [4.3, 7.9])"

	# undo and redo
	tui_keys u
	tui_expect "undone (2 more to undo)" "$size: u undoes"
	tui_expect "after step 2/2: onehot" "$size: the preview goes back"
	tui_keys C-r
	tui_expect "redone" "$size: ^R redoes"
	tui_expect "after step 3/3: scale minmax" \
		"$size: and the preview follows"

	# a bad argument: the parser's message, nothing changes
	tui_keys :
	tui_type "step impute strateg=mean"
	tui_keys Enter
	tui_expect \
	    "<command>:1:13: unknown argument 'strateg' for step 'impute'" \
		"$size: a bad argument shows the parser's message"
	tui_expect "did you mean" "$size: with its suggestion"
	tui_keys :
	tui_type "step frobnicate"
	tui_keys Enter
	tui_expect "unknown step 'frobnicate'" "$size: an unknown step type too"

	# disable, move, delete, on the Pipeline screen
	tui_keys 3 k
	tui_expect "step 2: step onehot columns=species" \
		"$size: k selects step 2"
	tui_keys Space
	tui_expect "#(disabled) step onehot" "$size: space disables it"
	tui_keys Space
	tui_expect "step 2 enabled" "$size: and enables it"
	tui_keys K
	tui_expect "step 2 is now step 1" "$size: K moves it up"
	tui_keys u
	tui_expect "undone" "$size: which undoes too"
	tui_keys g j e
	tui_expect "edit step 1: impute" "$size: e opens the step's form"
	tui_expect "step impute strategy=median" "$size: with its values"
	tui_keys Down Right Enter
	tui_expect "impute most_frequent" "$size: the edited step is fitted"
	tui_keys u
	tui_expect "impute median" "$size: an edit undoes too"

	# a bad file: the loader's message; the data stays
	tui_keys :
	tui_type "open $T/ragged.csv"
	tui_keys Enter
	tui_expect "ragged.csv:3: too few fields" \
		"$size: a bad file shows the loader's message"
	tui_keys 1
	tui_expect "iris.csv 150" "$size: and the data stays"
	tui_keys :
	tui_type "open $T/nonexistent.csv"
	tui_keys Enter
	tui_expect "cannot open" "$size: a missing file too"

	# the Spec screen is what export writes
	tui_keys 6
	tui_expect "step onehot columns=species" \
		"$size: the Spec screen shows the spec"
	tui_expect "not exported yet" "$size: not exported yet"

	# quitting with changes asks; n stays
	tui_keys q
	tui_expect "unexported changes" "$size: q with unexported changes asks"
	tui_keys n
	tui_expect "6 Spec" "$size: n stays"

	# export, then lathe run takes the spec
	tui_keys :
	tui_type "export $T/out-$w.lathe"
	tui_keys Enter
	tui_expect "exported to" "$size: :export writes the spec"
	tui_expect_not "[+]" "$size: exported: not modified any more"
	run "$LATHE" run "$T/out-$w.lathe" --output "$T/out-$w.csv"
	check_rc 0 "$size: lathe run accepts the exported spec"
	check_err_has "fitted 3 steps" "$size: with its three steps"
	ok "head -1 '$T/out-$w.csv' | grep -q 'species=setosa'" \
		"$size: and makes the same columns"

	# one more change, quit keeping a draft
	tui_keys :
	tui_type "step clip lower=0"
	tui_keys Enter
	tui_expect "[+]" "$size: a change after the export"
	tui_keys q
	tui_expect "unexported changes" "$size: asks again"
	tui_keys y
	tui_exit "$size: y quits"

	# the draft is offered on the next start
	tui_start "$w" "$h" -- "$DATA/iris.csv"
	tui_expect "Unexported pipeline for" \
		"$size: the next start offers the draft"
	tui_keys y
	tui_expect "draft restored" "$size: y restores it"
	tui_keys 6
	tui_expect "step clip lower=0" "$size: with every step"
	tui_keys :
	tui_type "quit!"
	tui_keys Enter
	tui_exit "$size: quit! quits without asking"
done

# history: a line typed before comes back with Up
tui_start 80 24 -- "$DATA/iris.csv"
tui_expect "Unexported pipeline" "the draft is still offered"
tui_keys d
tui_expect "draft discarded" "d discards it"
tui_keys : Up
tui_expect ":quit!" "Up recalls the last command, from the workspace"
tui_keys C-u
tui_type "ste"
tui_keys Tab
tui_expect ":step" "Tab completes a command"
tui_type "imp"
tui_keys Tab
tui_expect ":step impute" "and a step type"
tui_type "str"
tui_keys Tab
tui_expect ":step impute strategy=" "and a parameter"
tui_type "med"
tui_keys Tab
tui_expect ":step impute strategy=median" "and its value"
tui_keys Escape q
tui_exit "and quits"
tui_start 80 24 -- "$DATA/iris.csv"
tui_expect "iris.csv 150" "a discarded draft is not offered again"
tui_expect_not "Unexported" "no question"
tui_keys q
tui_exit "quits"

finish
