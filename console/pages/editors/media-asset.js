// One media asset: its preview (every image variant the server makes, or a player with its caption
// tracks), title, alt text, caption and transcript, the caption tracks of a video or audio (added
// from a .vtt file, removed), and where it is used (lessons and stories, pending edits included).

import { h } from '../../lib/dom.js';
import { t, label, formatDateTime } from '../../lib/i18n.js';
import { query, mutate, upload } from '../../lib/api.js';
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
  captions { language label kind url }
  usedIn { __typename id title status locale } } } }`;
const UPDATE = `mutation ConsoleSaveMedia($id: ID!, $input: MediaInput!) { updateMedia(id: $id, input: $input) { asset { id } errors { field message code } } }`;
const TRACKS = 'asset { id captions { language label kind url } } errors { field message code }';
const ADD_TRACK = `mutation ConsoleAddCaptionTrack($id: ID!, $file: Upload!, $input: CaptionTrackInput!) { addCaptionTrack(mediaId: $id, file: $file, input: $input) { ${TRACKS} } }`;
const REMOVE_TRACK = `mutation ConsoleRemoveCaptionTrack($id: ID!, $language: String!, $kind: CaptionKind!) { removeCaptionTrack(mediaId: $id, language: $language, kind: $kind) { ${TRACKS} } }`;
const TRACK_KINDS = ['CAPTIONS', 'SUBTITLES', 'DESCRIPTIONS'];
const TIMED = new Set(['VIDEO', 'AUDIO']);

export default async function render(ctx) {
  const asset = (await query(ASSET, { id: ctx.params.id }, { signal: ctx.signal })).node;
  if (!asset) return h('div', { class: 'page' }, pageHeader(t('media.missing')), h('a', { href: '#/media' }, t('media.back')));
  const form = new Form({ label: t('media.edit') });
  const title = form.field('title', { label: t('media.title'), value: asset.title || '' });
  const altText = asset.kind === 'IMAGE' ? form.field('altText', { label: t('media.altText'), value: asset.altText || '', help: t('media.altHelp') }) : null;
  const caption = asset.kind === 'IMAGE' ? form.field('caption', { label: t('media.caption'), type: 'textarea', rows: 2, value: asset.caption || '', help: t('media.captionHelp'), attrs: { maxlength: 500 } }) : null;
  const transcript = TIMED.has(asset.kind)
    ? form.field('transcript', { label: t('media.transcript'), type: 'textarea', rows: 8, value: asset.transcript || '', help: t('media.transcriptHelp') }) : null;
  form.onSubmit = async () => {
    const input = { title: title.value.trim() };
    if (altText) input.altText = altText.value.trim();
    if (caption) input.caption = caption.value.trim();
    if (transcript) input.transcript = transcript.value.trim();
    await mutate(UPDATE, { id: asset.id, input });
    toast(t('common.saved'));
  };
  form.add(title.el, altText?.el, caption?.el, transcript?.el, h('div', { class: 'form-actions' }, button(t('common.save'), { kind: 'primary', type: 'submit' })));
  const player = h('div', {}, preview(asset));
  const tracks = TIMED.has(asset.kind) ? trackPanel(asset, (changed) => { asset.captions = changed; player.replaceChildren(preview(asset)); }, ctx.signal) : null;

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
    tracks,
    h('section', { class: 'panel', 'aria-labelledby': 'media-preview-heading' }, h('h2', { id: 'media-preview-heading' }, t('media.preview')), player));
}

/** The caption tracks of a video or audio: listed with their files, removable, and a form adding one from a .vtt file. */
function trackPanel(asset, changed, signal) {
  const list = h('ul', { class: 'track-list' });
  function draw() {
    list.replaceChildren(...(asset.captions.length ? asset.captions.map((track) => h('li', {},
      h('strong', {}, track.label), ' ', h('span', { class: 'muted' }, `${track.language} · ${label('captionKind', track.kind)}`), ' · ',
      h('a', { href: track.url }, t('media.trackFileLink')), ' ',
      button('×', {
        onClick: async () => {
          try {
            const payload = await mutate(REMOVE_TRACK, { id: asset.id, language: track.language, kind: track.kind });
            changed(payload.asset.captions);
            draw();
            toast(t('media.trackRemoved'));
          } catch (error) {
            toast(error.message, { kind: 'error' });
          }
        },
        attrs: { class: 'btn btn-secondary btn-small', 'aria-label': t('media.removeTrack', { label: track.label }) },
      })))
      : [h('li', { class: 'muted' }, t('media.tracksEmpty'))]));
  }
  draw();
  const form = new Form({ label: t('media.addTrack') });
  const file = form.field('file', { label: t('media.trackFile'), type: 'file', required: true, help: t('media.trackFileHelp'), attrs: { accept: '.vtt,text/vtt' } });
  const language = form.field('language', { label: t('media.trackLanguage'), value: 'zh-CN', required: true, help: t('media.trackLanguageHelp'), attrs: { maxlength: 35 } });
  const name = form.field('label', { label: t('media.trackLabel'), value: '中文', required: true, help: t('media.trackLabelHelp'), attrs: { maxlength: 100 } });
  const kind = form.field('kind', { label: t('media.trackKind'), type: 'select', value: 'CAPTIONS', options: TRACK_KINDS.map((k) => ({ value: k, label: label('captionKind', k) })) });
  form.onSubmit = async () => {
    const chosen = file.input.files?.[0];
    if (!chosen) { file.setError(t('media.pickFile')); file.focus(); return; }
    const input = { language: language.value.trim(), label: name.value.trim(), kind: kind.value };
    const payload = await upload(ADD_TRACK, { id: asset.id, file: null, input }, { 'variables.file': chosen }, { signal });
    changed(payload.asset.captions);
    draw();
    file.input.value = '';
    toast(t('media.trackAdded'));
  };
  form.add(file.el, language.el, name.el, kind.el, h('div', { class: 'form-actions' }, button(t('media.addTrack'), { kind: 'primary', type: 'submit' })));
  return h('section', { class: 'panel', 'aria-labelledby': 'media-tracks-heading' }, h('h2', { id: 'media-tracks-heading' }, t('media.tracks')), list, form.el);
}

/** <track> elements for a player: every caption track of the asset, the first one on by default. */
function trackElements(asset) {
  return (asset.captions || []).map((track, index) => h('track', {
    kind: track.kind.toLowerCase(), srclang: track.language, label: track.label, src: track.url, default: index === 0,
  }));
}

function preview(asset) {
  if (asset.kind === 'IMAGE') {
    const alt = asset.altText || '';
    return h('div', {},
      asset.caption ? h('figure', { class: 'captioned' }, h('img', { src: asset.w640 || asset.url, alt, loading: 'lazy' }), h('figcaption', {}, asset.caption)) : null,
      h('div', { class: 'variants' }, WIDTHS.map((w) => asset[`w${w}`] && h('figure', { class: 'variant' },
        h('img', { src: asset[`w${w}`], alt, loading: 'lazy' }),
        h('figcaption', {}, t('media.variant', { width: w }), ' · ', h('a', { href: asset[`w${w}`] }, t('media.openFile')))))),
      h('p', {}, h('a', { href: asset.url }, t('media.original'))));
  }
  if (asset.kind === 'VIDEO') return h('video', { src: asset.url, controls: true, preload: 'metadata', class: 'player' }, trackElements(asset));
  if (asset.kind === 'AUDIO') return h('audio', { src: asset.url, controls: true, preload: 'metadata' }, trackElements(asset));
  return h('p', {}, h('a', { href: asset.url }, t('media.openFile')));
}
