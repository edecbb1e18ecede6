/**
 * AWS WAF in front of the stage: either a web ACL of the construct's own, whose one rule blocks an IP
 * address that starts more than `limit` chats in the evaluation window (only POSTs count, so CORS
 * preflights do not halve the allowance), or a web ACL the deployer already has. A stage has one web ACL.
 */
import { Names } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

export interface PerIpRateLimitProps {
  /** Chat starts allowed per IP address in the window. */
  readonly limit: number;
  readonly windowSeconds: number;
}

export function createPerIpRateLimitAcl(scope: Construct, id: string, props: PerIpRateLimitProps): CfnWebACL {
  const metricName = Names.uniqueId(scope).slice(-100);
  return new CfnWebACL(scope, id, {
    scope: 'REGIONAL',
    description: 'Limits how many chats one IP address can start',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName },
    rules: [
      {
        name: 'PerIpChatStartLimit',
        priority: 0,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'IP',
            limit: props.limit,
            evaluationWindowSec: props.windowSeconds,
            scopeDownStatement: {
              byteMatchStatement: {
                fieldToMatch: { method: {} },
                positionalConstraint: 'EXACTLY',
                searchString: 'POST',
                textTransformations: [{ priority: 0, type: 'NONE' }],
              },
            },
          },
        },
        visibilityConfig: {
          cloudWatchMetricsEnabled: true,
          sampledRequestsEnabled: true,
          metricName: `${metricName}PerIp`,
        },
      },
    ],
  });
}

export function associateWebAcl(scope: Construct, id: string, stage: Stage, webAclArn: string): CfnWebACLAssociation {
  return new CfnWebACLAssociation(scope, id, { resourceArn: stage.stageArn, webAclArn });
}
