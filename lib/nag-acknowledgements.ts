/**
 * The cdk-nag (AwsSolutions) findings this construct accepts, each acknowledged on the resource it
 * concerns, with the reason, in the two forms the two majors of cdk-nag read:
 *
 * - cdk-nag 3 reads CDK's `Validations` acknowledgements (`Validations.of(x).acknowledge({ id, reason })`),
 *   on the construct or an ancestor;
 * - cdk-nag 2 (its `Aspects`, with `NagSuppressions`) reads the `cdk_nag` metadata of the CloudFormation
 *   resource, `{ rules_to_suppress: [{ id, reason, applies_to? }] }`, which `NagSuppressions` writes; it is
 *   written here the same way, so the template also records the reasons.
 *
 * Only findings that actually arise are acknowledged: e.g. no APIG3 once a web ACL is attached, no APIG4
 * with an authorizer. Nothing here imports cdk-nag, so the construct works in apps with either major or
 * none, and the package does not depend on it.
 */
import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export const NAG_REASONS = {
  noRequestValidator:
    'Chat clients send the JSON body as text/plain (ChatInterface) or form-encoded (the jQuery sample) as well as application/json, and API Gateway model validation only applies to a matching Content-Type, so it would check some clients and not others. The function validates every field for every Content-Type before anything reaches Amazon Connect and answers 400 VALIDATION_ERROR naming each problem.',
  noWebAcl:
    "AWS WAF is opt-in (perIpRateLimit or webAclArn) because a web ACL has a monthly cost. Without it, stage throttling, the origin allow-list and the function's validation and allow-lists bound abuse.",
  publicChatRoute:
    "A public chat entry point: anonymous website and app visitors start chats, so there is no caller identity to check. Abuse is bounded by stage throttling, the origin allow-list, the function's validation and allow-lists, and the optional per-IP rate limit; sites whose users sign in pass the authorizer prop.",
  nonCognitoAuthorizer:
    'The deployer chose a non-Cognito authorizer (the authorizer prop); the method is authorized by it.',
  pastContacts:
    "Persistent and related chats name a past contact chosen at request time, so the contacts cannot be listed; the wildcard covers only this instance's contacts, for the one action connect:StartChatContact.",
  tracing:
    'AWS X-Ray accepts trace segments only on resource "*" (xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions); Lambda adds exactly these two actions for active tracing, which the deployer turned on with the tracing prop.',
  secretArnSuffix:
    "The identity secret was imported by name, so its ARN's last six characters (the suffix Secrets Manager adds) are unknown at synth; the wildcard covers only that suffix of the one secret, for the one action secretsmanager:GetSecretValue. Import the secret by its complete ARN to drop it.",
  apiGatewayLogGroups:
    "API Gateway's CloudWatch role is one per account and region and writes the logs of every REST API there, including the execution log groups it creates (API-Gateway-Execution-Logs_<api>/<stage>), so it reaches this account's log groups in this region, with the log actions of AWS's managed policy for it.",
} as const;

/** The metadata key cdk-nag 2 reads suppressions from, on a CloudFormation resource. */
export const NAG_V2_METADATA_KEY = 'cdk_nag';

/** One suppression as cdk-nag 2 stores it (its `NagSuppressions` format). */
export interface NagV2Suppression {
  readonly id: string;
  readonly reason: string;
  readonly applies_to?: string[];
  /** Set when `reason` is base64 (cdk-nag 2 encodes reasons holding characters above U+00FF). */
  readonly is_reason_encoded?: boolean;
}

/** Acknowledges the finding for cdk-nag 3 (CDK's Validations). */
function acknowledgeV3(scope: IConstruct, id: string, reason: string): void {
  try {
    Validations.of(scope).acknowledge({ id, reason });
  } catch (error) {
    // aws-cdk-lib releases before the fix for ids holding "::" inside brackets (aws/aws-cdk#38787) reject
    // such ids (IAM5 findings on ARNs with `<AWS::Partition>`); there the finding stays visible rather
    // than failing the synth.
    if (!(error instanceof Error && error.message.includes('Invalid validation rule ID'))) throw error;
  }
}

/** The CloudFormation resource of `scope`: itself, or its default child (an L2 construct's resource). */
function cfnResourceOf(scope: IConstruct): CfnResource {
  const candidate = (scope.node.defaultChild ?? scope) as Partial<CfnResource>;
  if (typeof candidate.addMetadata !== 'function' || typeof candidate.getMetadata !== 'function') {
    throw new Error(`${scope.node.path} has no CloudFormation resource to record a cdk-nag suppression on`);
  }
  return candidate as CfnResource;
}

/** Suppresses the finding for cdk-nag 2, as its `NagSuppressions.addResourceSuppressions` does. */
function suppressV2(scope: IConstruct, rule: string, reason: string, finding: string | undefined): void {
  const resource = cfnResourceOf(scope);
  const encoded = [...reason].some((character) => character.codePointAt(0)! > 255);
  const suppression: NagV2Suppression = {
    id: rule,
    reason: encoded ? Buffer.from(reason).toString('base64') : reason,
    ...(finding !== undefined && { applies_to: [finding] }),
    ...(encoded && { is_reason_encoded: true }),
  };
  const existing = (resource.getMetadata(NAG_V2_METADATA_KEY) as { rules_to_suppress?: NagV2Suppression[] } | undefined)
    ?.rules_to_suppress;
  resource.addMetadata(NAG_V2_METADATA_KEY, { rules_to_suppress: [...(existing ?? []), suppression] });
}

/**
 * Acknowledges one finding for both majors: a rule (`AwsSolutions-APIG2`), or one finding of a rule
 * (`AwsSolutions-IAM5` with `Resource::...`; cdk-nag 3 names it `AwsSolutions-IAM5[Resource::...]`).
 */
function acknowledge(scope: IConstruct, rule: string, reason: string, finding?: string): void {
  acknowledgeV3(scope, finding === undefined ? rule : `${rule}[${finding}]`, reason);
  suppressV2(scope, rule, reason, finding);
}

/** The finding cdk-nag gives a wildcard resource: the resource with references flattened, as cdk-nag does. */
function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}`;
}

function flattenCfnReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const fn = node as Record<string, unknown>;
    if (fn['Fn::Join']) {
      const [delimiter, items] = fn['Fn::Join'] as [string, unknown[]];
      return items.map(flattenCfnReference).join(delimiter);
    }
    if (fn['Fn::Sub']) return flattenCfnReference(fn['Fn::Sub']);
    if (fn['Fn::GetAtt']) {
      const [resource, attribute] = fn['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenCfnReference(resource)}.${flattenCfnReference(attribute)}>`;
    }
    if (fn['Fn::ImportValue']) return flattenCfnReference(fn['Fn::ImportValue']);
    if (fn.Ref) return `<${flattenCfnReference(fn.Ref)}>`;
  }
  return JSON.stringify(node);
}

export function acknowledgeNoRequestValidator(restApi: IConstruct): void {
  acknowledge(restApi, 'AwsSolutions-APIG2', NAG_REASONS.noRequestValidator);
}

export function acknowledgeNoWebAcl(stage: IConstruct): void {
  acknowledge(stage, 'AwsSolutions-APIG3', NAG_REASONS.noWebAcl);
}

/** A chat method: public without an authorizer, or authorized by a non-Cognito one. */
export function acknowledgeChatMethodAuthorization(method: IConstruct, authorizationType: string | undefined): void {
  if (authorizationType === undefined || authorizationType === 'NONE') {
    acknowledge(method, 'AwsSolutions-APIG4', NAG_REASONS.publicChatRoute);
    acknowledge(method, 'AwsSolutions-COG4', NAG_REASONS.publicChatRoute);
  } else if (authorizationType !== 'COGNITO_USER_POOLS') {
    acknowledge(method, 'AwsSolutions-COG4', NAG_REASONS.nonCognitoAuthorizer);
  }
}

export function acknowledgePastContacts(role: IConstruct, contactsArn: string): void {
  acknowledge(role, 'AwsSolutions-IAM5', NAG_REASONS.pastContacts, wildcardResourceFinding(role, contactsArn));
}

export function acknowledgeApiGatewayLogGroups(role: IConstruct, logGroupsArn: string): void {
  acknowledge(role, 'AwsSolutions-IAM5', NAG_REASONS.apiGatewayLogGroups, wildcardResourceFinding(role, logGroupsArn));
}

/**
 * Active tracing: Lambda's X-Ray statement on `*` in the function role's default policy. cdk-nag 3 reads
 * the acknowledgement on the role for the policy under it; cdk-nag 2 reads the policy's own resource, so
 * call this once the function has added that policy.
 */
export function acknowledgeTracing(role: IConstruct): void {
  acknowledgeV3(role, 'AwsSolutions-IAM5[Resource::*]', NAG_REASONS.tracing);
  suppressV2(role.node.tryFindChild('DefaultPolicy') ?? role, 'AwsSolutions-IAM5', NAG_REASONS.tracing, 'Resource::*');
}

export function acknowledgeSecretArnSuffix(role: IConstruct, secretResource: string): void {
  acknowledge(role, 'AwsSolutions-IAM5', NAG_REASONS.secretArnSuffix, wildcardResourceFinding(role, secretResource));
}
