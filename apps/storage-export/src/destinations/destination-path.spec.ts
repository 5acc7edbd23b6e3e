import { describe, expect, it } from 'vitest';
import { checkedRelativePath, objectName, underFolder } from './destination-path';
import { DestinationError } from './storage-destination';

describe('destination paths (SE2.1, SE3.3)', () => {
  it.each([['ujet-voice-recordings/call-1.mp3'], ['ujet-media/chat-9-photo-3.jpg'], ['a.txt']])('SE2.1 %s is a safe relative path', (path) => {
    expect(checkedRelativePath(path)).toBe(path);
  });

  it.each([['../x'], ['a/../../x'], ['/etc/passwd'], ['a//b'], ['./a'], ['a/'], ['a\\b'], ['a\u0000b'], ['a\nb'], [''], ['x'.repeat(1025)]])('SE3.3 %j is refused as invalid_path, not retryable', (path) => {
    const error = (() => {
      try {
        checkedRelativePath(path);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(DestinationError);
    expect(error).toMatchObject({ kind: 'invalid_path', retryable: false });
  });

  it('SE2.1 files go under the folder path; bucket prefixes lose their slashes', () => {
    expect(underFolder('', 'ujet-metadata/call-1.json')).toBe('ujet-metadata/call-1.json');
    expect(underFolder('/srv/drop/', 'ujet-metadata/call-1.json')).toBe('/srv/drop/ujet-metadata/call-1.json');
    expect(objectName('/tenant-a/', 'ujet-metadata/call-1.json')).toBe('tenant-a/ujet-metadata/call-1.json');
    expect(() => objectName('tenant-a', '../b')).toThrow(DestinationError);
  });
});
