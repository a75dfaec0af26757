// Choosing a media asset from the library in a dialog (paged, filterable by kind), and the small
// thumbnail every editors' page shows for an asset.

import { h } from '../../lib/dom.js';
import { t, label, formatBytes } from '../../lib/i18n.js';
import { query } from '../../lib/api.js';
import { openDialog } from '../../ui/dialog.js';
import { pagedTable } from '../../ui/table.js';
import { PAGE_INFO } from './common.js';

export const MEDIA_FIELDS = 'id kind title altText transcript caption mimeType byteSize width height url createdAt thumb: variantUrl(width: 160)';
const LIST = `query ConsolePickMedia($first: Int, $after: String, $last: Int, $before: String, $kind: MediaKind) {
  mediaLibrary(first: $first, after: $after, last: $last, before: $before, kind: $kind) { ${PAGE_INFO} edges { node { ${MEDIA_FIELDS} } } }
}`;

/** A thumbnail for an image (its 160 px variant), else a labelled box for the kind. */
export function mediaThumb(asset, { size = 'small' } = {}) {
  if (asset.kind === 'IMAGE' && (asset.thumb || asset.url)) {
    // alt="": the title or alt text is written beside the thumbnail, so the picture adds nothing.
    return h('img', { class: `thumb thumb-${size}`, src: asset.thumb || asset.url, alt: '', loading: 'lazy', width: 96, height: 72 });
  }
  return h('span', { class: `thumb thumb-${size} thumb-kind`, 'aria-hidden': 'true' }, label('mediaKind', asset.kind));
}

export function mediaDescription(asset) {
  const parts = [label('mediaKind', asset.kind), asset.mimeType, formatBytes(asset.byteSize)];
  if (asset.width && asset.height) parts.push(`${asset.width}×${asset.height}`);
  return parts.filter(Boolean).join(' · ');
}

/** Resolves the chosen asset, or null when the dialog is closed. */
export function pickMedia({ kind = null, title }) {
  return new Promise((resolve) => {
    let chosen = null;
    const controller = new AbortController();
    const table = pagedTable({
      caption: title,
      pageSize: 8,
      signal: controller.signal,
      columns: [
        { label: t('media.preview'), render: (a) => mediaThumb(a) },
        { label: t('media.title'), render: (a) => h('span', {}, a.title || t('media.untitled'), h('br'), h('span', { class: 'muted' }, mediaDescription(a))) },
        { label: t('common.actions'), render: (a) => h('button', { type: 'button', class: 'btn btn-primary btn-small', 'aria-label': `${t('media.choose')}：${a.title || a.id}`, onclick: () => { chosen = a; dialog.close(); } }, t('media.choose')) },
      ],
      load: async (page, signal) => (await query(LIST, { ...page, kind }, { signal })).mediaLibrary,
    });
    const dialog = openDialog({ title, content: [h('p', { class: 'muted' }, h('a', { href: '#/media', onclick: () => dialog.close() }, t('media.uploadElsewhere'))), table.el], actions: [{ label: t('common.cancel') }], className: 'dialog-wide' });
    dialog.el.addEventListener('close', () => { controller.abort(new DOMException('closed', 'AbortError')); resolve(chosen); });
  });
}
