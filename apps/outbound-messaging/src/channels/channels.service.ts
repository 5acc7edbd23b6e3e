import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { OutboundHttpClient } from '@switchboard/outbound-http';
import { SecretBox } from '@switchboard/persistence';
import { refuseFields, ValidationFailed } from '@switchboard/service-kit';
import { isForeignKeyViolation, isUniqueViolation } from '../common/constraint-errors';
import { OutboundMessagingConfig } from '../config';
import type { OutboundChannel } from '../generated/prisma/client';
import type { ProviderChannel } from '../providers/provider-factory';
import { type ChannelValues, ChannelsRepository } from './channels.repository';
import type { ChannelCredentials, ChannelInput, ChannelView, ProviderName } from './channels.schema';
import { DEFAULT_MESSAGES_PER_SECOND, type SenderType } from './sender';

/** Sending channels (senders) per tenant: provider, sender, throughput (OM2.1, OM3.4); credentials sealed and write-only (P2.4). */
@Injectable()
export class ChannelsService {
  private readonly box: SecretBox;
  private readonly openedChannels = new Map<string, ProviderChannel>();

  constructor(
    private readonly channels: ChannelsRepository,
    private readonly http: OutboundHttpClient,
    config: OutboundMessagingConfig,
  ) {
    this.box = new SecretBox(config.SECRETS_ENCRYPTION_KEY);
  }

  async create(tenantId: string, input: ChannelInput): Promise<ChannelView> {
    await this.refuseUnreachableUrls(input);
    const values = this.valuesOf(input, undefined);
    try {
      return toView(await this.channels.create(tenantId, values));
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(input.name) : error;
    }
  }

  async list(tenantId: string): Promise<ChannelView[]> {
    return (await this.channels.list(tenantId)).map(toView);
  }

  /** Another tenant's channel answers exactly like a missing one (P1.1). */
  async get(tenantId: string, id: string): Promise<ChannelView> {
    return toView(await this.row(tenantId, id));
  }

  async replace(tenantId: string, id: string, input: ChannelInput): Promise<ChannelView> {
    const current = await this.row(tenantId, id);
    if (current.channelType !== input.channelType && (await this.channels.isUsed(tenantId, id))) {
      throw new ConflictException({ code: 'ChannelInUse', message: `Channel ${id} is used by ${current.channelType} outbound configurations; its channel type cannot change` });
    }
    await this.refuseUnreachableUrls(input);
    try {
      if (!(await this.channels.replace(tenantId, id, this.valuesOf(input, current)))) throw notFound(id);
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(input.name) : error;
    }
    return this.get(tenantId, id);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    try {
      if (!(await this.channels.delete(tenantId, id))) throw notFound(id);
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new ConflictException({ code: 'ChannelInUse', message: `Channel ${id} is used by an outbound configuration; change or delete the configuration first` });
      throw error;
    }
  }

  /** A channel row with its credentials opened, as the provider factory takes it (opened once per channel version). */
  opened(row: { id: string; provider: string; providerAccount: unknown; credentialsSealed: string | null; updatedAt: Date }): ProviderChannel {
    const key = `${row.id}@${row.updatedAt.getTime()}`;
    let opened = this.openedChannels.get(key);
    if (!opened) {
      const credentials = row.credentialsSealed ? (JSON.parse(this.box.open(row.credentialsSealed)) as ChannelCredentials) : {};
      opened = (row.provider === 'simulator' ? { provider: 'simulator' } : { provider: row.provider, account: row.providerAccount, credentials }) as ProviderChannel;
      if (this.openedChannels.size >= 1_000) this.openedChannels.delete(this.openedChannels.keys().next().value as string);
      this.openedChannels.set(key, opened);
    }
    return opened;
  }

  /**
   * The channel a provider webhook names (by id alone: the webhook carries no tenant) and the secret it is
   * verified with, which `secretOf` picks from the opened credentials; undefined when either is missing, so a
   * caller answers an unknown channel and one without that secret alike.
   */
  async webhookChannel(channelId: string, secretOf: (channel: ProviderChannel) => string | undefined): Promise<{ channel: OutboundChannel; secret: string } | undefined> {
    const channel = await this.channels.findAnyTenant(channelId);
    const secret = channel && secretOf(this.opened(channel));
    return channel && secret ? { channel, secret } : undefined;
  }

  private async row(tenantId: string, id: string): Promise<OutboundChannel> {
    const row = await this.channels.find(tenantId, id);
    if (!row) throw notFound(id);
    return row;
  }

  /**
   * Credentials are write-only: left out on a replace, the stored ones are kept as long as the provider
   * and account stay the same; a new provider or account needs its own.
   */
  private valuesOf(input: ChannelInput, current: OutboundChannel | undefined): ChannelValues {
    const account = input.account as Record<string, string>;
    const sameAccount = current && current.provider === input.provider && JSON.stringify(identityOf(current.providerAccount as Record<string, string>)) === JSON.stringify(identityOf(account));
    const needsCredentials = input.provider !== 'simulator';
    let credentialsSealed: string | null = null;
    if (input.credentials && Object.keys(input.credentials).length > 0) credentialsSealed = this.box.seal(JSON.stringify(input.credentials));
    else if (sameAccount) credentialsSealed = current.credentialsSealed;
    if (needsCredentials && !credentialsSealed) {
      const field = input.provider === 'twilio' ? 'credentials.authToken' : 'credentials.accessKey';
      throw new ValidationFailed([{ field, message: `${field} is required for a new ${input.provider} account` }]);
    }
    return {
      name: input.name,
      channelType: input.channelType,
      provider: input.provider,
      sender: input.sender,
      senderType: input.senderType,
      messagesPerSecond: input.messagesPerSecond ?? DEFAULT_MESSAGES_PER_SECOND[input.senderType],
      helpText: input.helpText ?? null,
      providerAccount: account,
      credentialsSealed,
    };
  }

  /** P2.5: a provider address an administrator gives is checked before it is stored, and again on every connection. */
  private async refuseUnreachableUrls(input: ChannelInput): Promise<void> {
    const urls: [string, string | undefined][] =
      input.provider === 'twilio' ? [['account.apiBaseUrl', input.account.apiBaseUrl]] : input.provider === 'acs' ? [['account.endpoint', input.account.endpoint]] : [];
    refuseFields('UrlNotAllowed', await this.http.urlRefusals(urls));
  }
}

/** The account's identity (whose credentials these are), not where its API is reached. */
function identityOf(account: Record<string, string>): Record<string, string | undefined> {
  return { accountSid: account['accountSid'], apiKeySid: account['apiKeySid'], endpoint: account['endpoint'] };
}

function toView(row: OutboundChannel): ChannelView {
  return {
    id: row.id,
    name: row.name,
    channelType: row.channelType as ChannelView['channelType'],
    provider: row.provider as ProviderName,
    sender: row.sender,
    senderType: row.senderType as SenderType,
    messagesPerSecond: row.messagesPerSecond,
    helpText: row.helpText,
    account: row.providerAccount as Record<string, string>,
    credentialsSet: row.credentialsSealed !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function notFound(id: string): NotFoundException {
  return new NotFoundException({ code: 'ChannelNotFound', message: `No outbound channel ${id}` });
}

function nameTaken(name: string): ConflictException {
  return new ConflictException({ code: 'ChannelNameTaken', message: `A channel named "${name}" already exists` });
}
