/**
 * API Gateway writes REST API logs (access and execution logs) through one role per account and region,
 * set in its account settings (`AWS::ApiGateway::Account`). Without one, a stage with logging fails to
 * deploy. RestApi's own `cloudWatchRole` attaches the managed AmazonAPIGatewayPushToCloudWatchLogs
 * policy; this role holds the same actions inline, limited to this account's log groups in this region.
 *
 * The setting serves every REST API of the account in the region, so the role keeps the actions they need
 * and both are retained when the stack is deleted, as RestApi does: deleting them would stop other APIs'
 * logging.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export interface ApiGatewayCloudWatchRole {
  readonly role: Role;
  readonly account: CfnAccount;
  /** The log groups the role may write: all of this account's in this region. */
  readonly logGroupsArn: string;
}

export function createApiGatewayCloudWatchRole(scope: Construct): ApiGatewayCloudWatchRole {
  const stack = Stack.of(scope);
  const logGroupsArn = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`;
  const role = new Role(scope, 'ApiGatewayCloudWatchRole', {
    assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
    description: "API Gateway's account-wide role for writing REST API logs to CloudWatch Logs in this region",
    inlinePolicies: {
      PushToCloudWatchLogs: new PolicyDocument({
        statements: [
          new PolicyStatement({
            actions: [
              'logs:CreateLogGroup',
              'logs:CreateLogStream',
              'logs:DescribeLogGroups',
              'logs:DescribeLogStreams',
              'logs:PutLogEvents',
              'logs:GetLogEvents',
              'logs:FilterLogEvents',
            ],
            resources: [logGroupsArn],
          }),
        ],
      }),
    },
  });
  role.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const account = new CfnAccount(scope, 'ApiGatewayAccount', { cloudWatchRoleArn: role.roleArn });
  account.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return { role, account, logGroupsArn };
}
