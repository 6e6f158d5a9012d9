/**
 * Charts as inline SVG, drawn on the server by Apache ECharts' server-side
 * renderer (no canvas, no browser). Each chart is a plain function of its
 * data and returns an accessible <svg>: role="img" with a <title> and a
 * <desc>, so a screen reader announces it; the page puts the same data in a
 * table beside it. Static output: hover styles and ECharts' metadata
 * attributes are stripped, animation is off.
 *
 * ECharts is imported on first use, so commands that draw no chart never
 * load it.
 */
import { createRequire } from 'node:module';

/** The font stack of every page and chart: fonts with Vietnamese glyphs first (Noto, DejaVu are on Debian). */
export const FONT_STACK = "'Noto Sans', 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";

type ECharts = typeof import('echarts');
let echartsModule: ECharts | undefined;

function echarts(): ECharts {
  // createRequire: a synchronous load, so chart functions stay synchronous and cheap to call.
  echartsModule ??= createRequire(import.meta.url)('echarts') as ECharts;
  return echartsModule;
}

export interface ChartText {
  /** Unique within the page: used for the ids of <title> and <desc>. */
  id: string;
  title: string;
  /** What the chart shows, in a sentence or two, for readers who cannot see it. */
  desc: string;
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Draw an ECharts option into an accessible, static SVG string. */
function renderSvg(option: Record<string, unknown>, width: number, height: number, text: ChartText): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT_STACK, color: '#1f2328' }, ...option });
    const svg = chart
      .renderToSVGString()
      .replace(/<style\b[\s\S]*?<\/style>/g, '')
      .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
      .replace(/ class="zr\d+-cls-\d+"/g, '')
      .replace(/ pointer-events="visible"/g, '');
    const titleId = `${text.id}-title`;
    const descId = `${text.id}-desc`;
    // The <svg> opens on its first line; title and desc must be its first children.
    return svg.replace(
      /^<svg ([^>]*)>/,
      (_m, attrs: string) =>
        `<svg ${attrs.replace(/ width="\d+" height="\d+"/, '')} class="chart" role="img" aria-labelledby="${titleId} ${descId}" preserveAspectRatio="xMinYMin meet" style="max-width:${width}px">` +
        `<title id="${titleId}">${escapeXml(text.title)}</title><desc id="${descId}">${escapeXml(text.desc)}</desc>`,
    );
  } finally {
    chart.dispose();
  }
}

/** Longer names are cut on the axis (the table beside the chart has them in full). */
function axisLabel(name: string, max = 34): string {
  return name.length <= max ? name : name.slice(0, max - 1) + '…';
}

export interface Bar {
  label: string;
  value: number;
}

/** Horizontal bars, best at the top: a level's ranking by total points. */
export function rankingBarChart(bars: readonly Bar[], maxValue: number, text: ChartText, options: { valueLabel: (v: number) => string; width?: number } = { valueLabel: String }): string {
  const width = options.width ?? 720;
  const height = Math.max(120, 26 * bars.length + 60);
  const reversed = [...bars].reverse();
  return renderSvg(
    {
      grid: { left: 250, right: 60, top: 16, bottom: 32 },
      xAxis: { type: 'value', min: 0, max: maxValue, axisLabel: { color: '#1f2328' }, splitLine: { lineStyle: { color: '#d0d7de' } } },
      yAxis: { type: 'category', data: reversed.map((b) => axisLabel(b.label)), axisLabel: { color: '#1f2328', fontSize: 12 }, axisTick: { show: false } },
      series: [
        {
          type: 'bar',
          data: reversed.map((b) => b.value),
          barMaxWidth: 18,
          itemStyle: { color: '#1f5fa8' },
          label: { show: true, position: 'right', color: '#1f2328', formatter: (p: { value: number }) => options.valueLabel(p.value) },
        },
      ],
    },
    width,
    height,
    text,
  );
}

export interface HeatCell {
  /** Column index (criterion). */
  x: number;
  /** Row index (unit or group of units). */
  y: number;
  /** Share of the maximum, 0..1; null when the criterion could not be scored. */
  share: number | null;
}

/** Units (or groups of units) × criteria, coloured by the share of each criterion's maximum reached. */
export function heatmapChart(rows: readonly string[], columns: readonly string[], cells: readonly HeatCell[], text: ChartText, options: { missingLabel: string; width?: number }): string {
  const width = options.width ?? Math.max(480, 250 + 38 * columns.length);
  const height = 26 * rows.length + 110;
  const percent = (share: number) => `${Math.round(share * 100)}`;
  return renderSvg(
    {
      grid: { left: 250, right: 20, top: 30, bottom: 70 },
      xAxis: { type: 'category', data: columns, position: 'top', axisLabel: { color: '#1f2328', interval: 0 }, axisTick: { show: false }, splitArea: { show: false } },
      yAxis: { type: 'category', data: [...rows].map((r) => axisLabel(r)), inverse: true, axisLabel: { color: '#1f2328', fontSize: 12 }, axisTick: { show: false } },
      visualMap: {
        type: 'continuous',
        min: 0,
        max: 100,
        calculable: false,
        orient: 'horizontal',
        left: 250,
        bottom: 4,
        itemHeight: 160,
        itemWidth: 12,
        text: ['100%', '0%'],
        textStyle: { color: '#1f2328' },
        // A sequential scheme readable in grey print and by colour-blind readers: light yellow → dark blue.
        inRange: { color: ['#fff5d6', '#f4c542', '#5aa469', '#1f5fa8', '#0b2e59'] },
        seriesIndex: 0,
      },
      series: [
        {
          type: 'heatmap',
          // Each cell's label in black or white, whichever reads on its colour.
          data: cells.filter((c) => c.share !== null).map((c) => ({ value: [c.x, c.y, Math.round(c.share! * 1000) / 10], label: { color: c.share! > 0.55 ? '#ffffff' : '#000000' } })),
          label: { show: columns.length <= 24, fontSize: 10, formatter: (p: { value: number[] }) => percent(p.value[2]! / 100) },
          itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
        },
        {
          // Criteria that could not be scored: hatched grey with a cross, never a colour of the scale.
          type: 'scatter',
          symbol: 'rect',
          symbolSize: [30, 20],
          data: cells.filter((c) => c.share === null).map((c) => [c.x, c.y]),
          itemStyle: { color: '#d0d7de', borderColor: '#57606a', borderWidth: 1 },
          label: { show: true, formatter: '×', color: '#1f2328', fontSize: 11 },
          name: options.missingLabel,
        },
      ],
    },
    width,
    height,
    text,
  );
}

export interface Spread {
  label: string;
  /** Shares of the maximum, in percent: the five-number summary and the mean. */
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
}

/** Per criterion, how units spread (box: quartiles, whiskers: min–max, dot: mean), in % of the criterion's maximum. */
export function spreadChart(spreads: readonly Spread[], text: ChartText, options: { meanLabel: string; width?: number }): string {
  const width = options.width ?? 720;
  const height = Math.max(140, 26 * spreads.length + 70);
  const reversed = [...spreads].reverse();
  return renderSvg(
    {
      grid: { left: 250, right: 30, top: 16, bottom: 40 },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { color: '#1f2328', formatter: '{value}%' }, splitLine: { lineStyle: { color: '#d0d7de' } } },
      yAxis: { type: 'category', data: reversed.map((s) => axisLabel(s.label)), axisLabel: { color: '#1f2328', fontSize: 12 }, axisTick: { show: false } },
      series: [
        { type: 'boxplot', data: reversed.map((s) => [s.min, s.q1, s.median, s.q3, s.max]), boxWidth: [6, 14], itemStyle: { color: '#d6e4f5', borderColor: '#1f5fa8', borderWidth: 1.5 } },
        { type: 'scatter', name: options.meanLabel, data: reversed.map((s, i) => [s.mean, i]), symbol: 'diamond', symbolSize: 9, itemStyle: { color: '#b35900' } },
      ],
    },
    width,
    height,
    text,
  );
}
