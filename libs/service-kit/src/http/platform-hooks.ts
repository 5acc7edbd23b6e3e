import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { runWithCorrelation } from '../correlation/correlation-context';
import { correlate } from '../correlation/correlation.hooks';
import type { ServiceLifecycle } from '../lifecycle/service-lifecycle';
import type { RateLimits } from '../rate-limit/rate-limits';
import { refuseUnsafeParameters } from './input-guards';

type ReplyStep = (request: FastifyRequest, reply: FastifyReply) => void;

export interface PlatformHookSteps {
  lifecycle: ServiceLifecycle;
  rateLimits: RateLimits;
  securityHeaders: ReplyStep;
  /** Run once the answer is sent: metrics, the request log line. */
  afterResponse: readonly ReplyStep[];
}

/**
 * The platform's work around every request, as one Fastify hook each side (cheaper than a chain):
 * count it for shutdown, assign and echo its ids, set the security headers, then, inside its
 * correlation context (which Fastify carries through body parsing into the handler), refuse it
 * when the client address is over budget or its parameters cannot be stored. After the answer:
 * the steps given, and a 401 charges the address's failed-authentication budget.
 */
export function usePlatformHooks(fastify: FastifyInstance, steps: PlatformHookSteps): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    steps.lifecycle.track(reply.raw);
    const correlation = correlate(request, reply);
    steps.securityHeaders(request, reply);
    runWithCorrelation(correlation, () => {
      try {
        steps.rateLimits.admitAddress(request.ip);
        refuseUnsafeParameters(request);
      } catch (error) {
        done(error as Error);
        return;
      }
      done();
    });
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    for (const step of steps.afterResponse) step(request, reply);
    if (reply.statusCode === 401) steps.rateLimits.recordFailedAuthentication(request.ip);
    done();
  });
}
