// Lesson and story editor: the fields, a live preview through the server's sanitiser, cover and
// attached media (with their alt text and transcripts editable in place, where the accessibility
// gate points), translations beside their source, and the workflow: submit for review, the pending
// revision as a diff against the published one, approve and publish, schedule, archive; read-only
// preview links of the saved draft for people who cannot sign in (docs/content.md, "Previews").

import { h } from '../../lib/dom.js';
import { t, label, formatDateTime } from '../../lib/i18n.js';
import { query, mutate } from '../../lib/api.js';
import { href, navigate } from '../../lib/router.js';
import { pageHeader } from '../../ui/shell.js';
import { Form, Field, button, errorTarget } from '../../ui/form.js';
import { toast } from '../../ui/toast.js';
import { markdownPreview } from '../../ui/markdown.js';
import { AUDIENCES, LOCALES, SECTIONS, STORY_KINDS, options, statusBadge } from './common.js';
import { pickMedia, MEDIA_FIELDS, mediaThumb } from './media-picker.js';
import { diffLines } from './diff.js';

const COMMON = `id title slug locale summary body audiences status publishedAt updatedAt hasPendingChanges publishAt unpublishAt publishedVersion
  tags { name } coverImage { ${MEDIA_FIELDS} } media { ${MEDIA_FIELDS} }
  revisions { number action changedFields createdAt editor { displayName username } }`;
const LESSON = `query ConsoleLesson($id: ID!) { lesson(id: $id) { ${COMMON} section estimatedMinutes translationOfId translations { id locale title status } } }`;
const STORY = `query ConsoleStory($id: ID!) { story(id: $id) { ${COMMON} kind narrator } }`;
const SOURCE = 'query ConsoleSource($id: ID!) { lesson(id: $id) { id title summary body bodyHtml locale translations { id locale } } }';
const PAYLOAD = 'errors { field message code }';
const CREATE = {
  lessons: `mutation ConsoleCreateLesson($input: LessonInput!) { createLesson(input: $input) { lesson { id } ${PAYLOAD} } }`,
  stories: `mutation ConsoleCreateStory($input: StoryInput!) { createStory(input: $input) { story { id } ${PAYLOAD} } }`,
};
const UPDATE = {
  lessons: `mutation ConsoleUpdateLesson($id: ID!, $patch: LessonPatch!) { updateLesson(id: $id, patch: $patch) { lesson { id } ${PAYLOAD} } }`,
  stories: `mutation ConsoleUpdateStory($id: ID!, $patch: StoryPatch!) { updateStory(id: $id, patch: $patch) { story { id } ${PAYLOAD} } }`,
};
const STATUS = {
  lessons: `mutation ConsoleLessonStatus($id: ID!, $status: PublicationStatus!) { setLessonStatus(id: $id, status: $status) { lesson { id status } ${PAYLOAD} } }`,
  stories: `mutation ConsoleStoryStatus($id: ID!, $status: PublicationStatus!) { setStoryStatus(id: $id, status: $status) { story { id status } ${PAYLOAD} } }`,
};
const SCHEDULE = `mutation ConsoleSchedule($id: ID!, $publishAt: DateTime, $unpublishAt: DateTime) { scheduleContent(id: $id, publishAt: $publishAt, unpublishAt: $unpublishAt) { ${PAYLOAD} } }`;
const PREVIEW_TOKENS = 'query ConsolePreviewTokens($itemId: ID!) { previewTokens(itemId: $itemId, first: 50) { edges { node { id label active expiresAt revokedAt } } } }';
const CREATE_PREVIEW = `mutation ConsoleCreatePreview($input: CreatePreviewTokenInput!) { createPreviewToken(input: $input) { token link previewToken { id } ${PAYLOAD} } }`;
const REVOKE_PREVIEW = `mutation ConsoleRevokePreview($id: ID!) { revokePreviewToken(id: $id) { previewToken { id } ${PAYLOAD} } }`;
const UPDATE_MEDIA = `mutation ConsoleUpdateMedia($id: ID!, $input: MediaInput!) { updateMedia(id: $id, input: $input) { asset { ${MEDIA_FIELDS} } ${PAYLOAD} } }`;

/** The workflow moves offered in each status: [target status, message key, button kind]. */
const MOVES = {
  DRAFT: [['IN_REVIEW', 'editor.submitReview', 'secondary'], ['PUBLISHED', 'editor.publish', 'primary'], ['ARCHIVED', 'editor.archive', 'secondary']],
  IN_REVIEW: [['PUBLISHED', 'editor.approve', 'primary'], ['DRAFT', 'editor.backToDraft', 'secondary'], ['ARCHIVED', 'editor.archive', 'secondary']],
  PUBLISHED: [['PUBLISHED', 'editor.publishChanges', 'primary'], ['DRAFT', 'editor.unpublish', 'secondary'], ['ARCHIVED', 'editor.archive', 'secondary']],
  ARCHIVED: [['DRAFT', 'editor.restore', 'secondary']],
};

/** The database key inside a global ID (base64url of "Type:pk"). */
export function primaryKey(globalId) {
  try {
    const text = atob(String(globalId).replace(/-/g, '+').replace(/_/g, '/'));
    return text.slice(text.indexOf(':') + 1);
  } catch {
    return globalId;
  }
}

export function splitTags(text) {
  return [...new Set(String(text || '').split(/[,，、;；\n]/).map((x) => x.trim()).filter(Boolean))];
}

export default async function render(ctx) {
  const kind = ctx.path.startsWith('/content/stories') ? 'stories' : 'lessons';
  const isLesson = kind === 'lessons';
  const isNew = ctx.params.id === 'new';
  let item = null;
  if (!isNew) {
    const data = await query(isLesson ? LESSON : STORY, { id: ctx.params.id }, { signal: ctx.signal });
    item = isLesson ? data.lesson : data.story;
    if (!item) return h('div', { class: 'page' }, pageHeader(t('editor.missing')), h('p', {}, h('a', { href: '#/content' }, t('editor.backToList'))));
  }
  const translationOf = item?.translationOfId || (isNew && isLesson ? ctx.query.get('translationOf') : null);
  const source = translationOf ? (await query(SOURCE, { id: translationOf }, { signal: ctx.signal })).lesson : null;

  const form = new Form({ label: t('editor.formLabel') });
  const fields = {
    title: form.field('title', { label: t('content.title'), required: true, value: item?.title || '', attrs: { maxlength: 300, 'data-autofocus': isNew ? true : null } }),
    summary: form.field('summary', { label: t('editor.summary'), type: 'textarea', rows: 2, value: item?.summary || '' }),
    body: form.field('body', { label: t('editor.body'), type: 'textarea', rows: 16, value: item?.body || '', help: t('editor.bodyHelp'), attrs: { class: 'code' } }),
    shelf: isLesson
      ? form.field('section', { label: t('content.section'), type: 'select', required: true, value: item?.section || 'HANDBOOK', options: options('section', SECTIONS) })
      : form.field('kind', { label: t('content.kind'), type: 'select', required: true, value: item?.kind || 'RECOVERY_STORY', options: options('storyKind', STORY_KINDS) }),
    audiences: form.field('audiences', { label: t('content.audience'), type: 'checkboxes', value: item?.audiences || [], options: options('audience', AUDIENCES) }),
    tags: form.field('tags', { label: t('editor.tags'), value: (item?.tags || []).map((x) => x.name).join('，'), help: t('editor.tagsHelp') }),
    minutes: isLesson ? form.field('estimatedMinutes', { label: t('editor.minutes'), type: 'number', value: item?.estimatedMinutes ?? '', attrs: { min: 1, max: 600 } }) : null,
    narrator: isLesson ? null : form.field('narrator', { label: t('editor.narrator'), value: item?.narrator || '' }),
    locale: isNew ? form.field('locale', { label: t('content.locale'), type: 'select', value: ctx.query.get('locale') || (source ? 'en' : 'zh-CN'), options: options('locale', LOCALES) }) : null,
    slug: form.field('slug', { label: t('editor.slug'), value: item?.slug || '', help: t('editor.slugHelp'), attrs: { maxlength: 200 } }),
  };

  // Cover and attached media: chosen from the library, in order, each with its alt text (images)
  // or transcript (audio, video) editable here, where the accessibility gate's errors land.
  let cover = item?.coverImage || null;
  let media = [...(item?.media || [])];
  const coverBox = h('div', { class: 'media-slot' });
  const mediaList = h('ol', { class: 'media-list', 'aria-label': t('editor.media') });
  const coverLegend = h('h3', { class: 'subheading', id: 'cover-heading' }, t('editor.cover'));
  const mediaLegend = h('h3', { class: 'subheading', id: 'media-heading' }, t('editor.media'));

  function accessibilityRow(asset) {
    const isImage = asset.kind === 'IMAGE';
    const needs = isImage || asset.kind === 'AUDIO' || asset.kind === 'VIDEO';
    if (!needs) return null;
    const name = isImage ? 'altText' : 'transcript';
    const field = new Field(`${asset.id}.${name}`, {
      label: isImage ? t('media.altText') : t('media.transcript'),
      type: isImage ? 'text' : 'textarea', rows: 3, value: asset[name] || '',
      help: isImage ? t('media.altHelp') : t('media.transcriptHelp'),
    });
    // The gate names the asset by its database key (media.<pk>.altText, docs/content.md).
    form.addTarget(`media.${primaryKey(asset.id)}.${name}`, field);
    form.addTarget(`media.${asset.id}.${name}`, field);
    const save = button(t(isImage ? 'media.saveAlt' : 'media.saveTranscript'), {
      kind: 'secondary',
      onClick: () => form.run(async () => {
        const payload = await mutate(UPDATE_MEDIA, { id: asset.id, input: { [name]: field.value } });
        Object.assign(asset, payload.asset);
        toast(t('media.textSaved', { name: asset.title || t('media.untitled') }));
      }).catch(() => {}),
      attrs: { class: 'btn btn-secondary btn-small' },
    });
    return h('div', { class: 'media-text' }, field.el, save);
  }

  /** An image's caption, shown under its title as readers will see it under the picture. */
  function captionLine(asset) {
    return asset.kind === 'IMAGE' && asset.caption ? h('p', { class: 'media-caption' }, h('span', { class: 'muted' }, `${t('media.caption')}：`), asset.caption) : null;
  }

  function drawCover() {
    coverBox.replaceChildren(
      cover ? h('div', { class: 'media-item' }, mediaThumb(cover), h('div', { class: 'media-meta' }, h('strong', {}, cover.title || t('media.untitled')), captionLine(cover), accessibilityRow(cover),
        button(t('editor.removeCover'), { onClick: () => { cover = null; drawCover(); }, attrs: { class: 'btn btn-secondary btn-small' } })))
        : h('p', { class: 'muted' }, t('editor.noCover')),
      button(cover ? t('editor.changeCover') : t('editor.chooseCover'), {
        onClick: async () => { const chosen = await pickMedia({ kind: 'IMAGE', title: t('editor.chooseCover') }); if (chosen) { cover = chosen; drawCover(); } },
      }),
    );
  }
  function drawMedia() {
    mediaList.replaceChildren(...media.map((asset, i) => h('li', { class: 'media-item' },
      mediaThumb(asset),
      h('div', { class: 'media-meta' },
        h('strong', {}, `${i + 1}. ${asset.title || t('media.untitled')}`), ' ', h('span', { class: 'badge' }, label('mediaKind', asset.kind)),
        captionLine(asset),
        accessibilityRow(asset),
        h('div', { class: 'row-actions' },
          button(t('common.up'), { attrs: { class: 'btn btn-secondary btn-small', disabled: i === 0, 'aria-label': `${t('common.up')}：${asset.title || ''}` }, onClick: () => { [media[i - 1], media[i]] = [media[i], media[i - 1]]; drawMedia(); } }),
          button(t('common.down'), { attrs: { class: 'btn btn-secondary btn-small', disabled: i === media.length - 1, 'aria-label': `${t('common.down')}：${asset.title || ''}` }, onClick: () => { [media[i + 1], media[i]] = [media[i], media[i + 1]]; drawMedia(); } }),
          button(t('common.remove'), { attrs: { class: 'btn btn-secondary btn-small', 'aria-label': `${t('common.remove')}：${asset.title || ''}` }, onClick: () => { media.splice(i, 1); drawMedia(); } }))))));
    if (!media.length) mediaList.append(h('li', { class: 'muted' }, t('editor.noMedia')));
  }
  drawCover();
  drawMedia();
  const addMedia = button(t('editor.addMedia'), {
    onClick: async () => {
      const chosen = await pickMedia({ title: t('editor.addMedia') });
      if (chosen && !media.some((m) => m.id === chosen.id)) { media.push(chosen); drawMedia(); }
    },
  });
  const mediaTarget = errorTarget(addMedia, h('div'));
  form.addTarget('mediaIds', mediaTarget);
  form.addTarget('coverImageId', errorTarget(coverBox, h('div')));

  function values() {
    const v = {
      title: fields.title.value.trim(),
      summary: fields.summary.value.trim() || null,
      body: fields.body.value,
      audiences: fields.audiences.value,
      tags: splitTags(fields.tags.value),
      coverImageId: cover ? cover.id : null,
      mediaIds: media.map((m) => m.id),
    };
    if (isLesson) { v.section = fields.shelf.value; v.estimatedMinutes = fields.minutes.value; } else { v.kind = fields.shelf.value; v.narrator = fields.narrator.value.trim() || null; }
    const slug = fields.slug.value.trim();
    if (slug) v.slug = slug;
    return v;
  }

  async function save() {
    const v = values();
    if (isNew) {
      const input = { ...v, locale: fields.locale.value };
      if (source) input.translationOfId = source.id;
      if (!input.coverImageId) delete input.coverImageId;
      const payload = await mutate(CREATE[kind], { input });
      return (isLesson ? payload.lesson : payload.story).id;
    }
    await mutate(UPDATE[kind], { id: item.id, patch: v });
    return item.id;
  }

  const saveButton = button(t('common.save'), { kind: 'primary', type: 'submit' });
  form.onSubmit = async () => {
    const id = await save();
    toast(t('common.saved'));
    if (isNew) navigate(href(`/content/${kind}/:id`, { id }).slice(1), { replace: true });
    else navigate(href(`/content/${kind}/:id`, { id }).slice(1), { replace: true });
  };

  // Workflow: every move saves the form first, so what is published is what is on screen.
  async function move(status) {
    await form.run(async () => {
      await save();
      await mutate(STATUS[kind], { id: item.id, status });
      toast(t('editor.moved', { status: label('publication', status) }));
      navigate(href(`/content/${kind}/:id`, { id: item.id }).slice(1), { replace: true });
    });
  }
  const workflow = item ? workflowPanel(item, move, form, kind) : null;

  const preview = markdownPreview(fields.body.input, { label: t('markdown.preview'), signal: ctx.signal });
  const bodyRow = h('div', { class: 'split editor-body' }, h('div', {}, fields.body.el), preview.el);

  form.add(
    h('div', { class: 'panel' }, h('h2', {}, t('editor.text')), fields.title.el, fields.summary.el, bodyRow),
    h('div', { class: 'panel' }, h('h2', {}, t('editor.details')),
      h('div', { class: 'grid-2' }, fields.shelf.el, fields.minutes?.el || fields.narrator?.el, fields.locale?.el, fields.slug.el),
      fields.audiences.el, fields.tags.el),
    h('div', { class: 'panel', role: 'group', 'aria-labelledby': 'cover-heading' }, coverLegend, coverBox),
    h('div', { class: 'panel', role: 'group', 'aria-labelledby': 'media-heading' }, mediaLegend, mediaList, addMedia, mediaTarget.el),
    h('div', { class: 'form-actions sticky-actions' }, saveButton, h('a', { class: 'btn btn-secondary', href: href('/content', {}, { type: kind }) }, t('editor.backToList'))),
  );

  const heading = isNew
    ? (source ? t('editor.newTranslation', { title: source.title }) : t(isLesson ? 'editor.newLesson' : 'editor.newStory'))
    : t(isLesson ? 'editor.editLesson' : 'editor.editStory');
  const main = h('div', { class: 'editor-main' }, workflow, form.el);
  const layout = source
    ? h('div', { class: 'split translation-split' }, sourcePanel(source), main)
    : main;
  return h('div', { class: 'page' },
    pageHeader(heading, item ? statusBadge(item.status) : null),
    item && isLesson ? translationsBar(item) : null,
    layout,
    item ? previewPanel(item, ctx.signal) : null,
    item ? historyPanel(item) : null);
}

/** Preview links of this item: create one (its link or token shown once), list them, revoke one. */
function previewPanel(item, signal) {
  const list = h('ul', { class: 'preview-links', 'aria-label': t('preview.list') });
  const shown = h('div', { class: 'preview-secret' });
  const form = new Form({ label: t('preview.create') });
  const labelField = form.field('label', { label: t('preview.label'), required: true, help: t('preview.labelHelp'), attrs: { maxlength: 100 } });
  const hours = form.field('expiresInHours', { label: t('preview.hours'), type: 'number', help: t('preview.hoursHelp'), attrs: { min: 1 } });

  async function refresh() {
    const data = await query(PREVIEW_TOKENS, { itemId: item.id }, { signal });
    const tokens = (data.previewTokens?.edges || []).map((e) => e.node);
    list.replaceChildren(...tokens.map((token) => h('li', { class: 'preview-link' },
      h('strong', {}, token.label), ' ',
      h('span', { class: token.active ? 'badge badge-PUBLISHED' : 'badge' }, t(token.active ? 'preview.active' : 'preview.ended')), ' ',
      h('span', { class: 'muted' }, t('preview.expires', { when: formatDateTime(token.expiresAt) })), ' ',
      token.active ? button(t('preview.revoke'), {
        attrs: { class: 'btn btn-secondary btn-small', 'aria-label': t('preview.revokeLabel', { label: token.label }) },
        onClick: () => form.run(async () => {
          await mutate(REVOKE_PREVIEW, { id: token.id });
          toast(t('preview.revoked', { label: token.label }));
          await refresh();
        }),
      }) : null)));
    if (!tokens.length) list.append(h('li', { class: 'muted' }, t('preview.none')));
  }

  form.onSubmit = async () => {
    const input = { itemId: item.id, label: labelField.value.trim() };
    if (hours.value !== null) input.expiresInHours = hours.value;
    const payload = await mutate(CREATE_PREVIEW, { input });
    const secretLabel = t(payload.link ? 'preview.link' : 'preview.token');
    const id = `preview-secret-${primaryKey(payload.previewToken.id)}`;
    shown.replaceChildren(
      h('label', { for: id }, secretLabel),
      h('input', { id, class: 'input code', type: 'text', readonly: true, value: payload.link || payload.token }),
      payload.link ? null : h('p', { class: 'field-help' }, t('preview.tokenHelp')));
    toast(t('preview.created'));
    await refresh();
  };
  form.add(h('div', { class: 'grid-2' }, labelField.el, hours.el),
    h('div', { class: 'form-actions' }, button(t('preview.create'), { kind: 'secondary', type: 'submit' })));
  refresh().catch(() => {});
  return h('section', { class: 'panel preview-panel', 'aria-labelledby': 'preview-heading' },
    h('h2', { id: 'preview-heading' }, t('preview.heading')),
    h('p', { class: 'muted' }, t('preview.intro')),
    form.el, shown, list);
}

function sourcePanel(source) {
  const html = h('div', { class: 'markdown-body' });
  html.innerHTML = source.bodyHtml || ''; // the server's sanitised rendering
  return h('aside', { class: 'panel source-panel', 'aria-labelledby': 'source-heading' },
    h('h2', { id: 'source-heading' }, t('editor.source', { locale: label('locale', source.locale) })),
    h('p', {}, h('strong', {}, t('content.title'), '：'), source.title),
    source.summary ? h('p', {}, h('strong', {}, t('editor.summary'), '：'), source.summary) : null,
    html,
    h('p', {}, h('a', { href: href('/content/lessons/:id', { id: source.id }) }, t('editor.openSource'))));
}

function translationsBar(item) {
  const missing = LOCALES.filter((l) => l !== item.locale && !(item.translations || []).some((x) => x.locale === l));
  const original = !item.translationOfId;
  return h('div', { class: 'toolbar translations-bar' },
    h('span', {}, t('editor.translations'), '：'),
    (item.translations || []).length
      ? item.translations.map((x) => h('a', { class: 'badge badge-link', href: href('/content/lessons/:id', { id: x.id }) }, `${label('locale', x.locale)} · ${x.title}`))
      : h('span', { class: 'muted' }, t('common.none')),
    original ? missing.map((l) => h('a', { class: 'btn btn-secondary btn-small', href: href('/content/lessons/new', {}, { translationOf: item.id, locale: l }) }, t('editor.addTranslation', { locale: label('locale', l) }))) : null);
}

function workflowPanel(item, move, form, kind) {
  const moves = (MOVES[item.status] || []).filter(([status]) => status !== 'PUBLISHED' || item.status !== 'PUBLISHED' || item.hasPendingChanges);
  const schedule = new Form({ label: t('editor.schedule') });
  const publishAt = schedule.field('publishAt', { label: t('editor.publishAt'), type: 'datetime', value: item.publishAt });
  const unpublishAt = schedule.field('unpublishAt', { label: t('editor.unpublishAt'), type: 'datetime', value: item.unpublishAt });
  schedule.onSubmit = async () => {
    await mutate(SCHEDULE, { id: item.id, publishAt: publishAt.value, unpublishAt: unpublishAt.value });
    toast(t('editor.scheduled'));
    navigate(href(`/content/${kind}/:id`, { id: item.id }).slice(1), { replace: true });
  };
  // The gate refuses scheduled publication too: its errors belong next to the media fields.
  const originalShow = schedule.showErrors.bind(schedule);
  schedule.showErrors = (errors) => {
    const mine = errors.filter((e) => !String(e.field || '').startsWith('media.'));
    const theirs = errors.filter((e) => String(e.field || '').startsWith('media.'));
    if (theirs.length) form.showErrors(theirs);
    if (mine.length) originalShow(mine);
  };
  schedule.add(h('div', { class: 'grid-2' }, publishAt.el, unpublishAt.el),
    h('div', { class: 'form-actions' }, button(t('editor.saveSchedule'), { kind: 'secondary', type: 'submit' })));
  return h('section', { class: 'panel workflow', 'aria-labelledby': 'workflow-heading' },
    h('h2', { id: 'workflow-heading' }, t('editor.workflow')),
    h('p', {}, t('content.status'), '：', statusBadge(item.status),
      item.publishedAt ? [' ', h('span', { class: 'muted' }, t('editor.publishedAt', { when: formatDateTime(item.publishedAt) }))] : null),
    item.hasPendingChanges ? pendingDiff(item) : null,
    h('div', { class: 'row-actions' }, moves.map(([status, key, kind_]) => button(t(key), { kind: kind_, onClick: () => move(status) }))),
    h('details', { class: 'schedule', open: Boolean(item.publishAt || item.unpublishAt) }, h('summary', {}, t('editor.schedule')), schedule.el));
}

const DIFF_FIELDS = [
  ['title', 'content.title'], ['summary', 'editor.summary'], ['body', 'editor.body'], ['section', 'content.section'], ['kind', 'content.kind'],
  ['audiences', 'content.audience'], ['tags', 'editor.tags'], ['estimatedMinutes', 'editor.minutes'], ['narrator', 'editor.narrator'],
];

function pendingDiff(item) {
  const before = item.publishedVersion || {};
  const after = {
    title: item.title, summary: item.summary, body: item.body, section: item.section, kind: item.kind, narrator: item.narrator,
    audiences: item.audiences, tags: item.tags.map((x) => x.name), estimatedMinutes: item.estimatedMinutes,
  };
  const rows = [];
  for (const [key, labelKey] of DIFF_FIELDS) {
    if (!(key in before) && after[key] === undefined) continue;
    const a = Array.isArray(before[key]) ? before[key].join('、') : before[key] ?? '';
    const b = Array.isArray(after[key]) ? after[key].join('、') : after[key] ?? '';
    if (String(a) === String(b)) continue;
    rows.push(h('div', { class: 'diff-field' }, h('h4', {}, t(labelKey)), diffView(String(a), String(b))));
  }
  const mediaChanged = JSON.stringify(before.mediaIds || []) !== JSON.stringify(item.media.map((m) => m.id)) || (before.coverImageId || null) !== (item.coverImage?.id || null);
  if (mediaChanged) rows.push(h('div', { class: 'diff-field' }, h('h4', {}, t('editor.media')), h('p', {}, t('editor.mediaChanged'))));
  return h('div', { class: 'pending' },
    h('p', { class: 'notice notice-warning' }, t('editor.pendingNotice')),
    h('h3', {}, t('editor.diffTitle')),
    rows.length ? rows : h('p', { class: 'muted' }, t('editor.noDiff')));
}

function diffView(before, after) {
  const lines = diffLines(before, after);
  return h('div', { class: 'diff', role: 'group', 'aria-label': t('editor.diffTitle') },
    lines.map(([op, text]) => (op === '=' ? h('div', { class: 'diff-same' }, h('span', { class: 'visually-hidden' }, t('editor.same')), text || ' ')
      : op === '-' ? h('del', { class: 'diff-del' }, h('span', { class: 'visually-hidden' }, t('editor.removed')), text || ' ')
        : h('ins', { class: 'diff-ins' }, h('span', { class: 'visually-hidden' }, t('editor.added')), text || ' '))));
}

function historyPanel(item) {
  return h('details', { class: 'panel history' },
    h('summary', {}, t('editor.history', { count: item.revisions.length })),
    h('ol', { reversed: true }, item.revisions.slice(0, 50).map((r) => h('li', {},
      `${formatDateTime(r.createdAt)} · ${r.editor?.displayName || r.editor?.username || '—'} · ${label('action', r.action)}`,
      r.changedFields.length ? h('span', { class: 'muted' }, ` (${r.changedFields.join(', ')})`) : null))));
}
