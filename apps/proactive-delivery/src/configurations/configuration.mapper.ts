import { Prisma, type EngagementConfiguration } from '../generated/prisma/client';
import type { DialingMode, FrequencyCap, ProactiveEngagementConfiguration, RetryableOutcome } from './configuration.schema';
import type { ClockRange, ContactPolicy, WeeklyContactHours } from '@switchboard/contact-time';

/** The API view of a stored configuration (PD2.1). */
export interface ConfigurationView extends ProactiveEngagementConfiguration {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export function toView(row: EngagementConfiguration): ConfigurationView {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    dialingMode: row.dialingMode as DialingMode,
    workflowId: row.workflowId,
    outboundProfile: { callerIdNumber: row.callerIdNumber, providerName: row.provider },
    maxAttempts: row.maxAttempts,
    retryIntervalsSeconds: row.retryIntervalsSeconds as Record<RetryableOutcome, number>,
    timeZone: row.timeZone,
    contactHours: row.contactHours as unknown as WeeklyContactHours,
    blackoutDates: row.blackoutDates as string[],
    calleeLocalHours: row.calleeLocalHours as unknown as ClockRange,
    frequencyCap: (row.frequencyCap as FrequencyCap | null) ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Column values for the parts of a configuration that were given (create: all; PATCH: some). */
export function toColumns(input: Partial<ProactiveEngagementConfiguration>) {
  return {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.enabled !== undefined && { enabled: input.enabled }),
    ...(input.dialingMode !== undefined && { dialingMode: input.dialingMode }),
    ...(input.workflowId !== undefined && { workflowId: input.workflowId }),
    ...(input.outboundProfile !== undefined && { callerIdNumber: input.outboundProfile.callerIdNumber, provider: input.outboundProfile.providerName }),
    ...(input.maxAttempts !== undefined && { maxAttempts: input.maxAttempts }),
    ...(input.retryIntervalsSeconds !== undefined && { retryIntervalsSeconds: { ...input.retryIntervalsSeconds } }),
    ...(input.timeZone !== undefined && { timeZone: input.timeZone }),
    ...(input.contactHours !== undefined && { contactHours: JSON.parse(JSON.stringify(input.contactHours)) }),
    ...(input.blackoutDates !== undefined && { blackoutDates: [...input.blackoutDates] }),
    ...(input.calleeLocalHours !== undefined && { calleeLocalHours: { ...input.calleeLocalHours } }),
    ...(input.frequencyCap !== undefined && { frequencyCap: input.frequencyCap ? { ...input.frequencyCap } : Prisma.DbNull }),
  };
}

export function contactPolicyOf(view: ConfigurationView): ContactPolicy {
  return { timeZone: view.timeZone, contactHours: view.contactHours, blackoutDates: view.blackoutDates, calleeLocalHours: view.calleeLocalHours };
}
