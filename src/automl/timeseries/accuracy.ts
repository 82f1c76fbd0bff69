/** Forecast accuracy: RMSE, MAE and MASE (MAE over the in-sample seasonal-naive MAE), per step too. */

export interface Accuracy {
  readonly rmse: number;
  readonly mae: number;
  /** MAE / mean in-sample |seasonal difference| of the forecast's series. */
  readonly mase: number;
  readonly n: number;
}

/** Accuracy of forecasts `pred` of `actual`; `scale` is the MASE denominator of each forecast's series. */
export function accuracyOf(actual: ArrayLike<number>, pred: ArrayLike<number>, scale: ArrayLike<number>): Accuracy {
  let se = 0;
  let ae = 0;
  let scaled = 0;
  const n = actual.length;
  for (let i = 0; i < n; i++) {
    const e = actual[i]! - pred[i]!;
    se += e * e;
    ae += Math.abs(e);
    scaled += Math.abs(e) / scale[i]!;
  }
  return n === 0 ? { rmse: NaN, mae: NaN, mase: NaN, n } : { rmse: Math.sqrt(se / n), mae: ae / n, mase: scaled / n, n };
}
