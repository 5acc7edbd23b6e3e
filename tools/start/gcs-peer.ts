import { GcsSimulator, publicKeyOf, type ServiceAccountKeyFile } from '@switchboard/testing';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { onPeerAddress, peerPort } from './local-peer';

/** The bucket the local simulator has, for storage-export's Connect and save. */
export const LOCAL_GCS_BUCKET = 'exports';

interface GcsPeer {
  simulator?: GcsSimulator;
  serviceEnv(service: string): Record<string, string>;
  summaryLine: string;
}

/**
 * The Cloud Storage JSON API + OAuth token simulator of `npm start` (GCS_SIMULATOR_PORT, default
 * SWITCHBOARD_PORT_BASE + 94; `off` leaves it out). storage-export gets GCS_API_ENDPOINT and GCS_TOKEN_URL
 * pointing at it. The service account's JSON key is kept in `keyFile` (created on the first start, the
 * same key afterwards, so saved settings keep working): paste it into Connect and save.
 */
export async function startLocalGcs(env: NodeJS.ProcessEnv, keyFile: string): Promise<GcsPeer> {
  const port = peerPort(env, 'GCS_SIMULATOR_PORT', 94);
  if (port === 'off') return { serviceEnv: () => ({}), summaryLine: '  GCS simulator: off (GCS_SIMULATOR_PORT=off)' };
  const simulator = await onPeerAddress((host) => GcsSimulator.start({ host, port, buckets: [LOCAL_GCS_BUCKET], recordRequests: false }));
  try {
    await trustOrCreateKey(simulator, keyFile);
  } catch (error) {
    await simulator.close();
    throw error;
  }
  return {
    simulator,
    serviceEnv: (service): Record<string, string> => (service === 'storage-export' ? { GCS_API_ENDPOINT: env['GCS_API_ENDPOINT'] ?? simulator.url, GCS_TOKEN_URL: env['GCS_TOKEN_URL'] ?? simulator.tokenUri } : {}),
    summaryLine: `  GCS simulator: ${simulator.url} (bucket "${LOCAL_GCS_BUCKET}"; service account key ${keyFile}; README "storage-export: Google Cloud Storage")`,
  };
}

async function trustOrCreateKey(simulator: GcsSimulator, keyFile: string): Promise<void> {
  const existing = await readFile(keyFile, 'utf8').then((text) => JSON.parse(text) as ServiceAccountKeyFile, () => undefined);
  if (existing?.client_email && existing.private_key) {
    simulator.trustServiceAccount(existing.client_email, { keyId: existing.private_key_id, publicKey: publicKeyOf(existing.private_key) });
    return;
  }
  const key = simulator.createServiceAccount();
  await mkdir(dirname(keyFile), { recursive: true });
  await writeFile(keyFile, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
}
