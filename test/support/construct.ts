/**
 * Synthesizes stacks holding `StartChatContactApi` for template assertions and cdk-nag checks. Every app
 * writes to a temporary directory of its own, removed when the test file's tests are done
 * (test/support/temporary-directory.ts); asset staging is off unless a test needs the staged asset. Apps have the feature flags of the repository's cdk.json, as the deployable app does
 * (`featureFlags: false` for an app without any, as in a CDK app that sets none).
 */
import { App, Aspects, CfnResource, Stack, type StackProps } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ANNOTATIONS_IN_VALIDATION_REPORT } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AwsSolutionsChecks as AwsSolutionsChecksV2 } from 'cdk-nag-2';
import type { IConstruct } from 'constructs';
import { StartChatContactApi, type StartChatContactApiProps } from '../../lib/index.ts';
import { NAG_V2_METADATA_KEY, type NagV2Suppression } from '../../lib/nag-acknowledgements.ts';
import { cdkJsonFeatureFlags } from './cdk-json.ts';
import { FLOW_ID, INSTANCE_ID, ORIGIN } from './handler.ts';
import { temporaryDirectory } from './temporary-directory.ts';

export { FLOW_ID, INSTANCE_ID, ORIGIN, OTHER_FLOW_ID } from './handler.ts';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-2';
export const INSTANCE_ARN = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}`;

/** The required props only. */
export const REQUIRED_PROPS: StartChatContactApiProps = {
  instanceId: INSTANCE_ID,
  contactFlowId: FLOW_ID,
  allowedOrigins: [ORIGIN],
};

/** A temporary directory for an app's cloud assembly, removed after the file's tests. */
export function temporaryOutdir(): string {
  return temporaryDirectory('chat-construct-');
}

export interface Synthesized {
  readonly app: App;
  readonly stack: Stack;
  readonly chat: StartChatContactApi;
}

export interface AppOptions {
  /** Copy the asset into the cloud assembly, as `cdk synth` does. @default false */
  readonly stageAssets?: boolean;
  /** Set the feature flags of the repository's cdk.json. @default true */
  readonly featureFlags?: boolean;
}

export interface BuildOptions extends AppOptions {
  readonly stackProps?: StackProps;
}

/** An app writing to a temporary directory, with cdk.json's feature flags. */
export function testApp(options: AppOptions = {}): App {
  return new App({
    outdir: temporaryOutdir(),
    context: {
      ...(options.featureFlags === false
        ? {}
        : { ...cdkJsonFeatureFlags(), [ANNOTATIONS_IN_VALIDATION_REPORT]: false }),
      ...(options.stageAssets ? {} : { 'aws:cdk:disable-asset-staging': true }),
    },
  });
}

/** A fresh app and stack with the construct, not yet synthesized. */
export function buildChat(props: Partial<StartChatContactApiProps> = {}, options: BuildOptions = {}): Synthesized {
  const app = testApp(options);
  const stack = new Stack(app, 'ChatStack', options.stackProps);
  const chat = new StartChatContactApi(stack, 'Chat', { ...REQUIRED_PROPS, ...props });
  return { app, stack, chat };
}

/** Synthesizes and reads the stack's template. */
export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** The template of a stack holding the construct with these props. */
export function synthChat(props: Partial<StartChatContactApiProps> = {}, stackProps?: StackProps): Template {
  return templateOf(buildChat(props, { stackProps }).stack);
}

/** Every unacknowledged AwsSolutions finding (errors and warnings) in `scope`, as "rule at path". */
export function nagFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
  );
}

/**
 * Every AwsSolutions finding (errors and warnings) cdk-nag 2 reports in `scope`, as "rule at path": its
 * checks added to the app as an Aspect, the way apps on cdk-nag 2 run it, and the app synthesized.
 */
export function nagV2Findings(scope: IConstruct): string[] {
  const app = scope.node.root;
  Aspects.of(app).add(new AwsSolutionsChecksV2());
  const under = `/${scope.node.path}`;
  return app.node
    .findAll()
    .filter((construct): construct is Stack => Stack.isStack(construct))
    .flatMap((stack) => {
      const annotations = Annotations.fromStack(stack);
      const pattern = Match.stringLikeRegexp('^AwsSolutions-');
      return [...annotations.findError('*', pattern), ...annotations.findWarning('*', pattern)];
    })
    .filter((message) => message.id === under || message.id.startsWith(`${under}/`) || under === '/')
    .map((message) => {
      const rule = /^AwsSolutions-[A-Za-z0-9]+(\[[^\]]*\])?/.exec(String(message.entry.data))?.[0];
      return `${rule} at ${message.id.slice(1)}`;
    });
}

/** The suppressions cdk-nag 2 reads under `scope` (`cdk_nag` metadata), named as cdk-nag 3 names them. */
export function nagV2Suppressions(scope: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return scope.node
    .findAll()
    .filter((construct): construct is CfnResource => CfnResource.isCfnResource(construct))
    .flatMap((resource) =>
      (
        (resource.getMetadata(NAG_V2_METADATA_KEY) as { rules_to_suppress?: NagV2Suppression[] } | undefined)
          ?.rules_to_suppress ?? []
      ).map((suppression) => ({
        path: resource.node.path,
        id:
          suppression.applies_to === undefined ? suppression.id : `${suppression.id}[${suppression.applies_to.join()}]`,
        reason: suppression.is_reason_encoded
          ? Buffer.from(suppression.reason, 'base64').toString('utf8')
          : suppression.reason,
      })),
    );
}

/** Every acknowledgement recorded on constructs under `scope`: rule id and reason, by construct path. */
export function acknowledgements(scope: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** The only resource of a type, as the template holds it (Type, Properties, DependsOn, ...). */
export function onlyResource(template: Template, type: string): Record<string, any> {
  const resources = Object.values(template.findResources(type));
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return resources[0]!;
}

/** The logical id of the only resource of a type, for matching references. */
export function logicalIdOf(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0]!;
}
