// The help plan beside a thread: the expert edits the goals, the measures (each with a due date
// and done mark) and the next follow-up, and saves a new revision; every earlier revision stays
// readable in the history below.

import { h } from '../../lib/dom.js';
import { t, formatDateTime } from '../../lib/i18n.js';
import { mutate } from '../../lib/api.js';
import { Form, Field, button } from '../../ui/form.js';
import { toast } from '../../ui/toast.js';

const PLAN = 'revision goals measures { description dueAt done } followUpAt updatedAt';
const SAVE = `mutation ConsoleSaveHelpPlan($input: HelpPlanInput!) {
  saveHelpPlan(input: $input) { consultation { id helpPlan { ${PLAN} } helpPlanHistory { ${PLAN} } } errors { field message code } }
}`;

export function helpPlanPanel({ consultationId, consultation }) {
  const form = new Form({ label: t('plan.heading') });
  const goals = form.field('goals', { label: t('plan.goals'), type: 'textarea', rows: 3, value: consultation.helpPlan?.goals || '' });
  const followUp = form.field('followUpAt', { label: t('plan.followUp'), type: 'datetime', value: consultation.helpPlan?.followUpAt || null });
  const measuresBox = h('ol', { class: 'measures' });
  const history = h('div', { class: 'plan-history' });
  const revisionNote = h('p', { class: 'muted' });
  let rows = [];

  function measureRow(measure) {
    const row = {
      description: new Field('description', { label: '', type: 'text', value: measure?.description || '' }),
      due: new Field('dueAt', { label: t('plan.due'), type: 'datetime', value: measure?.dueAt || null }),
      done: new Field('done', { label: t('plan.done'), type: 'checkbox', value: Boolean(measure?.done) }),
    };
    row.remove = button('', { kind: 'link', onClick: () => { rows = rows.filter((r) => r !== row); drawMeasures(); } });
    return row;
  }

  function drawMeasures() {
    rows.forEach((row, index) => {
      const n = index + 1;
      row.description.el.querySelector('label').textContent = t('plan.measure', { n });
      row.remove.textContent = t('plan.removeMeasure', { n });
      form.addTarget(`measures.${index}.description`, row.description);
      form.addTarget(`measures.${index}`, row.description);
    });
    measuresBox.replaceChildren(...rows.map((row) => h('li', { class: 'measure' }, row.description.el, h('div', { class: 'measure-row' }, row.due.el, row.done.el, row.remove))));
  }

  function drawHistory(revisions) {
    const newest = [...revisions].reverse();
    // A live update redraws the history while someone may be reading an earlier revision: what they
    // opened stays open.
    const opened = new Set([...history.querySelectorAll('details[open]')].map((el) => el.dataset.revision));
    history.replaceChildren(
      h('h3', {}, t('plan.history')),
      newest.length ? h('ul', { class: 'plan-revisions' }, newest.map((plan, index) => h('li', {},
        h('details', { dataset: { revision: String(plan.revision) }, open: opened.has(String(plan.revision)) },
          h('summary', {}, t('plan.revisionAt', { revision: plan.revision, when: formatDateTime(plan.updatedAt) }), index === 0 ? ` (${t('plan.current')})` : ''),
          h('p', { class: 'message-body' }, plan.goals),
          plan.measures.length ? h('ul', {}, plan.measures.map((m) => h('li', {}, m.done ? '☑ ' : '☐ ', m.description, m.dueAt ? ` — ${formatDateTime(m.dueAt)}` : ''))) : null,
          plan.followUpAt ? h('p', { class: 'muted' }, t('plan.followUp'), '：', formatDateTime(plan.followUpAt)) : null)))) : h('p', { class: 'muted' }, t('plan.none')));
  }

  function load(source) {
    const plan = source.helpPlan;
    goals.value = plan?.goals || '';
    followUp.value = plan?.followUpAt || null;
    rows = (plan?.measures || []).map(measureRow);
    drawMeasures();
    drawHistory(source.helpPlanHistory || []);
    revisionNote.textContent = plan ? t('plan.revisionAt', { revision: plan.revision, when: formatDateTime(plan.updatedAt) }) : t('plan.none');
  }

  form.onSubmit = async () => {
    const payload = await mutate(SAVE, {
      input: {
        consultationId,
        goals: goals.value,
        followUpAt: followUp.value,
        measures: rows.map((row) => ({ description: row.description.value, dueAt: row.due.value, done: row.done.value })),
      },
    });
    load(payload.consultation);
    toast(t('plan.saved', { revision: payload.consultation.helpPlan.revision }));
  };

  form.add(revisionNote, goals.el,
    h('fieldset', { class: 'field' }, h('legend', {}, t('plan.measures')), measuresBox,
      button(t('plan.addMeasure'), { onClick: () => { rows.push(measureRow(null)); drawMeasures(); rows[rows.length - 1].description.focus(); } })),
    followUp.el,
    h('div', { class: 'form-actions' }, button(t('plan.save'), { kind: 'primary', type: 'submit' })));
  load(consultation);
  const el = h('section', { class: 'panel', 'aria-labelledby': 'plan-title' }, h('h2', { id: 'plan-title' }, t('plan.heading')), form.el, history);
  let lastRevision = consultation.helpPlan?.revision || 0;
  return {
    el,
    /** A newer revision saved elsewhere: show it (what is being typed here is left alone otherwise). */
    update(source) {
      const revision = source.helpPlan?.revision || 0;
      drawHistory(source.helpPlanHistory || []);
      if (revision !== lastRevision && !form.el.contains(document.activeElement)) load(source);
      lastRevision = revision;
    },
  };
}
