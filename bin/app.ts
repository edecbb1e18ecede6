/**
 * The deployable CDK app: one stack holding `StartChatContactApi`, configured from CDK context (cdk.json's
 * `context`, or `-c key=value`; see bin/app-context.ts), with the chat URL as a stack output. cdk-nag's
 * AwsSolutions checks run on every synth, so a finding the construct has not acknowledged stops the
 * deployment. cdk.json runs it through bin/run-app.mjs, which finds a Node that runs TypeScript.
 *
 * - The context is read first. A misspelled key, a bad value, or a prop the construct (or aws-cdk-lib)
 *   refuses prints its message alone and exits 1.
 * - Commands that need the template (`synth`, `diff`, `deploy`) need the required values. Commands that
 *   need only the stack's name and environment (`ls`, `bootstrap`, `destroy`: the CLI asks for no
 *   bundling) run without them.
 * - The handler is bundled from the current sources only once the context is valid, and only for
 *   commands that need the template (or when no bundle exists yet), so a deployment never ships a stale one.
 */

import { existsSync } from 'node:fs';
import { Annotations, App, CfnOutput, Errors, Stack, Validations } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { checkProps } from '../lib/check-props.ts';
import { StartChatContactApi } from '../lib/index.ts';
import { bundleHandler, HANDLER_BUNDLE } from '../scripts/bundle-handler.ts';
import { appSettingsFromContext, ContextError, missingContextMessage } from './app-context.ts';
import { fallbackRegionNotice, stackEnvironment } from './stack-environment.ts';

/** The id of the warning for a region that is only the CLI's fallback. */
export const FALLBACK_REGION_WARNING = 'start-chat-contact-api-app:fallbackRegion';

/**
 * Errors in the deployer's values: their message says what to fix, a stack trace adds nothing. Those of the
 * app and the construct, and aws-cdk-lib's own validation errors (a value it refuses as it builds the stack).
 */
function isConfigurationError(error: unknown): error is Error {
  return (
    error instanceof ContextError ||
    Errors.isValidationError(error) ||
    (error instanceof Error && error.message.startsWith('StartChatContactApi: '))
  );
}

async function main(): Promise<void> {
  const app = new App();
  const settings = appSettingsFromContext(app.node);
  const env = stackEnvironment(settings, process.env);
  const stack = new Stack(app, settings.stackName, {
    description: 'An HTTPS endpoint that starts Amazon Connect chats',
    env,
  });
  const notice = await fallbackRegionNotice(settings, process.env);
  if (notice !== undefined) Annotations.of(stack).addWarningV2(FALLBACK_REGION_WARNING, notice);

  if (settings.props === undefined) {
    const message = missingContextMessage(settings.missing);
    if (stack.bundlingRequired) throw new ContextError(message);
    process.stderr.write(`Note: ${message}\n(cdk synth, diff and deploy need them; this command does not.)\n`);
    app.synth();
    return;
  }

  // The construct's checks first, identity included, on a stack of the same environment in an app that is
  // never synthesized: a refused prop costs no bundling.
  const check = new Stack(new App({ autoSynth: false }), 'PropsCheck', { env });
  checkProps(check, { ...settings.props, identity: settings.identity?.(check) });
  if (stack.bundlingRequired || !existsSync(HANDLER_BUNDLE)) await bundleHandler();
  const alarmTopic =
    settings.alarmTopicArn === undefined ? undefined : Topic.fromTopicArn(stack, 'AlarmTopic', settings.alarmTopicArn);
  const chat = new StartChatContactApi(stack, 'StartChatContactApi', {
    ...settings.props,
    alarmTopic,
    identity: settings.identity?.(stack),
  });
  new CfnOutput(stack, 'ChatUrl', { value: chat.url, description: 'POST chat requests here' });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}

try {
  await main();
} catch (error) {
  if (!isConfigurationError(error)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
