// Visits beside a thread: request one, schedule (or move) it, mark it done, cancel it.

import { h } from '../../lib/dom.js';
import { t, formatDateTime } from '../../lib/i18n.js';
import { mutate } from '../../lib/api.js';
import { Form, button } from '../../ui/form.js';
import { openDialog, confirmDialog } from '../../ui/dialog.js';
import { toast } from '../../ui/toast.js';
import { visitBadge } from './common.js';

const VISIT = 'id status scheduledAt location note';
const REQUEST = `mutation ConsoleRequestVisit($input: VisitInput!) { requestVisit(input: $input) { visit { ${VISIT} } errors { field message code } } }`;
const SCHEDULE = `mutation ConsoleScheduleVisit($id: ID!, $at: DateTime!, $location: String!) {
  scheduleVisit(visitId: $id, scheduledAt: $at, location: $location) { visit { ${VISIT} } errors { field message code } }
}`;
const COMPLETE = `mutation ConsoleCompleteVisit($id: ID!) { completeVisit(visitId: $id) { visit { ${VISIT} } errors { field message code } } }`;
const CANCEL = `mutation ConsoleCancelVisit($id: ID!) { cancelVisit(visitId: $id) { visit { ${VISIT} } errors { field message code } } }`;

export function visitsPanel({ consultationId, visits, onChange }) {
  const listEl = h('ul', { class: 'visits' });

  function draw(items) {
    listEl.replaceChildren(...(items.length ? items.map((visit) => h('li', { class: 'visit' },
      h('div', {}, visitBadge(visit.status), ' ', visit.scheduledAt ? formatDateTime(visit.scheduledAt) : t('visits.unscheduled'), visit.location ? ` · ${visit.location}` : ''),
      visit.note ? h('p', { class: 'muted' }, visit.note) : null,
      ['REQUESTED', 'SCHEDULED'].includes(visit.status) ? h('div', { class: 'form-actions' },
        button(visit.status === 'REQUESTED' ? t('visits.schedule') : t('visits.reschedule'), { onClick: () => schedule(visit) }),
        visit.status === 'SCHEDULED' ? button(t('visits.complete'), { onClick: () => act(COMPLETE, visit, 'visits.completed') }) : null,
        button(t('visits.cancel'), { kind: 'danger', onClick: () => cancel(visit) })) : null)) : [h('li', { class: 'muted' }, t('visits.none'))]));
  }

  async function act(document, visit, done) {
    try {
      await mutate(document, { id: visit.id });
      toast(t(done));
      await onChange();
    } catch (error) {
      toast(error.message || t('form.failed'), { kind: 'error' });
    }
  }

  async function cancel(visit) {
    if (await confirmDialog({ title: t('visits.cancel'), message: t('visits.cancelConfirm'), danger: true })) await act(CANCEL, visit, 'visits.cancelled');
  }

  function schedule(visit) {
    const form = new Form({ label: t('visits.scheduleTitle') });
    const when = form.field('scheduledAt', { label: t('visits.when'), type: 'datetime', value: visit.scheduledAt, required: true });
    const where = form.field('location', { label: t('visits.where'), value: visit.location || '', required: true });
    let dialog = null;
    form.onSubmit = async (values) => {
      await mutate(SCHEDULE, { id: visit.id, at: values.scheduledAt, location: values.location });
      dialog.close();
      toast(t('visits.scheduled'));
      await onChange();
    };
    form.add(when.el, where.el, h('div', { class: 'form-actions' }, button(t('visits.schedule'), { kind: 'primary', type: 'submit' }), button(t('common.cancel'), { onClick: () => dialog.close() })));
    dialog = openDialog({ title: t('visits.scheduleTitle'), content: form.el });
    when.focus();
  }

  const form = new Form({ label: t('visits.request') });
  const when = form.field('scheduledAt', { label: t('visits.when'), type: 'datetime' });
  const where = form.field('location', { label: t('visits.where') });
  const note = form.field('note', { label: t('visits.note'), type: 'textarea', rows: 2 });
  form.onSubmit = async (values) => {
    await mutate(REQUEST, { input: { consultationId, scheduledAt: values.scheduledAt, location: values.location || null, note: values.note || null } });
    when.value = null; where.value = ''; note.value = '';
    toast(t('visits.requested'));
    await onChange();
  };
  form.add(when.el, where.el, note.el, h('div', { class: 'form-actions' }, button(t('visits.request'), { type: 'submit' })));
  draw(visits);
  return {
    el: h('section', { class: 'panel', 'aria-labelledby': 'visits-title' }, h('h2', { id: 'visits-title' }, t('visits.heading')), listEl,
      h('details', { class: 'visit-request' }, h('summary', {}, t('visits.request')), form.el)),
    update: draw,
  };
}
