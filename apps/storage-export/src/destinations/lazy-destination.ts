import type { DestinationBackend, DestinationFile, PutFile, StorageDestination, StoredFile } from './storage-destination';

/**
 * A destination whose backend module (and the SDK it imports: @aws-sdk, @google-cloud/storage) is loaded on its
 * first call, not when the service starts: those SDKs hold about 30 MiB of resident memory, which a service
 * whose tenants all export to SFTP never needs (the RSS goal). urlOf needs no SDK and answers at once.
 */
export class LazyDestination implements StorageDestination {
  private loading: Promise<StorageDestination> | undefined;
  private closed = false;

  constructor(
    readonly backend: DestinationBackend,
    private readonly load: () => Promise<StorageDestination>,
    private readonly url: (path: string) => string,
  ) {}

  async put(file: DestinationFile, signal?: AbortSignal): Promise<PutFile> {
    return (await this.destination()).put(file, signal);
  }

  async stat(path: string, options?: { withChecksums?: boolean }): Promise<StoredFile | undefined> {
    return (await this.destination()).stat(path, options);
  }

  urlOf(path: string): string {
    return this.url(path);
  }

  async probe(): Promise<void> {
    return (await this.destination()).probe();
  }

  async close(): Promise<void> {
    this.closed = true;
    const loaded = await this.loading?.catch(() => undefined);
    await loaded?.close();
  }

  private destination(): Promise<StorageDestination> {
    if (this.closed) return Promise.reject(new Error('The destination was closed'));
    if (!this.loading) {
      this.loading = this.load();
      // A module that failed to load is tried again on the next call rather than failing every later one.
      this.loading.catch(() => (this.loading = undefined));
    }
    return this.loading;
  }
}
