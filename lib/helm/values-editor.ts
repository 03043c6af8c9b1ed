// Node edits on a parsed or fresh YAML document that reuse what is there: an existing node keeps its comments
// and its place, a missing one is added at the end of its map, and a node of the wrong shape is an error that
// names the value path and where it is.
import { Document, isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from "yaml";
import { ValuesYamlError } from "./errors";
import { splitPath, type EnvEntry } from "./profiles";

/** 1-based source position of a node, or null for a document built from scratch. */
export type Locate = (node: unknown) => { line: number; column: number } | null;

/** What the editor may know about the source a document was parsed from. */
export interface SourceInfo {
  locate: Locate;
  /**
   * Whether the comment after a map's last entry sits at that map's own indentation, i.e. belongs to the map's
   * end rather than introducing what follows. A key appended to such a map goes below that comment.
   */
  ownsTrailingComment?: (map: YAMLMap) => boolean;
}

export class ValuesEditor {
  constructor(
    private readonly doc: Document,
    private readonly source: SourceInfo,
  ) {}

  /** The map at a dotted path, created (with `comment` above its key) when missing. */
  map(dotted: string, comment?: string[]): YAMLMap {
    const parts = splitPath(dotted);
    let map = this.root();
    parts.forEach((key, i) => {
      map = this.childMap(map, key, parts.slice(0, i + 1).join("."), i === parts.length - 1 ? comment : undefined);
    });
    return map;
  }

  root(): YAMLMap {
    const { doc } = this;
    if (isNullish(doc.contents)) doc.contents = new YAMLMap() as unknown as Document["contents"];
    if (!isMap(doc.contents)) throw this.shapeError("(top level)", "a mapping", doc.contents);
    return doc.contents;
  }

  childMap(parent: YAMLMap, key: string, path: string, comment?: string[]): YAMLMap {
    const pair = findPair(parent, key);
    if (!pair) {
      const map = new YAMLMap();
      this.addPair(parent, newKey(key, comment), map);
      return map;
    }
    if (isMap(pair.value)) return pair.value;
    // `key:` with nothing after it is null in YAML: the block is simply empty.
    if (isNullish(pair.value)) {
      const map = new YAMLMap();
      carryComments(pair.value, map);
      pair.value = map;
      return map;
    }
    throw this.shapeError(path, "a mapping", pair.value ?? pair.key);
  }

  /** Sets a scalar, reusing an existing node so its comments stay. */
  scalar(map: YAMLMap, key: string, value: string | boolean, type?: Scalar.Type) {
    const pair = findPair(map, key);
    if (pair && isScalar(pair.value)) {
      pair.value.value = value;
      // A quoted "false" must not stay quoted once it is the boolean true.
      pair.value.type = typeof value === "string" && !type ? keepStringStyle(pair.value.type) : type;
      return;
    }
    const node = new Scalar(value);
    if (type) node.type = type;
    if (pair) {
      carryComments(pair.value, node);
      pair.value = node;
    } else this.addPair(map, new Scalar(key), node);
  }

  /**
   * Sets entries of an env list by `name`: an entry already there gets the new value (and loses any
   * valueFrom, which Kubernetes refuses alongside value), later duplicates of it are dropped, every other
   * entry stays.
   */
  envList(dotted: string, wanted: EnvEntry[], chartDefaults: EnvEntry[], comment: string[]) {
    const { doc } = this;
    const parts = splitPath(dotted);
    const key = parts[parts.length - 1];
    const parent = parts.length > 1 ? this.map(parts.slice(0, -1).join(".")) : this.root();
    const pair = findPair(parent, key);
    let list: YAMLSeq;
    if (pair && isSeq(pair.value)) list = pair.value;
    else if (!pair || isNullish(pair.value)) {
      // Absent here means the chart's default list applies; writing the list replaces it, so start from it.
      list = new YAMLSeq();
      for (const entry of chartDefaults) list.items.push(doc.createNode(entry));
      if (pair) {
        carryComments(pair.value, list);
        pair.value = list;
      } else this.addPair(parent, newKey(key, comment), list);
    } else throw this.shapeError(dotted, "a list", pair.value);
    if (list.flow && list.items.length === 0) list.flow = false;

    for (const entry of wanted) {
      const same = list.items.filter(
        (item): item is YAMLMap => isMap(item) && scalarText(item.get("name", true)) === entry.name,
      );
      if (same.length === 0) {
        list.items.push(doc.createNode(entry));
        continue;
      }
      const [first, ...duplicates] = same;
      if ("value" in entry) {
        this.scalar(first, "value", entry.value);
        first.delete("valueFrom");
      }
      list.items = list.items.filter((item) => !duplicates.includes(item as YAMLMap));
    }
  }

  private addPair(map: YAMLMap, key: Scalar, value: unknown) {
    // An empty flow map (`annotations: {}`) reads better as a block once it has content.
    if (map.flow && map.items.length === 0) map.flow = false;
    if (!map.flow && map.comment && this.source.ownsTrailingComment?.(map)) {
      key.commentBefore = [map.comment, key.commentBefore].filter(Boolean).join("\n");
      map.comment = undefined;
    }
    map.items.push(new Pair(key, value));
  }

  private shapeError(path: string, expected: string, node: unknown): Error {
    const found = isMap(node)
      ? "a mapping"
      : isSeq(node)
        ? "a list"
        : isScalar(node)
          ? `the value ${JSON.stringify(node.value)}`
          : "an alias";
    const reason = `must be ${expected}, found ${found}`;
    const at = this.source.locate(node);
    // Without a source position the clash is between the configured value paths themselves.
    if (!at) return new Error(`value path ${path} ${reason}: two chart-profile paths overlap`);
    return new ValuesYamlError(`${path} ${reason}`, at.line, at.column, path);
  }
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return (map.items as Pair[]).find((pair) => scalarText(pair.key) === key);
}

function scalarText(node: unknown): string | undefined {
  if (isScalar(node)) return node.value == null ? undefined : String(node.value);
  return typeof node === "string" ? node : undefined;
}

// Quoted strings stay quoted; block and plain styles become plain: the library quotes a plain string itself
// when it would otherwise read back as a number or boolean.
function keepStringStyle(type: Scalar.Type | undefined): Scalar.Type | undefined {
  return type === Scalar.QUOTE_DOUBLE || type === Scalar.QUOTE_SINGLE ? type : undefined;
}

function newKey(key: string, comment?: string[]): Scalar {
  const node = new Scalar(key);
  if (comment) node.commentBefore = comment.join("\n");
  return node;
}

function isNullish(node: unknown): boolean {
  return node == null || (isScalar(node) && node.value == null);
}

function carryComments(from: unknown, to: Node) {
  if (!isScalar(from) && !isMap(from) && !isSeq(from)) return;
  if (from.commentBefore) to.commentBefore = from.commentBefore;
  if (from.comment) to.comment = from.comment;
}
