/**
 * The module the package ships as `start-chat-contact-api/client` (dist/client/index.js, built by
 * `npm run build`): it imports nothing, so nothing else (valibot, Node's built-ins) rides along into a widget,
 * and it starts a chat from Node as it is. Its size is measured in `npm run bench`.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type * as Client from '../../client/index.ts';
import type { LocalApi } from '../../local/local-api.ts';
import { CLIENT_MODULE } from '../../scripts/build-client.ts';
import { startSandboxApi } from '../support/sandbox-api.ts';

let api: LocalApi;

beforeAll(async () => {
  api = await startSandboxApi();
}, 30_000);

afterAll(async () => {
  await api?.close();
});

test('the built client imports nothing and exports startChat and StartChatError', () => {
  // Arrange
  const source = readFileSync(CLIENT_MODULE, 'utf8');

  // Assert: no static or dynamic import, no require; one export statement.
  expect(source).not.toMatch(/\bimport\s*[\s{*"'(]|\bimport\.meta\b|\brequire\s*\(/);
  expect(source).toMatch(/export\{[^}]*\bas startChat\b[^}]*\}/);
  expect(source).toMatch(/export\{[^}]*\bas StartChatError\b[^}]*\}/);
});

test('the built client starts a chat from Node', async () => {
  // Arrange
  const client = (await import(pathToFileURL(CLIENT_MODULE).href)) as typeof Client;

  // Act
  const data = await client.startChat(api.apiUrl, { ParticipantDetails: { DisplayName: 'Ada' } });

  // Assert
  expect(data.startChatResult).toEqual({
    ContactId: expect.any(String),
    ParticipantId: expect.any(String),
    ParticipantToken: expect.any(String),
  });
  expect(api.standIn!.startChatCalls()).toHaveLength(1);
  expect(api.standIn!.activeChats()).toBe(1);
});
