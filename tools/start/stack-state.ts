import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Where `npm start` says what it runs, for `npm run demo`: SWITCHBOARD_STATE_FILE or <workspace>/.local/stack.json. */
export const STATE_FILE_ENV = 'SWITCHBOARD_STATE_FILE';

export function stateFilePath(env: NodeJS.ProcessEnv, workspaceRoot: string): string {
  return env[STATE_FILE_ENV] || join(workspaceRoot, '.local', 'stack.json');
}

/** Where the exported files of the demo tenant land: a folder on this machine (sshd's or the S3 server's). */
export interface DemoExportTarget {
  backend: 'sftp' | 's3';
  /** How the summary names it, e.g. sftp://127.0.0.1:40123/demo-exports. */
  location: string;
  /** The same files on this machine's disk, for a person (and the demo) to look at. */
  localDirectory: string;
}

/** What `npm run demo` needs to drive the scenarios against a running `npm start`. */
export interface StackState {
  pid: number;
  startedAt: string;
  services: Record<string, string>;
  kafkaBrokers: string[];
  devKeysDir: string;
  peers: { crm?: string; dataverse?: string; twilio?: string; mailInbox: string; exports: DemoExportTarget };
  /** Absent with --no-demo. */
  demoTenant?: DemoTenantState;
}

export interface DemoTenantState {
  tenantId: string;
  /** The agent of the desktop and of E3 (the token's `sub`). */
  agentId: string;
  proactiveConfigurationId: string;
  channelId: string;
  channelSender: string;
  ruleId: string;
  crmWebhookSecret: string;
  ingressSecret: string;
  outcomeEmailAddress: string;
  /** The folder below the export target's root. */
  exportFolder: string;
  /** OUTCOME_EMAIL_DELAY_SEC and METADATA_EXPORT_DELAY_SEC of this stack. */
  afterCallDelaySec: number;
}

export async function writeStackState(path: string, state: StackState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export async function removeStackState(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** The state of the running stack, or a sentence saying why there is none. */
export async function readStackState(path: string): Promise<StackState> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) throw new Error(`No running stack found (${path} is missing): start one with \`npm start\` in another terminal first.`);
  const state = JSON.parse(text) as StackState;
  if (!isAlive(state.pid)) throw new Error(`The stack that wrote ${path} (pid ${state.pid}) is no longer running: start it again with \`npm start\`.`);
  return state;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
