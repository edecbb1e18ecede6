/**
 * What `npm start` runs, for the tests of the local API and the chat sandbox: free ports, a quiet function
 * (no log lines, no metrics), the given variables, and optionally a simulated agent's script and the
 * sandbox's limits.
 */
import { type LocalApi, type LocalApiOptions, startLocalApi } from '../../local/local-api.ts';
import { readSettings } from '../../local/settings.ts';
import type { AgentScript } from '../../local/simulated-agent/agent-script.ts';

export const QUIET_FUNCTION = { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' } as const;

export function startSandboxApi(
  env: Record<string, string> = {},
  options: LocalApiOptions & { readonly agentScript?: AgentScript } = {},
): Promise<LocalApi> {
  const { agentScript, ...apiOptions } = options;
  const settings = readSettings([], { PORT: '0', ...env });
  return startLocalApi(
    { ...settings, ...(agentScript && { agentScript }) },
    { ...apiOptions, functionEnv: { ...QUIET_FUNCTION, ...apiOptions.functionEnv } },
  );
}
