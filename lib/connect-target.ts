/**
 * The Amazon Connect instance and contact flows the function may use, from props that take either IDs or
 * ARNs. An ARN also fixes where the instance lives (partition, region, account); every ARN given must
 * agree on that and on the instance. IDs follow the handler's rule (handler-contract.ts). Values that are
 * unresolved tokens are taken as IDs, unchecked.
 */
import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ID_PATTERN } from './handler-contract.ts';
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
}

export interface ConnectTargetProps {
  readonly instanceId: string;
  readonly contactFlowId: string;
  readonly allowedContactFlowIds?: readonly string[];
}

const ARN_PREFIX = String.raw`^arn:(aws[a-z-]*):connect:([a-z0-9-]+):(\d{12}):instance/([A-Za-z0-9_-]{1,100})`;
const INSTANCE_ARN = new RegExp(`${ARN_PREFIX}$`);
const FLOW_ARN = new RegExp(`${ARN_PREFIX}/contact-flow/([A-Za-z0-9_-]{1,100})$`);

const EXAMPLE_INSTANCE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555';

interface ParsedArn {
  readonly location: ConnectLocation;
  readonly instanceId: string;
}

interface ParsedValue {
  readonly id: string;
  readonly arn: (ParsedArn & { readonly prop: string; readonly value: string }) | undefined;
}

function parseInstance(value: string): ParsedValue {
  if (Token.isUnresolved(value) || ID_PATTERN.test(value)) return { id: value, arn: undefined };
  const match = INSTANCE_ARN.exec(value);
  if (!match) {
    throw invalidProp(
      'instanceId',
      value,
      `must be an Amazon Connect instance ID (1-100 letters, digits, "-" or "_") or an instance ARN such as "${EXAMPLE_INSTANCE_ARN}"`,
    );
  }
  const [, partition, region, account, instanceId] = match as unknown as [string, string, string, string, string];
  return { id: instanceId, arn: { location: { partition, region, account }, instanceId, prop: 'instanceId', value } };
}

function parseFlow(prop: string, value: string): ParsedValue {
  if (Token.isUnresolved(value) || ID_PATTERN.test(value)) return { id: value, arn: undefined };
  const match = FLOW_ARN.exec(value);
  if (!match) {
    throw invalidProp(
      prop,
      value,
      `must be a contact flow ID (1-100 letters, digits, "-" or "_") or a contact flow ARN such as "${EXAMPLE_INSTANCE_ARN}/contact-flow/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"`,
    );
  }
  const [, partition, region, account, instanceId, flowId] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { id: flowId, arn: { location: { partition, region, account }, instanceId, prop, value } };
}

function sameLocation(a: ConnectLocation, b: ConnectLocation): boolean {
  return a.partition === b.partition && a.region === b.region && a.account === b.account;
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
    if (first && !sameLocation(arn.location, first.location)) {
      throw invalidProp(
        arn.prop,
        arn.value,
        `must name the same partition, region and account as ${first.prop} ("${first.value}"): one instance lives in one place`,
      );
    }
  }

  const stack = Stack.of(scope);
  const extraContactFlowIds = [...new Set(extras.map((extra) => extra.id))].filter((id) => id !== flow.id);
  return {
    instanceId: instance.id,
    contactFlowId: flow.id,
    extraContactFlowIds,
    location: first?.location ?? { partition: stack.partition, region: stack.region, account: stack.account },
    regionFromArn: first?.location.region,
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
