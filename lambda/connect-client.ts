/**
 * The one Amazon Connect client of this container, created when the module loads. The SDK's own retries
 * are off (`maxAttempts: 1`): the handler owns them, because the SDK would retry the concurrent-chat quota
 * error and would not keep one deadline. `AWS_ENDPOINT_URL_CONNECT` redirects it (the local stand-in).
 */
import { ConnectClient } from '@aws-sdk/client-connect';

export function createConnectClient(region: string | undefined): ConnectClient {
  return new ConnectClient({ maxAttempts: 1, ...(region !== undefined && { region }) });
}
