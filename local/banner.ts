/**
 * What `npm start` prints once everything listens: the endpoint, which Amazon Connect it talks to, the
 * allowed origins, the demo page (and both at this machine's network addresses when HOST lets other
 * devices in), the chat sandbox (its Participant Service endpoint, the agent console and the lines a chatjs
 * widget needs to use it) and a `curl` command that starts a chat.
 */
import type { LocalApi } from './local-api.ts';

/** A request body that starts a chat with the default settings. */
export const EXAMPLE_BODY = JSON.stringify({
  ParticipantDetails: { DisplayName: 'Ada' },
  InitialMessage: { ContentType: 'text/plain', Content: 'Hello' },
});

/** A POSIX-shell `curl` command that posts the example body to `url`. */
export function curlExample(url: string): string {
  return [`curl -i ${url} \\`, `  -H 'Content-Type: application/json' \\`, `  -d '${EXAMPLE_BODY}'`].join('\n');
}

function connectLine(api: LocalApi): string {
  const { connect } = api;
  if (connect.target === 'stand-in') {
    return `built-in stand-in at ${connect.endpoint} (5 requests/s, burst 8; no AWS account used)`;
  }
  const override = connect.endpoint === undefined ? '' : ` via ${connect.endpoint}`;
  return `Amazon Connect in ${connect.region}${override} (AWS: real chats will start)`;
}

/** The two lines a widget built on amazon-connect-chatjs needs to hold its chats in the sandbox. */
export function chatjsLines(endpoint: string, region: string): string[] {
  return [
    `connect.ChatSession.setGlobalConfig({ endpoint: '${endpoint}', region: '${region}' }); // before the first ChatSession.create`,
    `connect.ChatSession.create({ chatDetails: startChatResult, type: 'CUSTOMER', disableCSM: true, options: { region: '${region}' } });`,
  ];
}

function sandboxLines(api: LocalApi): string[] {
  const { sandbox } = api;
  if (sandbox === undefined) {
    return [`  Sandbox    none: chats use the real Participant Service in ${api.connect.region} (CONNECT_TARGET=aws)`];
  }
  const agent =
    api.agentScriptFile === undefined
      ? 'the default simulated agent (npm start -- --agent-script FILE for your own)'
      : `the simulated agent of ${api.agentScriptFile}`;
  return [
    `  Sandbox    Participant Service stand-in at ${sandbox.url}, WebSockets on ${sandbox.url.replace(/^http/, 'ws')}`,
    `             chats answered by ${agent}`,
    `  Agent      console at ${sandbox.consoleUrl} (take a chat over and play the agent)`,
  ];
}

export function startBanner(api: LocalApi, notices: readonly string[] = []): string {
  const lines = [
    '',
    'Start-chat API running locally: the deployed handler behind an API Gateway emulation.',
    '',
    `  API        POST ${api.apiUrl}`,
    `  Connect    ${connectLine(api)}`,
    `             instance ${api.connect.instanceId}, contact flow ${api.connect.contactFlowId}`,
    `  Origins    ${api.allowedOrigins.length === 0 ? '(none: browsers are refused)' : api.allowedOrigins.join(', ')}`,
    `  Demo page  ${api.demoUrl}`,
  ];
  if (!api.demoPageAllowed) {
    lines.push('             (its origin is not in ALLOWED_ORIGINS, so the API will refuse it)');
  }
  for (const [index, urls] of api.network.entries()) {
    lines.push(
      `  ${index === 0 ? 'Network   ' : '          '} demo page ${urls.demoUrl}, API POST ${urls.apiUrl} (other devices)`,
    );
  }
  if (api.identity !== undefined) {
    const kind = api.identity.kind === 'oidc' ? 'OIDC, RS256' : "the hosted widget's HS256 format";
    lines.push(
      `  Sign-in    local identity provider at ${api.identity.url} (${kind}); a token is required: ${api.identity.required ? 'yes' : 'no'}`,
      `             test customer token: curl -s -X POST ${api.identity.tokenUrl}`,
      '             then send it as -H "Authorization: Bearer <access_token>"',
    );
  }
  lines.push(...sandboxLines(api));
  lines.push('', 'Start a chat:', '', curlExample(api.apiUrl), '');
  if (api.sandbox !== undefined) {
    lines.push(
      'Then hold it with amazon-connect-chatjs, in a page opened on localhost or 127.0.0.1:',
      '',
      ...chatjsLines(api.sandbox.url, api.connect.region).map((line) => `  ${line}`),
      '',
    );
  }
  for (const notice of notices) lines.push(`Note: ${notice}`);
  lines.push('Press Ctrl-C to stop.', '');
  return lines.join('\n');
}
