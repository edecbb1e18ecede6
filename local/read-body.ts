/**
 * Reads request bodies for the local servers. `readBody` up to a size. Past it the bytes are read and dropped (so the client, still
 * sending, can read the answer) up to a further allowance, beyond which the connection is cut.
 */
import type { IncomingMessage } from 'node:http';

export async function readBody(
  request: IncomingMessage,
  maxBytes: number,
  maxDiscardedBytes: number,
): Promise<{ body: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= maxBytes) chunks.push(chunk as Buffer);
    else if (size > maxBytes + maxDiscardedBytes) {
      request.destroy();
      break;
    }
  }
  return { body: Buffer.concat(chunks), tooLarge: size > maxBytes };
}

/** The whole body as UTF-8 text, for the stand-ins whose callers (the AWS SDK) send small bodies. */
export async function readText(request: IncomingMessage): Promise<string> {
  return (await readBody(request, Number.POSITIVE_INFINITY, 0)).body.toString('utf8');
}
