import { UnsupportedMediaTypeException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { isJsonMediaType, requireJsonBody } from './json-media-type';

describe('JSON-only request bodies (PD1.1)', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/merge-patch+json', 'application/vnd.api+json'])('%j is JSON', (type) => {
    expect(isJsonMediaType(type)).toBe(true);
    expect(() => requireJsonBody(type)).not.toThrow();
  });

  it.each([undefined, '', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'text/json', 'application/json+xml'])(
    '%j is refused with 415',
    (type) => {
      expect(isJsonMediaType(type)).toBe(false);
      expect(() => requireJsonBody(type)).toThrow(UnsupportedMediaTypeException);
    },
  );

  it('says which content type to send', () => {
    expect(() => requireJsonBody('text/plain')).toThrow('The request body must be JSON (Content-Type: application/json)');
  });
});
