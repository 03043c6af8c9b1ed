// Hostile values.yaml for the merge (pasted, uploaded as a file, or sent to the merge preview): alias bombs,
// flow-style floods and deep nesting, oversize in bytes, lines and single lines, tags that other YAML loaders
// execute, duplicate keys, bytes that are not text, and shapes the chart's keys cannot have. Each must be merged,
// or refused on the `existing` field (YAML error with line and column, too large, or a value that would defeat
// the upgrade), while the server keeps answering. The floods are sized so that one of them (100,000 flow keys)
// runs into the merge's 20 s deadline (refused as too large or unusual) and the others finish sooner: the suite
// proves the bound without spending minutes on it.

/** Nine levels of nine aliases: about 387 million nodes if a loader expanded them. */
function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
  }
  return `${lines.join("\n")}\n`;
}

/** A mapping nested `depth` levels by indentation. */
function deepBlock(depth: number): string {
  return Array.from({ length: depth }, (_, i) => `${" ".repeat(i)}k:`).join("\n") + " x\n";
}

export const HOSTILE_YAML: [string, string | Uint8Array][] = [
  ["billion laughs (alias bomb)", billionLaughs()],
  ["merge keys over an alias bomb", `${billionLaughs()}z:\n  <<: [*i, *i, *i]\n`],
  ["an alias used before its anchor", "a: *b\nb: &b 1\n"],
  ["a self-referencing anchor", "a: &a [*a]\n"],
  ["flow sequence flood (100,000 items)", `backend: [${"1,".repeat(100_000)}1]\n`],
  ["flow mapping flood (100,000 keys)", `backend: {${Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`).join(", ")}}\n`],
  ["20,000 unclosed [", `a: ${"[".repeat(20_000)}\n`],
  ["10,000 unclosed {", `a: ${"{a: ".repeat(10_000)}\n`],
  ["flow nesting 5,000 deep, closed", `a: ${"[".repeat(5_000)}1${"]".repeat(5_000)}\n`],
  ["block nesting 300 deep", deepBlock(300)],
  ["over the byte cap (2.1 MB)", `a: ${"x".repeat(2_100_000)}\n`],
  ["over the line cap (10,001 lines)", Array.from({ length: 10_001 }, (_, i) => `k${i}: v`).join("\n")],
  ["one 1.9 MB line", `a: "${"x".repeat(1_900_000)}"\n`],
  ["2,000 keys", Array.from({ length: 2_000 }, (_, i) => `k${i}: v`).join("\n")],
  ["a JavaScript function tag", "backend: !!js/function 'function () { return process.exit(1) }'\n"],
  ["a Python object tag", "backend: !!python/object/apply:os.system ['id']\n"],
  ["a binary tag", "a: !!binary |\n  R0lGODlhDAAMAIQAAP//9/X17unp5WZmZgAAAOfn515eXvPz7Y6OjuDg4J+fn5\n"],
  ["an unknown local tag", "backend: !secret {name: x}\n"],
  ["duplicate keys", "backend:\n  a: 1\nbackend:\n  b: 2\n"],
  ["NUL and control bytes", "a: \"\u0000\u0001\u0007\"\nb: x\u0000y\n"],
  ["bytes that are not UTF-8", new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a])],
  ["a byte-order mark and CRLF", "\uFEFFbackend:\r\n  replicaCount: 2\r\n"],
  ["tabs as indentation", "backend:\n\treplicaCount: 2\n"],
  ["right-to-left override in a key", "backend:\n  \u202Eeman: x\n"],
  ["several documents", "a: 1\n---\nb: 2\n---\nc: 3\n"],
  ["a scalar document", "just a string\n"],
  ["a list document", "- a\n- b\n"],
  ["only a comment", "# nothing here\n"],
  ["empty", ""],
  ["the service account as a list", "backend:\n  serviceAccount: [1, 2]\n"],
  ["overrideEnv as a string", "rasa:\n  rasa:\n    overrideEnv: everything\n"],
  ["IAM auth turned off", 'config:\n  database:\n    useAwsIamAuth: "false"\n'],
  ["another role ARN annotation", "backend:\n  serviceAccount:\n    annotations:\n      eks.amazonaws.com/role-arn: arn:aws:iam::999999999999:role/someone-else\n"],
  ["a YAML 1.1 boolean for a name", "backend:\n  serviceAccount:\n    name: no\n"],
];
