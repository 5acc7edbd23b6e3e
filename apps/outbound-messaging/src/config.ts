import { AllowListError, parseAllowList } from '@switchboard/outbound-http';
import { baseServiceEnv, envEncryptionKey, envInt, envList, envUrl, serviceConfigClass } from '@switchboard/service-kit';
import { z } from 'zod';
import { parseQuietHours } from './consent/quiet-hours';
import { messagingSimulatorEnv } from './providers/provider-factory';

export const outboundMessagingEnv = baseServiceEnv.extend({
  SECRETS_ENCRYPTION_KEY: envEncryptionKey(),
  // Addresses (CIDRs) and host names that provider URLs may reach although they are loopback or private
  // (P2.5): a provider's simulator on this machine, a gateway inside the company network.
  OUTBOUND_HTTP_ALLOW: envList()
    .refine((entries) => {
      try {
        parseAllowList(entries);
        return true;
      } catch (error) {
        if (error instanceof AllowListError) return false;
        throw error;
      }
    }, 'must be a comma-separated list of CIDR ranges, addresses or host names')
    .default([]),
  OUTBOUND_HTTP_MAX_RESPONSE_BYTES: envInt({ min: 1024, max: 100 * 1024 * 1024 }).default(1024 * 1024),
  // OM3.2: the source's limit per organisation; counted in Postgres, so it holds across replicas.
  INVOKE_REQUESTS_PER_HOUR: envInt({ min: 1, max: 100_000_000 }).default(30_000),
  // The sender loop: how often it looks for due messages when idle, and how many it claims per round.
  SEND_POLL_MS: envInt({ min: 10, max: 60_000 }).default(250),
  SEND_BATCH_SIZE: envInt({ min: 1, max: 5_000 }).default(500),
  // Provider calls under way at once per process; the claimed messages beyond wait their turn in the sender, not
  // inside the HTTP client (which keeps 64 connections per provider origin).
  SEND_CONCURRENCY: envInt({ min: 1, max: 10_000 }).default(128),
  // How long a claimed message is held before another replica may send it (a crash mid-send).
  SEND_LEASE_SECONDS: envInt({ min: 5, max: 3_600 }).default(60),
  // How far ahead a sender's rate limit may book send slots in one round.
  SEND_SCHEDULE_AHEAD_MS: envInt({ min: 100, max: 60_000 }).default(1_000),
  // Transient provider failures: attempts before a message fails, first back-off (doubling), its cap.
  SEND_MAX_ATTEMPTS: envInt({ min: 1, max: 50 }).default(6),
  SEND_RETRY_INITIAL_MS: envInt({ min: 10, max: 3_600_000 }).default(2_000),
  SEND_RETRY_MAX_MS: envInt({ min: 10, max: 86_400_000 }).default(300_000),
  // Sending and the outbox relay give way to requests: while any is in flight, their next round waits for a lull,
  // at most this long (invoke bursts are accepted faster; sending, asynchronous anyway, catches up after). 2 s over
  // 1 s: accepting faster in seven of seven interleaved bench:messaging pairs, sending no slower (README, issue 11).
  BACKGROUND_YIELD_MS: envInt({ min: 0, max: 60_000 }).default(2_000),
  // This service's public address, for the providers' status callbacks (OM3.3); none asked for without it.
  PUBLIC_BASE_URL: envUrl().optional(),
  // Automated and scheduled messages are held outside these hours, local to the customer (`off`: never held).
  MESSAGING_QUIET_HOURS: z
    .string()
    .refine((text) => {
      try {
        parseQuietHours(text);
        return true;
      } catch {
        return false;
      }
    }, 'must be HH:mm-HH:mm (e.g. 08:00-21:00) or off')
    .default('08:00-21:00'),
}).extend(messagingSimulatorEnv.shape);

/** The service's validated environment, injected by class. */
export class OutboundMessagingConfig extends serviceConfigClass(outboundMessagingEnv) {}
