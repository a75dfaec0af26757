// A quiz's statistics per question: facility (share answered correctly) and discrimination (how
// well the question separates strong from weak attempts), as a table and an SVG chart drawn here.

import { h, s, uid } from '../../lib/dom.js';
import { t, formatNumber } from '../../lib/i18n.js';
import { query } from '../../lib/api.js';
import { href } from '../../lib/router.js';
import { pageHeader } from '../../ui/shell.js';
import { statusBadge } from './common.js';
import { plain } from './banks.js';

const STATS = `query ConsoleQuizStats($id: ID!) { quiz(id: $id) { id title status questionCount
  stats { attemptCount submittedCount averageScore questionStats { answered correct facility discrimination question { id stem type version } } } } }`;

const percent = (v) => (v === null || v === undefined ? '—' : formatNumber(v, { style: 'percent', maximumFractionDigits: 0 }));
const signed = (v) => (v === null || v === undefined ? '—' : formatNumber(v, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' }));

export default async function render(ctx) {
  const quiz = (await query(STATS, { id: ctx.params.id }, { signal: ctx.signal })).quiz;
  if (!quiz) return h('div', { class: 'page' }, pageHeader(t('quiz.missing')), h('a', { href: '#/quizzes' }, t('quiz.back')));
  const stats = quiz.stats;
  const rows = stats?.questionStats || [];
  const summary = h('dl', { class: 'facts' },
    h('dt', {}, t('stats.attempts')), h('dd', {}, formatNumber(stats?.attemptCount ?? 0)),
    h('dt', {}, t('stats.submitted')), h('dd', {}, formatNumber(stats?.submittedCount ?? 0)),
    h('dt', {}, t('stats.average')), h('dd', {}, stats?.averageScore === null || stats?.averageScore === undefined ? '—' : formatNumber(stats.averageScore, { maximumFractionDigits: 1 })));
  const table = h('div', { class: 'table-scroll' }, h('table', { class: 'table' },
    h('caption', {}, t('stats.perQuestion')),
    h('thead', {}, h('tr', {}, [t('stats.number'), t('question.stem'), t('stats.answered'), t('stats.correct'), t('stats.facility'), t('stats.discrimination')].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.length ? rows.map((r, i) => h('tr', {},
      h('td', { 'data-label': t('stats.number') }, `Q${i + 1}`),
      h('td', { 'data-label': t('question.stem') }, plain(r.question.stem, 70)),
      h('td', { 'data-label': t('stats.answered') }, formatNumber(r.answered)),
      h('td', { 'data-label': t('stats.correct') }, formatNumber(r.correct)),
      h('td', { 'data-label': t('stats.facility') }, percent(r.facility)),
      h('td', { 'data-label': t('stats.discrimination') }, signed(r.discrimination))))
      : h('tr', {}, h('td', { colspan: 6, class: 'table-empty' }, t('stats.none'))))));
  return h('div', { class: 'page' },
    pageHeader(t('stats.heading', { title: quiz.title }), statusBadge(quiz.status), h('a', { class: 'btn btn-secondary', href: href('/quizzes/:id', { id: quiz.id }) }, t('quiz.edit'))),
    h('section', { class: 'panel', 'aria-labelledby': 'stats-summary' }, h('h2', { id: 'stats-summary' }, t('stats.summary')), summary),
    rows.length ? h('section', { class: 'panel', 'aria-labelledby': 'stats-chart' }, h('h2', { id: 'stats-chart' }, t('stats.chart')), statsChart(rows)) : null,
    table,
    h('p', { class: 'muted' }, t('stats.explain')));
}

/**
 * Two bars per question on one axis from -1 to 1: facility (0..1) and discrimination (-1..1), so a
 * question that is too easy, too hard or that strong learners miss more than weak ones stands out.
 */
export function statsChart(rows) {
  const rowHeight = 34;
  const [left, right, top] = [56, 620, 28];
  const height = top + rows.length * rowHeight + 30;
  const x = (v) => left + ((v + 1) / 2) * (right - left);
  const titleId = uid('chart');
  const descId = uid('chartd');
  const svg = s('svg', { viewBox: `0 0 640 ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, class: 'chart-svg' },
    s('title', { id: titleId }, t('stats.chart')),
    s('desc', { id: descId }, t('stats.chartDesc')));
  for (const tick of [-1, -0.5, 0, 0.5, 1]) {
    svg.append(s('line', { x1: x(tick), x2: x(tick), y1: top - 6, y2: height - 24, class: tick === 0 ? 'chart-axis' : 'chart-grid' }),
      s('text', { x: x(tick), y: height - 8, 'text-anchor': 'middle', class: 'chart-tick' }, formatNumber(tick)));
  }
  rows.forEach((r, i) => {
    const y = top + i * rowHeight;
    svg.append(s('text', { x: left - 8, y: y + 17, 'text-anchor': 'end', class: 'chart-label' }, `Q${i + 1}`));
    const bar = (value, offset, cls, name, format) => {
      if (value === null || value === undefined) {
        svg.append(s('text', { x: x(0) + 4, y: y + offset + 10, class: 'chart-tick' }, `${name} —`));
        return;
      }
      const from = Math.min(x(0), x(value));
      svg.append(s('rect', { x: from, y: y + offset, width: Math.max(1, Math.abs(x(value) - x(0))), height: 12, class: cls },
        s('title', {}, `Q${i + 1} ${name}: ${format(value)}`)));
    };
    bar(r.facility, 2, 'chart-bar-facility', t('stats.facility'), percent);
    bar(r.discrimination, 16, 'chart-bar-discrimination', t('stats.discrimination'), signed);
  });
  return h('figure', { class: 'chart' }, svg,
    h('ul', { class: 'chart-legend' },
      h('li', {}, h('span', { class: 'swatch swatch-facility', 'aria-hidden': 'true' }), t('stats.facility')),
      h('li', {}, h('span', { class: 'swatch swatch-discrimination', 'aria-hidden': 'true' }), t('stats.discrimination'))),
    h('figcaption', {}, t('stats.chartCaption')));
}
