#!/usr/bin/python3
"""Helper of bench/engine.ts: feature matrices for the dev datasets, and XGBoost 1.7 timings.

  prepare --manifest M --split-dir D --name NAME
      reads D/NAME/train.csv and test.csv with shared/bench/baseline.py's own feature code and writes
      D/NAME/{Xtr,Xte}.f64 (row-major float64, NaN = missing), {ytr,yte}.f64 and meta.json
      ({"task", "n_classes", "names", "categorical": [bool], "n_levels": [int]}); categorical columns
      hold level codes 0..L-1, which our engine uses natively and XGBoost as plain numbers.
  train --dir D --task T --n-features F [--n-classes K] --rounds R --learning-rate X --max-leaves L
        --max-bin B --lambda-l2 X --min-child-weight X --threads T
      trains XGBoost (hist, lossguide) on D/{Xtr,ytr}.f64, scores D/{Xte,yte}.f64 and prints one JSON
      line {"fit_s", "auc"|"macro_f1"|"rmse", "predict_s"}.
  grid --dir D --task T --n-features F [--n-classes K] [--categorical 0,3,...] --rounds R
       --learning-rate X --grow-policy depthwise|lossguide --max-depth D --max-leaves L --max-bin B
       --lambda-l2 X --min-child-weight X --threads T
      one cell of bench/engine.ts --grid: prints {"fit_s", "cpu_s", "metric"} (AUC, multiclass log-loss or RMSE).
"""
import argparse
import json
import os
import sys
import time

import numpy as np


def prepare(args):
    sys.path.insert(0, os.path.dirname(os.path.abspath(args.baseline)))
    import baseline  # noqa: E402  (shared/bench/baseline.py)

    manifest = json.load(open(args.manifest))
    ds = next(d for d in manifest["datasets"] if d["name"] == args.name)
    ddir = os.path.join(args.split_dir, ds["name"])
    train = baseline.load_part(os.path.join(ddir, "train.csv"), ds)
    test = baseline.load_part(os.path.join(ddir, "test.csv"), ds)
    ytr, yte, ncls, _ = baseline.encode_target(ds, train, test)
    Xtr, Xte, _, names = baseline.build_features(train, test, ds)
    # Which columns build_features coded as categorical levels (its is_cat only marks <= 255 levels).
    dates = ds.get("date_columns", {})
    categorical, n_levels = [], []
    for col in train.columns:
        if col == ds["target"] or col in dates:
            if col in dates:
                k = 7 if (baseline.pd.to_datetime(train[col], format=dates[col], errors="coerce").dt.hour.fillna(0) != 0).any() else 6
                categorical += [False] * k
                n_levels += [0] * k
            continue
        a = train[col]
        num = baseline.pd.to_numeric(a, errors="coerce")
        if num.notna().sum() == a.notna().sum() and a.notna().any():
            categorical.append(False)
            n_levels.append(0)
        else:
            categorical.append(True)
            n_levels.append(len(a.dropna().unique()))
    assert len(categorical) == Xtr.shape[1], (len(categorical), Xtr.shape)
    np.ascontiguousarray(Xtr, dtype=np.float64).tofile(os.path.join(ddir, "Xtr.f64"))
    np.ascontiguousarray(Xte, dtype=np.float64).tofile(os.path.join(ddir, "Xte.f64"))
    np.asarray(ytr, dtype=np.float64).tofile(os.path.join(ddir, "ytr.f64"))
    np.asarray(yte, dtype=np.float64).tofile(os.path.join(ddir, "yte.f64"))
    task = "regression" if ds["task"] in ("regression", "timeseries") else ds["task"]
    json.dump({"task": task, "n_classes": ncls, "names": names, "categorical": categorical,
               "n_levels": n_levels, "n_train": int(len(ytr)), "n_test": int(len(yte))},
              open(os.path.join(ddir, "meta.json"), "w"))


def train(args):
    import xgboost
    from sklearn.metrics import f1_score, mean_squared_error, roc_auc_score

    f = args.n_features
    Xtr = np.fromfile(os.path.join(args.dir, "Xtr.f64")).reshape(-1, f)
    ytr = np.fromfile(os.path.join(args.dir, "ytr.f64"))
    Xte = np.fromfile(os.path.join(args.dir, "Xte.f64")).reshape(-1, f)
    yte = np.fromfile(os.path.join(args.dir, "yte.f64"))
    params = dict(n_estimators=args.rounds, learning_rate=args.learning_rate, tree_method="hist",
                  grow_policy="lossguide", max_leaves=args.max_leaves, max_depth=0,
                  max_bin=args.max_bin, reg_lambda=args.lambda_l2, min_child_weight=args.min_child_weight,
                  n_jobs=args.threads, random_state=0)
    # Warm-up so that OpenMP start-up is not timed.
    xgboost.XGBRegressor(n_estimators=2, tree_method="hist", n_jobs=args.threads).fit(Xtr[:100], ytr[:100])
    t0 = time.perf_counter()
    if args.task == "binary":
        m = xgboost.XGBClassifier(objective="binary:logistic", **params)
    elif args.task == "multiclass":
        m = xgboost.XGBClassifier(objective="multi:softprob", **params)
    else:
        m = xgboost.XGBRegressor(objective="reg:squarederror", **params)
    m.fit(Xtr, ytr.astype(int) if args.task != "regression" else ytr)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    if args.task == "binary":
        out = {"auc": float(roc_auc_score(yte, m.predict_proba(Xte)[:, 1]))}
    elif args.task == "multiclass":
        lab = np.argmax(m.predict_proba(Xte), axis=1)
        out = {"macro_f1": float(f1_score(yte.astype(int), lab, average="macro",
                                          labels=list(range(args.n_classes)), zero_division=0))}
    else:
        out = {"rmse": float(np.sqrt(mean_squared_error(yte, m.predict(Xte))))}
    out["predict_s"] = time.perf_counter() - t0
    out["fit_s"] = fit_s
    print(json.dumps(out))


def grid(args):
    """One grid cell: xgboost.train on a DMatrix (categorical columns as XGBoost's own categorical
    features); the timed part is the DMatrix (quantile sketch) and the boosting, like sklearn's fit."""
    import xgboost
    from sklearn.metrics import log_loss, mean_squared_error, roc_auc_score

    f = args.n_features
    Xtr = np.fromfile(os.path.join(args.dir, "Xtr.f64")).reshape(-1, f)
    ytr = np.fromfile(os.path.join(args.dir, "ytr.f64"))
    Xte = np.fromfile(os.path.join(args.dir, "Xte.f64")).reshape(-1, f)
    yte = np.fromfile(os.path.join(args.dir, "yte.f64"))
    cat = set(int(c) for c in args.categorical.split(",") if c != "")
    types = ["c" if j in cat else "q" for j in range(f)]
    params = dict(tree_method="hist", eta=args.learning_rate, max_bin=args.max_bin, reg_lambda=args.lambda_l2,
                  min_child_weight=args.min_child_weight, nthread=args.threads, seed=0,
                  grow_policy=args.grow_policy, max_depth=args.max_depth, max_leaves=args.max_leaves)
    if args.task == "binary":
        params["objective"] = "binary:logistic"
    elif args.task == "multiclass":
        params.update(objective="multi:softprob", num_class=args.n_classes)
    else:
        params["objective"] = "reg:squarederror"
    # Warm-up so that OpenMP start-up is not timed.
    xgboost.train(dict(tree_method="hist", nthread=args.threads), xgboost.DMatrix(Xtr[:100], ytr[:100]), 2)
    t0 = time.perf_counter()
    c0 = time.process_time()
    dtr = xgboost.DMatrix(Xtr, ytr, feature_types=types, enable_categorical=bool(cat), nthread=args.threads)
    m = xgboost.train(params, dtr, args.rounds)
    fit_s = time.perf_counter() - t0
    cpu_s = time.process_time() - c0
    p = m.predict(xgboost.DMatrix(Xte, feature_types=types, enable_categorical=bool(cat), nthread=args.threads))
    if args.task == "binary":
        out = {"metric": float(roc_auc_score(yte, p))}
    elif args.task == "multiclass":
        out = {"metric": float(log_loss(yte.astype(int), p, labels=list(range(args.n_classes))))}
    else:
        out = {"metric": float(np.sqrt(mean_squared_error(yte, p)))}
    out["fit_s"] = fit_s
    out["cpu_s"] = cpu_s
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("prepare")
    a.add_argument("--manifest", required=True)
    a.add_argument("--baseline", required=True)
    a.add_argument("--split-dir", required=True)
    a.add_argument("--name", required=True)
    b = sub.add_parser("train")
    b.add_argument("--dir", required=True)
    b.add_argument("--task", required=True)
    b.add_argument("--n-features", type=int, required=True)
    b.add_argument("--n-classes", type=int, default=0)
    b.add_argument("--rounds", type=int, required=True)
    b.add_argument("--learning-rate", type=float, required=True)
    b.add_argument("--max-leaves", type=int, required=True)
    b.add_argument("--max-bin", type=int, required=True)
    b.add_argument("--lambda-l2", type=float, required=True)
    b.add_argument("--min-child-weight", type=float, required=True)
    b.add_argument("--threads", type=int, required=True)
    g = sub.add_parser("grid")
    g.add_argument("--dir", required=True)
    g.add_argument("--task", required=True)
    g.add_argument("--n-features", type=int, required=True)
    g.add_argument("--n-classes", type=int, default=0)
    g.add_argument("--categorical", default="")
    g.add_argument("--rounds", type=int, required=True)
    g.add_argument("--learning-rate", type=float, required=True)
    g.add_argument("--grow-policy", required=True)
    g.add_argument("--max-depth", type=int, required=True)
    g.add_argument("--max-leaves", type=int, required=True)
    g.add_argument("--max-bin", type=int, required=True)
    g.add_argument("--lambda-l2", type=float, required=True)
    g.add_argument("--min-child-weight", type=float, required=True)
    g.add_argument("--threads", type=int, required=True)
    args = p.parse_args()
    {"prepare": prepare, "train": train, "grid": grid}[args.cmd](args)


if __name__ == "__main__":
    main()
