// The console's only way to the server: Beacon's public GraphQL API at /graphql, with the bearer
// token of the session. What every page gets from here, without writing it again:
//  - a refused credential (HTTP 401 / UNAUTHENTICATED): an expired access token is renewed once
//    with the refresh token (session.js), else the person is asked to sign in again over the page;
//    then the request is re-sent (the server never ran it, so nothing happens twice);
//  - a lost connection shows the banner; queries retry by themselves until it is back;
//    mutations are never re-sent blindly (the first one may have arrived) and fail with NetworkError;
//  - a mutation payload's `errors: [UserError]` becomes a UserErrors exception that forms place
//    next to the fields they name (ui/form.js).

import { getToken, credentialRefused } from './session.js';
import { reportLost, reportOk } from './connection.js';
import { sleep } from './dom.js';

export const ENDPOINT = '/graphql';
const RETRY_DELAYS = [1000, 2000, 4000, 8000, 10000];

/** A top-level GraphQL error (not a payload's UserError). */
export class ApiError extends Error {
  constructor(message, { code = 'INTERNAL', errors = [], status = 0 } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.errors = errors;
    this.status = status;
  }
}

/** The server could not be reached; the request may or may not have arrived. */
export class NetworkError extends Error {
  constructor(message = 'network') {
    super(message);
    this.name = 'NetworkError';
  }
}

/** A mutation's payload came back with UserErrors: {field, message, code}. */
export class UserErrors extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'UserErrors';
    this.errors = errors;
  }
}

export function isMutation(document) {
  return /^\s*mutation\b/.test(document.replace(/^\s*#.*$/gm, ''));
}

function refusedReason(status, body) {
  const errors = body?.errors || [];
  const refused = errors.find((e) => e?.extensions?.code === 'UNAUTHENTICATED');
  if (status !== 401 && !refused) return null;
  return refused?.extensions?.reason || (getToken() ? 'invalid' : 'signed-out');
}

function authorization() {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function post(document, variables, signal, token) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : authorization()) },
      body: JSON.stringify({ query: document, variables: variables || {} }),
      signal,
      credentials: 'omit',
    });
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new NetworkError(error?.message);
  }
  if ([502, 503, 504].includes(response.status)) throw new NetworkError(`HTTP ${response.status}`);
  let body = null;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`HTTP ${response.status}`, { status: response.status });
  }
  return { status: response.status, body };
}

/**
 * Run a document; returns `data`. Options: {signal, retry, token} (retry defaults to true for
 * queries; `token` sends that credential instead of the session's, e.g. a second-factor enrolment
 * token, and a refusal of it is an ApiError rather than a sign-in prompt).
 */
export async function request(document, variables, { signal, retry, token } = {}) {
  const retrying = retry ?? !isMutation(document);
  let renewed = false;
  for (let attempt = 0; ; attempt += 1) {
    let result;
    const sent = token || getToken();
    try {
      result = await post(document, variables, signal, token);
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      reportLost();
      if (!retrying) throw error;
      await sleep(RETRY_DELAYS[Math.min(attempt, RETRY_DELAYS.length - 1)], signal);
      continue;
    }
    reportOk();
    const reason = refusedReason(result.status, result.body);
    if (reason && token) throw new ApiError(result.body?.errors?.[0]?.message || reason, { code: 'UNAUTHENTICATED', status: result.status });
    if (reason) {
      // One renewal per request: a token refused as expired right after a refresh goes to sign-in.
      const next = await credentialRefused(reason, sent, { mayRenew: !renewed });
      renewed = renewed || (reason === 'expired' && next !== null);
      continue; // the server did not run it: safe to send again with the new token
    }
    const errors = result.body?.errors || [];
    if (errors.length) {
      const first = errors[0];
      throw new ApiError(first.message, { code: first.extensions?.code, errors, status: result.status });
    }
    return result.body.data;
  }
}

export const query = (document, variables, options) => request(document, variables, options);

/** Run a mutation and return its payload (data[field]); UserErrors when the payload has errors. */
export async function mutate(document, variables, options = {}) {
  const data = await request(document, variables, { retry: false, ...options });
  const field = options.field || Object.keys(data)[0];
  return checkPayload(data[field]);
}

export function checkPayload(payload) {
  if (payload && Array.isArray(payload.errors) && payload.errors.length) throw new UserErrors(payload.errors);
  return payload;
}

/**
 * A GraphQL multipart upload with progress: files maps a variable path ("variables.file") to a File.
 * onProgress(loaded, total) is called as bytes leave the browser. check: false returns the payload
 * even when it lists UserErrors (an import reports skipped items there and still imports the rest).
 */
export async function upload(document, variables, files, { onProgress, signal, field, check = true } = {}) {
  let renewed = false;
  for (;;) {
    const sent = getToken();
    const result = await sendMultipart(document, variables, files, onProgress, signal);
    const reason = refusedReason(result.status, result.body);
    if (reason) {
      await credentialRefused(reason, sent, { mayRenew: !renewed });
      renewed = renewed || reason === 'expired';
      continue;
    }
    const errors = result.body?.errors || [];
    if (errors.length) {
      throw new ApiError(errors[0].message, { code: errors[0].extensions?.code, errors, status: result.status });
    }
    const data = result.body.data;
    const payload = data[field || Object.keys(data)[0]];
    return check ? checkPayload(payload) : payload;
  }
}

function sendMultipart(document, variables, files, onProgress, signal) {
  const form = new FormData();
  const map = {};
  const entries = Object.entries(files);
  entries.forEach(([path], index) => { map[String(index)] = [path]; });
  form.append('operations', JSON.stringify({ query: document, variables }));
  form.append('map', JSON.stringify(map));
  entries.forEach(([, file], index) => form.append(String(index), file, file.name));
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', ENDPOINT);
    xhr.setRequestHeader('apollo-require-preflight', 'true'); // Beacon's CSRF guard for multipart
    const token = getToken();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => { if (onProgress && event.lengthComputable) onProgress(event.loaded, event.total); };
    xhr.onload = () => {
      reportOk();
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON: reported below */ }
      if (!body) reject(new ApiError(`HTTP ${xhr.status}`, { status: xhr.status, code: xhr.status === 413 ? 'TOO_LARGE' : 'INTERNAL' }));
      else resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => { reportLost(); reject(new NetworkError()); };
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/** Wait until the server answers again (used by pages that must re-sync after a drop). */
export async function waitForServer(signal) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await fetch('/healthz', { signal, cache: 'no-store', credentials: 'omit' });
      if (response.ok) { reportOk(); return; }
    } catch (error) {
      if (error?.name === 'AbortError') throw error;
    }
    reportLost();
    await sleep(RETRY_DELAYS[Math.min(attempt, RETRY_DELAYS.length - 1)], signal);
  }
}
