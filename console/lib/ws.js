// A small graphql-ws client (the graphql-transport-ws protocol) for live updates.
//   const stop = live.subscribe({query, variables}, {next(data) {}, error(errors) {}, restarted() {}});
// One socket for all subscriptions, opened with the first and closed shortly after the last.
// It reconnects by itself (the banner shows meanwhile) and re-subscribes; `restarted()` tells a page
// to re-read what it may have missed. A credential the server refuses (close 4401, or 4403 before
// the acknowledgement) is renewed if it expired (session.js), else asks for a new sign-in; then it
// reconnects with the new token.

import { getToken, credentialRefused, onSessionChange } from './session.js';
import { reportLost, reportOk } from './connection.js';

const PROTOCOL = 'graphql-transport-ws';
const RETRY_DELAYS = [500, 1000, 2000, 4000, 8000, 10000];
const IDLE_CLOSE_MS = 3000;

function socketUrl(path) {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

function refusalReason(reason) {
  const match = /expired|revoked|deactivated|invalid/.exec(reason || '');
  return match ? match[0] : 'invalid';
}

export class LiveClient {
  constructor(path = '/graphql') {
    this.url = socketUrl(path);
    this.socket = null;
    this.acknowledged = false;
    this.subscriptions = new Map();
    this.nextId = 1;
    this.attempt = 0;
    this.retryTimer = null;
    this.idleTimer = null;
    this.everConnected = false;
    this.sentToken = null;
  }

  /** Start a subscription; returns a function that stops it. */
  subscribe(payload, sink) {
    const id = String(this.nextId++);
    this.subscriptions.set(id, { payload, sink });
    clearTimeout(this.idleTimer);
    if (this.acknowledged) this.send({ id, type: 'subscribe', payload });
    else this.connect();
    return () => this.unsubscribe(id);
  }

  unsubscribe(id) {
    if (!this.subscriptions.delete(id)) return;
    if (this.acknowledged) this.send({ id, type: 'complete' });
    if (this.subscriptions.size === 0) {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.close(), IDLE_CLOSE_MS);
    }
  }

  get connected() {
    return this.acknowledged;
  }

  connect() {
    if (this.socket || this.retryTimer) return;
    const socket = new WebSocket(this.url, PROTOCOL);
    this.socket = socket;
    this.acknowledged = false;
    socket.onopen = () => {
      const token = getToken();
      this.sentToken = token;
      socket.send(JSON.stringify({ type: 'connection_init', payload: token ? { Authorization: `Bearer ${token}` } : {} }));
    };
    socket.onmessage = (event) => this.receive(socket, event.data);
    socket.onclose = (event) => this.closed(socket, event);
  }

  send(message) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  receive(socket, text) {
    let message;
    try { message = JSON.parse(text); } catch { return; }
    const entry = message.id ? this.subscriptions.get(message.id) : null;
    switch (message.type) {
      case 'connection_ack':
        this.acknowledged = true;
        this.attempt = 0;
        reportOk();
        for (const [id, sub] of this.subscriptions) this.send({ id, type: 'subscribe', payload: sub.payload });
        if (this.everConnected) for (const sub of this.subscriptions.values()) sub.sink.restarted?.();
        this.everConnected = true;
        break;
      case 'ping':
        this.send({ type: 'pong' });
        break;
      case 'next':
        if (message.payload?.errors?.length) entry?.sink.error?.(message.payload.errors);
        else entry?.sink.next?.(message.payload?.data);
        break;
      case 'error':
        this.subscriptions.delete(message.id);
        entry?.sink.error?.(message.payload);
        break;
      case 'complete':
        this.subscriptions.delete(message.id);
        entry?.sink.complete?.();
        break;
      default:
        break;
    }
  }

  async closed(socket, event) {
    if (socket !== this.socket) return;
    const wasAcknowledged = this.acknowledged;
    this.socket = null;
    this.acknowledged = false;
    if (this.subscriptions.size === 0) return;
    const refused = event.code === 4401 || (event.code === 4403 && !wasAcknowledged && getToken());
    if (refused) {
      try {
        await credentialRefused(refusalReason(event.reason), this.sentToken);
      } catch {
        this.failAll([{ message: event.reason || 'UNAUTHENTICATED', extensions: { code: 'UNAUTHENTICATED' } }]);
        return;
      }
      this.connect();
      return;
    }
    if ([4400, 4406, 4409, 4429].includes(event.code)) {
      this.failAll([{ message: event.reason || `closed ${event.code}`, extensions: { code: 'BAD_REQUEST' } }]);
      return;
    }
    reportLost();
    const delay = RETRY_DELAYS[Math.min(this.attempt, RETRY_DELAYS.length - 1)];
    this.attempt += 1;
    this.retryTimer = setTimeout(() => { this.retryTimer = null; this.connect(); }, delay);
  }

  failAll(errors) {
    const subs = [...this.subscriptions.values()];
    this.subscriptions.clear();
    for (const sub of subs) sub.sink.error?.(errors);
  }

  /** Drop the socket (sign-out, or idle); subscriptions still listed reconnect on the next subscribe. */
  close() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    this.acknowledged = false;
    socket?.close(1000, 'done');
  }
}

export const live = new LiveClient();

// A new person (or none) means a new connection: the old one carried the old credential.
onSessionChange(() => {
  live.close();
  if (live.subscriptions.size) live.connect();
});
