// The demo widget's conversation: once the API has started a chat, amazon-connect-chatjs (the npm
// package's browser bundle, served by the local server) holds it, with the Participant Service stand-in
// of `npm start` (the chat sandbox) or, for a deployed API (`?api=`), the real Participant Service.
// These are the two lines a widget needs: setGlobalConfig({ endpoint, region }) before the first
// ChatSession.create, and disableCSM: true.

import { createChatView, describeError } from '/chat-ui/chat-view.js';

function meta(name) {
  return document.querySelector(`meta[name="${name}"]`)?.content ?? '';
}

/** The sandbox's endpoint, or none (the real service) when the page talks to a deployed API. */
function participantEndpoint() {
  return new URLSearchParams(location.search).has('api') ? '' : meta('start-chat-participant-endpoint');
}

/** The region: a deployed API's own, else the one `npm start` uses. */
function region() {
  const api = new URLSearchParams(location.search).get('api') ?? '';
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(api)?.[1] ?? (meta('start-chat-region') || 'us-east-1');
}

/** The ChatSession.create line, as this page runs it (also the result panel's hint). */
export function createLine() {
  return `connect.ChatSession.create({ chatDetails: startChatResult, type: 'CUSTOMER', disableCSM: true, options: { region: '${region()}' } });`;
}

/** The two lines, as this page runs them. */
export function chatjsLines() {
  const endpoint = participantEndpoint();
  const config = endpoint ? `{ endpoint: '${endpoint}', region: '${region()}' }` : `{ region: '${region()}' }`;
  return [`connect.ChatSession.setGlobalConfig(${config});`, createLine()].join('\n');
}

let current;

/** Opens the chat the API started (its answer's `data`) below the API's answer. */
export function openConversation(data) {
  const card = document.querySelector('#conversation');
  const container = document.querySelector('#chat');
  card.hidden = false;
  if (!window.connect?.ChatSession) {
    container.textContent =
      'amazon-connect-chatjs did not load (/vendor/amazon-connect-chat.js), so the chat cannot be held.';
    return;
  }
  // A new chat ends the one before.
  current?.disconnectParticipant().catch(() => {});
  const { startChatResult, featurePermissions } = data;
  const endpoint = participantEndpoint();
  connect.ChatSession.setGlobalConfig({ ...(endpoint && { endpoint }), region: region() });
  current = connect.ChatSession.create({
    chatDetails: startChatResult,
    type: 'CUSTOMER',
    disableCSM: true,
    options: { region: region() },
  });
  const view = createChatView({
    container,
    session: current,
    details: startChatResult,
    attachments: featurePermissions?.ATTACHMENTS === true,
  });
  view.connected.catch((error) => console.warn('chat not connected:', describeError(error)));
  card.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

document.querySelector('#chatjs-lines').textContent = chatjsLines();
