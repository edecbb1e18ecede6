// The agent console: lists the sandbox's chats (polling its small API), and for the one you open takes
// it over from the simulated agent and holds it as the agent with amazon-connect-chatjs. chatjs's own
// agent sessions need the Amazon Connect Streams agent websocket; the customer code path speaks the same
// Participant Service protocol, so the console uses it with the agent's participant token.

import { createChatView, el } from './chat-ui/chat-view.js';

const API = './api/chats';
const HEADERS = { 'X-Sandbox-Console': '1' };
const POLL_MS = 1000;
const REGION = 'us-east-1';

const list = document.querySelector('#chat-list');
const panels = document.querySelector('#panels');
/** The chats you have opened: their panel and session, by ContactId. */
const opened = new Map();
let selected;

async function api(path, method = 'GET') {
  const response = await fetch(path, { method, headers: HEADERS });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message ?? `${response.status}`);
  return body;
}

function showPanel(contactId) {
  selected = contactId;
  document.querySelector('#panel-empty').hidden = true;
  for (const [id, chat] of opened) chat.panel.hidden = id !== contactId;
  for (const row of list.children) row.classList.toggle('selected', row.dataset.contactId === contactId);
}

async function open(chat) {
  if (opened.has(chat.contactId)) return showPanel(chat.contactId);
  const panel = el('div', { class: 'panel', 'data-contact-id': chat.contactId });
  const drop = el('button', { type: 'button', class: 'drop' }, "Drop the customer's connection");
  const view = el('div');
  panel.append(el('div', { class: 'panel-head' }, el('h2', {}, `Chat with ${chat.customerName}`), drop), view);
  panels.append(panel);
  opened.set(chat.contactId, { panel });
  showPanel(chat.contactId);
  try {
    const agent = await api(`${API}/${encodeURIComponent(chat.contactId)}/take-over`, 'POST');
    const details = {
      ContactId: agent.ContactId,
      ParticipantId: agent.ParticipantId,
      ParticipantToken: agent.ParticipantToken,
    };
    connect.ChatSession.setGlobalConfig({ endpoint: location.origin, region: REGION });
    const session = connect.ChatSession.create({
      chatDetails: details,
      type: 'CUSTOMER',
      disableCSM: true,
      options: { region: REGION },
    });
    createChatView({ container: view, session, details, me: 'You (agent)', attachments: agent.attachmentsEnabled });
    opened.get(chat.contactId).session = session;
  } catch (error) {
    view.textContent = `Could not take the chat over: ${error.message}`;
  }
  drop.addEventListener('click', () => api(`${API}/${encodeURIComponent(chat.contactId)}/drop-connection`, 'POST'));
}

function row(chat) {
  const state = { waiting: 'waiting for the customer', connected: 'connected', ended: 'ended' }[chat.state];
  const who = chat.agent === 'console' ? 'you' : 'simulated agent';
  const last = chat.lastMessage ? `${chat.lastMessage.role === 'CUSTOMER' ? '' : '↩ '}${chat.lastMessage.text}` : '';
  const button = el(
    'button',
    { type: 'button', class: 'chat-row' },
    el('span', { class: 'name' }, chat.customerName),
    el('span', { class: `state state-${chat.state}` }, `${state} · ${who}`),
    el('span', { class: 'last' }, last),
  );
  button.addEventListener('click', () => open(chat));
  const item = el('li', { 'data-contact-id': chat.contactId, 'data-state': chat.state }, button);
  item.classList.toggle('selected', chat.contactId === selected);
  return item;
}

async function refresh() {
  const error = document.querySelector('#list-error');
  try {
    const { chats } = await api(API);
    chats.sort((a, b) => (a.state === 'ended') - (b.state === 'ended') || b.startedAt.localeCompare(a.startedAt));
    list.replaceChildren(...chats.map(row));
    document.querySelector('#no-chats').hidden = chats.length > 0;
    error.hidden = true;
  } catch {
    error.textContent = 'The chat sandbox does not answer: is npm start still running?';
    error.hidden = false;
  }
}

refresh();
setInterval(refresh, POLL_MS);
