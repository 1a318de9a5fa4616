#!/usr/bin/python3
"""
gen-model-nb.py - expected values for tests/unit/t-model-nb.c, from
scikit-learn 1.2.1 (Debian's python3-sklearn; run with /usr/bin/python3
from the top of the source tree).  Prints C initialisers to paste.

Gaussian NB: fold 0 of iris, wine and breast_cancer (training rows =
fold != 0, file order), every feature standardised with the training
rows' mean and population std (numpy's mean/std along axis 0; a zero std
becomes 1), GaussianNB(var_smoothing) fitted on the training rows; the
probabilities of the NROWS test rows whose largest probability is the
smallest (the least saturated ones), by their position in the test fold.

Categorical NB: fold 0 of vote, missing values replaced by the training
rows' most frequent value (ties: the smallest string), categories
ordinal-encoded in sorted order, CategoricalNB(alpha=1); and a small
hand-made table of whole-number features, whose last query has a value
never seen in training: scikit-learn raises there, so the expected
probabilities of that row are worked out from the documented formula
(an unseen category gets the smoothed zero count).
"""
import csv
import sys

import numpy as np
from sklearn.naive_bayes import CategoricalNB, GaussianNB

NROWS = 6


def load(name):
    with open("data/%s.csv" % name, newline="") as f:
        rows = list(csv.reader(f))
    with open("tests/data/%s.folds.csv" % name) as f:
        folds = [int(x) for x in f.read().split()[1:]]
    return rows[0], rows[1:], np.array(folds)


def c_ints(name, v):
    print("static const size_t %s[%d] = { %s };" % (name, len(v),
          ", ".join("%d" % x for x in v)))


def least_sure(P):
    return np.sort(np.argsort(P.max(axis=1), kind="stable")[:NROWS])


def c_doubles(name, v):
    v = np.ravel(v)
    print("static const double %s[%d] = {" % (name, len(v)))
    for i in range(0, len(v), 3):
        print("\t" + " ".join("%.17g," % x for x in v[i:i + 3]))
    print("};")


def gaussian(name, target, vs=1e-9, suffix=""):
    head, rows, folds = load(name)
    t = head.index(target)
    X = np.array([[float(r[j]) for j in range(len(head)) if j != t]
                  for r in rows])
    y = np.array([r[t] for r in rows])
    tr, te = folds != 0, folds == 0
    mu = X[tr].mean(axis=0)
    sd = X[tr].std(axis=0)
    sd[sd == 0] = 1
    Xs = (X - mu) / sd
    m = GaussianNB(var_smoothing=vs).fit(Xs[tr], y[tr])
    P = m.predict_proba(Xs[te])
    rows = least_sure(P)
    print("/*\n * %s fold 0, GaussianNB(var_smoothing=%g):\n * classes %s"
          "\n */" % (name, vs, ", ".join(m.classes_)))
    c_ints("gnb_%s%s_rows" % (name, suffix), rows)
    c_doubles("gnb_%s%s" % (name, suffix), P[rows])


def vote():
    head, rows, folds = load("vote")
    t = head.index("Class")
    tr, te = folds != 0, folds == 0
    cols = [j for j in range(len(head)) if j != t]
    codes = np.zeros((len(rows), len(cols)), dtype=int)
    for c, j in enumerate(cols):
        vals = [r[j] for r, k in zip(rows, tr) if k and r[j] != ""]
        cats = sorted(set(vals))
        mode = max(cats, key=vals.count)    # the first (smallest) of ties
        for i, r in enumerate(rows):
            codes[i, c] = cats.index(r[j] if r[j] != "" else mode)
    y = np.array([r[t] for r in rows])
    m = CategoricalNB(alpha=1.0).fit(codes[tr], y[tr])
    P = m.predict_proba(codes[te])
    rows = least_sure(P)
    acc = (m.predict(codes[te]) == y[te]).mean()
    print("/* vote fold 0: CategoricalNB(alpha=1), accuracy %.17g */" % acc)
    c_ints("cnb_vote_rows", rows)
    c_doubles("cnb_vote", P[rows])
    print("static const double cnb_vote_acc = %.17g;" % acc)


def hand():
    # Features: f0 in {0, 2} (1 never seen: n_categories 3), f1 in 0..3.
    X = np.array([[0, 1], [2, 3], [2, 0], [0, 1], [2, 2], [0, 3], [2, 1],
                  [0, 0]])
    y = np.array(["a", "b", "b", "a", "b", "a", "a", "b"])
    Q = np.array([[0, 1], [1, 2], [2, 3]])
    m = CategoricalNB(alpha=0.5).fit(X, y)
    P = list(m.predict_proba(Q))
    # Query [2, 5]: 5 is beyond f1's categories: smoothed zero count.
    alpha, n1 = 0.5, 4
    jll = []
    for ci, c in enumerate(m.classes_):
        nc = (y == c).sum()
        lp = m.feature_log_prob_[0][ci, 2]
        lp += np.log(alpha) - np.log(nc + alpha * n1)
        jll.append(lp + m.class_log_prior_[ci])
    jll = np.array(jll)
    P.append(np.exp(jll - np.logaddexp.reduce(jll)))
    print("/* hand-made whole-number table, CategoricalNB(alpha=0.5) */")
    c_doubles("cnb_hand", np.array(P))


if __name__ == "__main__":
    gaussian("iris", "species")
    gaussian("wine", "class")
    gaussian("breast_cancer", "diagnosis")
    gaussian("wine", "class", 0.05, "_vs")
    vote()
    hand()
