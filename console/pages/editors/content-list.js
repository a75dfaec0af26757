// Content list: lessons or stories, filtered by shelf (or kind), status, locale, audience and tag,
// searched through the API's Chinese full-text search, one page at a time. Filters live in the URL.

import { h } from '../../lib/dom.js';
import { t, label, formatDateTime } from '../../lib/i18n.js';
import { query } from '../../lib/api.js';
import { href, setQuery } from '../../lib/router.js';
import { debounce } from '../../lib/dom.js';
import { pageHeader } from '../../ui/shell.js';
import { Field } from '../../ui/form.js';
import { pagedTable } from '../../ui/table.js';
import { AUDIENCES, LOCALES, PAGE_INFO, SECTIONS, STATUSES, STORY_KINDS, options, statusBadge } from './common.js';

const FIELDS = 'id title slug locale status audiences updatedAt publishedAt hasPendingChanges publishAt unpublishAt tags { slug name }';
const LESSONS = `query ConsoleLessons($first: Int, $after: String, $last: Int, $before: String, $filter: LessonFilter, $orderBy: ContentOrder) {
  lessons(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    ${PAGE_INFO} edges { node { ${FIELDS} section } }
  }
}`;
const STORIES = `query ConsoleStories($first: Int, $after: String, $last: Int, $before: String, $filter: StoryFilter, $orderBy: ContentOrder) {
  stories(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    ${PAGE_INFO} edges { node { ${FIELDS} kind } }
  }
}`;
const TAGS = 'query ConsoleTags { tags { slug name } }';

export default async function render(ctx) {
  const kind = ctx.query.get('type') === 'stories' ? 'stories' : 'lessons';
  const tags = (await query(TAGS, {}, { signal: ctx.signal })).tags;
  const filters = {
    type: new Field('type', { label: t('content.type'), type: 'select', value: kind, options: [{ value: 'lessons', label: t('content.lessons') }, { value: 'stories', label: t('content.stories') }] }),
    q: new Field('q', { label: t('common.search'), type: 'search', value: ctx.query.get('q') || '', attrs: { placeholder: t('content.searchHint') } }),
    shelf: kind === 'lessons'
      ? new Field('shelf', { label: t('content.section'), type: 'select', value: ctx.query.get('shelf') || '', options: options('section', SECTIONS, { all: true }) })
      : new Field('shelf', { label: t('content.kind'), type: 'select', value: ctx.query.get('shelf') || '', options: options('storyKind', STORY_KINDS, { all: true }) }),
    status: new Field('status', { label: t('content.status'), type: 'select', value: ctx.query.get('status') || '', options: options('publication', STATUSES, { all: true }) }),
    locale: new Field('locale', { label: t('content.locale'), type: 'select', value: ctx.query.get('locale') || '', options: options('locale', LOCALES, { all: true }) }),
    audience: new Field('audience', { label: t('content.audience'), type: 'select', value: ctx.query.get('audience') || '', options: options('audience', AUDIENCES, { all: true }) }),
    tag: new Field('tag', { label: t('content.tag'), type: 'select', value: ctx.query.get('tag') || '', options: [{ value: '', label: t('common.all') }, ...tags.map((tag) => ({ value: tag.slug, label: tag.name }))] }),
  };

  function currentFilter() {
    // Editors see every item of every locale (the API's lists default to one per work in one locale);
    // the locale select then narrows to items written in that locale.
    const filter = { allLocales: true };
    const shelf = filters.shelf.value;
    if (shelf) filter[kind === 'lessons' ? 'section' : 'kind'] = shelf;
    for (const name of ['status', 'locale', 'audience', 'tag']) if (filters[name].value) filter[name] = filters[name].value;
    if (filters.q.value.trim()) filter.query = filters.q.value.trim();
    return filter;
  }

  const editorPath = kind === 'lessons' ? '/content/lessons/:id' : '/content/stories/:id';
  const table = pagedTable({
    caption: kind === 'lessons' ? t('content.lessons') : t('content.stories'),
    signal: ctx.signal,
    state: { after: ctx.query.get('after'), page: ctx.query.get('page') },
    onPage: (state) => setQuery(state),
    columns: [
      { label: t('content.title'), render: (n) => h('a', { href: href(editorPath, { id: n.id }) }, n.title) },
      { label: kind === 'lessons' ? t('content.section') : t('content.kind'), render: (n) => (kind === 'lessons' ? label('section', n.section) : label('storyKind', n.kind)) },
      { label: t('content.status'), render: (n) => h('span', { class: 'badges' }, statusBadge(n.status),
        n.hasPendingChanges ? [' ', h('span', { class: 'badge badge-warn' }, t('content.pending'))] : null,
        n.publishAt ? [' ', h('span', { class: 'badge' }, t('content.scheduledAt', { when: formatDateTime(n.publishAt) }))] : null) },
      { label: t('content.locale'), render: (n) => label('locale', n.locale) },
      { label: t('content.audience'), render: (n) => n.audiences.map((a) => label('audience', a)).join('、') || '—' },
      { label: t('content.updatedAt'), render: (n) => formatDateTime(n.updatedAt) },
    ],
    load: async (page, signal) => {
      const data = await query(kind === 'lessons' ? LESSONS : STORIES, { ...page, filter: currentFilter(), orderBy: filters.q.value.trim() ? null : 'NEWEST' }, { signal });
      return data[kind];
    },
  });

  const apply = () => {
    setQuery({ q: filters.q.value.trim(), shelf: filters.shelf.value, status: filters.status.value, locale: filters.locale.value, audience: filters.audience.value, tag: filters.tag.value });
    table.reload();
  };
  filters.type.input.addEventListener('change', () => {
    window.location.hash = href('/content', {}, { type: filters.type.value });
  });
  for (const name of ['shelf', 'status', 'locale', 'audience', 'tag']) filters[name].input.addEventListener('change', apply);
  const typed = debounce(apply, 350);
  filters.q.input.addEventListener('input', typed);
  filters.q.input.addEventListener('keydown', (event) => { if (event.key === 'Enter') { event.preventDefault(); typed.cancel(); apply(); } });

  return h('div', { class: 'page' },
    pageHeader(t('content.heading'),
      h('a', { class: 'btn btn-primary', href: '#/content/lessons/new' }, t('content.newLesson')),
      h('a', { class: 'btn btn-secondary', href: '#/content/stories/new' }, t('content.newStory'))),
    h('div', { class: 'toolbar', role: 'search', 'aria-label': t('content.filters') }, Object.values(filters).map((f) => f.el)),
    table.el);
}
