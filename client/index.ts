/**
 * `start-chat-contact-api/client`: starts an Amazon Connect chat through the start-chat endpoint from a
 * browser, React Native or Node (20 and later), with retries that never start a second chat. No dependencies.
 */
export type * from './http-contract.ts';
export type { AbortSignalLike, FetchLike, PlatformAbortSignal, PlatformFetch, ResponseLike } from './platform.ts';
export { START_CHAT_DEFAULTS, type StartChatOptions, startChat } from './start-chat.ts';
export { type ClientErrorCode, StartChatError, type StartChatErrorInit } from './start-chat-error.ts';
