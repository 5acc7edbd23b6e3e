import { closed, lowerCaseGuid } from '@switchboard/validation';
import { z } from 'zod';
import { CHANNEL_TYPES } from '../templates/template-rendering';

export const CONFIGURATION_LABEL = 'The outbound configuration';

/** The body of POST and PUT /outbound/configurations (OM2.1); the id is generated on save. */
export const configurationSchema = closed({
  name: z.string().trim().min(1).max(100),
  /** OM2.2: on, each message is an activity on the customer's timeline; off (recommended for bulk), delivery tracking only. */
  showInTimeline: z.boolean(),
  channelType: z.enum(CHANNEL_TYPES),
  /** The sending channel (number or WhatsApp sender), of the same channel type. */
  channelId: lowerCaseGuid(),
  /** The message template, of the same channel type. */
  templateId: lowerCaseGuid(),
});
export type ConfigurationInput = z.output<typeof configurationSchema>;

export const configurationExample: z.input<typeof configurationSchema> = {
  name: 'Case created message',
  showInTimeline: true,
  channelType: 'sms',
  channelId: '0f8e6a52-2b7d-4c1e-9a3b-5d4c3b2a1f0e',
  templateId: '3c2b1a0f-9e8d-4c7b-8a6f-5e4d3c2b1a0f',
};

export interface ConfigurationView extends ConfigurationInput {
  id: string;
  /** The same id, under the name the invoke API and the source's flows use. */
  msdyn_ocoutboundconfigurationid: string;
  createdAt: string;
  updatedAt: string;
}
