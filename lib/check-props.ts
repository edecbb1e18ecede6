/**
 * Every check of `StartChatContactApiProps` that needs no handler bundle, in one place: the props and their
 * defaults (resolve-props.ts), the alarm options (alarms.ts), and the identity's claims against the request
 * policy. The construct makes them first, before it reads its asset; the deployable app (bin/app.ts) makes
 * them on a stack of its own before it bundles the handler, so a refused prop costs no bundling.
 */
import type { Construct } from 'constructs';
import { type ResolvedAlarmSettings, resolveAlarmSettings } from './alarms.ts';
import type { ChatIdentityConfig } from './chat-identity.ts';
import { identityPolicyConflict } from './handler-contract.ts';
import { invalidProp } from './invalid-prop.ts';
import { type ResolvedProps, resolveProps } from './resolve-props.ts';
import type { StartChatContactApiProps } from './start-chat-contact-api.ts';

/** The props, checked, with every default applied. */
export interface CheckedProps {
  readonly settings: ResolvedProps;
  readonly alarmSettings: ResolvedAlarmSettings;
  /** The identity bound to `scope`; undefined without `identity`. */
  readonly identity: ChatIdentityConfig | undefined;
}

/** Checks the props in `scope`; a bad prop throws an error naming it, the value and what is allowed. */
export function checkProps(scope: Construct, props: StartChatContactApiProps): CheckedProps {
  const settings = resolveProps(scope, props);
  const alarmSettings = resolveAlarmSettings(props);
  const identity = props.identity?.bind(scope);
  const conflict = identity && identityPolicyConflict(identity.claims, settings);
  if (conflict) throw invalidProp('identity.claims', identity.claims, `conflict with the other props: ${conflict}`);
  return { settings, alarmSettings, identity };
}
