/** The five services, their default ports and their Postgres schemas: one list for every tool. */
export const SERVICES = [
  { name: 'proactive-delivery', port: 3001 },
  { name: 'outbound-messaging', port: 3002 },
  { name: 'crm-sync', port: 3003 },
  { name: 'storage-export', port: 3004 },
  { name: 'event-bridge', port: 3005 },
] as const;

export type ServiceName = (typeof SERVICES)[number]['name'];
