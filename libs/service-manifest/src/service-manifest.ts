import { Topics, type TopicName } from '@switchboard/contracts';
import { z } from 'zod';

/** The file that declares a service, in its app folder: `apps/<name>/service.json`. */
export const MANIFEST_FILE = 'service.json';

/**
 * Names a service cannot take: the infrastructure containers of the deployment (docker-compose.yml)
 * live in the same namespace as the services.
 */
export const RESERVED_SERVICE_NAMES: readonly string[] = ['kafka', 'postgres', 'migrate'];

const KNOWN_TOPICS: readonly string[] = Object.values(Topics);

// A service name becomes a folder, an Nx project, a Kafka client id, an image and a Kubernetes
// Service name: a DNS label (RFC 1123) in kebab case fits all of them.
const serviceName = z
  .string()
  .max(63, 'must be at most 63 characters (a Kubernetes Service name)')
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be kebab-case: lower-case letters and digits in words joined by single hyphens, starting with a letter')
  .refine((name) => !RESERVED_SERVICE_NAMES.includes(name), { error: (issue) => `"${String(issue.input)}" is reserved for the deployment's infrastructure (${RESERVED_SERVICE_NAMES.join(', ')})` });

// Unquoted Postgres identifiers, so every tool can interpolate it without quoting rules.
const postgresSchema = z
  .string()
  .max(63, 'must be at most 63 characters (a Postgres identifier)')
  .regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case Postgres identifier: letters, digits and underscores, starting with a letter');

const ownedTopic = z.string().refine((topic): topic is TopicName => KNOWN_TOPICS.includes(topic), {
  error: (issue) => `"${String(issue.input)}" is not a topic of libs/contracts (Topics); known: ${KNOWN_TOPICS.join(', ')}`,
});

/**
 * Bounds of the service's HorizontalPodAutoscaler. Every service may run as several replicas (outbox,
 * inbox, SKIP LOCKED jobs, Kafka consumer groups, Postgres LISTEN fan-out); two keep it available
 * through a node drain, and the ceiling bounds the Postgres connections all replicas' pools can open.
 */
export const DEFAULT_SCALING = { minReplicas: 2, maxReplicas: 6 } as const;

const scaling = z
  .strictObject({
    minReplicas: z.number().int().min(1).max(100).default(DEFAULT_SCALING.minReplicas),
    maxReplicas: z.number().int().min(1).max(100).default(DEFAULT_SCALING.maxReplicas),
  })
  .refine((bounds) => bounds.minReplicas <= bounds.maxReplicas, 'minReplicas must not be above maxReplicas');

/**
 * Outbound connections beyond Postgres, Kafka, DNS and HTTPS (which every service gets: the identity
 * provider's JWKS at least) that the service's NetworkPolicy must allow: `smtp` (587, 465, 25) and
 * `sftp` (22).
 */
export const EGRESS_KINDS = ['smtp', 'sftp'] as const;

/** Variables a manifest may set for its process: the runtime's own tuning, never the service's settings (those are config). */
export const RUNTIME_ENV_NAMES = ['NODE_OPTIONS', 'MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_', 'UV_THREADPOOL_SIZE'] as const;

/** What `apps/<name>/service.json` holds: everything a tool needs to know about a service. */
export const serviceManifestSchema = z.strictObject({
  /** Equals the app folder's name. */
  name: serviceName,
  /** Default HTTP port (local runs, compose, Kubernetes); unique across services. */
  port: z.number().int().min(1024, 'must be 1024 or higher (no privileged ports)').max(65535),
  /** The Postgres schema the service owns; unique across services. */
  schema: postgresSchema,
  /** The OpenAPI title. */
  title: z.string().trim().min(1).max(100),
  /** One sentence: what the service does (OpenAPI description). */
  description: z.string().trim().min(1).max(500),
  /** The Kafka topics this service produces; every topic has exactly one owner. */
  topics: z.array(ownedTopic).refine((topics) => new Set(topics).size === topics.length, 'must not list a topic twice'),
  /** Replica bounds of the HorizontalPodAutoscaler; default 2 to 6. */
  scaling: scaling.default({ ...DEFAULT_SCALING }),
  /** Outbound protocols the NetworkPolicy opens beyond the ones every service gets (EGRESS_KINDS). */
  egress: z
    .array(z.enum(EGRESS_KINDS))
    .refine((kinds) => new Set(kinds).size === kinds.length, 'must not list a kind twice')
    .default([]),
  /**
   * The runtime's tuning wherever the service starts (npm start, tests, benchmarks, compose, Kubernetes), e.g. the
   * memory flags that keep a service's footprint down: `NODE_OPTIONS` (V8 heap flags), `MALLOC_ARENA_MAX` and the fixed
   * `MALLOC_MMAP_THRESHOLD_` / `MALLOC_TRIM_THRESHOLD_` (glibc; setting either turns off its sliding mmap threshold).
   */
  runtimeEnv: z.partialRecord(z.enum(RUNTIME_ENV_NAMES), z.string().trim().min(1).max(500)).default({}),
});

export type ServiceManifest = z.infer<typeof serviceManifestSchema>;

/** One or more manifests are wrong; `problems` holds one sentence per mistake, each naming its file. */
export class ServiceManifestError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid service manifests:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ServiceManifestError';
  }
}

/** Parses one manifest's text; `source` names the file in error messages. */
export function parseServiceManifest(text: string, source: string): ServiceManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ServiceManifestError([`${source}: not valid JSON (${(error as Error).message})`]);
  }
  const parsed = serviceManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new ServiceManifestError(parsed.error.issues.map((issue) => `${source}: ${[issue.path.join('.'), issue.message].filter(Boolean).join(' ')}`));
  }
  return parsed.data;
}

/** The Postgres schema a new service gets by default: its name in snake case. */
export function defaultSchemaFor(name: string): string {
  return name.replace(/-/g, '_');
}
