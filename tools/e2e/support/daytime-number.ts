import { DateTime } from 'luxon';

/** Valid numbers, each in a single time zone, spread around the globe; each ends in 0–5, which the simulator answers. */
const NUMBERS = [
  { number: '+12125550123', zone: 'America/New_York' },
  { number: '+442079460123', zone: 'Europe/London' },
  { number: '+81312345670', zone: 'Asia/Tokyo' },
  { number: '+61255501234', zone: 'Australia/Sydney' },
  { number: '+919876543210', zone: 'Asia/Kolkata' },
  { number: '+18085550123', zone: 'Pacific/Honolulu' },
  { number: '+5511987654320', zone: 'America/Sao_Paulo' },
];

/**
 * A callee number for which it is now comfortably inside 08:00–21:00 local time, so end-to-end tests
 * that dial "now" pass at any hour they run (the TCPA rule would otherwise refuse them at night).
 */
export function daytimeNumber(now = new Date()): string {
  return daytimeSample(now).number;
}

/** A sample number and its zone where it is now between 09:00 and 19:00 (e.g. a configuration's zone for unzoned numbers). */
export function daytimeSample(now = new Date()): { number: string; zone: string } {
  const fit = NUMBERS.find(({ zone }) => {
    const hour = DateTime.fromJSDate(now, { zone }).hour;
    return hour >= 9 && hour < 19;
  });
  if (!fit) throw new Error('no sample number is in daytime now');
  return fit;
}
