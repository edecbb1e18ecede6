/**
 * The function's permissions, exactly: its own log group, and `connect:StartChatContact` on the allowed
 * contact flows of the one instance (plus its contacts only for persistent or related chats).
 */
import { describe, expect, test } from '@jest/globals';
import type { StackProps } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { StartChatContactApiProps } from '../../lib/index.ts';
import {
  ACCOUNT,
  FLOW_ID,
  INSTANCE_ARN,
  INSTANCE_ID,
  OTHER_FLOW_ID,
  onlyResource,
  REGION,
  synthChat,
} from '../support/construct.ts';

const THIRD_FLOW_ID = 'cccccccc-dddd-4eee-8fff-000000000000';
/** The instance's account (an instance in another account is refused), in another region than REGION. */
const STACK_ENV: StackProps = { env: { account: ACCOUNT, region: 'us-east-1' } };

/** The inline policies of the function's role, by name. */
function handlerPolicies(template: Template): Record<string, unknown[]> {
  const roles = template.findResources('AWS::IAM::Role', {
    Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] } },
  });
  expect(Object.keys(roles)).toHaveLength(1);
  const [role] = Object.values(roles);
  expect(role!.Properties.ManagedPolicyArns).toBeUndefined();
  return Object.fromEntries(
    (role!.Properties.Policies as Array<{ PolicyName: string; PolicyDocument: { Statement: unknown[] } }>).map(
      (policy) => [policy.PolicyName, policy.PolicyDocument.Statement],
    ),
  );
}

function startChatStatements(props: Partial<StartChatContactApiProps>, stackProps: StackProps = STACK_ENV): unknown[] {
  return handlerPolicies(synthChat(props, stackProps)).StartChatContact!;
}

/** A flow of the instance in the stack's place (its partition written out, `@aws-cdk/core:enablePartitionLiterals`). */
const stackFlow = (flow: string) => `arn:aws:connect:us-east-1:${ACCOUNT}:instance/${INSTANCE_ID}/contact-flow/${flow}`;

test('the role has two inline policies and nothing else: its own logs, and starting chats', () => {
  const template = synthChat({}, STACK_ENV);
  const policies = handlerPolicies(template);
  expect(Object.keys(policies).sort()).toEqual(['StartChatContact', 'WriteOwnLogs']);
  const logGroupId = onlyResource(template, 'AWS::Lambda::Function').Properties.LoggingConfig.LogGroup.Ref;
  expect(policies.WriteOwnLogs).toEqual([
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
    },
  ]);
  template.resourceCountIs('AWS::IAM::Policy', 0);
});

describe('connect:StartChatContact', () => {
  test('with an instance ID: the flow in the stack’s own partition, region and account', () => {
    expect(startChatStatements({})).toEqual([
      { Effect: 'Allow', Action: 'connect:StartChatContact', Resource: stackFlow(FLOW_ID) },
    ]);
  });

  test('with an instance ID in an environment-agnostic stack: the deploy-time region and account', () => {
    expect(startChatStatements({}, {})).toEqual([
      {
        Effect: 'Allow',
        Action: 'connect:StartChatContact',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':connect:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              `:instance/${INSTANCE_ID}/contact-flow/${FLOW_ID}`,
            ],
          ],
        },
      },
    ]);
  });

  test('with an instance ARN: the ARN’s partition, region and account', () => {
    expect(startChatStatements({ instanceId: INSTANCE_ARN })).toEqual([
      {
        Effect: 'Allow',
        Action: 'connect:StartChatContact',
        Resource: `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}/contact-flow/${FLOW_ID}`,
      },
    ]);
  });

  test('with an instance in another region than the stack: that region', () => {
    const arn = `arn:aws:connect:ap-southeast-2:${ACCOUNT}:instance/${INSTANCE_ID}`;
    expect(startChatStatements({ instanceId: arn })).toEqual([
      {
        Effect: 'Allow',
        Action: 'connect:StartChatContact',
        Resource: `arn:aws:connect:ap-southeast-2:${ACCOUNT}:instance/${INSTANCE_ID}/contact-flow/${FLOW_ID}`,
      },
    ]);
  });

  test('with a contact flow ARN and an instance ID: the flow ARN’s place', () => {
    const flowArn = `arn:aws-us-gov:connect:us-gov-west-1:${ACCOUNT}:instance/${INSTANCE_ID}/contact-flow/${FLOW_ID}`;
    expect(startChatStatements({ contactFlowId: flowArn })).toEqual([
      { Effect: 'Allow', Action: 'connect:StartChatContact', Resource: flowArn },
    ]);
  });

  test('with several flows: each allowed flow once, IDs and ARNs alike', () => {
    const otherArn = `${INSTANCE_ARN}/contact-flow/${OTHER_FLOW_ID}`;
    expect(
      startChatStatements({
        instanceId: INSTANCE_ARN,
        allowedContactFlowIds: [otherArn, THIRD_FLOW_ID, FLOW_ID, THIRD_FLOW_ID],
      }),
    ).toEqual([
      {
        Effect: 'Allow',
        Action: 'connect:StartChatContact',
        // In order (`@aws-cdk/aws-iam:minimizePolicies` sorts them).
        Resource: [
          `${INSTANCE_ARN}/contact-flow/${FLOW_ID}`,
          `${INSTANCE_ARN}/contact-flow/${THIRD_FLOW_ID}`,
          `${INSTANCE_ARN}/contact-flow/${OTHER_FLOW_ID}`,
        ],
      },
    ]);
  });

  test.each([
    ['persistent chats off (the default)', {}],
    ['customer ids and segment attributes on', { allowCustomerId: true, allowSegmentAttributes: true }],
  ])('with %s: no contact resource', (_name, props) => {
    expect(startChatStatements({ instanceId: INSTANCE_ARN, ...props })).toEqual([
      {
        Effect: 'Allow',
        Action: 'connect:StartChatContact',
        Resource: `${INSTANCE_ARN}/contact-flow/${FLOW_ID}`,
      },
    ]);
  });

  test.each([
    ['persistent chats on', { allowPersistentChat: true }],
    ['related contacts on', { allowRelatedContact: true }],
    ['both on', { allowPersistentChat: true, allowRelatedContact: true }],
  ])('with %s: also the instance’s contacts', (_name, props) => {
    expect(startChatStatements({ instanceId: INSTANCE_ARN, ...props })).toEqual([
      {
        Effect: 'Allow',
        Action: 'connect:StartChatContact',
        Resource: [`${INSTANCE_ARN}/contact-flow/${FLOW_ID}`, `${INSTANCE_ARN}/contact/*`],
      },
    ]);
  });

  test('no statement anywhere allows a wildcard action or the whole instance', () => {
    const template = synthChat({ instanceId: INSTANCE_ARN, allowPersistentChat: true });
    const text = JSON.stringify(template.findResources('AWS::IAM::Role'));
    expect(text).not.toMatch(/"Action":"[a-z]*:?\*"|connect:\*/);
    expect(text).not.toContain(`instance/${INSTANCE_ID}"`);
    expect(text).not.toContain(`instance/${INSTANCE_ID}/*`);
  });
});
