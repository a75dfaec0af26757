// Quizzes: the list (every status, newest first), and one quiz assembled from the banks: a fixed
// list of questions in order or a random draw, its settings (time limit, attempts, passing score,
// audience, linked lesson) and its workflow (review, publish, archive).

import { h } from '../../lib/dom.js';
import { t, label, formatNumber } from '../../lib/i18n.js';
import { query, mutate } from '../../lib/api.js';
import { href, navigate, setQuery } from '../../lib/router.js';
import { pageHeader } from '../../ui/shell.js';
import { Form, Field, button, errorTarget } from '../../ui/form.js';
import { pagedTable } from '../../ui/table.js';
import { toast } from '../../ui/toast.js';
import { AUDIENCES, PAGE_INFO, STATUSES, options, statusBadge } from './common.js';
import { plain } from './banks.js';

const LIST = `query ConsoleQuizzes($first: Int, $after: String, $last: Int, $before: String, $filter: QuizFilter) {
  quizzes(first: $first, after: $after, last: $last, before: $before, filter: $filter) { ${PAGE_INFO}
    edges { node { id title status questionCount passingScore timeLimitSeconds lesson { id title } } } }
}`;
const QUIZ = `query ConsoleQuiz($id: ID!) { quiz(id: $id) { id title description audiences status timeLimitSeconds maxAttempts passingScore shuffleOptions
  questionCount drawCount drawFromBank { id name } lesson { id title } questions { id stem type version } } }`;
const BANKS = 'query ConsoleQuizBanks { questionBankLibrary(first: 100) { edges { node { id name questionCount } } } }';
const BANK_QUESTIONS = `query ConsoleQuizBankQuestions($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { node(id: $id) { ... on QuestionBank {
  questions(first: $first, after: $after, last: $last, before: $before) { ${PAGE_INFO} edges { node { id stem type version } } } } } }`;
const LESSONS = 'query ConsoleQuizLessons($q: String) { lessons(first: 10, filter: { query: $q, allLocales: true }) { edges { node { id title locale } } } }';
const CREATE = 'mutation ConsoleCreateQuiz($input: QuizInput!) { createQuiz(input: $input) { quiz { id } errors { field message code } } }';
const UPDATE = 'mutation ConsoleUpdateQuiz($id: ID!, $patch: QuizPatch!) { updateQuiz(id: $id, patch: $patch) { quiz { id } errors { field message code } } }';
const STATUS = 'mutation ConsoleQuizStatus($id: ID!, $status: PublicationStatus!) { setQuizStatus(id: $id, status: $status) { quiz { id status } errors { field message code } } }';

const MOVES = {
  DRAFT: [['IN_REVIEW', 'editor.submitReview'], ['PUBLISHED', 'editor.publish'], ['ARCHIVED', 'editor.archive']],
  IN_REVIEW: [['PUBLISHED', 'editor.approve'], ['DRAFT', 'editor.backToDraft'], ['ARCHIVED', 'editor.archive']],
  PUBLISHED: [['DRAFT', 'editor.unpublish'], ['ARCHIVED', 'editor.archive']],
  ARCHIVED: [['DRAFT', 'editor.restore']],
};

export async function renderList(ctx) {
  const status = new Field('status', { label: t('content.status'), type: 'select', value: ctx.query.get('status') || '', options: options('publication', STATUSES, { all: true }) });
  const table = pagedTable({
    caption: t('quiz.list'),
    signal: ctx.signal,
    state: { after: ctx.query.get('after'), page: ctx.query.get('page') },
    onPage: (state) => setQuery(state),
    columns: [
      { label: t('quiz.title'), render: (q) => h('a', { href: href('/quizzes/:id', { id: q.id }) }, q.title) },
      { label: t('content.status'), render: (q) => statusBadge(q.status) },
      { label: t('quiz.questionCount'), render: (q) => formatNumber(q.questionCount) },
      { label: t('quiz.passingScore'), render: (q) => (q.passingScore === null ? '—' : formatNumber(q.passingScore)) },
      { label: t('quiz.lesson'), render: (q) => q.lesson?.title || '—' },
      { label: t('quiz.stats'), render: (q) => h('a', { href: href('/quizzes/:id/stats', { id: q.id }), 'aria-label': `${t('quiz.stats')}：${q.title}` }, t('quiz.stats')) },
    ],
    load: async (page, signal) => (await query(LIST, { ...page, filter: status.value ? { status: status.value } : null }, { signal })).quizzes,
  });
  status.input.addEventListener('change', () => { setQuery({ status: status.value }); table.reload(); });
  return h('div', { class: 'page' },
    pageHeader(t('quiz.heading'), h('a', { class: 'btn btn-primary', href: '#/quizzes/new' }, t('quiz.new'))),
    h('div', { class: 'toolbar', role: 'search', 'aria-label': t('quiz.filters') }, status.el),
    table.el);
}

export default async function render(ctx) {
  if (!ctx.params.id) return renderList(ctx);
  const isNew = ctx.params.id === 'new';
  const [quizData, banksData] = await Promise.all([
    isNew ? { quiz: null } : query(QUIZ, { id: ctx.params.id }, { signal: ctx.signal }),
    query(BANKS, {}, { signal: ctx.signal }),
  ]);
  const quiz = quizData.quiz;
  if (!isNew && !quiz) return h('div', { class: 'page' }, pageHeader(t('quiz.missing')), h('a', { href: '#/quizzes' }, t('quiz.back')));
  const banks = banksData.questionBankLibrary.edges.map((e) => e.node);
  const bankOptions = banks.map((b) => ({ value: b.id, label: `${b.name}（${formatNumber(b.questionCount)}）` }));

  const form = new Form({ label: t('quiz.formLabel') });
  const title = form.field('title', { label: t('quiz.title'), required: true, value: quiz?.title || '', attrs: { maxlength: 200, 'data-autofocus': isNew ? true : null } });
  const description = form.field('description', { label: t('quiz.description'), type: 'textarea', rows: 2, value: quiz?.description || '' });
  const audiences = form.field('audiences', { label: t('content.audience'), type: 'checkboxes', value: quiz?.audiences || [], options: options('audience', AUDIENCES) });
  const minutes = form.field('timeLimitSeconds', { label: t('quiz.timeLimit'), type: 'number', value: quiz?.timeLimitSeconds ? Math.round(quiz.timeLimitSeconds / 60) : '', help: t('quiz.timeLimitHelp'), attrs: { min: 1, max: 1440 } });
  const attempts = form.field('maxAttempts', { label: t('quiz.maxAttempts'), type: 'number', value: quiz?.maxAttempts ?? '', help: t('quiz.maxAttemptsHelp'), attrs: { min: 1 } });
  const passing = form.field('passingScore', { label: t('quiz.passingScore'), type: 'number', value: quiz?.passingScore ?? '', help: t('quiz.passingHelp'), attrs: { min: 0, max: 100 } });
  const shuffle = form.field('shuffleOptions', { label: t('quiz.shuffle'), type: 'checkbox', value: quiz?.shuffleOptions || false });
  const mode = form.field('mode', { label: t('quiz.mode'), type: 'select', value: quiz?.drawFromBank ? 'draw' : 'fixed', options: [{ value: 'fixed', label: t('quiz.fixed') }, { value: 'draw', label: t('quiz.draw') }] });
  const drawBank = form.field('drawFromBankId', { label: t('quiz.drawBank'), type: 'select', value: quiz?.drawFromBank?.id || banks[0]?.id || '', options: bankOptions });
  const drawCount = form.field('drawCount', { label: t('quiz.drawCount'), type: 'number', value: quiz?.drawCount ?? '', attrs: { min: 1 } });

  // The linked lesson: found by the API's search, one of ten shown.
  let lesson = quiz?.lesson || null;
  const lessonShown = h('p', { 'aria-live': 'polite' });
  const lessonSearch = new Field('lessonSearch', { label: t('quiz.lessonSearch'), type: 'search', help: t('quiz.lessonHelp') });
  const lessonResults = h('ul', { class: 'plain-list' });
  const drawLesson = () => lessonShown.replaceChildren(t('quiz.lesson'), '：', lesson ? lesson.title : t('common.none'), ' ',
    lesson ? button(t('quiz.unlink'), { attrs: { class: 'btn btn-link' }, onClick: () => { lesson = null; drawLesson(); } }) : null);
  drawLesson();
  lessonSearch.input.addEventListener('keydown', async (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const data = await query(LESSONS, { q: lessonSearch.value.trim() || null });
    lessonResults.replaceChildren(...data.lessons.edges.map(({ node }) => h('li', {}, button(`${t('quiz.link')}：${node.title}`, {
      attrs: { class: 'btn btn-link' }, onClick: () => { lesson = node; lessonResults.replaceChildren(); drawLesson(); },
    }))));
  });
  const lessonTarget = errorTarget(lessonSearch.input, lessonSearch.el);
  form.addTarget('lessonId', lessonTarget);

  // The fixed list: questions in order, added from a bank's paged list.
  let chosen = [...(quiz?.questions || [])];
  const chosenList = h('ol', { class: 'chosen-list' });
  const chosenHeading = h('h3', { class: 'subheading', id: 'chosen-heading' });
  const chosenTarget = errorTarget(chosenHeading, h('div'));
  form.addTarget('questionIds', chosenTarget);
  function drawChosen() {
    chosenHeading.textContent = t('quiz.chosen', { count: formatNumber(chosen.length) });
    chosenList.replaceChildren(...chosen.map((q, i) => h('li', {}, h('span', {}, plain(q.stem, 60), ' ', h('span', { class: 'muted' }, `${label('questionType', q.type)} · v${q.version}`)),
      h('span', { class: 'row-actions' },
        button(t('common.up'), { attrs: { class: 'btn btn-secondary btn-small', disabled: i === 0, 'aria-label': `${t('common.up')}：${plain(q.stem, 30)}` }, onClick: () => { [chosen[i - 1], chosen[i]] = [chosen[i], chosen[i - 1]]; drawChosen(); } }),
        button(t('common.down'), { attrs: { class: 'btn btn-secondary btn-small', disabled: i === chosen.length - 1, 'aria-label': `${t('common.down')}：${plain(q.stem, 30)}` }, onClick: () => { [chosen[i + 1], chosen[i]] = [chosen[i], chosen[i + 1]]; drawChosen(); } }),
        button(t('common.remove'), { attrs: { class: 'btn btn-secondary btn-small', 'aria-label': `${t('common.remove')}：${plain(q.stem, 30)}` }, onClick: () => { chosen.splice(i, 1); drawChosen(); } })))));
    if (!chosen.length) chosenList.append(h('li', { class: 'muted' }, t('quiz.noneChosen')));
  }
  drawChosen();
  const pickBank = new Field('pickBank', { label: t('quiz.fromBank'), type: 'select', value: banks[0]?.id || '', options: bankOptions });
  const bankTable = pagedTable({
    caption: t('quiz.bankQuestions'),
    pageSize: 10,
    signal: ctx.signal,
    columns: [
      { label: t('question.stem'), render: (q) => plain(q.stem, 60) },
      { label: t('question.type'), render: (q) => label('questionType', q.type) },
      { label: t('common.actions'), render: (q) => button(t('quiz.add'), {
        attrs: { class: 'btn btn-secondary btn-small', 'aria-label': `${t('quiz.add')}：${plain(q.stem, 40)}` },
        onClick: () => { if (!chosen.some((c) => c.id === q.id)) { chosen.push(q); drawChosen(); } },
      }) },
    ],
    load: async (page, signal) => (pickBank.value ? (await query(BANK_QUESTIONS, { id: pickBank.value, ...page }, { signal })).node.questions : { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false }, totalCount: 0 }),
  });
  pickBank.input.addEventListener('change', () => bankTable.reload());

  const fixedBox = h('div', { class: 'split' }, h('div', {}, chosenHeading, chosenList, chosenTarget.el), h('div', {}, pickBank.el, bankTable.el));
  const drawBox = h('div', { class: 'grid-2' }, drawBank.el, drawCount.el);
  const showMode = () => { fixedBox.hidden = mode.value !== 'fixed'; drawBox.hidden = mode.value !== 'draw'; };
  mode.input.addEventListener('change', showMode);
  showMode();

  function settings() {
    const v = {
      title: title.value, description: description.value.trim() || null, audiences: audiences.value,
      timeLimitSeconds: minutes.value === null ? null : Math.round(minutes.value * 60),
      maxAttempts: attempts.value, passingScore: passing.value, shuffleOptions: shuffle.value,
      lessonId: lesson ? lesson.id : null,
    };
    if (mode.value === 'fixed') v.questionIds = chosen.map((q) => q.id);
    else { v.drawFromBankId = drawBank.value || null; v.drawCount = drawCount.value; }
    return v;
  }
  async function save() {
    if (isNew) {
      const payload = await mutate(CREATE, { input: settings() });
      return payload.quiz.id;
    }
    await mutate(UPDATE, { id: quiz.id, patch: settings() });
    return quiz.id;
  }
  form.onSubmit = async () => {
    const id = await save();
    toast(t('common.saved'));
    navigate(href('/quizzes/:id', { id }).slice(1), { replace: true });
  };
  const workflow = quiz ? h('section', { class: 'panel', 'aria-labelledby': 'quiz-workflow' },
    h('h2', { id: 'quiz-workflow' }, t('editor.workflow')),
    h('p', {}, t('content.status'), '：', statusBadge(quiz.status), ' ', h('a', { href: href('/quizzes/:id/stats', { id: quiz.id }) }, t('quiz.stats'))),
    h('div', { class: 'row-actions' }, (MOVES[quiz.status] || []).map(([status, key]) => button(t(key), {
      kind: status === 'PUBLISHED' ? 'primary' : 'secondary',
      onClick: () => form.run(async () => {
        await save();
        await mutate(STATUS, { id: quiz.id, status });
        toast(t('editor.moved', { status: label('publication', status) }));
        navigate(href('/quizzes/:id', { id: quiz.id }).slice(1), { replace: true });
      }),
    })))) : null;

  form.add(
    h('div', { class: 'panel' }, h('h2', {}, t('quiz.basics')), title.el, description.el, audiences.el),
    h('div', { class: 'panel' }, h('h2', {}, t('quiz.settings')), h('div', { class: 'grid-2' }, minutes.el, attempts.el, passing.el), shuffle.el,
      lessonShown, lessonSearch.el, lessonResults),
    h('div', { class: 'panel' }, h('h2', {}, t('quiz.questions')), mode.el, fixedBox, drawBox),
    h('div', { class: 'form-actions sticky-actions' }, button(t('common.save'), { kind: 'primary', type: 'submit' }), h('a', { class: 'btn btn-secondary', href: '#/quizzes' }, t('quiz.back'))),
  );
  return h('div', { class: 'page' }, pageHeader(isNew ? t('quiz.new') : t('quiz.edit'), quiz ? statusBadge(quiz.status) : null), workflow, form.el);
}
