/**
 * `StartChatContactApi`: an HTTPS endpoint that starts Amazon Connect chats. A REST API (or a route on one
 * you have) with a `POST` chat route, CORS, throttling, logs and optional WAF and authorizer; the
 * pre-bundled handler on Node 24 / arm64; and a role allowed `connect:StartChatContact` on exactly the
 * allowed contact flows. Props are checked before anything is built.
 */
import { Duration, Names, type RemovalPolicy } from 'aws-cdk-lib';
import {
  type CfnMethod,
  type EndpointType,
  type IAuthorizer,
  type IResource,
  type IRestApi,
  LambdaIntegration,
  LogGroupLogDestination,
  type MethodDeploymentOptions,
  MethodLoggingLevel,
  RestApi,
  type Stage,
} from 'aws-cdk-lib/aws-apigateway';
import type { Alarm, Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { Architecture, Code, Function as LambdaFunction, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { accessLogFormat } from './access-log-format.ts';
import { createAlarms, type StartChatContactAlarmOptions } from './alarms.ts';
import { ApiGatewayCloudWatchRole } from './api-gateway-cloudwatch-role.ts';
import { StartChatContactApiMetrics } from './chat-api-metrics.ts';
import type { ChatIdentity, ChatIdentityConfig } from './chat-identity.ts';
import { checkProps } from './check-props.ts';
import { type ConnectTarget, contactFlowArns, contactsArn } from './connect-target.ts';
import { CORS_PREFLIGHT } from './cors-preflight.ts';
import { createDashboard } from './dashboard.ts';
import { API_GATEWAY_TIMEOUT, HANDLER_RUNTIME, STAGE_NAME } from './defaults.ts';
import { addGatewayResponses, type WebAclKind } from './gateway-responses.ts';
import { handlerAssetDirectory } from './handler-asset.ts';
import { handlerEnvironment } from './handler-environment.ts';
import { createHandlerRole } from './handler-role.ts';
import {
  acknowledgeChatMethodAuthorization,
  acknowledgeNoRequestValidator,
  acknowledgeNoWebAcl,
  acknowledgePastContacts,
  acknowledgeSecretArnSuffix,
  acknowledgeTracing,
} from './nag-acknowledgements.ts';
import type { ResolvedProps } from './resolve-props.ts';
import { shareAmongRoutes } from './route-throttling.ts';
import { associateWebAcl, createPerIpRateLimitAcl } from './web-acl.ts';

export interface StartChatContactApiProps {
  // ---- Amazon Connect ----

  /**
   * The Amazon Connect instance chats start in: its ID, or its ARN
   * (`arn:aws:connect:REGION:ACCOUNT:instance/ID`). An ARN's region and account are the instance's:
   * the function calls Connect there and is allowed only there.
   */
  readonly instanceId: string;

  /**
   * The contact flow chats start in when a request names none: its ID, or its ARN
   * (`arn:aws:connect:REGION:ACCOUNT:instance/ID/contact-flow/FLOW_ID`) in the same instance.
   */
  readonly contactFlowId: string;

  /**
   * Further contact flows a request may name in `ContactFlowId` (IDs or ARNs of the same instance).
   * Requests naming any other flow are refused.
   *
   * @default - only `contactFlowId`
   */
  readonly allowedContactFlowIds?: string[];

  /**
   * Browser origins that may call the endpoint, such as `https://www.example.com`; `['*']` for any
   * origin; `[]` for none (mobile apps and servers send no `Origin`). Drives the CORS preflight, the CORS
   * headers of every answer, and the function's 403 for other origins.
   */
  readonly allowedOrigins: string[];

  // ---- What a request may do (the function's policy) ----

  /**
   * Contact attribute keys a client may set in `Attributes` (`^[A-Za-z0-9_-]+$`).
   *
   * @default - clients may set no attributes
   */
  readonly allowedAttributeKeys?: string[];

  /**
   * Attributes added to every chat; they win over a client's.
   *
   * @default - none
   */
  readonly serverAttributes?: Record<string, string>;

  /**
   * The longest chat a client may ask for in `ChatDurationInMinutes`, 60 to 10,080.
   *
   * @default 1500 (Connect's own default, 25 hours)
   */
  readonly maxChatDurationMinutes?: number;

  /**
   * Accept `PersistentChat` (continue a past chat). Also allows the function `connect:StartChatContact`
   * on the instance's contacts.
   *
   * @default false
   */
  readonly allowPersistentChat?: boolean;

  /**
   * Accept `RelatedContactId`. Also allows the function `connect:StartChatContact` on the instance's
   * contacts.
   *
   * @default false
   */
  readonly allowRelatedContact?: boolean;

  /**
   * Accept `CustomerId`.
   *
   * @default false
   */
  readonly allowCustomerId?: boolean;

  /**
   * Accept `SegmentAttributes`.
   *
   * @default false
   */
  readonly allowSegmentAttributes?: boolean;

  /**
   * The display name used when a request has none (1-256 characters, no control characters).
   *
   * @default - requests must send `ParticipantDetails.DisplayName`
   */
  readonly defaultDisplayName?: string;

  /**
   * What the answer's `featurePermissions.ATTACHMENTS` tells the hosted widget. Attachments must also be
   * enabled on the instance.
   *
   * @default false
   */
  readonly attachmentsEnabled?: boolean;

  /**
   * The largest request body the function accepts, in bytes (1,024 to 10 MiB); larger ones get 413
   * PAYLOAD_TOO_LARGE before anything is parsed.
   *
   * @default 131072 (128 KiB)
   */
  readonly maxBodyBytes?: number;

  /**
   * The longest time the function spends on Connect for one request, retries of Connect's throttling
   * included (1 to 29 seconds).
   *
   * @default Duration.seconds(25)
   */
  readonly retryBudget?: Duration;

  /**
   * Verified customer identity: where the `Authorization: Bearer` tokens of signed-in customers come from
   * (`ChatIdentity.sharedSecret`, `ChatIdentity.cognito` or `ChatIdentity.oidc`), whether one is required,
   * and which claims fill `CustomerId`, the display name and attributes. A verified token also sets
   * `SegmentAttributes."connect:CustomerAuthentication"` to AUTHENTICATED; a bad token gets 401.
   *
   * @default - no identity: every chat is anonymous, and tokens are ignored
   */
  readonly identity?: ChatIdentity;

  // ---- The API ----

  /**
   * An existing REST API to add the chat route to, instead of defining one. Its owner keeps its stage,
   * logging, throttling, WAF and gateway responses, so the stage-level props are refused with it.
   *
   * @default - a new REST API with a `prod` stage
   */
  readonly restApi?: IRestApi;

  /**
   * The name of the REST API this construct defines, as the API Gateway console and CLI list it.
   *
   * @default - a name made from the construct's path, unique in the account and region
   */
  readonly restApiName?: string;

  /**
   * The resource path of the chat route, without the stage: `chat` answers `POST /prod/chat`. Segments of
   * letters, digits, `.`, `_` and `-`, separated by `/`; `''` puts the route on the stage root.
   *
   * @default 'chat'
   */
  readonly path?: string;

  /**
   * Also answer `POST` on the stage root (`/prod/`), where clients built for the Amazon Connect chat
   * samples' API (the Android sample among them) post.
   *
   * @default - true for a new API, false with `restApi`
   */
  readonly serveStageRoot?: boolean;

  /**
   * The endpoint type of the new API: `REGIONAL` or `EDGE`.
   *
   * @default EndpointType.REGIONAL
   */
  readonly endpointType?: EndpointType;

  /**
   * Steady chat requests per second the endpoint admits, over all its chat routes together (each route's
   * `POST` gets an even share); more get 429 THROTTLED. Sized to StartChatContact's quota (5 per second per
   * account and region) for each route: raise both together.
   *
   * @default - 5 for each chat route: 10 with the stage root served too (the default), 5 with one route
   */
  readonly throttlingRateLimit?: number;

  /**
   * Chat requests the endpoint admits at once above the steady rate, over all its chat routes together
   * (shared among the routes in whole requests, so at least one per route). The function retries Connect's
   * throttling within its retry budget, so a burst larger than Connect's own (8) is served, only slower.
   *
   * @default - 50 for each chat route: 100 with the stage root served too (the default), 50 with one route
   */
  readonly throttlingBurstLimit?: number;

  /**
   * Chat starts (POSTs) one IP address may make per `perIpRateLimitWindow` (10 to 2,000,000,000); more are
   * blocked with 429 THROTTLED. Creates an AWS WAF web ACL with one rate-based rule on the stage.
   *
   * @default - no per-IP limit and no web ACL
   */
  readonly perIpRateLimit?: number;

  /**
   * The window `perIpRateLimit` counts over: 1, 2, 5 or 10 minutes.
   *
   * @default Duration.minutes(5)
   */
  readonly perIpRateLimitWindow?: Duration;

  /**
   * The ARN of an existing regional AWS WAF web ACL to attach to the stage instead of creating one.
   * Requests it blocks get 403 REQUEST_BLOCKED.
   *
   * @default - no web ACL unless `perIpRateLimit` is set
   */
  readonly webAclArn?: string;

  /**
   * An authorizer for the chat route, for sites whose users sign in (a Cognito user pool or Lambda
   * authorizer). The CORS preflight stays open, as browsers send it without credentials.
   *
   * @default - no authorizer: anyone may start a chat
   */
  readonly authorizer?: IAuthorizer;

  /**
   * Set API Gateway's account-wide CloudWatch Logs role (`AWS::ApiGateway::Account`), which the stage's
   * logging needs, to a role this stack creates. Only for an account and region that have no such role yet
   * (`aws apigateway get-account` shows `cloudwatchRoleArn` when they have one), and in one stack per
   * account and region: the role is named `ApiGatewayCloudWatchLogs-<region>`, so a second stack asking for
   * it fails to deploy. Constructs in one stack share one role. The role is deleted with the stack.
   *
   * @default false - the account's existing role is used; without one the stage fails to deploy with
   * "CloudWatch Logs role ARN must be set in account settings to enable logging"
   */
  readonly cloudWatchRole?: boolean;

  /**
   * Keep each caller's IP address and user agent in the access log. `false` leaves both out, for
   * deployments that must not store them; the per-IP limit (`perIpRateLimit`) still works, as AWS WAF
   * counts addresses itself.
   *
   * @default true
   */
  readonly accessLogCallerDetails?: boolean;

  // ---- The function and logs ----

  /**
   * The function's memory in MB, 128 to 10,240; Lambda gives CPU in proportion.
   *
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * Concurrent executions reserved for (and capping) the function, 1 or more. Requests over the cap are
   * refused by Lambda before the function runs, so under a flood the function cannot take more of the
   * account's concurrency than this (see the README's abuse controls for the bound without it).
   *
   * @default - no reservation: the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * The function's log level (`POWERTOOLS_LOG_LEVEL`): TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL or SILENT.
   *
   * @default - INFO (the logger's default)
   */
  readonly logLevel?: string;

  /**
   * The `service` field of the function's log lines (`POWERTOOLS_SERVICE_NAME`).
   *
   * @default 'start-chat-contact'
   */
  readonly serviceName?: string;

  /**
   * Map stack traces in the function's logs to the TypeScript sources (`NODE_OPTIONS=--enable-source-maps`).
   * The source maps (about 1 MB, one per file of the bundle) ship with the function only then; turning this
   * on costs every cold start about 20 ms (Node reads each file's map when it loads; see the README's
   * Performance section).
   *
   * @default false
   */
  readonly enableSourceMaps?: boolean;

  /**
   * How long the function's log group and the access log group keep logs.
   *
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;

  /**
   * What happens to the log groups when the stack is deleted.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;

  // ---- Monitoring (README: Monitoring) ----

  /**
   * The CloudWatch namespace the function writes its metrics to (`ChatsStarted`, `Rejected`, `Throttled`,
   * ...), which the `metric...()` methods, the alarms and the dashboard read.
   *
   * @default 'StartChatContactApi'
   */
  readonly metricsNamespace?: string;

  /**
   * Create the recommended alarms. Each can be changed or switched off with `alarmOptions`.
   *
   * @default true
   */
  readonly createAlarms?: boolean;

  /**
   * Changes to each alarm: its threshold, periods, or off.
   *
   * @default - every alarm with the defaults in the README's Monitoring section
   */
  readonly alarmOptions?: StartChatContactAlarmOptions;

  /**
   * An SNS topic each alarm notifies when it fires and when it recovers.
   *
   * @default - alarms without actions (add them through `alarms`)
   */
  readonly alarmTopic?: ITopic;

  /**
   * Create a CloudWatch dashboard of the endpoint. Dashboards are billed (beyond the account's free three).
   *
   * @default false
   */
  readonly createDashboard?: boolean;

  /**
   * Active AWS X-Ray tracing for the function and for the stage this construct defines. No tracer is
   * bundled into the function, so it costs no cold-start time; X-Ray bills per trace.
   *
   * @default false
   */
  readonly tracing?: boolean;
}

/**
 * Stage throttling applies to each method on its own, so each chat route's POST gets its share of the
 * limits: together they admit the documented rate and burst (route-throttling.ts). Other methods (the
 * CORS preflights) keep the stage's limits.
 */
function chatMethodThrottling(
  settings: ResolvedProps,
  methodOptions: MethodDeploymentOptions,
): Record<string, MethodDeploymentOptions> {
  const shares = shareAmongRoutes(
    { rateLimit: settings.throttlingRateLimit, burstLimit: settings.throttlingBurstLimit },
    settings.routePaths.length,
  );
  return Object.fromEntries(
    settings.routePaths.map((path, index) => [
      `/${path}/POST`,
      {
        ...methodOptions,
        throttlingRateLimit: shares[index]!.rateLimit,
        throttlingBurstLimit: shares[index]!.burstLimit,
      },
    ]),
  );
}

/**
 * An HTTPS endpoint that starts Amazon Connect chats for web and mobile chat widgets.
 *
 * @example
 * new StartChatContactApi(this, 'Chat', {
 *   instanceId: 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555',
 *   contactFlowId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
 *   allowedOrigins: ['https://www.example.com'],
 * });
 */
export class StartChatContactApi extends StartChatContactApiMetrics {
  /** The REST API the chat route is on: the one defined here, or `restApi`. */
  public readonly api: IRestApi;

  /** The function that validates requests and calls StartChatContact. */
  public readonly handler: LambdaFunction;

  /** The CloudWatch namespace of the function's metrics. */
  public readonly metricsNamespace: string;

  /** The alarms created (none with `createAlarms: false`); add actions to them here. */
  public readonly alarms: Alarm[];

  /** The dashboard, with `createDashboard`. */
  public readonly dashboard: Dashboard | undefined;

  /**
   * The log group of the stage's access logs (JSON, one line per request).
   * Undefined with `restApi`: that API's owner keeps its stage and logs.
   */
  public readonly accessLogGroup: LogGroup | undefined;

  /**
   * The AWS WAF web ACL this construct creates for `perIpRateLimit`. Undefined without it, and with
   * `webAclArn` (that web ACL is yours) or `restApi`.
   */
  public readonly webAcl: CfnWebACL | undefined;

  protected readonly connectTarget: ConnectTarget;

  private readonly routePath: string;

  constructor(scope: Construct, id: string, props: StartChatContactApiProps) {
    super(scope, id);
    const { settings, alarmSettings, identity } = checkProps(this, props);
    // The source maps are read only with source maps on; without them they would be 2/3 of the asset for nothing.
    const code = Code.fromAsset(handlerAssetDirectory(), settings.enableSourceMaps ? {} : { exclude: ['*.map'] });

    this.metricsNamespace = settings.metricsNamespace;
    this.connectTarget = settings.target;
    this.handler = this.createHandler(settings, code, identity);
    // The stage of an API this construct defines; with `restApi` its 5xx cannot be scoped to this route.
    let stage: Stage | undefined;
    if (props.restApi === undefined) {
      const { api, accessLogGroup, webAcl } = this.createRestApi(settings);
      this.api = api;
      this.accessLogGroup = accessLogGroup;
      this.webAcl = webAcl;
      stage = api.deploymentStage;
    } else {
      this.api = props.restApi;
    }
    this.routePath = settings.routePaths[0] ?? '';
    this.addChatRoutes(settings, props.authorizer);

    const sources = {
      metrics: this,
      handler: this.handler,
      stage,
      instanceInStack: settings.target.inStackEnvironment,
    };
    this.alarms = createAlarms(this, sources, alarmSettings, props.alarmTopic);
    this.dashboard = props.createDashboard
      ? createDashboard(this, 'Dashboard', { ...sources, alarms: this.alarms })
      : undefined;
  }

  /** The chat route's URL, e.g. `https://abc123.execute-api.us-east-1.amazonaws.com/prod/chat`. */
  public get url(): string {
    // Declared as always set, but undefined for imported APIs and APIs defined with `deploy: false`.
    const stage = this.api.deploymentStage as Stage | undefined;
    if (stage === undefined) {
      throw new Error(
        'StartChatContactApi: url needs the deployment stage of restApi, and this API has none (imported, or deploy: false). Build the URL from your stage instead.',
      );
    }
    return stage.urlForPath(`/${this.routePath}`);
  }

  private createHandler(settings: ResolvedProps, code: Code, identity: ChatIdentityConfig | undefined): LambdaFunction {
    const logGroup = new LogGroup(this, 'HandlerLogs', {
      retention: settings.logRetention,
      removalPolicy: settings.logRemovalPolicy,
    });
    const pastContacts = settings.allowPersistentChat || settings.allowRelatedContact;
    const role = createHandlerRole(this, 'HandlerRole', {
      logGroup,
      startChatResources: [
        ...contactFlowArns(settings.target),
        ...(pastContacts ? [contactsArn(settings.target)] : []),
      ],
      identityStatements: identity?.policyStatements ?? [],
    });
    if (pastContacts) acknowledgePastContacts(role, contactsArn(settings.target));
    for (const resource of identity?.policyStatements.flatMap((statement) => statement.resources) ?? []) {
      if (resource.endsWith('-??????')) acknowledgeSecretArnSuffix(role, resource);
    }

    const handler = new LambdaFunction(this, 'Handler', {
      description: 'Validates chat requests and starts Amazon Connect chats',
      code,
      handler: 'index.handler',
      runtime: HANDLER_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: settings.memorySize,
      timeout: API_GATEWAY_TIMEOUT,
      role,
      logGroup,
      environment: handlerEnvironment(settings, identity?.environment),
      ...(settings.tracing && { tracing: Tracing.ACTIVE }),
      ...(settings.reservedConcurrentExecutions !== undefined && {
        reservedConcurrentExecutions: settings.reservedConcurrentExecutions,
      }),
    });
    // After the function: its X-Ray statement goes into a policy the role gets only then.
    if (settings.tracing) acknowledgeTracing(role);
    return handler;
  }

  private createRestApi(settings: ResolvedProps): {
    api: RestApi;
    accessLogGroup: LogGroup;
    webAcl: CfnWebACL | undefined;
  } {
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: settings.logRetention,
      removalPolicy: settings.logRemovalPolicy,
    });
    // Every method's settings; a method with settings of its own gets these too, or it would not log.
    const methodOptions: MethodDeploymentOptions = { loggingLevel: MethodLoggingLevel.ERROR, dataTraceEnabled: false };
    const api = new RestApi(this, 'Api', {
      restApiName: settings.restApiName ?? Names.uniqueResourceName(this, { maxLength: 128 }),
      description: 'Starts Amazon Connect chats',
      endpointConfiguration: { types: [settings.endpointType] },
      cloudWatchRole: false,
      deployOptions: {
        stageName: STAGE_NAME,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: accessLogFormat({ callerDetails: settings.accessLogCallerDetails }),
        ...methodOptions,
        throttlingRateLimit: settings.throttlingRateLimit,
        throttlingBurstLimit: settings.throttlingBurstLimit,
        tracingEnabled: settings.tracing,
        methodOptions: chatMethodThrottling(settings, methodOptions),
      },
    });
    acknowledgeNoRequestValidator(api.node.defaultChild!);

    if (settings.cloudWatchRole) ApiGatewayCloudWatchRole.of(this, api).serve(api.deploymentStage);

    const { kind, webAcl } = this.attachWebAcl(api, settings);
    addGatewayResponses(api, settings.allowedOrigins, kind);
    return { api, accessLogGroup: accessLogs, webAcl };
  }

  /** Puts the construct's own per-IP web ACL, or the deployer's, in front of the stage. */
  private attachWebAcl(api: RestApi, settings: ResolvedProps): { kind: WebAclKind; webAcl: CfnWebACL | undefined } {
    if (settings.perIpRateLimit !== undefined) {
      const acl = createPerIpRateLimitAcl(this, 'WebAcl', settings.perIpRateLimit);
      associateWebAcl(this, 'WebAclAssociation', api.deploymentStage, acl.attrArn);
      return { kind: 'per-ip-rate-limit', webAcl: acl };
    }
    if (settings.webAclArn !== undefined) {
      associateWebAcl(this, 'WebAclAssociation', api.deploymentStage, settings.webAclArn);
      return { kind: 'external', webAcl: undefined };
    }
    acknowledgeNoWebAcl(api.deploymentStage.node.defaultChild!);
    return { kind: 'none', webAcl: undefined };
  }

  private addChatRoutes(settings: ResolvedProps, authorizer: IAuthorizer | undefined): void {
    const integration = new LambdaIntegration(this.handler, { proxy: true, allowTestInvoke: false });
    for (const path of settings.routePaths) {
      const resource: IResource = path === '' ? this.api.root : this.api.root.resourceForPath(path);
      const method = resource.addMethod('POST', integration, authorizer === undefined ? undefined : { authorizer });
      acknowledgeChatMethodAuthorization(method, (method.node.defaultChild as CfnMethod).authorizationType);
      if (settings.allowedOrigins === '*' || settings.allowedOrigins.length > 0) {
        resource.addCorsPreflight({
          allowOrigins: settings.allowedOrigins === '*' ? ['*'] : [...settings.allowedOrigins],
          allowMethods: [...CORS_PREFLIGHT.allowMethods],
          allowHeaders: [...CORS_PREFLIGHT.allowHeaders],
          exposeHeaders: [...CORS_PREFLIGHT.exposeHeaders],
          maxAge: Duration.seconds(CORS_PREFLIGHT.maxAgeSeconds),
        });
      }
    }
  }
}
