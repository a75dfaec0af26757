// Media library: upload by the file picker or by dropping files, with a progress bar per file (the
// GraphQL multipart request sent by XMLHttpRequest, whose upload events give the progress); alt
// text and transcript given with the upload; the library as a paged table, filterable by kind.

import { h } from '../../lib/dom.js';
import { t, label, formatDateTime, formatNumber } from '../../lib/i18n.js';
import { query, upload } from '../../lib/api.js';
import { href, setQuery } from '../../lib/router.js';
import { pageHeader } from '../../ui/shell.js';
import { Form, Field, button } from '../../ui/form.js';
import { pagedTable } from '../../ui/table.js';
import { toast } from '../../ui/toast.js';
import { PAGE_INFO } from './common.js';
import { MEDIA_FIELDS, mediaThumb, mediaDescription } from './media-picker.js';

const KINDS = ['IMAGE', 'VIDEO', 'AUDIO', 'DOCUMENT'];
const LIST = `query ConsoleMedia($first: Int, $after: String, $last: Int, $before: String, $kind: MediaKind) {
  mediaLibrary(first: $first, after: $after, last: $last, before: $before, kind: $kind) { ${PAGE_INFO} edges { node { ${MEDIA_FIELDS} usedIn { id } } } }
}`;
const UPLOAD = `mutation ConsoleUploadMedia($file: Upload!, $input: MediaInput) {
  uploadMedia(file: $file, input: $input) { asset { ${MEDIA_FIELDS} } errors { field message code } }
}`;

export default async function render(ctx) {
  const kindFilter = new Field('kind', {
    label: t('media.kind'), type: 'select', value: ctx.query.get('kind') || '',
    options: [{ value: '', label: t('common.all') }, ...KINDS.map((k) => ({ value: k, label: label('mediaKind', k) }))],
  });
  const table = pagedTable({
    caption: t('media.library'),
    signal: ctx.signal,
    state: { after: ctx.query.get('after'), page: ctx.query.get('page') },
    onPage: (state) => setQuery(state),
    columns: [
      { label: t('media.preview'), render: (a) => mediaThumb(a) },
      { label: t('media.title'), render: (a) => h('a', { href: href('/media/:id', { id: a.id }) }, a.title || t('media.untitled')) },
      { label: t('media.details'), render: (a) => mediaDescription(a) },
      { label: t('media.accessibility'), render: (a) => accessibilityBadge(a) },
      { label: t('media.usedIn'), render: (a) => (a.usedIn.length ? t('media.usedCount', { count: formatNumber(a.usedIn.length) }) : t('media.unused')) },
      { label: t('media.uploadedAt'), render: (a) => formatDateTime(a.createdAt) },
    ],
    load: async (page, signal) => (await query(LIST, { ...page, kind: kindFilter.value || null }, { signal })).mediaLibrary,
  });
  kindFilter.input.addEventListener('change', () => { setQuery({ kind: kindFilter.value }); table.reload(); });

  return h('div', { class: 'page' },
    pageHeader(t('media.heading')),
    uploader(() => table.reload(), ctx.signal),
    h('div', { class: 'toolbar', role: 'search', 'aria-label': t('media.filters') }, kindFilter.el),
    table.el);
}

export function accessibilityBadge(asset) {
  if (asset.kind === 'IMAGE') return asset.altText ? h('span', { class: 'badge badge-ok' }, t('media.hasAlt')) : h('span', { class: 'badge badge-warn' }, t('media.needsAlt'));
  if (asset.kind === 'AUDIO' || asset.kind === 'VIDEO') return asset.transcript ? h('span', { class: 'badge badge-ok' }, t('media.hasTranscript')) : h('span', { class: 'badge badge-warn' }, t('media.needsTranscript'));
  return '—';
}

function uploader(onUploaded, signal) {
  const form = new Form({ label: t('media.upload') });
  const file = form.field('file', { label: t('media.file'), type: 'file', required: true, help: t('media.fileHelp'), attrs: { multiple: true } });
  const title = form.field('title', { label: t('media.title'), help: t('media.titleHelp') });
  const altText = form.field('altText', { label: t('media.altText'), help: t('media.altHelp') });
  const transcript = form.field('transcript', { label: t('media.transcript'), type: 'textarea', rows: 3, help: t('media.transcriptHelp') });
  const progressList = h('ul', { class: 'upload-list', 'aria-live': 'polite' });

  const zone = h('div', { class: 'drop-zone' },
    h('p', { class: 'drop-zone-text' }, t('media.dropHere')),
    file.el);
  zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('dragging'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    const dropped = [...(event.dataTransfer?.files || [])];
    if (dropped.length) form.run(() => send(dropped));
  });

  async function send(files) {
    form.clearErrors();
    if (!files.length) { file.setError(t('media.pickFile')); file.focus(); return; }
    const input = { title: title.value.trim() || null, altText: altText.value.trim() || null, transcript: transcript.value.trim() || null };
    let ok = 0;
    for (const one of files) {
      const bar = h('progress', { max: 100, value: 0, 'aria-label': t('media.progressOf', { name: one.name }) });
      const state = h('span', { class: 'upload-state' }, '0%');
      const row = h('li', { class: 'upload-item' }, h('span', { class: 'upload-name' }, one.name), bar, state);
      progressList.prepend(row);
      try {
        const payload = await upload(UPLOAD, { file: null, input: files.length > 1 ? { ...input, title: input.title ? `${input.title} ${ok + 1}` : null } : input }, { 'variables.file': one }, {
          signal,
          onProgress: (loaded, total) => {
            bar.dataset.events = String(Number(bar.dataset.events || 0) + 1);
            const percent = Math.round((loaded / Math.max(total, 1)) * 100);
            bar.value = percent;
            state.textContent = `${percent}%`;
          },
        });
        bar.value = 100;
        state.replaceChildren(h('a', { href: href('/media/:id', { id: payload.asset.id }) }, t('media.done')));
        ok += 1;
      } catch (error) {
        state.textContent = t('media.failed');
        row.classList.add('upload-failed');
        form.showError(error);
      }
    }
    if (ok) {
      toast(t('media.uploaded', { count: ok }));
      file.input.value = '';
      for (const f of [title, altText, transcript]) f.value = '';
      onUploaded();
    }
  }

  form.onSubmit = () => send([...(file.value || [])]);
  form.add(h('div', { class: 'split' }, zone, h('div', {}, title.el, altText.el, transcript.el)),
    h('div', { class: 'form-actions' }, button(t('media.uploadButton'), { kind: 'primary', type: 'submit' })),
    progressList);
  return h('section', { class: 'panel', 'aria-labelledby': 'upload-heading' }, h('h2', { id: 'upload-heading' }, t('media.upload')), form.el);
}
