// A chat conversation on an amazon-connect-chatjs session: the message list (with the transcript loaded
// on connect and again after a reconnect), the other side's typing, delivered and read marks on your own
// messages, attachments when enabled, end chat, and a clear message for each error. Shared by the demo
// page (the customer) and the agent console (the agent). Plain browser JavaScript, served as is.

const EVENT = 'application/vnd.amazonaws.connect.event.';
const TYPING = `${EVENT}typing`;
const INTERACTIVE = 'application/vnd.amazonaws.connect.message.interactive';
const INTERACTIVE_RESPONSE = `${INTERACTIVE}.response`;
/** How long "… is typing" shows after the last typing event. */
const TYPING_SHOWN_MS = 3000;

/** An element with attributes (true: present, false or undefined: absent) and children. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.filter((child) => child !== undefined));
  return node;
}

function timeOf(item) {
  const time = item.AbsoluteTime ? new Date(item.AbsoluteTime) : new Date();
  return time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** What a failed chatjs call says, as a person can read it. */
export function describeError(error) {
  const inner = error?._debug?._debug ?? error?._debug ?? error;
  const type = inner?.type ?? inner?.name;
  const status = inner?.statusCode;
  if (type === 'AccessDeniedException') {
    return 'The Participant Service refused the token (403 AccessDeniedException): the chat has ended, or the token is not one it handed out.';
  }
  // The browser's fetch failed (no answer, or CORS refused it): chatjs passes on its TypeError.
  const unreachable = status === undefined && (type === undefined || type === 'TypeError');
  if (typeof error === 'string') return error;
  if (!unreachable && inner?.message) return `${type}${status ? ` (${status})` : ''}: ${inner.message}`;
  return 'No answer from the Participant Service. Is npm start still running, and is this page open on localhost or 127.0.0.1?';
}

/** The title and choices of an interactive message (a list picker and the like), if it has them. */
function interactiveParts(content) {
  try {
    const parsed = JSON.parse(content);
    const data = parsed?.data?.content ?? {};
    const choices = Array.isArray(data.elements) ? data.elements.map((element) => String(element?.title ?? '')) : [];
    return { templateType: parsed?.templateType, title: String(data.title ?? ''), choices };
  } catch {
    return { title: content, choices: [] };
  }
}

/**
 * Shows the conversation of `session` (created, not yet connected) in `container` and connects it.
 * `details` is the chat's startChatResult; `me` names this side ("You"); `attachments` turns the
 * attach button on.
 */
export function createChatView({ container, session, details, me = 'You', attachments = false, onEnded }) {
  const ownId = details.ParticipantId;
  const status = el('p', { class: 'chat-status', 'data-testid': 'chat-status' }, 'Connecting…');
  const endButton = el('button', { type: 'button', class: 'chat-end', disabled: true }, 'End chat');
  const log = el('ol', { class: 'chat-log', 'aria-live': 'polite', 'data-testid': 'chat-log' });
  const typing = el('p', { class: 'chat-typing', 'data-testid': 'chat-typing', hidden: true });
  const problem = el('p', { class: 'chat-error', role: 'alert', 'data-testid': 'chat-error', hidden: true });
  const text = el('textarea', {
    rows: '2',
    maxlength: '1024',
    placeholder: 'Write a message',
    'aria-label': 'Message',
  });
  const send = el('button', { type: 'submit' }, 'Send');
  const file = el('input', { type: 'file', hidden: true, 'data-testid': 'chat-file' });
  const attach = el('button', { type: 'button', class: 'chat-attach', hidden: !attachments }, 'Attach a file');
  const compose = el('form', { class: 'chat-compose' }, text, el('div', { class: 'chat-actions' }, attach, send), file);
  const root = el(
    'section',
    { class: 'chat', 'data-state': 'connecting' },
    el('header', { class: 'chat-head' }, status, endButton),
    log,
    typing,
    problem,
    compose,
  );
  container.replaceChildren(root);

  /** Rendered items by Id, and your own messages' marks. */
  const shown = new Map();
  const marks = new Map();
  let typingTimer;
  let connectedOnce = false;

  const setState = (state, message) => {
    root.dataset.state = state;
    status.textContent = message;
    const open = state === 'connected' || state === 'reconnecting';
    endButton.disabled = !open;
    for (const control of [text, send, attach]) control.disabled = !open;
  };
  const showError = (message) => {
    problem.hidden = message === undefined;
    problem.textContent = message ?? '';
  };

  const setMark = (messageId, mark) => {
    const node = marks.get(messageId);
    if (node === undefined || node.dataset.mark === 'read') return;
    node.dataset.mark = mark;
    node.textContent = mark === 'read' ? 'Read' : 'Delivered';
  };

  function renderEvent(item) {
    const who = item.DisplayName ?? item.ParticipantRole;
    const says = {
      [`${EVENT}participant.joined`]: `${who} joined the chat`,
      [`${EVENT}participant.left`]: `${who} left the chat`,
      [`${EVENT}chat.ended`]: 'The chat has ended',
      [`${EVENT}chat.rehydrated`]: 'This chat continues an earlier one',
      [`${EVENT}transfer.succeeded`]: 'The chat was transferred',
    }[item.ContentType];
    return says === undefined ? undefined : el('li', { class: 'chat-event' }, says);
  }

  function renderBody(item, own) {
    if (item.Type === 'ATTACHMENT') {
      const attachment = item.Attachments?.[0] ?? {};
      const button = el('button', { type: 'button', class: 'chat-download' }, `📎 ${attachment.AttachmentName}`);
      button.addEventListener('click', () => download(attachment));
      return el('p', { class: 'chat-text' }, button);
    }
    if (item.ContentType === INTERACTIVE) {
      const { title, choices, templateType } = interactiveParts(item.Content);
      const buttons = choices.map((choice) => {
        const button = el('button', { type: 'button', class: 'chat-choice', disabled: own }, choice);
        button.addEventListener('click', () => choose(templateType, choice));
        return button;
      });
      return el('div', { class: 'chat-text' }, el('p', {}, title), el('div', { class: 'chat-choices' }, ...buttons));
    }
    if (item.ContentType === INTERACTIVE_RESPONSE) {
      return el('p', { class: 'chat-text' }, interactiveParts(item.Content).title || item.Content);
    }
    return el('p', { class: 'chat-text' }, item.Content ?? '');
  }

  function render(item) {
    if (!item?.Id || shown.has(item.Id)) return;
    if (item.Type === 'MESSAGEMETADATA') {
      const receipt = item.MessageMetadata?.Receipts?.[0];
      if (receipt && receipt.RecipientParticipantId !== ownId) {
        setMark(item.MessageMetadata.MessageId, receipt.ReadTimestamp ? 'read' : 'delivered');
      }
      return;
    }
    let node;
    if (item.Type === 'EVENT') {
      node = renderEvent(item);
    } else if (item.Type === 'MESSAGE' || item.Type === 'ATTACHMENT') {
      const own = item.ParticipantId === ownId;
      const mark = own ? el('span', { class: 'chat-mark', 'data-mark': 'sent' }, 'Sent') : undefined;
      if (mark) marks.set(item.Id, mark);
      node = el(
        'li',
        {
          class: 'chat-message',
          'data-role': item.ParticipantRole,
          'data-own': own ? 'true' : 'false',
          'data-id': item.Id,
        },
        el('p', { class: 'chat-meta' }, `${own ? me : (item.DisplayName ?? item.ParticipantRole)} · ${timeOf(item)}`),
        renderBody(item, own),
        mark,
      );
      if (!own) acknowledge(item);
    }
    if (node === undefined) return;
    shown.set(item.Id, item);
    node.dataset.time = item.AbsoluteTime ?? '';
    // Keep the list in time order: a transcript loaded after a reconnect fills gaps.
    const later = [...log.children].find((child) => child.dataset.time > node.dataset.time);
    log.insertBefore(node, later ?? null);
    log.scrollTop = log.scrollHeight;
  }

  /** Tells the other side a message arrived, and that it was read if this page is in view. */
  function acknowledge(item) {
    const content = JSON.stringify({ messageId: item.Id });
    session.sendEvent({ contentType: `${EVENT}message.delivered`, content }).catch(() => {});
    if (document.visibilityState === 'visible') {
      session.sendEvent({ contentType: `${EVENT}message.read`, content }).catch(() => {});
    }
  }

  async function loadTranscript() {
    try {
      const page = await session.getTranscript({ maxResults: 100, scanDirection: 'BACKWARD', sortOrder: 'ASCENDING' });
      for (const item of page.data.Transcript) render(item);
    } catch (error) {
      showError(`Could not load the transcript: ${describeError(error)}`);
    }
  }

  async function download(attachment) {
    try {
      const blob = await session.downloadAttachment({ attachmentId: attachment.AttachmentId });
      const url = URL.createObjectURL(blob);
      const link = el('a', { href: url, download: attachment.AttachmentName });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      showError(`Could not download ${attachment.AttachmentName}: ${describeError(error)}`);
    }
  }

  async function sendMessage(contentType, message) {
    showError(undefined);
    try {
      await session.sendMessage({ contentType, message });
      return true;
    } catch (error) {
      showError(`The message was not sent: ${describeError(error)}`);
      return false;
    }
  }

  function choose(templateType, title) {
    sendMessage(
      INTERACTIVE_RESPONSE,
      JSON.stringify({ templateType: templateType ?? 'ListPicker', version: '1.0', data: { content: { title } } }),
    );
  }

  session.onMessage((event) => {
    const item = event.data;
    if (item.ParticipantId !== ownId && item.Type === 'MESSAGE') typing.hidden = true;
    render(item);
  });
  session.onTyping((event) => {
    const item = event.data;
    if (item.ParticipantId === ownId) return;
    typing.textContent = `${item.DisplayName ?? 'The other side'} is typing…`;
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      typing.hidden = true;
    }, TYPING_SHOWN_MS);
  });
  session.onDeliveredReceipt((event) => setMark(event.data.MessageMetadata.MessageId, 'delivered'));
  session.onReadReceipt((event) => setMark(event.data.MessageMetadata.MessageId, 'read'));
  session.onConnectionEstablished(() => {
    if (root.dataset.state === 'ended') return;
    setState('connected', 'Connected');
    if (connectedOnce) loadTranscript();
  });
  session.onConnectionLost(() => setState('reconnecting', 'Connection lost, reconnecting…'));
  session.onConnectionBroken(() => {
    if (root.dataset.state !== 'ended') setState('error', 'Disconnected');
  });
  session.onEnded(() => {
    setState('ended', 'The chat has ended');
    typing.hidden = true;
    onEnded?.();
  });

  compose.addEventListener('submit', async (event) => {
    event.preventDefault();
    const message = text.value.trim();
    if (message === '') return;
    if (await sendMessage('text/plain', message)) text.value = '';
  });
  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      compose.requestSubmit();
    }
  });
  text.addEventListener('input', () => {
    session.sendEvent({ contentType: TYPING }).catch(() => {});
  });
  attach.addEventListener('click', () => file.click());
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    file.value = '';
    if (chosen === undefined) return;
    showError(undefined);
    try {
      await session.sendAttachment({ attachment: chosen });
    } catch (error) {
      showError(`${chosen.name} was not sent: ${describeError(error)}`);
    }
  });
  endButton.addEventListener('click', async () => {
    endButton.disabled = true;
    try {
      await session.disconnectParticipant();
      // The socket may have brought chat.ended before this answer: the chat is over then, not ending.
      if (root.dataset.state !== 'ended') setState('ending', 'Ending the chat…');
    } catch (error) {
      showError(`Could not end the chat: ${describeError(error)}`);
      endButton.disabled = false;
    }
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') return;
    const last = [...shown.values()].filter((item) => item.ParticipantId !== ownId && item.Type === 'MESSAGE').at(-1);
    if (last) {
      const content = JSON.stringify({ messageId: last.Id });
      session.sendEvent({ contentType: `${EVENT}message.read`, content }).catch(() => {});
    }
  });

  setState('connecting', 'Connecting…');
  const connected = session.connect().then(
    async (result) => {
      connectedOnce = true;
      if (root.dataset.state === 'connecting') setState('connected', 'Connected');
      await loadTranscript();
      return result;
    },
    (error) => {
      setState('error', 'Not connected');
      showError(`Could not connect: ${describeError(error)}`);
      throw error;
    },
  );
  return { root, connected };
}
