/** Messages between the orchestrator and the simulated Lambda instances (types only). */

/** The client config of a bare SDK client: the SDK's own retry modes. */
export interface SdkClientConfig {
  readonly retryMode?: 'standard' | 'adaptive';
  readonly maxAttempts?: number;
}

/** What one instance runs for a chat start. */
export type InstanceTarget =
  /** A Lambda function bundle exporting `handler(event, context)`: ours or a variant of it. */
  | { readonly kind: 'function'; readonly bundleUrl: string }
  /** A bare client from the SDK-only bundle, calling StartChatContact once with the SDK's own retries. */
  | { readonly kind: 'sdk-client'; readonly bundleUrl: string; readonly clientConfig: SdkClientConfig };

/** `workerData` of a burst instance (a worker thread). */
export interface BurstWorkerData {
  readonly target: InstanceTarget;
  /** Int32 at byte 0: 0 until released; Float64 at byte 8: the release time, epoch ms. */
  readonly release: SharedArrayBuffer;
  readonly apiGatewayTimeoutMs: number;
  readonly functionTimeoutMs: number;
  /** Requests each instance serves before the burst (refused by the stand-in before its rate limit). */
  readonly warmupRequests: number;
  /** Node's on-disk compile cache, shared by the instances so that creating 100 of them is quick. */
  readonly compileCacheDir: string | undefined;
}

export interface InstanceReady {
  readonly type: 'ready';
  /** Time to import the bundle and create the client, in this instance. */
  readonly initMs: number;
  /** The warm-up requests (refused by the stand-in before its rate limit), ms in all. */
  readonly warmupMs: number;
}

export interface BurstOutcome {
  readonly type: 'result';
  /** HTTP status the caller got; 504 when API Gateway's 29 s ran out first. */
  readonly status: number;
  /** The error code of our handler's answer, or the SDK error name. */
  readonly code: string | undefined;
  /** From release to answer, ms. */
  readonly latencyMs: number;
  /** From release to this instance waking up, ms. */
  readonly wakeMs: number;
  /** Calls the SDK reports (bare clients only; the handler's come from the stand-in's record). */
  readonly sdkAttempts: number | undefined;
}

export interface InstanceFailed {
  readonly type: 'failed';
  readonly message: string;
}

/** Sent to the warm-overhead child process. */
export interface WarmRequest {
  readonly type: 'warm';
  readonly handlerBundleUrl: string;
  readonly sdkBundleUrl: string;
  readonly warmup: number;
  readonly samples: number;
  /** Both alternating (the measurement), or one side only (for CPU profiles of each side). */
  readonly sides: 'both' | 'handler' | 'bare';
}

export interface WarmResult {
  readonly type: 'warm-result';
  /** Per-request latency of the whole handler, ms. */
  readonly handlerMs: number[];
  /** Per-request latency of a bare `client.send`, ms. */
  readonly bareMs: number[];
  /** Statuses other than 200 seen (should be none). */
  readonly failures: number;
}

export type InstanceMessage = InstanceReady | BurstOutcome | InstanceFailed | WarmResult;
