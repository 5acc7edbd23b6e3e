import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A local S3-compatible server (@20minutes/s3rver 4, which runs on Node 20) on a free loopback port,
 * storing in a fresh temporary directory. Its one account's key pair is S3RVER / S3RVER (s3rver's own).
 */
export interface S3Server {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Buckets created at start. */
  buckets: string[];
  /** Where objects are stored on disk. */
  directory: string;
  stop(): Promise<void>;
}

export async function startS3Server(options: { buckets?: string[] } = {}): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'sb-s3rver-'));
  const buckets = options.buckets ?? ['exports'];
  // Loaded here so that importing @switchboard/testing does not load s3rver (koa, winston) everywhere.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('@20minutes/s3rver') as new (options: Record<string, unknown>) => {
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  };
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    buckets,
    directory,
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
