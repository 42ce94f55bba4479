/**
 * The CLI's error types and the closed-pipe test, in a module of their own: the entry point needs
 * them before it knows the command, and importing them from common.ts would load the report
 * renderers and config loader for `pipewarden --version` too (issue 9: start-up under 80 ms).
 */

/** A mistake in how the command was called (flags, paths): exit code 2, one line, no stack. */
export class UsageError extends Error {}

/** EPIPE (the reader closed the pipe) or a write after that (the stream is destroyed by then). */
export function isClosedPipe(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}
