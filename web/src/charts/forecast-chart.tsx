/**
 * A time-series model's answer as a chart: per series, the forecast line and its 90% band (a
 * stacked area from `lower` to `upper`), over the forecast times (docs/timeseries.md §API).
 * Loaded with echarts the first time a forecast is shown.
 */
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { t } from '../lib/i18n.js';
import type { ForecastPoint } from '../lib/forecast.js';
import { Chart, type ChartOption } from './chart.js';

export function ForecastChart({ points }: { points: readonly ForecastPoint[] }): JSX.Element {
  const option = useMemo((): ChartOption => {
    const times = [...new Set(points.map((x) => x.time))].sort();
    const names = [...new Set(points.map((x) => x.series))];
    const series: object[] = [];
    for (const name of names) {
      const byTime = new Map(points.filter((x) => x.series === name).map((x) => [x.time, x] as const));
      const at = (f: (x: ForecastPoint) => number) => times.map((time) => (byTime.has(time) ? f(byTime.get(time)!) : null));
      const label = name === '' ? t('predict.prediction') : name;
      const stack = `band:${name}`;
      series.push(
        {
          type: 'line',
          name: `${label} ${t('predict.band')}`,
          stack,
          data: at((x) => x.lower),
          lineStyle: { opacity: 0 },
          symbol: 'none',
          tooltip: { show: false },
        },
        {
          type: 'line',
          name: `${label} ${t('predict.band')}`,
          stack,
          data: at((x) => x.upper - x.lower),
          lineStyle: { opacity: 0 },
          areaStyle: { opacity: 0.2 },
          symbol: 'none',
          tooltip: { show: false },
        },
        { type: 'line', name: label, data: at((x) => x.prediction), symbol: 'circle' },
      );
    }
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: names.map((n) => (n === '' ? t('predict.prediction') : n)), top: 0 },
      xAxis: { type: 'category', data: times },
      yAxis: { type: 'value', scale: true },
      series,
    };
  }, [points]);
  return (
    <div id="forecast" data-series={String(new Set(points.map((x) => x.series)).size)} data-points={String(points.length)}>
      <h3>{t('predict.forecast')}</h3>
      <Chart id="forecast-chart" option={option} />
    </div>
  );
}

export default ForecastChart;
