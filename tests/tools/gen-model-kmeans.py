#!/usr/bin/python3
"""gen-model-kmeans.py - expected values for tests/unit/t-model-kmeans.c.

scikit-learn 1.2.1 KMeans(n_clusters=k, n_init=10, random_state=0,
algorithm='lloyd') on:
  * iris and wine, every feature standardised with the population std
    (the shared reference preprocessing; neither set has missing values),
  * a small hand-made 2-D set with three obvious clusters.
Prints C initialisers to paste into the test.  Run with /usr/bin/python3
from the top of the source tree.
"""
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans


def cnum(v):
    return repr(float(v))


def show(name, X, k, labels_too):
    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
    print("/* %s: k=%d, n_iter %d */" % (name, k, km.n_iter_))
    print("static const double %s_inertia = %s;" % (name, cnum(km.inertia_)))
    print("static const double %s_centres[] = {" % name)
    for c in km.cluster_centers_:
        print("\t" + ", ".join(cnum(v) for v in c) + ",")
    print("};")
    if labels_too:
        print("static const int %s_labels[] = {" % name)
        lab = list(km.labels_)
        for i in range(0, len(lab), 25):
            print("\t" + ", ".join(str(int(v)) for v in lab[i:i + 25]) + ",")
        print("};")
    # the best of many more starts, for the report
    best = KMeans(n_clusters=k, n_init=200, random_state=1).fit(X)
    print("/* %s: best inertia over 200 starts %s */" % (name,
          cnum(best.inertia_)))


def std(path, target):
    df = pd.read_csv(path)
    X = df.drop(columns=[target]).to_numpy(dtype=np.float64)
    return (X - X.mean(axis=0)) / X.std(axis=0)


show("iris", std("data/iris.csv", "species"), 3, True)
show("wine", std("data/wine.csv", "class"), 3, True)
small = np.array([[0, 0], [0, 1], [1, 0], [1, 1],
                  [10, 10], [10, 11], [11, 10], [11, 11], [10.5, 10.5],
                  [20, 0], [21, 0], [20, 1]], dtype=np.float64)
show("small", small, 3, True)
