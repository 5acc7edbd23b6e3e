import { baseServiceEnv, serviceConfigClass } from '@switchboard/service-kit';

/** The service's validated environment (only the variables every service has), injected by class. */
export class CrmSyncConfig extends serviceConfigClass(baseServiceEnv) {}
