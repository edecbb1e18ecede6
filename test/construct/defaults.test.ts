/**
 * What the construct builds with the required props alone: the secure defaults, resource by resource.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { CORS_PREFLIGHT } from '../../lib/cors-preflight.ts';
import {
  buildChat,
  FLOW_ID,
  INSTANCE_ID,
  logicalIdOf,
  ORIGIN,
  onlyResource,
  templateOf,
} from '../support/construct.ts';

let template: Template;
let url: unknown;

beforeAll(() => {
  const { stack, chat } = buildChat();
  url = stack.resolve(chat.url);
  template = templateOf(stack);
});

describe('the function', () => {
  test('runs the pre-bundled handler on Node 24, arm64, 512 MB, with API Gateway’s 29-second limit', () => {
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 29,
      LoggingConfig: { LogGroup: { Ref: Match.anyValue() } },
    });
  });

  test('has exactly the handler’s environment, every policy setting written out', () => {
    const fn = onlyResource(template, 'AWS::Lambda::Function');
    expect(fn.Properties.Environment.Variables).toEqual({
      CONNECT_INSTANCE_ID: INSTANCE_ID,
      CONNECT_CONTACT_FLOW_ID: FLOW_ID,
      ALLOWED_ORIGINS: ORIGIN,
      MAX_CHAT_DURATION_MINUTES: '1500',
      ALLOW_PERSISTENT_CHAT: 'false',
      ALLOW_RELATED_CONTACT: 'false',
      ALLOW_CUSTOMER_ID: 'false',
      ALLOW_SEGMENT_ATTRIBUTES: 'false',
      ATTACHMENTS_ENABLED: 'false',
      MAX_BODY_BYTES: '131072',
      CONNECT_RETRY_BUDGET_MS: '25000',
      POWERTOOLS_METRICS_NAMESPACE: 'StartChatContactApi',
      POWERTOOLS_SERVICE_NAME: 'start-chat-contact',
    });
  });

  test('writes to its own log group, kept one month and retained with the stack', () => {
    const fn = onlyResource(template, 'AWS::Lambda::Function');
    const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(template.toJSON().Resources[logGroupId].Properties).toEqual({ RetentionInDays: 30 });
  });

  test('has no reserved concurrency, no VPC and no managed policies', () => {
    const fn = onlyResource(template, 'AWS::Lambda::Function');
    expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    expect(fn.Properties.VpcConfig).toBeUndefined();
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });
});

describe('the API', () => {
  test('is a regional REST API with one stage, prod', () => {
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    template.resourceCountIs('AWS::ApiGateway::Stage', 1);
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
  });

  test('throttles each chat route at 5 requests a second, burst 50 (the endpoint at 10, burst 100), and logs errors without data', () => {
    const stage = onlyResource(template, 'AWS::ApiGateway::Stage');
    const logging = { LoggingLevel: 'ERROR', DataTraceEnabled: false };
    const settings = stage.Properties.MethodSettings as Array<Record<string, unknown>>;
    expect(settings).toEqual(
      expect.arrayContaining([
        { HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 10, ThrottlingBurstLimit: 100, ...logging },
        { HttpMethod: 'POST', ResourcePath: '/~1chat', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 50, ...logging },
        { HttpMethod: 'POST', ResourcePath: '/', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 50, ...logging },
      ]),
    );
    expect(settings).toHaveLength(3);
  });

  test('writes JSON access logs to its own log group, kept one month', () => {
    const stage = onlyResource(template, 'AWS::ApiGateway::Stage');
    const { DestinationArn, Format } = stage.Properties.AccessLogSetting;
    // arn:...:log-group:<the group's name> (`@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard`).
    const [, parts] = DestinationArn['Fn::Join'];
    expect(parts.at(-2)).toBe(':log-group:');
    const logGroupId = parts.at(-1).Ref as string;
    expect(template.toJSON().Resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Retain',
    });
    const fields = JSON.parse(Format);
    expect(fields).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      httpMethod: '$context.httpMethod',
      resourcePath: '$context.resourcePath',
      status: '$context.status',
      errorType: '$context.error.responseType',
      wafResponseCode: '$context.wafResponseCode',
    });
  });

  test('leaves API Gateway’s account-wide CloudWatch role alone', () => {
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'apigateway.amazonaws.com' } }] } },
    });
    expect(Object.keys(roles)).toEqual([]);
  });

  test('answers POST on /chat and on the stage root, through the function as a proxy', () => {
    const posts = template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'POST' } });
    expect(Object.keys(posts)).toHaveLength(2);
    for (const post of Object.values(posts)) {
      expect(post.Properties).toMatchObject({
        AuthorizationType: 'NONE',
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
      });
    }
    template.resourceCountIs('AWS::ApiGateway::Resource', 1);
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'chat' });
    const resourceIds = Object.values(posts).map((post) => post.Properties.ResourceId);
    expect(resourceIds).toContainEqual({ Ref: logicalIdOf(template, 'AWS::ApiGateway::Resource') });
    expect(resourceIds).toContainEqual({
      'Fn::GetAtt': [logicalIdOf(template, 'AWS::ApiGateway::RestApi'), 'RootResourceId'],
    });
  });

  test('lets API Gateway invoke the function only through those two routes of the stage, without test invokes', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(2);
    const sourceArns = permissions.map((permission) => JSON.stringify(permission.Properties.SourceArn));
    expect(sourceArns.some((arn) => arn.endsWith('"/POST/chat"]]}'))).toBe(true);
    expect(sourceArns.some((arn) => arn.endsWith('"/POST/"]]}'))).toBe(true);
    expect(sourceArns.join()).not.toContain('test-invoke-stage');
  });

  test('answers CORS preflights on both routes from lib/cors-preflight.ts, for the allowed origin only', () => {
    const options = Object.values(
      template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } }),
    );
    expect(options).toHaveLength(2);
    for (const option of options) {
      expect(option.Properties.AuthorizationType).toBe('NONE');
      expect(option.Properties.Integration.Type).toBe('MOCK');
      expect(option.Properties.Integration.IntegrationResponses[0]).toMatchObject({
        StatusCode: '204',
        ResponseParameters: {
          'method.response.header.Access-Control-Allow-Origin': `'${ORIGIN}'`,
          'method.response.header.Access-Control-Allow-Methods': `'${CORS_PREFLIGHT.allowMethods.join(',')}'`,
          'method.response.header.Access-Control-Allow-Headers': `'${CORS_PREFLIGHT.allowHeaders.join(',')}'`,
          'method.response.header.Access-Control-Expose-Headers': `'${CORS_PREFLIGHT.exposeHeaders.join(',')}'`,
          'method.response.header.Access-Control-Max-Age': `'${CORS_PREFLIGHT.maxAgeSeconds}'`,
          'method.response.header.Vary': "'Origin'",
        },
      });
    }
  });

  test('has no web ACL, no request validator and no authorizer', () => {
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    template.resourceCountIs('AWS::ApiGateway::RequestValidator', 0);
    template.resourceCountIs('AWS::ApiGateway::Authorizer', 0);
  });

  test('exposes the URL of the chat route on the prod stage', () => {
    const api = logicalIdOf(template, 'AWS::ApiGateway::RestApi');
    const stage = logicalIdOf(template, 'AWS::ApiGateway::Stage');
    expect(url).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { Ref: api },
          '.execute-api.',
          { Ref: 'AWS::Region' },
          '.',
          { Ref: 'AWS::URLSuffix' },
          '/',
          { Ref: stage },
          '/chat',
        ],
      ],
    });
  });
});

describe('gateway responses', () => {
  const expected: Array<[string, string | undefined, string]> = [
    ['DEFAULT_4XX', undefined, 'BAD_REQUEST'],
    ['DEFAULT_5XX', undefined, 'INTERNAL_ERROR'],
    ['THROTTLED', '429', 'THROTTLED'],
    ['REQUEST_TOO_LARGE', '413', 'PAYLOAD_TOO_LARGE'],
    ['MISSING_AUTHENTICATION_TOKEN', '404', 'NOT_FOUND'],
    ['INTEGRATION_TIMEOUT', '504', 'UPSTREAM_TIMEOUT'],
    ['UNAUTHORIZED', '401', 'UNAUTHORIZED'],
    ['ACCESS_DENIED', '403', 'ACCESS_DENIED'],
  ];

  test('cover API Gateway’s own errors, and no WAF_FILTERED without a web ACL', () => {
    const types = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map(
      (response) => response.Properties.ResponseType,
    );
    expect(types.sort()).toEqual(expected.map(([type]) => type).sort());
  });

  test.each(expected)('%s answers %s with code %s in the error envelope, with CORS headers', (type, status, code) => {
    const [response] = Object.values(
      template.findResources('AWS::ApiGateway::GatewayResponse', { Properties: { ResponseType: type } }),
    );
    expect(response!.Properties.StatusCode).toBe(status);
    expect(response!.Properties.ResponseParameters).toMatchObject({
      'gatewayresponse.header.Access-Control-Allow-Origin': `'${ORIGIN}'`,
      'gatewayresponse.header.Access-Control-Expose-Headers': "'Retry-After, WWW-Authenticate'",
      'gatewayresponse.header.Vary': "'Origin'",
      'gatewayresponse.header.Cache-Control': "'no-store'",
    });
    const body = response!.Properties.ResponseTemplates['application/json'] as string;
    // What API Gateway substitutes: a request id, and a JSON-quoted message where API Gateway's own is kept.
    const rendered = JSON.parse(
      body.replace('$context.requestId', 'req-1').replace('$context.error.messageString', '"Unsupported Media Type"'),
    );
    expect(rendered).toEqual({
      success: false,
      error: { code, message: expect.any(String), requestId: 'req-1' },
    });
  });

  test('THROTTLED tells the client when to come back', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Retry-After': "'6'" }),
    });
  });
});
