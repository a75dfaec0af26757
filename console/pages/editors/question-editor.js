// Writing a question of any of the six types, with a preview as the learner will see it (the stem
// rendered by the server's sanitiser, the options in the controls an attempt shows). Saving a
// question that attempts already hold stores a new version (docs/quizzes.md): the page says so and
// moves to it.

import { h, uid } from '../../lib/dom.js';
import { t, label } from '../../lib/i18n.js';
import { query, mutate } from '../../lib/api.js';
import { href, navigate } from '../../lib/router.js';
import { pageHeader } from '../../ui/shell.js';
import { Form, Field, button, errorTarget } from '../../ui/form.js';
import { toast } from '../../ui/toast.js';
import { confirmDialog } from '../../ui/dialog.js';
import { markdownPreview } from '../../ui/markdown.js';
import { AUDIENCES, options as enumOptions } from './common.js';
import { splitTags } from './content-editor.js';

export const TYPES = ['SINGLE_CHOICE', 'MULTIPLE_CHOICE', 'TRUE_FALSE', 'FILL_IN_BLANK', 'MATCHING', 'ORDERING'];
const DIFFICULTIES = ['EASY', 'MEDIUM', 'HARD'];
const QUESTION = `query ConsoleQuestion($id: ID!) { node(id: $id) { ... on Question { id type stem difficulty audiences version retiredAt previousVersionId
  authoring { options { text correct feedback } matchTargets acceptedAnswers explanation tags mediaIds } } } }`;
const BANK = 'query ConsoleQuestionBank($id: ID!) { node(id: $id) { ... on QuestionBank { id name } } }';
const CREATE = 'mutation ConsoleCreateQuestion($input: QuestionInput!) { createQuestion(input: $input) { question { id } errors { field message code } } }';
const UPDATE = 'mutation ConsoleUpdateQuestion($id: ID!, $input: QuestionUpdateInput!) { updateQuestion(id: $id, input: $input) { question { id version } errors { field message code } } }';
const RETIRE = 'mutation ConsoleRetireQuestion($id: ID!) { retireQuestion(id: $id) { question { id } errors { field message code } } }';

function blankOptions(type) {
  if (type === 'TRUE_FALSE') return [{ text: t('question.true'), correct: true, feedback: '' }, { text: t('question.false'), correct: false, feedback: '' }];
  return [{ text: '', correct: false, feedback: '' }, { text: '', correct: false, feedback: '' }];
}

export default async function render(ctx) {
  const isNew = ctx.params.id === 'new';
  const bank = (await query(BANK, { id: ctx.params.bank }, { signal: ctx.signal })).node;
  const question = isNew ? null : (await query(QUESTION, { id: ctx.params.id }, { signal: ctx.signal })).node;
  if (!bank || (!isNew && !question)) return h('div', { class: 'page' }, pageHeader(t('question.missing')), h('a', { href: '#/banks' }, t('banks.back')));
  const authored = question?.authoring;
  let type = question?.type || 'SINGLE_CHOICE';
  let rows = authored ? authored.options.map((o, i) => ({ ...o, feedback: o.feedback || '', target: authored.matchTargets[i] || '' })) : blankOptions(type);

  const form = new Form({ label: t('question.formLabel') });
  const typeField = form.field('type', { label: t('question.type'), type: 'select', value: type, options: TYPES.map((x) => ({ value: x, label: label('questionType', x) })), attrs: { 'data-autofocus': isNew ? true : null } });
  const stem = form.field('stem', { label: t('question.stem'), type: 'textarea', rows: 4, required: true, value: question?.stem || '', help: t('question.stemHelp') });
  const accepted = form.field('acceptedAnswers', { label: t('question.accepted'), type: 'textarea', rows: 3, value: (authored?.acceptedAnswers || []).join('\n'), help: t('question.acceptedHelp') });
  const explanation = form.field('explanation', { label: t('question.explanation'), type: 'textarea', rows: 3, value: authored?.explanation || '' });
  const difficulty = form.field('difficulty', { label: t('question.difficulty'), type: 'select', value: question?.difficulty || '', options: [{ value: '', label: t('common.none') }, ...DIFFICULTIES.map((d) => ({ value: d, label: label('difficulty', d) }))] });
  const audiences = form.field('audiences', { label: t('content.audience'), type: 'checkboxes', value: question?.audiences || [], options: enumOptions('audience', AUDIENCES) });
  const tags = form.field('tags', { label: t('editor.tags'), value: (authored?.tags || []).join('，'), help: t('editor.tagsHelp') });

  const rowsBox = h('div', { class: 'option-rows' });
  const rowsHeading = h('h3', { class: 'subheading', id: uid('opts') });
  const addRow = button(t('question.addOption'), { onClick: () => { rows.push({ text: '', correct: false, feedback: '', target: '' }); drawRows(); refreshPreview(); } });
  const optionsError = errorTarget(addRow, h('div'));
  form.addTarget('options', optionsError);
  form.addTarget('matchTargets', optionsError);
  const optionsPanel = h('div', { class: 'panel', role: 'group', 'aria-labelledby': rowsHeading.id }, rowsHeading, rowsBox, addRow, optionsError.el);

  function drawRows() {
    const choice = ['SINGLE_CHOICE', 'MULTIPLE_CHOICE', 'TRUE_FALSE'].includes(type);
    optionsPanel.hidden = type === 'FILL_IN_BLANK';
    accepted.el.hidden = type !== 'FILL_IN_BLANK';
    addRow.hidden = type === 'TRUE_FALSE';
    rowsHeading.textContent = t(type === 'MATCHING' ? 'question.pairs' : type === 'ORDERING' ? 'question.items' : 'question.options');
    rowsBox.replaceChildren(...rows.map((row, i) => {
      const n = i + 1;
      const text = new Field(`options.${i}`, { label: type === 'MATCHING' ? t('question.left', { n }) : type === 'ORDERING' ? t('question.item', { n }) : t('question.option', { n }), value: row.text });
      text.input.addEventListener('input', () => { row.text = text.value; refreshPreview(); });
      form.addTarget(`options.${i}`, text);
      const parts = [text.el];
      if (type === 'MATCHING') {
        const target = new Field(`matchTargets.${i}`, { label: t('question.right', { n }), value: row.target });
        target.input.addEventListener('input', () => { row.target = target.value; refreshPreview(); });
        form.addTarget(`matchTargets.${i}`, target);
        parts.push(target.el);
      } else if (choice) {
        const feedback = new Field(`feedback.${i}`, { label: t('question.feedback', { n }), value: row.feedback });
        feedback.input.addEventListener('input', () => { row.feedback = feedback.value; });
        parts.push(feedback.el);
      }
      if (choice) {
        const correct = new Field(`correct.${i}`, { label: t('question.correct', { n }), type: 'checkbox', value: row.correct });
        correct.input.addEventListener('change', () => {
          if (type !== 'MULTIPLE_CHOICE' && correct.value) rows.forEach((r) => { r.correct = false; });
          row.correct = correct.value;
          drawRows();
          refreshPreview();
        });
        parts.push(correct.el);
      } else if (type === 'ORDERING') {
        parts.push(h('div', { class: 'row-actions' },
          button(t('common.up'), { attrs: { class: 'btn btn-secondary btn-small', disabled: i === 0, 'aria-label': t('question.moveUp', { n }) }, onClick: () => { [rows[i - 1], rows[i]] = [rows[i], rows[i - 1]]; drawRows(); refreshPreview(); } }),
          button(t('common.down'), { attrs: { class: 'btn btn-secondary btn-small', disabled: i === rows.length - 1, 'aria-label': t('question.moveDown', { n }) }, onClick: () => { [rows[i + 1], rows[i]] = [rows[i], rows[i + 1]]; drawRows(); refreshPreview(); } })));
      } else {
        parts.push(h('span'));
      }
      parts.push(type === 'TRUE_FALSE' ? h('span') : button(t('common.remove'), { attrs: { class: 'btn btn-secondary btn-small', disabled: rows.length <= 2, 'aria-label': t('question.removeOption', { n }) }, onClick: () => { rows.splice(i, 1); drawRows(); refreshPreview(); } }));
      return h('div', { class: 'option-row' }, parts);
    }));
  }

  typeField.input.addEventListener('change', () => {
    const was = type;
    type = typeField.value;
    if (type === 'TRUE_FALSE' || was === 'TRUE_FALSE') rows = blankOptions(type);
    if (type !== 'MULTIPLE_CHOICE' && rows.filter((r) => r.correct).length > 1) rows.forEach((r, i) => { r.correct = i === rows.findIndex((x) => x.correct); });
    drawRows();
    refreshPreview();
  });

  // The learner's view: the stem as the server renders it and the options in an attempt's controls.
  const learnerBox = h('div', { class: 'question-answer' });
  const stemPreview = markdownPreview(stem.input, { label: t('question.preview'), signal: ctx.signal });
  stemPreview.el.append(learnerBox);
  function refreshPreview() {
    const name = uid('answer');
    const legend = h('legend', { class: 'visually-hidden' }, t('question.answer'));
    const shown = rows.filter((r) => r.text.trim());
    if (type === 'SINGLE_CHOICE' || type === 'TRUE_FALSE' || type === 'MULTIPLE_CHOICE') {
      const kind = type === 'MULTIPLE_CHOICE' ? 'checkbox' : 'radio';
      learnerBox.replaceChildren(h('fieldset', {}, legend, shown.map((r) => h('label', { class: 'check' }, h('input', { type: kind, name }), ' ', r.text))));
    } else if (type === 'FILL_IN_BLANK') {
      const id = uid('fill');
      learnerBox.replaceChildren(h('div', { class: 'field' }, h('label', { for: id }, t('question.answer')), h('input', { id, type: 'text' })));
    } else if (type === 'MATCHING') {
      // Targets appear in an order that is not the key's (here: reversed, as shuffling would).
      const targets = shown.map((r) => r.target).filter(Boolean).reverse();
      learnerBox.replaceChildren(h('div', {}, shown.map((r) => {
        const id = uid('match');
        return h('div', { class: 'field' }, h('label', { for: id }, r.text), h('select', { id }, h('option', { value: '' }, t('question.pick')), targets.map((x) => h('option', {}, x))));
      })));
    } else {
      const items = [...shown].reverse();
      learnerBox.replaceChildren(h('p', { class: 'muted' }, t('question.orderHint')), h('ol', {}, items.map((r) => h('li', {}, r.text))));
    }
  }
  drawRows();
  refreshPreview();

  function input() {
    const spec = {
      type,
      stem: stem.value,
      explanation: explanation.value.trim() || null,
      difficulty: difficulty.value || null,
      audiences: audiences.value,
      tags: splitTags(tags.value),
      mediaIds: authored?.mediaIds || [],
    };
    if (type === 'FILL_IN_BLANK') spec.acceptedAnswers = accepted.value.split('\n').map((x) => x.trim()).filter(Boolean);
    else spec.options = rows.map((r) => ({ text: r.text, correct: ['MATCHING', 'ORDERING'].includes(type) ? null : Boolean(r.correct), feedback: r.feedback?.trim() || null }));
    if (type === 'MATCHING') spec.matchTargets = rows.map((r) => r.target);
    return spec;
  }
  form.onSubmit = async () => {
    if (isNew) {
      const payload = await mutate(CREATE, { input: { bankId: bank.id, ...input() } });
      toast(t('common.saved'));
      navigate(href('/banks/:bank/questions/:id', { bank: bank.id, id: payload.question.id }).slice(1), { replace: true });
      return;
    }
    const payload = await mutate(UPDATE, { id: question.id, input: input() });
    if (payload.question.id !== question.id) toast(t('question.newVersion', { version: payload.question.version }), { timeout: 10000 });
    else toast(t('question.saved', { version: payload.question.version }));
    navigate(href('/banks/:bank/questions/:id', { bank: bank.id, id: payload.question.id }).slice(1), { replace: true });
  };
  const retire = question && !question.retiredAt ? button(t('question.retire'), {
    kind: 'danger',
    onClick: async () => {
      if (!(await confirmDialog({ title: t('question.retire'), message: t('question.retireConfirm'), danger: true }))) return;
      await form.run(async () => {
        await mutate(RETIRE, { id: question.id });
        toast(t('question.retired'));
        navigate(href('/banks/:id', { id: bank.id }).slice(1));
      });
    },
  }) : null;
  form.add(
    h('div', { class: 'panel' }, h('div', { class: 'grid-2' }, typeField.el, difficulty.el), stem.el, accepted.el),
    optionsPanel,
    h('div', { class: 'panel' }, explanation.el, audiences.el, tags.el),
    h('div', { class: 'form-actions sticky-actions' }, button(t('common.save'), { kind: 'primary', type: 'submit' }), retire,
      h('a', { class: 'btn btn-secondary', href: href('/banks/:id', { id: bank.id }) }, t('question.backToBank', { name: bank.name }))),
  );
  const notices = [];
  if (question?.retiredAt) notices.push(h('p', { class: 'notice notice-warning' }, t('question.isRetired')));
  else if (question) notices.push(h('p', { class: 'notice' }, t('question.versionRule', { version: question.version })));
  return h('div', { class: 'page' },
    pageHeader(isNew ? t('question.new') : t('question.edit'), h('span', { class: 'muted' }, bank.name)),
    notices,
    h('div', { class: 'split' }, form.el, h('aside', { class: 'source-panel', 'aria-label': t('question.preview') }, stemPreview.el)));
}
