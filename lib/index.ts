/** The public API of the package. */
export { StartChatContactApi, type StartChatContactApiProps } from './start-chat-contact-api.ts';
