/**
 * The Participant Service's operations, at the real service's REST paths. Each names its method, the
 * token its `X-Amz-Bearer` header carries (the ParticipantToken for CreateParticipantConnection, the
 * ConnectionToken for the rest) and what it does with the chat.
 */
import type { ChatStore, Participant } from './chat-store.ts';
import { ParticipantServiceError } from './protocol-errors.ts';
import type { Body } from './request-fields.ts';

export interface Operation {
  readonly name: string;
  readonly method: 'POST' | 'GET';
  readonly bearer: 'participant' | 'connection';
  readonly run: (store: ChatStore, participant: Participant, body: Body) => unknown;
}

/** Operations the sandbox knows but does not offer; the answer says so. */
function notInSandbox(name: string, what: string): Operation['run'] {
  return () => {
    throw new ParticipantServiceError('ValidationException', `${name} (${what}) is not available in the chat sandbox`);
  };
}

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  '/participant/connection': {
    name: 'CreateParticipantConnection',
    method: 'POST',
    bearer: 'participant',
    run: (store, participant, body) => store.createConnection(participant, body),
  },
  '/participant/message': {
    name: 'SendMessage',
    method: 'POST',
    bearer: 'connection',
    run: (store, participant, body) => store.sendMessage(participant, body),
  },
  '/participant/event': {
    name: 'SendEvent',
    method: 'POST',
    bearer: 'connection',
    run: (store, participant, body) => store.sendEvent(participant, body),
  },
  '/participant/transcript': {
    name: 'GetTranscript',
    method: 'POST',
    bearer: 'connection',
    run: (store, participant, body) => store.transcript(participant, body),
  },
  '/participant/disconnect': {
    name: 'DisconnectParticipant',
    method: 'POST',
    bearer: 'connection',
    run: (store, participant) => {
      store.disconnect(participant);
      return {};
    },
  },
  '/participant/start-attachment-upload': {
    name: 'StartAttachmentUpload',
    method: 'POST',
    bearer: 'connection',
    run: (store, participant, body) => store.attachments.start(participant.contact.attachments, participant.id, body),
  },
  '/participant/complete-attachment-upload': {
    name: 'CompleteAttachmentUpload',
    method: 'POST',
    bearer: 'connection',
    run: (store, participant, body) => {
      store.completeAttachment(participant, body);
      return {};
    },
  },
  '/participant/attachment': {
    name: 'GetAttachment',
    method: 'POST',
    bearer: 'connection',
    run: (store, participant, body) => store.attachments.download(store.attachmentChain(participant.contact), body),
  },
  '/participant/authentication-url': {
    name: 'GetAuthenticationUrl',
    method: 'POST',
    bearer: 'connection',
    run: notInSandbox('GetAuthenticationUrl', 'customer authentication in a flow'),
  },
  '/participant/cancel-authentication': {
    name: 'CancelParticipantAuthentication',
    method: 'POST',
    bearer: 'connection',
    run: notInSandbox('CancelParticipantAuthentication', 'customer authentication in a flow'),
  },
};

/** DescribeView: `GET /participant/views/{ViewToken}`; the sandbox has no views (step-by-step guides). */
export const DESCRIBE_VIEW: Operation = {
  name: 'DescribeView',
  method: 'GET',
  bearer: 'connection',
  run: () => {
    throw new ParticipantServiceError(
      'ResourceNotFoundException',
      'The chat sandbox has no views (step-by-step guides)',
    );
  },
};

/** The operation at a path, if any. */
export function operationAt(pathname: string): Operation | undefined {
  if (Object.hasOwn(OPERATIONS, pathname)) return OPERATIONS[pathname];
  return /^\/participant\/views\/[^/]+$/.test(pathname) ? DESCRIBE_VIEW : undefined;
}
