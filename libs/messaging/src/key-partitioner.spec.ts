import { randomBytes, randomUUID } from 'node:crypto';
import { Partitioners, PartitionerArgs } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KeyPartitioner, murmur2 } from './key-partitioner';

const partitions = (count: number, leaderless: number[] = []): PartitionerArgs['partitionMetadata'] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }));

/** Keys of every length modulo 4, multi-byte UTF-8, raw bytes with the high bit set, the outbox's kinds of ids. */
function sampleKeys(): (string | Buffer)[] {
  const keys: (string | Buffer)[] = ['', 'a', 'ab', 'abc', 'abcd', 'bench-session-7', 'Zürich-☎-通話', '🙂'];
  for (let length = 0; length < 40; length++) keys.push('k'.repeat(length), randomBytes(length));
  for (let i = 0; i < 500; i++) keys.push(randomUUID(), `session-${i}`, randomBytes(1 + (i % 64)));
  return keys;
}

describe('KeyPartitioner (P3.2: one key, one partition, whichever client produced it)', () => {
  it("hashes exactly as Kafka's murmur2: known values of the Java client", () => {
    // From Kafka's UtilsTest.testMurmur2 (org.apache.kafka.common.utils).
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ];
    for (const [key, hash] of cases) expect(murmur2(Buffer.from(key))).toBe(hash);
    expect(murmur2(Buffer.from([97, 98, 99]))).toBe(479470107);
  });

  it("puts every key on the partition kafkajs' DefaultPartitioner chooses, for any partition count", () => {
    const ours = KeyPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const count of [1, 2, 3, 4, 7, 12, 50]) {
      for (const key of sampleKeys()) {
        const args = { topic: 't', partitionMetadata: partitions(count), message: { key, value: 'v' } };
        expect(ours(args), `key ${String(key)} over ${count}`).toBe(theirs(args));
      }
    }
  });

  it('keeps an explicit partition, and spreads keyless messages over partitions that have a leader', () => {
    const ours = KeyPartitioner();
    expect(ours({ topic: 't', partitionMetadata: partitions(4), message: { key: 'k', value: 'v', partition: 3 } })).toBe(3);
    const chosen = new Set<number>();
    for (let i = 0; i < 40; i++) chosen.add(ours({ topic: 't', partitionMetadata: partitions(4, [1]), message: { value: 'v' } }));
    expect([...chosen].sort()).toEqual([0, 2, 3]);
  });
});
