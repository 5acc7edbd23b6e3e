import { describe, expect, it } from 'vitest';
import { benchTestEnvironment } from '../bench-test-environment';
import { runExportBench } from './run-export-bench';

describe('export benchmark (npm run bench:export)', () => {
  // The short version for the suite: no throughput thresholds, only that both sides delivered every file
  // whole (no temporary name left), the figures and ratios came out, RSS was sampled, and nothing was left behind.
  it('SE3.3 SE3.5 exports the same files through storage-export and with rclone copy to one SFTP server and reports both, with a ratio and the peak RSS', { timeout: 300_000 }, async () => {
    const bench = benchTestEnvironment();
    const report = await runExportBench({ ...bench.environment, files: 6, fileKiB: 64, bigFiles: 2, bigMiB: 2, rssMiB: 3 });

    expect(report.problems).toEqual([]);
    expect(report.small.service).toMatchObject({ files: 6, bytes: 6 * 64 * 1024 });
    expect(report.small.rclone).toMatchObject({ files: 6, bytes: 6 * 64 * 1024 });
    expect(report.small.ratio).toBeGreaterThan(0);
    expect(report.big?.service).toMatchObject({ files: 2, bytes: 2 * 2 * 1024 * 1024 });
    expect(report.big?.rclone).toMatchObject({ files: 2, bytes: 2 * 2 * 1024 * 1024 });
    expect(report.big?.servicePeakRssMiB).toBeGreaterThan(10);
    expect(report.memory.file?.bytes).toBe(3 * 1024 * 1024);
    expect(report.memory.peakMiB).toBeGreaterThan(10);
    expect(report.memory.overGoal).toBe((report.memory.peakMiB ?? 0) * 1024 * 1024 >= 200_000_000);
    expect(await bench.leftNothingBehind(report.database)).toBe(true);
  });
});
