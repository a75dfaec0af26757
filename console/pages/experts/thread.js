// One consultation, for its expert: the messages (attachments, images shown inline), a reply box,
// and beside them the help plan and the visits. Also the page e-mail notices link to
// (#/consultations/<id>).
//
// Sending never loses or doubles a reply:
//  - what is being typed is kept in sessionStorage (drafts) on every keystroke;
//  - a reply leaves the box into the outbox (also in sessionStorage) with a clientMessageId chosen
//    here, and stays on screen until the server answers with the message;
//  - a send that fails stays visible with a Retry button; when the connection was lost it is sent
//    again by itself once the server answers. Every re-send carries the same clientMessageId, so
//    the server returns the first message instead of writing a second one (even when the first
//    request arrived and only its answer was lost).

import { h } from '../../lib/dom.js';
import { t, formatDateTime, formatBytes } from '../../lib/i18n.js';
import { query, mutate, upload, waitForServer, NetworkError, UserErrors, ApiError } from '../../lib/api.js';
import { live } from '../../lib/ws.js';
import { onConnectionChange } from '../../lib/connection.js';
import { pageHeader } from '../../ui/shell.js';
import { Form, button } from '../../ui/form.js';
import { confirmDialog } from '../../ui/dialog.js';
import { toast } from '../../ui/toast.js';
import { consultationBadge, drafts, outbox, newClientMessageId, privateMediaUrl } from './common.js';
import { helpPlanPanel } from './plan.js';
import { visitsPanel } from './visits.js';

const MESSAGE = 'id body sentAt readAt author { displayName isExpert isViewer } attachments { id kind title altText mimeType byteSize url }';
const PAGE = 50;
const THREAD = `query ConsoleThread($id: ID!, $last: Int, $before: String) {
  consultation(id: $id) {
    id subject status clientDisplayName createdAt
    messages(last: $last, before: $before) { pageInfo { hasPreviousPage startCursor } edges { node { ${MESSAGE} } } }
    helpPlan { revision goals measures { description dueAt done } followUpAt updatedAt }
    helpPlanHistory { revision goals measures { description dueAt done } followUpAt updatedAt }
    visits { id status scheduledAt location note }
  }
}`;
const SEND = `mutation ConsoleSendMessage($input: SendMessageInput!) {
  sendMessage(input: $input) { message { ${MESSAGE} } errors { field message code } }
}`;
const UPLOAD = `mutation ConsoleUploadAttachment($file: Upload!, $title: String) {
  uploadAttachment(file: $file, title: $title) { asset { id } errors { field message code } }
}`;
const MARK_READ = 'mutation ConsoleMarkRead($id: ID!) { markConsultationRead(consultationId: $id) { consultation { id } errors { message } } }';
const CLOSE = 'mutation ConsoleCloseConsultation($id: ID!) { closeConsultation(consultationId: $id) { consultation { id status } errors { field message code } } }';
const ADDED = `subscription ConsoleMessageAdded($id: ID!) { messageAdded(consultationId: $id) { ${MESSAGE} } }`;
const UPDATED = 'subscription ConsoleThreadUpdates { consultationUpdated { id } }';

export default async function render(ctx) {
  const id = ctx.params.id;
  const { signal } = ctx;
  const first = await query(THREAD, { id, last: PAGE }, { signal });
  const consultation = first.consultation;
  if (!consultation) {
    return h('div', { class: 'page' }, pageHeader(t('thread.notFound')), h('p', {}, h('a', { href: '#/inbox' }, t('thread.back'))));
  }

  const messages = new Map(); // id -> message, in the order the server gave
  let olderCursor = consultation.messages.pageInfo.hasPreviousPage ? consultation.messages.pageInfo.startCursor : null;
  const list = h('ol', { class: 'thread-messages thread-sent', 'aria-label': t('thread.messages') });
  const pendingList = h('ol', { class: 'thread-messages thread-pending', 'aria-live': 'polite' });
  const earlier = button(t('thread.earlier'), { onClick: () => loadEarlier() });
  const statusSlot = h('span', {}, consultationBadge(consultation.status));

  function renderMessage(message) {
    const mine = message.author.isViewer;
    return h('li', { class: ['message', mine ? 'message-mine' : 'message-theirs'], dataset: { id: message.id } },
      h('div', { class: 'message-meta' },
        h('span', { class: 'message-author' }, mine ? `${message.author.displayName}（${t('thread.you')}）` : message.author.displayName),
        ' · ', h('time', { datetime: message.sentAt }, formatDateTime(message.sentAt)),
        mine ? [' · ', h('span', { class: 'muted' }, message.readAt ? t('thread.read') : t('thread.unreadMark'))] : null),
      h('p', { class: 'message-body' }, message.body),
      message.attachments.length ? h('ul', { class: 'attachments' }, message.attachments.map((a) => h('li', {}, attachment(a)))) : null);
  }

  function attachment(asset) {
    const name = asset.title || asset.mimeType;
    if (asset.kind === 'IMAGE') {
      const img = h('img', { class: 'attachment-image', alt: asset.altText || t('thread.imageAlt', { name }), width: 240 });
      privateMediaUrl(asset.url, signal).then((src) => { img.src = src; }).catch(() => { img.alt = `${img.alt} (${t('list.loadFailed')})`; });
      return img;
    }
    const link = h('a', { href: '#', class: 'attachment-file', 'aria-label': t('thread.openAttachment', { name }) }, `${name} (${formatBytes(asset.byteSize)})`);
    link.addEventListener('click', async (event) => {
      event.preventDefault();
      const url = await privateMediaUrl(asset.url, signal);
      const a = h('a', { href: url, download: asset.title || 'attachment' });
      document.body.append(a);
      a.click();
      a.remove();
    });
    return link;
  }

  const drawn = new Map(); // id -> {readAt, el}: a message is drawn again only when its read mark changes
  function redraw() {
    const sorted = [...messages.values()].sort((a, b) => (a.sentAt < b.sentAt ? -1 : a.sentAt > b.sentAt ? 1 : 0));
    list.replaceChildren(...sorted.map((message) => {
      const known = drawn.get(message.id);
      if (known && known.readAt === message.readAt) return known.el;
      const el = renderMessage(message);
      drawn.set(message.id, { readAt: message.readAt, el });
      return el;
    }));
    earlier.hidden = !olderCursor;
  }

  function merge(nodes) {
    for (const node of nodes) messages.set(node.id, node);
    redraw();
  }

  async function loadEarlier() {
    if (!olderCursor) return;
    const data = await query(THREAD, { id, last: PAGE, before: olderCursor }, { signal });
    const page = data.consultation.messages;
    olderCursor = page.pageInfo.hasPreviousPage ? page.pageInfo.startCursor : null;
    merge(page.edges.map((e) => e.node));
  }

  let marking = false;
  async function markRead() {
    if (marking || document.visibilityState === 'hidden') return;
    if (![...messages.values()].some((m) => !m.author.isViewer && !m.readAt)) return;
    marking = true;
    try { await mutate(MARK_READ, { id }); } catch { /* read receipts can wait for the next visit */ } finally { marking = false; }
  }

  /** Re-read what may have changed: status, plan, visits and the newest messages (read receipts). */
  async function resync() {
    const data = await query(THREAD, { id, last: PAGE }, { signal });
    if (!data.consultation) return;
    statusSlot.replaceChildren(consultationBadge(data.consultation.status));
    merge(data.consultation.messages.edges.map((e) => e.node));
    plan.update(data.consultation);
    visits.update(data.consultation.visits);
    markRead();
  }

  // ---------------------------------------------------------------- the reply box and the outbox
  const form = new Form({ label: t('thread.replyForm') });
  const body = form.field('body', { label: t('thread.reply'), type: 'textarea', rows: 4, help: t('thread.replyHelp'), value: drafts.get(id) });
  const files = form.field('attachmentIds', { label: t('thread.attach'), type: 'file', attrs: { multiple: true } });
  body.input.dataset.autofocus = '';
  const restored = body.value ? h('p', { class: 'notice', role: 'status' }, t('thread.draftKept')) : null;
  body.input.addEventListener('input', () => drafts.set(id, body.input.value));
  body.input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.el.requestSubmit(); }
  });
  form.add(restored, body.el, files.el, h('div', { class: 'form-actions' }, button(t('thread.send'), { kind: 'primary', type: 'submit' })));

  const pending = outbox.list(id).map((entry) => ({ ...entry, files: [], state: 'failed', error: t('thread.notSent') }));
  let waiting = false;

  function saveOutbox() {
    outbox.save(id, pending);
  }

  function renderPending() {
    pendingList.replaceChildren(...pending.map((entry) => h('li', { class: ['message', 'message-mine', `message-${entry.state}`], dataset: { clientMessageId: entry.clientMessageId } },
      h('div', { class: 'message-meta' }, h('span', { class: 'message-author' }, t('thread.you')), ' · ',
        entry.state === 'sending' ? h('span', { role: 'status' }, t('thread.sending')) : h('span', { class: 'field-error', role: 'alert' }, entry.error)),
      h('p', { class: 'message-body' }, entry.body),
      entry.state === 'failed' ? h('div', { class: 'form-actions' },
        button(t('thread.retry'), { kind: 'primary', onClick: () => deliver(entry) }),
        button(t('thread.discard'), { onClick: () => discard(entry) })) : null)));
  }

  function discard(entry) {
    pending.splice(pending.indexOf(entry), 1);
    if (!body.input.value) { body.value = entry.body; drafts.set(id, entry.body); }
    saveOutbox();
    renderPending();
    body.focus();
  }

  async function deliver(entry) {
    if (entry.inFlight || !pending.includes(entry)) return;
    entry.inFlight = true;
    entry.state = 'sending';
    renderPending();
    try {
      if (entry.files.length && !entry.attachmentIds) {
        const ids = [];
        for (const file of entry.files) {
          const payload = await upload(UPLOAD, { file: null, title: file.name }, { 'variables.file': file }, { signal });
          ids.push(payload.asset.id);
        }
        entry.attachmentIds = ids;
        saveOutbox();
      }
      const payload = await mutate(SEND, { input: { consultationId: id, body: entry.body, clientMessageId: entry.clientMessageId, attachmentIds: entry.attachmentIds || null } });
      pending.splice(pending.indexOf(entry), 1);
      saveOutbox();
      merge([payload.message]);
    } catch (error) {
      if (error?.name === 'AbortError') return;
      entry.state = 'failed';
      if (error instanceof NetworkError) {
        entry.error = t('thread.notSent');
        retryWhenBack();
      } else if (error instanceof UserErrors || error instanceof ApiError) {
        entry.error = t('thread.failed', { message: error.message });
      } else {
        entry.error = t('thread.failed', { message: t('form.failed') });
      }
    } finally {
      entry.inFlight = false;
      renderPending();
    }
  }

  /** Once the server answers again, send what the lost connection stopped (same clientMessageIds). */
  function retryWhenBack() {
    if (waiting) return;
    waiting = true;
    waitForServer(signal).then(() => {
      waiting = false;
      for (const entry of [...pending]) if (entry.state === 'failed' && entry.error === t('thread.notSent')) deliver(entry);
    }).catch(() => { waiting = false; });
  }

  form.onSubmit = async (values) => {
    const text = values.body.trim();
    const chosen = [...(values.attachmentIds || [])];
    if (!text) {
      form.showErrors([{ field: 'body', message: t('thread.emptyReply') }]);
      return;
    }
    const entry = { clientMessageId: newClientMessageId(), body: text, attachmentIds: null, files: chosen, state: 'sending', error: '' };
    pending.push(entry);
    saveOutbox();
    body.value = '';
    files.input.value = '';
    drafts.set(id, '');
    restored?.remove();
    renderPending();
    deliver(entry); // not awaited: the box is free for the next reply at once
  };

  // ---------------------------------------------------------------- side panels
  const plan = helpPlanPanel({ consultationId: id, consultation });
  const visits = visitsPanel({ consultationId: id, visits: consultation.visits, onChange: resync });

  async function closeConsultation() {
    const ok = await confirmDialog({ title: t('thread.close'), message: t('thread.closeConfirm'), danger: true });
    if (!ok) return;
    try {
      const payload = await mutate(CLOSE, { id });
      statusSlot.replaceChildren(consultationBadge(payload.consultation.status));
      toast(t('thread.closed'));
    } catch (error) {
      toast(error.message || t('form.failed'), { kind: 'error' });
    }
  }

  // ---------------------------------------------------------------- live
  const stopAdded = live.subscribe({ query: ADDED, variables: { id } }, {
    next: (data) => {
      const message = data?.messageAdded;
      if (!message) return;
      merge([message]);
      if (!message.author.isViewer) markRead();
    },
    restarted: () => resync().catch(() => {}),
    error: () => {},
  });
  const stopUpdated = live.subscribe({ query: UPDATED }, {
    next: (data) => { if (data?.consultationUpdated?.id === id) resync().catch(() => {}); },
    error: () => {},
  });
  const stopConnection = onConnectionChange((lost) => { if (!lost) retryWhenBack(); });
  signal.addEventListener('abort', () => { stopAdded(); stopUpdated(); stopConnection(); }, { once: true });

  merge(consultation.messages.edges.map((e) => e.node));
  renderPending();
  markRead();
  if (pending.length) retryWhenBack();

  return h('div', { class: 'page thread-page' },
    pageHeader(consultation.subject, statusSlot, button(t('thread.close'), { onClick: closeConsultation }), h('a', { class: 'btn btn-secondary', href: '#/inbox' }, t('thread.back'))),
    h('p', { class: 'muted' }, t('inbox.client'), '：', consultation.clientDisplayName, ' · ', formatDateTime(consultation.createdAt)),
    h('div', { class: 'thread-layout' },
      h('section', { class: 'panel thread-main', 'aria-labelledby': 'thread-messages-title' },
        h('h2', { id: 'thread-messages-title' }, t('thread.messages')),
        earlier, list, pendingList, form.el),
      h('div', { class: 'thread-side' }, plan.el, visits.el)));
}

