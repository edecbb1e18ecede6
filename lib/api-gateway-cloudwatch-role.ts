/**
 * API Gateway writes REST API logs (access and execution logs) through one role per account and region,
 * set in its account settings (`AWS::ApiGateway::Account`). A stage with logging fails to deploy until
 * the account has one. This is an account-wide setting, so the construct leaves it alone unless the
 * deployer asks (the `cloudWatchRole` prop), as CDK's own `@aws-cdk/aws-apigateway:disableCloudWatchRole`
 * recommends. When asked:
 *
 * - One per stack: every `StartChatContactApi` in a stack shares one role and one `Account` resource,
 *   created at the stack's top level on first use (two would race to set the one setting).
 * - One per account and region: the role has a fixed name, `ApiGatewayCloudWatchLogs-<region>`, so a second
 *   stack asking for it in the same account and region fails to deploy with "already exists" instead of
 *   silently taking the setting over.
 * - Nothing left behind: the role is deleted with the stack (no role leaks per deploy and destroy cycle).
 *   CloudFormation cannot unset the account setting, so it keeps the role's ARN; deploying the stack again
 *   recreates the role under the same name and ARN.
 *
 * RestApi's own `cloudWatchRole` attaches the managed AmazonAPIGatewayPushToCloudWatchLogs policy; this role
 * holds the same actions inline, limited to this account's log groups in this region.
 */
import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnAccount, type IRestApi, type Stage } from 'aws-cdk-lib/aws-apigateway';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import { acknowledgeApiGatewayLogGroups } from './nag-acknowledgements.ts';

/** The id of the shared construct at the top of the stack. */
export const CLOUDWATCH_ROLE_CONSTRUCT_ID = 'ApiGatewayCloudWatchRole';

/** The role's name prefix; the region follows. */
export const CLOUDWATCH_ROLE_NAME_PREFIX = 'ApiGatewayCloudWatchLogs-';

/** The stack's API Gateway account setting and the role it names. */
export class ApiGatewayCloudWatchRole extends Construct {
  /** The setting for a stack, created the first time one of its APIs asks for it. */
  public static of(scope: IConstruct, firstApi: IRestApi): ApiGatewayCloudWatchRole {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(CLOUDWATCH_ROLE_CONSTRUCT_ID);
    if (existing instanceof ApiGatewayCloudWatchRole) return existing;
    return new ApiGatewayCloudWatchRole(stack, CLOUDWATCH_ROLE_CONSTRUCT_ID, firstApi);
  }

  public readonly role: Role;
  public readonly account: CfnAccount;

  private constructor(scope: Stack, id: string, firstApi: IRestApi) {
    super(scope, id);
    const logGroupsArn = `arn:${scope.partition}:logs:${scope.region}:${scope.account}:log-group:*`;
    this.role = new Role(this, 'Role', {
      roleName: `${CLOUDWATCH_ROLE_NAME_PREFIX}${Aws.REGION}`,
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
    this.role.applyRemovalPolicy(RemovalPolicy.DESTROY);
    acknowledgeApiGatewayLogGroups(this.role, logGroupsArn);

    this.account = new CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    this.account.applyRemovalPolicy(RemovalPolicy.DESTROY);
    // API Gateway refuses the setting in an account that has no API Gateway resource yet: the API comes first.
    this.account.node.addDependency(firstApi.node.defaultChild ?? firstApi);
  }

  /** Makes a stage that logs wait for the setting, which it needs to deploy. */
  public serve(stage: Stage): void {
    stage.node.addDependency(this.account);
  }
}
