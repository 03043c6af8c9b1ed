// The one error the values library throws for input a person pasted: it carries the 1-based position so the UI
// can point at the line, and the message names it too for logs and plain-text callers.
export class ValuesYamlError extends Error {
  readonly line: number;
  readonly column: number;
  /** The value path involved, when the YAML is valid but has the wrong shape there. */
  readonly path?: string;

  constructor(reason: string, line: number, column: number, path?: string) {
    super(`values.yaml ${path ? `has the wrong shape at ${path}` : "is not valid YAML"} at line ${line}, column ${column}: ${reason}`);
    this.name = "ValuesYamlError";
    this.line = line;
    this.column = column;
    this.path = path;
  }
}

/** A pasted values.yaml beyond what the console merges (too many lines, or a merge that takes too long). */
export class ValuesLimitError extends Error {
  /** True when the file is fine but the console is busy merging others: try again. */
  readonly busy: boolean;
  constructor(reason: string, options: { busy?: boolean } = {}) {
    super(`values.yaml ${reason}`);
    this.name = "ValuesLimitError";
    this.busy = options.busy ?? false;
  }
}
