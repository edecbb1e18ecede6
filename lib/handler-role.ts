/**
 * The function's role, with inline policies only and nothing it does not use: write its own log group,
 * and `connect:StartChatContact` on exactly the allowed contact flows (plus the instance's contacts when
 * persistent or related chats are enabled, since Connect then evaluates the contact the chat continues).
 * With the shared-secret identity source, it may also read that one secret (and decrypt it through its key).
 * No managed policies: AWSLambdaBasicExecutionRole would allow every log group in the account.
 */
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface HandlerRoleProps {
  readonly logGroup: ILogGroup;
  /** Every resource `connect:StartChatContact` is allowed on. */
  readonly startChatResources: readonly string[];
  /** What verified identity needs (reading the shared secret), as its own inline policy. @default none */
  readonly identityStatements?: readonly PolicyStatement[];
}

export function createHandlerRole(scope: Construct, id: string, props: HandlerRoleProps): Role {
  return new Role(scope, id, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: 'Starts Amazon Connect chats in the allowed contact flows and writes its own logs',
    inlinePolicies: {
      WriteOwnLogs: new PolicyDocument({
        statements: [
          new PolicyStatement({
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            // The log group's ARN attribute ends in ":*", which covers its log streams.
            resources: [props.logGroup.logGroupArn],
          }),
        ],
      }),
      StartChatContact: new PolicyDocument({
        statements: [
          new PolicyStatement({
            actions: ['connect:StartChatContact'],
            resources: [...props.startChatResources],
          }),
        ],
      }),
      ...(props.identityStatements !== undefined &&
        props.identityStatements.length > 0 && {
          ReadIdentitySecret: new PolicyDocument({ statements: [...props.identityStatements] }),
        }),
    },
  });
}
