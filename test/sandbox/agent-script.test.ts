/**
 * The simulated agent's script (`npm start -- --agent-script FILE`): what a bad file is told, and what a
 * scripted agent does in a chat held with the real amazon-connect-chatjs: a greeting with the customer's
 * name and a list picker, answers by pattern (markdown among them), an answer to the customer's choice,
 * and a goodbye that ends the chat.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { LocalApi } from '../../local/local-api.ts';
import { readSettings, SettingsError } from '../../local/settings.ts';
import { AgentScriptError, parseAgentScript } from '../../local/simulated-agent/agent-script.ts';
import { ChatjsSession, disposeSessions } from '../support/chatjs.ts';
import { startChat } from '../support/participant-client.ts';
import { startSandboxApi } from '../support/sandbox-api.ts';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'local', 'simulated-agent', 'example-agent-script.json');
const EVENT = 'application/vnd.amazonaws.connect.event.';
const INTERACTIVE = 'application/vnd.amazonaws.connect.message.interactive';

function scriptError(text: string): string {
  try {
    parseAgentScript(text, 'agent.json');
  } catch (error) {
    if (error instanceof AgentScriptError) return error.message;
    throw error;
  }
  throw new Error('expected an AgentScriptError');
}

describe('a bad script is refused with a message naming the file and the field', () => {
  test.each([
    ['not JSON', '{"greeting": ', /agent\.json: is not valid JSON/],
    ['not an object', '[]', /agent\.json: must hold a JSON object/],
    ['a misspelt key', '{"greting": "Hi"}', /unknown key "greting"; the keys are displayName, /],
    [
      'a negative delay',
      '{"replyDelayMs": -1}',
      /"replyDelayMs" must be a whole number of milliseconds from 0 to 60000/,
    ],
    [
      'a bad pattern',
      '{"replies": [{"match": "(", "reply": "x"}]}',
      /"replies\[0\]\.match" is not a regular expression/,
    ],
    [
      'an unknown reply key',
      '{"replies": [{"match": "x", "reply": "y", "end": true}]}',
      /"replies\[0\]" has the unknown key "end"/,
    ],
    [
      'a content type the contract does not allow',
      '{"greeting": {"contentType": "text/html", "content": "<b>"}}',
      /"greeting\.contentType" must be one of text\/plain, /,
    ],
    [
      'text over 1,024 characters',
      `{"fallback": "${'x'.repeat(1_025)}"}`,
      /"fallback\.content" must be 1-1024 characters for text\/plain/,
    ],
    ['an empty name', '{"displayName": ""}', /"displayName" must be 1-256 characters/],
  ])('%s', (_name, text, message) => {
    expect(scriptError(text)).toMatch(message);
  });

  test('npm start -- --agent-script FILE reads it; a bad one stops the start naming the file; aws ignores it', () => {
    // Arrange
    const files = (content: string) => ({ cwd: '/project', readFile: () => content });

    // Act
    const good = readSettings(['--agent-script', 'agent.json'], {}, files('{"greeting": "Hi!"}'));
    const fromVariable = readSettings([], { AGENT_SCRIPT: '/scripts/agent.json' }, files('{}'));
    let bad: unknown;
    try {
      readSettings(['--agent-script', 'agent.json'], {}, files('{"greeting": 42}'));
    } catch (error) {
      bad = error;
    }
    const aws = readSettings(
      ['--agent-script', 'agent.json', '--connect=aws'],
      {
        CONNECT_INSTANCE_ID: '11111111-2222-4333-8444-555555555555',
        CONNECT_CONTACT_FLOW_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        AWS_REGION: 'eu-west-1',
        AWS_PROFILE: 'dev',
      },
      files('{}'),
    );

    // Assert
    expect(good.agentScriptFile).toBe('/project/agent.json');
    expect(good.agentScript?.greeting).toEqual([{ contentType: 'text/plain', content: 'Hi!' }]);
    expect(fromVariable.agentScriptFile).toBe('/scripts/agent.json');
    expect(bad).toBeInstanceOf(SettingsError);
    expect((bad as Error).message).toMatch(/^The agent script \/project\/agent\.json: "greeting" must be a string/);
    expect(aws.agentScript).toBeUndefined();
    expect(aws.notices.join('\n')).toContain('is not used: with CONNECT_TARGET=aws there is no chat sandbox');
  });
});

describe('a scripted agent in a chat', () => {
  let api: LocalApi;

  beforeAll(async () => {
    // The example script, with its delays shortened.
    const script = {
      ...parseAgentScript(readFileSync(EXAMPLE, 'utf8'), EXAMPLE),
      joinDelayMs: 20,
      greetingDelayMs: 30,
      receiptDelayMs: 10,
      replyDelayMs: 60,
    };
    api = await startSandboxApi({}, { agentScript: script });
  }, 30_000);
  afterAll(async () => {
    disposeSessions();
    await api?.close();
  });

  test('greets by name with a list picker, answers by pattern and choice, and ends the chat on goodbye', async () => {
    // Arrange
    const details = await startChat(api.apiUrl, { ParticipantDetails: { DisplayName: 'Grace' } });
    const customer = new ChatjsSession(details, api.sandbox!.url);
    const fromAgent = (matches: (item: any) => boolean) =>
      customer.waitFor(
        'onMessage',
        (item) => item.ParticipantRole === 'AGENT' && item.Type === 'MESSAGE' && matches(item),
      );

    // Act
    await customer.session.connect();
    const hello = await fromAgent((item) => item.ContentType === 'text/plain');
    const picker = await fromAgent((item) => item.ContentType === INTERACTIVE);
    await customer.session.sendMessage({
      contentType: `${INTERACTIVE}.response`,
      message: JSON.stringify({ templateType: 'ListPicker', version: '1.0', data: { content: { title: 'Returns' } } }),
    });
    const returns = await fromAgent((item) => item.ContentType === 'text/markdown');
    await customer.session.sendMessage({ contentType: 'text/plain', message: 'what about the weather' });
    const fallback = await fromAgent((item) => item.Content.includes('what about the weather'));
    await customer.session.sendMessage({ contentType: 'text/plain', message: 'bye now' });
    const goodbye = await fromAgent((item) => item.Content === 'Goodbye, Grace.');
    await customer.waitFor('onEnded');

    // Assert
    expect(hello.data).toMatchObject({ DisplayName: 'Sam (sandbox)', Content: expect.stringContaining('Hi Grace') });
    expect(JSON.parse(picker.data.Content).data.content.elements).toHaveLength(3);
    expect(returns.data.Content).toContain('**free**');
    expect(fallback.data.Content).toBe('I see: "what about the weather". Could you tell me a bit more?');
    expect(goodbye.at).toBeGreaterThan(0);
    const ending = customer
      .messages()
      .filter((item) => item.Type === 'EVENT')
      .slice(-2);
    expect(ending.map((item) => [item.ContentType, item.ParticipantRole])).toEqual([
      [`${EVENT}participant.left`, 'AGENT'],
      [`${EVENT}chat.ended`, 'SYSTEM'],
    ]);
  }, 15_000);

  test('the agent console takes a chat over: the simulated agent says nothing more', async () => {
    // Arrange
    const details = await startChat(api.apiUrl);
    const customer = new ChatjsSession(details, api.sandbox!.url);
    await customer.session.connect();
    await customer.waitFor('onMessage', (item) => item.ParticipantRole === 'AGENT' && item.ContentType === INTERACTIVE);

    // Act
    const taken = await fetch(`${api.sandbox!.url}/agent-console/api/chats/${details.ContactId}/take-over`, {
      method: 'POST',
      headers: { 'X-Sandbox-Console': '1' },
    });
    await customer.session.sendMessage({ contentType: 'text/plain', message: 'where is my order?' });
    await customer.waitFor('onMessage', (item) => item.Content === 'where is my order?');
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Assert
    expect(taken.status).toBe(200);
    expect(customer.messages().some((item) => item.Content?.includes('warehouse'))).toBe(false);
    expect(api.sandbox!.store.summaries().find((chat) => chat.contactId === details.ContactId)?.agent).toBe('console');
  });
});
