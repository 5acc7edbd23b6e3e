/** Application roles carried in the token's `roles` claim (P1.3). */
export const Role = {
  OmnichannelAgent: 'OmnichannelAgent',
  /** May create deliveries and send instant messages. */
  OmnichannelSupervisor: 'OmnichannelSupervisor',
  /** Configuration: templates, outbound configurations, CRM, storage settings, do-not-call lists. */
  Administrator: 'Administrator',
} as const;

export type Role = (typeof Role)[keyof typeof Role];

export const ALL_ROLES: readonly Role[] = Object.values(Role);

export function isRole(value: unknown): value is Role {
  return (
    typeof value === 'string' &&
    (ALL_ROLES as readonly string[]).includes(value)
  );
}
