/** The public API of the package. */
export type { ChatAlarmOptions, StartChatContactAlarmOptions } from './alarms.ts';
export { StartChatContactApiMetrics } from './chat-api-metrics.ts';
export {
  ChatIdentity,
  type ChatIdentityClaims,
  type ChatIdentityConfig,
  type ChatIdentityOptions,
  type CognitoIdentityProps,
  CognitoTokenUse,
  type OidcIdentityProps,
  type SharedSecretIdentityProps,
} from './chat-identity.ts';
export { StartChatContactApi, type StartChatContactApiProps } from './start-chat-contact-api.ts';
