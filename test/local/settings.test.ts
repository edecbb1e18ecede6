/**
 * The settings of `npm start`: defaults that work with nothing set, the handler's own variable names from
 * the environment or a config file, and the real Amazon Connect only when asked for explicitly.
 */
import { describe, expect, test } from '@jest/globals';
import { readSettings, SettingsError, STAND_IN_CONTACT_FLOW_ID, STAND_IN_INSTANCE_ID } from '../../local/settings.ts';

const REAL_INSTANCE = '0a1b2c3d-1111-4222-8333-444455556666';
const REAL_FLOW = '9f8e7d6c-aaaa-4bbb-8ccc-ddddeeeeffff';
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };

/** A config file system holding one file. */
function file(path: string, content: unknown) {
  return {
    cwd: '/project',
    readFile: (wanted: string) => {
      if (wanted !== path) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return typeof content === 'string' ? content : JSON.stringify(content);
    },
  };
}

function settingsError(run: () => unknown): SettingsError {
  try {
    run();
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error('expected a SettingsError');
}

describe('defaults', () => {
  test('with nothing set: ports 3000 and 3001, the stand-in with fake ids, origins left to the demo page', () => {
    // Act
    const settings = readSettings([], {});

    // Assert
    expect(settings).toMatchObject({ apiPort: 3000, demoPort: 3001, connect: 'stand-in', region: 'us-east-1' });
    expect(settings.handlerEnv).toEqual({
      CONNECT_INSTANCE_ID: STAND_IN_INSTANCE_ID,
      CONNECT_CONTACT_FLOW_ID: STAND_IN_CONTACT_FLOW_ID,
    });
    expect(settings.notices).toEqual([]);
  });

  test('PORT moves the demo page along; DEMO_PORT sets it apart', () => {
    expect(readSettings([], { PORT: '4000' })).toMatchObject({ apiPort: 4000, demoPort: 4001 });
    expect(readSettings([], { PORT: '4000', DEMO_PORT: '5000' })).toMatchObject({ apiPort: 4000, demoPort: 5000 });
    expect(readSettings([], { PORT: '0' })).toMatchObject({ apiPort: 0, demoPort: 0 });
  });

  test('the chat sandbox listens on PORT + 2 unless PARTICIPANT_PORT says otherwise; it cannot share a port', () => {
    expect(readSettings([], {}).participantPort).toBe(3002);
    expect(readSettings([], { PORT: '4000' }).participantPort).toBe(4002);
    expect(readSettings([], { PORT: '0' }).participantPort).toBe(0);
    expect(readSettings([], { PORT: '4000', PARTICIPANT_PORT: '4500' }).participantPort).toBe(4500);
    expect(settingsError(() => readSettings([], { PORT: '4000', PARTICIPANT_PORT: '4001' })).message).toMatch(
      /^PARTICIPANT_PORT \(4001\) must differ from PORT and DEMO_PORT/,
    );
    expect(settingsError(() => readSettings([], { PORT: '65534' })).message).toMatch(/needs PARTICIPANT_PORT set/);
  });

  test.each([['abc'], ['-1'], ['70000'], ['3.5']])('PORT=%s is refused, naming PORT', (value) => {
    expect(settingsError(() => readSettings([], { PORT: value })).message).toMatch(/^PORT must be a port number/);
  });
});

describe('where it listens', () => {
  test('--port sets the API port as PORT does, the demo page follows, and the flag wins over PORT', () => {
    expect(readSettings(['--port', '5000'], {})).toMatchObject({ apiPort: 5000, demoPort: 5001 });
    expect(readSettings(['--port=5000'], { PORT: '4000' })).toMatchObject({ apiPort: 5000, demoPort: 5001 });
    expect(readSettings(['-p', '5000', '--host', '0.0.0.0'], {})).toMatchObject({ apiPort: 5000, host: '0.0.0.0' });
  });

  test('a bad --port is refused, naming the flag', () => {
    expect(settingsError(() => readSettings(['--port', 'http'], { PORT: '4000' })).message).toMatch(
      /^--port must be a port number from 0 to 65535 \(got "http"\)/,
    );
  });

  test('127.0.0.1 by default; HOST or --host (the flag wins) listens elsewhere, with a notice', () => {
    // Act
    const byDefault = readSettings([], {});
    const everywhere = readSettings([], { HOST: '0.0.0.0' });
    const byFlag = readSettings(['--host', '[::]'], { HOST: '192.168.1.20' });

    // Assert
    expect(byDefault.host).toBe('127.0.0.1');
    expect(byDefault.notices).toEqual([]);
    expect(everywhere.host).toBe('0.0.0.0');
    expect(everywhere.notices).toEqual([
      'The API and the demo page listen on 0.0.0.0: other devices that can reach this machine can use them; the chat sandbox stays on this machine (127.0.0.1).',
    ]);
    expect(byFlag.host).toBe('::');
  });

  test('with the real Amazon Connect, the notice says that others can start real chats', () => {
    const settings = readSettings(['--connect=aws', '--host=0.0.0.0'], {
      CONNECT_INSTANCE_ID: REAL_INSTANCE,
      CONNECT_CONTACT_FLOW_ID: REAL_FLOW,
      AWS_REGION: 'eu-west-2',
      ...CREDENTIALS,
    });
    expect(settings.notices).toContainEqual(expect.stringContaining('can start real chats'));
  });

  test.each([['http://0.0.0.0'], ['0.0.0.0:3000'], ['my host']])('HOST=%s is refused, naming HOST', (value) => {
    expect(settingsError(() => readSettings([], { HOST: value })).message).toMatch(
      /^HOST \(or --host\) must be an address of this machine/,
    );
  });
});

describe('the handler variables', () => {
  test('are taken from the environment by the names the handler reads; unrelated variables are not', () => {
    // Act
    const settings = readSettings([], {
      ALLOWED_ORIGINS: 'http://localhost:5173',
      ALLOWED_ATTRIBUTE_KEYS: 'customerName',
      MAX_CHAT_DURATION_MINUTES: '120',
      HOME: '/root',
    });

    // Assert
    expect(settings.handlerEnv).toEqual({
      CONNECT_INSTANCE_ID: STAND_IN_INSTANCE_ID,
      CONNECT_CONTACT_FLOW_ID: STAND_IN_CONTACT_FLOW_ID,
      ALLOWED_ORIGINS: 'http://localhost:5173',
      ALLOWED_ATTRIBUTE_KEYS: 'customerName',
      MAX_CHAT_DURATION_MINUTES: '120',
    });
  });

  test('an empty ALLOWED_ORIGINS is kept: it means no browser origin, not the default', () => {
    expect(readSettings([], { ALLOWED_ORIGINS: '' }).handlerEnv.ALLOWED_ORIGINS).toBe('');
  });

  test('a config file gives them as JSON (lists, numbers, objects), and the environment wins over it', () => {
    // Arrange
    const fs = file('/project/chat.json', {
      ALLOWED_ORIGINS: ['http://localhost:5173', 'http://localhost:3001'],
      MAX_CHAT_DURATION_MINUTES: 90,
      ALLOW_PERSISTENT_CHAT: true,
      SERVER_ATTRIBUTES: { channel: 'web' },
      PORT: 3100,
    });

    // Act
    const settings = readSettings(['--config', 'chat.json'], { MAX_CHAT_DURATION_MINUTES: '200' }, fs);

    // Assert
    expect(settings.configFile).toBe('/project/chat.json');
    expect(settings.apiPort).toBe(3100);
    expect(settings.handlerEnv).toMatchObject({
      ALLOWED_ORIGINS: 'http://localhost:5173,http://localhost:3001',
      MAX_CHAT_DURATION_MINUTES: '200',
      ALLOW_PERSISTENT_CHAT: 'true',
      SERVER_ATTRIBUTES: '{"channel":"web"}',
    });
  });

  test('START_CHAT_CONFIG names the file too; --config=path works', () => {
    const fs = file('/project/a.json', { DEFAULT_DISPLAY_NAME: 'Guest' });
    expect(readSettings([], { START_CHAT_CONFIG: 'a.json' }, fs).handlerEnv.DEFAULT_DISPLAY_NAME).toBe('Guest');
    expect(readSettings(['--config=/project/a.json'], {}, fs).handlerEnv.DEFAULT_DISPLAY_NAME).toBe('Guest');
  });

  test.each([
    ['an unknown key', { ALLOWED_ORIGIN: 'x' }, /unknown setting "ALLOWED_ORIGIN"/],
    ['credentials', { AWS_SECRET_ACCESS_KEY: 'x' }, /"AWS_SECRET_ACCESS_KEY" does not belong in a file/],
    ['a nested value', { ALLOWED_ORIGINS: { a: 1 } }, /"ALLOWED_ORIGINS" must be a string/],
    ['not an object', ['a'], /must hold a JSON object/],
    ['not JSON', '{oops', /is not valid JSON/],
  ])('a config file with %s is refused with the file named', (_, content, message) => {
    const error = settingsError(() => readSettings(['--config', 'c.json'], {}, file('/project/c.json', content)));
    expect(error.message).toMatch(message);
    expect(error.message).toContain('/project/c.json');
  });

  test('a missing config file is refused with its path', () => {
    expect(
      settingsError(() => readSettings(['--config', 'missing.json'], {}, file('/project/c.json', {}))).message,
    ).toMatch(/Cannot read the config file \/project\/missing\.json: ENOENT/);
  });

  test('an unknown flag is refused', () => {
    expect(settingsError(() => readSettings(['--prot', '3000'], {})).message).toMatch(/--prot/);
  });
});

describe('the real Amazon Connect', () => {
  const aws = {
    CONNECT_INSTANCE_ID: REAL_INSTANCE,
    CONNECT_CONTACT_FLOW_ID: REAL_FLOW,
    AWS_REGION: 'eu-west-2',
    ...CREDENTIALS,
  };

  test('is used with CONNECT_TARGET=aws, the ids, a region and credentials', () => {
    // Act
    const settings = readSettings([], { ...aws, CONNECT_TARGET: 'aws' });

    // Assert
    expect(settings).toMatchObject({ connect: 'aws', region: 'eu-west-2' });
    expect(settings.handlerEnv).toMatchObject({
      CONNECT_INSTANCE_ID: REAL_INSTANCE,
      CONNECT_CONTACT_FLOW_ID: REAL_FLOW,
    });
  });

  test('--connect=aws beats CONNECT_TARGET; CONNECT_REGION is the region', () => {
    const settings = readSettings(['--connect=aws'], {
      CONNECT_TARGET: 'stand-in',
      CONNECT_INSTANCE_ID: REAL_INSTANCE,
      CONNECT_CONTACT_FLOW_ID: REAL_FLOW,
      CONNECT_REGION: 'ap-southeast-2',
      AWS_PROFILE: 'dev',
    });
    expect(settings).toMatchObject({ connect: 'aws', region: 'ap-southeast-2' });
  });

  test('is never used without being asked for: the ids alone stay on the stand-in, with a notice', () => {
    // Act
    const settings = readSettings([], aws);

    // Assert
    expect(settings.connect).toBe('stand-in');
    expect(settings.notices).toEqual([expect.stringContaining('CONNECT_TARGET=aws')]);
    expect(settings.notices[0]).toContain('CONNECT_INSTANCE_ID and CONNECT_CONTACT_FLOW_ID are set');
  });

  test.each([
    ['the instance id', { CONNECT_INSTANCE_ID: undefined }, /needs CONNECT_INSTANCE_ID/],
    ['the flow id', { CONNECT_CONTACT_FLOW_ID: undefined }, /needs CONNECT_CONTACT_FLOW_ID/],
  ])('asked for without %s, refuses to start', (_, missing, message) => {
    expect(settingsError(() => readSettings(['--connect', 'aws'], { ...aws, ...missing })).message).toMatch(message);
  });

  test('without a region or credentials in the environment: left to the AWS SDK’s chains (a profile from `aws configure`)', () => {
    // Act
    const settings = readSettings(['--connect=aws'], {
      CONNECT_INSTANCE_ID: REAL_INSTANCE,
      CONNECT_CONTACT_FLOW_ID: REAL_FLOW,
    });

    // Assert
    expect(settings.connect).toBe('aws');
    expect(settings.region).toBeUndefined();
  });

  test('an instance ARN: the handler gets the bare ID, and the ARN’s region is the region', () => {
    // Act
    const settings = readSettings(['--connect=aws'], {
      ...aws,
      AWS_REGION: 'us-east-1',
      CONNECT_INSTANCE_ID: `arn:aws:connect:eu-west-2:123456789012:instance/${REAL_INSTANCE}`,
    });

    // Assert
    expect(settings.region).toBe('eu-west-2');
    expect(settings.handlerEnv).toMatchObject({
      CONNECT_INSTANCE_ID: REAL_INSTANCE,
      CONNECT_CONTACT_FLOW_ID: REAL_FLOW,
      CONNECT_REGION: 'eu-west-2',
    });
  });

  test('a contact flow ARN: the bare flow ID, and its region', () => {
    const settings = readSettings(['--connect=aws'], {
      CONNECT_INSTANCE_ID: REAL_INSTANCE,
      CONNECT_CONTACT_FLOW_ID: `arn:aws:connect:ap-southeast-2:123456789012:instance/${REAL_INSTANCE}/contact-flow/${REAL_FLOW}`,
    });
    expect(settings.region).toBe('ap-southeast-2');
    expect(settings.handlerEnv).toMatchObject({
      CONNECT_INSTANCE_ID: REAL_INSTANCE,
      CONNECT_CONTACT_FLOW_ID: REAL_FLOW,
    });
  });

  test.each([
    [
      'an ARN of another kind',
      { CONNECT_INSTANCE_ID: 'arn:aws:connect:eu-west-2:123456789012:queue/abc' },
      /CONNECT_INSTANCE_ID must be the instance ID \(a UUID .*\) or its ARN \(arn:aws:connect:REGION:ACCOUNT:instance\/INSTANCE_ID\)/,
    ],
    [
      'a flow ARN of another instance',
      {
        CONNECT_CONTACT_FLOW_ID: `arn:aws:connect:eu-west-2:123456789012:instance/${REAL_FLOW}/contact-flow/${REAL_FLOW}`,
      },
      new RegExp(`CONNECT_CONTACT_FLOW_ID names a contact flow of the instance ${REAL_FLOW}, not of ${REAL_INSTANCE}`),
    ],
    [
      'CONNECT_REGION against the ARN’s region',
      {
        CONNECT_REGION: 'us-east-1',
        CONNECT_INSTANCE_ID: `arn:aws:connect:eu-west-2:123456789012:instance/${REAL_INSTANCE}`,
      },
      /CONNECT_REGION is us-east-1, but the ARN in CONNECT_INSTANCE_ID or CONNECT_CONTACT_FLOW_ID names an instance in eu-west-2/,
    ],
  ])('refuses %s', (_, change, message) => {
    expect(settingsError(() => readSettings(['--connect=aws'], { ...aws, ...change })).message).toMatch(message);
  });

  test('an unknown target is refused, listing the targets', () => {
    expect(settingsError(() => readSettings([], { CONNECT_TARGET: 'prod' })).message).toMatch(/one of stand-in, aws/);
  });
});
