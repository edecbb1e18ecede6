/**
 * The start banner's chat sandbox lines: where the Participant Service stand-in and the agent console
 * are and the two lines a chatjs widget needs; with the real Amazon Connect, that there is no sandbox.
 */
import { expect, test } from '@jest/globals';
import { startBanner } from '../../local/banner.ts';
import type { LocalApi } from '../../local/local-api.ts';

function localApi(overrides: Partial<LocalApi>): LocalApi {
  return {
    apiUrl: 'http://127.0.0.1:3000/prod/chat',
    demoUrl: 'http://127.0.0.1:3001/',
    network: [],
    allowedOrigins: ['http://127.0.0.1:3001'],
    demoPageAllowed: true,
    connect: {
      target: 'stand-in',
      instanceId: 'i',
      contactFlowId: 'f',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:1',
    },
    standIn: undefined,
    sandbox: undefined,
    agentScriptFile: undefined,
    close: async () => {},
    ...overrides,
  };
}

test('with the sandbox: its endpoint, the agent console, the agent and the setGlobalConfig line', () => {
  // Arrange
  const sandbox = {
    url: 'http://127.0.0.1:3002',
    consoleUrl: 'http://127.0.0.1:3002/agent-console/',
  } as LocalApi['sandbox'];

  // Act
  const banner = startBanner(localApi({ sandbox, agentScriptFile: '/project/agent.json' }));

  // Assert
  expect(banner).toContain(
    '  Sandbox    Participant Service stand-in at http://127.0.0.1:3002, WebSockets on ws://127.0.0.1:3002',
  );
  expect(banner).toContain('chats answered by the simulated agent of /project/agent.json');
  expect(banner).toContain('  Agent      console at http://127.0.0.1:3002/agent-console/');
  expect(banner).toContain(
    "connect.ChatSession.setGlobalConfig({ endpoint: 'http://127.0.0.1:3002', region: 'us-east-1' });",
  );
  expect(banner).toContain('disableCSM: true');
});

test('with the real Amazon Connect: no sandbox, and the banner says so', () => {
  // Act
  const banner = startBanner(
    localApi({
      connect: { target: 'aws', instanceId: 'i', contactFlowId: 'f', region: 'eu-west-2', endpoint: undefined },
    }),
  );

  // Assert
  expect(banner).toContain(
    '  Sandbox    none: chats use the real Participant Service in eu-west-2 (CONNECT_TARGET=aws)',
  );
  expect(banner).not.toContain('setGlobalConfig');
  expect(banner).not.toContain('agent-console');
});
