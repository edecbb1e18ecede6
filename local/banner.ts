/**
 * What `npm start` prints once everything listens: the endpoint, which Amazon Connect it talks to, the
 * allowed origins, the demo page and a `curl` command that starts a chat.
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
  lines.push('', 'Start a chat:', '', curlExample(api.apiUrl), '');
  for (const notice of notices) lines.push(`Note: ${notice}`);
  lines.push('Press Ctrl-C to stop.', '');
  return lines.join('\n');
}
