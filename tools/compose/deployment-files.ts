/**
 * Readers for the deployment descriptions (Dockerfile, docker-compose.yml, deploy/k8s) so that
 * tests can hold them against each other and against the apps/ folder.
 */
import { loadServiceManifests } from '@switchboard/service-manifest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { crmSyncEnv } from '../../apps/crm-sync/src/config';
import { eventBridgeEnv } from '../../apps/event-bridge/src/config';
import { outboundMessagingEnv } from '../../apps/outbound-messaging/src/config';
import { proactiveDeliveryEnv } from '../../apps/proactive-delivery/src/config';
import { storageExportEnv } from '../../apps/storage-export/src/config';

export const workspaceRoot = resolve(__dirname, '../..');
export const composeFilePath = join(workspaceRoot, 'docker-compose.yml');
export const k8sDir = join(workspaceRoot, 'deploy/k8s');

/**
 * Each service's configuration schema: the variables it reads at start-up (P4.2). A service added to
 * apps/ must be added here too (a test compares the two), so that its variables are checked.
 */
export const SERVICE_ENV_SCHEMAS: Readonly<Record<string, z.ZodObject>> = {
  'crm-sync': crmSyncEnv,
  'event-bridge': eventBridgeEnv,
  'outbound-messaging': outboundMessagingEnv,
  'proactive-delivery': proactiveDeliveryEnv,
  'storage-export': storageExportEnv,
};

/** The variables a service reads, by the names in its configuration schema. */
export function serviceEnvVars(app: string): string[] {
  const schema = SERVICE_ENV_SCHEMAS[app];
  if (!schema) throw new Error(`tools/compose/deployment-files.ts: SERVICE_ENV_SCHEMAS has no entry for ${app}`);
  return Object.keys(schema.shape);
}

/**
 * Variables that point a service at a simulator (the voice simulator, a Twilio simulator): docker-compose.yml may
 * pass them through from the host, the production manifests never set them.
 */
export function isSimulatorVar(name: string): boolean {
  return /SIMULATOR/.test(name);
}

/** The services, as their apps/<name>/service.json declare them, by name. */
export function listAppNames(): string[] {
  return loadServiceManifests(workspaceRoot)
    .map((manifest) => manifest.name)
    .sort();
}

export interface ComposeHealthcheck {
  test: string[] | string;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

export interface ComposeService {
  image?: string;
  build?: { context: string; target?: string; args?: Record<string, string> };
  environment?: Record<string, string | number | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: ComposeHealthcheck;
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
}

export interface ComposeFile {
  version: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** docker-compose.yml with its YAML anchors and merge keys resolved, as Compose itself reads it. */
export function readComposeFile(text = readFileSync(composeFilePath, 'utf8')): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface K8sManifestFile {
  file: string;
  errors: string[];
  objects: K8sObject[];
}

/** The YAML files of deploy/k8s (without kustomization.yaml), every document of each parsed. */
export function readK8sManifests(): K8sManifestFile[] {
  return listK8sFiles()
    .filter((file) => file !== 'kustomization.yaml')
    .map((file) => {
      const documents = parseAllDocuments(readFileSync(join(k8sDir, file), 'utf8'));
      return {
        file,
        errors: documents.flatMap((doc) => doc.errors.map((error) => error.message)),
        // A document holding only comments parses to null.
        objects: documents.map((doc) => doc.toJS() as K8sObject | null).filter((object) => object !== null),
      };
    });
}

export function listK8sFiles(): string[] {
  return readdirSync(k8sDir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
}

export interface Kustomization {
  namespace?: string;
  resources: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

export function readKustomization(): Kustomization {
  return parse(readFileSync(join(k8sDir, 'kustomization.yaml'), 'utf8')) as Kustomization;
}

/** The Dockerfile's stages by name, each with its FROM line and its instructions. */
export function readDockerfileStages(): Map<string, { from: string; lines: string[] }> {
  const text = readFileSync(join(workspaceRoot, 'Dockerfile'), 'utf8');
  const stages = new Map<string, { from: string; lines: string[] }>();
  let current: { from: string; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      current = { from: from[1], lines: [] };
      if (from[2]) stages.set(from[2], current);
    } else if (current && line.trim() && !line.trimStart().startsWith('#')) {
      current.lines.push(line);
    }
  }
  return stages;
}
