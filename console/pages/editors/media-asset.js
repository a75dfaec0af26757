// One media asset: its preview (every image variant the server makes, or a player), title, alt
// text and transcript, and where it is used (lessons and stories, pending edits included).

import { h } from '../../lib/dom.js';
import { t, label, formatDateTime } from '../../lib/i18n.js';
import { query, mutate } from '../../lib/api.js';
import { href } from '../../lib/router.js';
import { pageHeader } from '../../ui/shell.js';
import { Form, button } from '../../ui/form.js';
import { toast } from '../../ui/toast.js';
import { statusBadge } from './common.js';
import { MEDIA_FIELDS, mediaDescription } from './media-picker.js';
import { accessibilityBadge } from './media.js';

const WIDTHS = [160, 320, 640, 960];
const ASSET = `query ConsoleMediaAsset($id: ID!) { node(id: $id) { ... on MediaAsset { ${MEDIA_FIELDS} sha256
  ${WIDTHS.map((w) => `w${w}: variantUrl(width: ${w})`).join(' ')}
  usedIn { __typename id title status locale } } } }`;
const UPDATE = `mutation ConsoleSaveMedia($id: ID!, $input: MediaInput!) { updateMedia(id: $id, input: $input) { asset { id } errors { field message code } } }`;

export default async function render(ctx) {
  const asset = (await query(ASSET, { id: ctx.params.id }, { signal: ctx.signal })).node;
  if (!asset) return h('div', { class: 'page' }, pageHeader(t('media.missing')), h('a', { href: '#/media' }, t('media.back')));
  const form = new Form({ label: t('media.edit') });
  const title = form.field('title', { label: t('media.title'), value: asset.title || '' });
  const altText = asset.kind === 'IMAGE' ? form.field('altText', { label: t('media.altText'), value: asset.altText || '', help: t('media.altHelp') }) : null;
  const transcript = asset.kind === 'AUDIO' || asset.kind === 'VIDEO'
    ? form.field('transcript', { label: t('media.transcript'), type: 'textarea', rows: 8, value: asset.transcript || '', help: t('media.transcriptHelp') }) : null;
  form.onSubmit = async () => {
    const input = { title: title.value.trim() };
    if (altText) input.altText = altText.value.trim();
    if (transcript) input.transcript = transcript.value.trim();
    await mutate(UPDATE, { id: asset.id, input });
    toast(t('common.saved'));
  };
  form.add(title.el, altText?.el, transcript?.el, h('div', { class: 'form-actions' }, button(t('common.save'), { kind: 'primary', type: 'submit' })));

  return h('div', { class: 'page' },
    pageHeader(asset.title || t('media.untitled'), h('a', { class: 'btn btn-secondary', href: '#/media' }, t('media.back'))),
    h('p', { class: 'muted' }, mediaDescription(asset), ' · ', formatDateTime(asset.createdAt), ' · ', accessibilityBadge(asset)),
    h('div', { class: 'split' },
      h('section', { class: 'panel', 'aria-labelledby': 'media-edit-heading' }, h('h2', { id: 'media-edit-heading' }, t('media.edit')), form.el),
      h('section', { class: 'panel', 'aria-labelledby': 'media-used-heading' }, h('h2', { id: 'media-used-heading' }, t('media.usedIn')),
        asset.usedIn.length
          ? h('ul', {}, asset.usedIn.map((c) => h('li', {},
            h('a', { href: href(c.__typename === 'Lesson' ? '/content/lessons/:id' : '/content/stories/:id', { id: c.id }) }, c.title),
            ' ', statusBadge(c.status), ' ', h('span', { class: 'muted' }, label('locale', c.locale)))))
          : h('p', { class: 'muted' }, t('media.unusedLong')))),
    h('section', { class: 'panel', 'aria-labelledby': 'media-preview-heading' }, h('h2', { id: 'media-preview-heading' }, t('media.preview')), preview(asset)));
}

function preview(asset) {
  if (asset.kind === 'IMAGE') {
    const alt = asset.altText || '';
    return h('div', { class: 'variants' }, WIDTHS.map((w) => asset[`w${w}`] && h('figure', { class: 'variant' },
      h('img', { src: asset[`w${w}`], alt, loading: 'lazy' }),
      h('figcaption', {}, t('media.variant', { width: w }), ' · ', h('a', { href: asset[`w${w}`] }, t('media.openFile'))))),
    h('p', {}, h('a', { href: asset.url }, t('media.original'))));
  }
  if (asset.kind === 'VIDEO') return h('video', { src: asset.url, controls: true, preload: 'metadata', class: 'player' });
  if (asset.kind === 'AUDIO') return h('audio', { src: asset.url, controls: true, preload: 'metadata' });
  return h('p', {}, h('a', { href: asset.url }, t('media.openFile')));
}
