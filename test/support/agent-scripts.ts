/** Simulated agents for tests. */
import { type AgentScript, DEFAULT_AGENT_SCRIPT } from '../../local/simulated-agent/agent-script.ts';

/** The default agent, answering within a tenth of a second so that tests run fast. */
export const FAST_AGENT: AgentScript = {
  ...DEFAULT_AGENT_SCRIPT,
  joinDelayMs: 20,
  greetingDelayMs: 30,
  receiptDelayMs: 10,
  replyDelayMs: 60,
};
