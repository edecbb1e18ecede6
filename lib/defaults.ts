/**
 * The construct's defaults and the limits its props are checked against. Those it shares with the handler
 * come from handler-contract.ts, the one copy both read.
 */
import { Duration } from 'aws-cdk-lib';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { API_GATEWAY_TIMEOUT_MS, CHAT_DURATION_MINUTES, HANDLER_DEFAULTS, HANDLER_LIMITS } from './handler-contract.ts';

/** API Gateway REST APIs end every integration after 29 seconds. */
export const API_GATEWAY_TIMEOUT = Duration.millis(API_GATEWAY_TIMEOUT_MS);

/** The function's runtime: the latest Node.js Lambda offers. The tests run on this major too. */
export const HANDLER_RUNTIME = Runtime.NODEJS_24_X;

/** The stage of the API this construct defines, as the HTTP contract names it. */
export const STAGE_NAME = 'prod';

export const DEFAULTS = {
  path: 'chat',
  /** Connect's own default chat duration (25 hours). */
  maxChatDurationMinutes: HANDLER_DEFAULTS.maxChatDurationMinutes,
  maxBodyBytes: HANDLER_DEFAULTS.maxBodyBytes,
  retryBudget: Duration.millis(HANDLER_DEFAULTS.retryBudgetMs),
  perIpRateLimitWindow: Duration.minutes(5),
  memorySize: 512,
  logRetention: RetentionDays.ONE_MONTH,
  serviceName: 'start-chat-contact',
} as const;

export const LIMITS = {
  chatDurationMinutes: { min: CHAT_DURATION_MINUTES.min, max: CHAT_DURATION_MINUTES.max },
  maxBodyBytes: HANDLER_LIMITS.maxBodyBytes,
  retryBudgetMs: HANDLER_LIMITS.retryBudgetMs,
  displayNameChars: HANDLER_LIMITS.displayNameChars,
  /** AWS WAF's bounds on a rate-based rule's limit. */
  perIpRateLimit: { min: 10, max: 2_000_000_000 },
  /** The evaluation windows AWS WAF offers for rate-based rules, in seconds. */
  perIpRateLimitWindowSeconds: [60, 120, 300, 600],
  /** Lambda's bounds on a function's memory, in MB. */
  memorySize: { min: 128, max: 10_240 },
  /** Lambda's limit on all environment variables of a function together. */
  environmentBytes: 4 * 1024,
} as const;

/** Log levels the Powertools logger understands. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
