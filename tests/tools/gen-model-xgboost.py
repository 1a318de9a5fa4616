#!/usr/bin/python3
"""Expected values for tests/unit/t-model-xgboost.c, from the Python
package of the same XGBoost (Debian python3-xgboost 1.7.4):
xgb.train(params, xgb.DMatrix(X, label=y, missing=nan), n_rounds) with
nthread=1, then Booster.predict on a DMatrix of all rows.

Run from the repository root:  /usr/bin/python3 tests/tools/gen-model-xgboost.py
and paste its output into the test.  The cases:

  bc    breast_cancer, every feature standardised (population std, the
        sums taken row by row in file order, as the C test does), binary
        classifier, default parameters, trained on the first 450 rows
  db    diabetes (raw values), regressor, default parameters, trained on
        the first 350 rows
  iris  iris, 3 classes (multi:softprob), every parameter off its
        default, tree_method=exact, trained on all rows
  na    diabetes with the cells where (7 r + 3 j) % 11 == 0 missing,
        regressor, tree_method=approx max_bin=32 n_rounds=30, trained
        on all rows
Predictions are given for every STEP-th row (all rows predicted), with
the sum over all rows; importances are the "gain" scores normalised to
sum 1 (0 for an unused feature)."""
import csv
import math

import numpy as np
import xgboost as xgb

STEP = 8


def load(path, target):
    with open(path) as f:
        rows = list(csv.reader(f))
    head, rows = rows[0], rows[1:]
    t = head.index(target)
    names = [h for i, h in enumerate(head) if i != t]
    x = [[float(v) for i, v in enumerate(r) if i != t] for r in rows]
    y = [r[t] for r in rows]
    return names, x, y


def standardise(x):
    """Column by column: mean and population std with plain sequential
    sums (what the C test computes), then (x - mean) / std."""
    n, p = len(x), len(x[0])
    out = [list(r) for r in x]
    for j in range(p):
        s = 0.0
        for r in range(n):
            s += x[r][j]
        mean = s / n
        s = 0.0
        for r in range(n):
            d = x[r][j] - mean
            s += d * d
        sd = math.sqrt(s / n)
        for r in range(n):
            out[r][j] = (x[r][j] - mean) / sd
    return out


def train(x, y, params, rounds, ntrain):
    base = {"eta": 0.3, "max_depth": 6, "subsample": 1.0,
            "colsample_bytree": 1.0, "min_child_weight": 1.0,
            "lambda": 1.0, "alpha": 0.0, "gamma": 0.0,
            "tree_method": "hist", "max_bin": 256, "seed": 0,
            "nthread": 1}
    base.update(params)
    xa = np.array(x, dtype=np.float64)
    d = xgb.DMatrix(xa[:ntrain], label=np.array(y[:ntrain]),
                    missing=np.nan, nthread=1)
    bst = xgb.train(base, d, rounds)
    pred = bst.predict(xgb.DMatrix(xa, missing=np.nan, nthread=1))
    score = bst.get_score(importance_type="gain")
    imp = np.zeros(len(x[0]))
    for k, v in score.items():
        imp[int(k[1:])] = v
    imp = imp / imp.sum()
    return pred, imp


def c_doubles(name, v):
    """A C array, lines filled up to 80 columns (a tab is 8)."""
    print(f"static const double {name}[] = {{")
    line = ""
    for a in v:
        word = f"{float(a)!r},"
        if line and 8 + len(line) + 1 + len(word) > 80:
            print("\t" + line)
            line = ""
        line = word if not line else line + " " + word
    if line:
        print("\t" + line)
    print("};")


def c_string(name, text, width=64):
    print(f"static const char {name}[] =")
    for i in range(0, len(text), width):
        end = ";" if i + width >= len(text) else ""
        print(f'\t"{text[i:i + width]}"{end}')


def emit(case, pred, imp):
    flat = pred.reshape(len(pred), -1)
    c_doubles(f"{case}_pred", flat[::STEP].ravel())
    print(f"static const double {case}_sum =\n"
          f"    {float(np.sum(flat.astype(np.float64)))!r};")
    c_doubles(f"{case}_imp", imp)


def labels(y):
    cls = sorted(set(y))
    return [cls.index(v) for v in y]


def main():
    print(f"/* Written by tests/tools/gen-model-xgboost.py (xgboost "
          f"{xgb.__version__}). */")
    _, x, y = load("data/breast_cancer.csv", "diagnosis")
    pred, imp = train(standardise(x), labels(y),
                      {"objective": "binary:logistic"}, 100, 450)
    emit("bc", pred, imp)
    c_string("bc_class", "".join("1" if p > 0.5 else "0" for p in pred))

    _, x, y = load("data/diabetes.csv", "progression")
    yd = [float(v) for v in y]
    pred, imp = train(x, yd, {"objective": "reg:squarederror"}, 100, 350)
    emit("db", pred, imp)

    _, x, y = load("data/iris.csv", "species")
    pred, imp = train(x, labels(y), {
        "objective": "multi:softprob", "num_class": 3, "eta": 0.1,
        "max_depth": 3, "subsample": 0.8, "colsample_bytree": 0.75,
        "min_child_weight": 0.5, "lambda": 2.0, "alpha": 0.1,
        "gamma": 0.05, "tree_method": "exact", "seed": 7}, 20, len(x))
    emit("iris", pred, imp)
    c_string("iris_class", "".join(str(int(np.argmax(p))) for p in pred))

    _, x, y = load("data/diabetes.csv", "progression")
    for r in range(len(x)):
        for j in range(len(x[0])):
            if (7 * r + 3 * j) % 11 == 0:
                x[r][j] = math.nan
    pred, imp = train(x, yd, {"objective": "reg:squarederror",
                              "tree_method": "approx", "max_bin": 32},
                      30, len(x))
    emit("na", pred, imp)


main()
