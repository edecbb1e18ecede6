// The demo widget: starts a chat from the form with the package's browser client
// (start-chat-contact-api/client, served as /client/index.js), which posts to the API cross-origin (so with
// a CORS preflight) and retries as a widget should; shows data.startChatResult, or the error, or why the
// browser got no answer; then holds the chat with amazon-connect-chatjs (conversation.js). Plain browser
// JavaScript, served as is.

import { startChat } from '/client/index.js';
import { createLine, openConversation } from './conversation.js';

const form = document.querySelector('#start-chat');
const button = document.querySelector('#start');
const result = document.querySelector('#result');

/** The API endpoint: `?api=` on this page's address, else the one the local server filled in. */
function apiUrl() {
  const fromQuery = new URLSearchParams(location.search).get('api');
  if (fromQuery && /^https?:\/\//i.test(fromQuery)) return fromQuery;
  return document.querySelector('meta[name="start-chat-api-url"]').content;
}

// Sign in as a test customer (`npm start -- --identity=...`): the switch shows when the local server filled in
// the local identity provider's token URL; when it is on, each start fetches a fresh token and sends it as
// `Authorization: Bearer`. Self-contained: the <meta>, the switch and identityHeaders().
const tokenUrl = document.querySelector('meta[name="start-chat-token-url"]')?.content ?? '';
const signIn = document.querySelector('#sign-in');
if (/^https?:\/\//.test(tokenUrl) && signIn) document.querySelector('#sign-in-option').hidden = false;

/** The headers of a signed-in test customer: `{ Authorization: 'Bearer …' }`, or none when signed out. */
async function identityHeaders() {
  if (!signIn?.checked || !/^https?:\/\//.test(tokenUrl)) return {};
  const response = await fetch(tokenUrl, { method: 'POST' });
  if (!response.ok) throw new Error(`the local identity provider answered ${response.status}`);
  const { access_token: token } = await response.json();
  return { Authorization: `Bearer ${token}` };
}

function el(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** A long token shown by its start and length; the full value stays in the response body below. */
function shorten(value) {
  return typeof value === 'string' && value.length > 40
    ? `${value.slice(0, 24)}… (${value.length} characters)`
    : String(value);
}

function show(state, { title, summary = '', fields = [], details = [], hint = '', body }) {
  result.hidden = false;
  result.dataset.state = state;
  document.querySelector('#result-title').textContent = title;
  document.querySelector('#result-summary').textContent = summary;
  document
    .querySelector('#result-fields')
    .replaceChildren(
      ...fields.flatMap(([name, value, testId]) => [
        el('dt', name),
        el('dd', value, testId ? { 'data-testid': testId } : {}),
      ]),
    );
  document.querySelector('#result-details').replaceChildren(
    ...details.map(({ field, message }) => {
      const item = el('li');
      item.append(el('code', field), ` ${message}`);
      return item;
    }),
  );
  // The hint alternates text and code: ['text', 'code', 'text', ...].
  const parts = Array.isArray(hint) ? hint : [hint];
  document
    .querySelector('#result-hint')
    .replaceChildren(...parts.map((part, i) => (i % 2 === 1 ? el('code', part) : part)));
  const pre = document.querySelector('#result-body');
  pre.textContent = body === undefined ? '' : JSON.stringify(body, null, 2);
  pre.closest('details').hidden = body === undefined;
}

function showStarted(status, json) {
  const { startChatResult, featurePermissions } = json.data;
  show('success', {
    title: `Chat started · ${status}`,
    summary:
      'The API answered with data.startChatResult, what ChatInterface, amazon-connect-chatjs and the hosted widget read.',
    fields: [
      ['ContactId', startChatResult.ContactId, 'contact-id'],
      ['ParticipantId', startChatResult.ParticipantId, 'participant-id'],
      ['ParticipantToken', shorten(startChatResult.ParticipantToken)],
      ...(startChatResult.ContinuedFromContactId
        ? [['ContinuedFromContactId', startChatResult.ContinuedFromContactId]]
        : []),
      [
        'featurePermissions',
        Object.entries(featurePermissions ?? {})
          .map(([k, v]) => `${k}: ${v}`)
          .join(', '),
      ],
    ],
    hint: [
      'Next, a widget opens the chat with amazon-connect-chatjs, after the setGlobalConfig line shown further down: ',
      createLine(),
      ' This page does so below.',
    ],
    body: json,
  });
}

function showError(status, json, retryAfter) {
  const error = json && json.success === false && json.error ? json.error : undefined;
  show('error', {
    title: error ? `${status} · ${error.code}` : `${status} · ${json?.message ? json.message : 'unexpected answer'}`,
    summary: error
      ? error.message
      : 'API Gateway answered by itself (no such route, body too large, or the function failed or timed out).',
    fields: [
      ...(error?.requestId ? [['requestId', error.requestId]] : []),
      ...(retryAfter ? [['Retry-After', `${retryAfter} s`]] : []),
    ],
    details: error && Array.isArray(error.details) ? error.details : [],
    body: json,
  });
}

function showUnreachable(url, reason) {
  show('error', {
    title: 'No answer the page could read',
    summary: `The browser could not call ${url}: ${reason}.`,
    hint: `Either the API is not running, or the browser blocked the answer because this page's origin (${location.origin}) is not in the API's ALLOWED_ORIGINS. The browser console tells which.`,
  });
}

/** The start's time budget: long enough for a few retries, short enough to show a dead API soon. */
const START_TIMEOUT_MS = 10_000;

async function onSubmit(event) {
  event.preventDefault();
  const url = apiUrl();
  const displayName = form.elements.displayName.value;
  const firstMessage = form.elements.firstMessage.value.trim();
  const body = {
    ParticipantDetails: { DisplayName: displayName },
    ...(firstMessage && { InitialMessage: { ContentType: 'text/plain', Content: firstMessage } }),
  };
  button.disabled = true;
  button.textContent = 'Starting…';
  try {
    let identity;
    try {
      identity = await identityHeaders();
    } catch (error) {
      showUnreachable(tokenUrl, error instanceof Error ? error.message : String(error));
      return;
    }
    let data;
    try {
      data = await startChat(url, body, {
        headers: identity,
        timeoutMs: START_TIMEOUT_MS,
        onRetry: ({ delayMs, error }) => {
          button.textContent = `${error.code}; retrying in ${Math.ceil(delayMs / 1000)} s…`;
        },
      });
    } catch (error) {
      const { status, code, message, details, requestId, retryAfterSeconds } = error;
      if (status === 0) showUnreachable(url, `${code}: ${message}`);
      else showError(status, { success: false, error: { code, message, details, requestId } }, retryAfterSeconds);
      return;
    }
    showStarted(200, { success: true, data });
    openConversation(data);
  } finally {
    button.disabled = false;
    button.textContent = 'Start chat';
  }
}

document.querySelector('#api-url').textContent = apiUrl();
document.querySelector('#page-origin').textContent = location.origin;
form.addEventListener('submit', onSubmit);
