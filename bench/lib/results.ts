/** The shape of bench/results/latest.json: every figure of one run, raw samples included. */
import type { BundleResults } from '../bundle-size.ts';
import type { BurstRunResult, IdealSchedule } from '../burst.ts';
import type { ModelResult, ModelSettings } from '../burst-model.ts';
import type { ColdInitResults } from '../cold-init.ts';
import type { FlashRunResult } from '../flash-crowd.ts';
import type { FlashModelResult, FlashModelSettings } from '../flash-crowd-model.ts';
import type { IdentityResults } from '../identity.ts';
import type { MetricsCostResults } from '../metrics-cost.ts';
import type { ProfileResults } from '../profiles.ts';
import type { StartTimeResults } from '../start-time.ts';
import type { WarmRun } from '../warm-overhead.ts';
import type { BundleSize } from './builds.ts';

export interface Environment {
  readonly date: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly gitCommit: string | undefined;
  readonly gitDirty: boolean | undefined;
  readonly packages: Record<string, string>;
}

export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface BenchResults {
  readonly environment: Environment;
  readonly wallTimeMs: number;
  readonly stepTimesMs: Record<string, number>;
  readonly bundle: BundleResults | undefined;
  readonly coldInit: ColdInitResults | undefined;
  readonly warm: WarmRun[] | undefined;
  readonly profiles: ProfileResults | undefined;
  /** What the handler's metrics cost, hand-written EMF against Powertools Metrics (step `metrics`). */
  readonly metricsCost?: MetricsCostResults | undefined;
  readonly burst:
    | {
        readonly requests: number;
        readonly ideal: IdealSchedule;
        readonly strategies: BurstRunResult[];
        readonly quotaFull: BurstRunResult[];
        readonly model: { readonly settings: ModelSettings; readonly results: ModelResult[] };
      }
    | undefined;
  /** `npm start`'s time to ready (and of `--help` and a port in use), against bare baselines. */
  readonly startTime?: StartTimeResults | undefined;
  /** What verified customer identity costs (step `identity`). */
  readonly identity?: IdentityResults | undefined;
  /** The browser client: its built size (step bundle) and the flash crowd (step flash). */
  readonly client: { readonly size: BundleSize | undefined; readonly flash: FlashResults | undefined } | undefined;
  readonly targets: TargetCheck[];
}

export interface FlashResults {
  readonly customers: number;
  readonly spreadMs: number;
  /** The ideal queue's last start: (customers − Connect's burst) / Connect's rate. */
  readonly idealLastStartMs: number;
  readonly configurations: FlashConfiguration[];
}

/** One way the stage can be set up: its chat routes, and so the chat route's share of the limits. */
export interface FlashConfiguration {
  readonly name: string;
  readonly label: string;
  readonly resources: readonly string[];
  readonly runs: FlashRunResult[];
  readonly model: { readonly settings: FlashModelSettings; readonly results: FlashModelResult[] };
}
