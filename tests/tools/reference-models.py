#!/usr/bin/python3
"""Extract scikit-learn's model results from ../shared/data/reference.json
into tests/golden/reference-models.tsv, the expectations of
tests/cli/0013-reference-models.sh.

One line per (dataset, model, metric, fold): the value and how closely
lathe must match it (the reference's match levels, README "How closely to
match"):
  exact      relative 1e-6
  close      logistic regression: compared with the fully converged
             optimum; accuracy-type metrics within one row of the fold,
             log loss / AUC relative 1e-3
  tolerance  absolute 0.05 (ARI 0.1); means only; RMSE and MAE
             within 5% (relative)
Usage: tests/tools/reference-models.py ../shared/data/reference.json
"""
import json
import sys

ref = json.load(open(sys.argv[1]))
out = sys.stdout
out.write("# dataset\tmodel\tmetric\tfold\texpected\tmatch\tslack\n")
for name, d in ref["datasets"].items():
    for model, m in d["models"].items():
        level = m["match"]
        mm = m.get("metric_match") or {}
        folds = m["folds"]
        for metric in m["mean"]:
            lv = mm.get(metric, level)
            if lv == "unstable":
                continue
            if lv == "close":
                # the optimum's numbers; one row of slack for the
                # accuracy-type metrics
                vals = [f["optimum"][metric] for f in folds]
                for k, f in enumerate(folds):
                    n = d["folds"][k]["n_test"]
                    slack = 1.0 / n if metric not in ("log_loss",
                                                      "roc_auc") else 0
                    out.write("%s\t%s\t%s\t%d\t%.17g\tclose\t%.17g\n" %
                              (name, model, metric, k, vals[k], slack))
            elif lv == "exact":
                for k, f in enumerate(folds):
                    out.write("%s\t%s\t%s\t%d\t%.17g\texact\t0\n" %
                              (name, model, metric, k, f[metric]))
            else:
                if metric == "log_loss":
                    continue  # dominated by the 1e-16 clipping rule
                # scores within 0.05; errors (rmse, mae) within 5%
                kind = "relative" if metric in ("rmse", "mae") else \
                    "tolerance"
                out.write("%s\t%s\t%s\tmean\t%.17g\t%s\t0.05\n" %
                          (name, model, metric, m["mean"][metric], kind))
    km = d.get("kmeans")
    if km:
        out.write("%s\tkmeans\tari\tmean\t%.17g\ttolerance\t0.1\n" %
                  (name, km["adjusted_rand_index"]))
        out.write("%s\tkmeans\tinertia\tmean\t%.17g\trelative\t0.01\n" %
                  (name, km["inertia"]))

# The per-fold confusion matrices of the exact classifiers, as lathe run
# --tsv prints them: tests/golden/cm-DATASET-MODEL.tsv ("fold<TAB>r,r;r,r").
import os
gold = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                    "golden")
for name, d in ref["datasets"].items():
    if d["task"] == "regression":
        continue
    for model, m in d["models"].items():
        if m["match"] != "exact":
            continue
        with open(os.path.join(gold, "cm-%s-%s.tsv" % (name, model)),
                  "w") as f:
            for k, fo in enumerate(m["folds"]):
                cm = fo["confusion_matrix"]
                f.write("%d\t%s\n" % (k, ";".join(
                    ",".join(str(x) for x in row) for row in cm)))
