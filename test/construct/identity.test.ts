/**
 * The `identity` prop: each `ChatIdentity` source writes the function's IDENTITY_* variables (which the
 * handler accepts as they are), grants exactly what it needs (the shared secret: GetSecretValue on that one
 * secret, and Decrypt through its key only via Secrets Manager; JWKS sources: nothing), keeps cdk-nag at zero
 * unacknowledged findings, and refuses bad props at synth naming the prop. One failing-props case per rule.
 */
import { describe, expect, test } from '@jest/globals';
import { Duration, Stack } from 'aws-cdk-lib';
import { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import { loadConfig } from '../../lambda/config.ts';
import { ChatIdentity, CognitoTokenUse, StartChatContactApi, type StartChatContactApiProps } from '../../lib/index.ts';
import { NAG_REASONS } from '../../lib/nag-acknowledgements.ts';
import {
  acknowledgements,
  buildChat,
  logicalIdOf,
  nagFindings,
  nagV2Findings,
  onlyResource,
  REQUIRED_PROPS,
  templateOf,
  testApp,
} from '../support/construct.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:chat/widget-key-AbCdEf';
const OIDC = {
  issuer: 'https://example.eu.auth0.com/',
  audience: ['https://chat.example.com/api'],
  jwksUri: 'https://example.eu.auth0.com/.well-known/jwks.json',
};

type IdentityFor = (stack: Stack) => ChatIdentity;

/** A stack with the construct and this identity, not yet synthesized. */
function build(identity: IdentityFor, props: Partial<StartChatContactApiProps> = {}) {
  const app = testApp();
  const stack = new Stack(app, 'ChatStack');
  const chat = new StartChatContactApi(stack, 'Chat', { ...REQUIRED_PROPS, ...props, identity: identity(stack) });
  return { app, stack, chat };
}

function synth(identity: IdentityFor, props: Partial<StartChatContactApiProps> = {}) {
  const built = build(identity, props);
  return { ...built, template: templateOf(built.stack) };
}

/** The environment and inline policies of the construct's function with this identity. */
function functionOf(template: ReturnType<typeof templateOf>) {
  const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter(
    (resource) => resource.Properties.Environment.Variables.IDENTITY_SOURCE !== undefined,
  );
  expect(functions).toHaveLength(1);
  const fn = functions[0]!;
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  const role = template.toJSON().Resources[roleId];
  const policies = Object.fromEntries(
    (role.Properties.Policies as Array<{ PolicyName: string; PolicyDocument: { Statement: unknown[] } }>).map(
      (policy) => [policy.PolicyName, policy.PolicyDocument.Statement],
    ),
  );
  return { environment: fn.Properties.Environment.Variables as Record<string, unknown>, policies, roleId };
}

describe('ChatIdentity.sharedSecret', () => {
  test('sets the variables and may read exactly the secret, and nothing else', () => {
    // Arrange / Act
    const { template } = synth((stack) =>
      ChatIdentity.sharedSecret({
        secret: Secret.fromSecretCompleteArn(stack, 'Key', SECRET_ARN),
        widgetId: 'widget-1',
      }),
    );
    // Assert
    const { environment, policies } = functionOf(template);
    expect(environment).toMatchObject({
      IDENTITY_SOURCE: 'shared-secret',
      IDENTITY_REQUIRED: 'false',
      IDENTITY_SECRET_ID: SECRET_ARN,
      IDENTITY_WIDGET_ID: 'widget-1',
      IDENTITY_SECRET_MAX_AGE_SECONDS: '300',
      IDENTITY_CLOCK_TOLERANCE_SECONDS: '30',
      IDENTITY_CLAIMS: JSON.stringify({ customerId: 'customerId', attributesClaim: 'attributes' }),
    });
    expect(Object.keys(policies).sort()).toEqual(['ReadIdentitySecret', 'StartChatContact', 'WriteOwnLogs']);
    expect(policies.ReadIdentitySecret).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN },
    ]);
  });

  test('a secret of this stack with its own key: Decrypt through that key, only via Secrets Manager', () => {
    const { template } = synth((s) => {
      const key = new Key(s, 'WidgetKeyKey', { enableKeyRotation: true });
      return ChatIdentity.sharedSecret({ secret: new Secret(s, 'WidgetKey', { encryptionKey: key }), widgetId: 'w' });
    });
    const secretId = logicalIdOf(template, 'AWS::SecretsManager::Secret');
    const keyId = logicalIdOf(template, 'AWS::KMS::Key');
    const { environment, policies } = functionOf(template);
    expect(environment.IDENTITY_SECRET_ID).toEqual({ Ref: secretId });
    expect(policies.ReadIdentitySecret).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secretId } },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
        Condition: {
          StringEquals: {
            'kms:ViaService': {
              'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]],
            },
          },
        },
      },
    ]);
  });

  test('a secret imported by name: the ARN suffix wildcard, acknowledged with its reason', () => {
    const { template, chat } = synth((stack) =>
      ChatIdentity.sharedSecret({ secret: Secret.fromSecretNameV2(stack, 'Key', 'chat/widget-key'), widgetId: 'w' }),
    );
    const { environment, policies } = functionOf(template);
    expect(environment.IDENTITY_SECRET_ID).toBe('chat/widget-key');
    const [statement] = policies.ReadIdentitySecret as Array<{ Resource: unknown }>;
    expect(JSON.stringify(statement!.Resource)).toMatch(/:secret:chat\/widget-key-\?\?\?\?\?\?"/);
    expect(acknowledgements(chat).map((ack) => ack.reason)).toContain(NAG_REASONS.secretArnSuffix);
  });

  test('the rest of the options reach the function', () => {
    const { template } = synth((stack) =>
      ChatIdentity.sharedSecret({
        secret: Secret.fromSecretCompleteArn(stack, 'Key', SECRET_ARN),
        widgetId: 'w',
        required: true,
        secretMaxAge: Duration.minutes(1),
        clockTolerance: Duration.seconds(5),
        claims: { customerId: 'customerId', displayName: 'name' },
      }),
    );
    expect(functionOf(template).environment).toMatchObject({
      IDENTITY_REQUIRED: 'true',
      IDENTITY_SECRET_MAX_AGE_SECONDS: '60',
      IDENTITY_CLOCK_TOLERANCE_SECONDS: '5',
      IDENTITY_CLAIMS: JSON.stringify({ customerId: 'customerId', displayName: 'name' }),
    });
  });
});

describe('ChatIdentity.cognito', () => {
  test('both issuer forms of the pool, its JWKS, the app clients; no permission', () => {
    const { template } = synth((stack) => {
      const pool = UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-2_AbCdEf123');
      return ChatIdentity.cognito({
        userPool: pool,
        clients: [UserPoolClient.fromUserPoolClientId(stack, 'Web', '1example23456789')],
        tokenUse: CognitoTokenUse.ACCESS,
      });
    });
    const { environment, policies } = functionOf(template);
    const text = JSON.stringify(environment);
    expect(environment).toMatchObject({
      IDENTITY_SOURCE: 'cognito',
      IDENTITY_TOKEN_USE: 'access',
      IDENTITY_AUDIENCES: '1example23456789',
      IDENTITY_MAX_TOKEN_AGE_SECONDS: '86400',
      IDENTITY_CLAIMS: JSON.stringify({ customerId: 'sub' }),
    });
    expect(text).toContain('https://cognito-idp.');
    expect(text).toContain(',https://issuer-cognito-idp.');
    expect(text).toContain('/eu-west-2_AbCdEf123/.well-known/jwks.json');
    expect(Object.keys(policies).sort()).toEqual(['StartChatContact', 'WriteOwnLogs']);
  });

  test('a pool and client defined in the stack are referenced, not copied', () => {
    const { template } = synth((stack) => {
      const pool = new UserPool(stack, 'Users');
      return ChatIdentity.cognito({ userPool: pool, clients: [pool.addClient('Web')], tokenUse: CognitoTokenUse.ID });
    });
    const poolId = logicalIdOf(template, 'AWS::Cognito::UserPool');
    const clientId = logicalIdOf(template, 'AWS::Cognito::UserPoolClient');
    const { environment } = functionOf(template);
    expect(JSON.stringify(environment.IDENTITY_ISSUERS)).toContain(`{"Ref":"${poolId}"}`);
    expect(environment.IDENTITY_AUDIENCES).toEqual({ Ref: clientId });
  });
});

describe('ChatIdentity.oidc', () => {
  test('issuer, audience, JWKS URL and algorithms; no permission; the handler accepts what is synthesized', () => {
    // Arrange / Act
    const { template } = synth(() =>
      ChatIdentity.oidc({
        ...OIDC,
        algorithms: ['RS256', 'ES256'],
        claims: { customerId: 'sub', displayName: 'name' },
      }),
    );
    // Assert
    const { environment, policies } = functionOf(template);
    expect(environment).toMatchObject({
      IDENTITY_SOURCE: 'oidc',
      IDENTITY_ISSUERS: OIDC.issuer,
      IDENTITY_AUDIENCES: OIDC.audience[0],
      IDENTITY_JWKS_URI: OIDC.jwksUri,
      IDENTITY_ALGORITHMS: 'RS256,ES256',
    });
    expect(Object.keys(policies).sort()).toEqual(['StartChatContact', 'WriteOwnLogs']);
    const config = loadConfig(environment as Record<string, string>);
    expect(config.identity).toMatchObject({
      source: 'oidc',
      issuers: [OIDC.issuer],
      audiences: OIDC.audience,
      algorithms: ['RS256', 'ES256'],
      claims: { customerId: 'sub', displayName: 'name' },
      required: false,
    });
  });

  test('the shared secret’s synthesized variables are accepted by the handler too', () => {
    const { template } = synth((stack) =>
      ChatIdentity.sharedSecret({ secret: Secret.fromSecretCompleteArn(stack, 'Key', SECRET_ARN), widgetId: 'w' }),
    );
    const config = loadConfig(functionOf(template).environment as Record<string, string>);
    expect(config.identity).toMatchObject({ source: 'shared-secret', secretId: SECRET_ARN, widgetId: 'w' });
  });
});

describe('cdk-nag 2 and 3: zero unacknowledged findings', () => {
  const identities: Array<[string, IdentityFor]> = [
    [
      'the shared secret by complete ARN',
      (s) => ChatIdentity.sharedSecret({ secret: Secret.fromSecretCompleteArn(s, 'K', SECRET_ARN), widgetId: 'w' }),
    ],
    [
      'the shared secret imported by name (the ARN suffix wildcard)',
      (s) => ChatIdentity.sharedSecret({ secret: Secret.fromSecretNameV2(s, 'K', 'chat/widget-key'), widgetId: 'w' }),
    ],
    [
      'Cognito',
      (s) =>
        ChatIdentity.cognito({
          userPool: UserPool.fromUserPoolId(s, 'P', 'eu-west-2_AbCdEf123'),
          clients: [UserPoolClient.fromUserPoolClientId(s, 'C', 'client')],
          tokenUse: CognitoTokenUse.ID,
        }),
    ],
    ['OIDC', () => ChatIdentity.oidc(OIDC)],
  ];
  const majors: Array<[string, (scope: IConstruct) => string[]]> = [
    ['3', nagFindings],
    ['2', nagV2Findings],
  ];

  test.each(
    majors.flatMap(([major, findings]) =>
      identities.map(([name, identity]) => [major, name, identity, findings] as const),
    ),
  )('cdk-nag %s, with %s', (_major, _name, identity, findings) => {
    const { app } = build(identity);
    expect(findings(app)).toEqual([]);
  });
});

describe('refuses bad props, naming them', () => {
  const secret = (s: Stack) => Secret.fromSecretCompleteArn(s, 'K', SECRET_ARN);
  const cases: Array<[string, IdentityFor, RegExp, Partial<StartChatContactApiProps>?]> = [
    [
      'an empty widget id',
      (s) => ChatIdentity.sharedSecret({ secret: secret(s), widgetId: ' ' }),
      /identity.widgetId must be a non-empty string/,
    ],
    [
      'a secret cache time over an hour',
      (s) => ChatIdentity.sharedSecret({ secret: secret(s), widgetId: 'w', secretMaxAge: Duration.hours(2) }),
      /identity.secretMaxAge must be a whole number of seconds from 1 to 3600/,
    ],
    [
      'a clock tolerance over 5 minutes',
      () => ChatIdentity.oidc({ ...OIDC, clockTolerance: Duration.minutes(10) }),
      /identity.clockTolerance must be a whole number of seconds from 0 to 300/,
    ],
    [
      'a clock tolerance that is not a whole number of seconds',
      () => ChatIdentity.oidc({ ...OIDC, clockTolerance: Duration.seconds(1.5) }),
      /identity.clockTolerance must be a whole number of seconds from 0 to 300/,
    ],
    [
      'Cognito without an app client',
      (s) =>
        ChatIdentity.cognito({
          userPool: UserPool.fromUserPoolId(s, 'P', 'eu-west-2_x'),
          clients: [],
          tokenUse: CognitoTokenUse.ID,
        }),
      /identity.clients must list at least one app client/,
    ],
    [
      'Cognito with a token use that is not one of CognitoTokenUse',
      (s) =>
        ChatIdentity.cognito({
          userPool: UserPool.fromUserPoolId(s, 'P', 'eu-west-2_x'),
          clients: [UserPoolClient.fromUserPoolClientId(s, 'C', 'client')],
          tokenUse: { value: 'refresh' } as unknown as CognitoTokenUse,
        }),
      /identity.tokenUse must be CognitoTokenUse.ID or CognitoTokenUse.ACCESS/,
    ],
    [
      'an issuer over plain http',
      () => ChatIdentity.oidc({ ...OIDC, issuer: 'http://login.example.com' }),
      /identity.issuer must be the https URL/,
    ],
    ['no audience', () => ChatIdentity.oidc({ ...OIDC, audience: [] }), /identity.audience must list at least one/],
    [
      'an audience with a comma',
      () => ChatIdentity.oidc({ ...OIDC, audience: ['a,b'] }),
      /identity.audience\[0\] must not contain a comma/,
    ],
    [
      'a JWKS URL over plain http',
      () => ChatIdentity.oidc({ ...OIDC, jwksUri: 'http://example.com/jwks' }),
      /identity.jwksUri must be an https URL/,
    ],
    [
      'HS256 for OIDC',
      () => ChatIdentity.oidc({ ...OIDC, algorithms: ['HS256'] }),
      /identity.algorithms must list algorithms among RS256/,
    ],
    ['no algorithm', () => ChatIdentity.oidc({ ...OIDC, algorithms: [] }), /identity.algorithms/],
    [
      'a token age over 7 days',
      () => ChatIdentity.oidc({ ...OIDC, maxTokenAge: Duration.days(30) }),
      /identity.maxTokenAge must be a whole number of seconds from 60 to 604800/,
    ],
    [
      'a claim mapping to a bad attribute key',
      () => ChatIdentity.oidc({ ...OIDC, claims: { attributes: { 'my tier': 'tier' } } }),
      /identity.claims attributes has the key "my tier"/,
    ],
    [
      'an empty claim name',
      () => ChatIdentity.oidc({ ...OIDC, claims: { customerId: '' } }),
      /identity.claims customerId must be a claim name/,
    ],
    [
      'CustomerId from the token and from clients',
      () => ChatIdentity.oidc(OIDC),
      /identity.claims conflict with the other props: CustomerId comes from the verified token.*allowCustomerId/,
      { allowCustomerId: true },
    ],
    [
      'an attribute from the token and from clients',
      () => ChatIdentity.oidc({ ...OIDC, claims: { attributes: { tier: 'tier' } } }),
      /the attributes tier come from the verified token.*allowedAttributeKeys/,
      { allowedAttributeKeys: ['topic', 'tier'] },
    ],
  ];

  test.each(cases.map(([name, identity, message, props]) => [name, identity, message, props ?? {}] as const))(
    '%s',
    (_name, identity, message, props) => {
      expect(() => synth(identity, props)).toThrow(message);
      expect(() => synth(identity, props)).toThrow(/^StartChatContactApi: identity\./);
    },
  );
});

test('without identity the function has no IDENTITY_* variable and no extra permission', () => {
  const { stack } = buildChat();
  const environment = onlyResource(templateOf(stack), 'AWS::Lambda::Function').Properties.Environment.Variables;
  expect(Object.keys(environment).filter((name) => name.startsWith('IDENTITY_'))).toEqual([]);
});
