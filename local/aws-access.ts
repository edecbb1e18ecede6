/**
 * Before `npm start` serves chats from the real Amazon Connect: the region and credentials the function
 * will use, found as the AWS SDK finds them (its default chains: environment variables, `AWS_PROFILE` or
 * the `default` profile of ~/.aws/config and ~/.aws/credentials, SSO, web identity, container and
 * instance credentials). So the default profile `aws configure` writes works without `AWS_PROFILE`, and a
 * machine without any credentials is told so at start rather than at its first chat.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { SettingsError } from './settings.ts';

export interface AwsAccess {
  /** The region chats start in. */
  readonly region: string;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** @param region the region the settings fix, if any; else the AWS profile's */
export async function checkAwsAccess(region: string | undefined): Promise<AwsAccess> {
  const client = new ConnectClient(region === undefined ? {} : { region });
  try {
    let resolvedRegion: string;
    try {
      resolvedRegion = await client.config.region();
    } catch {
      throw new SettingsError(
        "The real Amazon Connect needs a region: set AWS_REGION (or CONNECT_REGION), give CONNECT_INSTANCE_ID as an instance ARN, or set your profile's region (`aws configure`).",
      );
    }
    try {
      await client.config.credentials();
    } catch (error) {
      throw new SettingsError(
        `The real Amazon Connect needs AWS credentials, and the AWS SDK found none (${reason(error)}). Run \`aws configure\` (the default profile), or \`aws sso login --profile NAME\` and set AWS_PROFILE=NAME, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. They need connect:StartChatContact on the contact flow.`,
      );
    }
    return { region: resolvedRegion };
  } finally {
    client.destroy();
  }
}
