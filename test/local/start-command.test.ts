/**
 * The `npm start` command itself (local/start.ts in a child process): what it prints (the function's metrics
 * among it), that the printed curl command's request starts a chat, that Ctrl-C stops it cleanly with a
 * summary of outcomes, and the messages for a busy port and a bad setting.
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { EXAMPLE_BODY } from '../../local/banner.ts';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { closeServer, listen } from '../../local/listen.ts';
import { networkAddresses } from '../../local/network-addresses.ts';
import {
  bannerApiUrl,
  killStartedProcesses,
  type StartedProcess,
  startProcess,
  waitForOutput,
} from '../support/start-process.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Runs `node local/start.ts` with only the given variables beside PATH and HOME. */
function start(env: Record<string, string>, args: string[] = []): StartedProcess {
  return startProcess(process.execPath, ['local/start.ts', ...args], ROOT, env);
}

afterEach(killStartedProcesses);

test('prints the URL, the Connect it uses and a curl command that starts a chat; Ctrl-C stops it cleanly', async () => {
  // Arrange
  const started = start({ PORT: '0' });
  await waitForOutput(started, /Press Ctrl-C to stop/);
  const url = bannerApiUrl(started);

  // Act: the request the printed curl command sends.
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: EXAMPLE_BODY,
  });
  const body = (await response.json()) as { data: { startChatResult: { ContactId: string } } };
  started.child.kill('SIGINT');
  const code = await started.exited;

  // Assert
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/prod\/chat$/);
  expect(started.stdout()).toContain(`curl -i ${url} \\`);
  expect(started.stdout()).toContain(`-d '${EXAMPLE_BODY}'`);
  expect(started.stdout()).toMatch(
    /Connect {4}built-in stand-in at http:\/\/127\.0\.0\.1:\d+ \(5 requests\/s, burst 8/,
  );
  expect(started.stdout()).toMatch(/Demo page {2}http:\/\/127\.0\.0\.1:\d+\//);
  expect(response.status).toBe(200);
  expect(body.data.startChatResult.ContactId).toMatch(/^[0-9a-f-]{36}$/);
  expect(started.stdout()).toMatch(/POST \/prod\/chat -> 200/);
  // The function's metrics as it writes them, and their sum on Ctrl-C.
  const emf = started
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line));
  expect(emf).toHaveLength(1);
  expect(emf[0]).toMatchObject({ ChatsStarted: 1, Rejected: 0, ConnectAttempts: 1 });
  expect(started.stdout()).toContain(
    'Metrics: 1 request: 1 started, 0 rejected, 0 throttled, 0 capacity exceeded, 0 upstream errors, 0 internal errors',
  );
  expect(code).toBe(0);
  expect(started.stdout()).toContain('Stopped.');
  expect(started.stderr()).toBe('');
});

/** `npm start` against a Connect that takes 1.5 s to answer, reached through the real-Connect settings. */
async function startAgainstSlowConnect(): Promise<{ started: StartedProcess; slowConnect: ConnectStandIn }> {
  const slowConnect = await startConnectStandIn({ latencyMs: 1_500 });
  const started = start(
    {
      PORT: '0',
      CONNECT_INSTANCE_ID: '0a1b2c3d-1111-4222-8333-444455556666',
      CONNECT_CONTACT_FLOW_ID: '9f8e7d6c-aaaa-4bbb-8ccc-ddddeeeeffff',
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_ENDPOINT_URL_CONNECT: slowConnect.url,
    },
    ['--connect=aws'],
  );
  await waitForOutput(started, /Press Ctrl-C to stop/);
  return { started, slowConnect };
}

async function untilConnectIsCalled(connect: ConnectStandIn): Promise<void> {
  while (connect.startChatCalls().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
}

test('Ctrl-C lets a request in flight get its answer before the server stops', async () => {
  // Arrange
  const { started, slowConnect } = await startAgainstSlowConnect();
  try {
    const answer = fetch(bannerApiUrl(started), { method: 'POST', body: EXAMPLE_BODY });
    await untilConnectIsCalled(slowConnect);

    // Act: Ctrl-C while Connect is still working on the call.
    started.child.kill('SIGINT');
    const response = await answer;
    const body = (await response.json()) as { data: { startChatResult: { ContactId: string } } };
    const code = await started.exited;

    // Assert
    expect(response.status).toBe(200);
    expect(body.data.startChatResult.ContactId).toMatch(/^[0-9a-f-]{36}$/);
    expect(code).toBe(0);
    // The summary comes after the request in flight, and counts it.
    expect(started.stdout()).toMatch(
      /POST \/prod\/chat -> 200 in \d+ ms\n[\s\S]*Metrics: 1 request: 1 started,[^\n]*\nStopped\./,
    );
  } finally {
    await slowConnect.close();
  }
});

test('after Ctrl-C new connections are refused while a request in flight finishes', async () => {
  // Arrange
  const { started, slowConnect } = await startAgainstSlowConnect();
  try {
    const url = bannerApiUrl(started);
    const answer = fetch(url, { method: 'POST', body: EXAMPLE_BODY });
    await untilConnectIsCalled(slowConnect);

    // Act
    started.child.kill('SIGINT');
    await waitForOutput(started, /Stopping/);
    const late = await fetch(url, { method: 'POST', body: EXAMPLE_BODY }).then(
      (response) => response.status,
      (error: Error) => (error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.message,
    );

    // Assert
    expect(late).toBe('ECONNREFUSED');
    expect((await answer).status).toBe(200);
    expect(await started.exited).toBe(0);
  } finally {
    await slowConnect.close();
  }
});

const [NETWORK_ADDRESS] = networkAddresses();

// Needs an interface besides loopback (any network connection) to have an address to be reached at.
(NETWORK_ADDRESS === undefined ? test.skip : test)(
  '--port and --host 0.0.0.0: the banner gives the URLs for other devices, and a page opened there may call the API there',
  async () => {
    // Arrange
    const started = start({ PORT: '1' }, ['--port', '0', '--host', '0.0.0.0']);
    const [, demoUrl, apiUrl] = await waitForOutput(
      started,
      new RegExp(
        `Network {4}demo page (http://${NETWORK_ADDRESS!.replaceAll('.', '\\.')}:\\d+/), API POST (\\S+) \\(other devices\\)`,
      ),
    );
    await waitForOutput(started, /Press Ctrl-C to stop/);
    const origin = new URL(demoUrl!).origin;

    // Act: what the demo page does once a phone opened it at the network address.
    const response = await fetch(apiUrl!, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin },
      body: EXAMPLE_BODY,
    });

    // Assert
    expect(apiUrl).toMatch(new RegExp(`^http://${NETWORK_ADDRESS!.replaceAll('.', '\\.')}:\\d+/prod/chat$`));
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(started.stdout()).toContain(`Origins    http://127.0.0.1:`);
    expect(started.stdout()).toContain(`, ${origin}`);
    expect(started.stdout()).toContain('Note: The API and the demo page listen on 0.0.0.0');
  },
);

test('a port in use gives a clear message and exit code 1', async () => {
  // Arrange
  const blocker = createServer();
  const port = await listen(blocker, 0, '127.0.0.1', 'a blocker');

  try {
    // Act
    const started = start({ PORT: String(port), DEMO_PORT: '0' });
    const code = await started.exited;

    // Assert
    expect(code).toBe(1);
    expect(started.stderr()).toContain(`Cannot start: port ${port} on 127.0.0.1 (the API) is already in use.`);
    expect(started.stderr()).toContain('Is another `npm start` still running?');
    expect(started.stderr()).toMatch(/choose another port: PORT=\d+ npm start/);
    expect(started.stdout()).not.toContain('Press Ctrl-C');
  } finally {
    await closeServer(blocker);
  }
});

test('the real Amazon Connect asked for without its settings: a message naming them, exit code 2', async () => {
  // Act
  const started = start({ PORT: '0' }, ['--connect=aws']);
  const code = await started.exited;

  // Assert
  expect(code).toBe(2);
  expect(started.stderr()).toMatch(
    /^Cannot start: The real Amazon Connect needs CONNECT_INSTANCE_ID and CONNECT_CONTACT_FLOW_ID/,
  );
});

test("a setting the handler refuses stops the start with the handler's message", async () => {
  // Act
  const started = start({ PORT: '0', ALLOWED_ORIGINS: 'localhost:3001' });
  const code = await started.exited;

  // Assert
  expect(code).toBe(1);
  expect(started.stderr()).toContain('Cannot start: Invalid configuration: ALLOWED_ORIGINS has "localhost:3001"');
});

describe('the real Amazon Connect, as the AWS CLI is set up', () => {
  const INSTANCE = '0a1b2c3d-1111-4222-8333-444455556666';
  const FLOW = '9f8e7d6c-aaaa-4bbb-8ccc-ddddeeeeffff';
  let home: string;
  let standIn: ConnectStandIn;

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'chat-home-'));
    standIn = await startConnectStandIn({ ratePerSecond: false });
  });
  afterEach(async () => {
    await standIn.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** What `aws configure` writes for the default profile. */
  function awsConfigure(): void {
    mkdirSync(join(home, '.aws'));
    writeFileSync(
      join(home, '.aws', 'credentials'),
      '[default]\naws_access_key_id = AKIDDEFAULTPROFILE\naws_secret_access_key = default-profile-secret\n',
    );
    writeFileSync(join(home, '.aws', 'config'), '[default]\nregion = eu-west-2\noutput = json\n');
  }

  /** The real-Connect settings, with the SDK sent to a stand-in instead of AWS; no AWS_PROFILE, no region. */
  const realConnect = () => ({
    PORT: '0',
    HOME: home,
    CONNECT_TARGET: 'aws',
    CONNECT_INSTANCE_ID: INSTANCE,
    CONNECT_CONTACT_FLOW_ID: FLOW,
    AWS_ENDPOINT_URL_CONNECT: standIn.url,
    AWS_EC2_METADATA_DISABLED: 'true',
  });

  test('the default profile of `aws configure` is used without AWS_PROFILE: its credentials and its region', async () => {
    // Arrange
    awsConfigure();
    const started = start(realConnect());
    await waitForOutput(started, /Press Ctrl-C to stop/);
    const url = started.stdout().match(/API {8}POST (http:\/\/127\.0\.0\.1:\d+\/prod\/chat)/)?.[1];

    // Act
    const response = await fetch(url!, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: EXAMPLE_BODY,
    });
    started.child.kill('SIGINT');
    await started.exited;

    // Assert
    expect(started.stdout()).toContain('Amazon Connect in eu-west-2');
    expect(response.status).toBe(200);
    const [call] = standIn.startChatCalls();
    expect(String(call?.headers.authorization)).toContain('Credential=AKIDDEFAULTPROFILE/');
    expect(String(call?.headers.authorization)).toContain('/eu-west-2/connect/aws4_request');
    expect(call?.body).toMatchObject({ InstanceId: INSTANCE, ContactFlowId: FLOW });
  });

  test('an instance ARN sets the region, over the profile’s', async () => {
    awsConfigure();
    const started = start({
      ...realConnect(),
      CONNECT_INSTANCE_ID: `arn:aws:connect:ap-southeast-2:123456789012:instance/${INSTANCE}`,
    });
    await waitForOutput(started, /Press Ctrl-C to stop/);
    started.child.kill('SIGINT');
    await started.exited;
    expect(started.stdout()).toContain('Amazon Connect in ap-southeast-2');
    expect(started.stdout()).toContain(`instance ${INSTANCE}`);
  });

  test('no credentials anywhere: a message saying how to set them up, exit code 2', async () => {
    // Act: an empty home, no AWS variables.
    const started = start({ ...realConnect(), AWS_REGION: 'eu-west-2' });
    const code = await started.exited;

    // Assert
    expect(code).toBe(2);
    expect(started.stderr()).toMatch(
      /^Cannot start: The real Amazon Connect needs AWS credentials, and the AWS SDK found none .*Run `aws configure`/,
    );
  });
});
