# tests/lib.sh - helpers for the command-level tests (TAP output).
#
# A test script sources this file, then calls the checks below; each
# prints one TAP line.  The plan is printed by finish.  Environment (set by
# make check): LATHE (the binary), LATHE_SRCDIR, LATHE_TESTDATA, LATHE_TMP.
#
#   run CMD...             run a command; $out, $err and $rc hold its stdout,
#                          stderr and exit status (also in files $T/out,
#                          $T/err)
#   check_rc N NAME        the last run exited with N
#   check_out_has TEXT NAME / check_err_has TEXT NAME  (fixed strings)
#   check_golden FILE NAME stdout equals tests/golden/FILE
#                          (LATHE_UPDATE_GOLDEN=1 rewrites it)
#   ok COND NAME           COND is a shell command

: "${LATHE:?LATHE is not set: run through make check}"
: "${LATHE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${LATHE_TESTDATA:=$LATHE_SRCDIR/tests/data}"
: "${LATHE_TMP:=${TMPDIR:-/tmp}}"
DATA=$LATHE_SRCDIR/data
GOLDEN=$LATHE_SRCDIR/tests/golden

mkdir -p "$LATHE_TMP"
T=$(mktemp -d "$LATHE_TMP/$(basename "$0" .sh).XXXXXX")
trap 'rm -rf "$T"' EXIT
# Never touch the user's workspace.
LATHE_WORKSPACE=$T/workspace.db
export LATHE_WORKSPACE
# Sanitizer builds: a leak is a failure; keep reports readable.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

_n=0
_failed=0

_tap() {
	_n=$((_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_n - $2"
	else
		echo "not ok $_n - $2"
		_failed=$((_failed + 1))
	fi
}

_diag() {
	sed 's/^/#   /'
}

run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
	# A sanitizer report is always a failure, whatever the test expects.
	if grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' \
	    -e 'runtime error:' "$T/err"; then
		_tap 1 "no sanitizer report from: $*"
		_diag <"$T/err"
	fi
}

ok() {
	_name=$2
	if sh -c "$1" >/dev/null 2>&1; then
		_tap 0 "$_name"
	else
		_tap 1 "$_name"
		echo "#   failed: $1"
	fi
}

check_rc() {
	if [ "$rc" = "$1" ]; then
		_tap 0 "$2"
	else
		_tap 1 "$2"
		echo "#   exit status $rc, expected $1; stderr:"
		_diag <"$T/err"
	fi
}

check_out_has() {
	if grep -F -q -e "$1" "$T/out"; then
		_tap 0 "$2"
	else
		_tap 1 "$2"
		echo "#   stdout lacks: $1"
		_diag <"$T/out"
	fi
}

check_err_has() {
	if grep -F -q -e "$1" "$T/err"; then
		_tap 0 "$2"
	else
		_tap 1 "$2"
		echo "#   stderr lacks: $1"
		_diag <"$T/err"
	fi
}

check_golden() {
	if [ -n "${LATHE_UPDATE_GOLDEN:-}" ]; then
		cp "$T/out" "$GOLDEN/$1"
	fi
	if diff -u "$GOLDEN/$1" "$T/out" >"$T/diff" 2>&1; then
		_tap 0 "$2"
	else
		_tap 1 "$2"
		_diag <"$T/diff"
	fi
}

finish() {
	echo "1..$_n"
	[ "$_failed" = 0 ]
}
