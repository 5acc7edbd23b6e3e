import { MissingTokenError } from '../auth-errors';

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750: scheme case-insensitive).
 * Any other scheme, or no header, counts as "no bearer token" → MissingTokenError.
 */
export function extractBearerToken(
  authorization: string | readonly string[] | undefined,
): string {
  const header = Array.isArray(authorization)
    ? authorization[0]
    : authorization;
  const match =
    typeof header === 'string' ? /^Bearer[ ]+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) throw new MissingTokenError();
  return match[1];
}
