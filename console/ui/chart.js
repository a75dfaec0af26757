// SVG bar and line charts drawn by the console itself: no library, nothing loaded from elsewhere.
// Each chart is a <figure> whose SVG has a title and description for screen readers, plus its
// numbers in a table under a disclosure, so no one depends on seeing the picture.

import { h, s, uid } from '../lib/dom.js';
import { t, formatNumber } from '../lib/i18n.js';

const WIDTH = 640;
const PALETTE = ['#0b5c8a', '#b34700', '#2e7d32', '#6a1b9a'];

function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= value);
  return step * power;
}

function frame({ title, description, height }) {
  const titleId = uid('chart');
  const descId = uid('chartd');
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, class: 'chart-svg', preserveAspectRatio: 'xMidYMid meet' },
    s('title', { id: titleId }, title),
    s('desc', { id: descId }, description || ''));
  return svg;
}

function dataTable(headers, rows) {
  return h('details', { class: 'chart-data' },
    h('summary', {}, t('chart.showData')),
    h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((row) => h('tr', {}, row.map((cell) => h('td', {}, cell)))))));
}

function yAxis(svg, { top, bottom, left, right, max, format, ticks = 4 }) {
  for (let i = 0; i <= ticks; i += 1) {
    const value = (max * i) / ticks;
    const y = bottom - ((bottom - top) * i) / ticks;
    svg.append(
      s('line', { x1: left, x2: right, y1: y, y2: y, class: i === 0 ? 'chart-axis' : 'chart-grid' }),
      s('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'chart-tick' }, format(value)),
    );
  }
}

/** barChart({title, description, data: [{label, value}], max, format}) — one bar per item; many bars label every few. */
export function barChart({ title, description = '', data, max = null, format = (v) => formatNumber(v), valueLabel = '' }) {
  const height = 260;
  const [top, bottom, left, right] = [16, height - 56, 56, WIDTH - 12];
  const svg = frame({ title, description, height });
  const top_ = max ?? niceMax(Math.max(0, ...data.map((d) => d.value ?? 0)));
  yAxis(svg, { top, bottom, left, right, max: top_, format });
  const slot = (right - left) / Math.max(data.length, 1);
  const barWidth = Math.max(4, Math.min(48, slot * 0.6));
  const every = Math.max(1, Math.ceil(48 / slot)); // room for about five characters under a label
  data.forEach((d, i) => {
    const value = Math.max(0, d.value ?? 0);
    const barHeight = ((bottom - top) * value) / top_;
    const x = left + slot * i + (slot - barWidth) / 2;
    svg.append(s('rect', { x, y: bottom - barHeight, width: barWidth, height: Math.max(barHeight, d.value === null ? 0 : 1), class: 'chart-bar', fill: d.color || PALETTE[0] },
      s('title', {}, `${d.label}: ${d.value === null || d.value === undefined ? '—' : format(d.value)}`)));
    if (i % every === 0) svg.append(s('text', { x: x + barWidth / 2, y: bottom + 16, 'text-anchor': 'middle', class: 'chart-label' }, shorten(d.label, slot * every)));
  });
  return h('figure', { class: 'chart' }, svg, h('figcaption', {}, title),
    dataTable([t('chart.item'), valueLabel || t('chart.value')], data.map((d) => [d.label, d.value === null || d.value === undefined ? '—' : format(d.value)])));
}

/** lineChart({title, description, labels: [x labels], series: [{name, values: [y|null]}], max, format}) */
export function lineChart({ title, description = '', labels, series, max = null, format = (v) => formatNumber(v) }) {
  const height = 280;
  const [top, bottom, left, right] = [16, height - 64, 56, WIDTH - 12];
  const svg = frame({ title, description, height });
  const all = series.flatMap((x) => x.values).filter((v) => v !== null && v !== undefined);
  const top_ = max ?? niceMax(Math.max(0, ...all));
  yAxis(svg, { top, bottom, left, right, max: top_, format });
  const step = labels.length > 1 ? (right - left) / (labels.length - 1) : 0;
  const xAt = (i) => (labels.length > 1 ? left + step * i : (left + right) / 2);
  const yAt = (v) => bottom - ((bottom - top) * v) / top_;
  const every = Math.max(1, Math.ceil(labels.length / 8));
  labels.forEach((label, i) => {
    if (i % every === 0) svg.append(s('text', { x: xAt(i), y: bottom + 16, 'text-anchor': 'middle', class: 'chart-label' }, label));
  });
  series.forEach((line, n) => {
    const color = line.color || PALETTE[n % PALETTE.length];
    let path = '';
    line.values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      path += `${path && line.values[i - 1] !== null && line.values[i - 1] !== undefined ? 'L' : 'M'}${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`;
    });
    svg.append(s('path', { d: path, fill: 'none', stroke: color, 'stroke-width': 2.5, class: 'chart-line' }));
    line.values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      svg.append(s('circle', { cx: xAt(i), cy: yAt(v), r: 3.5, fill: color }, s('title', {}, `${line.name} ${labels[i]}: ${format(v)}`)));
    });
  });
  const legend = series.length > 1
    ? h('ul', { class: 'chart-legend' }, series.map((line, n) => h('li', {}, h('span', { class: 'swatch', style: { background: line.color || PALETTE[n % PALETTE.length] }, 'aria-hidden': 'true' }), line.name)))
    : null;
  return h('figure', { class: 'chart' }, svg, legend, h('figcaption', {}, title),
    dataTable([t('chart.item'), ...series.map((x) => x.name)], labels.map((label, i) => [label, ...series.map((x) => (x.values[i] === null || x.values[i] === undefined ? '—' : format(x.values[i])))])));
}

function shorten(label, width) {
  const max = Math.max(2, Math.floor(width / 9));
  const text = String(label);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
