// An organization's figures over a date range with three SVG charts drawn by the console:
// learning time and completed lessons per day (per week beyond two months), and accuracy over
// time. Each chart carries its numbers as a table too (ui/chart.js). The range lives in the address.
// Below the charts, a paged table of the organization's learners with their figures over the same
// range (display names only: the API gives no id, username or role).
// Days are the organization's calendar days (Organization.timeZone): the page asks from one of
// the zone's midnights to another, with the zone's offset (docs/api-guide.md, "Time").

import { h } from '../../lib/dom.js';
import { t, formatNumber } from '../../lib/i18n.js';
import { query } from '../../lib/api.js';
import { setQuery } from '../../lib/router.js';
import { getUser, hasRole } from '../../lib/session.js';
import { pageHeader } from '../../ui/shell.js';
import { Form, button } from '../../ui/form.js';
import { barChart, lineChart } from '../../ui/chart.js';
import { pagedTable } from '../../ui/table.js';

const REPORT = `query ConsoleOrganizationReport($id: ID!, $from: DateTime, $to: DateTime) {
  organizationReport(organizationId: $id, from: $from, to: $to) {
    organization { id name }
    activeLearners learningSeconds lessonsCompleted attemptsSubmitted averageScore
    learningTrend { day learningSeconds lessonsCompleted activeLearners }
    accuracyTrend { day answered correct accuracy firstSeenAccuracy }
  }
}`;
const LEARNERS = `query ConsoleOrganizationLearners($id: ID!, $from: DateTime, $to: DateTime, $first: Int, $after: String, $last: Int, $before: String) {
  organizationReport(organizationId: $id, from: $from, to: $to) {
    learners(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { node { displayName learningSeconds lessonsCompleted attemptsSubmitted averageScore } }
    }
  }
}`;
const ORGANIZATIONS = 'query ConsoleOrganizations { organizations(first: 100) { edges { node { id name timeZone } } } }';
const DAY = 86400000;
const MAX_DAYS = 366;

const DEFAULT_ZONE = 'Asia/Shanghai';

// Calendar days are kept as UTC midnights so that adding DAY walks one calendar day.
const isoDay = (date) => date.toISOString().slice(0, 10);
const parseDay = (text) => (/^\d{4}-\d{2}-\d{2}$/.test(text || '') ? new Date(`${text}T00:00:00Z`) : null);
const pad = (n) => String(n).padStart(2, '0');

/** Minutes the zone is ahead of UTC at an instant. */
function zoneOffset(instant, timeZone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
      .formatToParts(instant)
      .map((p) => [p.type, Number(p.value)]),
  );
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  return Math.round((wall - Math.floor(instant.getTime() / 60000) * 60000) / 60000);
}

/** The instant a calendar day starts in the zone, as RFC 3339 with the zone's offset. */
function dayStart(day, timeZone) {
  const midnight = parseDay(day);
  const offset = zoneOffset(new Date(midnight.getTime() - zoneOffset(midnight, timeZone) * 60000), timeZone);
  const sign = offset < 0 ? '-' : '+';
  return `${day}T00:00:00${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** Today's date in the zone. */
const todayIn = (timeZone) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** Every day from `from` to `to` (inclusive) with the points' values, zero where none. */
function daily(from, to, points, pick) {
  const values = new Map(points.map((p) => [p.day.slice(0, 10), pick(p)]));
  const days = [];
  for (let at = from.getTime(); at <= to.getTime(); at += DAY) {
    const key = isoDay(new Date(at));
    days.push({ key, value: values.get(key) ?? 0 });
  }
  return days;
}

/** Beyond two months, one bar per week (starting on the range's first day). */
function grouped(days) {
  if (days.length <= 62) return { weekly: false, data: days.map((d) => ({ label: d.key.slice(5), value: d.value })) };
  const data = [];
  for (let i = 0; i < days.length; i += 7) {
    const week = days.slice(i, i + 7);
    data.push({ label: t('report.weekOf', { date: week[0].key.slice(5) }), value: week.reduce((sum, d) => sum + d.value, 0) });
  }
  return { weekly: true, data };
}

export default async function render({ query: params, signal }) {
  const user = getUser();
  const admin = hasRole('ADMIN');
  const organizations = admin ? (await query(ORGANIZATIONS, {}, { signal })).organizations.edges.map((e) => e.node) : [];
  const own = user.organization;
  if (!admin && !own) return h('div', { class: 'page' }, pageHeader(t('report.heading')), h('p', { class: 'notice' }, t('report.noOrganization')));

  const organizationId = params.get('organization') || own?.id || organizations[0]?.id;
  const zoneOf = (id) => organizations.find((o) => o.id === id)?.timeZone || (own?.id === id ? own.timeZone : null) || DEFAULT_ZONE;
  const today = parseDay(todayIn(zoneOf(organizationId)));
  const to = parseDay(params.get('to')) || today;
  const from = parseDay(params.get('from')) || new Date(to.getTime() - 29 * DAY);

  const form = new Form({ label: t('report.heading') });
  const organization = admin
    ? form.field('organization', { label: t('report.organization'), type: 'select', value: organizationId, options: organizations.map((o) => ({ value: o.id, label: o.name })) })
    : null;
  const fromField = form.field('from', { label: t('report.from'), type: 'date', value: isoDay(from) });
  const toField = form.field('to', { label: t('report.to'), type: 'date', value: isoDay(to) });
  const body = h('div', { class: 'report-body', 'aria-live': 'polite' });

  async function show(values) {
    const start = parseDay(values.from);
    const end = parseDay(values.to);
    if (!start || !end || start > end || (end - start) / DAY + 1 > MAX_DAYS) {
      form.showErrors([{ field: 'from', message: t('report.badRange') }]);
      return;
    }
    const id = values.organization || organizationId;
    setQuery({ organization: admin ? id : null, from: values.from, to: values.to });
    body.setAttribute('aria-busy', 'true');
    const zone = zoneOf(id);
    const period = { id, from: dayStart(values.from, zone), to: dayStart(isoDay(new Date(end.getTime() + DAY)), zone) };
    const data = await query(REPORT, period, { signal });
    body.setAttribute('aria-busy', 'false');
    body.replaceChildren(...(data.organizationReport ? [...draw(data.organizationReport, start, end), learners(period)] : [h('p', { class: 'notice' }, t('status.forbiddenText'))]));
  }

  function learners(period) {
    const minutes = (seconds) => formatNumber(Math.round(seconds / 60));
    const table = pagedTable({
      caption: t('report.learnersCaption'),
      pageSize: 50,
      empty: t('report.noLearners'),
      signal,
      columns: [
        { label: t('report.learnerName'), render: (n) => n.displayName },
        { label: t('report.learnerMinutes'), render: (n) => minutes(n.learningSeconds), className: 'num' },
        { label: t('report.lessonsCompleted'), render: (n) => formatNumber(n.lessonsCompleted), className: 'num' },
        { label: t('report.attempts'), render: (n) => formatNumber(n.attemptsSubmitted), className: 'num' },
        { label: t('report.averageScore'), render: (n) => (n.averageScore === null ? '—' : formatNumber(n.averageScore, { maximumFractionDigits: 1 })), className: 'num' },
      ],
      load: async (args, abort) => (await query(LEARNERS, { ...period, ...args }, { signal: abort })).organizationReport.learners,
    });
    return h('section', { class: 'report-learners', 'aria-labelledby': 'report-learners-heading' },
      h('h2', { id: 'report-learners-heading' }, t('report.learnersHeading')),
      h('p', { class: 'muted' }, t('report.learnersNote')),
      table.el);
  }

  function draw(report, start, end) {
    const minutes = grouped(daily(start, end, report.learningTrend, (p) => Math.round(p.learningSeconds / 60)));
    const completed = grouped(daily(start, end, report.learningTrend, (p) => p.lessonsCompleted));
    const percent = (v) => `${formatNumber(v, { maximumFractionDigits: 0 })}%`;
    const accuracy = report.accuracyTrend;
    return [
      h('h2', {}, report.organization.name),
      h('p', { class: 'muted' }, t('report.period', { from: isoDay(start), to: isoDay(end) })),
      h('dl', { class: 'figures' },
        figure(t('report.activeLearners'), formatNumber(report.activeLearners)),
        figure(t('report.learningTime'), t('report.hours', { value: formatNumber(report.learningSeconds / 3600, { maximumFractionDigits: 1 }) })),
        figure(t('report.lessonsCompleted'), formatNumber(report.lessonsCompleted)),
        figure(t('report.attempts'), formatNumber(report.attemptsSubmitted)),
        figure(t('report.averageScore'), report.averageScore === null ? '—' : formatNumber(report.averageScore, { maximumFractionDigits: 1 }))),
      h('div', { class: 'report-charts' },
        barChart({ title: t(minutes.weekly ? 'report.learningWeekChart' : 'report.learningChart'), description: t('report.learningDesc'), data: minutes.data, valueLabel: t('report.minutes') }),
        barChart({ title: t(completed.weekly ? 'report.completionWeekChart' : 'report.completionChart'), description: t('report.completionDesc'), data: completed.data, valueLabel: t('report.lessons') }),
        accuracy.length
          ? lineChart({
            title: t('report.accuracyChart'),
            description: t('report.accuracyDesc'),
            labels: accuracy.map((p) => p.day.slice(5, 10)),
            series: [
              { name: t('report.accuracy'), values: accuracy.map((p) => Math.round(p.accuracy * 100)) },
              { name: t('report.firstSeen'), values: accuracy.map((p) => (p.firstSeenAccuracy === null ? null : Math.round(p.firstSeenAccuracy * 100))) },
            ],
            max: 100,
            format: percent,
          })
          : h('figure', { class: 'chart' }, h('figcaption', {}, t('report.accuracyChart')), h('p', { class: 'muted' }, t('report.noAccuracy')))),
    ];
  }

  form.onSubmit = show;
  form.add(h('div', { class: 'toolbar' }, organization?.el, fromField.el, toField.el, h('div', { class: 'form-actions' }, button(t('report.show'), { kind: 'primary', type: 'submit' }))));
  await show(form.values());
  return h('div', { class: 'page' }, pageHeader(t('report.heading')), h('div', { class: 'panel' }, form.el), body);
}

function figure(name, value) {
  return h('div', { class: 'figure' }, h('dt', {}, name), h('dd', {}, value));
}
