/**
 * How the stage's throttling limits are shared among the chat routes, so that the documented rate and
 * burst are what the endpoint admits in total, whatever routes it serves.
 *
 * API Gateway throttles each method on its own: a stage limit of 5/s with a burst of 50 gives every method
 * that much, so a stage serving `POST /chat` and `POST /` (the stage root) admits twice the limit. Each
 * chat route's `POST` therefore gets its share: the rate divided evenly, the burst divided in whole
 * requests (the first routes take the remainder), adding up to exactly the limits. Plain data without
 * dependencies, so the construct and the local API Gateway emulation (local/api-gateway-server.ts) share it.
 */

/** Requests per second a method admits on average, and at once above that. */
export interface ThrottlingLimits {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * What each chat route admits when the deployer sets no limits: StartChatContact's quota (5 requests a second
 * per account and region, burst 8) on average, and a burst of 50 on top, which the function's retries drain
 * at Connect's rate well inside the default 25 s budget. Every route gets Connect's whole rate because a
 * widget posts to one route: an even share of a single 5/s would leave it half of Connect's quota.
 */
export const DEFAULT_ROUTE_THROTTLING: ThrottlingLimits = { rateLimit: 5, burstLimit: 50 };

/** The endpoint's limits when the deployer sets none: a route's default for each chat route it serves. */
export function defaultEndpointThrottling(routeCount: number): ThrottlingLimits {
  return {
    rateLimit: DEFAULT_ROUTE_THROTTLING.rateLimit * routeCount,
    burstLimit: DEFAULT_ROUTE_THROTTLING.burstLimit * routeCount,
  };
}

/** Each route's share of the endpoint's limits, in route order; the shares add up to `limits`. */
export function shareAmongRoutes(limits: ThrottlingLimits, routeCount: number): ThrottlingLimits[] {
  if (!Number.isSafeInteger(routeCount) || routeCount < 1) {
    throw new RangeError(`routeCount must be a whole number of at least 1 (got ${routeCount})`);
  }
  const burst = Math.floor(limits.burstLimit / routeCount);
  const remainder = limits.burstLimit - burst * routeCount;
  return Array.from({ length: routeCount }, (_, index) => ({
    rateLimit: limits.rateLimit / routeCount,
    burstLimit: burst + (index < remainder ? 1 : 0),
  }));
}
