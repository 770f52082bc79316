import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { runCli } from '../../scripts/cli/run.ts';
import { TEST_NOW, tempDir } from '../helpers.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A fresh temporary directory per test for the CLI's database and files, removed after the test;
 * `env` is added to the CLI's environment.
 */
export function cliSandbox(prefix: string, env: Record<string, string> = {}) {
  let dir = '';
  let remove = () => {};
  beforeEach(() => {
    ({ dir, remove } = tempDir(prefix));
  });
  afterEach(() => remove());

  const sandbox = {
    /** This test's temporary directory. */
    get dir(): string {
      return dir;
    },
    /** The CLI's database: `cli.sqlite` in the directory. */
    get databasePath(): string {
      return join(dir, 'cli.sqlite');
    },
    /** Runs the CLI in this process, on the sandbox's database, at TEST_NOW. */
    async cli(args: string[], stdin = ''): Promise<CliResult> {
      let stdout = '';
      let stderr = '';
      const code = await runCli(
        args,
        {
          stdout: (text) => {
            stdout += text;
          },
          stderr: (text) => {
            stderr += text;
          },
          readStdin: async () => stdin,
          env: { DATABASE_PATH: sandbox.databasePath, ...env },
        },
        () => TEST_NOW,
      );
      return { code, stdout, stderr };
    },
    /** Runs the CLI with `--json`, asserts it succeeded quietly, and returns the parsed output. */
    async cliJson(args: string[], stdin = '') {
      const r = await sandbox.cli([...args, '--json'], stdin);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout);
    },
    /** Writes a file into the directory and returns its path. */
    file(name: string, content: string | Buffer): string {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
  return sandbox;
}
