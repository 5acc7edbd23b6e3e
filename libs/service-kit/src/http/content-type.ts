import { UnsupportedMediaTypeException } from '@nestjs/common';

export interface MediaType {
  /** Lower-case type/subtype, e.g. `application/json`; '' when the request named none. */
  type: string;
  /** Lower-case charset parameter, when given. */
  charset?: string;
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

export function mediaTypeOf(header: string | undefined): MediaType {
  if (!header) return { type: '' };
  const semicolon = header.indexOf(';');
  const type = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  const charset = semicolon === -1 ? undefined : CHARSET.exec(header)?.[1]?.toLowerCase();
  return charset ? { type, charset } : { type };
}

/** JSON is `application/json` or any `application/<something>+json` (CloudEvents and the like). */
export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** 415 naming what was sent: `<expectation>; got <type>`. */
export function unsupportedMediaType(expectation: string, header: string | undefined): UnsupportedMediaTypeException {
  return new UnsupportedMediaTypeException(`${expectation}; got ${header ? mediaTypeOf(header).type || header : 'no Content-Type'}`);
}

/** Only identity encoding is read: compressed bodies would need a decompression bound of their own. */
export function refuseContentEncoding(header: string | undefined): void {
  const encoding = header?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw new UnsupportedMediaTypeException(`unsupported content encoding "${encoding}"`);
  }
}
