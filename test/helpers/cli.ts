import { run } from '../../engine/cli/run.js';
import { repoRoot } from './criteria.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in-process with captured streams, from the repository root (or `cwd`). */
export async function cli(argv: string[], cwd = repoRoot): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}
