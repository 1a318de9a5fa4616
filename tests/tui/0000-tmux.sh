#!/bin/sh
# The helpers the workbench tests share, and, run as a test of its own, a
# check that tmux can run them here.  Sourced with TUI_LIB=1 after
# tests/lib.sh:
#
#   tui_start W H [ENV=VALUE...] -- ARGS  start "$LATHE ARGS" in a detached
#                          tmux session W columns by H lines, on a private
#                          server (-L lathe-test-PID); its stderr goes to
#                          $T/tui.err and its exit status to $T/tui.rc
#   tui_keys KEYS...       tmux send-keys (key names: Enter, Escape, C-r, ...)
#   tui_type TEXT          send TEXT literally
#   tui_wait TEXT [SECS]   poll the screen until it shows TEXT (default 20 s)
#   tui_expect TEXT NAME   tui_wait, as a TAP line
#   tui_expect_not TEXT NAME  the screen does not show TEXT (now)
#   tui_resize W H         resize the window
#   tui_exit NAME [STATUS] wait for lathe to exit (with STATUS, default 0);
#                          no sanitizer report in its stderr
#   tui_stop               kill the tmux server (also done at exit)
#
# The screen is $T/screen after each poll.  Never a fixed long sleep: every
# wait polls every 50 ms up to its limit.

TUI_SOCK=lathe-test-$$
TUI_TMUX="tmux -L $TUI_SOCK -f /dev/null"

tui_stop() {
	$TUI_TMUX kill-server >/dev/null 2>&1
	# a new server cannot start while the old one is going away
	_i=0
	while $TUI_TMUX has-session >/dev/null 2>&1 && [ $_i -lt 100 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	return 0
}

tui_start() {
	_w=$1 _h=$2
	shift 2
	_env=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		_env="$_env $1"
		shift
	done
	[ "${1:-}" = "--" ] && shift
	rm -f "$T/tui.rc" "$T/tui.err"
	tui_stop
	# the command line is one shell string: quote each argument
	_args=
	for _a in "$@"; do
		_args="$_args '$_a'"
	done
	_cmd="cd '$T' && env TERM=xterm-256color$_env '$LATHE'$_args \
		2>'$T/tui.err'; echo \$? >'$T/tui.rc'"
	if ! $TUI_TMUX new-session -d -s lathe -x "$_w" -y "$_h" "$_cmd" \
	    >/dev/null 2>&1; then
		sleep 0.2
		$TUI_TMUX new-session -d -s lathe -x "$_w" -y "$_h" "$_cmd" \
		    >/dev/null 2>&1
	fi
}

tui_keys() {
	$TUI_TMUX send-keys -t lathe "$@" >/dev/null 2>&1
}

tui_type() {
	$TUI_TMUX send-keys -t lathe -l "$1" >/dev/null 2>&1
}

tui_screen() {
	$TUI_TMUX capture-pane -p -t lathe >"$T/screen" 2>/dev/null
}

tui_wait() {
	_limit=$(( ${2:-20} * 20 ))
	_i=0
	while [ $_i -lt $_limit ]; do
		tui_screen
		grep -F -q -e "$1" "$T/screen" && return 0
		# a message the status line wrapped onto two lines (at a
		# blank, or inside a word longer than the line)
		tr '\n' ' ' <"$T/screen" | grep -F -q -e "$1" && return 0
		tr -d '\n' <"$T/screen" | grep -F -q -e "$1" && return 0
		sleep 0.05
		_i=$((_i + 1))
	done
	return 1
}

tui_expect() {
	if tui_wait "$1" "${3:-20}"; then
		_tap 0 "$2"
	else
		_tap 1 "$2"
		echo "#   the screen lacks: $1"
		_diag <"$T/screen"
	fi
}

tui_expect_not() {
	tui_screen
	if grep -F -q -e "$1" "$T/screen"; then
		_tap 1 "$2"
		echo "#   the screen shows: $1"
		_diag <"$T/screen"
	else
		_tap 0 "$2"
	fi
}

tui_resize() {
	$TUI_TMUX resize-window -t lathe -x "$1" -y "$2" >/dev/null 2>&1
}

tui_exit() {
	_i=0
	while [ ! -s "$T/tui.rc" ] && [ $_i -lt 400 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	_rc=$(cat "$T/tui.rc" 2>/dev/null)
	if [ "$_rc" = "${2:-0}" ]; then
		_tap 0 "$1"
	else
		_tap 1 "$1"
		echo "#   exit status '${_rc:-none}', expected ${2:-0}"
		_diag <"$T/tui.err"
	fi
	if grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' \
	    -e 'runtime error:' "$T/tui.err" 2>/dev/null; then
		_tap 1 "$1: no sanitizer report"
		_diag <"$T/tui.err"
	fi
}

# tmux: skipped where it is missing, but never in CI.
tui_need_tmux() {
	if ! command -v tmux >/dev/null 2>&1; then
		if [ -n "${CI:-}" ]; then
			echo "not ok 1 - tmux is installed (CI needs it)"
			echo "1..1"
			exit 1
		fi
		echo "1..0 # SKIP tmux is not installed"
		exit 0
	fi
}

if [ -z "${TUI_LIB:-}" ]; then
	. "${LATHE_SRCDIR:-.}/tests/lib.sh"
	tui_need_tmux
	trap 'tui_stop; rm -rf "$T"' EXIT
	# tmux itself: a pane's text comes back, keys go in
	$TUI_TMUX new-session -d -s lathe -x 40 -y 10 "cat" >/dev/null 2>&1
	ok "$TUI_TMUX has-session -t lathe" "tmux starts a private server"
	tui_type "hello tmux"
	tui_keys Enter
	tui_expect "hello tmux" "send-keys and capture-pane work"
	tui_stop
	ok "! $TUI_TMUX has-session -t lathe" "and the server goes away"
	finish
fi
