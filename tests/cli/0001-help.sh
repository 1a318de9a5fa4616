#!/bin/sh
# Help, version and usage errors.
. "${LATHE_SRCDIR:-.}/tests/lib.sh"

run "$LATHE" --version
check_rc 0 "--version exits 0"
check_out_has "lathe 0." "--version prints the version"

run "$LATHE" --help
check_rc 0 "--help exits 0"
cp "$T/out" "$T/help"
for verb in inspect run apply predict steps models runs import datasets; do
	ok "grep -q '^  $verb ' '$T/help'" "--help lists '$verb'"
	run "$LATHE" $verb --help
	check_rc 0 "'$verb --help' exits 0"
	check_out_has "usage: lathe $verb" "'$verb --help' prints its usage"
	# Every command is documented in the man page.
	ok "grep -q '^\\.It Cm $verb' '$LATHE_SRCDIR/man/lathe.1'" \
		"lathe.1 documents '$verb'"
done

# Every step type is documented in lathe-pipeline(5), and has help.
"$LATHE" steps | awk '{ print $1 }' >"$T/steps"
ok "[ \$(wc -l <'$T/steps') -ge 19 ]" "lathe steps lists the step types"
for ty in $(cat "$T/steps"); do
	ok "grep -q '^\.It Ic $ty\$' '$LATHE_SRCDIR/man/lathe-pipeline.5'" \
		"lathe-pipeline.5 documents step '$ty'"
	run "$LATHE" steps "$ty"
	check_out_has "step $ty:" "'lathe steps $ty' describes it"
done

# Every model type and every metric is documented in lathe-pipeline(5).
"$LATHE" models | awk 'NF && !/^metrics/ { print $1 }' >"$T/models"
ok "[ \$(wc -l <'$T/models') -ge 17 ]" "lathe models lists the model types"
for ty in $(cat "$T/models"); do
	ok "grep -q '^\.It Ic $ty\$' '$LATHE_SRCDIR/man/lathe-pipeline.5'" \
		"lathe-pipeline.5 documents model '$ty'"
	run "$LATHE" models "$ty"
	check_out_has "model $ty (" "'lathe models $ty' describes it"
done
"$LATHE" models | sed -n 's/^metrics for [a-z]*: //p' | tr ' ' '\n' >"$T/metrics"
ok "[ \$(wc -l <'$T/metrics') -ge 20 ]" "lathe models lists the metrics"
for m in $(cat "$T/metrics"); do
	ok "grep -q '^\.It Cm $m\$' '$LATHE_SRCDIR/man/lathe-pipeline.5'" \
		"lathe-pipeline.5 documents metric '$m'"
done

run "$LATHE"
check_rc 2 "no command is a usage error (exit 2)"
check_err_has "usage: lathe" "and prints the usage"

run "$LATHE" frobnicate
check_rc 2 "an unknown command exits 2"
check_err_has "unknown command 'frobnicate'" "and names it"

run "$LATHE" ins --help
check_rc 0 "a unique prefix selects the command"
check_out_has "usage: lathe inspect" "'ins' is 'inspect'"

run "$LATHE" inspect --bogus "$DATA/iris.csv"
check_rc 2 "an unknown option exits 2"
check_err_has "unknown option '--bogus'" "and names it"

run "$LATHE" inspect
check_rc 2 "inspect without DATA exits 2"

run "$LATHE" inspect --ragged=sometimes "$DATA/iris.csv"
check_rc 2 "a bad option value exits 2"
check_err_has "bad --ragged 'sometimes'" "and says what is wrong"

run "$LATHE" inspect --type sepal_length=blob "$DATA/iris.csv"
check_rc 2 "an unknown --type exits 2"
check_err_has "unknown type 'blob'" "and names the type"

finish
