// The privacy notice: every published version, and publishing a new one (Chinese required,
// English optional). Clients must accept a new version before they write again, so it asks first.

import { h } from '../../lib/dom.js';
import { t, label, formatDateTime } from '../../lib/i18n.js';
import { query, mutate } from '../../lib/api.js';
import { setQuery } from '../../lib/router.js';
import { pageHeader } from '../../ui/shell.js';
import { Form, button } from '../../ui/form.js';
import { pagedTable } from '../../ui/table.js';
import { confirmDialog } from '../../ui/dialog.js';
import { toast } from '../../ui/toast.js';

const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount';
const LIST = `query ConsolePrivacyNotices($first: Int, $after: String, $last: Int, $before: String) {
  privacyNotices(first: $first, after: $after, last: $last, before: $before) { ${PAGE_INFO} edges { node { version locale text publishedAt } } }
}`;
const PUBLISH = `mutation ConsolePublishPrivacyNotice($input: PublishPrivacyNoticeInput!) {
  publishPrivacyNotice(input: $input) { notices { version locale } errors { field message code } }
}`;

export default async function render({ query: params, signal }) {
  const table = pagedTable({
    caption: t('privacy.caption'),
    signal,
    pageSize: 10,
    state: { after: params.get('after'), page: params.get('page') },
    onPage: (state) => setQuery(state),
    columns: [
      { label: t('privacy.version'), className: 'num', render: (n) => String(n.version) },
      { label: t('privacy.locale'), render: (n) => label('locale', n.locale) },
      { label: t('privacy.publishedAt'), render: (n) => formatDateTime(n.publishedAt) },
      { label: t('privacy.text'), render: (n) => h('details', {}, h('summary', {}, t('privacy.show')), h('p', { class: 'message-body' }, n.text)) },
    ],
    load: async (page, s) => (await query(LIST, page, { signal: s })).privacyNotices,
  });
  const form = new Form({ label: t('privacy.publish') });
  const zh = form.field('zh', { label: t('privacy.zh'), type: 'textarea', rows: 8, required: true });
  const en = form.field('en', { label: t('privacy.en'), type: 'textarea', rows: 6 });
  // The API names the texts by position: input.texts.0 is the Chinese one, input.texts.1 the English.
  form.addTarget('texts.0', zh);
  form.addTarget('texts', zh);
  form.addTarget('texts.1', en);
  form.onSubmit = async (values) => {
    const texts = [{ locale: 'zh-CN', text: values.zh }];
    if (values.en.trim()) texts.push({ locale: 'en', text: values.en });
    if (!(await confirmDialog({ title: t('privacy.publish'), message: t('privacy.confirm') }))) return;
    const payload = await mutate(PUBLISH, { input: { texts } });
    toast(t('privacy.published', { version: payload.notices[0].version }));
    zh.value = '';
    en.value = '';
    table.reload();
  };
  form.add(zh.el, en.el, h('div', { class: 'form-actions' }, button(t('privacy.publish'), { kind: 'primary', type: 'submit' })));
  return h('div', { class: 'page' }, pageHeader(t('privacy.heading')), table.el,
    h('section', { class: 'panel', 'aria-label': t('privacy.publish') }, h('h2', {}, t('privacy.publish')), form.el));
}
