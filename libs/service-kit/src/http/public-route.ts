import { SetMetadata } from '@nestjs/common';

/** Route metadata key of @Public(); the authentication guard skips routes that carry it. */
export const IS_PUBLIC_KEY = 'switchboard:auth:public';

/** Opts a route or controller out of bearer authentication (health, metrics, docs, signed webhooks). */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
