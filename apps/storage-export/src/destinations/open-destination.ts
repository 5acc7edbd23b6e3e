import type { DestinationSettings } from './destination-settings';
import type { StorageDestination } from './storage-destination';

/**
 * Opens a destination for the settings. Connections are made lazily (first put/stat/probe) and kept
 * open for reuse until close(). Injected as a Nest provider (DestinationFactory) in the service so that
 * the SSRF allow-list, sessions and timeouts come from configuration.
 */
export abstract class DestinationFactory {
  abstract open(settings: DestinationSettings): StorageDestination;
}
