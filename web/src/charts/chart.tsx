/**
 * One echarts chart in the page (the library the report renders its charts with, server-side).
 * Only the charts and components used are bundled (echarts/core), in the evaluation view's chunk.
 * Canvas renderer and rich-text tooltips: nothing is written as HTML or as a style attribute, so
 * the page's CSP (no inline styles) holds.
 */
import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

const BASE: ChartOption = {
  animation: false,
  textStyle: { fontFamily: 'system-ui, "Hiragino Sans", "Yu Gothic", "Noto Sans CJK JP", "IPAGothic", sans-serif' },
  grid: { left: 56, right: 20, top: 30, bottom: 40, containLabel: false },
};

/** `option` is applied whole on every change (notMerge), so a chart shows exactly its props. */
export function Chart({ option, height = 280, id }: { option: ChartOption; height?: number; id?: string }): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const el = box.current!;
    chart.current = echarts.init(el, null, { renderer: 'canvas', height });
    const resize = new ResizeObserver(() => chart.current?.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, [height]);
  useEffect(() => {
    const tooltip = (option as { tooltip?: object }).tooltip;
    chart.current?.setOption({ ...BASE, ...option, ...(tooltip === undefined ? {} : { tooltip: { renderMode: 'richText', ...tooltip } }) }, { notMerge: true });
    box.current!.dataset.rendered = 'true';
  }, [option]);
  return <div class="chart" id={id} ref={box} style={{ height: `${height}px` }} />;
}
