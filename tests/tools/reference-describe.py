#!/usr/bin/python3
"""Extract the column statistics of ../shared/data/reference.json into
tests/golden/describe-NAME.tsv, so the tests stand alone.  Run from the
repository root:  python3 tests/tools/reference-describe.py REFERENCE.json
Columns: column, type (numeric|categorical), count, missing, distinct,
mean, std, min, p25, p50, p75, max, top, top_freq (empty when n/a)."""
import json
import sys

ref = json.load(open(sys.argv[1]))
for name, ds in ref["datasets"].items():
    with open(f"tests/golden/describe-{name}.tsv", "w") as f:
        f.write("column\ttype\tcount\tmissing\tdistinct\tmean\tstd\tmin\t"
                "p25\tp50\tp75\tmax\ttop\ttop_freq\n")
        for col, d in ds["describe"].items():
            row = [col, d["type"], d["count"], d["missing"], d["distinct"]]
            for k in ("mean", "std", "min", "p25", "p50", "p75", "max"):
                row.append(repr(float(d[k])) if k in d else "")
            row.append(d.get("top", ""))
            row.append(d.get("top_freq", ""))
            f.write("\t".join(str(x) for x in row) + "\n")
