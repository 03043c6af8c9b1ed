// Map-shaped views of the JSON account, so unit tests keep writing `fake.roles.get(name).policies.get(p)` and
// `fake.buckets.set(name, {...})` while the state itself stays plain JSON (saved to a file by the server wiring).
import type { RoleRecord } from "./state";

/** A `Map<string, V>` over a JSON record, read through at every call (the record may be replaced). */
export class RecordMap<V, J = V> implements Map<string, V> {
  constructor(
    private readonly record: () => Record<string, J>,
    private readonly wrap: (json: J) => V = (j) => j as unknown as V,
    private readonly unwrap: (value: V) => J = (v) => v as unknown as J,
  ) {}

  get size() {
    return Object.keys(this.record()).length;
  }
  get(key: string): V | undefined {
    const j = this.record()[key];
    return j === undefined ? undefined : this.wrap(j);
  }
  set(key: string, value: V): this {
    this.record()[key] = this.unwrap(value);
    return this;
  }
  has(key: string) {
    return Object.hasOwn(this.record(), key);
  }
  delete(key: string) {
    const had = this.has(key);
    delete this.record()[key];
    return had;
  }
  clear() {
    for (const k of Object.keys(this.record())) delete this.record()[k];
  }
  *entries(): MapIterator<[string, V]> {
    for (const [k, j] of Object.entries(this.record())) yield [k, this.wrap(j)];
  }
  *keys(): MapIterator<string> {
    yield* Object.keys(this.record());
  }
  *values(): MapIterator<V> {
    for (const j of Object.values(this.record())) yield this.wrap(j);
  }
  forEach(fn: (value: V, key: string, map: Map<string, V>) => void) {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
  [Symbol.iterator]() {
    return this.entries();
  }
  get [Symbol.toStringTag]() {
    return "RecordMap";
  }
}

/** A role as the unit tests see it: documents URL-encoded (as IAM returns them), inline policies as a Map. */
export interface FakeRole {
  arn: string;
  trust: string;
  policies: Map<string, string>;
  tags: Record<string, string>;
  path?: string;
  /** ARNs of attached managed policies. */
  attached?: string[];
  /** ARN of the permissions boundary. */
  boundary?: string;
}

/** A live view of one role record: writes go to the JSON. */
export class RoleView implements FakeRole {
  readonly policies: Map<string, string>;
  constructor(readonly record: RoleRecord) {
    this.policies = new RecordMap(() => record.policies);
  }
  get arn() {
    return this.record.arn;
  }
  set arn(v: string) {
    this.record.arn = v;
  }
  get trust() {
    return this.record.trust;
  }
  set trust(v: string) {
    this.record.trust = v;
  }
  get tags() {
    return this.record.tags;
  }
  set tags(v: Record<string, string>) {
    this.record.tags = v;
  }
  get path() {
    return this.record.path;
  }
  get attached() {
    return this.record.attached;
  }
  set attached(v: string[] | undefined) {
    this.record.attached = v;
  }
  get boundary() {
    return this.record.boundary;
  }
  set boundary(v: string | undefined) {
    this.record.boundary = v;
  }
}

/** A role given back to the account: a view's own record, or a plain FakeRole turned into one. */
export function roleRecordOf(role: FakeRole): RoleRecord {
  if (role instanceof RoleView) return role.record;
  return {
    arn: role.arn,
    trust: role.trust,
    policies: Object.fromEntries(role.policies),
    tags: { ...role.tags },
    ...(role.path ? { path: role.path } : {}),
    ...(role.attached ? { attached: [...role.attached] } : {}),
    ...(role.boundary ? { boundary: role.boundary } : {}),
  };
}
