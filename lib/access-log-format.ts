/**
 * One JSON line per request in the stage's access log: who called (address and user agent, unless the
 * deployer leaves them out), what they asked for, what they got (status, error type, WAF verdict) and how
 * long it took. `requestId` is the id the function reports in its answers and logs as `apiRequestId`, so
 * the two logs join on it. No other headers, no bodies or tokens are logged.
 */
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';

export interface AccessLogOptions {
  /** Log the caller's IP address and user agent. */
  readonly callerDetails: boolean;
}

export function accessLogFormat(options: AccessLogOptions): AccessLogFormat {
  return AccessLogFormat.custom(
    JSON.stringify({
      requestId: AccessLogField.contextRequestId(),
      extendedRequestId: AccessLogField.contextExtendedRequestId(),
      requestTime: AccessLogField.contextRequestTime(),
      ...(options.callerDetails && {
        ip: AccessLogField.contextIdentitySourceIp(),
        userAgent: AccessLogField.contextIdentityUserAgent(),
      }),
      httpMethod: AccessLogField.contextHttpMethod(),
      resourcePath: AccessLogField.contextResourcePath(),
      protocol: AccessLogField.contextProtocol(),
      status: AccessLogField.contextStatus(),
      responseLength: AccessLogField.contextResponseLength(),
      responseLatency: AccessLogField.contextResponseLatency(),
      integrationStatus: AccessLogField.contextIntegrationStatus(),
      integrationLatency: AccessLogField.contextIntegrationLatency(),
      errorType: AccessLogField.contextErrorResponseType(),
      errorMessage: AccessLogField.contextErrorMessage(),
      wafResponseCode: AccessLogField.contextWafResponseCode(),
    }),
  );
}
