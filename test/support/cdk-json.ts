/**
 * The repository's cdk.json, and the part of it that is CDK's own: `app`, `watch` and the feature flags
 * (context keys with a colon, or starting with `@`, as bin/app-context.ts tells them apart). A deployer keeps
 * their values in the same `context` (README, Deploy step 1); tests take CDK's part only, so they pass
 * whatever values a deployer has added.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isCdkKey } from '../../bin/app-context.ts';

export const REPOSITORY_CDK_JSON = fileURLToPath(new URL('../../cdk.json', import.meta.url));

export interface CdkJson {
  readonly app: string;
  readonly context: Record<string, unknown>;
  readonly [setting: string]: unknown;
}

export function readCdkJson(path: string = REPOSITORY_CDK_JSON): CdkJson {
  return JSON.parse(readFileSync(path, 'utf8')) as CdkJson;
}

/** The same cdk.json without a deployer's values: its context holds CDK's own keys only. */
export function withoutDeployerValues(cdkJson: CdkJson): CdkJson {
  return { ...cdkJson, context: Object.fromEntries(Object.entries(cdkJson.context).filter(([key]) => isCdkKey(key))) };
}

/** The feature flags of the repository's cdk.json, as `cdk synth` gives them to the app. */
export function cdkJsonFeatureFlags(): Record<string, unknown> {
  return withoutDeployerValues(readCdkJson()).context;
}
