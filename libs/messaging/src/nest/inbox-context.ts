import { SqlExecutor } from '@switchboard/persistence';
import { BaseRpcContext } from '@nestjs/microservices';
import { InboxMessageMeta } from '../inbox/inbox-message';

/**
 * What `@Ctx()` gives an `@EventPattern` handler: the transaction that also records the event in the
 * inbox — the service's own typed client, e.g. `@Ctx() ctx: InboxContext<CrmSyncTx>` — and where the
 * event came from. Every write made through `ctx.tx` commits together with the inbox row, or not at all.
 */
export class InboxContext<Tx extends SqlExecutor = SqlExecutor> extends BaseRpcContext<[Tx, InboxMessageMeta]> {
  get tx(): Tx {
    return this.args[0];
  }

  get meta(): InboxMessageMeta {
    return this.args[1];
  }
}

/**
 * What `@Ctx()` gives a batch handler, `@EventPattern(topic, { batch: true })`: the same transaction, and
 * where each of the events (the `@Payload()` array, in order) came from.
 */
export class InboxBatchContext<Tx extends SqlExecutor = SqlExecutor> extends BaseRpcContext<[Tx, InboxMessageMeta[]]> {
  get tx(): Tx {
    return this.args[0];
  }

  get metas(): InboxMessageMeta[] {
    return this.args[1];
  }
}
