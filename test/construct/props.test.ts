/**
 * What each prop changes in the template. Defaults are in defaults.test.ts, IAM in iam.test.ts.
 */
import { describe, expect, test } from '@jest/globals';
import { type CfnElement, CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { CognitoUserPoolsAuthorizer, EndpointType, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StartChatContactApi } from '../../lib/index.ts';
import {
  buildChat,
  FLOW_ID,
  INSTANCE_ARN,
  INSTANCE_ID,
  logicalIdOf,
  ORIGIN,
  OTHER_FLOW_ID,
  onlyResource,
  REGION,
  REQUIRED_PROPS,
  synthChat,
  templateOf,
  testApp,
} from '../support/construct.ts';

function environment(template: Template): Record<string, string> {
  return onlyResource(template, 'AWS::Lambda::Function').Properties.Environment.Variables;
}

function methods(template: Template, httpMethod: string): Array<Record<string, any>> {
  return Object.values(
    template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: httpMethod } }),
  ).map((method) => method.Properties);
}

function gatewayResponse(template: Template, type: string): Record<string, any> {
  const [response] = Object.values(
    template.findResources('AWS::ApiGateway::GatewayResponse', { Properties: { ResponseType: type } }),
  );
  expect(response).toBeDefined();
  return response!.Properties;
}

describe('Amazon Connect props', () => {
  test('an instance ARN gives the function the bare ID and the ARN’s region', () => {
    const env = environment(synthChat({ instanceId: INSTANCE_ARN }));
    expect(env.CONNECT_INSTANCE_ID).toBe(INSTANCE_ID);
    expect(env.CONNECT_REGION).toBe(REGION);
  });

  test('an instance ID leaves the region to the function’s own', () => {
    expect(environment(synthChat())).not.toHaveProperty('CONNECT_REGION');
  });

  test('a contact flow ARN gives the function the bare flow ID', () => {
    const env = environment(synthChat({ contactFlowId: `${INSTANCE_ARN}/contact-flow/${FLOW_ID}` }));
    expect(env.CONNECT_CONTACT_FLOW_ID).toBe(FLOW_ID);
    expect(env.CONNECT_INSTANCE_ID).toBe(INSTANCE_ID);
    expect(env.CONNECT_REGION).toBe(REGION);
  });

  test('allowedContactFlowIds: the further flows, as IDs, without repeats or the default flow', () => {
    const env = environment(
      synthChat({ allowedContactFlowIds: [`${INSTANCE_ARN}/contact-flow/${OTHER_FLOW_ID}`, FLOW_ID, OTHER_FLOW_ID] }),
    );
    expect(env.CONNECT_ALLOWED_CONTACT_FLOW_IDS).toBe(OTHER_FLOW_ID);
  });

  test('values that are tokens pass through unchecked', () => {
    const { stack } = buildChat();
    const instance = new CfnParameter(stack, 'InstanceId');
    new StartChatContactApi(stack, 'FromParameter', { ...REQUIRED_PROPS, instanceId: instance.valueAsString });
    const functions = Object.values(templateOf(stack).findResources('AWS::Lambda::Function'));
    expect(functions.map((fn) => fn.Properties.Environment.Variables.CONNECT_INSTANCE_ID)).toContainEqual({
      Ref: 'InstanceId',
    });
  });
});

describe('allowedOrigins', () => {
  test('are normalized as browsers send Origin', () => {
    const env = environment(synthChat({ allowedOrigins: ['HTTPS://WWW.Example.com:443/', 'http://localhost:3000'] }));
    expect(env.ALLOWED_ORIGINS).toBe('https://www.example.com,http://localhost:3000');
  });

  test('several origins: the preflight echoes an allowed one, gateway responses echo the Origin', () => {
    const other = 'https://shop.example.com';
    const template = synthChat({ allowedOrigins: [ORIGIN, other] });
    for (const options of methods(template, 'OPTIONS')) {
      const response = options.Integration.IntegrationResponses[0];
      expect(response.ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe(`'${ORIGIN}'`);
      expect(response.ResponseTemplates['application/json']).toContain(`$origin == "${other}"`);
    }
    expect(gatewayResponse(template, 'THROTTLED').ResponseParameters).toMatchObject({
      'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
      'gatewayresponse.header.Vary': "'Origin'",
    });
  });

  test('["*"]: any origin, everywhere as *', () => {
    const template = synthChat({ allowedOrigins: ['*'] });
    expect(environment(template).ALLOWED_ORIGINS).toBe('*');
    for (const options of methods(template, 'OPTIONS')) {
      expect(options.Integration.IntegrationResponses[0].ResponseParameters).toMatchObject({
        'method.response.header.Access-Control-Allow-Origin': "'*'",
      });
    }
    expect(gatewayResponse(template, 'DEFAULT_4XX').ResponseParameters).toMatchObject({
      'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
    });
  });

  test('[]: no browser origin, so no preflight and no CORS headers', () => {
    const template = synthChat({ allowedOrigins: [] });
    expect(environment(template).ALLOWED_ORIGINS).toBe('');
    expect(methods(template, 'OPTIONS')).toHaveLength(0);
    expect(gatewayResponse(template, 'THROTTLED').ResponseParameters).not.toHaveProperty(
      'gatewayresponse.header.Access-Control-Allow-Origin',
    );
  });
});

describe('request policy props reach the function', () => {
  test('every setting, as the handler reads it', () => {
    const env = environment(
      synthChat({
        allowedAttributeKeys: ['customerName', 'topic', 'topic'],
        serverAttributes: { channel: 'web', brand: 'Example & Co' },
        maxChatDurationMinutes: 120,
        allowPersistentChat: true,
        allowRelatedContact: true,
        allowCustomerId: true,
        allowSegmentAttributes: true,
        defaultDisplayName: '  Website visitor ',
        attachmentsEnabled: true,
        maxBodyBytes: 65_536,
        retryBudget: Duration.seconds(20),
      }),
    );
    expect(env).toMatchObject({
      ALLOWED_ATTRIBUTE_KEYS: 'customerName,topic',
      SERVER_ATTRIBUTES: '{"channel":"web","brand":"Example & Co"}',
      MAX_CHAT_DURATION_MINUTES: '120',
      ALLOW_PERSISTENT_CHAT: 'true',
      ALLOW_RELATED_CONTACT: 'true',
      ALLOW_CUSTOMER_ID: 'true',
      ALLOW_SEGMENT_ATTRIBUTES: 'true',
      DEFAULT_DISPLAY_NAME: 'Website visitor',
      ATTACHMENTS_ENABLED: 'true',
      MAX_BODY_BYTES: '65536',
      CONNECT_RETRY_BUDGET_MS: '20000',
    });
  });
});

describe('route props', () => {
  test('path: a nested route, and the URL names it', () => {
    const { stack, chat } = buildChat({ path: '/v1/chat/' });
    const url = JSON.stringify(stack.resolve(chat.url));
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'v1' });
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'chat' });
    expect(methods(template, 'POST')).toHaveLength(2);
    expect(url).toMatch(/"\/v1\/chat"\]\]\}$/);
  });

  test('path "": the stage root only', () => {
    const template = synthChat({ path: '' });
    template.resourceCountIs('AWS::ApiGateway::Resource', 0);
    expect(methods(template, 'POST')).toHaveLength(1);
    expect(methods(template, 'OPTIONS')).toHaveLength(1);
  });

  test('serveStageRoot false: the chat route only', () => {
    const template = synthChat({ serveStageRoot: false });
    const posts = methods(template, 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.ResourceId).toEqual({ Ref: logicalIdOf(template, 'AWS::ApiGateway::Resource') });
  });

  test('restApi: the route joins that API, whose owner keeps stage, logs and gateway responses', () => {
    const { stack } = buildChat({}, {});
    const existing = new RestApi(stack, 'Existing', { cloudWatchRole: false });
    existing.root.addMethod('GET');
    const chat = new StartChatContactApi(stack, 'OnExisting', { ...REQUIRED_PROPS, restApi: existing });
    expect(chat.api).toBe(existing);
    const url = JSON.stringify(stack.resolve(chat.url));
    const template = templateOf(stack);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 2);
    template.resourceCountIs('AWS::ApiGateway::Stage', 2);
    const existingId = Object.keys(template.findResources('AWS::ApiGateway::RestApi')).find((id) =>
      id.startsWith('Existing'),
    );
    const onExisting = Object.values(template.findResources('AWS::ApiGateway::Method')).filter(
      (method) => method.Properties.RestApiId.Ref === existingId,
    );
    // GET from its owner; POST and OPTIONS on /chat only (no stage root by default).
    expect(onExisting.map((method) => method.Properties.HttpMethod).sort()).toEqual(['GET', 'OPTIONS', 'POST']);
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'));
    expect(responses.every((response) => response.Properties.RestApiId.Ref !== existingId)).toBe(true);
    expect(url).toContain(existingId);
    expect(url).toMatch(/"\/chat"\]\]\}$/);
    expect(chat.accessLogGroup).toBeUndefined();
    expect(chat.webAcl).toBeUndefined();
  });

  test('restApi imported without a stage: a clear error for url', () => {
    const { stack } = buildChat();
    const imported = RestApi.fromRestApiAttributes(stack, 'Imported', { restApiId: 'abc123', rootResourceId: 'root1' });
    const chat = new StartChatContactApi(stack, 'OnImported', { ...REQUIRED_PROPS, restApi: imported });
    expect(() => chat.url).toThrow(/url needs the deployment stage of restApi/);
  });
});

describe('stage props', () => {
  test('restApiName names the REST API; by default a name unique to the construct’s path', () => {
    // Arrange
    const named = buildChat({ restApiName: 'website-chat' });
    const unnamed = buildChat();

    // Act
    const namedTemplate = templateOf(named.stack);
    const unnamedApi = onlyResource(templateOf(unnamed.stack), 'AWS::ApiGateway::RestApi');

    // Assert
    namedTemplate.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'website-chat' });
    expect(unnamedApi.Properties.Name).toMatch(/^ChatStackChat[A-Za-z0-9]{8}$/);
  });

  test('accessLogGroup is the group the stage writes its access logs to', () => {
    // Arrange
    const { stack, chat } = buildChat();

    // Act
    const template = templateOf(stack);

    // Assert
    const groupId = stack.getLogicalId(chat.accessLogGroup!.node.defaultChild as CfnElement);
    const stage = onlyResource(template, 'AWS::ApiGateway::Stage');
    // The group's ARN by its name, without the `:*` of its Arn attribute
    // (`@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard`).
    expect(stage.Properties.AccessLogSetting.DestinationArn).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':logs:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':log-group:',
          { Ref: groupId },
        ],
      ],
    });
  });

  test('webAcl is the web ACL of perIpRateLimit, associated with the stage; undefined otherwise', () => {
    // Arrange
    const limited = buildChat({ perIpRateLimit: 100 });
    const external = buildChat({ webAclArn: 'arn:aws:wafv2:eu-west-2:123456789012:regional/webacl/chat/0a1b2c3d' });

    // Act
    const template = templateOf(limited.stack);

    // Assert
    const aclId = limited.stack.getLogicalId(limited.chat.webAcl!);
    expect(logicalIdOf(template, 'AWS::WAFv2::WebACL')).toBe(aclId);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: { 'Fn::GetAtt': [aclId, 'Arn'] } });
    expect(limited.chat.webAcl!.scope).toBe('REGIONAL');
    expect(external.chat.webAcl).toBeUndefined();
    expect(buildChat().chat.webAcl).toBeUndefined();
  });

  test('endpointType EDGE', () => {
    synthChat({ endpointType: EndpointType.EDGE }).hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['EDGE'] },
    });
  });

  test('throttling rate and burst: the whole endpoint’s, shared among the chat routes', () => {
    const settings = onlyResource(
      synthChat({ throttlingRateLimit: 20, throttlingBurstLimit: 201 }),
      'AWS::ApiGateway::Stage',
    ).Properties.MethodSettings as Array<Record<string, unknown>>;
    const posts = settings.filter((setting) => setting.HttpMethod === 'POST');
    expect(posts.map((post) => [post.ResourcePath, post.ThrottlingRateLimit, post.ThrottlingBurstLimit])).toEqual([
      ['/~1chat', 10, 101],
      ['/', 10, 100],
    ]);
    expect(settings.find((setting) => setting.HttpMethod === '*')).toMatchObject({
      ThrottlingRateLimit: 20,
      ThrottlingBurstLimit: 200 + 1,
    });
  });

  test('throttling with one chat route: by default the endpoint is that route, at 5/s with a burst of 50', () => {
    const settings = onlyResource(synthChat({ serveStageRoot: false, path: 'v1/chat' }), 'AWS::ApiGateway::Stage')
      .Properties.MethodSettings as Array<Record<string, unknown>>;
    expect(settings.filter((setting) => setting.HttpMethod === 'POST')).toEqual([
      expect.objectContaining({ ResourcePath: '/~1v1~1chat', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 50 }),
    ]);
    expect(settings.find((setting) => setting.HttpMethod === '*')).toMatchObject({
      ThrottlingRateLimit: 5,
      ThrottlingBurstLimit: 50,
    });
  });

  test('accessLogCallerDetails false: the access log keeps no IP address or user agent', () => {
    const withDetails = JSON.parse(
      onlyResource(synthChat(), 'AWS::ApiGateway::Stage').Properties.AccessLogSetting.Format,
    );
    const without = JSON.parse(
      onlyResource(synthChat({ accessLogCallerDetails: false }), 'AWS::ApiGateway::Stage').Properties.AccessLogSetting
        .Format,
    );
    expect(withDetails).toMatchObject({ ip: '$context.identity.sourceIp', userAgent: '$context.identity.userAgent' });
    expect(Object.keys(without)).toEqual(Object.keys(withDetails).filter((key) => key !== 'ip' && key !== 'userAgent'));
    expect(JSON.stringify(without)).not.toMatch(/sourceIp|userAgent|X-Forwarded-For/i);
  });

  test('perIpRateLimit: a web ACL on the stage blocks an address past the limit of POSTs, answered 429 THROTTLED', () => {
    const template = synthChat({ perIpRateLimit: 300, perIpRateLimitWindow: Duration.minutes(10) });
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    const acl = onlyResource(template, 'AWS::WAFv2::WebACL');
    expect(acl.Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    expect(acl.Properties.Rules).toEqual([
      expect.objectContaining({
        Action: { Block: {} },
        Statement: {
          RateBasedStatement: {
            AggregateKeyType: 'IP',
            Limit: 300,
            EvaluationWindowSec: 600,
            ScopeDownStatement: {
              ByteMatchStatement: {
                FieldToMatch: { Method: {} },
                PositionalConstraint: 'EXACTLY',
                SearchString: 'POST',
                TextTransformations: [{ Priority: 0, Type: 'NONE' }],
              },
            },
          },
        },
      }),
    ]);
    const stageId = logicalIdOf(template, 'AWS::ApiGateway::Stage');
    const association = onlyResource(template, 'AWS::WAFv2::WebACLAssociation');
    expect(association.Properties.WebACLArn).toEqual({
      'Fn::GetAtt': [logicalIdOf(template, 'AWS::WAFv2::WebACL'), 'Arn'],
    });
    expect(JSON.stringify(association.Properties.ResourceArn)).toContain(`{"Ref":"${stageId}"}`);
    const waf = gatewayResponse(template, 'WAF_FILTERED');
    expect(waf.StatusCode).toBe('429');
    expect(waf.ResponseTemplates['application/json']).toContain('"code":"THROTTLED"');
    expect(waf.ResponseParameters['gatewayresponse.header.Retry-After']).toBe("'60'");
  });

  test('perIpRateLimit counts over 5 minutes by default', () => {
    synthChat({ perIpRateLimit: 100 }).hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: [Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ EvaluationWindowSec: 300 }) } })],
    });
  });

  test('webAclArn: that web ACL on the stage, its blocks answered 403 REQUEST_BLOCKED', () => {
    const webAclArn = 'arn:aws:wafv2:eu-west-2:123456789012:regional/webacl/chat/0a1b2c3d';
    const template = synthChat({ webAclArn });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: webAclArn });
    const waf = gatewayResponse(template, 'WAF_FILTERED');
    expect(waf.StatusCode).toBe('403');
    expect(waf.ResponseTemplates['application/json']).toContain('"code":"REQUEST_BLOCKED"');
  });

  test('authorizer: the chat routes require it, the preflights stay open', () => {
    const { stack } = buildChat({}, {});
    const authorizer = new CognitoUserPoolsAuthorizer(stack, 'SignedIn', {
      cognitoUserPools: [new UserPool(stack, 'Users')],
    });
    new StartChatContactApi(stack, 'Authorized', { ...REQUIRED_PROPS, authorizer });
    const template = templateOf(stack);
    const authorizerId = logicalIdOf(template, 'AWS::ApiGateway::Authorizer');
    const posts = methods(template, 'POST').filter((post) => post.AuthorizerId !== undefined);
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      expect(post).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: { Ref: authorizerId } });
    }
    expect(methods(template, 'OPTIONS').every((options) => options.AuthorizationType === 'NONE')).toBe(true);
  });

  test('cloudWatchRole false (the default): the account setting is left alone', () => {
    const template = synthChat({ cloudWatchRole: false });
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    template.resourceCountIs('AWS::IAM::Role', 1);
  });

  test('cloudWatchRole: sets API Gateway’s CloudWatch role, named for the region, inline policy, before the stage, deleted with the stack', () => {
    const template = synthChat({ cloudWatchRole: true });
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'apigateway.amazonaws.com' } }] } },
    });
    const [roleId] = Object.keys(roles);
    expect(roles[roleId!]).toMatchObject({ DeletionPolicy: 'Delete' });
    expect(roles[roleId!]!.Properties.RoleName).toEqual({
      'Fn::Join': ['', ['ApiGatewayCloudWatchLogs-', { Ref: 'AWS::Region' }]],
    });
    expect(roles[roleId!]!.Properties.Policies).toEqual([
      {
        PolicyName: 'PushToCloudWatchLogs',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              // In order (`@aws-cdk/aws-iam:minimizePolicies` sorts them).
              Action: [
                'logs:CreateLogGroup',
                'logs:CreateLogStream',
                'logs:DescribeLogGroups',
                'logs:DescribeLogStreams',
                'logs:FilterLogEvents',
                'logs:GetLogEvents',
                'logs:PutLogEvents',
              ],
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':logs:',
                    { Ref: 'AWS::Region' },
                    ':',
                    { Ref: 'AWS::AccountId' },
                    ':log-group:*',
                  ],
                ],
              },
            },
          ],
        },
      },
    ]);
    const accountId = logicalIdOf(template, 'AWS::ApiGateway::Account');
    template.hasResource('AWS::ApiGateway::Account', {
      Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } },
      DeletionPolicy: 'Delete',
      DependsOn: [logicalIdOf(template, 'AWS::ApiGateway::RestApi')],
    });
    template.hasResource('AWS::ApiGateway::Stage', { DependsOn: Match.arrayWith([accountId]) });
  });
});

describe('function and log props', () => {
  test('memory, reserved concurrency, log level, service name, source maps on', () => {
    const template = synthChat({
      memorySize: 1024,
      reservedConcurrentExecutions: 20,
      logLevel: 'debug',
      serviceName: 'web-chat',
      enableSourceMaps: true,
    });
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024, ReservedConcurrentExecutions: 20 });
    const env = environment(template);
    expect(env.POWERTOOLS_LOG_LEVEL).toBe('DEBUG');
    expect(env.POWERTOOLS_SERVICE_NAME).toBe('web-chat');
    expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
  });

  test('log retention and removal apply to the function’s and the access log groups', () => {
    const template = synthChat({ logRetention: RetentionDays.ONE_YEAR, logRemovalPolicy: RemovalPolicy.DESTROY });
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(2);
    for (const group of groups) {
      expect(group).toMatchObject({ Properties: { RetentionInDays: 365 }, DeletionPolicy: 'Delete' });
    }
  });
});

test('two constructs in one stack do not collide', () => {
  const stack = new Stack(testApp());
  new StartChatContactApi(stack, 'One', REQUIRED_PROPS);
  new StartChatContactApi(stack, 'Two', REQUIRED_PROPS);
  const template = templateOf(stack);
  template.resourceCountIs('AWS::ApiGateway::RestApi', 2);
  template.resourceCountIs('AWS::Lambda::Function', 2);
});

test('two constructs in one stack that both ask for the CloudWatch role share one role and one account setting', () => {
  const stack = new Stack(testApp());
  new StartChatContactApi(stack, 'One', { ...REQUIRED_PROPS, cloudWatchRole: true });
  new StartChatContactApi(stack, 'Two', { ...REQUIRED_PROPS, cloudWatchRole: true });
  const template = templateOf(stack);
  template.resourceCountIs('AWS::ApiGateway::Account', 1);
  const accountId = logicalIdOf(template, 'AWS::ApiGateway::Account');
  const apiRoles = template.findResources('AWS::IAM::Role', {
    Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'apigateway.amazonaws.com' } }] } },
  });
  expect(Object.keys(apiRoles)).toHaveLength(1);
  const stages = Object.values(template.findResources('AWS::ApiGateway::Stage'));
  expect(stages).toHaveLength(2);
  for (const stage of stages) expect(stage.DependsOn).toContain(accountId);
});
