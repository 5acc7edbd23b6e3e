import { REQUEST_ID_MARKER } from '../load-protocol';

export const INGEST_PATH = '/adapter-events';
export const TENANT_HEADER = 'X-Switchboard-Tenant';

/** Where event-bridge stores accepted adapter events (its migrations create it). */
export const SERVICE_EVENT_TABLE = 'event_bridge.adapter_event';
/** The baseline's copy: same columns, defaults and unique indexes, so an insert costs Postgres the same work. */
export const BASELINE_EVENT_TABLE = 'bench_baseline.adapter_event';

/**
 * The body every load request sends: the source's New_Call sample with its own call id per request (the
 * load generator fills in the marker), so that no request is a duplicate of another and every one inserts.
 */
export const NEW_CALL_TEMPLATE = JSON.stringify({
  type: 'New_Call',
  data: {
    agent_id: 1,
    agent_custom_id: '007',
    agent_email: 'Kim@example.com',
    queue_id: 8469,
    queue_path: 'Developers / Kim',
    campaign_id: 1432,
    campaign_name: 'Survey Movie',
    call_id: `bench-${REQUEST_ID_MARKER}`,
    session_type: 'Voice Campaign (UJET)',
  },
});
