/** The public API of the package. */
export type { ChatAlarmOptions, StartChatContactAlarmOptions } from './alarms.ts';
export { StartChatContactApiMetrics } from './chat-api-metrics.ts';
export { StartChatContactApi, type StartChatContactApiProps } from './start-chat-contact-api.ts';
