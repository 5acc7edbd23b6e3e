import { readFile } from 'node:fs/promises';

/** The memory goal: the service's RSS stays under 200 MB (decimal megabytes) while it exports a large file. */
export const RSS_GOAL_BYTES = 200_000_000;

/** Resident memory of a process in bytes, from /proc/<pid>/status (Linux). */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Samples the process's resident memory every `everyMs`; stop() gives the highest sample (bytes). */
export function sampleRss(pid: number, everyMs = 100): { stop(): number } {
  let peak = 0;
  const sample = () =>
    rssBytes(pid).then(
      (rss) => (peak = Math.max(peak, rss)),
      () => undefined,
    );
  void sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

export const mib = (bytes: number): number => bytes / 1024 / 1024;

/** "peak 187 MiB (196 MB)", flagged when at or over the goal — the figure a reader compares with the issue's. */
export function rssVerdict(peakBytes: number, goalBytes = RSS_GOAL_BYTES): { overGoal: boolean; text: string } {
  const overGoal = peakBytes >= goalBytes;
  const figure = `peak ${mib(peakBytes).toFixed(0)} MiB (${(peakBytes / 1e6).toFixed(0)} MB)`;
  return { overGoal, text: overGoal ? `${figure} — OVER the ${goalBytes / 1e6} MB goal` : `${figure}, under the ${goalBytes / 1e6} MB goal` };
}
