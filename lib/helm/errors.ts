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

/**
 * The pasted values would silently defeat the upgrade in a way only the admin can settle (a file for another chart
 * layout, a service account the chart ignores, another database). Carries every reason, each with its value path.
 */
export class ValuesRefusedError extends Error {
  readonly reasons: Array<{ path: string; reason: string }>;

  constructor(reasons: Array<{ path: string; reason: string }>) {
    super(`values.yaml cannot be merged as it is: ${reasons.map((r) => `${r.path}: ${r.reason}`).join("; ")}`);
    this.name = "ValuesRefusedError";
    this.reasons = reasons;
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
