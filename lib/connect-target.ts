/**
 * The Amazon Connect instance and contact flows the function may use, from props that take either IDs or
 * ARNs. An ARN also fixes where the instance lives (partition, region, account); every ARN given must
 * agree on that and on the instance, and an instance in another account than the stack's is refused. IDs
 * follow the handler's rule (handler-contract.ts). Values that are unresolved tokens are taken as IDs,
 * unchecked.
 */
import { Annotations, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ID_PATTERN, ID_RULE, parseConnectArn } from './handler-contract.ts';
import { invalidProp } from './invalid-prop.ts';

/** Where an instance lives. Values may be tokens (the stack's own region and account). */
export interface ConnectLocation {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

export interface ConnectTarget {
  readonly instanceId: string;
  /** The flow chats start in when a request names none. */
  readonly contactFlowId: string;
  /** Further flows a request may name, without the default flow and without repeats. */
  readonly extraContactFlowIds: readonly string[];
  /** Where the instance lives: from the ARNs given, else the stack's. */
  readonly location: ConnectLocation;
  /** The region named by an ARN, which the function must call; undefined when only IDs were given. */
  readonly regionFromArn: string | undefined;
  /**
   * Whether the instance is in the stack's account and region, so the stack can read (and alarm on) its
   * metrics. True for an instance given by ID (the function calls Connect where it runs); for an ARN, only
   * when the stack's account and region are known at synth and are the ARN's.
   */
  readonly inStackEnvironment: boolean;
}

export interface ConnectTargetProps {
  readonly instanceId: string;
  readonly contactFlowId: string;
  readonly allowedContactFlowIds?: readonly string[];
}

/** The id of the synth warning for an instance in another region than the stack. */
export const CROSS_REGION_WARNING = 'start-chat-contact-api:instanceInAnotherRegion';

const EXAMPLE_INSTANCE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555';

interface ParsedValue {
  readonly id: string;
  readonly arn:
    | (ConnectLocation & { readonly instanceId: string; readonly prop: string; readonly value: string })
    | undefined;
}

function parseInstance(value: string): ParsedValue {
  if (Token.isUnresolved(value) || ID_PATTERN.test(value)) return { id: value, arn: undefined };
  const arn = parseConnectArn(value);
  if (arn === undefined || arn.contactFlowId !== undefined) {
    throw invalidProp(
      'instanceId',
      value,
      `must be an Amazon Connect instance ID (${ID_RULE}) or an instance ARN such as "${EXAMPLE_INSTANCE_ARN}"`,
    );
  }
  return { id: arn.instanceId, arn: { ...arn, prop: 'instanceId', value } };
}

function parseFlow(prop: string, value: string): ParsedValue {
  if (Token.isUnresolved(value) || ID_PATTERN.test(value)) return { id: value, arn: undefined };
  const arn = parseConnectArn(value);
  if (arn?.contactFlowId === undefined) {
    throw invalidProp(
      prop,
      value,
      `must be a contact flow ID (${ID_RULE}), not the flow's name, or a contact flow ARN such as "${EXAMPLE_INSTANCE_ARN}/contact-flow/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"`,
    );
  }
  return { id: arn.contactFlowId, arn: { ...arn, prop, value } };
}

function sameLocation(a: ConnectLocation, b: ConnectLocation): boolean {
  return a.partition === b.partition && a.region === b.region && a.account === b.account;
}

/**
 * An instance in another account can never be called (its IAM and Connect refuse every request), so that
 * fails here. An instance in another region works, but sends every chat request across regions: a warning.
 */
function checkAgainstStack(scope: IConstruct, arn: NonNullable<ParsedValue['arn']>): void {
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(stack.account) && stack.account !== arn.account) {
    throw invalidProp(
      arn.prop,
      arn.value,
      `names an instance in account ${arn.account}, but the stack deploys to account ${stack.account}: the function cannot start chats in another account's instance (Amazon Connect would refuse every request, answered 502 UPSTREAM_REJECTED). Deploy the stack in account ${arn.account}, or use an instance of account ${stack.account}`,
    );
  }
  if (!Token.isUnresolved(stack.region) && stack.region !== arn.region) {
    Annotations.of(scope).addWarningV2(
      CROSS_REGION_WARNING,
      `${arn.prop} names an instance in ${arn.region}, but the stack deploys to ${stack.region}: the function in ${stack.region} calls Amazon Connect in ${arn.region}, so every chat request (display names, first messages, attributes) leaves ${stack.region} for ${arn.region}. Where customers' data must stay in one region, deploy the stack in ${arn.region}.`,
    );
  }
}

export function resolveConnectTarget(scope: IConstruct, props: ConnectTargetProps): ConnectTarget {
  const instance = parseInstance(props.instanceId);
  const flow = parseFlow('contactFlowId', props.contactFlowId);
  const extras = (props.allowedContactFlowIds ?? []).map((value) => parseFlow('allowedContactFlowIds', value));

  const arns = [instance, flow, ...extras].flatMap((parsed) => (parsed.arn ? [parsed.arn] : []));
  const first = arns[0];
  for (const arn of arns) {
    if (!Token.isUnresolved(instance.id) && arn.instanceId !== instance.id) {
      throw invalidProp(
        arn.prop,
        arn.value,
        `must be a contact flow of the instance "${instance.id}" given in instanceId`,
      );
    }
    if (first && !sameLocation(arn, first)) {
      throw invalidProp(
        arn.prop,
        arn.value,
        `must name the same partition, region and account as ${first.prop} ("${first.value}"): one instance lives in one place`,
      );
    }
  }
  if (first) checkAgainstStack(scope, first);

  const stack = Stack.of(scope);
  const extraContactFlowIds = [...new Set(extras.map((extra) => extra.id))].filter((id) => id !== flow.id);
  const location: ConnectLocation | undefined = first && {
    partition: first.partition,
    region: first.region,
    account: first.account,
  };
  return {
    instanceId: instance.id,
    contactFlowId: flow.id,
    extraContactFlowIds,
    location: location ?? { partition: stack.partition, region: stack.region, account: stack.account },
    regionFromArn: first?.region,
    inStackEnvironment:
      first === undefined ||
      (!Token.isUnresolved(stack.region) &&
        !Token.isUnresolved(stack.account) &&
        stack.region === first.region &&
        stack.account === first.account),
  };
}

/** The contact-flow resources `connect:StartChatContact` is allowed on: the default flow and the extras. */
export function contactFlowArns(target: ConnectTarget): string[] {
  return [target.contactFlowId, ...target.extraContactFlowIds].map(
    (flowId) => `${instanceArn(target)}/contact-flow/${flowId}`,
  );
}

/** The contact resources of the instance, evaluated when a chat continues or relates to a past contact. */
export function contactsArn(target: ConnectTarget): string {
  return `${instanceArn(target)}/contact/*`;
}

function instanceArn({ location, instanceId }: ConnectTarget): string {
  return `arn:${location.partition}:connect:${location.region}:${location.account}:instance/${instanceId}`;
}
