// Question banks: the list with a form to create one; one bank with its questions (paged), rename,
// import of GIFT or Moodle XML (each skipped question listed with its reason) and export.

import { h } from '../../lib/dom.js';
import { t, label, formatNumber } from '../../lib/i18n.js';
import { query, mutate, upload } from '../../lib/api.js';
import { href, navigate, setQuery } from '../../lib/router.js';
import { pageHeader } from '../../ui/shell.js';
import { Form, button } from '../../ui/form.js';
import { pagedTable } from '../../ui/table.js';
import { toast } from '../../ui/toast.js';
import { confirmDialog } from '../../ui/dialog.js';
import { PAGE_INFO } from './common.js';

const BANKS = `query ConsoleBanks($first: Int, $after: String, $last: Int, $before: String) {
  questionBankLibrary(first: $first, after: $after, last: $last, before: $before) { ${PAGE_INFO} edges { node { id name description questionCount } } }
}`;
const CREATE = 'mutation ConsoleCreateBank($input: QuestionBankInput!) { createQuestionBank(input: $input) { bank { id } errors { field message code } } }';
const BANK = 'query ConsoleBank($id: ID!) { node(id: $id) { ... on QuestionBank { id name description questionCount } } }';
const QUESTIONS = `query ConsoleBankQuestions($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { node(id: $id) { ... on QuestionBank {
  questions(first: $first, after: $after, last: $last, before: $before) { ${PAGE_INFO} edges { node { id type stem version difficulty tags { name } } } } } } }`;
const UPDATE = 'mutation ConsoleUpdateBank($id: ID!, $input: QuestionBankInput!) { updateQuestionBank(id: $id, input: $input) { bank { id } errors { field message code } } }';
const IMPORT = `mutation ConsoleImport($input: ImportQuestionsInput!) {
  importQuestions(input: $input) { importedCount questions { id stem type } errors { field message code } notes }
}`;
const EXPORT = 'query ConsoleExport($id: ID!, $format: QuestionFormat!) { node(id: $id) { ... on QuestionBank { name export(format: $format) } } }';
const RETIRE = 'mutation ConsoleRetire($id: ID!) { retireQuestion(id: $id) { question { id } errors { field message code } } }';

export const FORMATS = [{ value: 'GIFT', label: 'GIFT' }, { value: 'MOODLE_XML', label: 'Moodle XML' }];

export function plain(markdown, max = 80) {
  const text = String(markdown || '').replace(/[#*_`>[\]()!]/g, '').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export async function renderList(ctx) {
  const table = pagedTable({
    caption: t('banks.list'),
    signal: ctx.signal,
    state: { after: ctx.query.get('after'), page: ctx.query.get('page') },
    onPage: (state) => setQuery(state),
    columns: [
      { label: t('banks.name'), render: (b) => h('a', { href: href('/banks/:id', { id: b.id }) }, b.name) },
      { label: t('banks.count'), render: (b) => formatNumber(b.questionCount) },
      { label: t('banks.description'), render: (b) => b.description || '—' },
    ],
    load: async (page, signal) => (await query(BANKS, page, { signal })).questionBankLibrary,
  });
  const form = new Form({ label: t('banks.create') });
  const name = form.field('name', { label: t('banks.name'), required: true, attrs: { maxlength: 200 } });
  const description = form.field('description', { label: t('banks.description') });
  form.onSubmit = async () => {
    const payload = await mutate(CREATE, { input: { name: name.value, description: description.value || null } });
    toast(t('common.saved'));
    navigate(href('/banks/:id', { id: payload.bank.id }).slice(1));
  };
  form.add(h('div', { class: 'grid-2' }, name.el, description.el), h('div', { class: 'form-actions' }, button(t('banks.create'), { kind: 'primary', type: 'submit' })));
  return h('div', { class: 'page' },
    pageHeader(t('banks.heading')),
    h('section', { class: 'panel', 'aria-labelledby': 'bank-create' }, h('h2', { id: 'bank-create' }, t('banks.create')), form.el),
    table.el);
}

export default async function render(ctx) {
  if (!ctx.params.id) return renderList(ctx);
  const bank = (await query(BANK, { id: ctx.params.id }, { signal: ctx.signal })).node;
  if (!bank) return h('div', { class: 'page' }, pageHeader(t('banks.missing')), h('a', { href: '#/banks' }, t('banks.back')));

  const table = pagedTable({
    caption: t('banks.questions', { count: formatNumber(bank.questionCount) }),
    signal: ctx.signal,
    state: { after: ctx.query.get('after'), page: ctx.query.get('page') },
    onPage: (state) => setQuery(state),
    columns: [
      { label: t('question.stem'), render: (q) => h('a', { href: href('/banks/:bank/questions/:id', { bank: bank.id, id: q.id }) }, plain(q.stem) || t('question.untitled')) },
      { label: t('question.type'), render: (q) => label('questionType', q.type) },
      { label: t('question.version'), render: (q) => `v${q.version}` },
      { label: t('question.tags'), render: (q) => q.tags.map((x) => x.name).join('、') || '—' },
      { label: t('common.actions'), render: (q) => button(t('question.retire'), {
        attrs: { class: 'btn btn-secondary btn-small', 'aria-label': `${t('question.retire')}：${plain(q.stem, 30)}` },
        onClick: async () => {
          if (!(await confirmDialog({ title: t('question.retire'), message: t('question.retireConfirm'), danger: true }))) return;
          try {
            await mutate(RETIRE, { id: q.id });
            toast(t('question.retired'));
            table.refresh();
          } catch (error) {
            toast(error.message, { kind: 'error', timeout: 10000 });
          }
        },
      }) },
    ],
    load: async (page, signal) => (await query(QUESTIONS, { id: bank.id, ...page }, { signal })).node.questions,
  });

  const rename = new Form({ label: t('banks.rename') });
  const name = rename.field('name', { label: t('banks.name'), required: true, value: bank.name });
  const description = rename.field('description', { label: t('banks.description'), value: bank.description || '' });
  rename.onSubmit = async () => {
    await mutate(UPDATE, { id: bank.id, input: { name: name.value, description: description.value || null } });
    toast(t('common.saved'));
  };
  rename.add(h('div', { class: 'grid-2' }, name.el, description.el), h('div', { class: 'form-actions' }, button(t('common.save'), { kind: 'secondary', type: 'submit' })));

  return h('div', { class: 'page' },
    pageHeader(bank.name,
      h('a', { class: 'btn btn-primary', href: href('/banks/:bank/questions/:id', { bank: bank.id, id: 'new' }) }, t('question.new')),
      h('a', { class: 'btn btn-secondary', href: '#/banks' }, t('banks.back'))),
    h('div', { class: 'split' }, importPanel(bank, () => table.reload()), exportPanel(bank)),
    table.el,
    h('details', { class: 'panel' }, h('summary', {}, t('banks.rename')), rename.el));
}

function importPanel(bank, onImported) {
  const form = new Form({ label: t('banks.import') });
  const format = form.field('format', { label: t('banks.importFormat'), type: 'select', options: FORMATS, value: 'GIFT' });
  const file = form.field('file', { label: t('banks.file'), type: 'file', required: true, attrs: { accept: '.gift,.txt,.xml' } });
  const result = h('div', { class: 'import-result', 'aria-live': 'polite' });
  form.onSubmit = async () => {
    const chosen = file.value?.[0];
    if (!chosen) { file.setError(t('media.pickFile')); file.focus(); return; }
    const payload = await upload(IMPORT, { input: { bankId: bank.id, format: format.value, file: null } }, { 'variables.input.file': chosen }, { check: false });
    result.replaceChildren(
      h('p', { class: payload.errors.length ? 'notice notice-warning' : 'notice notice-ok' }, t('banks.imported', { count: formatNumber(payload.importedCount), skipped: formatNumber(payload.errors.length) })),
      payload.errors.length ? h('div', {}, h('h3', { class: 'subheading' }, t('banks.skipped')),
        h('ul', { class: 'skipped-list' }, payload.errors.map((e) => h('li', {}, h('span', { class: 'badge badge-warn' }, label('importCode', e.code)), ' ', e.message)))) : null,
      payload.notes.length ? h('div', {}, h('h3', { class: 'subheading' }, t('banks.notes')), h('ul', {}, payload.notes.map((n) => h('li', {}, n)))) : null);
    if (payload.importedCount) onImported();
  };
  form.add(format.el, file.el, h('div', { class: 'form-actions' }, button(t('banks.importButton'), { kind: 'primary', type: 'submit' })), result);
  return h('section', { class: 'panel', 'aria-labelledby': 'bank-import' }, h('h2', { id: 'bank-import' }, t('banks.import')), form.el);
}

function exportPanel(bank) {
  const form = new Form({ label: t('banks.export') });
  const format = form.field('exportFormat', { label: t('banks.exportFormat'), type: 'select', options: FORMATS, value: 'MOODLE_XML', help: t('banks.exportHelp') });
  const link = h('p', { 'aria-live': 'polite' });
  form.onSubmit = async () => {
    const data = await query(EXPORT, { id: bank.id, format: format.value }, { retry: false });
    const xml = format.value === 'MOODLE_XML';
    const blob = new Blob([data.node.export], { type: xml ? 'application/xml' : 'text/plain' });
    const url = URL.createObjectURL(blob);
    const filename = `${data.node.name}.${xml ? 'xml' : 'gift'}`;
    const anchor = h('a', { href: url, download: filename }, t('banks.download', { name: filename }));
    link.replaceChildren(anchor);
    anchor.click();
  };
  form.add(format.el, h('div', { class: 'form-actions' }, button(t('banks.exportButton'), { kind: 'secondary', type: 'submit' })), link);
  return h('section', { class: 'panel', 'aria-labelledby': 'bank-export' }, h('h2', { id: 'bank-export' }, t('banks.export')), form.el);
}
