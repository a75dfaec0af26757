// Live Markdown preview rendered by the server's own sanitiser (query renderMarkdown): what the
// editor sees is byte for byte what readers get as bodyHtml. This is the one place the console
// inserts HTML, and only HTML that came out of the server's sanitiser.

import { h, debounce } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { query } from '../lib/api.js';

const RENDER = 'query ConsoleRenderMarkdown($markdown: String!) { renderMarkdown(markdown: $markdown) }';

/** markdownPreview(textarea, {label, signal}) -> {el, refresh()}: re-renders as the person types. */
export function markdownPreview(textarea, { label, signal } = {}) {
  const body = h('div', { class: 'markdown-body', 'aria-live': 'off' });
  const state = h('p', { class: 'field-help', role: 'status' });
  const el = h('section', { class: 'markdown-preview', 'aria-label': label || t('markdown.preview') },
    h('h3', { class: 'markdown-preview-title' }, label || t('markdown.preview')), state, body);
  let sequence = 0;
  async function refresh() {
    const mine = ++sequence;
    state.textContent = t('markdown.rendering');
    try {
      const data = await query(RENDER, { markdown: textarea.value }, { signal, retry: false });
      if (mine !== sequence) return;
      body.innerHTML = data.renderMarkdown; // the server's sanitised HTML (resolvers/content/text.py)
      state.textContent = '';
    } catch (error) {
      if (error?.name === 'AbortError' || mine !== sequence) return;
      state.textContent = `${t('markdown.failed')} ${error.message || ''}`;
    }
  }
  const later = debounce(refresh, 300);
  textarea.addEventListener('input', later);
  signal?.addEventListener('abort', () => later.cancel());
  refresh();
  return { el, refresh };
}
