#!/usr/bin/python3
"""
gen-model-knn.py - expected values for tests/unit/t-model-knn.c, from
scikit-learn 1.2.1 (Debian's python3-sklearn; run with /usr/bin/python3
from the top of the source tree).  Prints C initialisers to paste.

Fold 0 of wine (classifier) and diabetes (regressor): training rows =
fold != 0 in file order, every feature standardised with the training
rows' mean and population std (numpy's mean/std along axis 0; a zero std
becomes 1).  For each variant (k, weights, metric) of
KNeighborsClassifier / KNeighborsRegressor(algorithm='brute'): the
accuracy (classifier) or the sum of squared errors (regressor) over the
whole test fold, and the probabilities / predictions of a few test rows
(for the classifier, the least sure ones, by position in the test fold).
"""
import csv

import numpy as np
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor

VARIANTS = [(5, "uniform", "euclidean"), (5, "distance", "euclidean"),
            (5, "uniform", "manhattan"), (7, "distance", "manhattan"),
            (10, "uniform", "euclidean"), (1, "uniform", "euclidean")]
NROWS = 6


def load(name, target):
    with open("data/%s.csv" % name, newline="") as f:
        rows = list(csv.reader(f))
    with open("tests/data/%s.folds.csv" % name) as f:
        folds = np.array([int(x) for x in f.read().split()[1:]])
    head, rows = rows[0], rows[1:]
    t = head.index(target)
    X = np.array([[float(r[j]) for j in range(len(head)) if j != t]
                  for r in rows])
    y = [r[t] for r in rows]
    tr, te = folds != 0, folds == 0
    mu = X[tr].mean(axis=0)
    sd = X[tr].std(axis=0)
    sd[sd == 0] = 1
    return (X - mu) / sd, np.array(y), tr, te


def c_doubles(name, v):
    v = np.ravel(v)
    print("static const double %s[%d] = {" % (name, len(v)))
    for i in range(0, len(v), 3):
        print("\t" + " ".join("%.17g," % x for x in v[i:i + 3]))
    print("};")


def main():
    X, y, tr, te = load("wine", "class")
    print("/*\n * wine fold 0, KNeighborsClassifier: per variant, the "
          "accuracy and\n * the probabilities of these test rows\n */")
    P = KNeighborsClassifier(algorithm="brute").fit(
        X[tr], y[tr]).predict_proba(X[te])
    rows = np.sort(np.argsort(P.max(axis=1), kind="stable")[:NROWS])
    print("static const size_t knn_wine_rows[%d] = { %s };" % (
        NROWS, ", ".join("%d" % r for r in rows)))
    for i, (k, w, met) in enumerate(VARIANTS):
        m = KNeighborsClassifier(n_neighbors=k, weights=w, metric=met,
                                 algorithm="brute").fit(X[tr], y[tr])
        acc = (m.predict(X[te]) == y[te]).mean()
        print("/* %d: k=%d weights=%s metric=%s accuracy %.17g */" % (
            i, k, w, met, acc))
        c_doubles("knn_wine_%d" % i, m.predict_proba(X[te])[rows])
        print("static const double knn_wine_acc_%d = %.17g;" % (i, acc))
    X, y, tr, te = load("diabetes", "progression")
    y = y.astype(float)
    print("/*\n * diabetes fold 0, KNeighborsRegressor: per variant, the "
          "predictions of\n * the first %d test rows and the sum of "
          "squared errors\n */" % NROWS)
    for i, (k, w, met) in enumerate(VARIANTS):
        m = KNeighborsRegressor(n_neighbors=k, weights=w, metric=met,
                                algorithm="brute").fit(X[tr], y[tr])
        pred = m.predict(X[te])
        print("/* %d: k=%d weights=%s metric=%s */" % (i, k, w, met))
        c_doubles("knn_diab_%d" % i, pred[:NROWS])
        print("static const double knn_diab_sse_%d = %.17g;" % (
            i, ((pred - y[te]) ** 2).sum()))


if __name__ == "__main__":
    main()
