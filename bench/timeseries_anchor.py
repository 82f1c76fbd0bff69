#!/usr/bin/env python3
"""Anchors of the time-series benchmark (bench/timeseries.ts writes the cases, reads the answers).

For every case and series, on the same grid, train end and rolling origins as Yosoku:
  * seasonal naive: the value one season (or the fewest whole seasons >= h) before the target;
  * statsmodels Holt-Winters / ETS: additive damped trend, additive season of the unit, fitted on
    the training part; at each origin the fitted smoothing parameters run over the history;
  * XGBoost on the same lag features: target lags before the target time (missing when after the
    origin), rolling means at the origin, calendar parts of the target time, the horizon step and
    the series code; one model pooled over steps and series.
Gaps (missing target cells) are filled by linear interpolation for statsmodels and the lags.

usage: /usr/bin/python3 bench/timeseries_anchor.py cases.json answers.json
"""
import json
import math
import sys
import warnings

import numpy as np
import pandas as pd
import xgboost as xgb
from statsmodels.tsa.holtwinters import ExponentialSmoothing

warnings.filterwarnings("ignore")
ETS_WINDOW = 3000  # history the per-origin ETS runs over (the smoothing forgets older values)


def seasonal_naive(y, o, h, m):
    k = math.ceil(h / m)
    return y[o + h - k * m]


def ets_forecasts(y, train_end, origins, m, to_step):
    fit_y = y[max(0, train_end + 1 - ETS_WINDOW): train_end + 1]
    seasonal = "add" if m > 1 else None
    model = ExponentialSmoothing(fit_y, trend="add", damped_trend=True, seasonal=seasonal,
                                 seasonal_periods=m if m > 1 else None, initialization_method="estimated").fit()
    p = model.params
    out = []
    for o in origins:
        hist = y[max(0, o + 1 - ETS_WINDOW): o + 1]
        again = ExponentialSmoothing(hist, trend="add", damped_trend=True, seasonal=seasonal,
                                     seasonal_periods=m if m > 1 else None, initialization_method="heuristic")
        kw = dict(smoothing_level=p["smoothing_level"], smoothing_trend=p["smoothing_trend"], damping_trend=p["damping_trend"], optimized=False)
        if m > 1:
            kw["smoothing_seasonal"] = p["smoothing_seasonal"]
        out.append(list(map(float, again.fit(**kw).forecast(to_step))))
    return out


def features(y, times, series_code, o, h, lags, m, unit):
    t = pd.Timestamp(times[o] if o + h >= len(times) else times[o + h], unit="s")
    if o + h >= len(times):
        t = pd.Timestamp(times[o], unit="s") + (pd.Timedelta(hours=h) if unit == "hour" else pd.Timedelta(days=h))
    row = [y[o + h - l] if l >= h else np.nan for l in lags]
    for w in (m, 7 * m) if m > 1 else (3, 12):
        row.append(float(np.mean(y[max(0, o - w + 1): o + 1])))
    row += [t.hour, t.dayofweek, t.month, t.dayofyear, h, series_code]
    return row


def xgb_forecasts(case):
    m, frm, to = case["season"], case["fromStep"], case["toStep"]
    lags, unit = case["lags"], case["unit"]
    rng = np.random.default_rng(0)
    X, Y, T = [], [], []
    for code, s in enumerate(case["series"]):
        y = s["filled"]
        first = max(lags) if len(y) > max(lags) + 50 else m
        for o in range(first, s["trainEnd"] + 1):
            for h in range(frm, to + 1):
                if o + h > s["trainEnd"] or math.isnan(s["y"][o + h]):
                    continue
                X.append((code, o, h))
    if len(X) > 200_000:
        X = [X[i] for i in sorted(rng.choice(len(X), 200_000, replace=False))]
    rows = np.array([features(case["series"][c]["filled"], case["series"][c]["times"], c, o, h, lags, m, unit) for c, o, h in X])
    target = np.array([case["series"][c]["y"][o + h] for c, o, h in X])
    when = np.array([o + h for c, o, h in X])
    cut = np.quantile(when, 0.9)
    model = xgb.XGBRegressor(n_estimators=1000, learning_rate=0.05, max_depth=6, subsample=0.8, colsample_bytree=0.8,
                             tree_method="hist", n_jobs=2, early_stopping_rounds=50, random_state=0)
    model.fit(rows[when < cut], target[when < cut], eval_set=[(rows[when >= cut], target[when >= cut])], verbose=False)
    out = {}
    for code, s in enumerate(case["series"]):
        preds = []
        for o in s["origins"]:
            f = np.array([features(s["filled"], s["times"], code, o, h, lags, m, unit) for h in range(frm, to + 1)])
            preds.append(list(map(float, model.predict(f))))
        out[s["key"]] = preds
    return out


def main():
    cases = json.load(open(sys.argv[1]))
    answers = {}
    for case in cases:
        m, frm, to = case["season"], case["fromStep"], case["toStep"]
        naive, ets = {}, {}
        for s in case["series"]:
            y = np.array([np.nan if v is None else v for v in s["y"]], dtype=float)
            s["y"] = list(y)
            filled = pd.Series(y).interpolate(limit_direction="both").to_numpy()
            s["filled"] = filled
            naive[s["key"]] = [[float(seasonal_naive(filled, o, h, m)) for h in range(frm, to + 1)] for o in s["origins"]]
            ets[s["key"]] = [f[frm - 1:] for f in ets_forecasts(filled, s["trainEnd"], s["origins"], m, to)]
        answers[case["name"]] = {"seasonal naive": naive, "statsmodels ETS": ets, "XGBoost (lags)": xgb_forecasts(case)}
        print(f"anchors done: {case['name']}", file=sys.stderr)
    json.dump(answers, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
