import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileSet } from '../output/fileset.ts';
import { digest, type ResultCache } from '../cache/result-cache.ts';
import type { Tool } from './tools.ts';

// What a validator run may skip: a verdict that depends only on bytes already passed, in the
// result cache or in the full check of the revision `--changed-since` names.

/** One validator verdict: the generated files whose bytes decide it, and what the tool was asked. */
export interface Verdict {
  readonly tool: Tool;
  /** The subcommand and options, e.g. `test rules`; part of the key. */
  readonly command: readonly string[];
  /** Generated files (relative to generated/) whose bytes decide the verdict. */
  readonly inputs: readonly string[];
  /** Anything else the verdict depends on (a route case's labels). */
  readonly extra?: string;
}

export interface Prior {
  /** Passed verdicts of earlier runs. */
  readonly cache?: ResultCache;
  /** Generated files whose bytes are those committed at `--changed-since`: checked in full there. */
  readonly unchanged?: ReadonlySet<string>;
  /** The tools' `--version` lines: a verdict is never reused across tool versions. */
  readonly versions: Readonly<Record<Tool, string | undefined>>;
}

/** Where the tools run, what they may skip. */
export interface ToolRun {
  /** The folder the tools run in (a generated/ tree): files it lacks are written there as they are needed, files it has are used as they are. */
  readonly dir: string;
  readonly files: FileSet;
  readonly prior?: Prior;
}

/**
 * The comment lines a generated file starts with (which definition files it came from): no tool
 * reads them, so a file shared by many services keeps its verdict when one of them is added.
 */
const header = /^(?:#[^\n]*\n)+\n?/;

export const withoutHeader = (text: string): string => text.replace(header, '');

export function verdictKey(verdict: Verdict, run: ToolRun): string {
  const inputs = verdict.inputs.flatMap((file) => {
    const content = run.files.get(file);
    return [file, content === undefined ? '(not generated)' : withoutHeader(content)];
  });
  return digest([verdict.tool, run.prior?.versions[verdict.tool] ?? '', ...verdict.command, verdict.extra ?? '', ...inputs]);
}

/** Whether this verdict passed before; a verdict on a file that is not generated never did. */
export async function passedBefore(verdict: Verdict, run: ToolRun): Promise<boolean> {
  const prior = run.prior;
  if (!prior || !verdict.inputs.every((file) => run.files.has(file))) return false;
  if (prior.unchanged && verdict.inputs.every((file) => prior.unchanged!.has(file))) return true;
  return prior.cache !== undefined && (await prior.cache.has(verdictKey(verdict, run)));
}

export async function recordPass(verdict: Verdict, run: ToolRun): Promise<void> {
  await run.prior?.cache?.put(verdictKey(verdict, run));
}

/** Writes the generated files a tool is about to read into the run's folder, unless there already (a scratch copy: no fsync). */
export async function writeInputs(run: ToolRun, files: Iterable<string>): Promise<void> {
  const dirs = new Set<string>();
  for (const file of new Set(files)) {
    const content = run.files.get(file);
    if (content === undefined) continue; // the tool reports the missing file
    const target = path.join(run.dir, file);
    if (!dirs.has(path.dirname(target))) {
      await mkdir(path.dirname(target), { recursive: true });
      dirs.add(path.dirname(target));
    }
    // 'wx': a file already there is the caller's, and stays as it is.
    await writeFile(target, content, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
