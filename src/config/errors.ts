/**
 * A problem with a user-supplied file (config, baseline) that stops the run with exit code 2.
 * `line`/`column` are 1-based and point at the offending key or value when known.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(file: string, message: string, line?: number, column?: number) {
    super(message);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  /** `file:line:column: message`, the form editors and CI logs turn into links. */
  format(): string {
    const where = this.line === undefined ? this.file : `${this.file}:${this.line}:${this.column ?? 1}`;
    return `${where}: ${this.message}`;
  }
}
