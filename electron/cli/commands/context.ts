import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { OperationName, OperationOutput } from '../../../shared/contract';
import { defaultDataDir } from '../../core/paths';
import type { Core, CoreOptions } from '../../core/service';
import { EXIT_OK, type Output } from '../output';

// What every command group shares: the global options, the door to the core, and how a
// contract operation's result is printed.

export interface GlobalOptions {
  json?: boolean;
  dataDir?: string;
  verbose?: boolean;
}

export type CommandBody = (core: Core, out: Output, options: GlobalOptions, args: string[]) => Promise<number>;

export interface CliContext {
  /** Opens the core for a command, runs it, and turns expected failures into exit codes. */
  withCore(body: CommandBody, coreOptions?: Partial<CoreOptions>): (...args: unknown[]) => Promise<void>;
  globals(command: Command): GlobalOptions;
  setExit(code: number): void;
}

export function dataDirOf(options: GlobalOptions): string {
  return options.dataDir ? path.resolve(options.dataDir) : defaultDataDir();
}

/** Who decides or acts: every act names a person (without it, the settings' operator; without that, OPERATOR_MISSING). */
export const BY_OPTION = '--by <name>';
export const BY_HELP = 'who acts, recorded in the timeline and the audit log (default: `settings set --operator`)';

/** The `by` of a contract input, when the command line gave one. */
export const byOf = (options: object): { by?: string } => {
  const by = (options as { by?: unknown }).by;
  return typeof by === 'string' ? { by } : {};
};

/** Runs one contract operation through the shared parse-then-call path and prints its result. */
export async function runOperation<K extends OperationName>(core: Core, out: Output, name: K, input: unknown, lines: (value: OperationOutput<K>) => string[]): Promise<number> {
  const result = await core.dispatch(name, input);
  if (!result.ok) return out.failure(result.error);
  const value = result.value as OperationOutput<K>;
  out.result(value, () => lines(value));
  return EXIT_OK;
}

/**
 * Parser for every port flag: a whole number a TCP port can be (0 asks the OS for any free port).
 * Runs while commander reads the arguments, so a bad port is a usage error before anything opens.
 */
export function parsePort(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new InvalidArgumentError('it must be a number from 0 to 65535.');
  return port;
}

/**
 * Reads a secret piped to stdin, never from an argument (arguments are visible to other users of
 * this machine): up to the first newline, or with `whole` everything up to the end (an identity
 * file with comment lines). At a terminal it asks with `prompt` and takes one line.
 */
export async function readSecretFromStdin(prompt: string, whole = false): Promise<string> {
  const tty = Boolean(process.stdin.isTTY);
  if (tty) process.stderr.write(prompt);
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if ((tty || !whole) && text.includes('\n')) break;
  }
  process.stdin.pause();
  return tty || !whole ? text.split(/\r?\n/)[0]!.trim() : text;
}
