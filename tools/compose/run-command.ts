import { execFile } from 'node:child_process';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Thrown when the program is not installed, with the sentence that says how to install it. */
export class MissingProgramError extends Error {}

/**
 * Runs a program with a hard time limit and resolves with its exit code and output (a non-zero
 * exit is a result, not an error). A missing program rejects with MissingProgramError.
 */
export function runCommand(
  program: string,
  args: string[],
  options: { cwd: string; timeoutMs: number; installHint: string; env?: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs, killSignal: 'SIGKILL', env: options.env, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new MissingProgramError(`${program} is not installed: ${options.installHint}`));
          return;
        }
        if (error?.killed) {
          reject(new Error(`${program} ${args.join(' ')} did not finish within ${options.timeoutMs} ms`));
          return;
        }
        const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ exitCode, stdout, stderr });
      },
    );
  });
}

/** Whether a program can be started at all (used to skip optional checks with a printed reason). */
export async function programAvailable(program: string, versionArgs: string[], cwd: string): Promise<boolean> {
  try {
    await runCommand(program, versionArgs, { cwd, timeoutMs: 10_000, installHint: '' });
    return true;
  } catch (error) {
    if (error instanceof MissingProgramError) return false;
    throw error;
  }
}
