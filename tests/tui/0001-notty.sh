#!/bin/sh
# Without a terminal the workbench does not start: 'lathe' and 'lathe
# DATA' with standard output not a tty say so and exit 2; the headless
# commands are unchanged.
. "${LATHE_SRCDIR:-.}/tests/lib.sh"

msg="lathe: the workbench needs a terminal; use the headless commands"
msg="$msg (lathe --help)"

run "$LATHE"
check_rc 2 "lathe alone, not on a terminal, exits 2"
check_err_has "$msg" "and says why"
check_err_has "usage: lathe" "and prints the usage"
ok "[ ! -s '$T/out' ]" "and nothing on standard output"

run "$LATHE" "$DATA/iris.csv"
check_rc 2 "lathe DATA, not on a terminal, exits 2"
check_err_has "$msg" "with the same message"

run sh -c "'$LATHE' '$DATA/iris.csv' </dev/null | cat"
check_rc 0 "a pipe is not a terminal either (cat's status)"
check_err_has "$msg" "lathe DATA | cat says so"

run sh -c "'$LATHE' - <'$DATA/iris.csv'"
check_rc 2 "lathe - (data on standard input) without a terminal exits 2"

run "$LATHE" -w "$T/ws.db" "$DATA/iris.csv" extra
check_rc 2 "lathe DATA with one more argument is a usage error"
check_err_has "unexpected argument 'extra'" "naming it"

run "$LATHE" frobnicate
check_rc 2 "an unknown command is still an unknown command"
check_err_has "unknown command 'frobnicate'" "and named"

run "$LATHE" inspect "$DATA/iris.csv"
check_rc 0 "commands run as before"

finish
