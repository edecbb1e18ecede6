/**
 * The deployable CDK app: one stack holding `StartChatContactApi`, configured from CDK context
 * (see bin/app-context.ts), with the chat URL as a stack output. cdk-nag's AwsSolutions checks run on
 * every synth, so a finding the construct has not acknowledged stops the deployment. Each synth bundles
 * the handler from the current sources first, so a deployment never ships a stale bundle.
 *
 *   npx cdk deploy -c instanceId=... -c contactFlowId=... -c allowedOrigins=https://www.example.com
 */
import { App, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StartChatContactApi } from '../lib/index.ts';
import { bundleHandler } from '../scripts/bundle-handler.ts';
import { appSettingsFromContext } from './app-context.ts';

await bundleHandler();
const app = new App();
const { stackName, props, alarmTopicArn } = appSettingsFromContext(app.node);

const stack = new Stack(app, stackName, {
  description: 'An HTTPS endpoint that starts Amazon Connect chats',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
const alarmTopic = alarmTopicArn === undefined ? undefined : Topic.fromTopicArn(stack, 'AlarmTopic', alarmTopicArn);
const chat = new StartChatContactApi(stack, 'StartChatContactApi', { ...props, alarmTopic });
new CfnOutput(stack, 'ChatUrl', { value: chat.url, description: 'POST chat requests here' });

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
