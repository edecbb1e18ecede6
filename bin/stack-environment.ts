/**
 * Where the app's stack deploys: the `account` and `region` context keys when set, else what the CDK CLI
 * found (CDK_DEFAULT_ACCOUNT from the credentials, CDK_DEFAULT_REGION from the configuration). When no
 * region is configured anywhere, the CLI falls back to us-east-1 without a word, which an offline synth
 * then shows as the stack's region; `fallbackRegionNotice` says so instead.
 */

/** The region the CDK CLI uses when it finds none configured. */
export const CLI_FALLBACK_REGION = 'us-east-1';

/** The variables the CDK CLI reads a region from, before the AWS profile's. */
const REGION_VARIABLES = ['AWS_REGION', 'AMAZON_REGION', 'AWS_DEFAULT_REGION', 'AMAZON_DEFAULT_REGION'] as const;

export interface StackEnvironment {
  readonly account: string | undefined;
  readonly region: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

export function stackEnvironment(context: StackEnvironment, env: Env): StackEnvironment {
  return {
    account: context.account ?? env.CDK_DEFAULT_ACCOUNT,
    region: context.region ?? env.CDK_DEFAULT_REGION,
  };
}

/** Whether a region is configured as the AWS CLI and SDK find one: a variable, or the profile's region. */
async function regionConfigured(env: Env): Promise<boolean> {
  if (REGION_VARIABLES.some((name) => (env[name] ?? '').trim() !== '')) return true;
  // The SDK's own region chain reads the profile (AWS_PROFILE, else default) from ~/.aws/config.
  const { ConnectClient } = await import('@aws-sdk/client-connect');
  const client = new ConnectClient({});
  try {
    await client.config.region();
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/** A warning when the stack's region is only the CLI's fallback; undefined otherwise. */
export async function fallbackRegionNotice(context: StackEnvironment, env: Env): Promise<string | undefined> {
  if (context.region !== undefined || env.CDK_DEFAULT_REGION !== CLI_FALLBACK_REGION) return undefined;
  if (await regionConfigured(env)) return undefined;
  return `The stack is synthesized for ${CLI_FALLBACK_REGION} only because no AWS region is configured here (AWS_REGION, or a region in your AWS profile), and the CDK CLI then falls back to ${CLI_FALLBACK_REGION}. Deploying from here would deploy to ${CLI_FALLBACK_REGION}: configure the region you mean, or set "region" in cdk.json's context.`;
}
