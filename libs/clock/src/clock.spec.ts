import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { Clock, ClockModule } from './clock';
import { ManualClock } from './manual-clock';

@Injectable()
class Stamper {
  constructor(private readonly clock: Clock) {}

  stamp(): string {
    return this.clock.now().toISOString();
  }
}

@Module({ imports: [ClockModule], providers: [Stamper] })
class StampingModule {}

describe('Clock', () => {
  it('tells the system time', () => {
    const before = Date.now();
    const now = new Clock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('is injected by ClockModule wherever a provider asks for it', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [StampingModule] }).compile();
    expect(moduleRef.get(Clock)).toBeInstanceOf(Clock);
    expect(Date.parse(moduleRef.get(Stamper).stamp())).not.toBeNaN();
  });

  it('can be replaced by a ManualClock in a test module', async () => {
    const clock = new ManualClock('2026-03-29T00:30:00.000Z');
    const moduleRef = await Test.createTestingModule({ imports: [StampingModule] }).overrideProvider(Clock).useValue(clock).compile();
    const stamper = moduleRef.get(Stamper);

    expect(stamper.stamp()).toBe('2026-03-29T00:30:00.000Z');
    clock.advance(90 * 60_000);
    expect(stamper.stamp()).toBe('2026-03-29T02:00:00.000Z');
  });
});

describe('ManualClock', () => {
  it('stands still until set or advanced', () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00.000Z'));
    expect(clock.now()).toEqual(new Date('2026-01-01T00:00:00.000Z'));
    expect(clock.now()).toEqual(clock.now());

    clock.set('2025-12-31T23:59:59.000Z');
    expect(clock.now()).toEqual(new Date('2025-12-31T23:59:59.000Z'));
    expect(clock.advance(1_000)).toEqual(new Date('2026-01-01T00:00:00.000Z'));
  });

  it('hands out copies: changing a returned Date does not move the clock', () => {
    const clock = new ManualClock('2026-01-01T00:00:00.000Z');
    clock.now().setFullYear(1999);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('refuses instants that are not dates and steps that go backwards or nowhere', () => {
    const clock = new ManualClock('2026-01-01T00:00:00.000Z');
    expect(() => clock.set('next tuesday')).toThrow(RangeError);
    expect(() => new ManualClock('soon')).toThrow('not an instant: soon');
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
