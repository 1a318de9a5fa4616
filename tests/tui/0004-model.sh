#!/bin/sh
# The Model and Runs screens: choosing the target, the model and the
# evaluation from menus, training, the metrics per split, the confusion
# matrix and its cells' rows, the ROC curve, the importances, a
# regression's residuals, the runs recorded, and a spec with a model that
# 'lathe run' accepts.
. "${LATHE_SRCDIR:-.}/tests/lib.sh"
TUI_LIB=1 . "$LATHE_SRCDIR/tests/tui/0000-tmux.sh"
tui_need_tmux
trap 'tui_stop; rm -rf "$T"' EXIT

tui_start 80 24 -- "$DATA/iris.csv"
tui_expect "iris.csv 150" "the data is open"
tui_keys 4
tui_expect "no model yet" "the Model screen starts with no model"
tui_keys T
tui_expect "target column" "T opens the column menu"
tui_type "spe"
tui_keys Enter
tui_expect "target   species" "picking species sets the target"
tui_keys m
tui_type "logistic"
tui_keys Enter
tui_expect "model logistic" "m, then a model type, opens its form"
tui_expect "penalty" "with its parameters"
tui_keys Enter
tui_expect "not trained yet" "the form's Enter sets the model"
tui_keys v
tui_type "cv"
tui_keys Enter
tui_expect "evaluate cv" "v chooses the evaluation"
tui_keys t
tui_expect "5-fold cross-validation" "t trains and evaluates"
tui_expect "accuracy             0.9667" "the mean accuracy is shown"
tui_expect "baseline" "beside the baseline"
tui_expect "split 1" "and each split"
tui_expect "trained in" "the status line says how long it took"

tui_keys c
tui_expect "true \\ predicted" "c shows the confusion matrix"
tui_expect "versicolor                0         47          3" \
	"with the held-out counts"
tui_keys Down Right Right Enter
tui_expect "misclassified: true versicolor, predicted virginica" \
	"Enter on a cell opens its rows in the Data screen"
tui_expect "row 1/3" "the three of them"
tui_expect "versicolor" "showing them"
tui_keys x
tui_expect "row 1/150" "x goes back to all rows"
tui_keys 4 r
tui_expect "AUC 0.99" "r draws the ROC curve"
tui_keys i
tui_expect "petal_length" "i shows the importances"
tui_keys 5
tui_expect "logistic" "the Runs screen lists the training"
tui_expect "0.9667" "with its metrics"
tui_keys Enter
tui_expect "evaluate cv" "Enter shows the run's spec"
tui_keys Escape

tui_keys :
tui_type "export $T/model.lathe"
tui_keys Enter
tui_expect "exported to" "export the spec with its model"
run "$LATHE" run "$T/model.lathe" --no-record
check_rc 0 "lathe run accepts it"
check_out_has "accuracy" "and reports the same metrics"
check_out_has "0.9667" "with the same numbers"
tui_keys q
tui_exit "q quits: nothing to export"

# regression: the residuals plot
tui_start 100 30 -- "$DATA/diabetes.csv"
tui_expect "diabetes.csv" "diabetes is open"
tui_keys :
tui_type "target progression"
tui_keys Enter
tui_keys :
tui_type "model ridge"
tui_keys Enter
tui_keys :
tui_type "evaluate holdout"
tui_keys Enter
tui_keys 4 t
tui_expect "holdout" "a ridge regression trains"
tui_expect "r2" "with the regression metrics"
tui_keys r
tui_expect "residuals (true - predicted)" "r plots the residuals"
tui_keys :
tui_type "quit!"
tui_keys Enter
tui_exit "quit! quits"

finish
