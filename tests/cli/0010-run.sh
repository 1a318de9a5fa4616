#!/bin/sh
# lathe run / apply / predict: fitting a spec, the fitted file, applying
# it to files and streams, schema checks, bad-value policies, and spec
# errors with file:line:column.
. "${LATHE_SRCDIR:-.}/tests/lib.sh"

cd "$T" || exit 1
cat >iris.lathe <<EOF2
lathe-pipeline 1
# iris, standardised
source $DATA/iris.csv
target species
step impute columns=@numeric strategy=median indicator=true
step scale method=standard
EOF2

run "$LATHE" run iris.lathe -o iris.fitted --output out.csv
check_rc 0 "run fits the spec"
check_err_has "fitted 2 steps on" "and says what it did"
ok "head -1 out.csv | grep -q '^sepal_length,sepal_length_missing,sepal_width'" \
	"--output writes the transformed data with indicator columns"
ok "[ \$(wc -l <out.csv) = 151 ]" "150 rows and a header"
ok "head -1 iris.fitted | grep -q '^lathe-fitted 1$'" "the fitted file is versioned"
ok "grep -q '^\[step 2 scale\]$' iris.fitted" "and holds each step's state"

# Determinism: the same spec on the same data gives the same bytes.
run "$LATHE" -q run iris.lathe -o again.fitted --output again.csv
ok "cmp -s iris.fitted again.fitted && cmp -s out.csv again.csv" \
	"running twice gives identical files"

# Parity: applying the fitted pipeline to its training data gives the
# training output, from a file and from a stream.
run "$LATHE" apply iris.fitted "$DATA/iris.csv" -o applied.csv
check_rc 0 "apply to a file"
ok "cmp -s out.csv applied.csv" "apply on the training data is bit-identical"
run sh -c "cat '$DATA/iris.csv' | '$LATHE' apply iris.fitted - > streamed.csv"
check_rc 0 "apply from a pipe"
ok "cmp -s out.csv streamed.csv" "streamed output is bit-identical too"

# Streaming: a row is written before the next one arrives.
(printf 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n'; sleep 3; printf '6,3,4,1\n') |
	"$LATHE" apply iris.fitted - >stream1.csv 2>stream1.err &
pid=$!
n=0
while [ $n -lt 25 ] && [ "$(wc -l <stream1.csv 2>/dev/null)" != 2 ]; do
	sleep 0.1
	n=$((n + 1))
done
ok "[ \"\$(wc -l <stream1.csv)\" = 2 ]" "a streamed row is flushed before the next arrives"
wait $pid
ok "[ \"\$(wc -l <stream1.csv)\" = 3 ]" "and the stream is read to its end"

# Outputs that are not regular files are written in place, never
# replaced by a renamed temporary (a fifo here; /dev/null in real life).
mkfifo out.fifo
cat out.fifo >fifo.csv &
catpid=$!
run "$LATHE" -q run iris.lathe --output out.fifo
wait $catpid
check_rc 0 "--output to a fifo"
ok "[ -p out.fifo ]" "the fifo is still a fifo"
ok "cmp -s out.csv fifo.csv" "and the data went through it"
ok "[ -z \"\$(ls | grep '\.tmp')\" ]" "no temporary file is left behind"

# --data overrides the source; --set fills placeholders.
sed "s|$DATA/iris.csv|\${DIR}/iris.csv|" iris.lathe >iris-set.lathe
run "$LATHE" run iris-set.lathe
check_rc 4 "an unset placeholder is a spec error"
check_err_has "iris-set.lathe:3:8: '\${DIR}' is not set (give it with --set DIR=VALUE)" \
	"naming it and where it is"
run "$LATHE" run iris-set.lathe --set DIR="$DATA" -o set.fitted
check_rc 0 "--set fills it"
head -60 "$DATA/iris.csv" >part.csv
run "$LATHE" run iris.lathe --data part.csv --output part-out.csv
check_rc 0 "--data replaces the source"
ok "[ \$(wc -l <part-out.csv) = 60 ]" "and the other data is used"

# Schema checks at apply time.
cut -d, -f1,3,4,5 "$DATA/iris.csv" >nowidth.csv
run "$LATHE" apply iris.fitted nowidth.csv
check_rc 3 "a missing training column is an error"
check_err_has "no column 'sepal_width', which the pipeline was trained with" "naming it"
cut -d, -f1-4 "$DATA/iris.csv" >notarget.csv
run "$LATHE" apply iris.fitted notarget.csv -o nt.csv
check_rc 0 "the target may be absent"
sed 's/$/,extra/; 1s/,extra$/,note/' "$DATA/iris.csv" >extra.csv
run "$LATHE" apply iris.fitted extra.csv -o kept.csv --keep
ok "head -1 kept.csv | grep -q ',species,note$'" "--keep keeps extra columns at the end"
run "$LATHE" apply iris.fitted extra.csv -o dropped.csv
ok "cmp -s out.csv dropped.csv" "without --keep extra columns are dropped"

printf 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6,abc,1,1\n7,3,2,2\n' >bad.csv
run "$LATHE" apply iris.fitted bad.csv
check_rc 3 "a value of the wrong type fails by default"
check_err_has "bad.csv:3:2: field 2 ('sepal_width') is 'abc'" "naming line, field and value"
run "$LATHE" apply iris.fitted bad.csv --on-error=skip -o skip.csv
check_rc 0 "--on-error=skip goes on"
ok "[ \$(wc -l <skip.csv) = 3 ]" "dropping the bad row"
check_err_has "1 row skipped" "and counting it"
run "$LATHE" apply iris.fitted bad.csv --on-error=null -o null.csv
check_rc 0 "--on-error=null goes on"
ok "[ \$(wc -l <null.csv) = 4 ]" "keeping every row"
check_err_has "1 bad value made missing" "and counting the value"
run sh -c "'$LATHE' apply iris.fitted - --on-error=null <bad.csv"
check_rc 0 "the policies work on streams too"
check_err_has "1 bad value" "and are counted there"
run sh -c "cat bad.csv | '$LATHE' apply iris.fitted -"
check_rc 3 "a stream stops at a bad value by default"
check_err_has "line 3, column 'sepal_width': 'abc' is not a float value" "naming line and column"

# A row a step cannot transform (an unseen category with unknown=error).
printf 'lathe-pipeline 1\nsource %s\nstep onehot columns=species unknown=error\n' "$DATA/iris.csv" >oh.lathe
"$LATHE" -q run oh.lathe -o oh.fitted
printf 'sepal_length,sepal_width,petal_length,petal_width,species\n1,2,3,4,setosa\n1,2,3,4,alien\n5,6,7,8,virginica\n' >oh.csv
run "$LATHE" apply oh.fitted oh.csv
check_rc 3 "an unseen category fails by default"
check_err_has "row 2: column 'species' has 'alien', not seen in training" "naming row, column and value"
run "$LATHE" apply oh.fitted oh.csv --on-error=skip -o oh-out.csv
check_rc 0 "--on-error=skip drops that row"
ok "[ \$(wc -l <oh-out.csv) = 3 ] && grep -q '^5,6,7,8,0,0,1$' oh-out.csv" "and keeps the others"
check_err_has "1 row skipped" "and counts it"
run sh -c "cat oh.csv | '$LATHE' apply oh.fitted - --on-error=skip"
check_rc 0 "in a stream too"
ok "[ \$(wc -l <'$T/out') = 3 ]" "the stream keeps the good rows"

# Damaged fitted files are refused.
head -c 300 iris.fitted >trunc.fitted
run "$LATHE" apply trunc.fitted "$DATA/iris.csv"
check_rc 3 "a truncated fitted pipeline is refused"
check_err_has "is damaged: its checksum does not match" "with a clear message"
sed 's/^fill 5.8$/fill 5.9/' iris.fitted >edited.fitted
run "$LATHE" apply edited.fitted "$DATA/iris.csv"
check_rc 3 "an edited fitted pipeline is refused"
sed '1s/lathe-fitted 1/lathe-fitted 9/' iris.fitted >newer.fitted
run "$LATHE" apply newer.fitted "$DATA/iris.csv"
check_err_has "format version 9; this lathe reads version 1" "a newer format is refused"
run "$LATHE" apply iris.lathe "$DATA/iris.csv"
check_err_has "is not a fitted lathe pipeline" "a spec is not a fitted pipeline"
# A state line removed, with the checksum made to match: still refused,
# naming the step and the key (and no leak under the sanitizers).
tail -n +3 iris.fitted | grep -v '^indicator ' >body
{ echo 'lathe-fitted 1'; echo "sha256 $(sha256sum <body | cut -d' ' -f1)"; cat body; } >nokey.fitted
run "$LATHE" apply nokey.fitted "$DATA/iris.csv"
check_rc 3 "a fitted file missing a state line is refused"
check_err_has "step 1 (impute): 'indicator' is missing" "naming the step and the key"
run "$LATHE" predict iris.fitted "$DATA/iris.csv"
check_rc 2 "predict needs a model"
check_err_has "use 'lathe apply'" "and says what to use"

# Spec errors: file:line:column, the token, a suggestion.
printf 'lathe-pipeline 1\nsource %s\nstep impute strateg=median\n' "$DATA/iris.csv" >e1.lathe
run "$LATHE" run e1.lathe
check_rc 4 "an unknown argument is a spec error (exit 4)"
check_err_has "e1.lathe:3:13: unknown argument 'strateg' for step 'impute' (did you mean 'strategy'?)" \
	"with line, column and a suggestion"
printf 'lathe-pipeline 1\nsource %s\nstep imput\n' "$DATA/iris.csv" >e2.lathe
run "$LATHE" run e2.lathe
check_err_has "e2.lathe:3:6:" "an unknown or partial step name is placed"
printf 'lathe-pipeline 1\nsource %s\nstep impte\n' "$DATA/iris.csv" >e3.lathe
run "$LATHE" run e3.lathe
check_err_has "unknown step 'impte' (did you mean 'impute'?)" "unknown steps get suggestions"
printf 'lathe-pipeline 1\nsorce x.csv\n' >e4.lathe
run "$LATHE" run e4.lathe
check_err_has "e4.lathe:2:1: unknown statement 'sorce' (did you mean 'source'?)" "unknown statements too"
printf 'lathe-pipeline 1\nsource %s\nstep scale columns=sepal_lenght\n' "$DATA/iris.csv" >e5.lathe
run "$LATHE" run e5.lathe
check_rc 4 "a selector naming no column is a spec error"
check_err_has "e5.lathe:3:20: step 'scale': no column 'sepal_lenght' (did you mean 'sepal_length'?)" \
	"pointing at the selector"
printf 'lathe-pipeline 2\n' >e6.lathe
run "$LATHE" run e6.lathe
check_err_has "spec format version 2 is newer" "a newer spec format is refused"
printf 'source x.csv\n' >e7.lathe
run "$LATHE" run e7.lathe
check_err_has "e7.lathe:1:1: a spec starts with 'lathe-pipeline 1'" "the header line is required"
printf 'lathe-pipeline 1\nsource "%s\n' "$DATA/iris.csv" >e8.lathe
run "$LATHE" run e8.lathe
check_err_has "e8.lathe:2:8: unterminated quote" "an unterminated quote is placed"
printf 'lathe-pipeline 1\nstep scale\n' >e9.lathe
run "$LATHE" run e9.lathe
check_rc 2 "no source and no --data is a usage error"
run "$LATHE" run no-such.lathe
check_rc 5 "a missing spec is an I/O error"

finish
