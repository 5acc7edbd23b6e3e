import { Injectable, Logger, OnModuleDestroy, OnModuleInit, ServiceUnavailableException } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { listenForNotifications, NotificationListener } from '@switchboard/persistence';
import { ServiceLifecycle, TooManyRequests } from '@switchboard/service-kit';
import type { FastifyReply } from 'fastify';
import { EventBridgeConfig } from '../config';
import { PrismaService } from '../database/prisma.service';
import { AgentStreamConnection, agentKey, StreamCloseReason, StreamFrame } from './agent-stream-connection';
import { AgentStreamRepository, StoredStreamEntry, StreamCursor } from './agent-stream.repository';
import { STREAM_RETENTION_MS } from './agent-stream-retention';
import { eventFrame } from './server-sent-events';

export interface StreamOwner {
  tenantId: string;
  agentId: string;
}

/** Entries read per query when replaying or catching up; more pages follow while pages come back full. */
const PAGE_SIZE = 1_000;
/** Unsent bytes a stream may hold for a client that does not read before it is cut off. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** A busy database is asked again after this long, and streams then catch up from where each stands. */
const RETRY_AFTER_FAILURE_MS = 1_000;
const RETRY_AFTER_SECONDS = 5;
const ANNOUNCED_RANGE = /^(\d{1,19})-(\d{1,19})$/;

/**
 * This replica's open agent streams (EB3.1), fed from Postgres rather than from the consumer that appended
 * the entries: every replica LISTENs on one connection to the appends' NOTIFY (payload: the `seq` range an
 * append added), reads the announced entries once and sends each to the streams of its agent that this
 * replica holds, so a page may connect to any replica. Announcements are handled one at a time, in the order
 * Postgres delivers them (commit order), so each agent's entries go out in `seq` order. After a lost LISTEN
 * connection or a failed read, every stream catches up from its own last id instead.
 */
@Injectable()
export class AgentStreamHub implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AgentStream');
  private readonly byAgent = new Map<string, Set<AgentStreamConnection>>();
  private readonly perTenant = new Map<string, number>();
  private listener?: NotificationListener;
  private heartbeats?: NodeJS.Timeout;
  private announced?: { from: bigint; to: bigint };
  private catchUpNeeded = false;
  private reading?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly entries: AgentStreamRepository,
    private readonly database: PrismaService,
    private readonly config: EventBridgeConfig,
    private readonly clock: Clock,
    private readonly lifecycle: ServiceLifecycle,
  ) {}

  async onModuleInit(): Promise<void> {
    this.listener = await listenForNotifications(
      this.database.pool,
      this.entries.channel,
      (payload) => this.heard(payload),
      (error) => this.logger.warn({ msg: 'agent stream notifications: connection lost, reconnecting', error: error.message }),
    );
    this.heartbeats = setInterval(() => this.forEachStream((stream) => stream.heartbeat()), this.config.AGENT_STREAM_HEARTBEAT_MS);
    this.heartbeats.unref();
    // Streams never end by themselves: ended at once, pages reconnect to a replica that stays.
    this.lifecycle.onShutdown(() => this.closeAll());
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeats);
    this.closeAll();
    await this.listener?.close();
    await this.reading;
  }

  get openStreams(): number {
    let count = 0;
    for (const streams of this.byAgent.values()) count += streams.size;
    return count;
  }

  /**
   * Opens the owner's stream on `reply`: replays what followed `lastEventId` (from the last 15 minutes), then
   * goes live. Refusals (shutting down, too many streams) and database failures are thrown before anything
   * is sent, so they reach the client as ordinary error answers.
   */
  async open(owner: StreamOwner, lastEventId: bigint | undefined, reply: FastifyReply): Promise<void> {
    if (this.lifecycle.isShuttingDown) throw new ServiceUnavailableException('This replica is shutting down; connect again.');
    this.admit(owner);
    const stream = new AgentStreamConnection(owner.tenantId, owner.agentId, reply, MAX_BUFFERED_BYTES, (closed, reason) => this.forget(closed, reason));
    // Registered before the replay is read: whatever commits meanwhile is held by the stream, not lost.
    this.remember(stream);
    try {
      if (lastEventId === undefined) {
        stream.start(await this.entries.lastSeqOf(owner.tenantId, owner.agentId), []);
      } else {
        const resumeAfter = await this.resumePoint(lastEventId);
        stream.start(resumeAfter, await this.framesAfter([{ ...owner, afterSeq: resumeAfter }]));
      }
    } catch (error) {
      this.forget(stream, 'client');
      throw error;
    }
    if (stream.isOpen) this.logger.log({ msg: 'agent stream opened', tenantId: owner.tenantId, agentId: owner.agentId, resumedAfter: lastEventId?.toString() });
  }

  /**
   * Where a reconnecting stream resumes. An id beyond every stored one was not sent by this database (it was
   * reset or restored): the whole replay window is sent rather than nothing until the sequence passes that id.
   */
  private async resumePoint(lastEventId: bigint): Promise<bigint> {
    return lastEventId > (await this.entries.lastSeq()) ? 0n : lastEventId;
  }

  private admit({ tenantId, agentId }: StreamOwner): void {
    const ofAgent = this.byAgent.get(agentKey(tenantId, agentId))?.size ?? 0;
    if (ofAgent >= this.config.AGENT_STREAM_MAX_PER_AGENT) {
      throw new TooManyRequests(`This agent already has ${ofAgent} open streams (at most ${this.config.AGENT_STREAM_MAX_PER_AGENT})`, RETRY_AFTER_SECONDS);
    }
    const ofTenant = this.perTenant.get(tenantId) ?? 0;
    if (ofTenant >= this.config.AGENT_STREAM_MAX_PER_TENANT) {
      throw new TooManyRequests(`The organization already has ${ofTenant} open agent streams (at most ${this.config.AGENT_STREAM_MAX_PER_TENANT})`, RETRY_AFTER_SECONDS);
    }
  }

  private remember(stream: AgentStreamConnection): void {
    const streams = this.byAgent.get(stream.key) ?? new Set();
    streams.add(stream);
    this.byAgent.set(stream.key, streams);
    this.perTenant.set(stream.tenantId, (this.perTenant.get(stream.tenantId) ?? 0) + 1);
  }

  private forget(stream: AgentStreamConnection, reason: StreamCloseReason): void {
    const streams = this.byAgent.get(stream.key);
    if (!streams?.delete(stream)) return;
    if (streams.size === 0) this.byAgent.delete(stream.key);
    const ofTenant = (this.perTenant.get(stream.tenantId) ?? 1) - 1;
    if (ofTenant === 0) this.perTenant.delete(stream.tenantId);
    else this.perTenant.set(stream.tenantId, ofTenant);
    this.logger.log({ msg: 'agent stream closed', tenantId: stream.tenantId, agentId: stream.agentId, reason });
  }

  private closeAll(): void {
    this.forEachStream((stream) => stream.close('shutdown'));
  }

  private forEachStream(action: (stream: AgentStreamConnection) => void): void {
    for (const streams of [...this.byAgent.values()]) for (const stream of [...streams]) action(stream);
  }

  /** A NOTIFY: an append's range, or (no payload, or one not understood) "something may have been missed". */
  private heard(payload: string | undefined): void {
    const range = ANNOUNCED_RANGE.exec(payload ?? '');
    if (!range) this.catchUpNeeded = true;
    else {
      const [from, to] = [BigInt(range[1]), BigInt(range[2])];
      // Ranges waiting together are read together: entries between them are either not committed yet (they
      // come with their own announcement) or sent already (streams skip ids they sent).
      this.announced = this.announced ? { from: min(this.announced.from, from), to: max(this.announced.to, to) } : { from, to };
    }
    this.reading ??= this.readAnnounced().finally(() => (this.reading = undefined));
  }

  private async readAnnounced(): Promise<void> {
    while ((this.announced || this.catchUpNeeded) && !this.stopped) {
      const [range, catchUp] = [this.announced, this.catchUpNeeded];
      [this.announced, this.catchUpNeeded] = [undefined, false];
      if (this.byAgent.size === 0) continue;
      try {
        // Catching up covers every stream from where it stands, so it makes the range's read unnecessary.
        if (catchUp) this.dispatch(await this.framesAfterCursors());
        else if (range) this.dispatch(this.forStreamsHere(await this.entries.inRange(range.from, range.to)));
      } catch (error) {
        this.logger.warn({ msg: 'agent stream entries could not be read; streams will catch up', error: (error as Error).message });
        this.catchUpNeeded = true;
        await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_FAILURE_MS));
      }
    }
  }

  /** Framed once each, only the entries of agents with a stream on this replica. */
  private forStreamsHere(entries: StoredStreamEntry[]): KeyedFrame[] {
    return entries.filter((entry) => this.byAgent.has(agentKey(entry.tenantId, entry.agentId))).map(keyedFrame);
  }

  private dispatch(frames: KeyedFrame[]): void {
    for (const frame of frames) for (const stream of this.byAgent.get(frame.key) ?? []) stream.deliver(frame);
  }

  /** Every live stream's agent, from the lowest id any of its streams still needs. */
  private framesAfterCursors(): Promise<KeyedFrame[]> {
    const cursors = new Map<string, StreamCursor>();
    this.forEachStream((stream) => {
      const afterSeq = stream.cursor;
      if (afterSeq === undefined) return;
      const known = cursors.get(stream.key);
      if (!known || afterSeq < known.afterSeq) cursors.set(stream.key, { tenantId: stream.tenantId, agentId: stream.agentId, afterSeq });
    });
    return this.framesAfter([...cursors.values()]);
  }

  /** The cursors' entries of the last 15 minutes, page by page, oldest first. */
  private async framesAfter(cursors: StreamCursor[]): Promise<KeyedFrame[]> {
    const notBefore = new Date(this.clock.now().getTime() - STREAM_RETENTION_MS);
    const frames: KeyedFrame[] = [];
    let page: StoredStreamEntry[];
    do {
      page = await this.entries.after(cursors, notBefore, PAGE_SIZE);
      frames.push(...page.map(keyedFrame));
      // Ordered by seq across all cursors: everything up to the page's last id has been read for every one.
      const last = page.at(-1)?.seq ?? 0n;
      cursors = cursors.map((cursor) => ({ ...cursor, afterSeq: max(cursor.afterSeq, last) }));
    } while (page.length === PAGE_SIZE);
    return frames;
  }
}

/** A framed entry and the agent whose streams it goes to. */
interface KeyedFrame extends StreamFrame {
  key: string;
}

function keyedFrame(entry: StoredStreamEntry): KeyedFrame {
  return { key: agentKey(entry.tenantId, entry.agentId), seq: entry.seq, frame: eventFrame(entry.seq, entry.type, entry.dataJson) };
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);
