import { existsSync } from 'node:fs';
import { type S3Server, type SftpServer, SmtpPeer, startS3Server, startSftpServer } from '@switchboard/testing';
import { onPeerAddress, peerPort } from './local-peer';
import { type MailInbox, startMailInbox } from './mail-inbox';
import type { DemoExportTarget } from './stack-state';

const SSHD = '/usr/sbin/sshd';
/** The bucket of the local S3 server, when there is no sshd. */
export const DEMO_S3_BUCKET = 'demo-exports';
/**
 * OUTCOME_EMAIL_DELAY_SEC and METADATA_EXPORT_DELAY_SEC of the demo stack: the scenario's 15 minutes would
 * make E3 wait that long; 10 s still shows that both wait for the call to settle.
 */
export const DEMO_AFTER_CALL_DELAY_SEC = 10;

/** Where storage-export writes: a real sshd when installed, else the local S3 server. */
export type ExportPeer = { kind: 'sftp'; server: SftpServer } | { kind: 's3'; server: S3Server };

export interface DemoPeers {
  smtp: SmtpPeer;
  inbox: MailInbox;
  exports: ExportPeer;
  exportTarget: DemoExportTarget;
  afterCallDelaySec: number;
  serviceEnv(service: string): Record<string, string>;
  summaryLines: string[];
  close(): Promise<void>;
}

/**
 * The peers `npm start` adds for a contact center in a box: an SMTP peer for the outcome e-mails with an HTTP
 * inbox to read them (MAIL_INBOX_PORT, default SWITCHBOARD_PORT_BASE + 95), and SFTP (sshd) or S3 for the
 * exports. With `demo`, the after-call delays are short (unless set) and automated SMS are not held for the
 * customer's daytime (MESSAGING_QUIET_HOURS=off unless set), so that the scenarios run in seconds.
 */
export async function startDemoPeers(env: NodeJS.ProcessEnv, options: { demo: boolean; exportFolder: string }): Promise<DemoPeers> {
  const inboxPort = peerPort(env, 'MAIL_INBOX_PORT', 95);
  const smtp = await onPeerAddress((host) => SmtpPeer.start(host));
  const started: { close(): Promise<void> }[] = [smtp];
  const closeAll = async () => {
    await Promise.allSettled(started.map((peer) => peer.close()));
  };
  try {
    const inbox = await onPeerAddress((host) => startMailInbox(smtp, host, inboxPort === 'off' ? 0 : inboxPort));
    started.push(inbox);
    const exports = await startExportPeer();
    started.push({ close: () => exports.server.stop() });
    const afterCallDelaySec = options.demo ? DEMO_AFTER_CALL_DELAY_SEC : 15 * 60;
    const delay = (variable: string) => ({ [variable]: env[variable] ?? String(afterCallDelaySec) });
    const exportTarget = exportTargetOf(exports, options.exportFolder);
    const serviceEnv = (service: string): Record<string, string> => {
      if (service === 'crm-sync') return { OUTCOME_EMAIL_SMTP_URL: env['OUTCOME_EMAIL_SMTP_URL'] ?? smtp.url, ...(options.demo ? delay('OUTCOME_EMAIL_DELAY_SEC') : {}) };
      // sshd and the S3 server listen on 127.0.0.1, which storage connections may reach only when allow-listed.
      if (service === 'storage-export') return { OUTBOUND_HTTP_ALLOW: env['OUTBOUND_HTTP_ALLOW'] ?? '127.0.0.1/32', ...(options.demo ? delay('METADATA_EXPORT_DELAY_SEC') : {}) };
      if (service === 'outbound-messaging' && options.demo) return { MESSAGING_QUIET_HOURS: env['MESSAGING_QUIET_HOURS'] ?? 'off' };
      return {};
    };
    return {
      smtp,
      inbox,
      exports,
      exportTarget,
      afterCallDelaySec: Number(env['OUTCOME_EMAIL_DELAY_SEC'] ?? afterCallDelaySec),
      serviceEnv,
      summaryLines: [
        `  SMTP peer: ${smtp.url} (crm-sync's outcome e-mails; read them at ${inbox.url}/messages)`,
        exports.kind === 'sftp'
          ? `  SFTP server (sshd): ${exportTarget.location} (user ${exports.server.user}; files also in ${exportTarget.localDirectory})`
          : `  S3 server (s3rver, no sshd here): ${exportTarget.location} (key S3RVER / S3RVER; files also in ${exportTarget.localDirectory})`,
      ],
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function startExportPeer(): Promise<ExportPeer> {
  if (existsSync(SSHD)) return startSftpServer({ sshd: SSHD }).then((server) => ({ kind: 'sftp', server }));
  return startS3Server({ buckets: [DEMO_S3_BUCKET] }).then((server) => ({ kind: 's3', server }));
}

function exportTargetOf(exports: ExportPeer, folder: string): DemoExportTarget {
  if (exports.kind === 'sftp') {
    const { host, port, rootDir } = exports.server;
    return { backend: 'sftp', location: `sftp://${host}:${port}/${folder}`, localDirectory: `${rootDir}/${folder}` };
  }
  // s3rver keeps each object as a folder <bucket>/<key>._S3rver_object beside its metadata.
  return { backend: 's3', location: `${exports.server.endpoint}/${DEMO_S3_BUCKET}/${folder}`, localDirectory: `${exports.server.directory}/${DEMO_S3_BUCKET}/${folder}` };
}
