#!/bin/bash
# bench/bench-tui.sh - how fast the workbench answers, driven in tmux as a
# user would drive it, on large CSV files:
#
#   first screen   from starting lathe to the first rows on the screen,
#                  against the load time lathe reports in its status line
#   scroll         a key (j, then PgDn, then G) until the screen shows
#                  the new row number
#   edit           ':step impute ...' until the preview after it is shown
#   typing         a key typed while that preview is computing, until it
#                  is on the command line
#
# Each figure is measured twice: outside, as wall time around tmux
# send-keys and a capture-pane poll (so it includes tmux's own round trip,
# measured too), and inside, from lathe's LATHE_TUI_TRACE log (a key read
# to its frame drawn; an edit to the frame with its preview).  Medians of
# several tries are printed.
#
# usage: bench/bench-tui.sh [FILE.csv ...]
#   LATHE      the binary (default: build/lathe; use an optimized build)
#   BENCHDATA  where the default files are (default $LATHE_BENCH_DATA,
#              else bench/out, as the other bench scripts)
#   TRIES      tries per figure (default 5)
set -u

here=$(cd "$(dirname "$0")/.." && pwd)
LATHE=${LATHE:-$here/build/lathe}
BENCHDATA=${BENCHDATA:-${LATHE_BENCH_DATA:-$here/bench/out}}
TRIES=${TRIES:-5}
if [ $# -eq 0 ]; then
	set -- "$BENCHDATA/mixed_1m.csv" "$BENCHDATA/num_1m.csv"
fi
command -v tmux >/dev/null || { echo "bench-tui: tmux is needed" >&2; exit 1; }
[ -x "$LATHE" ] || { echo "bench-tui: no binary at $LATHE" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-tui.XXXXXX")
sock=lathe-bench-$$
TM="tmux -L $sock -f /dev/null"
trap '$TM kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT
export LATHE_WORKSPACE=$tmp/ws.db

now() { date +%s%N; }
ms() { echo "scale=1; ($2 - $1) / 1000000" | bc; }

# poll the screen until it shows TEXT (at most 120 s); prints the time
wait_for() {

	for _ in $(seq 1 60000); do
		if $TM capture-pane -p -t b 2>/dev/null |
		    grep -F -q -e "$1"; then
			now
			return 0
		fi
	done
	echo "bench-tui: timed out waiting for '$1'" >&2
	$TM capture-pane -p -t b >&2
	exit 1
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	    else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

start() {
	$TM kill-server >/dev/null 2>&1
	while $TM has-session >/dev/null 2>&1; do sleep 0.05; done
	rm -f "$tmp"/ws.db*
	t0=$(now)
	$TM new-session -d -s b -x 120 -y 40 \
	    "env TERM=xterm-256color LATHE_TUI_TRACE='$tmp/trace' '$LATHE' \
	    '$1' 2>'$tmp/err'"
}

printf '%-16s %10s %10s %10s %10s %10s %10s %10s\n' file load_s \
    first_ms over_ms scroll_ms edit_ms typing_ms tmux_ms
for f in "$@"; do
	name=$(basename "$f")
	: >"$tmp/first" >"$tmp/over" >"$tmp/scroll" >"$tmp/edit"
	: >"$tmp/typing" >"$tmp/rt" >"$tmp/load" >"$tmp/trace"
	for i in $(seq 1 "$TRIES"); do
		start "$f"
		t1=$(wait_for "row 1/")
		# the status line says how long the load itself took
		load=$($TM capture-pane -p -t b | sed -n \
		    's/.* columns (\([0-9.]*\) s).*/\1/p' | head -1)
		echo "$load" >>"$tmp/load"
		ms "$t0" "$t1" >>"$tmp/first"
		echo "scale=1; $(ms "$t0" "$t1") - $load * 1000" | bc \
		    >>"$tmp/over"

		# tmux's own round trip: a capture that finds its text at once
		a=$(now)
		wait_for "row 1/" >/dev/null
		b=$(now)
		ms "$a" "$b" >>"$tmp/rt"

		# scrolling
		a=$(now); $TM send-keys -t b j; b=$(wait_for "row 2/")
		ms "$a" "$b" >>"$tmp/scroll"
		a=$(now); $TM send-keys -t b NPage; b=$(wait_for "row 37/")
		ms "$a" "$b" >>"$tmp/scroll"
		a=$(now); $TM send-keys -t b G
		b=$(wait_for "row 1,000,000/")
		ms "$a" "$b" >>"$tmp/scroll"
		a=$(now); $TM send-keys -t b g; b=$(wait_for "row 1/")
		ms "$a" "$b" >>"$tmp/scroll"

		# an edit, and typing while it recomputes
		$TM send-keys -t b -l ":step impute strategy=median"
		a=$(now)
		$TM send-keys -t b Enter
		$TM send-keys -t b -l ":zz"
		c=$(wait_for ":zz")
		b=$(wait_for "after step 1/1")
		ms "$a" "$c" >>"$tmp/typing"
		ms "$a" "$b" >>"$tmp/edit"
		$TM send-keys -t b Escape
		$TM send-keys -t b -l ":quit!"
		$TM send-keys -t b Enter
	done
	printf '%-16s %10s %10s %10s %10s %10s %10s %10s\n' "$name" \
	    "$(median <"$tmp/load")" "$(median <"$tmp/first")" \
	    "$(median <"$tmp/over")" "$(median <"$tmp/scroll")" \
	    "$(median <"$tmp/edit")" "$(median <"$tmp/typing")" \
	    "$(median <"$tmp/rt")"
	# inside lathe
	awk '$1 == "first-screen" { print $2 - $4 * 1000 }' "$tmp/trace" |
	    median >"$tmp/in_over"
	awk '$1 == "key" && ($2 == "j" || $2 == "KEY_NPAGE" || $2 == "G" ||
	    $2 == "g") { print $3 }' "$tmp/trace" | median >"$tmp/in_scroll"
	awk '$1 == "key" && ($2 == "j" || $2 == "KEY_NPAGE" || $2 == "G" ||
	    $2 == "g") { print $3 }' "$tmp/trace" | sort -n | tail -1 \
	    >"$tmp/in_scroll_max"
	awk '$1 == "preview" { print $2 }' "$tmp/trace" | median \
	    >"$tmp/in_edit"
	awk '$1 == "key" && $2 == "z" { print $3 }' "$tmp/trace" | median \
	    >"$tmp/in_typing"
	printf '%-16s %10s %10s %10s %10s %10s %10s %10s\n' "  inside" "" "" \
	    "$(cat "$tmp/in_over")" "$(cat "$tmp/in_scroll")" \
	    "$(cat "$tmp/in_edit")" "$(cat "$tmp/in_typing")" \
	    "max $(cat "$tmp/in_scroll_max")"
done
echo
echo "first_ms: start to first rows; over_ms: first_ms minus the load"
echo "time; scroll_ms: j, PgDn, G, g until the new row is shown; edit_ms:"
echo "a step until its preview is shown; typing_ms: a key typed during"
echo "that recompute until shown; tmux_ms: one capture-pane round trip"
echo "(included in every figure).  Medians of $TRIES tries.  The 'inside'"
echo "line: the same from lathe's own trace, without tmux (over: first"
echo "frame with data minus the load; scroll: key read to frame drawn, and"
echo "the slowest; edit: the edit to the frame with its preview; typing:"
echo "a key typed while the preview recomputes, read to drawn)."
