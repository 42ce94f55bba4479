import type { PipewardenConfig } from './types.js';

/** 1-based position of a key or value in the config file. */
export interface SourcePosition {
  line: number;
  column: number;
}

// Kept beside the config rather than in it so PipewardenConfig stays plain data
// (configs built in code or tests simply have no positions).
const registry = new WeakMap<PipewardenConfig, Map<string, SourcePosition>>();

/** Key for a path into the config, e.g. `ignore.2` or `rules.some-rule`. */
export function positionKey(path: ReadonlyArray<string | number>): string {
  return path.map(String).join('\u0000');
}

export function recordPositions(config: PipewardenConfig, positions: Map<string, SourcePosition>): void {
  registry.set(config, positions);
}

/** Where `path` (e.g. `['ignore', 2]`) was written in the file `config` was loaded from. */
export function positionOf(config: PipewardenConfig, path: ReadonlyArray<string | number>): SourcePosition | undefined {
  return registry.get(config)?.get(positionKey(path));
}
