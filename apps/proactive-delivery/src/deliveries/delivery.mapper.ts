import type { Delivery, DeliveryAttempt } from '../generated/prisma/client';

export interface DeliveryAttemptView {
  attemptNumber: number;
  outcome: string | null;
  providerCallId: string | null;
  startedAt: string;
  endedAt: string | null;
}

export interface DeliveryView {
  DeliveryId: string;
  ProactiveEngagementConfigId: string;
  ContactId: string;
  DestinationPhoneNumber: string;
  Windows: { Start: string; End: string }[];
  InputAttributes: Record<string, string>;
  Status: string;
  Attempts: number;
  LastOutcome: string | null;
  Reason: string | null;
  NextAttemptAt: string | null;
  CreatedOn: string;
  ModifiedOn: string;
  ClosedOn: string | null;
  AttemptsLog?: DeliveryAttemptView[];
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** The read view (PD4.5), in the PascalCase of the create API so clients see the same names. */
export function toDeliveryView(row: Delivery, attempts?: DeliveryAttempt[]): DeliveryView {
  return {
    DeliveryId: row.id,
    ProactiveEngagementConfigId: row.configurationId,
    ContactId: row.contactId,
    DestinationPhoneNumber: row.phoneNumber,
    Windows: (row.windows as { start: string; end: string }[]).map((w) => ({ Start: w.start, End: w.end })),
    InputAttributes: row.inputAttributes as Record<string, string>,
    Status: row.status,
    Attempts: row.attempts,
    LastOutcome: row.lastOutcome,
    Reason: row.closeReason,
    NextAttemptAt: iso(row.nextAttemptAt),
    CreatedOn: row.createdAt.toISOString(),
    ModifiedOn: row.updatedAt.toISOString(),
    ClosedOn: iso(row.closedAt),
    ...(attempts && {
      AttemptsLog: attempts.map((a) => ({
        attemptNumber: a.attemptNumber,
        outcome: a.outcome,
        providerCallId: a.providerCallId,
        startedAt: a.startedAt.toISOString(),
        endedAt: iso(a.endedAt),
      })),
    }),
  };
}

/** Stored windows and permitted intervals are JSON arrays of ISO instants. */
export function intervalsFromJson(value: unknown): { start: Date; end: Date }[] {
  return (value as { start: string; end: string }[]).map((i) => ({ start: new Date(i.start), end: new Date(i.end) }));
}

export function intervalsToJson(intervals: readonly { start: Date; end: Date }[]): { start: string; end: string }[] {
  return intervals.map((i) => ({ start: i.start.toISOString(), end: i.end.toISOString() }));
}
